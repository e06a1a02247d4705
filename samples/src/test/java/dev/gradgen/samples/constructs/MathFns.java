package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;

/** One method per Math/StrictMath function, each composed with a little chain rule. */
public final class MathFns {
  private MathFns() {}

  static final double SCALE = 2.5;
  static final int REPEAT = 3;
  public static final long BIG = 4L;

  @Differentiable static double exp(double x) { return Math.exp(2 * x); }
  @Differentiable static double expm1(double x) { return Math.expm1(x * x); }
  @Differentiable static double log(double x) { return Math.log(3 * x); }
  @Differentiable static double log1p(double x) { return Math.log1p(x * x); }
  @Differentiable static double log10(double x) { return Math.log10(x); }
  @Differentiable static double sqrt(double x) { return Math.sqrt(x * x + 1); }
  @Differentiable static double cbrt(double x) { return Math.cbrt(x); }
  @Differentiable static double powInt(double x) { return Math.pow(x, 3); }
  @Differentiable static double powActive(double x, double y) { return Math.pow(x, y); }
  @Differentiable static double powBaseConstant(double y) { return Math.pow(2.0, y); }
  @Differentiable static double sin(double x) { return Math.sin(x) * x; }
  @Differentiable static double cos(double x) { return Math.cos(x * x); }
  @Differentiable static double tan(double x) { return Math.tan(x); }
  @Differentiable static double asin(double x) { return Math.asin(x); }
  @Differentiable static double acos(double x) { return Math.acos(x); }
  @Differentiable static double atan(double x) { return Math.atan(2 * x); }
  @Differentiable static double atan2(double y, double x) { return Math.atan2(y, x); }
  @Differentiable static double sinh(double x) { return Math.sinh(x); }
  @Differentiable static double cosh(double x) { return Math.cosh(x); }
  @Differentiable static double tanh(double x) { return Math.tanh(x); }
  @Differentiable static double hypot(double x, double y) { return Math.hypot(x, y); }
  @Differentiable static double abs(double x) { return Math.abs(x) * x; }
  @Differentiable static double max(double x, double y) { return Math.max(x, y) * 2; }
  @Differentiable static double min(double x, double y) { return Math.min(x * x, y); }
  @Differentiable static double toRadians(double x) { return Math.toRadians(x); }
  @Differentiable static double toDegrees(double x) { return Math.toDegrees(x); }

  /** Piecewise-constant functions cut the gradient: d/dy = 0. */
  @Differentiable
  static double piecewiseConstant(double x, double y) {
    return x * Math.floor(y) + x * Math.ceil(y) + x * Math.rint(y) + x * Math.round(y)
        + x * Math.signum(y);
  }

  /** Integer abs/max/min used as indices. */
  @Differentiable
  static double integerMath(double[] a, int k) {
    int i = Math.abs(k);
    int j = Math.max(i - 1, 0);
    int m = Math.min(i + 1, a.length - 1);
    return a[i] * a[j] + a[m];
  }

  /** Math.PI, Math.E, Double.MAX_VALUE, own static final constants. */
  @Differentiable
  static double constants(double x) {
    double big = Double.MAX_VALUE;
    double r = Math.PI * x * x + Math.E * x + SCALE * x * REPEAT + BIG * x;
    return Math.min(r, big);
  }

  /** Double.POSITIVE_INFINITY as the start of a running min, NEGATIVE_INFINITY of a max. */
  @Differentiable
  static double infinities(double[] a) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : a) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi * lo;
  }

  /** StrictMath versions. */
  @Differentiable
  static double strict(double x, double y) {
    return StrictMath.sin(x) * StrictMath.exp(y) + StrictMath.sqrt(x * y) + StrictMath.pow(x, 2)
        + StrictMath.atan2(x, y) + StrictMath.abs(y - 5);
  }

  /** A long composition. */
  @Differentiable
  static double composition(double x, double y) {
    return Math.log(1 + Math.exp(Math.sin(x) * Math.cos(y))) / Math.sqrt(1 + Math.tanh(x * y) * Math.tanh(x * y));
  }
}
