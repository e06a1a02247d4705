package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoopsTest {

  @Test
  void triangle() {
    double[] a = {0.5, -1.2, 2.0, 0.7, 1.1};
    var g = LoopsGrad.triangle(a, 1, 4);
    assertEquals(Loops.triangle(a, 1, 4), g.value(), 0.0);
    double[] expected = new double[a.length];
    for (int k = 1; k < 4; k++) {
      for (int j = k; j < 4; j++) expected[k] += a[j];
      for (int i = 1; i <= k; i++) expected[k] += a[i];
    }
    close(expected, g.a(), "da");
    check(x -> Loops.triangle((double[]) x[0], 1, 4), args(a, 1, 4), g.a(), null, null);
  }

  @Test
  void steps() {
    double[] a = {0.3, -0.8, 1.4, 0.6, -1.1, 0.9};
    var g = LoopsGrad.steps(a);
    assertEquals(Loops.steps(a), g.value(), 0.0);
    check(x -> Loops.steps((double[]) x[0]), args((Object) a), (Object) g.a());
  }

  @Test
  void recomputedBounds() {
    double[] a = {0.3, -0.8, 1.4, 0.6, -1.1, 0.9, 0.25};
    double[][] m = {{0.5, -0.3, 0.2}, {0.1, 0.4}, {0.7, -0.6, 0.3, 0.8}};
    for (int lo : new int[] {0, 1, 4, 7}) {
      var g = LoopsGrad.recomputedBounds(a, m, lo);
      assertEquals(Loops.recomputedBounds(a, m, lo), g.value(), 0.0);
      check(x -> Loops.recomputedBounds((double[]) x[0], (double[][]) x[1], lo),
          args(a, m, lo), g.a(), g.m(), null);
    }
  }

  @Test
  void twoCounters() {
    double[] a = {1.0, 2.0, 3.0, 4.0, 5.0};
    var g = LoopsGrad.twoCounters(a);
    close(5.0 + 8.0, g.value());
    close(new double[] {5.0, 4.0, 0.0, 2.0, 1.0}, g.a(), "da");
  }

  @Test
  void outsideCounter() {
    double x = 1.3;
    var g = LoopsGrad.outsideCounter(x);
    close((Math.pow(x, 5) + Math.pow(x, 3) + x * x + x + 1) / 4 + 4, g.value());
    close((5 * Math.pow(x, 4) + 3 * x * x + 2 * x + 1) / 4, g.x());
  }

  @Test
  void enhanced() {
    double[] v = {0.4, -1.3, 0.8};
    double[][] m = {{0.5, 1.5}, {-0.7, 0.2, 0.9}};
    int[] w = {2, -1, 3};
    var g = LoopsGrad.enhanced(v, m, w);
    assertEquals(Loops.enhanced(v, m, w), g.value(), 0.0);
    check(a -> Loops.enhanced((double[]) a[0], (double[][]) a[1], (int[]) a[2]), args(v, m, w),
        g.v(), g.m(), null);
  }

  @Test
  void whileAndDo() {
    var g = LoopsGrad.whileAndDo(0.6);
    assertEquals(Loops.whileAndDo(0.6), g.value(), 0.0);
    check(a -> Loops.whileAndDo((double) a[0]), args(0.6), g.x());
  }

  @Test
  void whileActive() {
    // Four iterations from x = 1: y = 1.5^4 x + (1.5^3 + 1.5^2 + 1.5 + 1) x = 13.1875 x.
    var g = LoopsGrad.whileActive(1.0);
    close(13.1875, g.value());
    close(13.1875, g.x());
  }

  @Test
  void breakContinue() {
    double[][] inputs = {
      {0.5, 9.0, -0.7, 9.0, 1.1, 9.0}, // no break
      {0.5, 9.0, 200.0, 9.0, 1.1}, // break on a[i] > 100
      {2.0, 9.0, 2.5, 9.0, 1.1, 9.0, 3.0} // break on s > 10
    };
    for (double[] a : inputs) {
      var g = LoopsGrad.breakContinue(a);
      assertEquals(Loops.breakContinue(a), g.value(), 0.0);
      check(x -> Loops.breakContinue((double[]) x[0]), args((Object) a), (Object) g.a());
    }
    var g = LoopsGrad.breakContinue(inputs[2]);
    close(new double[] {4.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0}, g.a(), "da");
  }

  @Test
  void breakContinueWhile() {
    double x = 1.2;
    var g = LoopsGrad.breakContinueWhile(x);
    close(13 * x * x * x, g.value());
    close(39 * x * x, g.x());
  }

  @Test
  void labelled() {
    double[][][] inputs = {
      {{0.5, 0.1}, {0.3, 0.4, 0.7}, {0.2, 0.6, 0.8}}, // continue outer only
      {{0.5, 0.1}, {0.3, -0.4, 0.7}, {0.2, 0.6, 0.8}} // break outer at [1][1]
    };
    for (double[][] m : inputs) {
      var g = LoopsGrad.labelled(m);
      assertEquals(Loops.labelled(m), g.value(), 0.0);
      check(a -> Loops.labelled((double[][]) a[0]), args((Object) m), (Object) g.m());
    }
  }

  @Test
  void labelledWhile() {
    var g = LoopsGrad.labelledWhile(1.3);
    assertEquals(Loops.labelledWhile(1.3), g.value(), 0.0);
    check(a -> Loops.labelledWhile((double) a[0]), args(1.3), g.x());
  }

  @Test
  void returnInLoop() {
    double[] early = {1.0, 2.0, 3.0, 4.0};
    var g = LoopsGrad.returnInLoop(early, 1.5); // s = 1.5, 4.5, 9 > 5 -> 81
    close(81.0, g.value());
    close(new double[] {27.0, 27.0, 27.0, 0.0}, g.a(), "da");
    close(2 * 9.0 * 6.0, g.t());
    double[] late = {0.5, 0.25};
    var h = LoopsGrad.returnInLoop(late, 2.0);
    close(-1.5, h.value());
    close(new double[] {-2.0, -2.0}, h.a(), "da");
    close(-0.75, h.t());
  }

  @Test
  void returnInNestedLoop() {
    double[][] m = {{0.5, 0.7}, {1.0, 2.0, 3.0}};
    var g = LoopsGrad.returnInNestedLoop(m, 1.5); // s = 0.75, 1.8, 3.3 > 3 -> 3.3 * 1.5
    close(3.3 * 1.5, g.value());
    check(a -> Loops.returnInNestedLoop((double[][]) a[0], (double) a[1]), args(m, 1.5), g.m(),
        g.t());
    close(new double[][] {{2.25, 2.25}, {2.25, 0.0, 0.0}}, g.m(), "dm");
    var h = LoopsGrad.returnInNestedLoop(m, 0.1);
    close(new double[][] {{0.1, 0.1}, {0.1, 0.1, 0.1}}, h.m(), "dm");
  }

  @Test
  void returnInWhile() {
    var g = LoopsGrad.returnInWhile(1.0);
    close(31.0, g.value());
    close(31.0, g.x());
  }

  @Test
  void blocks() {
    var g = LoopsGrad.blocks(1.0);
    close(3.875, g.value());
    close(4.0, g.x());
    check(a -> Loops.blocks((double) a[0]), args(-0.8), LoopsGrad.blocks(-0.8).x());
  }

  @Test
  void loopLocal() {
    double[] a = {0.9, -1.1, 0.6, 1.3};
    var g = LoopsGrad.loopLocal(a);
    assertEquals(Loops.loopLocal(a), g.value(), 0.0);
    check(x -> Loops.loopLocal((double[]) x[0]), args((Object) a), (Object) g.a());
  }

  @Test
  void longRecurrenceDoesNotOverflowTheStack() {
    for (double p : new double[] {1.0, 2.25}) {
      var g = LoopsGrad.longRecurrence(p);
      close(Math.sqrt(p), g.value());
      close(0.5 / Math.sqrt(p), g.p());
      check(a -> Loops.longRecurrence((double) a[0]), args(p), g.p());
    }
  }

  @Test
  void longWhile() {
    var g = LoopsGrad.longWhile(3.0);
    double factor = 1 - Math.pow(1 - 1e-4, 200000);
    close(3.0 * factor, g.value());
    close(factor, g.p());
  }
}
