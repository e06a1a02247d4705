package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;

/** GradBench's {@code hello} eval: {@code square} and its derivative {@code double}. */
public final class Hello {
  private Hello() {}

  /**
   * The square of {@code x}.
   *
   * @param x a number
   * @return {@code x * x}
   */
  @Differentiable
  public static double square(double x) {
    return x * x;
  }
}
