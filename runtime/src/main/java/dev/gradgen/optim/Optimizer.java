package dev.gradgen.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A first-order optimizer that updates parameter arrays in place from gradient arrays, such as
 * the arrays of a generated gradient buffer ({@code grad.w()}), which the buffer form of a
 * generated method overwrites on every call.
 *
 * <p>Register each parameter with its gradient once, before the first step; each {@link #step()}
 * then reads the gradients and updates every parameter, allocating nothing:
 *
 * <pre>{@code
 * ModelGrad.LossGradientBuffer grad = new ModelGrad.LossGradientBuffer(w1, w2);
 * Adam adam = new Adam(Schedule.cosine(0.01, steps));
 * adam.add(w1, grad.w1()).add(w2, grad.w2());
 * Optimizer.Scalar b = adam.add(0.0, grad::b);   // a double parameter
 * for (int t = 0; t < steps; t++) {
 *   ModelGrad.loss(w1, w2, b.value(), x, y, grad);
 *   adam.step();
 * }
 * }</pre>
 *
 * <p>{@link Sgd}, {@link Adam} and {@link AdamW} implement PyTorch's documented algorithms
 * ({@code torch.optim.SGD}, {@code Adam}, {@code AdamW}) for one parameter group, with the
 * learning rate taken from a {@link Schedule} at every step. An optimizer is not thread-safe.
 */
public abstract class Optimizer {
  /** A registered parameter row with its gradient row and the optimizer's state for it. */
  static final class Row {
    final double[] parameter;
    final double[] gradient;
    /** The optimizer's per-entry state vectors (momentum, moments), zeros at first. */
    final double[][] state;
    /** For a scalar parameter: where its gradient is read from before each step. */
    final DoubleSupplier scalarGradient;

    Row(double[] parameter, double[] gradient, int stateVectors, DoubleSupplier scalarGradient) {
      this.parameter = parameter;
      this.gradient = gradient;
      this.state = new double[stateVectors][parameter.length];
      this.scalarGradient = scalarGradient;
    }
  }

  /**
   * A {@code double} parameter the optimizer holds and updates: pass {@link #value()} to the
   * function, and its gradient is read from the supplier given to {@link #add(double,
   * DoubleSupplier)} at every step.
   */
  public static final class Scalar {
    private final Row row;

    Scalar(Row row) {
      this.row = row;
    }

    /**
     * The parameter's current value.
     *
     * @return the value after the last step
     */
    public double value() {
      return row.parameter[0];
    }

    /**
     * Sets the parameter's value; the optimizer's state for it is kept.
     *
     * @param value the new value
     */
    public void set(double value) {
      row.parameter[0] = value;
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final int stateVectors;
  private Schedule schedule;
  private long steps;

  Optimizer(Schedule schedule, int stateVectors) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.stateVectors = stateVectors;
  }

  /**
   * Registers a vector parameter and the array its gradient will be in at every step.
   *
   * @param parameter updated in place by each step
   * @param gradient read by each step (not written); the same length as {@code parameter}
   * @return this optimizer
   */
  public final Optimizer add(double[] parameter, double[] gradient) {
    requireNotStarted();
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(gradient, "gradient");
    if (parameter.length != gradient.length) {
      throw new IllegalArgumentException("the parameter has " + parameter.length
          + " entries but its gradient " + gradient.length);
    }
    for (Row r : rows) {
      if (r.parameter == parameter) {
        throw new IllegalArgumentException("this parameter array is already registered");
      }
    }
    rows.add(new Row(parameter, gradient, stateVectors, null));
    return this;
  }

  /**
   * Registers a matrix parameter (rows of any lengths) and the array its gradient will be in.
   *
   * @param parameter updated in place by each step
   * @param gradient read by each step; the same shape as {@code parameter}
   * @return this optimizer
   */
  public final Optimizer add(double[][] parameter, double[][] gradient) {
    requireNotStarted();
    if (parameter.length != gradient.length) {
      throw new IllegalArgumentException("the parameter has " + parameter.length
          + " rows but its gradient " + gradient.length);
    }
    for (int i = 0; i < parameter.length; i++) {
      if (parameter[i].length != gradient[i].length) {
        throw new IllegalArgumentException("row " + i + " of the parameter has "
            + parameter[i].length + " entries but its gradient's " + gradient[i].length);
      }
    }
    for (int i = 0; i < parameter.length; i++) {
      add(parameter[i], gradient[i]);
    }
    return this;
  }

  /**
   * Registers a rank-3 parameter (planes of rows) and the array its gradient will be in.
   *
   * @param parameter updated in place by each step
   * @param gradient read by each step; the same shape as {@code parameter}
   * @return this optimizer
   */
  public final Optimizer add(double[][][] parameter, double[][][] gradient) {
    requireNotStarted();
    if (parameter.length != gradient.length) {
      throw new IllegalArgumentException("the parameter has " + parameter.length
          + " planes but its gradient " + gradient.length);
    }
    for (int i = 0; i < parameter.length; i++) {
      for (int r = 0; r < parameter[i].length; r++) {
        if (parameter[i].length != gradient[i].length
            || parameter[i][r].length != gradient[i][r].length) {
          throw new IllegalArgumentException("plane " + i + " of the parameter is not shaped"
              + " like its gradient's");
        }
      }
    }
    for (int i = 0; i < parameter.length; i++) {
      add(parameter[i], gradient[i]);
    }
    return this;
  }

  /**
   * Registers a {@code double} parameter, which the optimizer holds: read it with {@link
   * Scalar#value()}. Each step first reads its gradient from {@code gradient}, typically a
   * buffer's accessor ({@code grad::b}).
   *
   * @param initial the parameter's initial value
   * @param gradient gives the parameter's current gradient
   * @return the parameter
   */
  public final Scalar add(double initial, DoubleSupplier gradient) {
    requireNotStarted();
    Objects.requireNonNull(gradient, "gradient");
    Row row = new Row(new double[] {initial}, new double[1], stateVectors, gradient);
    rows.add(row);
    return new Scalar(row);
  }

  /**
   * One update of every registered parameter from its gradient's current contents, with the
   * learning rate {@link #learningRate()}. Allocates nothing.
   *
   * @throws IllegalStateException if the settings are inconsistent or the schedule gives a rate
   *     that is negative or not finite; nothing is updated then
   */
  public final void step() {
    double rate = learningRate();
    if (!(rate >= 0.0) || Double.isInfinite(rate)) {
      throw new IllegalStateException("the schedule gives learning rate " + rate + " at step "
          + steps);
    }
    checkSettings();
    long t = ++steps;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if (r.scalarGradient != null) {
        r.gradient[0] = r.scalarGradient.getAsDouble();
      }
      update(r.parameter, r.gradient, r.state, t, rate);
    }
  }

  /**
   * The number of steps taken.
   *
   * @return 0 before the first step
   */
  public final long steps() {
    return steps;
  }

  /**
   * The learning rate the next step will use: the schedule at {@link #steps()}.
   *
   * @return the rate
   */
  public final double learningRate() {
    return schedule.at(steps);
  }

  /**
   * The learning-rate schedule.
   *
   * @return the schedule
   */
  public final Schedule schedule() {
    return schedule;
  }

  /**
   * Replaces the learning-rate schedule from the next step on; it is still indexed by the total
   * step count.
   *
   * @param newSchedule the schedule
   * @return this optimizer
   */
  public final Optimizer schedule(Schedule newSchedule) {
    this.schedule = Objects.requireNonNull(newSchedule, "schedule");
    return this;
  }

  /** Parameters and settings other than the schedule are fixed once stepping starts. */
  final void requireNotStarted() {
    if (steps > 0) {
      throw new IllegalStateException("register parameters and change settings before the first"
          + " step");
    }
  }

  /** Throws {@link IllegalStateException} if the settings cannot be used together. */
  void checkSettings() {}

  /**
   * Updates {@code p} in place from {@code g} at step {@code t} (1 for the first) with rate
   * {@code lr}; {@code state} holds this optimizer's state vectors for {@code p}.
   */
  abstract void update(double[] p, double[] g, double[][] state, long t, double lr);

  static double requireNonNegative(String name, double value) {
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and not negative, not " + value);
    }
    return value;
  }

  static double requireFraction(String name, double value) {
    if (!(value >= 0.0 && value < 1.0)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), not " + value);
    }
    return value;
  }
}
