package dev.gradgen;

/**
 * Values a {@code @Differentiable} method treats as constants: the derivative does not flow
 * through {@code StopGradient.of(x)} (JAX's {@code stop_gradient}, PyTorch's {@code detach}),
 * though its value is {@code x}'s. Use it for a target computed from the parameters that must
 * not be differentiated (a running mean, a fixed-point iterate, a baseline).
 *
 * <p>Outside generated code these are the identity (arrays: a copy).
 */
public final class StopGradient {
  private StopGradient() {}

  /**
   * {@code x}, as a constant for differentiation.
   *
   * @param x a value
   * @return {@code x}
   */
  public static double of(double x) {
    return x;
  }

  /**
   * A copy of {@code a}, as a constant for differentiation.
   *
   * @param a an array
   * @return a new array with {@code a}'s values
   */
  public static double[] of(double[] a) {
    return a.clone();
  }

  /**
   * A deep copy of {@code a}, as a constant for differentiation.
   *
   * @param a a matrix
   * @return a new matrix with {@code a}'s values
   */
  public static double[][] of(double[][] a) {
    return Gradients.copyOf(a);
  }
}
