package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/** Scalar locals, operators, casts and the conditional operator. */
public final class Scalars {
  private Scalars() {}

  /** + - * /, unary minus, parentheses, re-assignment of a double local. */
  @Differentiable
  static double arithmetic(double x, double y) {
    double a = x * y;
    double b = (x + y) / (x - 2 * y);
    a = a - b;
    a = -a + (-(x * x));
    return a * (1 + y) / 3;
  }

  /** The compound assignments, including ones that read their own target. */
  @Differentiable
  static double compound(double x, double y) {
    double s = x;
    s += y * y;
    s -= 0.5 * x;
    s *= y;
    s /= 1 + x * x;
    s += s;
    s *= s;
    return s;
  }

  /** Closed form: x^2 y (1 - y). Re-assignment that reads the old value on the right. */
  @Differentiable
  static double reassign(double x, double y) {
    double t = x;
    t = t * x;
    t = t * y - t * y * y;
    return t;
  }

  /** int, long and boolean locals, ++ and --, casts (int), (long), (double). */
  @Differentiable
  static double intsAndCasts(double x, int k) {
    int i = 3;
    i++;
    i--;
    ++i;
    --i;
    long big = 10L;
    big++;
    big += i;
    boolean positive = x > 0;
    int truncated = (int) (x * 10);
    double di = (double) i;
    double quarter = (double) big / 4;
    long l = (long) (x * 100);
    double r = x * di + quarter * x * x + k * x + x;
    if (positive) {
      r += truncated + l;
    }
    return r;
  }

  /** Integer arithmetic that feeds a double: int division, %, int * double, long * double. */
  @Differentiable
  static double integerArithmetic(double x, int n, long m) {
    int half = n / 2;
    int rest = n % 3;
    long prod = m * half;
    double r = x * half + x * x * rest - prod * x;
    r += (double) (n / 4) * x;
    return r;
  }

  /** var for double, int, double[] and a loop counter. */
  @Differentiable
  static double withVar(double x, double[] v) {
    var s = x * 2;
    var n = v.length;
    var copy = new double[n];
    for (var i = 0; i < n; i++) {
      copy[i] = v[i] * s;
    }
    var total = 0.0;
    for (var i = 0; i < n; i++) {
      total += copy[i] * copy[i];
    }
    return total;
  }

  /** Several declarators in one statement, for int and for double. */
  @Differentiable
  static double declarators(double[][] m) {
    int n = m.length, c = m[0].length;
    double s = 0, p = 1, q;
    q = 0.5;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        s += m[i][j];
        p *= m[i][j];
      }
    }
    return s + p * q;
  }

  /** ?: with active branches, nested, and an int-valued one. */
  @Differentiable
  static double ternary(double x, double y) {
    double a = x > y ? x * x : y * y * y;
    double b = x > 0 ? (y > 1 ? 2 * y : -y) : x;
    int k = x > 1 ? 2 : 3;
    return a + b * x + k * y;
  }

  /** ?: used directly inside an expression. */
  @Differentiable
  static double ternaryInline(double x, double y) {
    return (x < y ? Math.sin(x) : Math.cos(y)) * (y > 0 ? y : -y) + (x > 0 ? x : 0.0);
  }

  /** A @NoGrad scalar takes part in the arithmetic but gets no gradient component. */
  @Differentiable
  static double noGradScalar(double x, @NoGrad double c) {
    return c * x * x + c * c;
  }

  /** Closed form: d/dx = 2x. A parameter re-assigned in the body. */
  @Differentiable
  static double assignParameter(double x) {
    x = x * x;
    return x;
  }

  /** Uninitialised declarations that are assigned later. */
  @Differentiable
  static double lateInit(double x) {
    double a;
    int n;
    boolean b;
    a = x * 3;
    n = 2;
    b = a > 0;
    return b ? a * n : -a;
  }

  /** No parameters at all: the record is just (value). */
  @Differentiable
  static double noParameters() {
    return 3.0;
  }

  /** The adjoint of o must not be spelled "do" (a keyword). Closed form: d/do = 2 o. */
  @Differentiable
  static double namedO(double o) {
    double p = o * o;
    return p;
  }
}
