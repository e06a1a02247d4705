package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code nist} subcommand's pieces: the Jacobians it takes from {@link Derivatives} (today
 * hand-written, later gradgen's) against the independent closed forms of {@link HandJacobians},
 * and its fits against NIST's certified values.
 */
class NistRegressionTest {
  @Test
  void theSeamsJacobiansAgreeWithTheTestsClosedForms() {
    List<NistRegression.Case> cases = NistRegression.cases();
    for (NistRegression.Case c : cases) {
      NistStrd.Problem p = c.problem();
      int degree = p.parameters() == 5 ? 2 : 3;
      for (double[] b : new double[][] {p.start1(), p.start2(), p.certifiedValues()}) {
        double[][] expected = HandJacobians.jacobian(degree, b, p.x());
        double[][] actual = c.jacobian().at(b);
        assertEquals(p.observations(), actual.length);
        for (int i = 0; i < expected.length; i++) {
          assertTrue(FiniteDifferences.relativeError(expected[i], actual[i]) < 1e-13,
              p.name() + " row " + i);
        }
        // At the certified values the residuals are small differences of large terms.
        double error = FiniteDifferences.relativeError(
            HandJacobians.residuals(degree, b, p.x(), p.y()), c.residuals().at(b));
        assertTrue(error < 1e-12, p.name() + " residuals: relative error " + error);
      }
    }
  }

  @Test
  void everyFitReachesTheCertifiedDigits() {
    for (NistRegression.Case c : NistRegression.cases()) {
      for (int start = 1; start <= 2; start++) {
        NistRegression.Outcome o = NistRegression.fit(c, start);
        assertTrue(o.worst() >= NistRegression.REQUIRED_LRE,
            c.problem().name() + " start " + start + ": LRE " + o.worst());
        assertTrue(o.standardDeviationLre() >= 4.0, c.problem().name() + " start " + start);
      }
    }
  }
}
