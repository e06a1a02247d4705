package dev.gradgen.optim;

/**
 * Adam: PyTorch's {@code torch.optim.Adam}, with the weight decay (if any) added to the gradient
 * as an L2 penalty. At step {@code t}, for each entry, with gradient {@code g}:
 *
 * <pre>
 * g = g + weightDecay * p                         if weightDecay != 0
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 *
 * Defaults: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-8}, no weight decay.
 * Settings other than the schedule are made before the first step. {@link AdamW} decouples the
 * weight decay instead.
 */
public class Adam extends Optimizer {
  private final boolean decoupled;
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double eps = 1e-8;
  private double weightDecay;

  /**
   * Adam at a constant rate.
   *
   * @param learningRate the rate
   */
  public Adam(double learningRate) {
    this(Schedule.constant(learningRate));
  }

  /**
   * Adam with a learning-rate schedule.
   *
   * @param schedule the rate at each step
   */
  public Adam(Schedule schedule) {
    this(schedule, false, 0.0);
  }

  Adam(Schedule schedule, boolean decoupled, double weightDecay) {
    super(schedule, 2);
    this.decoupled = decoupled;
    this.weightDecay = weightDecay;
  }

  /**
   * Sets the decay rates of the moment estimates (default 0.9 and 0.999).
   *
   * @param first {@code beta1}, in {@code [0, 1)}
   * @param second {@code beta2}, in {@code [0, 1)}
   * @return this optimizer
   */
  public Adam betas(double first, double second) {
    requireNotStarted();
    this.beta1 = requireFraction("beta1", first);
    this.beta2 = requireFraction("beta2", second);
    return this;
  }

  /**
   * Sets the term added to the denominator (default 1e-8).
   *
   * @param epsilon finite, not negative
   * @return this optimizer
   */
  public Adam eps(double epsilon) {
    requireNotStarted();
    this.eps = requireNonNegative("eps", epsilon);
    return this;
  }

  /**
   * Sets the weight decay (default 0 for Adam, 0.01 for AdamW).
   *
   * @param factor finite, not negative
   * @return this optimizer
   */
  public Adam weightDecay(double factor) {
    requireNotStarted();
    this.weightDecay = requireNonNegative("weightDecay", factor);
    return this;
  }

  @Override
  final void update(double[] p, double[] g, double[][] state, long t, double lr) {
    double[] m = state[0];
    double[] v = state[1];
    double correction1 = 1.0 - Math.pow(beta1, t);
    double correction2 = 1.0 - Math.pow(beta2, t);
    for (int j = 0; j < p.length; j++) {
      double gj = g[j];
      if (decoupled) {
        p[j] -= lr * weightDecay * p[j];
      } else if (weightDecay != 0.0) {
        gj += weightDecay * p[j];
      }
      m[j] = beta1 * m[j] + (1.0 - beta1) * gj;
      v[j] = beta2 * v[j] + (1.0 - beta2) * gj * gj;
      p[j] -= lr * (m[j] / correction1) / (Math.sqrt(v[j] / correction2) + eps);
    }
  }
}
