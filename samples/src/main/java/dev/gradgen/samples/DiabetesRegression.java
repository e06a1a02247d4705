package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import java.util.Locale;

/**
 * Least-squares linear regression on the diabetes data, fitted twice: by plain gradient descent
 * on the mean squared error with the gradient gradgen generates from {@link #mse}, and exactly by
 * the normal equations {@code (Z^T Z) w = Z^T (y - mean(y))}, {@code b = mean(y)} (the features
 * {@code Z} are standardized, so the intercept decouples), solved with a small Cholesky
 * factorization. Gradient descent converges to the closed form.
 */
public final class DiabetesRegression {
  private DiabetesRegression() {}

  /** Mean squared error of the linear model {@code x . w + b} on rows {@code x}, targets {@code y}. */
  @Differentiable
  public static double mse(double[] w, double b, @NoGrad double[][] x, @NoGrad double[] y) {
    double total = 0.0;
    for (int i = 0; i < x.length; i++) {
      double residual = b - y[i];
      for (int j = 0; j < w.length; j++) {
        residual += w[j] * x[i][j];
      }
      total += residual * residual;
    }
    return total / x.length;
  }

  /** Weights and intercept of a fit, and how gradient descent got there. */
  record Fit(double[] w, double b, int iterations, double gradientNorm) {}

  /**
   * Gradient descent from zero with the step {@code 1 / L}, where {@code L} is the largest
   * eigenvalue of the Hessian {@code 2/n Z^T Z} (found by power iteration; the intercept's
   * curvature is 2), until the gradient's Euclidean norm is at most {@code tolerance}.
   */
  static Fit gradientDescent(double[][] z, double[] y, double tolerance, int maxIterations) {
    int d = z[0].length;
    double[] w = new double[d];
    double b = 0.0;
    double lipschitz = Math.max(2.0, largestEigenvalue(hessian(z)));
    double step = 1.0 / lipschitz;
    DiabetesRegressionGrad.MseGradientBuffer grad = new DiabetesRegressionGrad.MseGradientBuffer(w);
    double norm = Double.POSITIVE_INFINITY;
    int iteration = 0;
    while (iteration < maxIterations) {
      DiabetesRegressionGrad.mse(w, b, z, y, grad);
      norm = Math.sqrt(dot(grad.w, grad.w) + grad.b * grad.b);
      if (norm <= tolerance) {
        break;
      }
      for (int j = 0; j < d; j++) {
        w[j] -= step * grad.w[j];
      }
      b -= step * grad.b;
      iteration++;
    }
    return new Fit(w, b, iteration, norm);
  }

