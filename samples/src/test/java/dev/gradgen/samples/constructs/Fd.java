package dev.gradgen.samples.constructs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.ToDoubleFunction;

/**
 * Central finite differences and tolerant comparisons for the construct and kernel tests.
 *
 * <p>Arguments are passed as an {@code Object[]}: a {@code Double}, {@code double[]} or {@code
 * double[][]} entry is differentiated when the matching expected-gradient slot is non-null; every
 * other entry (ints, booleans, int[], {@code @NoGrad} values) is passed through unchanged. Each
 * evaluation gets a deep copy of the arguments, so a function that modified its arguments could
 * not corrupt the differences.
 */
public final class Fd {
  /** Relative step: h = STEP * max(1, |x|). */
  public static final double STEP = 1e-6;
  /** Tolerance: |a - b| <= TOL * (1 + max(|a|, |b|)). */
  public static final double TOL = 1e-6;

  private Fd() {}

  public static Object[] args(Object... a) {
    return a;
  }

  /** d f / d x by a central difference at x. */
  public static double derivative(java.util.function.DoubleUnaryOperator f, double x) {
    double h = STEP * Math.max(1.0, Math.abs(x));
    return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2.0 * h);
  }

  /**
   * Checks {@code generated[k]} (a Double, double[] or double[][], or null to skip) against the
   * central-difference gradient of {@code f} with respect to {@code args[k]}.
   */
  public static void check(ToDoubleFunction<Object[]> f, Object[] args, Object... generated) {
    if (generated.length != args.length) {
      throw new IllegalArgumentException("one gradient slot per argument (null to skip)");
    }
    for (int k = 0; k < args.length; k++) {
      Object g = generated[k];
      if (g == null) {
        continue;
      }
      Object a = args[k];
      if (a instanceof Double x) {
        double numeric = centralScalar(f, args, k, x);
        close(numeric, (Double) g, "argument " + k);
      } else if (a instanceof double[] v) {
        double[] gv = (double[]) g;
        assertEquals(v.length, gv.length, "gradient length of argument " + k);
        for (int i = 0; i < v.length; i++) {
          double numeric = centralVector(f, args, k, i, -1);
          close(numeric, gv[i], "argument " + k + "[" + i + "]");
        }
      } else if (a instanceof double[][] m) {
        double[][] gm = (double[][]) g;
        assertEquals(m.length, gm.length, "gradient rows of argument " + k);
        for (int i = 0; i < m.length; i++) {
          assertEquals(m[i].length, gm[i].length, "gradient row length of argument " + k);
          for (int j = 0; j < m[i].length; j++) {
            double numeric = centralVector(f, args, k, i, j);
            close(numeric, gm[i][j], "argument " + k + "[" + i + "][" + j + "]");
          }
        }
      } else {
        throw new IllegalArgumentException("argument " + k + " is not differentiable: " + a);
      }
    }
  }

  private static double centralScalar(ToDoubleFunction<Object[]> f, Object[] args, int k, double x) {
    double h = STEP * Math.max(1.0, Math.abs(x));
    Object[] plus = deepCopy(args);
    plus[k] = x + h;
    Object[] minus = deepCopy(args);
    minus[k] = x - h;
    return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2.0 * h);
  }

  /** j < 0: entry i of a vector; otherwise entry (i, j) of a matrix. */
  private static double centralVector(ToDoubleFunction<Object[]> f, Object[] args, int k, int i,
      int j) {
    Object[] plus = deepCopy(args);
    Object[] minus = deepCopy(args);
    double x = j < 0 ? ((double[]) args[k])[i] : ((double[][]) args[k])[i][j];
    double h = STEP * Math.max(1.0, Math.abs(x));
    if (j < 0) {
      ((double[]) plus[k])[i] = x + h;
      ((double[]) minus[k])[i] = x - h;
    } else {
      ((double[][]) plus[k])[i][j] = x + h;
      ((double[][]) minus[k])[i][j] = x - h;
    }
    return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2.0 * h);
  }

  public static Object[] deepCopy(Object[] args) {
    Object[] c = args.clone();
    for (int k = 0; k < c.length; k++) {
      c[k] = copy(c[k]);
    }
    return c;
  }

  public static Object copy(Object a) {
    if (a instanceof double[] v) {
      return v.clone();
    }
    if (a instanceof int[] v) {
      return v.clone();
    }
    if (a instanceof double[][] m) {
      double[][] c = m.clone();
      for (int i = 0; i < c.length; i++) {
        c[i] = c[i].clone();
      }
      return c;
    }
    return a;
  }

  public static void close(double expected, double actual, String what) {
    if (!(Math.abs(expected - actual) <= TOL * (1.0 + Math.max(Math.abs(expected),
        Math.abs(actual))))) {
      fail(what + ": expected " + expected + " but was " + actual + " (difference "
          + (actual - expected) + ")");
    }
  }

  public static void close(double expected, double actual) {
    close(expected, actual, "value");
  }

  public static void close(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      close(expected[i], actual[i], what + "[" + i + "]");
    }
  }

  public static void close(double[][] expected, double[][] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    for (int i = 0; i < expected.length; i++) {
      close(expected[i], actual[i], what + "[" + i + "]");
    }
  }
}
