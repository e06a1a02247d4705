package dev.gradgen.samples.kernels;

import static dev.gradgen.samples.kernels.Mats.rel;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.samples.constructs.Fd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Softmax cross-entropy {@code L = (1/n) Σ_i (logSumExp(Z_i) - Z_i[y_i])} against its closed form
 * {@code ∂L/∂Z = (softmax(Z) - onehot(y)) / n}, and through {@code Z = X Wᵀ + 1 bᵀ}: {@code dW =
 * dZᵀ X}, {@code db = dZᵀ 1}.
 */
class SoftmaxTest {
  private static final double TOL = 1e-10;

  /** (n, d, k): rows, features, classes; includes 1x1, 1xk and kx1 logits. */
  private static final int[][] SHAPES = {
    {1, 1, 1}, {1, 1, 5}, {5, 1, 1}, {1, 4, 1}, {6, 3, 1}, {1, 3, 4}, {4, 1, 3}, {8, 5, 3},
    {40, 12, 10}
  };

  /** (softmax(Z) - onehot(y)) / n, with a plain-loop, max-shifted softmax. */
  private static double[][] dLogits(double[][] z, int[] labels) {
    int n = z.length;
    double[][] d = new double[n][];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z[i]) {
        max = Math.max(max, v);
      }
      double total = 0;
      d[i] = new double[z[i].length];
      for (int j = 0; j < z[i].length; j++) {
        d[i][j] = Math.exp(z[i][j] - max);
        total += d[i][j];
      }
      for (int j = 0; j < z[i].length; j++) {
        d[i][j] = (d[i][j] / total - (j == labels[i] ? 1 : 0)) / n;
      }
    }
    return d;
  }

  private static double loss(double[][] z, int[] labels) {
    double total = 0;
    for (int i = 0; i < z.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z[i]) {
        max = Math.max(max, v);
      }
      double s = 0;
      for (double v : z[i]) {
        s += Math.exp(v - max);
      }
      total += max + Math.log(s) - z[i][labels[i]];
    }
    return total / z.length;
  }

  private static double[][] logits(double[][] w, double[] b, double[][] x) {
    double[][] z = Mats.mul(x, Mats.transpose(w));
    for (double[] row : z) {
      for (int j = 0; j < row.length; j++) {
        row[j] += b[j];
      }
    }
    return z;
  }

  /** rel() with an absolute floor, for losses that may be exactly or nearly 0 (one class). */
  private static void value(double expected, double actual, String what) {
    if (Math.abs(expected) < 1e-300) {
      assertTrue(Math.abs(actual) <= 1e-15, what + ": expected 0 but was " + actual);
    } else {
      rel(expected, actual, TOL, what);
    }
  }

  @Test
  void gradientWrtLogitsIsSoftmaxMinusOneHotOverN() {
    Random rnd = new Random(11);
    for (int[] s : SHAPES) {
      double[][] z = Mats.matrix(rnd, s[0], s[2]);
      int[] y = Mats.labels(rnd, s[0], s[2]);
      String at = " at n,k = " + s[0] + "," + s[2];
      var g = SoftmaxGrad.onLogits(z, y);
      value(loss(z, y), g.value(), "value" + at);
      double[][] want = dLogits(z, y);
      if (s[2] == 1) { // one class: softmax = onehot, the gradient is (numerically) zero
        for (double[] row : g.logits()) {
          assertTrue(Math.abs(row[0]) <= 1e-15, "one-class gradient " + row[0] + at);
        }
      } else {
        rel(want, g.logits(), TOL, "dZ" + at);
      }
    }
  }

  @Test
  void linearLayerThroughTheChain() {
    Random rnd = new Random(12);
    for (int[] s : SHAPES) {
      if (s[2] == 1) {
        continue; // zero gradient, covered above
      }
      double[][] x = Mats.matrix(rnd, s[0], s[1]);
      double[][] w = Mats.matrix(rnd, s[2], s[1]);
      double[] b = Mats.vector(rnd, s[2]);
      int[] y = Mats.labels(rnd, s[0], s[2]);
      String at = " at n,d,k = " + s[0] + "," + s[1] + "," + s[2];
      double[][] z = logits(w, b, x);
      double[][] dz = dLogits(z, y);
      var g = SoftmaxGrad.linear(w, b, x, y);
      rel(loss(z, y), g.value(), TOL, "value" + at);
      rel(Mats.mul(Mats.transpose(dz), x), g.w(), TOL, "dW" + at);
      rel(Mats.columnSums(dz), g.b(), TOL, "db" + at);

      var r = SoftmaxGrad.rowByRow(w, b, x, y);
      rel(loss(z, y), r.value(), 1e-9, "rowByRow value" + at);
      rel(g.w(), r.w(), 1e-9, "rowByRow dW" + at);
      rel(g.b(), r.b(), 1e-9, "rowByRow db" + at);

      var l = SoftmaxGrad.rowsLogSumExp(z, y);
      rel(loss(z, y), l.value(), TOL, "rowsLogSumExp value" + at);
      rel(dz, l.logits(), TOL, "rowsLogSumExp dZ" + at);
    }
  }

  @Test
  void finiteDifferences() {
    Random rnd = new Random(13);
    double[][] x = Mats.matrix(rnd, 5, 3);
    double[][] w = Mats.matrix(rnd, 4, 3);
    double[] b = Mats.vector(rnd, 4);
    int[] y = Mats.labels(rnd, 5, 4);
    var g = SoftmaxGrad.linear(w, b, x, y);
    Fd.check(a -> Softmax.linear((double[][]) a[0], (double[]) a[1], (double[][]) a[2],
        (int[]) a[3]), Fd.args(w, b, x, y), g.w(), g.b(), null, null);
    var r = SoftmaxGrad.rowByRow(w, b, x, y);
    Fd.check(a -> Softmax.rowByRow((double[][]) a[0], (double[]) a[1], (double[][]) a[2],
        (int[]) a[3]), Fd.args(w, b, x, y), r.w(), r.b(), null, null);
  }

  @Test
  void hugeLogitsGiveFiniteValueAndGradient() {
    double[][] z = {{1000, -1000, 0}, {-1000, 1000, 1000}, {1000, 1000, 1000}, {-1000, -1000, 5}};
    int[] y = {1, 0, 2, 2};
    var g = SoftmaxGrad.onLogits(z, y);
    assertTrue(Double.isFinite(g.value()), "value " + g.value());
    Mats.allFinite(g.logits(), "dZ");
    // Row losses: 2000, 2000 + log 2, log 3, ~0 (5 vs -1000: e^-1005 underflows).
    double want = (2000 + (2000 + Math.log(2)) + Math.log(3) + 0.0) / 4;
    // 1e-12, not 1e-14: the kernel forms e^(z - lse) with lse near 1000, whose ulp is 1.1e-13.
    rel(want, g.value(), 1e-12, "value");
    rel(dLogits(z, y), g.logits(), 1e-12, "dZ");

    // Through the chain: X Wᵀ + b with entries of size 1000.
    double[][] x = {{1, 0}, {0, 1}, {1, 1}};
    double[][] w = {{1000, -1000}, {-1000, 1000}, {0, 500}};
    double[] b = {0, 0, -1000};
    int[] labels = {1, 2, 0};
    var c = SoftmaxGrad.linear(w, b, x, labels);
    assertTrue(Double.isFinite(c.value()), "chain value " + c.value());
    Mats.allFinite(c.w(), "chain dW");
    Mats.allFinite(c.b(), "chain db");
    double[][] dz = dLogits(logits(w, b, x), labels);
    rel(loss(logits(w, b, x), labels), c.value(), 1e-12, "chain value");
    rel(Mats.mul(Mats.transpose(dz), x), c.w(), 1e-12, "chain dW");
    rel(Mats.columnSums(dz), c.b(), 1e-12, "chain db");
  }
}
