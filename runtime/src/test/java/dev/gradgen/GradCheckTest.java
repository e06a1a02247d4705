package dev.gradgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link GradCheck} passes right gradients, catches wrong ones and says which entries. */
class GradCheckTest {
  /** f(x) = sum_i sin(x_i) * x_{i+1} + x_0^3, gradient written by hand. */
  private static double f(double[] x) {
    double s = x[0] * x[0] * x[0];
    for (int i = 0; i + 1 < x.length; i++) {
      s += Math.sin(x[i]) * x[i + 1];
    }
    return s;
  }

  private static double[] gradF(double[] x) {
    double[] g = new double[x.length];
    g[0] = 3 * x[0] * x[0];
    for (int i = 0; i + 1 < x.length; i++) {
      g[i] += Math.cos(x[i]) * x[i + 1];
      g[i + 1] += Math.sin(x[i]);
    }
    return g;
  }

  private static final double[] X = {0.3, -1.2, 2.5, 0.7, -0.4};

  @Test
  void passesTheRightGradient() {
    double[] x = X.clone();
    GradCheck.Report report = GradCheck.check(GradCheckTest::f, x, gradF(x));
    assertSame(report, report.assertWithin(1e-8));
    assertTrue(report.maxRelativeError() < 1e-8, report.toString());
    assertEquals(5, report.size());
    assertArrayEquals(X, x, 0.0, "x is not modified");
  }

