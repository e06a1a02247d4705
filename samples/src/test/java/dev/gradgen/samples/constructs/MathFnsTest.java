package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;
import static dev.gradgen.samples.constructs.Fd.derivative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class MathFnsTest {

  /** Generated derivative vs the closed form and vs central differences of the original. */
  private static void unary(DoubleUnaryOperator original, DoubleUnaryOperator generated,
      double x, double closedForm) {
    double d = generated.applyAsDouble(x);
    close(closedForm, d, "closed form at " + x);
    close(derivative(original, x), d, "finite differences at " + x);
  }

  @Test
  void exp() {
    double x = 0.7;
    unary(MathFns::exp, v -> MathFnsGrad.exp(v).x(), x, 2 * Math.exp(2 * x));
    assertEquals(Math.exp(2 * x), MathFnsGrad.exp(x).value(), 0.0);
  }

  @Test
  void expm1() {
    unary(MathFns::expm1, v -> MathFnsGrad.expm1(v).x(), 0.6, 2 * 0.6 * Math.exp(0.36));
  }

  @Test
  void log() {
    unary(MathFns::log, v -> MathFnsGrad.log(v).x(), 1.7, 1 / 1.7);
  }

  @Test
  void log1p() {
    unary(MathFns::log1p, v -> MathFnsGrad.log1p(v).x(), -0.8, 2 * -0.8 / (1 + 0.64));
  }

  @Test
  void log10() {
    unary(MathFns::log10, v -> MathFnsGrad.log10(v).x(), 3.5, 1 / (3.5 * Math.log(10)));
  }

  @Test
  void sqrt() {
    unary(MathFns::sqrt, v -> MathFnsGrad.sqrt(v).x(), -1.2, -1.2 / Math.sqrt(2.44));
  }

  @Test
  void cbrt() {
    unary(MathFns::cbrt, v -> MathFnsGrad.cbrt(v).x(), 8.0, 1.0 / 12.0);
    unary(MathFns::cbrt, v -> MathFnsGrad.cbrt(v).x(), -8.0, 1.0 / 12.0);
  }

  @Test
  void powWithConstantIntegerExponent() {
    unary(MathFns::powInt, v -> MathFnsGrad.powInt(v).x(), 1.5, 3 * 2.25);
    // A negative base: the exponent is a constant, so log(base) must not leak in as NaN.
    unary(MathFns::powInt, v -> MathFnsGrad.powInt(v).x(), -1.5, 3 * 2.25);
  }

  @Test
  void powWithActiveExponent() {
    double x = 1.8;
    double y = 2.3;
    var g = MathFnsGrad.powActive(x, y);
    close(y * Math.pow(x, y - 1), g.x());
    close(Math.pow(x, y) * Math.log(x), g.y());
    check(a -> MathFns.powActive((double) a[0], (double) a[1]), args(x, y), g.x(), g.y());
    unary(MathFns::powBaseConstant, v -> MathFnsGrad.powBaseConstant(v).y(), 1.3,
        Math.pow(2, 1.3) * Math.log(2));
  }

  /**
   * Regression: pow(x, y) at x = 0 with an active exponent. 0^y = 0 for every y > 0, so both
   * partials are 0; the rule y * log(x) gives 0 * -Infinity = NaN.
   */
  @Test
  void powWithActiveExponentAtZeroBase() {
    var g = MathFnsGrad.powActive(0.0, 2.0);
    assertEquals(0.0, g.value(), 0.0);
    close(0.0, g.x(), "d/dx at (0, 2)");
    close(0.0, g.y(), "d/dy at (0, 2)");
    check(a -> MathFns.powActive((double) a[0], (double) a[1]), args(0.0, 2.0), g.x(), g.y());
  }

  @Test
  void trigonometric() {
    double x = 0.9;
    unary(MathFns::sin, v -> MathFnsGrad.sin(v).x(), x, Math.cos(x) * x + Math.sin(x));
    unary(MathFns::cos, v -> MathFnsGrad.cos(v).x(), x, -Math.sin(x * x) * 2 * x);
    unary(MathFns::tan, v -> MathFnsGrad.tan(v).x(), x, 1 / (Math.cos(x) * Math.cos(x)));
  }

  @Test
  void inverseTrigonometric() {
    double x = 0.4;
    unary(MathFns::asin, v -> MathFnsGrad.asin(v).x(), x, 1 / Math.sqrt(1 - x * x));
    unary(MathFns::acos, v -> MathFnsGrad.acos(v).x(), x, -1 / Math.sqrt(1 - x * x));
    unary(MathFns::atan, v -> MathFnsGrad.atan(v).x(), x, 2 / (1 + 4 * x * x));
  }

  @Test
  void atan2() {
    for (double[] p : new double[][] {{1.0, 2.0}, {-0.5, -1.5}, {2.0, -0.3}}) {
      double y = p[0];
      double x = p[1];
      var g = MathFnsGrad.atan2(y, x);
      close(x / (x * x + y * y), g.y());
      close(-y / (x * x + y * y), g.x());
    }
  }

  @Test
  void hyperbolic() {
    double x = -0.75;
    unary(MathFns::sinh, v -> MathFnsGrad.sinh(v).x(), x, Math.cosh(x));
    unary(MathFns::cosh, v -> MathFnsGrad.cosh(v).x(), x, Math.sinh(x));
    unary(MathFns::tanh, v -> MathFnsGrad.tanh(v).x(), x, 1 - Math.tanh(x) * Math.tanh(x));
  }

  @Test
  void hypot() {
    var g = MathFnsGrad.hypot(3.0, -4.0);
    close(5.0, g.value());
    close(0.6, g.x());
    close(-0.8, g.y());
  }

  @Test
  void absMaxMin() {
    // |x| x: derivative 2|x|.
    unary(MathFns::abs, v -> MathFnsGrad.abs(v).x(), -1.5, 3.0);
    unary(MathFns::abs, v -> MathFnsGrad.abs(v).x(), 1.5, 3.0);
    var mx = MathFnsGrad.max(1.0, 2.0);
    close(0.0, mx.x());
    close(2.0, mx.y());
    var mx2 = MathFnsGrad.max(3.0, 2.0);
    close(2.0, mx2.x());
    close(0.0, mx2.y());
    var mn = MathFnsGrad.min(1.5, 3.0); // x^2 = 2.25 < 3
    close(3.0, mn.x());
    close(0.0, mn.y());
    var mn2 = MathFnsGrad.min(2.0, 3.0); // y = 3 < 4
    close(0.0, mn2.x());
    close(1.0, mn2.y());
  }

  @Test
  void degreesAndRadians() {
    close(Math.PI / 180, MathFnsGrad.toRadians(30).x());
    close(180 / Math.PI, MathFnsGrad.toDegrees(0.5).x());
  }

  @Test
  void piecewiseConstantFunctionsHaveZeroDerivative() {
    double x = 1.5;
    double y = 2.3; // floor 2, ceil 3, rint 2, round 2, signum 1
    var g = MathFnsGrad.piecewiseConstant(x, y);
    close(1.5 * 10, g.value());
    close(10.0, g.x());
    assertEquals(0.0, g.y(), 0.0);
    var h = MathFnsGrad.piecewiseConstant(x, -2.7); // -3, -2, -3, -3, -1
    close(-12.0, h.x());
    assertEquals(0.0, h.y(), 0.0);
  }

  @Test
  void integerMath() {
    double[] a = {0.5, 1.5, -2.0, 3.0};
    var g = MathFnsGrad.integerMath(a, -2); // i = 2, j = 1, m = 3
    close(1.5 * -2.0 + 3.0, g.value());
    close(new double[] {0.0, -2.0, 1.5, 1.0}, g.a(), "da");
  }

  @Test
  void constants() {
    var g = MathFnsGrad.constants(0.8);
    assertEquals(MathFns.constants(0.8), g.value(), 0.0);
    close(2 * Math.PI * 0.8 + Math.E + 2.5 * 3 + 4, g.x());
  }

  @Test
  void infinities() {
    double[] a = {0.5, -1.5, 2.5, 1.0};
    var g = MathFnsGrad.infinities(a);
    close(-3.75, g.value());
    close(new double[] {0.0, 2.5, -1.5, 0.0}, g.a(), "da");
  }

  @Test
  void strict() {
    double x = 0.7;
    double y = 1.9;
    var g = MathFnsGrad.strict(x, y);
    assertEquals(MathFns.strict(x, y), g.value(), 0.0);
    double r2 = x * x + y * y;
    close(Math.cos(x) * Math.exp(y) + 0.5 * y / Math.sqrt(x * y) + 2 * x + y / r2, g.x());
    close(Math.sin(x) * Math.exp(y) + 0.5 * x / Math.sqrt(x * y) - x / r2 - 1, g.y());
  }

  @Test
  void composition() {
    for (double[] p : new double[][] {{0.7, -0.4}, {-1.1, 0.9}}) {
      var g = MathFnsGrad.composition(p[0], p[1]);
      assertEquals(MathFns.composition(p[0], p[1]), g.value(), 0.0);
      check(a -> MathFns.composition((double) a[0], (double) a[1]), args(p[0], p[1]), g.x(),
          g.y());
    }
  }

  @Test
  void staticImport() {
    double x = 0.8;
    double y = 1.3;
    var g = MathStaticGrad.unqualified(x, y);
    assertEquals(MathStatic.unqualified(x, y), g.value(), 0.0);
    double r = Math.hypot(x, y);
    double r2 = x * x + y * y;
    close(Math.exp(x) * Math.sin(y) + x / r + 2 * x - y / r2 + Math.PI + 0 + 1 / x, g.x());
    close(Math.exp(x) * Math.cos(y) + y / r + x / r2 + 1 + 1 + 1 - Math.tanh(y) * Math.tanh(y),
        g.y());
    check(a -> MathStatic.unqualified((double) a[0], (double) a[1]), args(x, y), g.x(), g.y());
  }
}
