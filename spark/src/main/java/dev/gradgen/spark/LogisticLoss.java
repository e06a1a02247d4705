package dev.gradgen.spark;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * Binary logistic regression's loss on one example, written as MLlib's {@code
 * LogisticGradient} defines it (labels 0 and 1, no separate intercept: append a 1 to the
 * features for one). gradgen writes its gradient; {@link #gradient()} hands it to MLlib.
 */
public final class LogisticLoss {
  private LogisticLoss() {}

  /**
   * {@code log(1 + exp(m)) - (1 - label) m} with the margin {@code m = -w·x}.
   *
   * @param w the weights
   * @param x the features, as long as {@code w}
   * @param label 0 or 1
   * @return the loss
   */
  @Differentiable
  public static double loss(double[] w, @NoGrad double[] x, @NoGrad double label) {
    double margin = 0.0;
    for (int i = 0; i < w.length; i++) {
      margin -= w[i] * x[i];
    }
    // log(1 + exp(m)), without overflow for a large margin
    double log1pExp = margin > 0 ? margin + Math.log1p(Math.exp(-margin))
        : Math.log1p(Math.exp(margin));
    return label > 0 ? log1pExp : log1pExp - margin;
  }

  /**
   * The generated gradient as an MLlib gradient for {@code dimension} weights (and as many
   * features), one reused gradient buffer per task.
   *
   * @param dimension the number of weights
   * @return the MLlib gradient
   */
  public static GradgenGradient gradient(int dimension) {
    return new GradgenGradient(new Buffered(), dimension, dimension);
  }

  /** The buffer form with its buffer, made in the task on first use. */
  private static final class Buffered implements GradgenGradient.PointLoss {
    private static final long serialVersionUID = 1L;
    private transient LogisticLossGrad.LossGradientBuffer buffer;

    @Override
    public double loss(double[] weights, double[] features, double label, double[] gradient) {
      if (buffer == null || buffer.w.length != weights.length) {
        buffer = new LogisticLossGrad.LossGradientBuffer(weights);
      }
      double value = LogisticLossGrad.loss(weights, features, label, buffer);
      System.arraycopy(buffer.w, 0, gradient, 0, weights.length);
      return value;
    }
  }
}
