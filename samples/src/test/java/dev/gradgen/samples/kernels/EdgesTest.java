package dev.gradgen.samples.kernels;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EdgesTest {
  private final Random rnd = new Random(41);

  @Test
  void overwriteAfterRead() {
    for (int n : new int[] {1, 3}) {
      double[] a = Mats.vector(rnd, n);
      var g = EdgesGrad.overwriteAfterRead(a);
      close(Edges.overwriteAfterRead(a), g.value());
      check(x -> Edges.overwriteAfterRead((double[]) x[0]), args(a), g.a());
    }
  }

  @Test
  void selfUpdate() {
    double[] a = Mats.vector(rnd, 4);
    var g = EdgesGrad.selfUpdate(a);
    close(Edges.selfUpdate(a), g.value());
    check(x -> Edges.selfUpdate((double[]) x[0]), args(a), g.a());
  }

  @Test
  void intoCallee() {
    double[] a = Mats.vector(rnd, 3);
    double c = 0.6;
    var g = EdgesGrad.intoCallee(a, c);
    close(Edges.intoCallee(a, c), g.value());
    check(x -> Edges.intoCallee((double[]) x[0], (Double) x[1]), args(a, c), g.a(), g.c());
  }

  @Test
  void indexedMatrix() {
    double[][] a = Mats.matrix(rnd, 3, 2);
    double[][] b = Mats.matrix(rnd, 2, 4);
    var g = EdgesGrad.indexedMatrix(a, b);
    close(Edges.indexedMatrix(a, b), g.value());
    check(x -> Edges.indexedMatrix((double[][]) x[0], (double[][]) x[1]), args(a, b), g.a(),
        g.b());
  }

  @Test
  void varAndForEach() {
    double[] a = Mats.vector(rnd, 5);
    var g = EdgesGrad.varAndForEach(a);
    close(Edges.varAndForEach(a), g.value());
    check(x -> Edges.varAndForEach((double[]) x[0]), args(a), g.a());
  }

  @Test
  void rowsFromKernels() {
    double[] a = Mats.vector(rnd, 3);
    double[] b = Mats.vector(rnd, 3);
    var g = EdgesGrad.rowsFromKernels(a, b);
    close(Edges.rowsFromKernels(a, b), g.value());
    check(x -> Edges.rowsFromKernels((double[]) x[0], (double[]) x[1]), args(a, b), g.a(), g.b());
  }

  @Test
  void earlyReturnBothWays() {
    double[] v = {0.5, -0.25, 1.0};
    double[][] positive = {{-1, 0, 0}, {0.2, 0.1, 0.3}, {1, 1, 1}}; // returns at i = 1
    double[][] never = {{-1, 0, 0}, {0, 0, -1}}; // falls through
    for (double[][] m : new double[][][] {positive, never}) {
      var g = EdgesGrad.earlyReturn(m, v);
      close(Edges.earlyReturn(m, v), g.value());
      check(x -> Edges.earlyReturn((double[][]) x[0], (double[]) x[1]), args(m, v), g.m(), g.v());
    }
  }
}
