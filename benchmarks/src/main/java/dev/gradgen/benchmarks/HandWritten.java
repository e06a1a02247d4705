package dev.gradgen.benchmarks;

import java.util.Arrays;

/**
 * Hand-written reverse-mode gradients of {@link LinearMse#loss} and {@link Smoothing#energy}, as
 * fast as reasonably possible in plain Java, for comparison with the generated ones. Like the
 * generated buffer forms they overwrite a caller-owned buffer and return the value.
 * {@code GradientEqualityTest} checks them against the generated gradients.
 */
public final class HandWritten {
  private HandWritten() {}

  /**
   * Gradient storage for {@link #mse} and {@link #mseOnePass}: {@code d/dw}, {@code d/db}, and
   * scratch space for the residuals (grown on first use, then reused).
   */
  public static final class MseGradient {
    public final double[] w;
    public double b;
    double[] residuals = new double[0];

    public MseGradient(int d) {
      this.w = new double[d];
    }
  }

  /** Gradient storage for {@link #smoothing}: {@code d/dp} and {@code d/dq}. */
  public static final class SmoothingGradient {
    public final double[] p;
    public double q;

    public SmoothingGradient(int n) {
      this.p = new double[n];
    }
  }

  /**
   * Value and gradient of {@link LinearMse#loss}: one sweep over the rows computes the residuals
   * {@code r_i} (same arithmetic, same order as the objective) into a reused scratch array, a
   * second sweep accumulates {@code r_i * x[i]} into {@code dw}; the common factor {@code 2/n} is
   * applied once at the end. On HotSpot 17 this is faster than the fused single sweep
   * {@link #mseOnePass} (compare the {@code mseHand} and {@code mseHandOnePass} benchmarks).
   */
  public static double mse(double[] w, double b, double[][] x, double[] y, MseGradient grad) {
    int n = x.length;
    int d = w.length;
    double[] res = grad.residuals;
    if (res.length < n) {
      res = grad.residuals = new double[n];
    }
    double total = 0.0;
    double sumR = 0.0;
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      double r = b - y[i];
      for (int j = 0; j < d; j++) {
        r += w[j] * xi[j];
      }
      res[i] = r;
      total += r * r;
      sumR += r;
    }
    double[] dw = grad.w;
    Arrays.fill(dw, 0.0);
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      double r = res[i];
      for (int j = 0; j < d; j++) {
        dw[j] += r * xi[j];
      }
    }
    double scale = 2.0 / n;
    for (int j = 0; j < d; j++) {
      dw[j] *= scale;
    }
    grad.b = scale * sumR;
    return total / n;
  }

  /**
   * The same gradient as {@link #mse} in a single sweep over the rows: each row's residual is
   * computed and {@code r_i * x[i]} accumulated into {@code dw} while the row is still in L1.
   */
  public static double mseOnePass(double[] w, double b, double[][] x, double[] y, MseGradient grad) {
    double[] dw = grad.w;
    Arrays.fill(dw, 0.0);
    int n = x.length;
    int d = w.length;
    double total = 0.0;
    double sumR = 0.0;
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      double r = b - y[i];
      for (int j = 0; j < d; j++) {
        r += w[j] * xi[j];
      }
      total += r * r;
      sumR += r;
      for (int j = 0; j < d; j++) {
        dw[j] += r * xi[j];
      }
    }
    double scale = 2.0 / n;
    for (int j = 0; j < d; j++) {
      dw[j] *= scale;
    }
    grad.b = scale * sumR;
    return total / n;
  }

  /**
   * Value and gradient of {@link Smoothing#energy}. The sweep is linear in {@code u}, so its
   * partial derivatives ({@code 0.5}, {@code 0.25}, {@code q}, {@code p[i]}) do not depend on the
   * overwritten values and nothing has to be saved: the forward sweeps run as written, the adjoint
   * {@code 2u} of the final sum of squares overwrites {@code u} in place, and the sweeps are
   * reversed (last sweep first, {@code i} descending). {@code dp[i]} collects
   * {@code sum over sweeps of ubar[i]}, scaled by {@code q} at the end; {@code dq = p . that sum}.
   */
  public static double smoothing(double[] p, double q, SmoothingGradient grad) {
    int n = p.length;
    double[] u = new double[n];
    for (int s = 0; s < Smoothing.SWEEPS; s++) {
      for (int i = 1; i < n - 1; i++) {
        u[i] = 0.5 * u[i] + 0.25 * (u[i - 1] + u[i + 1]) + p[i] * q;
      }
    }
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      total += u[i] * u[i];
      u[i] = 2.0 * u[i]; // from here on u holds the adjoint ubar
    }
    double[] dp = grad.p;
    Arrays.fill(dp, 0.0);
    for (int s = 0; s < Smoothing.SWEEPS; s++) {
      for (int i = n - 2; i >= 1; i--) {
        double a = u[i];
        u[i] = 0.5 * a;
        u[i - 1] += 0.25 * a;
        u[i + 1] += 0.25 * a;
        dp[i] += a;
      }
    }
    double dq = 0.0;
    for (int i = 1; i < n - 1; i++) {
      dq += p[i] * dp[i];
      dp[i] *= q;
    }
    grad.q = dq;
    return total;
  }

  /**
   * Reusable storage for {@link #smoothingTaped}: the overwritten values of {@code u} and the
   * adjoint array.
   */
  public static final class SmoothingTape {
    final double[] saved;
    final double[] ubar;

    public SmoothingTape(int n) {
      this.saved = new double[Smoothing.SWEEPS * Math.max(n - 2, 0)];
      this.ubar = new double[n];
    }
  }

  /**
   * The same gradient as {@link #smoothing}, written the way a general reverse-mode tool must
   * without linearity analysis: every overwritten {@code u[i]} is saved before the write (into a
   * preallocated array, no tape object) and restored in the backward sweep, and the adjoint lives
   * in a separate array. A baseline for "same algorithm as the generated code, hand-written".
   */
  public static double smoothingTaped(
      double[] p, double q, SmoothingGradient grad, SmoothingTape tape) {
    int n = p.length;
    double[] u = new double[n];
    double[] saved = tape.saved;
    int top = 0;
    for (int s = 0; s < Smoothing.SWEEPS; s++) {
      for (int i = 1; i < n - 1; i++) {
        saved[top++] = u[i];
        u[i] = 0.5 * u[i] + 0.25 * (u[i - 1] + u[i + 1]) + p[i] * q;
      }
    }
    double total = 0.0;
    double[] ubar = tape.ubar;
    for (int i = 0; i < n; i++) {
      total += u[i] * u[i];
      ubar[i] = 2.0 * u[i];
    }
    double[] dp = grad.p;
    Arrays.fill(dp, 0.0);
    double dq = 0.0;
    for (int s = Smoothing.SWEEPS - 1; s >= 0; s--) {
      for (int i = n - 2; i >= 1; i--) {
        u[i] = saved[--top];
        double a = ubar[i];
        ubar[i] = 0.5 * a;
        ubar[i - 1] += 0.25 * a;
        ubar[i + 1] += 0.25 * a;
        dp[i] += a * q;
        dq += a * p[i];
      }
    }
    grad.q = dq;
    return total;
  }
}
