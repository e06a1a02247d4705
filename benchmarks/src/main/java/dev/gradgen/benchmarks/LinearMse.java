package dev.gradgen.benchmarks;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * Mean squared error of a linear model, written as plain scalar loops. gradgen generates
 * {@code LinearMseGrad} from it; {@link HandWritten#mse} is the hand-written gradient it is
 * benchmarked against.
 */
public final class LinearMse {
  private LinearMse() {}

  /** {@code mean_i (b + w . x[i] - y[i])^2}. */
  @Differentiable
  public static double loss(double[] w, double b, @NoGrad double[][] x, @NoGrad double[] y) {
    int n = x.length;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double r = b - y[i];
      for (int j = 0; j < w.length; j++) {
        r += w[j] * x[i][j];
      }
      total += r * r;
    }
    return total / n;
  }
}
