package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;

/**
 * Harder cases found while probing the processor: loop counters that are not simply stepped,
 * int/boolean state overwritten in loops, aliasing, generated-name clashes, long call chains.
 */
public final class Tricky {
  private Tricky() {}

  /** The counter is also bumped inside the body. */
  @Differentiable
  static double counterSkip(double[] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s = s * a[i] + 1;
      if (a[i] > 1) i++;
    }
    return s;
  }

  /** A multiplicative counter update, not invertible by decrementing. */
  @Differentiable
  static double counterDoubling(double[] a) {
    double s = 1;
    for (int i = 1; i < a.length; i *= 2) {
      s = s * a[i] + a[i - 1];
    }
    return s;
  }

  /** An index chased through an int[]: j = next[j]. */
  @Differentiable
  static double indexChase(double[] a, int[] next) {
    double s = 1;
    int j = 0;
    for (int n = 0; n < 5; n++) {
      s = s * a[j] + 0.5;
      j = next[j];
    }
    return s;
  }

  /** A boolean overwritten every iteration decides the branch. */
  @Differentiable
  static double booleanFlip(double[] a) {
    double s = 0;
    boolean flip = false;
    for (int i = 0; i < a.length; i++) {
      flip = !flip;
      if (flip) s = s * a[i] + 1;
      else s = s + a[i] * a[i];
    }
    return s;
  }

  /** A double that only feeds conditions, overwritten every iteration. */
  @Differentiable
  static double previousValue(double[] a) {
    double s = 1;
    double prev = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > prev) s *= a[i];
      else s += a[i];
      prev = a[i];
    }
    return s;
  }

  /** Two local names for one array; writes through either are seen by both. */
  @Differentiable
  static double alias(double[] v) {
    double[] a = new double[v.length];
    double[] b = a;
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i] * v[i];
      a[i] = a[i] * v[i];
    }
    double s = 0;
    for (double e : a) s += e;
    return s;
  }

  /** Writing through a row alias of a local matrix. */
  @Differentiable
  static double rowAliasWrite(double[] v) {
    double[][] m = new double[2][2];
    double[] r = m[1];
    r[0] = v[0] * v[1];
    r[1] = r[0] * v[0];
    return m[1][0] + m[1][1];
  }

  /** A local array passed to a call, then modified, then passed again. */
  @Differentiable
  static double callThenModify(double[] v) {
    double[] t = new double[v.length];
    double s = 0;
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < v.length; i++) t[i] = t[i] * v[i] + v[k];
      s += Calls.dot(t, v);
    }
    return s;
  }

  /** Newton's iteration for sqrt(p) until converged: the derivative is 1 / (2 sqrt p). */
  @Differentiable
  static double newtonSqrt(double p) {
    double x = p;
    while (Math.abs(x * x - p) > 1e-14 * p) {
      x = 0.5 * (x + p / x);
    }
    return x;
  }

  /** The same name with different types in sibling blocks (locals are hoisted). */
  @Differentiable
  static double siblingTypes(double x) {
    double s = 0;
    {
      int t = 2;
      s += t * x;
    }
    {
      double t = x * x;
      s += t;
    }
    return s;
  }

  /** Locals whose names look like generated ones: dz, dx, dValue, tape, grad, value, iCount. */
  @Differentiable
  static double generatedLookingNames(double x, double z) {
    double dz = z * 2;
    double dx = x * dz;
    double dValue = dx + 1;
    double tape = Calls.sq(dValue);
    double value = tape * 0.5;
    double grad = value + dz;
    int iCount = 2;
    for (int i = 0; i < 2; i++) grad += iCount * x;
    return grad;
  }

  /** A differentiable callee called 200,000 times in a loop. */
  @Differentiable
  static double longCallLoop(double p) {
    double x = 0;
    for (int i = 0; i < 200000; i++) {
      x = step(x, p);
    }
    return x;
  }

  @Differentiable
  static double step(double x, double p) {
    return x + 1e-4 * (p - x * x);
  }

  /** An empty for body with && in the condition; the counter is used afterwards. */
  @Differentiable
  static double emptyBody(double[] a) {
    int i;
    for (i = 0; i < a.length && a[i] < 1; i++);
    return a[i] * i;
  }

  /** A double loop variable and an active loop bound. */
  @Differentiable
  static double doubleCounterActiveBound(double x) {
    double s = 0;
    for (double t = 0; t < 1; t += 0.25) s += Math.sin(x * t);
    for (int i = 0; i < x * 3; i++) s += x * i;
    return s;
  }

  /** A labelled continue of a while loop from an inner for. */
  @Differentiable
  static double labelledWhileContinue(double x) {
    double s = x;
    int i = 0;
    outer:
    while (i < 4) {
      i++;
      for (int j = 0; j < 3; j++) {
        if (j == i) continue outer;
        s = s * 0.8 + x * j;
      }
    }
    return s;
  }

  /** A call to a nested class's @Differentiable method. */
  @Differentiable
  static double nestedClassCall(double x) {
    double[] y = {x, 2 * x};
    return Contract.Inner.f(x, y) * 2;
  }
}
