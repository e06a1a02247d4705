package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/** Methods for checking the generated API itself. */
public final class Contract {
  private Contract() {}

  /** Every parameter kind: differentiable double, double[], double[][] and constants. */
  @Differentiable
  public static double mixed(double s, double[] v, double[][] m, @NoGrad double c,
      @NoGrad double[] cv, @NoGrad double[][] cm, int n, long l, boolean flag, int[] idx) {
    double r = s * c;
    for (int i = 0; i < v.length; i++) {
      r += v[i] * cv[i] * m[i][idx[i]] + cm[i][0] * m[i][0];
    }
    r *= flag ? n : l;
    return r + s * s;
  }

  /** A method that works on local copies of what it is given, so arguments stay unmodified. */
  @Differentiable
  static double workOnCopies(double x, double[] v, double[][] m) {
    double[] t = new double[v.length];
    for (int i = 0; i < v.length; i++) t[i] = v[i];
    double s = 0;
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < t.length; i++) {
        t[i] = t[i] * x + m[i][i];
        s += t[i];
      }
    }
    x = x * 2;
    return s * x;
  }

  /** A nested class: its gradients land in Contract_InnerGrad. */
  public static final class Inner {
    private Inner() {}

    @Differentiable
    static double f(double x, double[] y) {
      return x * y[0] + y[1] * y[1];
    }

    /** Doubly nested. */
    static final class Deeper {
      private Deeper() {}

      @Differentiable
      static double g(double x) {
        return x * x * x;
      }
    }
  }
}
