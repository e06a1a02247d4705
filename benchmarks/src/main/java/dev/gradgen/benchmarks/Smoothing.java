package dev.gradgen.benchmarks;

import dev.gradgen.Differentiable;

/**
 * A loop with overwrites: a local array smoothed in place by several Gauss-Seidel-like sweeps, so
 * every element is overwritten {@link #SWEEPS} times. gradgen generates {@code SmoothingGrad} from
 * it; {@link HandWritten#smoothing} and {@link HandWritten#smoothingTaped} are the hand-written
 * reverse-mode gradients it is benchmarked against.
 */
public final class Smoothing {
  private Smoothing() {}

  /** Number of sweeps in {@link #energy} (the literal 8 there). */
  public static final int SWEEPS = 8;

  /**
   * Starting from {@code u = 0}, runs 8 sweeps of
   * {@code u[i] = 0.5 u[i] + 0.25 (u[i-1] + u[i+1]) + p[i] q} over the interior points (in place,
   * so {@code u[i-1]} is already this sweep's value), then returns {@code sum_i u[i]^2}.
   */
  @Differentiable
  public static double energy(double[] p, double q) {
    int n = p.length;
    double[] u = new double[n];
    for (int s = 0; s < 8; s++) {
      for (int i = 1; i < n - 1; i++) {
        u[i] = 0.5 * u[i] + 0.25 * (u[i - 1] + u[i + 1]) + p[i] * q;
      }
    }
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      total += u[i] * u[i];
    }
    return total;
  }
}
