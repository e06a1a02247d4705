package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;
import dev.gradgen.Jvp;
import dev.gradgen.Vjp;
import org.hipparchus.special.Erf;
import org.hipparchus.special.Gamma;

/**
 * Custom rules declared by annotation for library functions gradgen cannot read (Hipparchus'
 * special functions, in a jar): the generated code calls the rules wherever the functions are
 * called. {@code erf} gets only a backward rule and {@code logGamma} only a forward one; gradgen
 * writes the other kind of each from it.
 */
public final class DeclaredRules {
  private DeclaredRules() {}

  /** erf'(x) = 2/√π e^(−x²). */
  @Vjp(of = Erf.class, method = "erf")
  public static double erfVjp(double x, double result, double dResult) {
    return dResult * 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
  }

  /** (log Γ)'(x) = ψ(x), the digamma function. */
  @Jvp(of = Gamma.class, method = "logGamma")
  public static double logGammaJvp(double x, double result, double xDot) {
    return Gamma.digamma(x) * xDot;
  }

  /**
   * A probit model's negative log-likelihood of one observation (label y in {0, 1}) plus a
   * log-gamma prior on the scale.
   */
  @Differentiable
  public static double probit(double[] w, double scale, double[] x, double y) {
    double z = 0;
    for (int i = 0; i < w.length; i++) {
      z += w[i] * x[i];
    }
    double p = 0.5 * (1 + Erf.erf(scale * z / Math.sqrt(2)));
    double nll = -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    return nll + Gamma.logGamma(1 + scale * scale);
  }
}
