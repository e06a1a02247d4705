package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * GradBench's {@code llsq} eval (cmpad's {@code llsq_obj}): the linear least-squares objective
 * {@code y(x) = 1/2 Σ_i (s_i - Σ_j x_j t_i^j)²} with {@code t_i = -1 + 2 i / (n - 1)} and
 * {@code s_i = sign(t_i)}, written as the upstream reference's loops.
 */
public final class Llsq {
  private Llsq() {}

  /**
   * The objective.
   *
   * @param x the polynomial's coefficients
   * @param n the number of points {@code t_i}
   * @return {@code y(x)}
   */
  @Differentiable
  public static double primal(double[] x, @NoGrad int n) {
    int m = x.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double ti = -1 + i * 2.0 / (n - 1);
      double inner = Math.signum(ti);
      double mul = 1;
      for (int j = 0; j < m; j++) {
        inner -= x[j] * mul;
        mul *= ti;
      }
      sum += inner * inner;
    }
    return sum / 2;
  }
}
