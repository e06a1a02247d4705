package dev.gradgen.benchmarks;

import dev.gradgen.Differentiable;

/**
 * The functions of {@link DerivativesBenchmark}: a vector map for Jacobians of every aspect ratio
 * and two scalar loops (Rosenbrock's valley, and a smooth coupled loss) for Hessian-vector
 * products and Hessians.
 */
public final class Derivatives {
  private Derivatives() {}

  /**
   * {@code m} outputs of the {@code n} inputs: {@code out_i = Σ_j tanh(c_i x_j + j / 10)}, so
   * the primal costs m n tanh and every Jacobian entry is nonzero.
   *
   * @param x the inputs
   * @param m the number of outputs
   * @return the outputs
   */
  @Differentiable
  public static double[] map(double[] x, int m) {
    double[] out = new double[m];
    for (int i = 0; i < m; i++) {
      double c = 0.01 * (i + 1);
      double s = 0.0;
      for (int j = 0; j < x.length; j++) {
        s += Math.tanh(c * x[j] + 0.1 * j);
      }
      out[i] = s;
    }
    return out;
  }

  /**
   * The extended Rosenbrock function {@code Σ 100 (x_{i+1} - x_i²)² + (1 - x_i)²}.
   *
   * @param x the point
   * @return the value
   */
  @Differentiable
  public static double rosenbrock(double[] x) {
    double s = 0.0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1.0 - x[i];
      s += 100.0 * a * a + b * b;
    }
    return s;
  }

  /**
   * A smooth loss coupling neighbours through transcendental functions: {@code Σ log(1 + exp(x_i
   * x_{i+1})) + sin(x_i) x_i}.
   *
   * @param x the point
   * @return the value
   */
  @Differentiable
  public static double coupled(double[] x) {
    double s = 0.0;
    for (int i = 0; i + 1 < x.length; i++) {
      s += Math.log1p(Math.exp(x[i] * x[i + 1])) + Math.sin(x[i]) * x[i];
    }
    return s;
  }
}
