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
  static double norm(double[] w, @NoGrad double[] x) {
    double s = 0.0;
    for (int i = 0; i < w.length; i++) {
      double t = w[i] * x[i];
      s += t * t;
    }
    return Math.sqrt(s);
  }
}
