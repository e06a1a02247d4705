package dev.gradgen.gradbench;

import java.util.function.BinaryOperator;

/**
 * A reference solver for the ode eval: classical Runge–Kutta over a right-hand side given as a
 * function, {@code s} steps from {@code y = 0} to {@code t = 2}.
 */
final class RungeKutta {
  private RungeKutta() {}

  static double[] solve(double[] x, int s) {
    BinaryOperator<double[]> f = (coefficients, y) -> {
      double[] z = new double[y.length];
      z[0] = coefficients[0];
      for (int i = 1; i < y.length; i++) {
        z[i] = coefficients[i] * y[i - 1];
      }
      return z;
    };
    double h = 2.0 / s;
    double[] y = new double[x.length];
    for (int step = 0; step < s; step++) {
      double[] k1 = f.apply(x, y);
      double[] k2 = f.apply(x, axpy(h / 2, k1, y));
      double[] k3 = f.apply(x, axpy(h / 2, k2, y));
      double[] k4 = f.apply(x, axpy(h, k3, y));
      for (int i = 0; i < y.length; i++) {
        y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      }
    }
    return y;
  }

  private static double[] axpy(double a, double[] x, double[] y) {
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i] + a * x[i];
    }
    return out;
  }
}
