package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CustomRuleTest {
  @Test
  void customRulesGiveTheFiniteDifferenceGradient() {
    double[] w = {0.3, -0.2, 0.5};
    double s = 0.7;
    double[] x = {1, 2, -1};
    CustomRuleGrad.NetGradient g = CustomRuleGrad.net(w, s, x);
    assertEquals(CustomRule.net(w, s, x), g.value(), 0.0);
    check(a -> CustomRule.net((double[]) a[0], (Double) a[1], (double[]) a[2]),
        args(w, s, x), g.w(), g.s(), null);
  }

  @Test
  void rulesWithSeveralDoubleParametersGiveTheFiniteDifferenceGradient() {
    double[] w = {0.3, -0.2, 0.5};
    double[] x = {1, 2, -1};
    for (double[] sc : new double[][] {{0.7, 1.3}, {-0.4, 2.5}}) {
      CustomRuleGrad.ClippedGradient g = CustomRuleGrad.clipped(w, sc[0], sc[1], x, 0.9);
      assertEquals(CustomRule.clipped(w, sc[0], sc[1], x, 0.9), g.value(), 0.0);
      check(a -> CustomRule.clipped((double[]) a[0], (Double) a[1], (Double) a[2],
          (double[]) a[3], (Double) a[4]), args(w, sc[0], sc[1], x, 0.9), g.w(), g.s(), g.c(),
          null, null);
    }
  }
}
