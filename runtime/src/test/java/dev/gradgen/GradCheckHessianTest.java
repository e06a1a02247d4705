package dev.gradgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link GradCheck#hessian} and {@link GradCheck#hvp}: symmetry, and agreement with central
 * differences of the gradient, each shown to pass and to fail.
 */
class GradCheckHessianTest {
  /** Symmetric: f(x) = x^T A x / 2 has gradient A x and Hessian A. */
  private static final double[][] A = {
    {4.0, 1.0, -2.0},
    {1.0, 3.0, 0.5},
    {-2.0, 0.5, 5.0}
  };

  /** Not symmetric: x -> B x is the gradient of nothing. */
  private static final double[][] B = {
    {4.0, 1.5, -2.0},
    {0.5, 3.0, 0.5},
    {-2.0, 0.5, 5.0}
  };

  private static final double[] X = {0.7, -1.1, 2.3};

  private static Function<double[], double[]> times(double[][] m) {
    return v -> {
      double[] out = new double[m.length];
      for (int i = 0; i < m.length; i++) {
        for (int j = 0; j < v.length; j++) {
          out[i] += m[i][j] * v[j];
        }
      }
      return out;
    };
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  /** The Rosenbrock Hessian in closed form. */
  private static double[][] rosenbrockHessian(double[] x) {
    int n = x.length;
    double[][] h = new double[n][n];
    for (int i = 0; i + 1 < n; i++) {
      h[i][i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
      h[i][i + 1] = -400 * x[i];
      h[i + 1][i] = -400 * x[i];
      h[i + 1][i + 1] += 200;
    }
    return h;
  }

  private static final double[] R = {-1.2, 1.0, 0.8, 2.5, -0.3};

  // ---- full Hessian ----

  @Test
  void theQuadraticFormsHessianIsA() {
    double[] x = X.clone();
    GradCheck.HessianReport report = GradCheck.hessian(times(A), x, copy(A));
    assertSame(report, report.assertWithin(1e-15, 1e-8));
    assertEquals(3, report.symmetry().size());
    assertEquals(9, report.differences().size());
    assertEquals(0.0, report.symmetry().maxRelativeError());
    assertArrayEquals(X, x, 0.0, "x is not modified");
    assertEquals("H[0][2]", report.symmetry().entries().get(1).label());
    assertEquals(2, report.symmetry().entries().get(1).index());
    assertEquals("H[2][1]", report.differences().entries().get(7).label());
    assertTrue(report.toString().startsWith("Hessian symmetry check of 3 entry pairs (H[i][j] "
        + "against H[j][i], i < j): max error 0.000e+00"), report.toString());
    assertTrue(report.toString().contains("Hessian check of 9 entries (central differences of "
        + "the gradient, step 1.000e-06)"), report.toString());
  }

  @Test
  void aNonSymmetricHessianFailsBothChecks() {
    double[][] h = copy(A);
    h[0][1] += 0.5;
    h[1][0] -= 0.5;
    GradCheck.HessianReport report = GradCheck.hessian(times(A), X, h);
    GradCheck.Entry worst = report.symmetry().worst(1).get(0);
    assertEquals("H[0][1]", worst.label());
    assertEquals(1.5, worst.analytic());
    assertEquals(0.5, worst.numeric());
    assertEquals(1.0 / 1.5, worst.error(), 1e-15);
    assertTrue(report.differences().maxRelativeError() > 0.1, report.toString());
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-6));
    assertTrue(e.getMessage().startsWith("Hessian symmetry check failed"), e.getMessage());
    assertTrue(e.getMessage().contains("Hessian check failed"), e.getMessage());
  }

