package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import java.util.Locale;

/**
 * The Black–Scholes price of a European call, in plain Java down to the normal distribution
 * function, so that the gradient gradgen generates from {@link #call} is the vector of Greeks:
 * delta {@code dV/dS}, vega {@code dV/dsigma}, rho {@code dV/dr}, and {@code dV/dT}.
 *
 * <p>Sign convention: {@code t} is the time to maturity in years, so theta, the rate of change
 * of the value as calendar time passes with everything else fixed, is {@code theta = -dV/dT}
 * (per year; negative for a call on a non-dividend-paying stock).
 */
public final class BlackScholes {
  private BlackScholes() {}

  /**
   * The value of a European call on a non-dividend-paying stock: spot {@code s}, volatility
   * {@code sigma}, continuously compounded rate {@code r}, time to maturity {@code t} (years) and
   * strike {@code k}. {@code C = S N(d1) - K exp(-rT) N(d2)}, {@code d1 = (ln(S/K) + (r +
   * sigma^2/2) T) / (sigma sqrt T)}, {@code d2 = d1 - sigma sqrt T}.
   */
  @Differentiable
  public static double call(double s, double sigma, double r, double t, double k) {
    double volSqrtT = sigma * Math.sqrt(t);
    double d1 = (Math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / volSqrtT;
    double d2 = d1 - volSqrtT;
    return s * normalCdf(d1) - k * Math.exp(-r * t) * normalCdf(d2);
  }

  /** The standard normal distribution function, {@code N(x) = erfc(-x / sqrt 2) / 2}. */
  @Differentiable
  public static double normalCdf(double x) {
    return 0.5 * erfc(-x * 0.70710678118654752440);
  }

  /**
   * The complementary error function by W. J. Cody's rational Chebyshev approximations
   * ("Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631-637;
   * the coefficients and argument splitting of his Fortran routine CALERF in SPECFUN, netlib),
   * relative error about 1e-16 in double precision. Three intervals of {@code |x|}: up to 0.46875
   * ({@code 1 - erf}), up to 4, beyond 4; {@code erfc(-x) = 2 - erfc(x)}. Beyond {@code |x| =
   * 26.543} the result underflows to 0 (or is 2).
   */
  @Differentiable
  public static double erfc(double x) {
    double y = Math.abs(x);
    double result;
    if (y <= 0.46875) {
      double z = y * y;
      double num = ((((0.185777706184603153 * z + 3.16112374387056560) * z
          + 113.864154151050156) * z + 377.485237685302021) * z + 3209.37758913846947);
      double den = ((((z + 23.6012909523441209) * z + 244.024637934444173) * z
          + 1282.61652607737228) * z + 2844.23683343917062);
      return 1.0 - x * num / den;
    } else if (y <= 4.0) {
      double num = (((((((2.15311535474403846e-8 * y + 0.564188496988670089) * y
          + 8.88314979438837594) * y + 66.1191906371416295) * y + 298.635138197400131) * y
          + 881.952221241769090) * y + 1712.04761263407058) * y + 2051.07837782607147) * y
          + 1230.33935479799725;
      double den = (((((((y + 15.7449261107098347) * y + 117.693950891312499) * y
          + 537.181101862009858) * y + 1621.38957456669019) * y + 3290.79923573345963) * y
          + 4362.61909014324716) * y + 3439.36767414372164) * y + 1230.33935480374942;
      result = num / den;
    } else if (y < 26.543) {
      double z = 1.0 / (y * y);
      double num = ((((0.0163153871373020978 * z + 0.305326634961232344) * z
          + 0.360344899949804439) * z + 0.125781726111229246) * z + 0.0160837851487422766) * z
          + 6.58749161529837803e-4;
      double den = ((((z + 2.56852019228982242) * z + 1.87295284992346047) * z
          + 0.527905102951428412) * z + 0.0605183413124413191) * z + 0.00233520497626869185;
      result = (0.56418958354775628695 - z * num / den) / y;
    } else {
      return x > 0.0 ? 0.0 : 2.0;
    }
    // exp(-y^2) as exp(-q^2) exp(-(y - q)(y + q)) with q = y rounded down to 1/16, as in CALERF,
    // so that the rounding error of y^2 is not amplified. q is piecewise constant in y.
    double q = Math.floor(y * 16.0) / 16.0;
    result = Math.exp(-q * q) * Math.exp(-(y - q) * (y + q)) * result;
    return x < 0.0 ? 2.0 - result : result;
  }

  /** The standard normal density. */
  static double normalPdf(double x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2.0 * Math.PI);
  }

