package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;

/** Callees for {@link Calls}, in another class of the same compilation. */
public final class OtherCalls {
  private OtherCalls() {}

  @Differentiable
  public static double cube(double x) {
    return x * x * x;
  }

  /** sum_i a_i^2 r_i. */
  @Differentiable
  static double weighted(double[] a, double[] r) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * a[i] * r[i];
    }
    return s;
  }

  /** A callee that itself calls into Calls: sin(x)^2. */
  @Differentiable
  static double chain(double x) {
    return Calls.sq(Math.sin(x));
  }
}
