package dev.gradgen.samples.constructs;

import static java.lang.Math.*;

import dev.gradgen.Differentiable;

/** Unqualified Math calls through import static java.lang.Math.*. */
public final class MathStatic {
  private MathStatic() {}

  @Differentiable
  static double unqualified(double x, double y) {
    return exp(x) * sin(y) + sqrt(x * x + y * y) + pow(x, 2) + atan2(y, x) + abs(y) + PI * x
        + max(x, y) + log(x) + tanh(y) + E;
  }
}
