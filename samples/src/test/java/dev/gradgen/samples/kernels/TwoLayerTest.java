package dev.gradgen.samples.kernels;

import dev.gradgen.samples.constructs.Fd;
import static dev.gradgen.samples.kernels.Mats.rel;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kernel network against the scalar-loop network: same value and same gradient. */
class TwoLayerTest {
  private static final double VALUE_TOL = 1e-12;
  private static final double GRAD_TOL = 1e-9;

  /** (n, d, hidden, k). */
  private static final int[][] SHAPES = {{1, 1, 1, 1}, {1, 4, 3, 2}, {6, 1, 2, 1}, {5, 3, 1, 4},
    {20, 7, 9, 3}, {64, 16, 32, 5}};

  @Test
  void squaredErrorKernelsEqualLoops() {
    Random rnd = new Random(21);
    for (int[] s : SHAPES) {
      double[][] x = Mats.matrix(rnd, s[0], s[1]);
      double[][] w1 = Mats.matrix(rnd, s[2], s[1]);
      double[] b1 = Mats.vector(rnd, s[2]);
      double[][] w2 = Mats.matrix(rnd, s[3], s[2]);
      double[] b2 = Mats.vector(rnd, s[3]);
      double[][] y = Mats.matrix(rnd, s[0], s[3]);
      String at = " at n,d,h,k = " + s[0] + "," + s[1] + "," + s[2] + "," + s[3];
      var kern = TwoLayerGrad.mseKernels(w1, b1, w2, b2, x, y);
      var loop = TwoLayerGrad.mseLoops(w1, b1, w2, b2, x, y);
      rel(TwoLayer.mseLoops(w1, b1, w2, b2, x, y), loop.value(), 0.0, "loop value = primal" + at);
      rel(TwoLayer.mseKernels(w1, b1, w2, b2, x, y), kern.value(), 0.0, "kernel value = primal" + at);
      rel(loop.value(), kern.value(), VALUE_TOL, "value" + at);
      rel(loop.w1(), kern.w1(), GRAD_TOL, "dW1" + at);
      rel(loop.b1(), kern.b1(), GRAD_TOL, "db1" + at);
      rel(loop.w2(), kern.w2(), GRAD_TOL, "dW2" + at);
      rel(loop.b2(), kern.b2(), GRAD_TOL, "db2" + at);
    }
  }

  @Test
  void crossEntropyKernelsEqualLoops() {
    Random rnd = new Random(22);
    for (int[] s : SHAPES) {
      if (s[3] == 1) {
        continue; // one class: loss and gradient are 0
      }
      double[][] x = Mats.matrix(rnd, s[0], s[1]);
      double[][] w1 = Mats.matrix(rnd, s[2], s[1]);
      double[] b1 = Mats.vector(rnd, s[2]);
      double[][] w2 = Mats.matrix(rnd, s[3], s[2]);
      double[] b2 = Mats.vector(rnd, s[3]);
      int[] labels = Mats.labels(rnd, s[0], s[3]);
      String at = " at n,d,h,k = " + s[0] + "," + s[1] + "," + s[2] + "," + s[3];
      var kern = TwoLayerGrad.ceKernels(w1, b1, w2, b2, x, labels);
      var loop = TwoLayerGrad.ceLoops(w1, b1, w2, b2, x, labels);
      rel(loop.value(), kern.value(), VALUE_TOL, "value" + at);
      rel(loop.w1(), kern.w1(), GRAD_TOL, "dW1" + at);
      rel(loop.b1(), kern.b1(), GRAD_TOL, "db1" + at);
      rel(loop.w2(), kern.w2(), GRAD_TOL, "dW2" + at);
      rel(loop.b2(), kern.b2(), GRAD_TOL, "db2" + at);
    }
  }

  @Test
  void kernelsAgreeWithFiniteDifferences() {
    Random rnd = new Random(23);
    double[][] x = Mats.matrix(rnd, 4, 3);
    double[][] w1 = Mats.matrix(rnd, 5, 3);
    double[] b1 = Mats.vector(rnd, 5);
    double[][] w2 = Mats.matrix(rnd, 2, 5);
    double[] b2 = Mats.vector(rnd, 2);
    double[][] y = Mats.matrix(rnd, 4, 2);
    var g = TwoLayerGrad.mseKernels(w1, b1, w2, b2, x, y);
    Fd.check(a -> TwoLayer.mseKernels((double[][]) a[0], (double[]) a[1], (double[][]) a[2],
        (double[]) a[3], (double[][]) a[4], (double[][]) a[5]),
        Fd.args(w1, b1, w2, b2, x, y), g.w1(), g.b1(), g.w2(), g.b2(), null, null);
  }
}
