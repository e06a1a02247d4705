package dev.gradgen.benchmarks.adbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparison with a mixed tolerance that reports the worst absolute and relative errors. */
final class Compare {
  private Compare() {}

  /** Concatenates scalars, vectors and matrices (rows in order) into one vector. */
  static double[] flatten(Object... parts) {
    int size = 0;
    for (Object p : parts) {
      size += p instanceof double[] v ? v.length
          : p instanceof double[][] a ? java.util.Arrays.stream(a).mapToInt(r -> r.length).sum() : 1;
    }
    double[] out = new double[size];
    int at = 0;
    for (Object p : parts) {
      if (p instanceof double[] v) {
        System.arraycopy(v, 0, out, at, v.length);
        at += v.length;
      } else if (p instanceof double[][] a) {
        for (double[] r : a) {
          System.arraycopy(r, 0, out, at, r.length);
          at += r.length;
        }
      } else {
        out[at++] = (Double) p;
      }
    }
    return out;
  }

  /**
   * Asserts {@code |expected - actual| <= tol * max(1, |expected|)} entry by entry (absolute for
   * small entries, relative for large ones); prints and returns {maxAbs, maxRel}.
   */
  static double[] assertClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double maxAbs = 0;
    double maxRel = 0;
    int worst = -1;
    double worstErr = 0;
    for (int i = 0; i < expected.length; i++) {
      double abs = Math.abs(expected[i] - actual[i]);
      if (!(abs == abs)) {
        fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
      }
      maxAbs = Math.max(maxAbs, abs);
      if (expected[i] != 0) {
        maxRel = Math.max(maxRel, abs / Math.abs(expected[i]));
      }
      double err = abs / Math.max(1, Math.abs(expected[i]));
      if (err > worstErr) {
        worstErr = err;
        worst = i;
      }
    }
    System.out.printf("%s: %d entries, max abs error %.3e, max rel error %.3e%n",
        what, expected.length, maxAbs, maxRel);
    if (worstErr > tol) {
      fail(String.format("%s[%d]: expected %.17g but was %.17g (error %.3e > %.1e)",
          what, worst, expected[worst], actual[worst], worstErr, tol));
    }
    return new double[] {maxAbs, maxRel};
  }

  static void assertClose(double expected, double actual, double tol, String what) {
    assertClose(new double[] {expected}, new double[] {actual}, tol, what);
  }

  /** Relative comparison {@code |e - a| <= rtol * max(|e|, |a|)} entry by entry (as in GradientEqualityTest). */
  static void assertRelative(double[] expected, double[] actual, double rtol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double maxRel = 0;
    for (int i = 0; i < expected.length; i++) {
      double scale = Math.max(Math.abs(expected[i]), Math.abs(actual[i]));
      double diff = Math.abs(expected[i] - actual[i]);
      if (!(diff <= rtol * scale)) {
        fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]
            + " (relative difference " + diff / scale + ")");
      }
      if (scale > 0) {
        maxRel = Math.max(maxRel, diff / scale);
      }
    }
    System.out.printf("%s: %d entries, max rel difference %.3e%n", what, expected.length, maxRel);
  }
}
