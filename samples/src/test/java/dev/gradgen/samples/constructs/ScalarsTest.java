package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScalarsTest {

  @Test
  void arithmetic() {
    for (double[] p : new double[][] {{1.3, 0.4}, {-0.7, 2.1}}) {
      var g = ScalarsGrad.arithmetic(p[0], p[1]);
      assertEquals(Scalars.arithmetic(p[0], p[1]), g.value(), 0.0);
      check(a -> Scalars.arithmetic((double) a[0], (double) a[1]), args(p[0], p[1]), g.x(), g.y());
    }
  }

  @Test
  void compound() {
    var g = ScalarsGrad.compound(0.8, -1.7);
    assertEquals(Scalars.compound(0.8, -1.7), g.value(), 0.0);
    check(a -> Scalars.compound((double) a[0], (double) a[1]), args(0.8, -1.7), g.x(), g.y());
    // Closed form: s = 2 y (x/2 + y^2) / (1 + x^2); f = s^2.
    double x = 0.8;
    double y = -1.7;
    double s = 2 * y * (x / 2 + y * y) / (1 + x * x);
    double dsdx = 2 * y * (0.5 * (1 + x * x) - (x / 2 + y * y) * 2 * x) / ((1 + x * x) * (1 + x * x));
    double dsdy = (2 * (x / 2 + y * y) + 2 * y * 2 * y) / (1 + x * x);
    close(s * s, g.value());
    close(2 * s * dsdx, g.x());
    close(2 * s * dsdy, g.y());
  }

  @Test
  void reassign() {
    double x = 1.5;
    double y = 0.3;
    var g = ScalarsGrad.reassign(x, y);
    close(x * x * y * (1 - y), g.value());
    close(2 * x * y * (1 - y), g.x());
    close(x * x * (1 - 2 * y), g.y());
  }

  @Test
  void intsAndCasts() {
    // i = 3, big = 14 -> quarter = 3.5; r = 3x + 3.5x^2 + kx + x + truncated + l (constants).
    double x = 0.123;
    int k = 5;
    var g = ScalarsGrad.intsAndCasts(x, k);
    assertEquals(Scalars.intsAndCasts(x, k), g.value(), 0.0);
    close(3 * x + 3.5 * x * x + k * x + x + 1 + 12, g.value());
    close(3 + 7 * x + k + 1, g.x());
    check(a -> Scalars.intsAndCasts((double) a[0], k), args(x, k), g.x(), null);
  }

  @Test
  void integerArithmetic() {
    double x = 0.9;
    int n = 7; // half = 3, rest = 1, n / 4 = 1
    long m = 5; // prod = 15
    var g = ScalarsGrad.integerArithmetic(x, n, m);
    close(3 * x + x * x - 15 * x + x, g.value());
    close(3 + 2 * x - 15 + 1, g.x());
  }

  @Test
  void withVar() {
    double x = 0.7;
    double[] v = {1.0, -2.0, 0.5};
    var g = ScalarsGrad.withVar(x, v);
    double norm2 = 1 + 4 + 0.25;
    close(4 * x * x * norm2, g.value());
    close(8 * x * norm2, g.x());
    close(new double[] {8 * x * x * 1.0, 8 * x * x * -2.0, 8 * x * x * 0.5}, g.v(), "dv");
  }

  @Test
  void declarators() {
    double[][] m = {{1.1, 0.9, -1.2}, {0.8, 1.3, 0.7}};
    var g = ScalarsGrad.declarators(m);
    assertEquals(Scalars.declarators(m), g.value(), 0.0);
    check(a -> Scalars.declarators((double[][]) a[0]), args((Object) m), (Object) g.m());
    // Closed form: d/dm_ij = 1 + 0.5 * prod / m_ij.
    double prod = 1.1 * 0.9 * -1.2 * 0.8 * 1.3 * 0.7;
    close(1 + 0.5 * prod / 1.3, g.m()[1][1]);
  }

  @Test
  void ternaryEveryBranch() {
    double[][] points = {{2.0, 1.5}, {2.0, 0.5}, {0.5, 1.5}, {0.5, 0.7}, {-1.0, 1.5}, {1.5, 1.2}};
    for (double[] p : points) {
      var g = ScalarsGrad.ternary(p[0], p[1]);
      assertEquals(Scalars.ternary(p[0], p[1]), g.value(), 0.0);
      check(a -> Scalars.ternary((double) a[0], (double) a[1]), args(p[0], p[1]), g.x(), g.y());
    }
    // x = 2, y = 1.5: a = x^2, b = 2y, k = 2: f = x^2 + 2xy + 2y.
    var g = ScalarsGrad.ternary(2.0, 1.5);
    close(2 * 2.0 + 2 * 1.5, g.x());
    close(2 * 2.0 + 2, g.y());
  }

  @Test
  void ternaryInline() {
    double[][] points = {{0.3, 0.9}, {1.2, 0.4}, {-0.5, -0.8}};
    for (double[] p : points) {
      var g = ScalarsGrad.ternaryInline(p[0], p[1]);
      assertEquals(Scalars.ternaryInline(p[0], p[1]), g.value(), 0.0);
      check(a -> Scalars.ternaryInline((double) a[0], (double) a[1]), args(p[0], p[1]), g.x(),
          g.y());
    }
  }

  @Test
  void noGradScalar() {
    var g = ScalarsGrad.noGradScalar(1.5, 3.0);
    close(3.0 * 1.5 * 1.5 + 9.0, g.value());
    close(2 * 3.0 * 1.5, g.x());
  }

  @Test
  void assignParameter() {
    var g = ScalarsGrad.assignParameter(-1.25);
    close(1.5625, g.value());
    close(-2.5, g.x());
  }

  @Test
  void lateInit() {
    close(6.0, ScalarsGrad.lateInit(0.4).x());
    close(-3.0, ScalarsGrad.lateInit(-0.4).x());
  }

  @Test
  void noParameters() {
    assertEquals(3.0, ScalarsGrad.noParameters().value(), 0.0);
    assertEquals(3.0, ScalarsGrad.noParameters(new ScalarsGrad.NoParametersGradientBuffer()), 0.0);
  }

  @Test
  void parameterNamedO() {
    close(2 * 1.5, ScalarsGrad.namedO(1.5).o());
  }
}
