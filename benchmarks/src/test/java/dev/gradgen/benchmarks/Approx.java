package dev.gradgen.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Relative comparison of values and gradients for the MLP and peer equality tests: {@code |e - a|
 * <= rtol * max(|e|, |a|)} entry by entry, as in {@code GradientEqualityTest}, with the worst
 * relative difference printed so that a test log shows how much margin there is.
 */
public final class Approx {
  private Approx() {}

  /** Asserts that {@code actual} equals {@code expected} within {@code rtol}; returns the worst relative difference. */
  public static double assertRelative(double expected, double actual, double rtol, String what) {
    return assertRelative(new double[] {expected}, new double[] {actual}, rtol, what);
  }

  /** Entry-by-entry {@link #assertRelative(double, double, double, String)}. */
  public static double assertRelative(double[] expected, double[] actual, double rtol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double worst = 0.0;
    for (int i = 0; i < expected.length; i++) {
      double scale = Math.max(Math.abs(expected[i]), Math.abs(actual[i]));
      double diff = Math.abs(expected[i] - actual[i]);
      if (!(diff <= rtol * scale)) {
        fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]
            + " (relative difference " + diff / scale + ", tolerance " + rtol + ")");
      }
      if (scale > 0) {
        worst = Math.max(worst, diff / scale);
      }
    }
    System.out.printf("%s: %d entries, max relative difference %.2e%n", what, expected.length, worst);
    return worst;
  }

  /** Row-by-row {@link #assertRelative(double[], double[], double, String)}. */
  public static double assertRelative(
      double[][] expected, double[][] actual, double rtol, String what) {
    return assertRelative(flatten(expected), flatten(actual), rtol, what);
  }

  /** The rows of {@code m}, concatenated. */
  public static double[] flatten(double[][] m) {
    int size = 0;
    for (double[] row : m) {
      size += row.length;
    }
    double[] out = new double[size];
    int at = 0;
    for (double[] row : m) {
      System.arraycopy(row, 0, out, at, row.length);
      at += row.length;
    }
    return out;
  }

  /** A deep copy of {@code m}. */
  public static double[][] copy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }
}
