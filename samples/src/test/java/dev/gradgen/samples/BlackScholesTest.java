package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * The generated gradient of {@link BlackScholes#call} against the closed-form Greeks, and the
 * hand-written normal distribution function against reference values (computed with mpmath at
 * 30 digits).
 */
class BlackScholesTest {
  /** s, sigma, r, t, k: at, in and out of the money, short and long maturities, r = 0. */
  private static final double[][] CASES = {
    {100, 0.2, 0.05, 1.0, 100}, {100, 0.3, 0.01, 0.25, 120}, {80, 0.15, 0.03, 2.0, 60},
    {50, 0.5, 0.0, 0.1, 55}, {1200, 0.12, 0.04, 5.0, 1000}, {100, 0.05, 0.02, 0.02, 100},
    {100, 0.4, 0.08, 3.0, 250}, {100, 0.25, 0.03, 0.5, 40},
  };

  @Test
  void generatedGreeksMatchClosedForms() {
    for (double[] c : CASES) {
      BlackScholesGrad.CallGradient g = BlackScholesGrad.call(c[0], c[1], c[2], c[3], c[4]);
      BlackScholes.Greeks ad = BlackScholes.Greeks.generated(g);
      BlackScholes.Greeks exact = BlackScholes.Greeks.analytic(c[0], c[1], c[2], c[3], c[4]);
      double error = BlackScholes.maxError(ad, exact);
      assertTrue(error <= 1e-9, () -> "case " + java.util.Arrays.toString(c) + ": " + ad
          + " vs " + exact + ", error " + error);
      assertEquals(BlackScholes.call(c[0], c[1], c[2], c[3], c[4]), g.value(), 0.0);
    }
  }

  @Test
  void thetaIsMinusDvDtAndNegativeForACall() {
    double[] c = CASES[0];
    BlackScholesGrad.CallGradient g = BlackScholesGrad.call(c[0], c[1], c[2], c[3], c[4]);
    double theta = BlackScholes.Greeks.generated(g).theta();
    assertEquals(-g.t(), theta, 0.0);
    assertTrue(theta < 0.0, "a call loses value as time passes: theta " + theta);
    // Textbook value for S = K = 100, sigma 0.2, r 0.05, T = 1: price 10.4506, delta 0.6368,
    // vega 37.524, rho 53.232, theta -6.414 per year.
    assertEquals(10.4506, g.value(), 5e-5);
    assertEquals(0.6368, g.s(), 5e-5);
    assertEquals(37.524, g.sigma(), 5e-4);
    assertEquals(53.232, g.r(), 5e-4);
    assertEquals(-6.414, theta, 5e-4);
  }

  @Test
  void gradientPassesGradCheck() {
    for (double[] c : CASES) {
      BlackScholesGrad.CallGradient g = BlackScholesGrad.call(c[0], c[1], c[2], c[3], c[4]);
      GradCheck.Layout layout = GradCheck.layout("S", c[0], "sigma", c[1], "r", c[2], "T", c[3],
          "K", c[4]);
      GradCheck.check(layout, a -> BlackScholes.call(a.scalar(0), a.scalar(1), a.scalar(2),
          a.scalar(3), a.scalar(4)), g.s(), g.sigma(), g.r(), g.t(), g.k()).assertWithin(1e-7);
    }
  }

  @Test
  void normalCdfMatchesReferenceValues() {
    double[][] reference = {
      {0, 0.5}, {1, 0.84134474606854294859}, {-1.96, 0.024997895148220436213},
      {0.3, 0.61791142218895263307}, {-0.6, 0.27425311775007358769},
      {2.5, 0.99379033467422386483}, {3, 0.99865010196836990547},
      {-5, 2.8665157187919391167e-7}, {-8, 6.2209605742717841235e-16},
      {6, 0.99999999901341235496}, {-12, 1.7764821120776789977e-33},
    };
    for (double[] r : reference) {
      double got = BlackScholes.normalCdf(r[0]);
      // In the lower tail erfc(-x / sqrt 2) amplifies the relative rounding error of x / sqrt 2
      // about x^2-fold (144-fold at x = -12), so the tolerance grows with x^2.
      double tolerance = 1e-15 * (1.0 + r[0] * r[0]);
      assertEquals(r[1], got, tolerance * r[1], "N(" + r[0] + ")");
    }
  }

  /** erfc itself (all three intervals, both signs) and its generated derivative -2/sqrt(pi) e^-x^2. */
  @Test
  void erfcAndItsDerivative() {
    double[][] reference = {
      {0.2, 0.77729741078952153382}, {-0.4, 1.4283923550466684765},
      {1.0, 0.15729920705028513066}, {-2.5, 1.9995930479825550411},
      {3.9, 3.4792248597231767129e-8}, {4.5, 1.9661604415428874763e-10},
      {-6, 1.9999999999999999785}, {10, 2.088487583762544757e-45},
    };
    for (double[] r : reference) {
      assertEquals(r[1], BlackScholes.erfc(r[0]), 2e-15 * r[1], "erfc(" + r[0] + ")");
    }
    for (double x = -7.0; x <= 7.0; x += 0.01) {
      double exact = -2.0 / Math.sqrt(Math.PI) * Math.exp(-x * x);
      double generated = BlackScholesGrad.erfc(x).x();
      assertEquals(exact, generated, 1e-13 * Math.abs(exact) + 1e-300, "erfc'(" + x + ")");
    }
  }

  @Test
  void runReportsSuccess() {
    assertEquals(0, BlackScholes.run(new String[0]));
    assertEquals(2, BlackScholes.run(new String[] {"--bogus"}));
  }
}