  @Test
  void theJacobianOfANonGradientPassesTheDifferencesButNotSymmetry() {
    GradCheck.HessianReport report = GradCheck.hessian(times(B), X, copy(B));
    report.differences().assertWithin(1e-8);
    assertEquals(1.0 / 1.5, report.symmetry().maxRelativeError(), 1e-15);
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-12, 1e-6));
    assertTrue(e.getMessage().startsWith("Hessian symmetry check failed"), e.getMessage());
    assertTrue(!e.getMessage().contains("Hessian check failed"), e.getMessage());
  }

  @Test
  void rosenbrock() {
    GradCheck.HessianReport report = GradCheck.hessian(GradCheckJvpTest::rosenbrockGradient, R,
        rosenbrockHessian(R));
    report.assertWithin(0.0, 1e-6);
    assertEquals(10, report.symmetry().size());
    assertEquals(25, report.differences().size());

    double[][] wrong = rosenbrockHessian(R);
    wrong[3][3] -= 200; // forgot the 200 from the previous term
    GradCheck.HessianReport bad =
        GradCheck.hessian(GradCheckJvpTest::rosenbrockGradient, R, wrong, 1e-5);
    bad.symmetry().assertWithin(0.0);
    assertEquals("H[3][3]", bad.differences().worst(1).get(0).label());
    AssertionError e = assertThrows(AssertionError.class, () -> bad.assertWithin(1e-6));
    assertTrue(e.getMessage().startsWith("Hessian check failed"), e.getMessage());
    assertTrue(e.getMessage().contains("step 1.000e-05"), e.getMessage());
  }

  @Test
  void throughALayoutRowsAndColumnsAreNamedByTheLayout() {
    // f(w, b) = b |w|^2 + b^3: gradient (2 b w, |w|^2 + 3 b^2).
    double[] w = {0.5, -1.5};
    double b = 0.75;
    GradCheck.Layout layout = GradCheck.layout("w", w, "b", b);
    Function<GradCheck.Args, double[]> gradient = a -> {
      double[] v = a.vector("w");
      double s = a.scalar("b");
      double[] dw = {2 * s * v[0], 2 * s * v[1]};
      return layout.flatten(dw, v[0] * v[0] + v[1] * v[1] + 3 * s * s);
    };
    double[][] h = {
      {2 * b, 0, 2 * w[0]},
      {0, 2 * b, 2 * w[1]},
      {2 * w[0], 2 * w[1], 6 * b}
    };
    GradCheck.HessianReport report = GradCheck.hessian(layout, gradient, h);
    report.assertWithin(0.0, 1e-8);
    assertEquals("H[w[0]][b]", report.symmetry().entries().get(1).label());
    assertEquals("H[b][w[1]]", report.differences().entries().get(7).label());

    h[2][2] = 3 * b;
    GradCheck.HessianReport wrong = GradCheck.hessian(layout, 1e-5, gradient, h);
    assertEquals("H[b][b]", wrong.differences().worst(1).get(0).label());
    assertThrows(AssertionError.class, () -> wrong.assertWithin(1e-6));
  }

  @Test
  void wrongShapesAndLengthsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.hessian(times(A), X, new double[2][3]));
    assertEquals("hessian has 2 rows but x has length 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.hessian(times(A), X, new double[][] {A[0], A[1], {1, 2}}));
    assertEquals("hessian row 2 has length 2 but x has length 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.hessian(times(A), X, new double[][] {A[0], null, A[2]}));
    assertEquals("hessian row 1 is null", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.hessian(v -> new double[2], X, copy(A)));
    assertEquals("gradient returned 2 values at x + h e_0 but x has length 3", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.hessian(times(A), X, copy(A), Double.NaN));
  }

  @Test
  void oneVariable() {
    // f = x^4 / 4: gradient x^3, Hessian 3 x^2; no symmetric pairs to compare.
    GradCheck.HessianReport report =
        GradCheck.hessian(v -> new double[] {v[0] * v[0] * v[0]}, new double[] {1.5},
            new double[][] {{6.75}});
    report.assertWithin(1e-8);
    assertEquals(0, report.symmetry().size());
    assertThrows(AssertionError.class, () -> GradCheck.hessian(
        v -> new double[] {v[0] * v[0] * v[0]}, new double[] {1.5}, new double[][] {{4.5}})
        .assertWithin(1e-6));
  }

  // ---- Hessian-vector products ----

  /** H u for Rosenbrock, by the closed form. */
  private static Function<double[], double[]> rosenbrockHvp(double[] x) {
    return times(rosenbrockHessian(x));
  }

  @Test
  void theQuadraticFormsHvp() {
    double[] x = X.clone();
    GradCheck.HessianReport report = GradCheck.hvp(times(A), x, times(A));
    report.assertWithin(1e-14, 1e-8);
    assertEquals(GradCheck.DEFAULT_SAMPLES, report.symmetry().size());
    assertEquals(GradCheck.DEFAULT_SAMPLES * 3, report.differences().size());
    assertEquals("pair[3]", report.symmetry().entries().get(3).label());
    assertEquals("(H u_1)[2]", report.differences().entries().get(5).label());
    assertArrayEquals(X, x, 0.0, "x is not modified");
    assertTrue(report.toString().startsWith("HVP symmetry check of 10 pairs (<H u, w> against "
        + "<u, H w>, seed 42)"), report.toString());
    assertTrue(report.toString().contains("HVP check of 30 entries (H u against central "
        + "differences of the gradient along u, 10 random u, seed 42, step 1.000e-06)"),
        report.toString());
  }

  @Test
  void aWrongHvpFailsBothChecks() {
    GradCheck.HessianReport report = GradCheck.hvp(times(A), X, times(B));
    assertTrue(report.symmetry().maxRelativeError() > 1e-3, report.toString());
    assertTrue(report.differences().maxRelativeError() > 1e-3, report.toString());
    assertThrows(AssertionError.class, () -> report.assertWithin(1e-6));
  }

  @Test
  void theHvpOfANonGradientPassesTheDifferencesButNotSymmetry() {
    GradCheck.HessianReport report = GradCheck.hvp(times(B), X, times(B));
    report.differences().assertWithin(1e-8);
    assertTrue(report.symmetry().maxRelativeError() > 1e-3, report.toString());
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-12, 1e-6));
    assertTrue(e.getMessage().startsWith("HVP symmetry check failed"), e.getMessage());
    assertTrue(e.getMessage().contains(report.symmetry().worst(1).get(0).label()),
        e.getMessage());
  }

  @Test
  void rosenbrockHvp() {
    GradCheck.hvp(GradCheckJvpTest::rosenbrockGradient, R, rosenbrockHvp(R))
        .assertWithin(1e-12, 1e-6);
    double[][] wrong = rosenbrockHessian(R);
    wrong[1][1] -= 200;
    GradCheck.HessianReport report = GradCheck.hvp(GradCheckJvpTest::rosenbrockGradient, R,
        times(wrong), 1e-5, 4, 9);
    report.symmetry().assertWithin(1e-12); // still symmetric, but not the Hessian
    assertEquals(4, report.symmetry().size());
    assertTrue(report.differences().worst(1).get(0).label().endsWith(")[1]"), report.toString());
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-12, 1e-6));
    assertTrue(e.getMessage().startsWith("HVP check failed"), e.getMessage());
  }

  @Test
  void hvpLengthsAreChecked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.hvp(times(A), X, u -> new double[2]));
    assertEquals("hvp returned 2 values for u_0 but x has length 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.hvp(v -> new double[4], X, times(A)));
    assertEquals("gradient returned 4 values at x + h u_0 but x has length 3", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.hvp(times(A), X, times(A), 1e-6, 0, 1));
  }
}
