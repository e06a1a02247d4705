package dev.gradgen.samples.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Random inputs, plain-loop linear algebra for closed forms, and relative comparisons. */
final class Mats {
  private Mats() {}

  static double[] vector(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return v;
  }

  static double[][] matrix(Random rnd, int r, int c) {
    double[][] m = new double[r][];
    for (int i = 0; i < r; i++) {
      m[i] = vector(rnd, c);
    }
    return m;
  }

  /** Entries uniform in ±[lo, hi], never closer to 0 than lo (for relu away from its kink). */
  static double[] awayFromZero(Random rnd, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double m = lo + (hi - lo) * rnd.nextDouble();
      v[i] = rnd.nextBoolean() ? m : -m;
    }
    return v;
  }

  static int[] labels(Random rnd, int n, int classes) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = rnd.nextInt(classes);
    }
    return l;
  }

  /** {@code a · b} by the naive triple loop. */
  static double[][] mul(double[][] a, double[][] b) {
    int n = a.length;
    int k = b.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[i][p] * b[p][j];
        }
        c[i][j] = s;
      }
    }
    return c;
  }

  static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  /** Column sums: {@code aᵀ 1}. */
  static double[] columnSums(double[][] a) {
    double[] s = new double[a[0].length];
    for (double[] row : a) {
      for (int j = 0; j < row.length; j++) {
        s[j] += row[j];
      }
    }
    return s;
  }

  static double maxAbs(double[] a) {
    double m = 0;
    for (double x : a) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  static double maxAbs(double[][] a) {
    double m = 0;
    for (double[] row : a) {
      m = Math.max(m, maxAbs(row));
    }
    return m;
  }

  /** |actual - expected| <= tol · max(|expected|, |actual|), or both 0. */
  static void rel(double expected, double actual, double tol, String what) {
    double scale = Math.max(Math.abs(expected), Math.abs(actual));
    if (!(Math.abs(actual - expected) <= tol * scale)) {
      fail(what + ": expected " + expected + " but was " + actual + " (relative difference "
          + Math.abs(actual - expected) / scale + ", tolerance " + tol + ")");
    }
  }

  /**
   * Normwise relative: every |actual_i - expected_i| <= tol · ‖expected‖∞ (components near 0 are
   * compared at the scale of the whole gradient, not their own). Exactly 0 expected needs exactly
   * 0 actual.
   */
  static void rel(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = maxAbs(expected);
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(actual[i] - expected[i]) <= tol * scale)) {
        fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]
            + " (difference " + (actual[i] - expected[i]) + ", ‖expected‖∞ " + scale
            + ", tolerance " + tol + ")");
      }
    }
  }

  static void rel(double[][] expected, double[][] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    double scale = maxAbs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length, what + "[" + i + "]: length");
      for (int j = 0; j < expected[i].length; j++) {
        if (!(Math.abs(actual[i][j] - expected[i][j]) <= tol * scale)) {
          fail(what + "[" + i + "][" + j + "]: expected " + expected[i][j] + " but was "
              + actual[i][j] + " (difference " + (actual[i][j] - expected[i][j])
              + ", ‖expected‖∞ " + scale + ", tolerance " + tol + ")");
        }
      }
    }
  }

  static void allFinite(double[][] a, String what) {
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        assertTrue(Double.isFinite(a[i][j]), what + "[" + i + "][" + j + "] = " + a[i][j]);
      }
    }
  }

  static void allFinite(double[] a, String what) {
    for (int i = 0; i < a.length; i++) {
      assertTrue(Double.isFinite(a[i]), what + "[" + i + "] = " + a[i]);
    }
  }
}
