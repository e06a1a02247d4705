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
}
