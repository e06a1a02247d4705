package dev.gradgen.benchmarks.peers;

import dev.gradgen.benchmarks.LinearMse;
import org.hipparchus.analysis.differentiation.Gradient;

/**
 * {@link LinearMse#loss} written with Hipparchus's forward-mode {@link Gradient}: every weight and
 * the bias is a {@code Gradient} variable (one free parameter each, d + 1 in all), and the loss is
 * the objective's loops over {@code Gradient} arithmetic, as a user would write it. Each operation
 * carries all d + 1 partial derivatives in a fresh array, so a call costs about (d + 1) times the
 * objective's arithmetic plus one allocation per operation: forward mode's price for a gradient.
 */
public final class HipparchusMse {
  private HipparchusMse() {}

  /** {@code mean_i (b + w . x[i] - y[i])^2} over {@code Gradient}s, in the objective's order. */
  public static Gradient loss(Gradient[] w, Gradient b, double[][] x, double[] y) {
    int n = x.length;
    Gradient total = Gradient.constant(b.getFreeParameters(), 0.0);
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      Gradient r = b.subtract(y[i]);
      for (int j = 0; j < w.length; j++) {
        r = r.add(w[j].multiply(xi[j]));
      }
      total = total.add(r.multiply(r));
    }
    return total.divide(n);
  }

  /**
   * Value and gradient of {@link LinearMse#loss} at {@code (w, b)}: the variables are {@code w[0]},
   * ..., {@code w[d-1]}, {@code b}, so {@code getGradient()} is {@code dw} followed by {@code db}.
   */
  public static Gradient valueAndGradient(double[] w, double b, double[][] x, double[] y) {
    int params = w.length + 1;
    Gradient[] wv = new Gradient[w.length];
    for (int j = 0; j < w.length; j++) {
      wv[j] = Gradient.variable(params, j, w[j]);
    }
    Gradient bv = Gradient.variable(params, w.length, b);
    return loss(wv, bv, x, y);
  }
}
