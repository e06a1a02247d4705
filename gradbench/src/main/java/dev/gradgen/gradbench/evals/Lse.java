package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;

/**
 * GradBench's {@code lse} eval: {@code log Σ exp(x_i)}, computed stably from the maximum
 * {@code a} as {@code a + log Σ exp(x_i - a)}, from its primitive parts as the eval asks.
 */
public final class Lse {
  private Lse() {}

  /**
   * LogSumExp of {@code x}.
   *
   * @param x a non-empty vector
   * @return {@code log Σ exp(x_i)}
   */
  @Differentiable
  public static double primal(double[] x) {
    int n = x.length;
    double a = x[0];
    for (int i = 1; i < n; i++) {
      a = Math.max(a, x[i]);
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.exp(x[i] - a);
    }
    return Math.log(s) + a;
  }
}
