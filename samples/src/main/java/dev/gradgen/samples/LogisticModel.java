package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * Binary logistic regression, written as plain Java. gradgen generates {@code LogisticModelGrad}
 * from it at compile time, with the gradient of {@link #loss} with respect to {@code w} and
 * {@code b}.
 */
public final class LogisticModel {
  private LogisticModel() {}

  /**
   * Mean logistic loss of the rows {@code x} with labels {@code y} (0 or 1), plus an L2 penalty
   * {@code l2 / 2 * |w|^2}.
   *
   * <p>Per row the loss is {@code log(1 + exp(z)) - y * z} with {@code z = w . x + b}; the softplus
   * is written as {@code max(z, 0) + log1p(exp(-|z|))} so that {@code exp} never overflows.
   */
  @Differentiable
  public static double loss(
      double[] w, double b, @NoGrad double[][] x, @NoGrad double[] y, @NoGrad double l2) {
    int n = x.length;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double z = b;
      for (int j = 0; j < w.length; j++) {
        z += w[j] * x[i][j];
      }
      double softplus = Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
      total += softplus - y[i] * z;
    }
    double squaredNorm = 0.0;
    for (int j = 0; j < w.length; j++) {
      squaredNorm += w[j] * w[j];
    }
    return total / n + 0.5 * l2 * squaredNorm;
  }
}
