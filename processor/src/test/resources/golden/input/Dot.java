package p;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

public class Dot {
  @Differentiable
  static double sumSquares(double[] w, @NoGrad double[] x) {
    double s = 0.0;
    for (int i = 0; i < w.length; i++) {
      double t = w[i] * x[i];
      s += t * t;
    }
    return s;
  }

  @Differentiable
  static double sinChains(double[][] w, @NoGrad double[] x) {
    double s = 0.0;
    for (int i = 0; i < w.length; i++) {
      double t = 0.0;
      for (int j = 0; j < x.length; j++) {
        t = Math.sin(t) + w[i][j] * x[j];
      }
      s += t;
    }
    return s;
  }
}
