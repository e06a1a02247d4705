package dev.gradgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link GradCheck#jvp} (a tangent against the central difference along its direction) and
 * {@link GradCheck#jvpVjp} (forward against reverse mode by the dot-product test).
 */
class GradCheckJvpTest {
  /** Rosenbrock: sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2. */
  static double rosenbrock(double[] x) {
    double s = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      s += 100 * a * a + (1 - x[i]) * (1 - x[i]);
    }
    return s;
  }

  static double[] rosenbrockGradient(double[] x) {
    double[] g = new double[x.length];
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      g[i] += -400 * a * x[i] - 2 * (1 - x[i]);
      g[i + 1] += 200 * a;
    }
    return g;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static final double[] X = {-1.2, 1.0, 0.8, 2.5};
  private static final double[] U = {0.3, -1.0, 0.5, 2.0};

  @Test
  void aRightTangentPasses() {
    double[] x = X.clone();
    double[] u = U.clone();
    double tangent = dot(rosenbrockGradient(x), u);
    GradCheck.Report report = GradCheck.jvp(GradCheckJvpTest::rosenbrock, x, u, tangent);
    report.assertWithin(1e-7);
    assertEquals(1, report.size());
    GradCheck.Entry e = report.entries().get(0);
    assertEquals("tangent", e.label());
    assertEquals(tangent, e.analytic());
    assertEquals(tangent, e.numeric(), 1e-6 * Math.abs(tangent));
    assertArrayEquals(X, x, 0.0, "x is not modified");
    assertArrayEquals(U, u, 0.0, "u is not modified");
    assertTrue(report.toString().startsWith("JVP check of 1 entry (central difference along u, "
        + "step 1.000e-06)"), report.toString());
  }

  @Test
  void aWrongTangentFails() {
    double tangent = dot(rosenbrockGradient(X), U);
    GradCheck.Report report =
        GradCheck.jvp(GradCheckJvpTest::rosenbrock, X, U, tangent * (1 + 1e-3));
    assertEquals(1e-3, report.maxRelativeError(), 1e-6);
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-6));
    assertTrue(e.getMessage().startsWith("JVP check failed"), e.getMessage());
    // The gradient's entry 1 for u = e_0: a tangent along the wrong direction.
    double[] e0 = {1, 0, 0, 0};
    assertThrows(AssertionError.class, () -> GradCheck.jvp(GradCheckJvpTest::rosenbrock, X, e0,
        rosenbrockGradient(X)[1]).assertWithin(1e-3));
  }

  @Test
  void alongAUnitVectorTheStepIsTheGradientChecksStep() {
    GradCheck.Report gradient = GradCheck.check(GradCheckJvpTest::rosenbrock, X,
        rosenbrockGradient(X), 1e-4);
    for (int i = 0; i < X.length; i++) {
      double[] e = new double[X.length];
      e[i] = 1;
      double numeric = GradCheck.jvp(GradCheckJvpTest::rosenbrock, X, e, 0.0, 1e-4)
          .entries().get(0).numeric();
      assertEquals(gradient.entries().get(i).numeric(), numeric,
          1e-9 * Math.max(1, Math.abs(numeric)));
    }
  }

  @Test
  void theStepScalesWithTheDirection() {
    // A long direction must not take a step outside where f is smooth: f = sqrt(1 + x) near 0.
    double[] u = {1e6};
    double tangent = 0.5 * u[0];
    GradCheck.jvp(v -> Math.sqrt(1 + v[0]), new double[] {0.0}, u, tangent).assertWithin(1e-6);
    assertThrows(AssertionError.class,
        () -> GradCheck.jvp(v -> Math.sqrt(1 + v[0]), new double[] {0.0}, u, 0.5)
            .assertWithin(1e-6));
  }

  @Test
  void aZeroDirectionHasAZeroTangent() {
    double[] zero = new double[X.length];
    GradCheck.jvp(GradCheckJvpTest::rosenbrock, X, zero, 0.0).assertWithin(0.0);
    assertThrows(AssertionError.class,
        () -> GradCheck.jvp(GradCheckJvpTest::rosenbrock, X, zero, 1e-3).assertWithin(1e-6));
  }

  @Test
  void badDirectionsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvp(GradCheckJvpTest::rosenbrock, X, new double[3], 0.0));
    assertEquals("u has length 3 but x has length 4", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvp(GradCheckJvpTest::rosenbrock, X, new double[] {0, Double.NaN, 0, 0},
            0.0));
    assertEquals("u[1] is not finite: NaN", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvp(GradCheckJvpTest::rosenbrock, X, U, 0.0, -1.0));
  }

  @Test
  void throughALayout() {
    // f(w, b) = sum_j w_j^2 b + b^3, along (dw, db): 2 b <w, dw> + (|w|^2 + 3 b^2) db.
    double[] w = {0.5, -1.5};
    double b = 0.75;
    double[] dw = {1.0, 2.0};
    double db = -0.5;
    double tangent = 2 * b * dot(w, dw) + (dot(w, w) + 3 * b * b) * db;
    GradCheck.Layout layout = GradCheck.layout("w", w, "b", b);
    java.util.function.ToDoubleFunction<GradCheck.Args> f = a -> {
      double[] v = a.vector("w");
      double s = a.scalar("b");
      return dot(v, v) * s + s * s * s;
    };
    GradCheck.jvp(layout, f, tangent, dw, db).assertWithin(1e-8);
    GradCheck.jvp(layout, 1e-5, f, tangent, dw, db).assertWithin(1e-7);
    // The tangent of the other direction order is wrong.
    double swapped = 2 * b * dot(w, new double[] {2.0, 1.0}) + (dot(w, w) + 3 * b * b) * db;
    assertThrows(AssertionError.class,
        () -> GradCheck.jvp(layout, f, swapped, dw, db).assertWithin(1e-6));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvp(layout, f, tangent, new double[3], db));
    assertEquals("w: expected a double[2] but got a double[3]", e.getMessage());
  }

  // ---- JVP/VJP ----

  /** g(a, b, c) = (ab + c, sin(a) c^2), forward mode written by hand. */
  private static Function<double[], double[]> gJvp(double[] x) {
    return u -> new double[] {
      u[0] * x[1] + x[0] * u[1] + u[2],
      Math.cos(x[0]) * u[0] * x[2] * x[2] + Math.sin(x[0]) * 2 * x[2] * u[2]
    };
  }

  /** Reverse mode of g written by hand. */
  private static Function<double[], double[]> gVjp(double[] x) {
    return v -> new double[] {
      v[0] * x[1] + v[1] * Math.cos(x[0]) * x[2] * x[2],
      v[0] * x[0],
      v[0] + v[1] * 2 * Math.sin(x[0]) * x[2]
    };
  }

  private static final double[] ABC = {0.4, -1.3, 2.2};

  @Test
  void forwardAndReverseModeOfTheSameFunctionAgree() {
    GradCheck.Report report = GradCheck.jvpVjp(gJvp(ABC), gVjp(ABC), 3, 2);
    report.assertWithin(1e-14);
    assertEquals(GradCheck.DEFAULT_SAMPLES, report.size());
    assertEquals("pair[0]", report.entries().get(0).label());
    assertTrue(report.toString().startsWith("JVP/VJP check of 10 pairs (<J u, v> against "
        + "<u, J^T v>, seed 42)"), report.toString());
    assertTrue(report.toString().contains("<u, J^T v>"), report.toString());
    // Not vacuous: the inner products are of order 1.
    assertTrue(Math.abs(report.entries().get(0).analytic()) > 1e-2, report.toString());
  }

  @Test
  void aVjpMissingATermFails() {
    Function<double[], double[]> right = gVjp(ABC);
    Function<double[], double[]> wrong = v -> {
      double[] g = right.apply(v);
      g[2] -= v[0]; // forgot the adjoint of "+ c"
      return g;
    };
    GradCheck.Report report = GradCheck.jvpVjp(gJvp(ABC), wrong, 3, 2);
    assertTrue(report.maxRelativeError() > 1e-3, report.toString());
    GradCheck.Entry worst = report.worst(1).get(0);
    assertTrue(worst.label().startsWith("pair["), worst.label());
    assertEquals(report.maxRelativeError(), worst.error());
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-12));
    assertTrue(e.getMessage().startsWith("JVP/VJP check failed"), e.getMessage());
    assertTrue(e.getMessage().contains(worst.label()), e.getMessage());
  }

  @Test
  void aJacobianTimesVInsteadOfItsTransposeFails() {
    // f(x, y) = (x^2 + y, 2xy): J = (2x, 1; 2y, 2x); J v in place of J^T v.
    double x = 1.5;
    double y = -0.7;
    Function<double[], double[]> jvp = u -> new double[] {2 * x * u[0] + u[1],
        2 * y * u[0] + 2 * x * u[1]};
    Function<double[], double[]> vjp = v -> new double[] {2 * x * v[0] + 2 * y * v[1],
        v[0] + 2 * x * v[1]};
    GradCheck.jvpVjp(jvp, vjp, 2, 2).assertWithin(1e-14);
    assertThrows(AssertionError.class, () -> GradCheck.jvpVjp(jvp, jvp, 2, 2)
        .assertWithin(1e-3));
  }

  @Test
  void aLargeNonSquareLinearMapAndItsTranspose() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    int m = 30;
    int n = 50;
    double[][] a = new double[m][n];
    for (double[] row : a) {
      for (int j = 0; j < n; j++) {
        row[j] = 100 * r.nextGaussian();
      }
    }
    Function<double[], double[]> jvp = u -> {
      double[] out = new double[m];
      for (int i = 0; i < m; i++) {
        out[i] = dot(a[i], u);
      }
      return out;
    };
    Function<double[], double[]> vjp = v -> {
      double[] out = new double[n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          out[j] += a[i][j] * v[i];
        }
      }
      return out;
    };
    GradCheck.jvpVjp(jvp, vjp, n, m, 20, 123).assertWithin(1e-14);
    // One entry of A^T off by 1% of a typical entry is found though the scale is ~1e4.
    Function<double[], double[]> slightlyWrong = v -> {
      double[] out = vjp.apply(v);
      out[17] += 1.0 * v[3];
      return out;
    };
    GradCheck.Report report = GradCheck.jvpVjp(jvp, slightlyWrong, n, m, 20, 123);
    assertTrue(report.maxRelativeError() > 1e-7, report.toString());
    assertThrows(AssertionError.class, () -> report.assertWithin(1e-12));
  }

  @Test
  void theSeedDecidesThePairs() {
    GradCheck.Report a = GradCheck.jvpVjp(gJvp(ABC), gVjp(ABC), 3, 2, 5, 1);
    GradCheck.Report b = GradCheck.jvpVjp(gJvp(ABC), gVjp(ABC), 3, 2, 5, 1);
    GradCheck.Report c = GradCheck.jvpVjp(gJvp(ABC), gVjp(ABC), 3, 2, 5, 2);
    assertEquals(5, a.size());
    assertEquals(a.entries(), b.entries());
    assertNotEquals(a.entries().get(0).analytic(), c.entries().get(0).analytic());
    assertTrue(GradCheck.jvpVjp(gJvp(ABC), gVjp(ABC), 3, 2, 1, 1).toString()
        .startsWith("JVP/VJP check of 1 pair "));
  }

  @Test
  void theFunctionsGetCopiesTheyMayOverwrite() {
    Function<double[], double[]> right = gVjp(ABC);
    Function<double[], double[]> clobberingJvp = u -> {
      double[] r = gJvp(ABC).apply(u);
      java.util.Arrays.fill(u, 1e9);
      return r;
    };
    Function<double[], double[]> clobberingVjp = v -> {
      double[] r = right.apply(v);
      java.util.Arrays.fill(v, -1e9);
      return r;
    };
    GradCheck.jvpVjp(clobberingJvp, clobberingVjp, 3, 2).assertWithin(1e-14);
  }

  @Test
  void aNanFails() {
    GradCheck.Report report = GradCheck.jvpVjp(u -> new double[] {Double.NaN, 0}, gVjp(ABC), 3, 2);
    assertEquals(Double.POSITIVE_INFINITY, report.maxRelativeError());
    assertThrows(AssertionError.class, () -> report.assertWithin(1.0));
  }

  @Test
  void wrongLengthsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvpVjp(gJvp(ABC), gVjp(ABC), 3, 3));
    assertEquals("jvp returned 2 values for u of pair[0] but m = 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvpVjp(gJvp(ABC), v -> new double[1], 3, 2));
    assertEquals("vjp returned 1 value for v of pair[0] but n = 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvpVjp(gJvp(ABC), v -> null, 3, 2));
    assertEquals("vjp returned null for v of pair[0]", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvpVjp(gJvp(ABC), gVjp(ABC), -1, 2));
    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jvpVjp(gJvp(ABC), gVjp(ABC), 3, 2, 0, 1));
    assertEquals("samples must be positive: 0", e.getMessage());
  }
}
