package dev.gradgen.samples;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresProblem;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;

/**
 * Nonlinear least squares, {@code min_b sum_i r_i(b)^2}, by Hipparchus' Levenberg-Marquardt
 * optimizer ({@link LevenbergMarquardtOptimizer}, a port of MINPACK's {@code lmder}), fed a
 * residual function and its Jacobian. The driver knows nothing about where the Jacobian comes
 * from: a closed form written by hand, finite differences, or the one gradgen generates.
 *
 * <p>Hipparchus minimizes {@code |target - model(b)|^2}; the driver passes the residuals as the
 * model and a zero target, so Hipparchus' residuals are {@code -r} and its Jacobian is {@code
 * dr/db}, the same minimum.
 */
final class LeastSquaresFit {
  /** The residual vector {@code r(b)}, of the same length {@code m} for every {@code b}. */
  @FunctionalInterface
  interface Residuals {
    /**
     * The residuals at {@code b}.
     *
     * @param b the parameters; not to be modified
     * @return a new array of the {@code m} residuals
     */
    double[] at(double[] b);
  }

  /** The Jacobian of {@link Residuals}: {@code m x n}, row {@code i} the gradient of {@code r_i}. */
  @FunctionalInterface
  interface Jacobian {
    /**
     * The Jacobian at {@code b}.
     *
     * @param b the parameters; not to be modified
     * @return {@code J[i][j] = d r_i / d b_j}, {@code m} rows of length {@code n}
     */
    double[][] at(double[] b);
  }

  /**
   * Stopping tolerances, passed to {@link LevenbergMarquardtOptimizer}: the relative reduction of
   * the sum of squares, the relative change of the parameters, and the cosine between the
   * residuals and the Jacobian's columns (a gradient test); it stops when any is met.
   */
  record Tolerances(double cost, double parameters, double orthogonality) {
    /**
     * As tight as double precision allows: on Kirby2 and Hahn1 from either start they give 8 to
     * 11 correct digits (LRE) per parameter, against 6.7 to 7.5 with Hipparchus' defaults (1e-10
     * each). At 1e-16 Hipparchus may throw "relative tolerance is too small" once no step can
     * reduce the sum of squares any more.
     */
    static final Tolerances CERTIFIED = new Tolerances(1e-15, 1e-15, 1e-15);
  }

  /**
   * The fitted parameters and the work done.
   *
   * @param parameters the parameters at the optimum
   * @param residualSumOfSquares {@code sum_i r_i^2} there
   * @param standardDeviations the usual estimates: the square roots of the diagonal of {@code
   *     s^2 (J^T J)^-1} with {@code s^2 = RSS / (m - n)}, as NIST certifies them
   * @param iterations Levenberg-Marquardt iterations
   * @param evaluations evaluations of the residuals (each one with its Jacobian)
   */
  record Fit(double[] parameters, double residualSumOfSquares, double[] standardDeviations,
      int iterations, int evaluations) {}

  private LeastSquaresFit() {}

  /** {@link #fit(Residuals, Jacobian, double[], Tolerances)} with {@link Tolerances#CERTIFIED}. */
  static Fit fit(Residuals residuals, Jacobian jacobian, double[] start) {
    return fit(residuals, jacobian, start, Tolerances.CERTIFIED);
  }

  /**
   * Minimizes the sum of squares of {@code residuals} from {@code start} (left unchanged), with
   * at most 10,000 iterations and 100,000 evaluations.
   */
  static Fit fit(Residuals residuals, Jacobian jacobian, double[] start, Tolerances tolerances) {
    int n = start.length;
    int m = residuals.at(start).length;
    LeastSquaresProblem problem = new LeastSquaresBuilder()
        .model(b -> checked(residuals.at(b), m), b -> checked(jacobian.at(b), m, n))
        .target(new double[m])
        .start(start.clone())
        .maxIterations(10_000)
        .maxEvaluations(100_000)
        .build();
    LevenbergMarquardtOptimizer optimizer = new LevenbergMarquardtOptimizer()
        .withCostRelativeTolerance(tolerances.cost())
        .withParameterRelativeTolerance(tolerances.parameters())
        .withOrthoTolerance(tolerances.orthogonality());
    LeastSquaresOptimizer.Optimum optimum = optimizer.optimize(problem);
    double[] b = optimum.getPoint().toArray();
    double[] r = residuals.at(b);
    double rss = 0.0;
    for (double v : r) {
      rss += v * v;
    }
    return new Fit(b, rss, standardDeviations(jacobian.at(b), rss), optimum.getIterations(),
        optimum.getEvaluations());
  }

  /**
   * {@code sqrt(diag(s^2 (J^T J)^-1))} with {@code s^2 = rss / (m - n)}, computed from a QR
   * decomposition of {@code J} with its columns scaled to unit norm rather than by forming {@code
   * J^T J}, whose condition number is the square of {@code J}'s (about 1e20 for Hahn1, whose
   * columns range from 1 to {@code x^3} with {@code x} up to 850). NaN where {@code J} is rank
   * deficient or {@code m <= n}.
   */
  static double[] standardDeviations(double[][] jacobian, double rss) {
    int m = jacobian.length;
    int n = jacobian[0].length;
    double[] sd = new double[n];
    if (m <= n) {
      java.util.Arrays.fill(sd, Double.NaN);
      return sd;
    }
    double[] scale = new double[n];
    double[][] scaled = new double[m][n];
    for (int j = 0; j < n; j++) {
      double s = 0.0;
      for (double[] row : jacobian) {
        s += row[j] * row[j];
      }
      scale[j] = Math.sqrt(s);
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        scaled[i][j] = scale[j] > 0.0 ? jacobian[i][j] / scale[j] : 0.0;
      }
    }
    RealMatrix r = new QRDecomposition(new Array2DRowRealMatrix(scaled, false)).getR();
    // (J^T J)^-1 = D^-1 R^-1 R^-T D^-1 with J D^-1 = Q R, so sd_j = s |row j of R^-1| / d_j.
    // R^-1 by back substitution, one column (of the identity) at a time.
    double[][] inverse = new double[n][n];
    for (int c = 0; c < n; c++) {
      for (int i = n - 1; i >= 0; i--) {
        double v = i == c ? 1.0 : 0.0;
        for (int k = i + 1; k < n; k++) {
          v -= r.getEntry(i, k) * inverse[k][c];
        }
        double diagonal = r.getEntry(i, i);
        inverse[i][c] = diagonal == 0.0 ? Double.NaN : v / diagonal;
      }
    }
    double s = Math.sqrt(rss / (m - n));
    for (int j = 0; j < n; j++) {
      double rowNorm = 0.0;
      for (int k = 0; k < n; k++) {
        rowNorm += inverse[j][k] * inverse[j][k];
      }
      sd[j] = s * Math.sqrt(rowNorm) / scale[j];
    }
    return sd;
  }

  private static double[] checked(double[] r, int m) {
    if (r.length != m) {
      throw new IllegalArgumentException("residuals changed length: " + r.length + " != " + m);
    }
    return r;
  }

  private static double[][] checked(double[][] jacobian, int m, int n) {
    if (jacobian.length != m || (m > 0 && jacobian[0].length != n)) {
      throw new IllegalArgumentException("the Jacobian is " + jacobian.length + " x "
          + (jacobian.length > 0 ? jacobian[0].length : 0) + ", expected " + m + " x " + n
          + " (rows = residuals, columns = parameters)");
    }
    return jacobian;
  }
}
