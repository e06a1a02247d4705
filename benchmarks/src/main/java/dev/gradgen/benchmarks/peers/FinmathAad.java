package dev.gradgen.benchmarks.peers;

import java.util.Map;
import net.finmath.montecarlo.automaticdifferentiation.RandomVariableDifferentiable;
import net.finmath.montecarlo.automaticdifferentiation.backward.RandomVariableDifferentiableAADFactory;
import net.finmath.stochastic.RandomVariable;

/**
 * What the finmath-lib peers share: the AAD factory and reading a gradient out of the map that
 * {@link RandomVariableDifferentiable#getGradient()} returns.
 *
 * <p>finmath's random variables are vectors over Monte Carlo paths; its reverse mode ({@code
 * RandomVariableDifferentiableAAD}) records one operator-tree node per operation on whole
 * vectors. The peers use the paths either as nothing (size-1 values, one node per scalar
 * operation) or as the rows of the data set (one node per operation on a column). In the second
 * form the loss ends in {@code average()}, and the gradient entry of a deterministic (scalar)
 * parameter comes back as a vector of pathwise derivatives whose mean is the derivative of the
 * mean: finmath's rule for {@code AVERAGE}, see {@link #derivative}.
 */
final class FinmathAad {
  private FinmathAad() {}

  /**
   * The default factory: double-precision values ({@code RandomVariableFromArrayFactory(true)})
   * and a gradient map that keeps the leaves only.
   */
  static final RandomVariableDifferentiableAADFactory FACTORY =
      new RandomVariableDifferentiableAADFactory();

  /** A new differentiable leaf (a parameter) with a deterministic value. */
  static RandomVariableDifferentiable parameter(double value) {
    return FACTORY.createRandomVariable(value);
  }

  /**
   * d(loss)/d(parameter) from {@code loss.getGradient()}: the mean over paths of the entry (a
   * scalar entry is its own mean), 0 if the loss does not depend on the parameter.
   */
  static double derivative(Map<Long, RandomVariable> gradient, RandomVariableDifferentiable p) {
    RandomVariable d = gradient.get(p.getID());
    return d == null ? 0.0 : d.getAverage();
  }

  /** The gradient map of {@code loss}, which must be a result of finmath AAD operations. */
  static Map<Long, RandomVariable> gradientOf(RandomVariable loss) {
    return ((RandomVariableDifferentiable) loss).getGradient();
  }

  /**
   * {@code tanh(a) = 1 - 2 / (e^(2a) + 1)}: finmath has no {@code tanh}, so it is composed from
   * operations its AAD differentiates (six nodes). Accurate to a few ulp absolute; the value
   * saturates correctly for large |a|, but for a > 354 the backward sweep would multiply an
   * infinite {@code e^(2a)} by 0 (NaN). The benchmarks' pre-activations are of order 1.
   */
  static RandomVariable tanh(RandomVariable a) {
    return a.mult(2.0).exp().add(1.0).invert().mult(-2.0).add(1.0);
  }
}
