package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The Levenberg-Marquardt driver reaches NIST's certified values on Kirby2 and Hahn1 from both
 * starting points, fed the closed-form Jacobians written by hand in {@link HandJacobians}.
 */
class LeastSquaresFitTest {
  @ParameterizedTest(name = "{0} from start {1}")
  @CsvSource({"Kirby2, 1", "Kirby2, 2", "Hahn1, 1", "Hahn1, 2"})
  void reachesTheCertifiedValues(String name, int start) {
    NistStrd.Problem p = NistStrd.load(name.equals("Kirby2") ? NistStrd.KIRBY2 : NistStrd.HAHN1);
    int degree = name.equals("Kirby2") ? 2 : 3;
    LeastSquaresFit.Fit fit = LeastSquaresFit.fit(
        b -> HandJacobians.residuals(degree, b, p.x(), p.y()),
        b -> HandJacobians.jacobian(degree, b, p.x()),
        p.start(start));
    StringBuilder report = new StringBuilder(name + " start " + start + ": " + fit.iterations()
        + " iterations, " + fit.evaluations() + " evaluations; LRE");
    double worst = Double.POSITIVE_INFINITY;
    for (int j = 0; j < p.parameters(); j++) {
      double lre = NistStrd.logRelativeError(fit.parameters()[j], p.certifiedValues()[j],
          NistStrd.LRE_CAP);
      worst = Math.min(worst, lre);
      report.append(String.format(" b%d %.1f", j + 1, lre));
    }
    assertTrue(worst >= 6.0, report.toString());
    double rssLre = NistStrd.logRelativeError(fit.residualSumOfSquares(),
        p.certifiedResidualSumOfSquares(), NistStrd.LRE_CAP);
    assertTrue(rssLre >= 9.0, "residual sum of squares " + fit.residualSumOfSquares()
        + " vs certified " + p.certifiedResidualSumOfSquares() + ", LRE " + rssLre);
    for (int j = 0; j < p.parameters(); j++) {
      double lre = NistStrd.logRelativeError(fit.standardDeviations()[j],
          p.certifiedStandardDeviations()[j], NistStrd.LRE_CAP);
      assertTrue(lre >= 4.0, "standard deviation of b" + (j + 1) + ": "
          + fit.standardDeviations()[j] + " vs " + p.certifiedStandardDeviations()[j]);
    }
    assertTrue(fit.iterations() > 0 && fit.evaluations() >= fit.iterations(), report.toString());
  }

  @Test
  void aJacobianOfTheWrongShapeIsReported() {
    NistStrd.Problem p = NistStrd.load(NistStrd.KIRBY2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LeastSquaresFit.fit(b -> HandJacobians.kirby2Residuals(b, p.x(), p.y()),
            b -> new double[5][151], p.start1()));
    assertTrue(e.getMessage().contains("rows = residuals"), e.getMessage());
  }
}
