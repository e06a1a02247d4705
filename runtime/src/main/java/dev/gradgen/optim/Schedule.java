package dev.gradgen.optim;

/**
 * A learning rate that changes with the optimizer's step count: {@link #at(long) at(t)} is the
 * rate of the step taken after {@code t} steps (so {@code at(0)} is the first step's rate).
 *
 * <p>The factories follow PyTorch's schedulers where there is one ({@code StepLR}, {@code
 * CosineAnnealingLR}), counted in optimizer steps rather than epochs: for a decay every {@code k}
 * epochs of {@code n} minibatches, pass {@code k * n}. A lambda is a schedule too: {@code t ->
 * 0.1 / Math.sqrt(t + 1)}.
 */
@FunctionalInterface
public interface Schedule {
  /**
   * The learning rate of the step taken after {@code step} steps.
   *
   * @param step the number of steps taken so far (0 for the first step)
   * @return the rate, finite and not negative
   */
  double at(long step);

  /**
   * The same rate at every step.
   *
   * @param rate the learning rate
   * @return the schedule
   */
  static Schedule constant(double rate) {
    requireRate(rate);
    return step -> rate;
  }

  /**
   * Step decay (PyTorch's {@code StepLR}): {@code rate * gamma^floor(t / every)}.
   *
   * @param rate the rate of the first {@code every} steps
   * @param every how many steps each rate lasts, at least 1
   * @param gamma the factor applied every {@code every} steps, in {@code [0, 1]}
   * @return the schedule
   */
  static Schedule stepDecay(double rate, long every, double gamma) {
    requireRate(rate);
    if (every < 1) {
      throw new IllegalArgumentException("every must be at least 1 step, not " + every);
    }
    if (!(gamma >= 0.0 && gamma <= 1.0)) {
      throw new IllegalArgumentException("gamma must be in [0, 1], not " + gamma);
    }
    return step -> rate * Math.pow(gamma, (double) (step / every));
  }

  /**
   * Cosine decay from {@code rate} to 0 over {@code steps} steps; see {@link #cosine(double,
   * long, double)}.
   *
   * @param rate the first step's rate
   * @param steps the number of steps the decay lasts, at least 1
   * @return the schedule
   */
  static Schedule cosine(double rate, long steps) {
    return cosine(rate, steps, 0.0);
  }

  /**
   * Cosine decay (PyTorch's {@code CosineAnnealingLR} for its first half-period): {@code min +
   * (rate - min) (1 + cos(pi t / steps)) / 2} for {@code t <= steps}, and {@code min} after
   * (where PyTorch's closed form would rise again).
   *
   * @param rate the first step's rate
   * @param steps the number of steps the decay lasts, at least 1
   * @param min the rate it decays to, at most {@code rate}
   * @return the schedule
   */
  static Schedule cosine(double rate, long steps, double min) {
    requireRate(rate);
    requireRate(min);
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, not " + steps);
    }
    if (min > rate) {
      throw new IllegalArgumentException("min " + min + " is above the rate " + rate);
    }
    return step -> step >= steps ? min
        : min + (rate - min) * 0.5 * (1.0 + Math.cos(Math.PI * step / steps));
  }

  /**
   * Linear warm-up, then {@code then}: {@code then.at(0) * (t + 1) / steps} for the first {@code
   * steps} steps, then {@code then.at(t - steps)}; {@code then} starts when the warm-up ends, so
   * a cosine over the whole run of {@code n} steps is {@code warmup(w, cosine(rate, n - w))}.
   *
   * @param steps the warm-up's length, at least 1
   * @param then the schedule after it
   * @return the schedule
   */
  static Schedule warmup(long steps, Schedule then) {
    if (steps < 1) {
      throw new IllegalArgumentException("warm-up steps must be at least 1, not " + steps);
    }
    java.util.Objects.requireNonNull(then, "then");
    return step -> step < steps ? then.at(0) * (step + 1) / steps : then.at(step - steps);
  }

  private static void requireRate(double rate) {
    if (!(rate >= 0.0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("a learning rate must be finite and not negative, not "
          + rate);
    }
  }
}