  /** The exact least-squares fit from the normal equations. */
  static Fit closedForm(double[][] z, double[] y) {
    int n = z.length;
    int d = z[0].length;
    double mean = 0.0;
    for (double v : y) {
      mean += v;
    }
    mean /= n;
    double[][] gram = new double[d][d];
    double[] rhs = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        rhs[j] += z[i][j] * (y[i] - mean);
        for (int k = 0; k < d; k++) {
          gram[j][k] += z[i][j] * z[i][k];
        }
      }
    }
    return new Fit(Cholesky.solve(gram, rhs), mean, 0, 0.0);
  }

  /** The Hessian of {@link #mse} with respect to {@code w}: {@code 2/n Z^T Z}. */
  static double[][] hessian(double[][] z) {
    int d = z[0].length;
    double[][] h = new double[d][d];
    for (double[] row : z) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          h[j][k] += 2.0 * row[j] * row[k] / z.length;
        }
      }
    }
    return h;
  }

  /** The largest eigenvalue of a symmetric positive semi-definite matrix, by power iteration. */
  static double largestEigenvalue(double[][] a) {
    int d = a.length;
    double[] v = new double[d];
    java.util.Arrays.fill(v, 1.0 / Math.sqrt(d));
    double lambda = 0.0;
    for (int iteration = 0; iteration < 1000; iteration++) {
      double[] av = new double[d];
      for (int j = 0; j < d; j++) {
        av[j] = dot(a[j], v);
      }
      double next = dot(v, av);
      double norm = Math.sqrt(dot(av, av));
      for (int j = 0; j < d; j++) {
        v[j] = av[j] / norm;
      }
      if (Math.abs(next - lambda) <= 1e-12 * next) {
        return next;
      }
      lambda = next;
    }
    return lambda;
  }

  /** Solves symmetric positive definite systems by Cholesky factorization {@code A = L L^T}. */
  static final class Cholesky {
    private Cholesky() {}

    /** The solution of {@code a x = b}; {@code a} must be symmetric positive definite. */
    static double[] solve(double[][] a, double[] b) {
      int d = a.length;
      double[][] l = new double[d][d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
          double s = a[i][j];
          for (int k = 0; k < j; k++) {
            s -= l[i][k] * l[j][k];
          }
          if (i == j) {
            if (!(s > 0.0)) {
              throw new IllegalArgumentException("matrix is not positive definite");
            }
            l[i][i] = Math.sqrt(s);
          } else {
            l[i][j] = s / l[j][j];
          }
        }
      }
      double[] x = new double[d];
      for (int i = 0; i < d; i++) { // forward substitution: L u = b
        double s = b[i];
        for (int k = 0; k < i; k++) {
          s -= l[i][k] * x[k];
        }
        x[i] = s / l[i][i];
      }
      for (int i = d - 1; i >= 0; i--) { // back substitution: L^T x = u
        double s = x[i];
        for (int k = i + 1; k < d; k++) {
          s -= l[k][i] * x[k];
        }
        x[i] = s / l[i][i];
      }
      return x;
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Largest absolute difference between two fits' coefficients (weights and intercept). */
  static double maxDifference(Fit a, Fit b) {
    double max = Math.abs(a.b() - b.b());
    for (int j = 0; j < a.w().length; j++) {
      max = Math.max(max, Math.abs(a.w()[j] - b.w()[j]));
    }
    return max;
  }

  /** Fits both ways and prints the coefficients side by side; exit code 0 if they agree to 1e-6. */
  public static int run(String[] args) {
    if (args.length > 0) {
      System.out.println("usage: diabetes (no options): linear regression on the diabetes data, "
          + "gradient descent with the generated gradient vs. the normal equations");
      return "--help".equals(args[0]) || "-h".equals(args[0]) ? 0 : 2;
    }
    DiabetesData.Data data = DiabetesData.load();
    double[][] z = DiabetesData.standardize(data.x());
    Fit exact = closedForm(z, data.y());
    Fit descent = gradientDescent(z, data.y(), 1e-9, 200_000);
    System.out.printf(Locale.ROOT, "diabetes: %d patients, %d standardized features%n",
        z.length, z[0].length);
    System.out.printf(Locale.ROOT, "gradient descent: %d iterations, final gradient norm %.2e%n",
        descent.iterations(), descent.gradientNorm());
    System.out.printf(Locale.ROOT, "%-10s %16s %16s %10s%n", "coef", "descent", "normal eq.",
        "|diff|");
    for (int j = 0; j < z[0].length; j++) {
      System.out.printf(Locale.ROOT, "%-10s %16.9f %16.9f %10.2e%n", DiabetesData.FEATURE_NAMES[j],
          descent.w()[j], exact.w()[j], Math.abs(descent.w()[j] - exact.w()[j]));
    }
    System.out.printf(Locale.ROOT, "%-10s %16.9f %16.9f %10.2e%n", "intercept", descent.b(),
        exact.b(), Math.abs(descent.b() - exact.b()));
    double mse = mse(exact.w(), exact.b(), z, data.y());
    double difference = maxDifference(descent, exact);
    System.out.printf(Locale.ROOT, "training MSE %.6f (R^2 %.4f); max |diff| %.2e%n", mse,
        1.0 - mse / variance(data.y()), difference);
    return difference <= 1e-6 ? 0 : 1;
  }

  private static double variance(double[] y) {
    double mean = 0.0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    double s = 0.0;
    for (double v : y) {
      s += (v - mean) * (v - mean);
    }
    return s / y.length;
  }
}
