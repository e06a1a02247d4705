package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CallsTest {

  @Test
  void expressionArgument() {
    var g = CallsGrad.expressionArgument(0.5, -2.0);
    close(1.0, g.value());
    close(4 * -1.0, g.x());
    close(2 * -1.0, g.y());
  }

  @Test
  void sameArrayTwice() {
    double[] a = {1.0, -2.0, 0.5};
    var g = CallsGrad.sameArrayTwice(a);
    close(5.25, g.value());
    close(new double[] {2.0, -4.0, 1.0}, g.a(), "da");
  }

  @Test
  void rowArgument() {
    double[][] m = {{1.0, 2.0}, {3.0}, {-0.5, 0.5, 4.0}};
    var g = CallsGrad.rowArgument(m, 1.5);
    close(10.0 * 1.5, g.value());
    close(new double[][] {{1.5, 1.5}, {1.5}, {1.5, 1.5, 1.5}}, g.m(), "dm");
    close(10.0, g.x());
  }

  @Test
  void localArrayArgument() {
    double[] a = {0.5, 1.5};
    var g = CallsGrad.localArrayArgument(a, 2.0);
    close(2.0 * 2.5, g.value());
    close(new double[] {2.0, 6.0}, g.a(), "da");
    close(2.5, g.x());
  }

  @Test
  void otherClass() {
    double x = 0.6;
    double[] a = {0.7, -1.1};
    double[][] m = {{9.0, 9.0}, {2.0, 0.5}};
    var g = CallsGrad.otherClass(x, a, m);
    assertEquals(Calls.otherClass(x, a, m), g.value(), 0.0);
    double s = Math.sin(2 * (x + a[0]));
    close(3 * x * x + s, g.x());
    close(new double[] {2 * a[0] * 2.0 + s, 2 * a[1] * 0.5}, g.a(), "da");
    close(new double[][] {{0.0, 0.0}, {a[0] * a[0], a[1] * a[1]}}, g.m(), "dm");
  }

  @Test
  void helperCallsAreConstants() {
    double[] a = {3.0, 1.0, 1.0, 1.0};
    var g = CallsGrad.helperCalls(0.5, 4.0, a);
    close(2.5 * 0.5 + 3.0 * 0.25 + 3.0 * 3.0, g.value());
    close(2.5 + 2 * 3.0 * 0.5, g.x());
    close(new double[] {3.0, 0.0, 0.0, 0.0}, g.a(), "da");
  }

  @Test
  void callInLoop() {
    double[] a = {0.4, -0.3, 0.8, 0.2};
    var g = CallsGrad.callInLoop(0.9, a);
    assertEquals(Calls.callInLoop(0.9, a), g.value(), 0.0);
    check(v -> Calls.callInLoop((double) v[0], (double[]) v[1]), args(0.9, a), g.x(), g.a());
  }

  @Test
  void nestedCalls() {
    double x = 0.8;
    var g = CallsGrad.nestedCalls(x);
    double in = x * x + Math.pow(x, 6);
    close(in * in, g.value());
    close(2 * in * (2 * x + 6 * Math.pow(x, 5)), g.x());
  }

  @Test
  void callInCondition() {
    double[][] points = {{2.0, 1.0}, {1.2, 1.0}, {0.5, 1.0}};
    for (double[] p : points) {
      var g = CallsGrad.callInCondition(p[0], p[1]);
      assertEquals(Calls.callInCondition(p[0], p[1]), g.value(), 0.0);
      check(a -> Calls.callInCondition((double) a[0], (double) a[1]), args(p[0], p[1]), g.x(),
          g.y());
    }
  }

  @Test
  void calleesDirectly() {
    var g = OtherCallsGrad.chain(0.3);
    close(Math.sin(0.6), g.x());
    var w = OtherCallsGrad.weighted(new double[] {1.0, 2.0}, new double[] {3.0, 4.0});
    close(new double[] {6.0, 16.0}, w.a(), "da");
    close(new double[] {1.0, 4.0}, w.r(), "dr");
    var p = CallsGrad.scaledPower(1.5, 2.0, 3);
    close(2.0 * 3 * 2.25, p.x());
  }
}
