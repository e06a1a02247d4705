package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import java.util.Locale;

/**
 * Textbook chain-rule exercises as code; the test works each one by hand and compares with the
 * generated gradients.
 *
 * <ol>
 *   <li>A single weight of a one-neuron, squared-output model: {@code phi = (a w1 + b1)^2}.
 *   <li>A polynomial: {@code f(x) = 1 - x + x^2}.
 *   <li>The Jacobian of a composition {@code g o f} with {@code f(x, y) = (e^x + y, x^2 y)} and
 *       {@code g(u, v) = (u v, u + v^2)}: one {@code @Differentiable} method per output component,
 *       so each generated gradient is one row of a Jacobian.
 * </ol>
 */
public final class ChainRuleExamples {
  private ChainRuleExamples() {}

  /** {@code phi = (a w1 + b1)^2}, with the input {@code a} held fixed. */
  @Differentiable
  public static double phi(double w1, double b1, @NoGrad double a) {
    double inner = a * w1 + b1;
    return inner * inner;
  }

  /** {@code f(x) = 1 - x + x^2}. */
  @Differentiable
  public static double poly(double x) {
    return 1.0 - x + x * x;
  }

  /** First component of {@code f(x, y)}: {@code u = e^x + y}. */
  @Differentiable
  public static double fu(double x, double y) {
    return Math.exp(x) + y;
  }

  /** Second component of {@code f(x, y)}: {@code v = x^2 y}. */
  @Differentiable
  public static double fv(double x, double y) {
    return x * x * y;
  }

  /** First component of {@code g(u, v)}: {@code u v}. */
  @Differentiable
  public static double g1(double u, double v) {
    return u * v;
  }

  /** Second component of {@code g(u, v)}: {@code u + v^2}. */
  @Differentiable
  public static double g2(double u, double v) {
    return u + v * v;
  }

  /** First component of {@code (g o f)(x, y)}, through calls to the other differentiable methods. */
  @Differentiable
  public static double h1(double x, double y) {
    return g1(fu(x, y), fv(x, y));
  }

  /** Second component of {@code (g o f)(x, y)}. */
  @Differentiable
  public static double h2(double x, double y) {
    return g2(fu(x, y), fv(x, y));
  }

  /** The Jacobian of {@code g o f} at {@code (x, y)}, row by row from the generated gradients. */
  static double[][] jacobianOfComposition(double x, double y) {
    ChainRuleExamplesGrad.H1Gradient row1 = ChainRuleExamplesGrad.h1(x, y);
    ChainRuleExamplesGrad.H2Gradient row2 = ChainRuleExamplesGrad.h2(x, y);
    return new double[][] {{row1.x(), row1.y()}, {row2.x(), row2.y()}};
  }

  /** The Jacobian of {@code f} at {@code (x, y)} from the generated gradients. */
  static double[][] jacobianOfF(double x, double y) {
    ChainRuleExamplesGrad.FuGradient u = ChainRuleExamplesGrad.fu(x, y);
    ChainRuleExamplesGrad.FvGradient v = ChainRuleExamplesGrad.fv(x, y);
    return new double[][] {{u.x(), u.y()}, {v.x(), v.y()}};
  }

  /** The Jacobian of {@code g} at {@code (u, v)} from the generated gradients. */
  static double[][] jacobianOfG(double u, double v) {
    ChainRuleExamplesGrad.G1Gradient first = ChainRuleExamplesGrad.g1(u, v);
    ChainRuleExamplesGrad.G2Gradient second = ChainRuleExamplesGrad.g2(u, v);
    return new double[][] {{first.u(), first.v()}, {second.u(), second.v()}};
  }

  /** {@code a b} for 2x2 matrices. */
  static double[][] multiply(double[][] a, double[][] b) {
    return new double[][] {
      {a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]},
      {a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]},
    };
  }

  /** Prints every example's generated derivatives next to the hand-derived ones. */
  public static int run(String[] args) {
    if (args.length > 0) {
      System.out.println("usage: chain-rule (no options): textbook chain-rule examples, "
          + "generated vs. by hand");
      return "--help".equals(args[0]) || "-h".equals(args[0]) ? 0 : 2;
    }
    double worst = 0.0;
    double a = 3.0;
    double w1 = 0.5;
    double b1 = -1.0;
    double dPhi = ChainRuleExamplesGrad.phi(w1, b1, a).w1();
    double byHand = 2 * a * (a * w1 + b1);
    worst = Math.max(worst, Math.abs(dPhi - byHand));
    System.out.printf(Locale.ROOT, "phi = (a w1 + b1)^2 at a=%s, w1=%s, b1=%s: dphi/dw1 = %s "
        + "(by hand 2a(a w1 + b1) = %s)%n", a, w1, b1, dPhi, byHand);
    for (double x = 0; x <= 2; x++) {
      double d = ChainRuleExamplesGrad.poly(x).x();
      worst = Math.max(worst, Math.abs(d - (2 * x - 1)));
      System.out.printf(Locale.ROOT, "f(x) = 1 - x + x^2: f'(%s) = %s (by hand 2x - 1 = %s)%n",
          x, d, 2 * x - 1);
    }
    double e = Math.E;
    double[][][] points = {{{1, 2}}, {{1, 1}}};
    double[][][] byHandJ = {
      {{6 * e + 8, e + 4}, {e + 16, 5}}, // at (1, 2)
      {{3 * e + 2, e + 2}, {e + 4, 3}}, // at (1, 1)
    };
    for (int p = 0; p < points.length; p++) {
      double x = points[p][0][0];
      double y = points[p][0][1];
      double[][] j = jacobianOfComposition(x, y);
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 2; c++) {
          worst = Math.max(worst, Math.abs(j[r][c] - byHandJ[p][r][c]));
        }
      }
      System.out.printf(Locale.ROOT, "J(g o f)(%s, %s) = [[%.12f, %.12f], [%.12f, %.12f]]%n",
          x, y, j[0][0], j[0][1], j[1][0], j[1][1]);
    }
    System.out.printf(Locale.ROOT, "max difference from the hand-derived values: %.2e%n", worst);
    return worst <= 1e-12 ? 0 : 1;
  }
}
