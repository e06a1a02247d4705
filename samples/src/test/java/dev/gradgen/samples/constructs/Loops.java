package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;

/** Every loop form, break/continue (also labelled), and return from inside loops. */
public final class Loops {
  private Loops() {}

  /** Closed form: sum over lo <= i <= j < hi of a_i a_j. Counter starting at a parameter. */
  @Differentiable
  static double triangle(double[] a, int lo, int hi) {
    double s = 0;
    for (int i = lo; i < hi; i++) {
      for (int j = i; j < hi; j++) {
        s += a[i] * a[j];
      }
    }
    return s;
  }

  /** Counting down, step 2 up, step 2 down, <= bound. */
  @Differentiable
  static double steps(double[] a) {
    double s = 0;
    for (int i = a.length - 1; i >= 0; i--) s = s * 0.5 + a[i];
    for (int i = 0; i < a.length; i += 2) s += a[i] * a[i];
    for (int i = a.length - 1; i > 0; i -= 2) s *= 1 + a[i] * 0.1;
    for (int i = 1; i <= 3; i++) s += i * a[i - 1];
    return s;
  }

  /**
   * Counted loops whose backward sweep recomputes its range from the bounds: a bound reassigned
   * after the loop, empty ranges, the counter read after the loop, inclusive bounds counting down,
   * a continue, and ragged rows of a parameter as bounds.
   */
  @Differentiable
  static double recomputedBounds(double[] a, double[][] m, int lo) {
    int hi = a.length;
    double s = 0;
    for (int i = lo; i < hi; i++) {
      s += a[i] * a[i] * (i + 1);
    }
    hi = 2;                                    // the loop above must still run back to a.length
    for (int i = hi; i < lo; i++) {            // empty when lo <= 2
      s += a[i] * s;
    }
    int j;
    for (j = hi + 3; j >= hi; j--) {           // inclusive, counting down
      if (j == 4) {
        continue;
      }
      s = s * 0.9 + a[j] * a[j - 1];
    }
    s += j * a[0];                             // j is hi - 1 here
    for (int r = 0; r < m.length; r++) {
      for (int c = r; c < m[r].length; c++) {  // ragged rows, start from the outer counter
        s += m[r][c] * a[c] * s * 0.1;
      }
    }
    return s;
  }

  /** Two counters in one for header. */
  @Differentiable
  static double twoCounters(double[] a) {
    double s = 0;
    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
      s += a[i] * a[j];
    }
    return s;
  }

  /** A for loop whose counter is declared outside, and one with an empty header part. */
  @Differentiable
  static double outsideCounter(double x) {
    int i;
    double s = x;
    for (i = 0; i < 4; i++) {
      s = s * x + 1;
    }
    int k = 0;
    for (; k < 2;) {
      s = s * 0.5;
      k++;
    }
    return s + i;
  }

  /** Enhanced for over double[], double[][] and int[]. */
  @Differentiable
  static double enhanced(double[] v, double[][] m, int[] weights) {
    double s = 0;
    for (double x : v) s += x * x;
    for (double[] row : m) {
      for (double e : row) {
        s += e * s * 0.1;
      }
    }
    for (int w : weights) s += w * v[0];
    return s;
  }

  /** while and do/while with constant trip counts. */
  @Differentiable
  static double whileAndDo(double x) {
    double y = x;
    int n = 0;
    while (n < 5) {
      y = y * y * 0.5 + 0.1;
      n++;
    }
    int k = 0;
    do {
      y = Math.sin(y) + x;
      k++;
    } while (k < 3);
    return y;
  }

  /** A while loop whose condition depends on an active value. */
  @Differentiable
  static double whileActive(double x) {
    double y = x;
    while (y < 10) y = y * 1.5 + x;
    return y;
  }

  /** break and continue. */
  @Differentiable
  static double breakContinue(double[] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      if (i % 2 == 1) continue;
      if (a[i] > 100) break;
      s += a[i] * a[i];
      if (s > 10) break;
    }
    return s;
  }

  /** continue and break in while and do/while loops. */
  @Differentiable
  static double breakContinueWhile(double x) {
    double s = 0;
    int i = 0;
    while (true) {
      i++;
      if (i == 2) continue;
      s += x * i;
      if (i >= 5) break;
    }
    int j = 0;
    do {
      j++;
      if (j % 2 == 0) continue;
      s = s * x;
    } while (j < 4);
    return s;
  }

  /** Labelled break and continue out of nested loops. */
  @Differentiable
  static double labelled(double[][] m) {
    double s = 0;
    outer:
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        if (j > i) continue outer;
        if (m[i][j] < 0) break outer;
        s += m[i][j] * (i + 1) * s + m[i][j];
      }
    }
    return s;
  }

  /** Labelled break out of a while nested in a for. */
  @Differentiable
  static double labelledWhile(double x) {
    double s = 1;
    search:
    for (int i = 0; i < 10; i++) {
      int k = 0;
      while (k < 10) {
        s = s * x + k;
        if (s > 50) break search;
        k++;
      }
    }
    return s;
  }

  /** return from inside a loop. */
  @Differentiable
  static double returnInLoop(double[] a, double t) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * t;
      if (s > 5) return s * s;
    }
    return -s;
  }

  /** return from inside a nested loop. */
  @Differentiable
  static double returnInNestedLoop(double[][] m, double t) {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        s += m[i][j] * t;
        if (s > 3) {
          return s * t;
        }
      }
    }
    return s;
  }

  /** return from inside a while loop. */
  @Differentiable
  static double returnInWhile(double x) {
    double s = x;
    while (true) {
      s = s * 2 + x;
      if (s > 20) {
        return s;
      }
    }
  }

  /** Blocks, brace-less bodies, a name reused in sibling blocks. */
  @Differentiable
  static double blocks(double x) {
    double s = x;
    {
      double t = s * 2;
      s = t + x;
    }
    {
      double t = s * s;
      s = t;
    }
    for (int i = 0; i < 3; i++) s = s * 0.5 + x;
    if (s > 0) s = s + 1;
    else s = s - 1;
    while (s > 100) s = s / 2;
    return s;
  }

  /** A loop-local double that is re-declared on every iteration. */
  @Differentiable
  static double loopLocal(double[] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double t = a[i] * a[i];
      double u = t * s + 1;
      s = u;
    }
    return s;
  }

  /** 200,000 iterations with an overwrite each: x' = x + h (p - x^2) tends to sqrt(p). */
  @Differentiable
  static double longRecurrence(double p) {
    double x = 0;
    double h = 1e-4;
    for (int i = 0; i < 200000; i++) {
      x = x + h * (-x * x + p);
    }
    return x;
  }

  /** 200,000 iterations in a while loop with a long counter. */
  @Differentiable
  static double longWhile(double p) {
    double x = 0;
    long i = 0;
    while (i < 200000L) {
      x = x + 1e-4 * (p - x);
      i++;
    }
    return x;
  }
}