  @Test
  void catchesAWrongEntryAndNamesIt() {
    double[] wrong = gradF(X);
    wrong[3] += 1e-3; // the deliberate mistake
    GradCheck.Report report = GradCheck.check(GradCheckTest::f, X, wrong);
    GradCheck.Entry worst = report.worst(1).get(0);
    assertEquals(3, worst.index());
    assertEquals("[3]", worst.label());
    assertEquals(1e-3, report.maxRelativeError(), 1e-8);
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-6));
    assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    assertTrue(e.getMessage().contains("max error 1.000e-03"), e.getMessage());
  }

  @Test
  void catchesASignError() {
    double[] wrong = gradF(X);
    wrong[0] = -wrong[0];
    assertThrows(AssertionError.class, () -> GradCheck.check(GradCheckTest::f, X, wrong)
        .assertWithin(1e-3));
  }

  @Test
  void nanCountsAsInfiniteError() {
    double[] wrong = gradF(X);
    wrong[2] = Double.NaN;
    GradCheck.Report report = GradCheck.check(GradCheckTest::f, X, wrong);
    assertEquals(Double.POSITIVE_INFINITY, report.maxRelativeError());
    assertEquals(2, report.worst(1).get(0).index());
    assertThrows(AssertionError.class, () -> report.assertWithin(1.0));
  }

  @Test
  void worstIsSortedAndTheTableShowsTheWorstFirst() {
    double[] wrong = gradF(X);
    wrong[1] += 1e-2;
    wrong[4] += 1e-4;
    GradCheck.Report report = GradCheck.check(GradCheckTest::f, X, wrong);
    List<GradCheck.Entry> worst = report.worst(2);
    assertEquals(1, worst.get(0).index());
    assertEquals(4, worst.get(1).index());
    assertEquals(5, report.worst(99).size());
    assertEquals(0, report.worst(0).size());
    String table = report.toString();
    assertTrue(table.indexOf("[1]") < table.indexOf("[4]"), table);
    assertTrue(table.startsWith("gradient check of 5 entries"), table);
  }

  /** g(a, v, m) = a * sum(v) + sum_ij m_ij^2 * v_j, with a ragged-free 2x3 m. */
  private static double g(double a, double[] v, double[][] m) {
    double s = 0.0;
    for (double vj : v) {
      s += a * vj;
    }
    for (double[] row : m) {
      for (int j = 0; j < row.length; j++) {
        s += row[j] * row[j] * v[j];
      }
    }
    return s;
  }

  @Test
  void mixedArgumentsThroughALayout() {
    double a = 1.5;
    double[] v = {0.5, -2.0, 3.0};
    double[][] m = {{1.0, 2.0, -1.0}, {0.25, -0.5, 4.0}};
    double da = v[0] + v[1] + v[2];
    double[] dv = new double[3];
    double[][] dm = new double[2][3];
    for (int j = 0; j < 3; j++) {
      dv[j] = a;
      for (int i = 0; i < 2; i++) {
        dv[j] += m[i][j] * m[i][j];
        dm[i][j] = 2 * m[i][j] * v[j];
      }
    }
    GradCheck.Layout layout = GradCheck.layout("a", a, "v", v, "m", m);
    assertEquals(10, layout.size());
    assertEquals("a", layout.label(0));
    assertEquals("v[2]", layout.label(3));
    assertEquals("m[0][0]", layout.label(4));
    assertEquals("m[1][2]", layout.label(9));

    GradCheck.check(layout, x -> g(x.scalar(0), x.vector("v"), x.matrix(2)), da, dv, dm)
        .assertWithin(1e-8);

    dm[1][0] += 0.1;
    GradCheck.Report report =
        GradCheck.check(layout, x -> g(x.scalar("a"), x.vector(1), x.matrix("m")), da, dv, dm);
    assertEquals("m[1][0]", report.worst(1).get(0).label());
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-6));
    assertTrue(e.getMessage().contains("m[1][0]"), e.getMessage());
  }

  @Test
  void flattenAndUnflattenRoundTrip() {
    double[][] m = {{1, 2}, {3}};
    GradCheck.Layout layout = GradCheck.layout("s", 7.0, "m", m, "v", new double[] {8, 9});
    double[] flat = layout.values();
    assertArrayEquals(new double[] {7, 1, 2, 3, 8, 9}, flat);
    GradCheck.Args args = layout.unflatten(flat);
    assertEquals(7.0, args.scalar(0));
    assertArrayEquals(new double[] {1, 2}, args.matrix(1)[0]);
    assertArrayEquals(new double[] {3}, args.matrix(1)[1]);
    assertArrayEquals(new double[] {8, 9}, args.vector(2));
    assertArrayEquals(flat, layout.flatten(7.0, args.matrix(1), args.vector(2)));
    m[0][0] = 100; // the layout copied its values
    assertEquals(1.0, layout.values()[1]);
  }

  @Test
  void shapeMismatchesAreRejected() {
    GradCheck.Layout layout = GradCheck.layout("w", new double[3], "b", 0.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> layout.flatten(new double[2], 0.0));
    assertTrue(e.getMessage().contains("w"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> layout.flatten(new double[3]));
    assertThrows(IllegalArgumentException.class,
        () -> layout.flatten(new double[3], new double[1]));
    assertThrows(IllegalArgumentException.class, () -> GradCheck.layout("x", 1));
    assertThrows(IllegalArgumentException.class, () -> GradCheck.layout("x"));
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.check(x -> 0.0, new double[2], new double[3]));
  }

  @Test
  void aRankThreeArgumentIsLaidOutPlaneByPlane() {
    // h(t, c) = c * sum t_pij^3: dh/dt_pij = 3 c t_pij^2, dh/dc = sum t_pij^3.
    double[][][] t = {{{1.0, -0.5}, {2.0, 0.25}}, {{-1.5, 0.75}}};
    double c = 0.8;
    double dc = 0;
    double[][][] dt = {{new double[2], new double[2]}, {new double[2]}};
    for (int p = 0; p < t.length; p++) {
      for (int i = 0; i < t[p].length; i++) {
        for (int j = 0; j < t[p][i].length; j++) {
          dc += Math.pow(t[p][i][j], 3);
          dt[p][i][j] = 3 * c * t[p][i][j] * t[p][i][j];
        }
      }
    }
    GradCheck.Layout layout = GradCheck.layout("t", t, "c", c);
    assertEquals(7, layout.size());
    assertEquals("t[0][1][0]", layout.label(2));
    assertEquals("t[1][0][1]", layout.label(5));
    assertEquals("c", layout.label(6));
    java.util.function.ToDoubleFunction<GradCheck.Args> h = x -> {
      double s = 0;
      for (double[][] plane : x.tensor("t")) {
        for (double[] row : plane) {
          for (double v : row) {
            s += v * v * v;
          }
        }
      }
      return x.scalar(1) * s;
    };
    double dcTotal = dc;
    GradCheck.check(layout, h, dt, dcTotal).assertWithin(1e-8);
    dt[1][0][0] += 0.1;
    assertEquals("t[1][0][0]", GradCheck.check(layout, h, dt, dcTotal).worst(1).get(0).label());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> layout.flatten(new double[][][] {{new double[2], new double[1]}, {new double[2]}},
            dcTotal));
    assertEquals("t[0][1]: expected a double[2] but got a double[1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> layout.flatten(new double[][] {new double[2]}, dcTotal));
    assertEquals("t: expected a double[2][][] but got a double[1][]", e.getMessage());
  }
}
