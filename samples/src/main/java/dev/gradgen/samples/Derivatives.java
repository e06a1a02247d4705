package dev.gradgen.samples;

import java.util.Arrays;

/**
 * Where the {@code nist} and {@code newton} samples get their derivatives: the one file to change
 * when gradgen generates Jacobians of vector methods and Hessians of scalar ones.
 *
 * <p>Today the logistic loss's gradient is gradgen's ({@code LogisticModelGrad}); the Jacobians of
 * {@link NistModels} and the Hessian of {@link LogisticModel#loss} are closed forms written by
 * hand, in {@link HandWritten}, a stand-in to be deleted together with this paragraph. The swap,
 * once {@code NistModels}' methods carry {@code @Differentiable} (with {@code @NoGrad} on {@code x}
 * and {@code y}), is the body of each method below, as its comment shows.
 */
final class Derivatives {
  /** Printed by {@code nist}: where the Jacobians come from. */
  static final String JACOBIANS = "Jacobians: closed forms written by hand"
      + " (Derivatives.HandWritten), until gradgen generates them";
  /** Printed by {@code newton}: where the gradient and the Hessian come from. */
  static final String GRADIENT_AND_HESSIAN = "gradient: gradgen (LogisticModelGrad); Hessian:"
      + " closed form written by hand (Derivatives.HandWritten), until gradgen generates it";

  private Derivatives() {}

  /** The 151 x 5 Jacobian of {@link NistModels#kirby2Residuals} with respect to {@code b}. */
  static LeastSquaresFit.Jacobian kirby2(double[] x, double[] y) {
    // Generated: return b -> NistModelsGrad.kirby2Residuals(b, x, y).b();
    return b -> HandWritten.rationalJacobian(2, b, x);
  }

  /** The 236 x 7 Jacobian of {@link NistModels#hahn1Residuals} with respect to {@code b}. */
  static LeastSquaresFit.Jacobian hahn1(double[] x, double[] y) {
    // Generated: return b -> NistModelsGrad.hahn1Residuals(b, x, y).b();
    return b -> HandWritten.rationalJacobian(3, b, x);
  }

  /**
   * The gradient of {@link LogisticModel#loss} at the flat parameters {@code p = (w, b)}, {@code
   * w} of length {@code x[0].length}: gradgen's, already generated.
   */
  static Minimizers.Gradient logisticGradient(double[][] x, double[] y, double l2) {
    int d = x[0].length;
    return p -> {
      LogisticModelGrad.LossGradient g = LogisticModelGrad.loss(Arrays.copyOf(p, d), p[d], x, y,
          l2);
      double[] flat = Arrays.copyOf(g.w(), d + 1);
      flat[d] = g.b();
      return flat;
    };
  }

  /** The Hessian of {@link LogisticModel#loss} over the flat parameters {@code p = (w, b)}. */
  static Minimizers.Hessian logisticHessian(double[][] x, double[] y, double l2) {
    int d = x[0].length;
    // Generated: return p -> LogisticModelGrad.lossHessian(Arrays.copyOf(p, d), p[d], x, y, l2)
    //     .hessian();
    return p -> HandWritten.logisticHessian(Arrays.copyOf(p, d), p[d], x, l2);
  }

  /** Closed forms written by hand: a stand-in until gradgen generates them; then delete it. */
  static final class HandWritten {
    private HandWritten() {}

    /**
     * The Jacobian of {@code r = y - N/D}, {@code N = b1 + b2 x + ... + b(k+1) x^k}, {@code D = 1
     * + b(k+2) x + ... + b(2k+1) x^k}: {@code -x^j / D} for the numerator's coefficients and
     * {@code N x^j / D^2} for the denominator's.
     */
    static double[][] rationalJacobian(int degree, double[] b, double[] x) {
      double[][] jacobian = new double[x.length][2 * degree + 1];
      for (int i = 0; i < x.length; i++) {
        double numerator = 0.0;
        double denominator = 1.0;
        double power = 1.0;
        for (int j = 0; j <= degree; j++) {
          numerator += b[j] * power;
          if (j > 0) {
            denominator += b[degree + j] * power;
          }
          power *= x[i];
        }
        power = 1.0;
        for (int j = 0; j <= degree; j++) {
          jacobian[i][j] = -power / denominator;
          if (j > 0) {
            jacobian[i][degree + j] = numerator * power / (denominator * denominator);
          }
          power *= x[i];
        }
      }
      return jacobian;
    }

    /**
     * {@code (1/n) sum_i s_i (1 - s_i) (x_i, 1)(x_i, 1)^T + l2 diag(1, ..., 1, 0)} with {@code s_i
     * = sigmoid(w . x_i + b)}; the intercept is not penalized.
     */
    static double[][] logisticHessian(double[] w, double b, double[][] x, double l2) {
      int n = x.length;
      int d = w.length;
      double[][] h = new double[d + 1][d + 1];
      double[] row = new double[d + 1];
      row[d] = 1.0;
      for (double[] xi : x) {
        double z = b;
        for (int j = 0; j < d; j++) {
          z += w[j] * xi[j];
        }
        double s = z >= 0.0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
        double weight = s * (1.0 - s) / n;
        System.arraycopy(xi, 0, row, 0, d);
        for (int j = 0; j <= d; j++) {
          double wj = weight * row[j];
          for (int k = 0; k <= j; k++) {
            h[j][k] += wj * row[k];
          }
        }
      }
      for (int j = 0; j <= d; j++) {
        for (int k = 0; k < j; k++) {
          h[k][j] = h[j][k];
        }
        if (j < d) {
          h[j][j] += l2;
        }
      }
      return h;
    }
  }
}
