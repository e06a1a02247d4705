package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrickyTest {
  private static final double[] V = {0.7, 1.3, 0.9, 1.6, 0.8};
  private static final double[] LONG = {0.7, 1.3, 0.9, 1.6, 0.8, 0.4, 1.2, 0.6, 1.5};

  private static void vector(java.util.function.ToDoubleFunction<double[]> f, double[] a,
      double value, double[] gradient) {
    assertEquals(f.applyAsDouble(a.clone()), value, 0.0);
    check(x -> f.applyAsDouble((double[]) x[0]), args((Object) a), (Object) gradient);
  }

  @Test
  void counterSkip() {
    var g = TrickyGrad.counterSkip(V);
    vector(Tricky::counterSkip, V, g.value(), g.a());
  }

  @Test
  void counterDoubling() {
    var g = TrickyGrad.counterDoubling(LONG);
    vector(Tricky::counterDoubling, LONG, g.value(), g.a());
  }

  @Test
  void indexChase() {
    int[] next = {3, 0, 1, 2, 4};
    var g = TrickyGrad.indexChase(V, next);
    vector(a -> Tricky.indexChase(a, next), V, g.value(), g.a());
  }

  @Test
  void booleanFlip() {
    var g = TrickyGrad.booleanFlip(V);
    vector(Tricky::booleanFlip, V, g.value(), g.a());
  }

  @Test
  void previousValue() {
    var g = TrickyGrad.previousValue(V);
    vector(Tricky::previousValue, V, g.value(), g.a());
  }

  @Test
  void alias() {
    var g = TrickyGrad.alias(V);
    vector(Tricky::alias, V, g.value(), g.v());
    // sum of v^3: gradient 3 v^2.
    for (int i = 0; i < V.length; i++) close(3 * V[i] * V[i], g.v()[i], "dv[" + i + "]");
  }

  @Test
  void rowAliasWrite() {
    var g = TrickyGrad.rowAliasWrite(V);
    vector(Tricky::rowAliasWrite, V, g.value(), g.v());
  }

  @Test
  void callThenModify() {
    var g = TrickyGrad.callThenModify(V);
    vector(Tricky::callThenModify, V, g.value(), g.v());
  }

  @Test
  void newtonSqrt() {
    for (double p : new double[] {2.0, 0.3, 25.0}) {
      var g = TrickyGrad.newtonSqrt(p);
      close(Math.sqrt(p), g.value());
      close(0.5 / Math.sqrt(p), g.p());
    }
  }

  @Test
  void siblingTypes() {
    var g = TrickyGrad.siblingTypes(1.3);
    close(2 * 1.3 + 1.69, g.value());
    close(2 + 2.6, g.x());
  }

  @Test
  void generatedLookingNames() {
    var g = TrickyGrad.generatedLookingNames(1.3, 0.7);
    assertEquals(Tricky.generatedLookingNames(1.3, 0.7), g.value(), 0.0);
    check(a -> Tricky.generatedLookingNames((double) a[0], (double) a[1]), args(1.3, 0.7), g.x(),
        g.z());
  }

  @Test
  void longCallLoop() {
    var g = TrickyGrad.longCallLoop(2.0);
    close(Math.sqrt(2.0), g.value());
    close(0.5 / Math.sqrt(2.0), g.p());
  }

  @Test
  void emptyBody() {
    double[] a = {0.2, 0.5, 1.5, 0.3};
    var g = TrickyGrad.emptyBody(a);
    close(3.0, g.value());
    close(new double[] {0, 0, 2.0, 0}, g.a(), "da");
  }

  @Test
  void doubleCounterActiveBound() {
    var g = TrickyGrad.doubleCounterActiveBound(1.3);
    assertEquals(Tricky.doubleCounterActiveBound(1.3), g.value(), 0.0);
    check(a -> Tricky.doubleCounterActiveBound((double) a[0]), args(1.3), g.x());
  }

  @Test
  void labelledWhileContinue() {
    var g = TrickyGrad.labelledWhileContinue(1.3);
    assertEquals(Tricky.labelledWhileContinue(1.3), g.value(), 0.0);
    check(a -> Tricky.labelledWhileContinue((double) a[0]), args(1.3), g.x());
  }

  @Test
  void nestedClassCall() {
    // 2 (x * x + (2x)^2) = 10 x^2.
    var g = TrickyGrad.nestedClassCall(1.3);
    close(10 * 1.69, g.value());
    close(20 * 1.3, g.x());
  }
}
