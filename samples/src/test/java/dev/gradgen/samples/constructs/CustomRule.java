package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * User-written custom rules: static functions whose class also has a {@code fBackward} with the
 * documented signature. The generated gradients call the backward functions, never the bodies.
 */
public final class CustomRule {
  private CustomRule() {}

  /** Elementwise tanh; a custom rule. */
  public static double[] squash(double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = Math.tanh(a[i]);
    }
    return r;
  }

  public static void squashBackward(double[] a, double[] result, double[] dResult, double[] da) {
    if (da == null) {
      return;
    }
    for (int i = 0; i < a.length; i++) {
      da[i] += dResult[i] * (1 - result[i] * result[i]);
    }
  }

  /** s * a; its one scalar parameter's adjoint is the backward's return value. */
  public static double[] stretch(double s, double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = s * a[i];
    }
    return r;
  }

  public static double stretchBackward(double s, double[] a, double[] result, double[] dResult,
      double[] da) {
    double ds = 0;
    for (int i = 0; i < a.length; i++) {
      ds += dResult[i] * a[i];
      if (da != null) {
        da[i] += dResult[i] * s;
      }
    }
    return ds;
  }

  /** Inner product; a scalar-valued custom rule. */
  public static double inner(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  public static void innerBackward(double[] a, double[] b, double result, double dResult,
      double[] da, double[] db) {
    for (int i = 0; i < a.length; i++) {
      if (da != null) {
        da[i] += dResult * b[i];
      }
      if (db != null) {
        db[i] += dResult * a[i];
      }
    }
  }

  /** c * tanh(x / c): a rule for a primal with two double parameters returns both adjoints. */
  public static double softclip(double x, double c) {
    return c * Math.tanh(x / c);
  }

  public static double[] softclipBackward(double x, double c, double result, double dResult) {
    double t = Math.tanh(x / c);
    double dt = 1 - t * t;
    return new double[] {dResult * dt, dResult * (t - x / c * dt)};
  }

  /** s * a + t * b with two double parameters and two arrays. */
  public static double[] blend(double s, double[] a, double t, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = s * a[i] + t * b[i];
    }
    return r;
  }

  public static double[] blendBackward(double s, double[] a, double t, double[] b,
      double[] result, double[] dResult, double[] da, double[] db) {
    double ds = 0;
    double dt = 0;
    for (int i = 0; i < a.length; i++) {
      ds += dResult[i] * a[i];
      dt += dResult[i] * b[i];
      if (da != null) {
        da[i] += dResult[i] * s;
      }
      if (db != null) {
        db[i] += dResult[i] * t;
      }
    }
    return new double[] {ds, dt};
  }

  /** Rules with several double parameters, some of them constants, inside and outside loops. */
  @Differentiable
  static double clipped(double[] w, double s, double c, @NoGrad double[] x, @NoGrad double k) {
    double total = softclip(s * 3, c) + softclip(k, c * c) + softclip(s, k);
    double[] h = blend(s, w, c, x);
    for (int i = 0; i < h.length; i++) {
      total += softclip(h[i], c + i) * x[i];
    }
    h = blend(k, h, s * c, w);
    return total + inner(h, h);
  }

  /** Nested custom-rule calls, an indexed result, and a loop that reassigns the array. */
  @Differentiable
  static double net(double[] w, double s, @NoGrad double[] x) {
    double[] h = squash(stretch(s * 2, w));
    double total = inner(h, x) + squash(w)[1] * s;
    for (int i = 0; i < 3; i++) {
      h = squash(stretch(0.5, h));
      total += inner(h, h) * 0.1;
    }
    return total;
  }
}
