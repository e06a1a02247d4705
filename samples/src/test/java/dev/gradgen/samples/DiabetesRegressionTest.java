package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.GradCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gradient descent with the generated MSE gradient reaches the normal-equations solution. */
class DiabetesRegressionTest {
  private static final DiabetesData.Data DATA = DiabetesData.load();
  private static final double[][] Z = DiabetesData.standardize(DATA.x());

  @Test
  void dataHasTheDocumentedShape() {
    assertEquals(442, DATA.x().length);
    assertEquals(10, DATA.x()[0].length);
    assertEquals(442, DATA.y().length);
    assertArrayEquals(new double[] {59, 2, 32.1, 101.0, 157, 93.2, 38.0, 4.0, 4.8598, 87},
        DATA.x()[0], 0.0);
    assertEquals(151.0, DATA.y()[0], 0.0);
  }

  @Test
  void generatedGradientPassesGradCheck() {
    Random random = new Random(3);
    double[] w = new double[10];
    for (int j = 0; j < w.length; j++) {
      w[j] = 20 * random.nextGaussian();
    }
    double b = 140.0;
    DiabetesRegressionGrad.MseGradient g = DiabetesRegressionGrad.mse(w, b, Z, DATA.y());
    GradCheck.check(GradCheck.layout("w", w, "b", b),
        a -> DiabetesRegression.mse(a.vector(0), a.scalar(1), Z, DATA.y()), g.w(), g.b())
        .assertWithin(1e-7);
  }

  @Test
  void gradientDescentConvergesToTheClosedForm() {
    DiabetesRegression.Fit exact = DiabetesRegression.closedForm(Z, DATA.y());
    DiabetesRegression.Fit descent = DiabetesRegression.gradientDescent(Z, DATA.y(), 1e-9,
        200_000);
    assertTrue(descent.gradientNorm() <= 1e-9, "did not converge: " + descent);
    double difference = DiabetesRegression.maxDifference(descent, exact);
    assertTrue(difference <= 1e-6, "max |w_gd - w_exact| = " + difference);
    // The well-known least-squares coefficient of bmi on standardized features, and the mean.
    assertEquals(152.133484, exact.b(), 1e-6);
    assertEquals(24.726549, exact.w()[2], 1e-6);
  }

  @Test
  void closedFormZeroesTheGeneratedGradient() {
    DiabetesRegression.Fit exact = DiabetesRegression.closedForm(Z, DATA.y());
    DiabetesRegressionGrad.MseGradient g =
        DiabetesRegressionGrad.mse(exact.w(), exact.b(), Z, DATA.y());
    assertEquals(0.0, g.b(), 1e-9);
    assertArrayEquals(new double[10], g.w(), 1e-9);
  }

  @Test
  void choleskySolvesASmallSystem() {
    double[][] a = {{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
    double[] x = {1, -2, 0.5};
    double[] b = new double[3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        b[i] += a[i][j] * x[j];
      }
    }
    assertArrayEquals(x, DiabetesRegression.Cholesky.solve(a, b), 1e-14);
  }

  @Test
  void runReportsSuccess() {
    assertEquals(0, DiabetesRegression.run(new String[0]));
  }
}
