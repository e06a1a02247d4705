package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link NistModels}, the residual functions as a gradgen user writes them, against the hand
 * formula; and the hand-written Jacobians ({@link HandJacobians}) against finite differences of
 * those residuals, so that the scaffold the Levenberg-Marquardt tests use is itself checked.
 */
class NistModelsTest {
  private static final NistStrd.Problem KIRBY2 = NistStrd.load(NistStrd.KIRBY2);
  private static final NistStrd.Problem HAHN1 = NistStrd.load(NistStrd.HAHN1);

  @Test
  void kirby2ResidualsMatchTheFormula() {
    for (double[] b : new double[][] {KIRBY2.start1(), KIRBY2.start2(),
        KIRBY2.certifiedValues()}) {
      double[] r = NistModels.kirby2Residuals(b, KIRBY2.x(), KIRBY2.y());
      assertEquals(151, r.length);
      for (int i = 0; i < r.length; i++) {
        double x = KIRBY2.x()[i];
        double model = (b[0] + b[1] * x + b[2] * x * x) / (1 + b[3] * x + b[4] * x * x);
        assertEquals(KIRBY2.y()[i] - model, r[i], 1e-12 * Math.max(1, Math.abs(model)));
      }
    }
  }

  @Test
  void hahn1ResidualsMatchTheFormula() {
    for (double[] b : new double[][] {HAHN1.start1(), HAHN1.start2(),
        HAHN1.certifiedValues()}) {
      double[] r = NistModels.hahn1Residuals(b, HAHN1.x(), HAHN1.y());
      assertEquals(236, r.length);
      for (int i = 0; i < r.length; i++) {
        double x = HAHN1.x()[i];
        double model = (b[0] + b[1] * x + b[2] * x * x + b[3] * x * x * x)
            / (1 + b[4] * x + b[5] * x * x + b[6] * x * x * x);
        assertEquals(HAHN1.y()[i] - model, r[i], 1e-12 * Math.max(1, Math.abs(model)));
      }
    }
  }

  @Test
  void atTheCertifiedValuesTheSumOfSquaresIsTheCertifiedOne() {
    assertEquals(KIRBY2.certifiedResidualSumOfSquares(),
        sumOfSquares(NistModels.kirby2Residuals(KIRBY2.certifiedValues(), KIRBY2.x(),
            KIRBY2.y())), 1e-9 * KIRBY2.certifiedResidualSumOfSquares());
    assertEquals(HAHN1.certifiedResidualSumOfSquares(),
        sumOfSquares(NistModels.hahn1Residuals(HAHN1.certifiedValues(), HAHN1.x(), HAHN1.y())),
        1e-9 * HAHN1.certifiedResidualSumOfSquares());
  }

  @Test
  void handResidualsAgreeWithTheSampleOnes() {
    double[] b = KIRBY2.start1();
    assertTrue(FiniteDifferences.relativeError(HandJacobians.kirby2Residuals(b, KIRBY2.x(),
        KIRBY2.y()), NistModels.kirby2Residuals(b, KIRBY2.x(), KIRBY2.y())) < 1e-14);
    b = HAHN1.start1();
    assertTrue(FiniteDifferences.relativeError(HandJacobians.hahn1Residuals(b, HAHN1.x(),
        HAHN1.y()), NistModels.hahn1Residuals(b, HAHN1.x(), HAHN1.y())) < 1e-14);
  }

  @Test
  void handJacobiansMatchFiniteDifferences() {
    for (int start = 1; start <= 2; start++) {
      double[] k = KIRBY2.start(start);
      assertJacobian(HandJacobians.kirby2Jacobian(k, KIRBY2.x()),
          (b, i) -> NistModels.kirby2Residuals(b, KIRBY2.x(), KIRBY2.y())[i], k);
      double[] h = HAHN1.start(start);
      assertJacobian(HandJacobians.hahn1Jacobian(h, HAHN1.x()),
          (b, i) -> NistModels.hahn1Residuals(b, HAHN1.x(), HAHN1.y())[i], h);
    }
  }

  /** Residual {@code i} at {@code b}. */
  private interface Component {
    double at(double[] b, int i);
  }

  /**
   * Each column against central differences with a step relative to the parameter (the
   * parameters span ten orders of magnitude, so a step relative to 1 would be useless for b5).
   */
  private static void assertJacobian(double[][] jacobian, Component r, double[] b) {
    for (int j = 0; j < b.length; j++) {
      double h = 1e-6 * Math.abs(b[j]);
      double[] plus = b.clone();
      double[] minus = b.clone();
      plus[j] += h;
      minus[j] -= h;
      double[] column = new double[jacobian.length];
      double[] fd = new double[jacobian.length];
      for (int i = 0; i < jacobian.length; i++) {
        column[i] = jacobian[i][j];
        fd[i] = (r.at(plus, i) - r.at(minus, i)) / (plus[j] - minus[j]);
      }
      double error = FiniteDifferences.relativeError(column, fd);
      assertTrue(error < 1e-6, "column " + j + ": relative error " + error);
    }
  }

  private static double sumOfSquares(double[] r) {
    double s = 0.0;
    for (double v : r) {
      s += v * v;
    }
    return s;
  }
}
