package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeclaredRulesTest {
  private static final double[] X = {0.5, -1.5, 2.0};

  @Test
  void rulesDeclaredForLibraryFunctionsGiveTheFiniteDifferenceGradient() {
    double[] w = {0.3, -0.2, 0.4};
    for (double y : new double[] {0, 1}) {
      DeclaredRulesGrad.ProbitGradient g = DeclaredRulesGrad.probit(w, 0.8, X, y);
      assertEquals(DeclaredRules.probit(w, 0.8, X, y), g.value(), 0.0);
      check(a -> DeclaredRules.probit((double[]) a[0], (Double) a[1], (double[]) a[2],
          (Double) a[3]), args(w, 0.8, X, y), g.w(), g.scale(), g.x(), g.y());
    }
  }

  @Test
  void theForwardModeGoesThroughTheWrittenAndTheDeclaredRules() {
    double[] w = {0.3, -0.2, 0.4};
    double[] wDot = {1.0, 0.5, -0.25};
    double[] xDot = {0.0, 0.2, 0.1};
    DeclaredRulesGrad.ProbitGradient g = DeclaredRulesGrad.probit(w, 0.8, X, 1.0);
    DeclaredRulesGrad.ProbitJvp t = DeclaredRulesGrad.probitJvp(w, 0.8, X, 1.0, wDot, -0.5,
        xDot, 0.3);
    double expected = g.scale() * -0.5 + g.y() * 0.3;
    for (int i = 0; i < w.length; i++) {
      expected += g.w()[i] * wDot[i] + g.x()[i] * xDot[i];
    }
    assertEquals(g.value(), t.value(), 0.0);
    assertEquals(expected, t.tangent(), 1e-12);
  }
}
