package dev.gradgen.samples.kernels;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import dev.gradgen.Ops;

/**
 * The textbook affine minibatch objective {@code J = (1/n) Σ_ij Y_ij²} with {@code Y = X Wᵀ + 1
 * bᵀ}, for X n x d, W m x d, b of length m, written with {@link Ops} kernels in several ways.
 */
final class Affine {
  private Affine() {}

  /** Kernels in locals, {@code Ops.sum} and an explicit 1/n. */
  @Differentiable
  static double sumForm(double[][] w, double[] b, @NoGrad double[][] x) {
    double[][] wt = Ops.transpose(w);
    double[][] xw = Ops.matmul(x, wt);
    double[][] y = Ops.addRowVector(xw, b);
    double[][] sq = Ops.square(y);
    return Ops.sum(sq) / x.length;
  }

  /**
   * The same J, fully nested in the return expression, through {@code Ops.mean}: mean divides by
   * n·m (all entries of Y), so J = m · mean(Y²) with m = w.length.
   */
  @Differentiable
  static double meanForm(double[][] w, double[] b, @NoGrad double[][] x) {
    return w.length * Ops.mean(Ops.square(Ops.addRowVector(Ops.matmul(x, Ops.transpose(w)), b)));
  }

  /** The same J with X differentiable too, and the scaling applied by a kernel. */
  @Differentiable
  static double withX(double[][] w, double[] b, double[][] x) {
    double[][] y = Ops.addRowVector(Ops.matmul(x, Ops.transpose(w)), b);
    return Ops.sum(Ops.scale(1.0 / x.length, Ops.square(y)));
  }
}
