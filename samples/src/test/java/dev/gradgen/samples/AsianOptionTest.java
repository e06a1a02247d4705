package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * The pathwise Greeks of the Monte Carlo Asian call, from one backward pass of the generated
 * code, against bump-and-revalue central differences with the same normals.
 */
class AsianOptionTest {
  @Test
  void pathwiseGreeksMatchBumpAndRevalue() {
    double[][] z = AsianOption.normals(20_000, 12, 42);
    GradCheck.Report report = AsianOption.check(100.0, 0.25, 0.03, 1.0, 100.0, z);
    report.assertWithin(1e-6);
    assertEquals(3, report.size());
  }

  @Test
  void otherStrikesAndSeedsToo() {
    double[][] strikes = {{80.0, 7}, {100.0, 8}, {125.0, 9}};
    for (double[] c : strikes) {
      double[][] z = AsianOption.normals(5_000, 24, (long) c[1]);
      AsianOption.check(100.0, 0.3, 0.01, 2.0, c[0], z).assertWithin(1e-6);
    }
  }

  @Test
  void greeksHaveTheExpectedSignsAndSize() {
    double[][] z = AsianOption.normals(20_000, 12, 42);
    AsianOptionGrad.PriceGradient g = AsianOptionGrad.price(100.0, 0.25, 0.03, 1.0, 100.0, z);
    // An at-the-money Asian call is worth roughly half the European one (10.98 here).
    assertTrue(g.value() > 5.0 && g.value() < 7.0, "price " + g.value());
    assertTrue(g.s0() > 0.4 && g.s0() < 0.7, "delta " + g.s0());
    assertTrue(g.sigma() > 0.0, "vega " + g.sigma());
    assertTrue(g.r() > 0.0, "rho " + g.r());
  }

  @Test
  void runReportsSuccess() {
    assertEquals(0, AsianOption.run(new String[] {"--paths", "5000"}));
    assertEquals(2, AsianOption.run(new String[] {"--paths"}));
  }
}
