package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/** Calls between @Differentiable methods, and to plain helpers with constant arguments. */
public final class Calls {
  private Calls() {}

  @Differentiable
  static double sq(double x) {
    return x * x;
  }

  @Differentiable
  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Differentiable
  static double rowSum(double[] r) {
    double s = 0;
    for (double v : r) s += v;
    return s;
  }

  /** A callee with a @NoGrad scalar and an int parameter. */
  @Differentiable
  static double scaledPower(double x, @NoGrad double c, int n) {
    double r = c;
    for (int i = 0; i < n; i++) r *= x;
    return r;
  }

  /** Not @Differentiable: only ever called with constant arguments. */
  static double helper(int n) {
    return n * 0.5 + 1;
  }

  /** Not @Differentiable, with a double argument that is a constant in the caller. */
  static double constantHelper(double c) {
    return Math.sqrt(c) + 1;
  }

  /** Closed form: (2x + y)^2. An expression as argument. */
  @Differentiable
  static double expressionArgument(double x, double y) {
    return sq(2 * x + y);
  }

  /** The same array passed twice: |a|^2. */
  @Differentiable
  static double sameArrayTwice(double[] a) {
    return dot(a, a);
  }

  /** A matrix row as argument: sum of all entries times x. */
  @Differentiable
  static double rowArgument(double[][] m, double x) {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      s += rowSum(m[i]) * x;
    }
    return s;
  }

  /** A local array as argument, filled with active values. */
  @Differentiable
  static double localArrayArgument(double[] a, double x) {
    double[] t = new double[a.length];
    for (int i = 0; i < a.length; i++) t[i] = a[i] * x;
    return dot(t, a);
  }

  /** Calls in another class of the same compilation, with scalar and array arguments. */
  @Differentiable
  static double otherClass(double x, double[] a, double[][] m) {
    return OtherCalls.cube(x) + OtherCalls.weighted(a, m[1]) + OtherCalls.chain(x + a[0]);
  }

  /** Helpers with constant arguments give constants; they multiply active values. */
  @Differentiable
  static double helperCalls(double x, @NoGrad double c, double[] a) {
    return helper(3) * x + constantHelper(c) * x * x + helper(a.length) * a[0];
  }

  /** A call with a @NoGrad and an int argument, inside a loop, with an active accumulator. */
  @Differentiable
  static double callInLoop(double x, double[] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += scaledPower(x, a.length, i) * a[i];
      s = s + sq(s) * 0.01;
    }
    return s;
  }

  /** Nested calls: the result of one call is the argument of another. */
  @Differentiable
  static double nestedCalls(double x) {
    return sq(sq(x) + OtherCalls.cube(sq(x)));
  }

  /** A call in a condition and in a ?: branch. */
  @Differentiable
  static double callInCondition(double x, double y) {
    if (sq(x) > y) {
      return sq(x) > 2 * y ? sq(y) : x * sq(y);
    }
    return OtherCalls.cube(y);
  }
}
