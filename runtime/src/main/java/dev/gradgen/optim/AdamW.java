package dev.gradgen.optim;

/**
 * AdamW: PyTorch's {@code torch.optim.AdamW}, Adam with decoupled weight decay, which shrinks the
 * parameters directly instead of entering the moment estimates. At step {@code t}, for each
 * entry, with gradient {@code g}:
 *
 * <pre>
 * p = p - lr * weightDecay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 *
 * Defaults as PyTorch's: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-8},
 * {@code weightDecay = 0.01}.
 */
public final class AdamW extends Adam {
  /**
   * AdamW at a constant rate.
   *
   * @param learningRate the rate
   */
  public AdamW(double learningRate) {
    this(Schedule.constant(learningRate));
  }

  /**
   * AdamW with a learning-rate schedule.
   *
   * @param schedule the rate at each step
   */
  public AdamW(Schedule schedule) {
    super(schedule, true, 0.01);
  }

  @Override
  public AdamW betas(double first, double second) {
    super.betas(first, second);
    return this;
  }

  @Override
  public AdamW eps(double epsilon) {
    super.eps(epsilon);
    return this;
  }

  @Override
  public AdamW weightDecay(double factor) {
    super.weightDecay(factor);
    return this;
  }
}
