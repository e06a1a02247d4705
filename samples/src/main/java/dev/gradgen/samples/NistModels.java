package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * The residuals of two NIST StRD nonlinear regression problems ({@link NistStrd}), written as
 * plain Java the way a gradgen user writes a function to differentiate: a loop over the
 * observations filling a new array. Each method returns {@code r[i] = y[i] - model(x[i]; b)}, the
 * vector whose sum of squares Levenberg-Marquardt minimizes over the parameters {@code b}
 * ({@code b[0]} is NIST's {@code b1}).
 *
 * <p>Both models are rational functions of {@code x}, numerator over a denominator with constant
 * term 1. Their Jacobians (rows: observations, columns: parameters) are what gradgen's vector
 * methods are to generate.
 */
public final class NistModels {
  private NistModels() {}

  /**
   * Kirby2's residuals: {@code y - (b1 + b2 x + b3 x^2) / (1 + b4 x + b5 x^2)}.
   *
   * @param b the five parameters
   * @param x the predictor, one value per observation
   * @param y the responses, as many as {@code x}
   * @return the residuals, one per observation
   */
  @Differentiable
  public static double[] kirby2Residuals(double[] b, @NoGrad double[] x, @NoGrad double[] y) {
    int m = x.length;
    double[] r = new double[m];
    for (int i = 0; i < m; i++) {
      double xi = x[i];
      double numerator = b[0] + b[1] * xi + b[2] * xi * xi;
      double denominator = 1.0 + b[3] * xi + b[4] * xi * xi;
      r[i] = y[i] - numerator / denominator;
    }
    return r;
  }

  /**
   * Hahn1's residuals: {@code y - (b1 + b2 x + b3 x^2 + b4 x^3) / (1 + b5 x + b6 x^2 + b7 x^3)}.
   *
   * @param b the seven parameters
   * @param x the predictor (temperature in kelvin), one value per observation
   * @param y the responses (coefficient of thermal expansion), as many as {@code x}
   * @return the residuals, one per observation
   */
  @Differentiable
  public static double[] hahn1Residuals(double[] b, @NoGrad double[] x, @NoGrad double[] y) {
    int m = x.length;
    double[] r = new double[m];
    for (int i = 0; i < m; i++) {
      double xi = x[i];
      double x2 = xi * xi;
      double x3 = x2 * xi;
      double numerator = b[0] + b[1] * xi + b[2] * x2 + b[3] * x3;
      double denominator = 1.0 + b[4] * xi + b[5] * x2 + b[6] * x3;
      r[i] = y[i] - numerator / denominator;
    }
    return r;
  }
}
