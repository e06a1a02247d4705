package p;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

public class Golden {
  @Differentiable
  static double phi(double w1, @NoGrad double a, @NoGrad double b1) {
    double y1 = a * w1;
    double y2 = y1 + b1;
    return y2 * y2;
  }
}
