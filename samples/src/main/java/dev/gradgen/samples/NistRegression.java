package dev.gradgen.samples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The {@code nist} subcommand: Levenberg-Marquardt ({@link LeastSquaresFit}) on the NIST StRD
 * problems Kirby2 and Hahn1 ({@link NistStrd}), from both of NIST's starting points, with the
 * residuals of {@link NistModels} and the Jacobians {@link Derivatives} supplies. For each
 * parameter it prints the log relative error (LRE) against the certified value, the number of
 * correct significant digits, which is how NIST's reference problems are meant to judge a fitter.
 */
final class NistRegression {
  static final String NAME = "nist";
  static final String SUMMARY =
      "Levenberg-Marquardt on NIST StRD Kirby2 and Hahn1: correct digits per parameter";

  static final String USAGE = String.join(System.lineSeparator(),
      "Usage: dev.gradgen.samples.Main nist [--help]",
      "",
      "Fits the NIST StRD nonlinear regression problems Kirby2 and Hahn1 from both starting",
      "points with Hipparchus' Levenberg-Marquardt optimizer and prints, per parameter, the log",
      "relative error LRE = -log10(|b - b_certified| / |b_certified|) (the number of correct",
      "significant digits, capped at 11, the digits NIST certifies), the same for the residual",
      "sum of squares, the least LRE of the parameters' standard deviations, and the work done.",
      "Exits 1 if any LRE of a parameter or of the residual sum of squares is below 6.",
      "",
      "With Maven: mvn -B -q -pl samples exec:java -Dexec.args=\"nist\"");

  /** Correct digits every parameter and the residual sum of squares must reach. */
  static final double REQUIRED_LRE = 6.0;

  /** One problem with its residuals and Jacobian. */
  record Case(NistStrd.Problem problem, LeastSquaresFit.Residuals residuals,
      LeastSquaresFit.Jacobian jacobian) {}

  /** A fit from one start, with its LREs. */
  record Outcome(LeastSquaresFit.Fit fit, double[] parameterLre, double rssLre,
      double standardDeviationLre) {
    double worst() {
      double worst = rssLre;
      for (double lre : parameterLre) {
        worst = Math.min(worst, lre);
      }
      return worst;
    }
  }

  private NistRegression() {}

  /** Kirby2 and Hahn1. */
  static List<Case> cases() {
    NistStrd.Problem kirby2 = NistStrd.load(NistStrd.KIRBY2);
    NistStrd.Problem hahn1 = NistStrd.load(NistStrd.HAHN1);
    return List.of(
        new Case(kirby2, b -> NistModels.kirby2Residuals(b, kirby2.x(), kirby2.y()),
            Derivatives.kirby2(kirby2.x(), kirby2.y())),
        new Case(hahn1, b -> NistModels.hahn1Residuals(b, hahn1.x(), hahn1.y()),
            Derivatives.hahn1(hahn1.x(), hahn1.y())));
  }

  /** Fits {@code c} from NIST's start 1 or 2 and scores the fit against the certified values. */
  static Outcome fit(Case c, int start) {
    NistStrd.Problem p = c.problem();
    LeastSquaresFit.Fit fit = LeastSquaresFit.fit(c.residuals(), c.jacobian(), p.start(start));
    double[] lre = new double[p.parameters()];
    double sdLre = NistStrd.LRE_CAP;
    for (int j = 0; j < lre.length; j++) {
      lre[j] = NistStrd.logRelativeError(fit.parameters()[j], p.certifiedValues()[j],
          NistStrd.LRE_CAP);
      sdLre = Math.min(sdLre, NistStrd.logRelativeError(fit.standardDeviations()[j],
          p.certifiedStandardDeviations()[j], NistStrd.LRE_CAP));
    }
    double rssLre = NistStrd.logRelativeError(fit.residualSumOfSquares(),
        p.certifiedResidualSumOfSquares(), NistStrd.LRE_CAP);
    return new Outcome(fit, lre, rssLre, sdLre);
  }

  /**
   * Runs the subcommand with the arguments after its name; returns the exit code (0 when every
   * LRE reaches {@link #REQUIRED_LRE}, 1 otherwise, 2 for bad arguments).
   */
  public static int run(String[] args) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return 0;
    }
    if (args.length > 0) {
      System.err.println("error: unknown argument: " + args[0]);
      System.err.println(USAGE);
      return 2;
    }
    PrintStream out = System.out;
    out.println("NIST StRD nonlinear regression, Hipparchus LevenbergMarquardtOptimizer");
    out.println("residuals: NistModels; " + Derivatives.JACOBIANS);
    out.printf(Locale.ROOT, "LRE = -log10(|b - b_certified| / |b_certified|), capped at %.0f%n",
        NistStrd.LRE_CAP);
    boolean ok = true;
    for (Case c : cases()) {
      Outcome[] outcomes = {fit(c, 1), fit(c, 2)};
      out.println();
      out.print(table(c.problem(), outcomes));
      for (Outcome o : outcomes) {
        ok &= o.worst() >= REQUIRED_LRE;
      }
    }
    out.println();
    out.println(ok ? "every parameter certified to at least " + (int) REQUIRED_LRE + " digits"
        : "FAILED: some LRE below " + (int) REQUIRED_LRE);
    return ok ? 0 : 1;
  }

  /** One problem's LRE table: a row per parameter, a column per start. */
  static String table(NistStrd.Problem p, Outcome[] outcomes) {
    StringBuilder t = new StringBuilder();
    String nl = System.lineSeparator();
    t.append(String.format(Locale.ROOT, "%s: %d observations, %d parameters%n", p.name(),
        p.observations(), p.parameters()));
    t.append(String.format(Locale.ROOT, "  %-12s %17s %19s %19s%n", "", "certified",
        "LRE from start 1", "LRE from start 2"));
    for (int j = 0; j < p.parameters(); j++) {
      t.append(String.format(Locale.ROOT, "  %-12s %17.10E", "b" + (j + 1),
          p.certifiedValues()[j]));
      for (Outcome o : outcomes) {
        t.append(String.format(Locale.ROOT, " %19.1f", o.parameterLre()[j]));
      }
      t.append(nl);
    }
    t.append(String.format(Locale.ROOT, "  %-12s %17.10E", "RSS",
        p.certifiedResidualSumOfSquares()));
    for (Outcome o : outcomes) {
      t.append(String.format(Locale.ROOT, " %19.1f", o.rssLre()));
    }
    t.append(nl).append(String.format(Locale.ROOT, "  %-30s", "std. deviations (least LRE)"));
    for (Outcome o : outcomes) {
      t.append(String.format(Locale.ROOT, " %19.1f", o.standardDeviationLre()));
    }
    t.append(nl).append(String.format(Locale.ROOT, "  %-30s", "iterations / evaluations"));
    for (Outcome o : outcomes) {
      t.append(String.format(Locale.ROOT, " %19s",
          o.fit().iterations() + " / " + o.fit().evaluations()));
    }
    return t.append(nl).toString();
  }
}
