package dev.gradgen.samples.kernels;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mixed kernel code against central finite differences (and its own primal for the value). */
class MixedTest {
  private final Random rnd = new Random(31);

  private double[] vec(int n) {
    return Mats.vector(rnd, n);
  }

  private double[][] mat(int r, int c) {
    return Mats.matrix(rnd, r, c);
  }

  @Test
  void softmaxPick() {
    for (int n : new int[] {1, 2, 5}) {
      double[] s = vec(n);
      for (int label = 0; label < n; label++) {
        var g = MixedGrad.softmaxPick(s, label);
        close(Mixed.softmaxPick(s, label), g.value());
        final int l = label;
        check(a -> Mixed.softmaxPick((double[]) a[0], l), args(s), g.s());
      }
    }
  }

  @Test
  void logSumExp() {
    double[] a = vec(4);
    double[] b = vec(4);
    var g = MixedGrad.logSumExp(a, b);
    close(Mixed.logSumExp(a, b), g.value());
    check(x -> Mixed.logSumExp((double[]) x[0], (double[]) x[1]), args(a, b), g.a(), g.b());
  }

  @Test
  void sigmoid() {
    double[] a = vec(5);
    double[] b = vec(5);
    var g = MixedGrad.sigmoid(a, b);
    close(Mixed.sigmoid(a, b), g.value());
    check(x -> Mixed.sigmoid((double[]) x[0], (double[]) x[1]), args(a, b), g.a(), g.b());
    double[][] m = mat(3, 4);
    var h = MixedGrad.sigmoidMatrix(m);
    check(x -> Mixed.sigmoidMatrix((double[][]) x[0]), args((Object) m), (Object) h.m());
  }

  @Test
  void reluAwayFromZero() {
    double[] a = Mats.awayFromZero(rnd, 6, 0.1, 2);
    double[] b = vec(6);
    var g = MixedGrad.relu(a, b);
    close(Mixed.relu(a, b), g.value());
    check(x -> Mixed.relu((double[]) x[0], (double[]) x[1]), args(a, b), g.a(), g.b());
    double[][] m = {Mats.awayFromZero(rnd, 3, 0.1, 2), Mats.awayFromZero(rnd, 3, 0.1, 2)};
    double[][] n = mat(2, 3);
    var h = MixedGrad.reluMatrix(m, n);
    check(x -> Mixed.reluMatrix((double[][]) x[0], (double[][]) x[1]), args(m, n), h.m(), h.n());
  }

  @Test
  void dot() {
    double[] a = vec(7);
    double[] b = vec(7);
    var g = MixedGrad.dot(a, b);
    close(Mixed.dot(a, b), g.value());
    check(x -> Mixed.dot((double[]) x[0], (double[]) x[1]), args(a, b), g.a(), g.b());
  }

  @Test
  void outer() {
    for (int[] s : new int[][] {{1, 1}, {1, 4}, {3, 1}, {3, 4}}) {
      double[] a = vec(s[0]);
      double[] b = vec(s[1]);
      double[][] m = mat(s[0], s[1]);
      var g = MixedGrad.outer(a, b, m);
      close(Mixed.outer(a, b, m), g.value());
      check(x -> Mixed.outer((double[]) x[0], (double[]) x[1], (double[][]) x[2]), args(a, b, m),
          g.a(), g.b(), g.m());
    }
  }

  @Test
  void matvec() {
    double[][] m = mat(4, 4);
    double[] v = vec(4);
    double[] u = vec(4);
    var g = MixedGrad.matvec(m, v, u);
    close(Mixed.matvec(m, v, u), g.value());
    check(x -> Mixed.matvec((double[][]) x[0], (double[]) x[1], (double[]) x[2]), args(m, v, u),
        g.m(), g.v(), g.u());
  }

  @Test
  void scaleWithActiveFactor() {
    double t = 0.7;
    double[] a = vec(5);
    double[][] m = mat(2, 3);
    var g = MixedGrad.scale(t, a, m);
    close(Mixed.scale(t, a, m), g.value());
    check(x -> Mixed.scale((Double) x[0], (double[]) x[1], (double[][]) x[2]), args(t, a, m),
        g.t(), g.a(), g.m());
  }

  @Test
  void residualSteps() {
    double[][] w = mat(4, 4);
    double[] h0 = vec(4);
    double[] h0Copy = h0.clone();
    var g = MixedGrad.residual(w, h0);
    close(Mixed.residual(w, h0), g.value());
    check(x -> Mixed.residual((double[][]) x[0], (double[]) x[1]), args(w, h0), g.w(), g.h0());
    org.junit.jupiter.api.Assertions.assertArrayEquals(h0Copy, h0, "h0 unchanged");
  }

  @Test
  void residualWhile() {
    double[][] w = mat(3, 3);
    double[] h0 = vec(3);
    for (double t : new double[] {0.3, 1e-9}) { // 1e-9: stops after the first step
      var g = MixedGrad.residualWhile(w, h0, t);
      close(Mixed.residualWhile(w, h0, t), g.value());
      check(x -> Mixed.residualWhile((double[][]) x[0], (double[]) x[1], (Double) x[2]),
          args(w, h0, t), g.w(), g.h0(), t < 1e-6 ? null : g.t());
    }
  }

  @Test
  void rowsAndScalars() {
    double[][] m = mat(5, 3);
    double t = 0.4;
    for (double sign : new double[] {1, -1}) {
      double[] v = {sign * 1.0, sign * 0.5, -sign * 0.2}; // sum > 0, then < 0: both ?: branches
      var g = MixedGrad.rowsAndScalars(m, v, t);
      close(Mixed.rowsAndScalars(m, v, t), g.value());
      check(x -> Mixed.rowsAndScalars((double[][]) x[0], (double[]) x[1], (Double) x[2]),
          args(m, v, t), g.m(), g.v(), g.t());
    }
  }

  @Test
  void writeIntoResult() {
    for (int n : new int[] {1, 4}) {
      double[] a = vec(n);
      var g = MixedGrad.writeIntoResult(a);
      close(Mixed.writeIntoResult(a), g.value());
      check(x -> Mixed.writeIntoResult((double[]) x[0]), args(a), g.a());
    }
  }

  @Test
  void matrixChain() {
    double[][] a = mat(3, 3);
    double[][] b = mat(3, 3);
    var g = MixedGrad.matrixChain(a, b);
    close(Mixed.matrixChain(a, b), g.value());
    check(x -> Mixed.matrixChain((double[][]) x[0], (double[][]) x[1]), args(a, b), g.a(), g.b());
  }

  @Test
  void logSoftmax() {
    double[] z = vec(4);
    int[] labels = {2, 0, 2, 3};
    var g = MixedGrad.logSoftmax(z, labels);
    close(Mixed.logSoftmax(z, labels), g.value());
    check(x -> Mixed.logSoftmax((double[]) x[0], (int[]) x[1]), args(z, labels), g.z(), null);
  }
}
