package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/** Worked examples with known answers. */
public final class Textbook {
  private Textbook() {}

  /** phi = (a w1 + b1)^2: d phi / d w1 = 2 a (a w1 + b1). */
  @Differentiable
  static double phi(double w1, double b1, @NoGrad double a) {
    double z = a * w1 + b1;
    return z * z;
  }

  /** f(x) = 1 - x + x^2: f'(0) = -1, f'(1) = 1, f'(2) = 3. */
  @Differentiable
  static double quadratic(double x) {
    return 1 - x + x * x;
  }

  /** f(x, y) = (x^2 + y, 2xy). */
  @Differentiable
  static double f1(double x, double y) {
    return x * x + y;
  }

  @Differentiable
  static double f2(double x, double y) {
    return 2 * x * y;
  }

  /** g(u, v) = (u + v, u^2, sin v). */
  @Differentiable
  static double g1(double u, double v) {
    return u + v;
  }

  @Differentiable
  static double g2(double u) {
    return u * u;
  }

  @Differentiable
  static double g3(double v) {
    return Math.sin(v);
  }

  /** The three components of g(f(x, y)). */
  @Differentiable
  static double h1(double x, double y) {
    return g1(f1(x, y), f2(x, y));
  }

  @Differentiable
  static double h2(double x, double y) {
    return g2(f1(x, y));
  }

  @Differentiable
  static double h3(double x, double y) {
    return g3(f2(x, y));
  }
}
