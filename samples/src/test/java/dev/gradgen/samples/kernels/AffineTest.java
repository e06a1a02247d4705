package dev.gradgen.samples.kernels;

import static dev.gradgen.samples.kernels.Mats.rel;

import dev.gradgen.samples.constructs.Fd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The affine minibatch objective against its closed-form gradient, computed here with plain loops.
 *
 * <pre>
 *   X: n x d,  W: m x d,  b: m
 *   Y = X Wᵀ + 1 bᵀ                          (n x m)
 *   J = (1/n) Σ_ij Y_ij²                     (Ops.mean would divide by n·m, hence m · mean)
 *   dY = ∂J/∂Y = (2/n) Y
 *   dW = dYᵀ X                               (m x d)
 *   db = dYᵀ 1                               (column sums of dY, length m)
 *   dX = dY W                                (n x d)
 * </pre>
 */
class AffineTest {
  private static final double TOL = 1e-10;

  /** (n, d, m): includes 1x1, 1xk and kx1 inputs and a single output. */
  private static final int[][] SHAPES = {
    {1, 1, 1}, {1, 5, 1}, {5, 1, 1}, {1, 1, 4}, {1, 6, 3}, {7, 1, 2}, {4, 3, 1}, {3, 4, 5},
    {17, 9, 6}, {70, 33, 11}
  };

  /** Closed form, plain loops: {value, dW, db, dX}. */
  private static Object[] closedForm(double[][] w, double[] b, double[][] x) {
    int n = x.length;
    int m = w.length;
    int d = w[0].length;
    double[][] y = new double[n][m];
    double j = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < m; c++) {
        double s = b[c];
        for (int p = 0; p < d; p++) {
          s += x[i][p] * w[c][p];
        }
        y[i][c] = s;
        j += s * s;
      }
    }
    j /= n;
    double[][] dy = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < m; c++) {
        dy[i][c] = 2.0 / n * y[i][c];
      }
    }
    double[][] dw = Mats.mul(Mats.transpose(dy), x);
    double[] db = Mats.columnSums(dy);
    double[][] dx = Mats.mul(dy, w);
    return new Object[] {j, dw, db, dx};
  }

  @Test
  void sumFormMatchesClosedFormOnRandomShapes() {
    Random rnd = new Random(1);
    for (int[] s : SHAPES) {
      double[][] x = Mats.matrix(rnd, s[0], s[1]);
      double[][] w = Mats.matrix(rnd, s[2], s[1]);
      double[] b = Mats.vector(rnd, s[2]);
      Object[] want = closedForm(w, b, x);
      String at = " at n,d,m = " + s[0] + "," + s[1] + "," + s[2];
      var g = AffineGrad.sumForm(w, b, x);
      rel((Double) want[0], g.value(), TOL, "value" + at);
      rel((double[][]) want[1], g.w(), TOL, "dW" + at);
      rel((double[]) want[2], g.b(), TOL, "db" + at);
    }
  }

  @Test
  void meanFormMatchesClosedFormOnRandomShapes() {
    Random rnd = new Random(2);
    for (int[] s : SHAPES) {
      double[][] x = Mats.matrix(rnd, s[0], s[1]);
      double[][] w = Mats.matrix(rnd, s[2], s[1]);
      double[] b = Mats.vector(rnd, s[2]);
      Object[] want = closedForm(w, b, x);
      String at = " at n,d,m = " + s[0] + "," + s[1] + "," + s[2];
      var g = AffineGrad.meanForm(w, b, x);
      rel((Double) want[0], g.value(), TOL, "value" + at);
      rel((double[][]) want[1], g.w(), TOL, "dW" + at);
      rel((double[]) want[2], g.b(), TOL, "db" + at);
    }
  }

  @Test
  void withXGivesDxEqualToDyW() {
    Random rnd = new Random(3);
    for (int[] s : SHAPES) {
      double[][] x = Mats.matrix(rnd, s[0], s[1]);
      double[][] w = Mats.matrix(rnd, s[2], s[1]);
      double[] b = Mats.vector(rnd, s[2]);
      Object[] want = closedForm(w, b, x);
      String at = " at n,d,m = " + s[0] + "," + s[1] + "," + s[2];
      var g = AffineGrad.withX(w, b, x);
      rel((Double) want[0], g.value(), TOL, "value" + at);
      rel((double[][]) want[1], g.w(), TOL, "dW" + at);
      rel((double[]) want[2], g.b(), TOL, "db" + at);
      rel((double[][]) want[3], g.x(), TOL, "dX" + at);
    }
  }

  @Test
  void bufferFormOverwritesAndMatches() {
    Random rnd = new Random(4);
    double[][] x = Mats.matrix(rnd, 6, 4);
    double[][] w = Mats.matrix(rnd, 3, 4);
    double[] b = Mats.vector(rnd, 3);
    var buffer = new AffineGrad.WithXGradientBuffer(w, b, x);
    Object[] want = closedForm(w, b, x);
    for (int rep = 0; rep < 2; rep++) { // twice: the buffer form overwrites, never accumulates
      double v = AffineGrad.withX(w, b, x, buffer);
      rel((Double) want[0], v, TOL, "value");
      rel((double[][]) want[1], buffer.w, TOL, "dW");
      rel((double[]) want[2], buffer.b, TOL, "db");
      rel((double[][]) want[3], buffer.x, TOL, "dX");
    }
  }

  @Test
  void agreesWithFiniteDifferences() {
    Random rnd = new Random(5);
    double[][] x = Mats.matrix(rnd, 4, 3);
    double[][] w = Mats.matrix(rnd, 2, 3);
    double[] b = Mats.vector(rnd, 2);
    var g = AffineGrad.withX(w, b, x);
    Fd.check(a -> Affine.withX((double[][]) a[0], (double[]) a[1], (double[][]) a[2]),
        Fd.args(w, b, x), g.w(), g.b(), g.x());
  }
}
