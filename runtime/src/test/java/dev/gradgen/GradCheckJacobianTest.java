package dev.gradgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link GradCheck#jacobian}: right Jacobians pass, transposed or wrong ones fail, shapes. */
class GradCheckJacobianTest {
  /** f(x, y) = (x^2 + y, 2xy). */
  private static double[] f(double[] v) {
    return new double[] {v[0] * v[0] + v[1], 2 * v[0] * v[1]};
  }

  /** Its Jacobian, rows = outputs: (2x, 1; 2y, 2x). */
  private static double[][] jf(double[] v) {
    return new double[][] {{2 * v[0], 1}, {2 * v[1], 2 * v[0]}};
  }

  /** g(a, b, c) = (ab + c, sin(a) c^2): R^3 -> R^2. */
  private static double[] g(double[] v) {
    return new double[] {v[0] * v[1] + v[2], Math.sin(v[0]) * v[2] * v[2]};
  }

  private static double[][] jg(double[] v) {
    return new double[][] {
      {v[1], v[0], 1},
      {Math.cos(v[0]) * v[2] * v[2], 0, 2 * Math.sin(v[0]) * v[2]}
    };
  }

  private static final double[] XY = {1.5, -0.7};
  private static final double[] ABC = {0.4, -1.3, 2.2};

  @Test
  void passesTheRightJacobian() {
    double[] x = XY.clone();
    GradCheck.Report report = GradCheck.jacobian(GradCheckJacobianTest::f, x, jf(x));
    report.assertWithin(1e-8);
    assertEquals(4, report.size());
    assertArrayEquals(XY, x, 0.0, "x is not modified");
    GradCheck.Entry e = report.entries().get(2); // row 1, column 0: d(2xy)/dx = 2y
    assertEquals("J[1][0]", e.label());
    assertEquals(2 * XY[1], e.analytic());
    assertEquals(2 * XY[1], e.numeric(), 1e-8);
  }

  @Test
  void passesANonSquareJacobian() {
    GradCheck.Report report = GradCheck.jacobian(GradCheckJacobianTest::g, ABC, jg(ABC));
    report.assertWithin(1e-8);
    assertEquals(6, report.size());
    assertEquals("J[1][2]", report.entries().get(5).label());
  }

  @Test
  void catchesATransposedJacobian() {
    double[][] j = jf(XY);
    double[][] transposed = {{j[0][0], j[1][0]}, {j[0][1], j[1][1]}};
    GradCheck.Report report = GradCheck.jacobian(GradCheckJacobianTest::f, XY, transposed);
    // J[0][1] = 1 against 2y = -1.4: off by 2.4, relative to 1.4.
    assertEquals(2.4 / 1.4, report.maxRelativeError(), 1e-6);
    assertEquals(2, report.worst(2).stream().filter(e -> e.error() > 1).count());
    AssertionError e = assertThrows(AssertionError.class, () -> report.assertWithin(1e-6));
    assertTrue(e.getMessage().startsWith("Jacobian check failed: max error"), e.getMessage());
    assertTrue(e.getMessage().contains("J[0][1]") && e.getMessage().contains("J[1][0]"),
        e.getMessage());
  }

  @Test
  void catchesOneWrongEntryAndNamesIt() {
    double[][] j = jg(ABC);
    j[1][1] = 1e-3; // d(sin(a) c^2)/db is 0
    GradCheck.Report report = GradCheck.jacobian(GradCheckJacobianTest::g, ABC, j);
    GradCheck.Entry worst = report.worst(1).get(0);
    assertEquals("J[1][1]", worst.label());
    assertEquals(4, worst.index());
    assertEquals(1e-3, report.maxRelativeError(), 1e-8);
    assertTrue(report.worst(2).get(1).error() < 1e-8, report.toString());
    assertThrows(AssertionError.class, () -> report.assertWithin(1e-6));
    assertTrue(report.toString().startsWith("Jacobian check of 6 entries (central differences, "
        + "step 1.000e-06): max error 1.000e-03"), report.toString());
  }

  @Test
  void aNanEntryFails() {
    double[][] j = jf(XY);
    j[0][0] = Double.NaN;
    GradCheck.Report report = GradCheck.jacobian(GradCheckJacobianTest::f, XY, j);
    assertEquals(Double.POSITIVE_INFINITY, report.maxRelativeError());
    assertThrows(AssertionError.class, () -> report.assertWithin(1.0));
  }

  @Test
  void aFunctionThatReusesItsOutputArrayIsFine() {
    double[] out = new double[2];
    Function<double[], double[]> reusing = v -> {
      out[0] = v[0] * v[0] + v[1];
      out[1] = 2 * v[0] * v[1];
      return out;
    };
    GradCheck.jacobian(reusing, XY, jf(XY)).assertWithin(1e-8);
  }

