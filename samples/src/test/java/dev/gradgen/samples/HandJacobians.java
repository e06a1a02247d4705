package dev.gradgen.samples;

/**
 * Closed-form residuals and Jacobians of NIST's rational models, written by hand: a test scaffold
 * for {@link LeastSquaresFit} and a reference for {@link NistModels}, independent of anything
 * gradgen generates.
 *
 * <p>Both models are {@code N(x) / D(x)} with {@code N = b1 + b2 x + ... + b(p+1) x^p} and {@code
 * D = 1 + c1 x + ... + cq x^q}, the {@code c}s following the {@code b}s in the parameter vector
 * (Kirby2: p = q = 2; Hahn1: p = q = 3). For {@code r = y - N/D}: {@code dr/db_k = -x^k / D} and
 * {@code dr/dc_k = N x^k / D^2}.
 */
final class HandJacobians {
  private HandJacobians() {}

  /** Kirby2: quadratic over quadratic. */
  static double[] kirby2Residuals(double[] b, double[] x, double[] y) {
    return residuals(2, b, x, y);
  }

  /** Kirby2's 151 x 5 Jacobian. */
  static double[][] kirby2Jacobian(double[] b, double[] x) {
    return jacobian(2, b, x);
  }

  /** Hahn1: cubic over cubic. */
  static double[] hahn1Residuals(double[] b, double[] x, double[] y) {
    return residuals(3, b, x, y);
  }

  /** Hahn1's 236 x 7 Jacobian. */
  static double[][] hahn1Jacobian(double[] b, double[] x) {
    return jacobian(3, b, x);
  }

  /** {@code y - N/D} for numerator and denominator of degree {@code degree}. */
  static double[] residuals(int degree, double[] b, double[] x, double[] y) {
    double[] r = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      r[i] = y[i] - numerator(degree, b, x[i]) / denominator(degree, b, x[i]);
    }
    return r;
  }

  /** The Jacobian of {@link #residuals}, rows = observations. */
  static double[][] jacobian(int degree, double[] b, double[] x) {
    double[][] jacobian = new double[x.length][2 * degree + 1];
    for (int i = 0; i < x.length; i++) {
      double n = numerator(degree, b, x[i]);
      double d = denominator(degree, b, x[i]);
      double power = 1.0;
      for (int k = 0; k <= degree; k++) {
        jacobian[i][k] = -power / d;
        if (k > 0) {
          jacobian[i][degree + k] = n * power / (d * d);
        }
        power *= x[i];
      }
    }
    return jacobian;
  }

  private static double numerator(int degree, double[] b, double x) {
    double n = 0.0;
    for (int k = degree; k >= 0; k--) {
      n = n * x + b[k];
    }
    return n;
  }

  private static double denominator(int degree, double[] b, double x) {
    double d = 0.0;
    for (int k = degree; k >= 1; k--) {
      d = (d + b[degree + k]) * x;
    }
    return 1.0 + d;
  }
}