  /** The closed-form Greeks of {@link #call}, for checking the generated gradient. */
  record Greeks(double delta, double vega, double rho, double theta, double dualDelta) {
    /** {@code delta = N(d1)}, {@code vega = S n(d1) sqrt T}, {@code rho = K T e^{-rT} N(d2)},
     * {@code theta = -S n(d1) sigma / (2 sqrt T) - r K e^{-rT} N(d2)}, {@code dV/dK = -e^{-rT}
     * N(d2)}. */
    static Greeks analytic(double s, double sigma, double r, double t, double k) {
      double sqrtT = Math.sqrt(t);
      double d1 = (Math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
      double d2 = d1 - sigma * sqrtT;
      double discount = Math.exp(-r * t);
      return new Greeks(
          normalCdf(d1),
          s * normalPdf(d1) * sqrtT,
          k * t * discount * normalCdf(d2),
          -s * normalPdf(d1) * sigma / (2.0 * sqrtT) - r * k * discount * normalCdf(d2),
          -discount * normalCdf(d2));
    }

    /** The Greeks read off the generated gradient; {@code theta = -dV/dT}. */
    static Greeks generated(BlackScholesGrad.CallGradient g) {
      return new Greeks(g.s(), g.sigma(), g.r(), -g.t(), g.k());
    }
  }

  /** Prices a few calls and prints generated vs. closed-form Greeks; exit code 0 if within 1e-9. */
  public static int run(String[] args) {
    if (args.length > 0) {
      System.out.println("usage: black-scholes (no options): Greeks of a European call from the "
          + "generated gradient vs. the closed forms");
      return "--help".equals(args[0]) || "-h".equals(args[0]) ? 0 : 2;
    }
    double[][] cases = { // s, sigma, r, t, k
      {100, 0.2, 0.05, 1.0, 100}, {100, 0.3, 0.01, 0.25, 120}, {80, 0.15, 0.03, 2.0, 60},
      {50, 0.5, 0.0, 0.1, 55}, {1200, 0.12, 0.04, 5.0, 1000},
    };
    double worst = 0.0;
    System.out.printf(Locale.ROOT, "%-34s %10s %10s %10s %10s %10s %10s%n", "S sigma r T K",
        "price", "delta", "vega", "rho", "theta", "max err");
    for (double[] c : cases) {
      BlackScholesGrad.CallGradient g = BlackScholesGrad.call(c[0], c[1], c[2], c[3], c[4]);
      Greeks ad = Greeks.generated(g);
      Greeks exact = Greeks.analytic(c[0], c[1], c[2], c[3], c[4]);
      double error = maxError(ad, exact);
      worst = Math.max(worst, error);
      System.out.printf(Locale.ROOT, "%-34s %10.4f %10.6f %10.4f %10.4f %10.4f %10.2e%n",
          String.format(Locale.ROOT, "%.4g %.4g %.4g %.4g %.4g", c[0], c[1], c[2], c[3], c[4]), g.value(),
          ad.delta(), ad.vega(), ad.rho(), ad.theta(), error);
    }
    System.out.printf(Locale.ROOT, "max error of the generated Greeks vs. closed forms: %.2e%n",
        worst);
    return worst <= 1e-9 ? 0 : 1;
  }

  /** The largest of {@code |a - b| / max(1, |b|)} over the five Greeks. */
  static double maxError(Greeks a, Greeks b) {
    double[] x = {a.delta(), a.vega(), a.rho(), a.theta(), a.dualDelta()};
    double[] y = {b.delta(), b.vega(), b.rho(), b.theta(), b.dualDelta()};
    double max = 0.0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs(x[i] - y[i]) / Math.max(1.0, Math.abs(y[i])));
    }
    return max;
  }
}
