package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * GradBench's {@code ode} eval (cmpad's {@code an_ode}): {@code s} steps of classical
 * Runge–Kutta from {@code y(0) = 0} to {@code t = 2} for {@code y_0' = x_0},
 * {@code y_i' = x_i y_{i-1}}. The right-hand side {@code z = f(x, y)} is written out at each of
 * the four stages, as the upstream reference inlines it.
 */
public final class Ode {
  private Ode() {}

  /**
   * The solution at {@code t = 2}.
   *
   * @param x the coefficients
   * @param s the number of steps
   * @return {@code y(2)}, as long as {@code x}
   */
  @Differentiable
  public static double[] primal(double[] x, @NoGrad int s) {
    int n = x.length;
    double h = 2.0 / s;
    double[] k1 = new double[n];
    double[] k2 = new double[n];
    double[] k3 = new double[n];
    double[] k4 = new double[n];
    double[] yTmp = new double[n];
    double[] yf = new double[n];
    for (int step = 0; step < s; step++) {
      k1[0] = x[0];
      for (int i = 1; i < n; i++) {
        k1[i] = x[i] * yf[i - 1];
      }
      for (int i = 0; i < n; i++) {
        yTmp[i] = yf[i] + h * k1[i] / 2;
      }
      k2[0] = x[0];
      for (int i = 1; i < n; i++) {
        k2[i] = x[i] * yTmp[i - 1];
      }
      for (int i = 0; i < n; i++) {
        yTmp[i] = yf[i] + h * k2[i] / 2;
      }
      k3[0] = x[0];
      for (int i = 1; i < n; i++) {
        k3[i] = x[i] * yTmp[i - 1];
      }
      for (int i = 0; i < n; i++) {
        yTmp[i] = yf[i] + h * k3[i];
      }
      k4[0] = x[0];
      for (int i = 1; i < n; i++) {
        k4[i] = x[i] * yTmp[i - 1];
      }
      for (int i = 0; i < n; i++) {
        yf[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
      }
    }
    return yf;
  }
}
