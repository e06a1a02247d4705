package dev.gradgen.optim;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay: PyTorch's
 * {@code torch.optim.SGD}. At step {@code t}, for each entry, with gradient {@code g}:
 *
 * <pre>
 * g = g + weightDecay * p                         if weightDecay != 0
 * if momentum != 0:
 *   b = t &gt; 1 ? momentum * b + (1 - dampening) * g : g
 *   g = nesterov ? g + momentum * b : b
 * p = p - lr * g
 * </pre>
 *
 * Settings other than the schedule are made before the first step.
 */
public final class Sgd extends Optimizer {
  private double momentum;
  private double dampening;
  private boolean nesterov;
  private double weightDecay;

  /**
   * Plain SGD at a constant rate.
   *
   * @param learningRate the rate
   */
  public Sgd(double learningRate) {
    this(Schedule.constant(learningRate));
  }

  /**
   * Plain SGD with a learning-rate schedule.
   *
   * @param schedule the rate at each step
   */
  public Sgd(Schedule schedule) {
    super(schedule, 1);
  }

  /**
   * Sets the momentum factor (default 0: none).
   *
   * @param factor in {@code [0, 1)}
   * @return this optimizer
   */
  public Sgd momentum(double factor) {
    requireNotStarted();
    this.momentum = requireFraction("momentum", factor);
    return this;
  }

  /**
   * Sets the dampening of the momentum (default 0).
   *
   * @param factor in {@code [0, 1)}
   * @return this optimizer
   */
  public Sgd dampening(double factor) {
    requireNotStarted();
    this.dampening = requireFraction("dampening", factor);
    return this;
  }

  /**
   * Turns Nesterov momentum on or off (default off); it needs a momentum and no dampening.
   *
   * @param on whether to use Nesterov momentum
   * @return this optimizer
   */
  public Sgd nesterov(boolean on) {
    requireNotStarted();
    this.nesterov = on;
    return this;
  }

  /**
   * Sets the L2 weight decay added to the gradient (default 0).
   *
   * @param factor finite, not negative
   * @return this optimizer
   */
  public Sgd weightDecay(double factor) {
    requireNotStarted();
    this.weightDecay = requireNonNegative("weightDecay", factor);
    return this;
  }

  @Override
  void checkSettings() {
    if (nesterov && (momentum == 0.0 || dampening != 0.0)) {
      throw new IllegalStateException("Nesterov momentum needs a momentum and zero dampening;"
          + " momentum is " + momentum + ", dampening " + dampening);
    }
  }

  @Override
  void update(double[] p, double[] g, double[][] state, long t, double lr) {
    double[] b = state[0];
    for (int j = 0; j < p.length; j++) {
      double gj = g[j];
      if (weightDecay != 0.0) {
        gj += weightDecay * p[j];
      }
      if (momentum != 0.0) {
        b[j] = t > 1 ? momentum * b[j] + (1.0 - dampening) * gj : gj;
        gj = nesterov ? gj + momentum * b[j] : b[j];
      }
      p[j] -= lr * gj;
    }
  }
}
