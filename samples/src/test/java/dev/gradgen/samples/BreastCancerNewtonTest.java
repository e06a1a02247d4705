package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.junit.jupiter.api.Test;

/**
 * Newton's method, gradient descent and conjugate gradients on the breast-cancer logistic loss,
 * with a Hessian written by hand here, in the test (and checked against finite differences of
 * gradgen's gradient), independent of the one {@link Derivatives} supplies.
 */
class BreastCancerNewtonTest {
  private static final BreastCancer.Split DATA = BreastCancer.load(42);
  private static final double L2 = BreastCancerNewton.Options.DEFAULTS.l2();
  private static final int D = DATA.features();

  /**
   * The closed form {@code X~^T diag(s (1 - s)) X~ / n + l2 diag(1, ..., 1, 0)} with {@code X~ =
   * [X, 1]} and {@code s = sigmoid(X w + b)} at the flat parameters {@code p = (w, b)}; the
   * intercept is not penalized.
   */
  static double[][] hessian(double[] p, double[][] x, double l2) {
    int n = x.length;
    int d = p.length - 1;
    double[][] h = new double[d + 1][d + 1];
    for (double[] row : x) {
      double z = p[d];
      for (int j = 0; j < d; j++) {
        z += p[j] * row[j];
      }
      double s = 1.0 / (1.0 + Math.exp(-z));
      double weight = s * (1.0 - s) / n;
      double[] xt = Arrays.copyOf(row, d + 1);
      xt[d] = 1.0;
      for (int j = 0; j <= d; j++) {
        for (int k = 0; k <= d; k++) {
          h[j][k] += weight * xt[j] * xt[k];
        }
      }
    }
    for (int j = 0; j < d; j++) {
      h[j][j] += l2;
    }
    return h;
  }

  private static BreastCancerNewton.Loss lossWithTheTestsHessian(double l2) {
    BreastCancerNewton.Loss loss = BreastCancerNewton.Loss.of(DATA, l2);
    return new BreastCancerNewton.Loss(loss.value(), loss.gradient(),
        p -> hessian(p, DATA.xTrain(), l2), loss.parameters());
  }

  private static double[] randomPoint(long seed) {
    Random random = new Random(seed);
    double[] p = new double[D + 1];
    for (int j = 0; j < p.length; j++) {
      p[j] = 0.3 * random.nextGaussian();
    }
    return p;
  }

  @Test
  void theTestsHessianMatchesFiniteDifferencesOfTheGeneratedGradient() {
    Minimizers.Gradient gradient = BreastCancerNewton.Loss.of(DATA, L2).gradient();
    for (double[] p : new double[][] {new double[D + 1], randomPoint(7)}) {
      double[][] h = hessian(p, DATA.xTrain(), L2);
      for (int k = 0; k <= D; k++) {
        int column = k;
        double[] fd = FiniteDifferences.gradient(q -> gradient.at(q)[column], p, 1e-5);
        assertTrue(FiniteDifferences.relativeError(h[k], fd) < 1e-7, "row " + k);
      }
    }
  }

  @Test
  void theSeamsHessianMatchesTheTests() {
    Minimizers.Hessian seam = BreastCancerNewton.Loss.of(DATA, L2).hessian();
    // Not at p = 0: there every z = w . x + b is 0, the kink of the max(z, 0) and |z| the loss is
    // written with, where the generated derivatives follow gradgen's conventions at kinks
    // (abs'(0) = 0), not the smooth closed form.
    for (double[] p : new double[][] {randomPoint(3), randomPoint(11)}) {
      double[][] expected = hessian(p, DATA.xTrain(), L2);
      double[][] actual = seam.at(p);
      for (int k = 0; k <= D; k++) {
        assertTrue(FiniteDifferences.relativeError(expected[k], actual[k]) < 1e-12, "row " + k);
      }
    }
  }

  @Test
  void newtonReachesTheToleranceInFewIterations() {
    BreastCancerNewton.Loss loss = lossWithTheTestsHessian(L2);
    Minimizers.Result r = Minimizers.newton(loss.value(), loss.gradient(), loss.hessian(),
        new double[D + 1], 1e-8, 100);
    assertTrue(r.converged(), "gradient norm " + r.gradientNorm());
    assertTrue(r.iterations() <= 15, r.iterations() + " iterations");
    assertEquals(r.value(), LogisticModel.loss(Arrays.copyOf(r.point(), D), r.point()[D],
        DATA.xTrain(), DATA.yTrain(), L2), 1e-15);
  }

  @Test
  void allThreeReachTheSameMinimizer() {
    BreastCancerNewton.Loss loss = lossWithTheTestsHessian(L2);
    Minimizers.Result[] results = BreastCancerNewton.minimize(loss, 1e-8, 5000);
    Minimizers.Result newton = results[0];
    double[] eigenvalues = new EigenDecompositionSymmetric(
        new Array2DRowRealMatrix(loss.hessian().at(newton.point()))).getEigenvalues();
    double smallest = Arrays.stream(eigenvalues).min().orElseThrow();
    assertTrue(smallest > 0.5 * L2, "smallest eigenvalue " + smallest);
    for (Minimizers.Result r : results) {
      assertTrue(r.converged(), r.method() + ": gradient norm " + r.gradientNorm());
      // |p - p*| <= |grad| / lambda_min for a strongly convex function: at |grad| <= 1e-8 and
      // lambda_min ~ 1e-3 that is 1e-5, all a gradient-norm test can promise.
      double bound = (r.gradientNorm() + newton.gradientNorm()) / smallest;
      double difference = BreastCancerNewton.maxDifference(r.point(), newton.point());
      assertTrue(difference <= bound && difference <= 1e-5, r.method() + ": " + difference);
      assertEquals(newton.value(), r.value(), 1e-12, r.method());
    }
    // To 1e-6: conjugate gradients already are (5e-7); gradient descent, whose error is left in
    // the flattest direction, is at 3e-6 and needs |grad| <= 1e-9.
    assertTrue(BreastCancerNewton.maxDifference(results[2].point(), newton.point()) <= 1e-6);
    Minimizers.Result gd = Minimizers.gradientDescent(loss.value(), loss.gradient(),
        new double[D + 1], 1e-9, 5000);
    assertTrue(gd.converged());
    assertTrue(BreastCancerNewton.maxDifference(gd.point(), newton.point()) <= 1e-6);
  }

  @Test
  void withoutThePenaltyTheTrainingSplitIsSeparable() {
    BreastCancerNewton.Loss loss = lossWithTheTestsHessian(0.0);
    Minimizers.Result r = Minimizers.newton(loss.value(), loss.gradient(), loss.hessian(),
        new double[D + 1], 1e-8, 40);
    assertTrue(!r.converged());
    double[] w = Arrays.copyOf(r.point(), D);
    assertEquals(1.0, BreastCancerNcg.accuracy(w, r.point()[D], DATA.xTrain(), DATA.yTrain()));
    assertTrue(Minimizers.norm(w) > 100, "|w| = " + Minimizers.norm(w));
    assertTrue(r.value() < 1e-4, "loss " + r.value());
  }
}
