package dev.gradgen.samples;

import java.util.function.ToDoubleFunction;

/** Central finite differences, to check generated gradients against. */
final class FiniteDifferences {
  private FiniteDifferences() {}

  /**
   * The gradient of {@code f} at {@code x} by central differences, {@code (f(x + h e_i) - f(x - h
   * e_i)) / 2h}, with the step {@code h = step * max(1, |x_i|)}. {@code x} is left unchanged.
   */
  static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double step) {
    double[] point = x.clone();
    double[] gradient = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double h = step * Math.max(1.0, Math.abs(x[i]));
      point[i] = x[i] + h;
      double plus = f.applyAsDouble(point);
      point[i] = x[i] - h;
      double minus = f.applyAsDouble(point);
      point[i] = x[i];
      gradient[i] = (plus - minus) / (2.0 * h);
    }
    return gradient;
  }

  /** {@code |a - b| / max(|a|, |b|)} in the Euclidean norm; 0 when both are zero. */
  static double relativeError(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
    }
    double diff = 0.0;
    double normA = 0.0;
    double normB = 0.0;
    for (int i = 0; i < a.length; i++) {
      diff += (a[i] - b[i]) * (a[i] - b[i]);
      normA += a[i] * a[i];
      normB += b[i] * b[i];
    }
    double scale = Math.sqrt(Math.max(normA, normB));
    return scale == 0.0 ? 0.0 : Math.sqrt(diff) / scale;
  }
}
