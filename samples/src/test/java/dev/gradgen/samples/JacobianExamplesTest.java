package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The {@link JacobianExamples}, worked by hand here and compared with the generated code. */
class JacobianExamplesTest {
  private static final double TOL = 1e-12;
  private static final double E = Math.E;

  /**
   * {@code J_f = (2x, 1; 2y, 2x) = (2, 1; 4, 2)} at (1, 2), where {@code (u, v) = (3, 4)}, and
   * {@code J_g = (1, 1; 2u, 0; 0, cos v) = (1, 1; 6, 0; 0, cos 4)}: the product is
   * {@code (6, 3; 12, 6; 4 cos 4, 2 cos 4)}.
   */
  @Test
  void compositionAtOneTwo() {
    JacobianExamplesGrad.GfJacobian j = JacobianExamplesGrad.gf(1, 2);
    double[][] rows = JacobianExamples.rows(j.x(), j.y());
    assertArrayEquals(new double[] {6, 3}, rows[0], TOL);
    assertArrayEquals(new double[] {12, 6}, rows[1], TOL);
    assertArrayEquals(new double[] {4 * Math.cos(4), 2 * Math.cos(4)}, rows[2], TOL);
    // The pieces: J_f at (1, 2) and J_g at f(1, 2) = (3, 4).
    JacobianExamplesGrad.FJacobian jf = JacobianExamplesGrad.f(1, 2);
    assertArrayEquals(new double[] {2, 4}, jf.x(), TOL);
    assertArrayEquals(new double[] {1, 2}, jf.y(), TOL);
    double[][] jg = JacobianExamplesGrad.g(new double[] {3, 4}).uv();
    assertArrayEquals(new double[] {1, 1}, jg[0], TOL);
    assertArrayEquals(new double[] {6, 0}, jg[1], TOL);
    assertArrayEquals(new double[] {0, Math.cos(4)}, jg[2], TOL);
  }

  /**
   * At (1, 1): {@code u = e + 1, v = 1}; {@code J_f = (e, 1; 2xy, x^2) = (e, 1; 2, 1)},
   * {@code J_g = (v, u; 1, 2v) = (1, e + 1; 1, 2)}, so {@code J = (e + 2(e + 1), 1 + e + 1;
   * e + 4, 3) = (3e + 2, e + 2; e + 4, 3)}.
   */
  @Test
  void compositionAtOneOne() {
    JacobianExamplesGrad.ComposedJacobian j = JacobianExamplesGrad.composed(1, 1);
    double[][] rows = JacobianExamples.rows(j.x(), j.y());
    assertArrayEquals(new double[] {3 * E + 2, E + 2}, rows[0], TOL);
    assertArrayEquals(new double[] {E + 4, 3}, rows[1], TOL);
  }

  /** {@code f = 1 - x + x^2}, {@code f' = 2x - 1}: (1, -1), (1, 1), (3, 3) at 0, 1, 2. */
  @Test
  void taylorTable() {
    double[][] expected = {{1, -1}, {1, 1}, {3, 3}};
    for (int c = 0; c <= 2; c++) {
      JacobianExamplesGrad.PolyJvp t = JacobianExamplesGrad.polyJvp(c, 1.0);
      assertEquals(expected[c][0], t.value(), TOL);
      assertEquals(expected[c][1], t.tangent(), TOL);
    }
  }

  /** {@code d(Wx + b)/dx = W}, {@code d/db = I}, {@code d y_i / d W_kj = [i = k] x_j}. */
  @Test
  void affineMap() {
    double[][] w = {{1, 2, 3}, {4, 5, 6}};
    double[] x = {1, -1, 2};
    JacobianExamplesGrad.AffineJacobian j = JacobianExamplesGrad.affine(w, new double[] {0.5,
        -0.5}, x);
    assertArrayEquals(new double[] {0.5 + 1 - 2 + 6, -0.5 + 4 - 5 + 12}, j.value(), TOL);
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(w[i], j.x()[i], TOL);
      assertArrayEquals(i == 0 ? new double[] {1, 0} : new double[] {0, 1}, j.b()[i], TOL);
      for (int k = 0; k < 2; k++) {
        assertArrayEquals(i == k ? x : new double[3], j.w()[i][k], TOL);
      }
    }
  }

  /** {@code d s_i / d z_j = s_i (d_ij - s_j)}, and each row sums to 0 (the s sum to 1). */
  @Test
  void softmax() {
    double[] z = {1, 2, 0.5};
    JacobianExamplesGrad.SoftmaxJacobian j = JacobianExamplesGrad.softmax(z);
    double[] s = j.value();
    for (int i = 0; i < 3; i++) {
      double row = 0;
      for (int k = 0; k < 3; k++) {
        assertEquals(s[i] * ((i == k ? 1 : 0) - s[k]), j.z()[i][k], 1e-15);
        row += j.z()[i][k];
      }
      assertEquals(0.0, row, 1e-15);
    }
  }

  @Test
  void theSubcommandRuns() {
    assertEquals(0, JacobianExamples.run(new String[0]));
  }
}