  @Test
  void aStepCanBeGiven() {
    GradCheck.Report report = GradCheck.jacobian(GradCheckJacobianTest::g, ABC, jg(ABC), 1e-4);
    report.assertWithin(1e-6);
    assertTrue(report.toString().contains("step 1.000e-04"), report.toString());
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(GradCheckJacobianTest::g, ABC, jg(ABC), 0.0));
  }

  @Test
  void wrongShapesAreRejectedWithAClearMessage() {
    double[][] j = jg(ABC); // 2 x 3
    double[][] transposed = new double[3][2];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(GradCheckJacobianTest::g, ABC, transposed));
    assertEquals("jacobian has 3 rows but f returns 2 values (rows are outputs); is it "
        + "transposed?", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(GradCheckJacobianTest::g, ABC, new double[][] {j[0]}));
    assertEquals("jacobian has 1 row but f returns 2 values (rows are outputs)",
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(GradCheckJacobianTest::g, ABC, new double[][] {j[0], {1, 2}}));
    assertEquals("jacobian row 1 has length 2 but x has length 3 (columns are inputs)",
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(GradCheckJacobianTest::g, ABC, new double[][] {j[0], null}));
    assertEquals("jacobian row 1 is null", e.getMessage());

    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(GradCheckJacobianTest::g, ABC, null));
  }

  @Test
  void anOutputLengthThatChangesIsRejected() {
    // Two outputs at x, three once y moves up.
    Function<double[], double[]> unstable =
        v -> v[1] > XY[1] ? new double[3] : new double[2];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(unstable, XY, new double[2][2]));
    assertEquals("f returned 3 values at x + h e_1 but 2 at x; the number of outputs must not "
        + "change", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(v -> null, XY, new double[2][2]));
    assertEquals("f returned null at x", e.getMessage());
  }

  @Test
  void emptyOutputsAndInputs() {
    assertEquals(0, GradCheck.jacobian(v -> new double[0], XY, new double[0][]).size());
    assertEquals(0, GradCheck.jacobian(v -> new double[2], new double[0],
        new double[][] {{}, {}}).assertWithin(0.0).size());
  }

  /** h(w, b) = (w_0 b, w_1^2 + b, sum_ij m_ij w_j). */
  private static double[] h(GradCheck.Args a) {
    double[] w = a.vector("w");
    double b = a.scalar("b");
    double[][] m = a.matrix("m");
    double s = 0;
    for (double[] row : m) {
      for (int j = 0; j < row.length; j++) {
        s += row[j] * w[j];
      }
    }
    return new double[] {w[0] * b, w[1] * w[1] + b, s};
  }

  @Test
  void throughALayoutColumnsAreNamedByTheLayout() {
    double[] w = {0.5, -2.0};
    double b = 1.25;
    double[][] m = {{1.0, 2.0}, {3.0, -1.0}};
    GradCheck.Layout layout = GradCheck.layout("w", w, "b", b, "m", m);
    // Columns: w[0], w[1], b, m[0][0], m[0][1], m[1][0], m[1][1].
    double[][] j = {
      {b, 0, w[0], 0, 0, 0, 0},
      {0, 2 * w[1], 1, 0, 0, 0, 0},
      {m[0][0] + m[1][0], m[0][1] + m[1][1], 0, w[0], w[1], w[0], w[1]}
    };
    GradCheck.Report report = GradCheck.jacobian(layout, GradCheckJacobianTest::h, j);
    report.assertWithin(1e-8);
    assertEquals(21, report.size());
    assertEquals("J[0][b]", report.entries().get(2).label());
    assertEquals("J[2][m[1][0]]", report.entries().get(19).label());

    j[2][5] = -w[0]; // wrong sign on d h_2 / d m[1][0]
    GradCheck.Report wrong = GradCheck.jacobian(layout, 1e-5, GradCheckJacobianTest::h, j);
    assertEquals("J[2][m[1][0]]", wrong.worst(1).get(0).label());
    AssertionError e = assertThrows(AssertionError.class, () -> wrong.assertWithin(1e-6));
    assertTrue(e.getMessage().contains("J[2][m[1][0]]"), e.getMessage());

    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(layout, GradCheckJacobianTest::h, new double[3][6]));
    assertEquals("jacobian row 0 has length 6 but x has length 7 (columns are inputs)",
        shape.getMessage());

    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.jacobian(layout, a -> new double[a.scalar("b") < b ? 2 : 3],
            new double[3][7]));
    assertEquals("f returned 2 values at x - h e_2 (b) but 3 at x; the number of outputs must "
        + "not change", length.getMessage());
  }
}
