package dev.gradgen.samples.kernels;

import dev.gradgen.Differentiable;
import dev.gradgen.Ops;

/** Kernel calls where evaluation order, aliasing and typing are easy to get wrong. */
final class Edges {
  private Edges() {}

  /** A local array read by a kernel and then overwritten: the backward needs the old contents. */
  @Differentiable
  static double overwriteAfterRead(double[] a) {
    double[] u = new double[a.length];
    u[0] = a[0] * a[0];
    double s = Ops.dot(u, a);
    u[0] = 5 * a[a.length - 1];
    s += Ops.dot(u, a) * s;
    return s;
  }

  /** A kernel reads the array whose element its result overwrites, in a loop. */
  @Differentiable
  static double selfUpdate(double[] a) {
    double[] v = Ops.scale(1.0, a);
    for (int k = 0; k < v.length; k++) {
      v[k] = Math.sin(Ops.dot(v, a));
    }
    return Ops.sum(v);
  }

  /** A kernel result passed to another differentiable method. */
  @Differentiable
  static double callee(double[] v, double c) {
    return Ops.sumOfSquares(v) * c;
  }

  @Differentiable
  static double intoCallee(double[] a, double c) {
    return callee(Ops.tanh(a), c) + callee(a, Ops.dot(a, a));
  }

  /** Indexed matrix results and an int (loop index, literal) as the double argument. */
  @Differentiable
  static double indexedMatrix(double[][] a, double[][] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Ops.matmul(a, b)[i][0] * Ops.sum(Ops.scale(i, a[i]));
    }
    return s + Ops.sum(Ops.scale(2, b[0]));
  }

  /** var with a kernel initializer, enhanced for over a kernel result. */
  @Differentiable
  static double varAndForEach(double[] a) {
    var y = Ops.tanh(a);
    double s = 0;
    for (double v : Ops.exp(y)) {
      s += v * v;
    }
    return s;
  }

  /**
   * Kernel results copied into the rows of a local matrix (assigning whole rows is not in the
   * subset), then a matrix kernel over it.
   */
  @Differentiable
  static double rowsFromKernels(double[] a, double[] b) {
    double[][] m = new double[2][a.length];
    double[] t = Ops.tanh(a);
    double[] p = Ops.mul(a, b);
    for (int j = 0; j < a.length; j++) {
      m[0][j] = t[j];
      m[1][j] = p[j];
    }
    return Ops.sum(Ops.square(m)) + m[1][0];
  }

  /** A kernel in a return inside a loop (early exit). */
  @Differentiable
  static double earlyReturn(double[][] m, double[] v) {
    for (int i = 0; i < m.length; i++) {
      double d = Ops.dot(m[i], v);
      if (d > 0) {
        return Ops.logSumExp(Ops.scale(d, v));
      }
    }
    return Ops.sum(v);
  }
}
