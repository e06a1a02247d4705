package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import dev.gradgen.GradCheck;
import dev.gradgen.NoGrad;
import java.util.Locale;
import java.util.Random;

/**
 * Monte Carlo price of an arithmetic-average Asian call under geometric Brownian motion. The
 * standard normals driving the paths are an argument, so the estimator is a deterministic
 * function of {@code (s0, sigma, r)}, and one backward pass through the generated code gives its
 * pathwise derivatives delta, vega and rho all at once. With the same normals, bump-and-revalue
 * central differences of {@link #price} must agree with them.
 *
 * <p>The payoff {@code max(A - K, 0)} is not smoothed: its pathwise derivative is 0 below the
 * strike and 1 above, which is exact for every path whose average is not exactly at the strike
 * (a set of probability zero).
 */
public final class AsianOption {
  private AsianOption() {}

  /**
   * The discounted mean payoff {@code exp(-rT) mean_p max(A_p - K, 0)}, where {@code A_p} is the
   * average of {@code S} at the {@code m = z[0].length} equally spaced monitoring dates {@code
   * T/m, 2T/m, ..., T} on path {@code p}, and {@code S(t + dt) = S(t) exp((r - sigma^2/2) dt +
   * sigma sqrt(dt) z)} with the normals {@code z[p]}.
   */
  @Differentiable
  public static double price(double s0, double sigma, double r, @NoGrad double t,
      @NoGrad double k, @NoGrad double[][] z) {
    int steps = z[0].length;
    double dt = t / steps;
    double drift = (r - 0.5 * sigma * sigma) * dt;
    double vol = sigma * Math.sqrt(dt);
    double total = 0.0;
    for (int p = 0; p < z.length; p++) {
      double s = s0;
      double sum = 0.0;
      for (int i = 0; i < steps; i++) {
        s = s * Math.exp(drift + vol * z[p][i]);
        sum += s;
      }
      total += Math.max(sum / steps - k, 0.0);
    }
    return Math.exp(-r * t) * total / z.length;
  }

  /** {@code paths} rows of {@code steps} standard normals from {@code new Random(seed)}. */
  static double[][] normals(int paths, int steps, long seed) {
    Random random = new Random(seed);
    double[][] z = new double[paths][steps];
    for (double[] row : z) {
      for (int i = 0; i < steps; i++) {
        row[i] = random.nextGaussian();
      }
    }
    return z;
  }

  /** The generated pathwise Greeks against bump-and-revalue with the same normals. */
  static GradCheck.Report check(double s0, double sigma, double r, double t, double k,
      double[][] z) {
    AsianOptionGrad.PriceGradient g = AsianOptionGrad.price(s0, sigma, r, t, k, z);
    GradCheck.Layout layout = GradCheck.layout("delta (s0)", s0, "vega (sigma)", sigma,
        "rho (r)", r);
    return GradCheck.check(layout,
        a -> price(a.scalar(0), a.scalar(1), a.scalar(2), t, k, z), g.s0(), g.sigma(), g.r());
  }

  /**
   * Prices the option and prints the pathwise Greeks next to bump-and-revalue; exit code 0 if
   * they agree to 1e-6. Options: {@code --paths N} (default 20000), {@code --seed S} (default 42).
   */
  public static int run(String[] args) {
    int paths = 20_000;
    long seed = 42;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (("--paths".equals(arg) || "--seed".equals(arg)) && i + 1 < args.length) {
        try {
          if ("--paths".equals(arg)) {
            paths = Integer.parseInt(args[++i]);
          } else {
            seed = Long.parseLong(args[++i]);
          }
        } catch (NumberFormatException e) {
          System.out.println("not a number: " + args[i]);
          return 2;
        }
      } else {
        System.out.println("usage: asian-option [--paths N] [--seed S]: Monte Carlo Asian call, "
            + "pathwise Greeks from one backward pass vs. bump-and-revalue");
        return "--help".equals(arg) || "-h".equals(arg) ? 0 : 2;
      }
    }
    if (paths < 2) {
      System.out.println("--paths must be at least 2");
      return 2;
    }
    double s0 = 100.0;
    double sigma = 0.25;
    double r = 0.03;
    double t = 1.0;
    double k = 100.0;
    int steps = 12;
    double[][] z = normals(paths, steps, seed);
    AsianOptionGrad.PriceGradient g = AsianOptionGrad.price(s0, sigma, r, t, k, z);
    System.out.printf(Locale.ROOT, "arithmetic Asian call: S0 %.1f, sigma %.2f, r %.2f, T %.1f, "
        + "K %.1f, %d monthly fixings, %d paths (seed %d)%n", s0, sigma, r, t, k, steps, paths,
        seed);
    System.out.printf(Locale.ROOT, "price %.6f  delta %.6f  vega %.6f  rho %.6f%n", g.value(),
        g.s0(), g.sigma(), g.r());
    GradCheck.Report report = check(s0, sigma, r, t, k, z);
    System.out.print(report);
    return report.maxRelativeError() <= 1e-6 ? 0 : 1;
  }
}
