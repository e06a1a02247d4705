package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;

/** if / else if / else, and return statements in branches. */
public final class Branches {
  private Branches() {}

  /** Four pieces: -x^2, x^3, sin x, 2x. */
  @Differentiable
  static double piecewise(double x) {
    double r = 0;
    if (x < -1) r = -x * x;
    else if (x < 1) {
      r = x * x * x;
    } else if (x < 3) r = Math.sin(x);
    else {
      r = 2 * x;
    }
    return r;
  }

  /** return in both branches of an if/else. */
  @Differentiable
  static double returnBoth(double x, double y) {
    if (x > y) {
      return x * y;
    } else {
      return x / y;
    }
  }

  /** return in an if without else, twice, then a final return. */
  @Differentiable
  static double returnNoElse(double x) {
    if (x > 0) return Math.sqrt(x) * 3;
    double t = x * x;
    if (t > 4) {
      return t;
    }
    return t + x;
  }

  /** Nested ifs that update the same accumulator in different branches. */
  @Differentiable
  static double nested(double x, double y) {
    double s = x;
    if (x > 0) {
      if (y > 0) {
        s *= y;
      } else {
        s += y * y;
      }
      s = s * x;
    } else {
      if (y > x) s -= y;
      s *= 2;
    }
    return s;
  }

  /** A condition with && and || and ! over active comparisons. */
  @Differentiable
  static double logic(double x, double y) {
    boolean big = x > 1 && y > 1;
    double s;
    if (big || !(x < -1)) {
      s = x * y;
    } else {
      s = x - y;
    }
    return s;
  }

  /** A local declared inside a branch, shadowing nothing, and reused name in the other branch. */
  @Differentiable
  static double branchLocals(double x) {
    double s;
    if (x > 0) {
      double t = x * x;
      s = t * t;
    } else {
      double t = Math.exp(x);
      s = t + x;
    }
    return s;
  }
}
