package dev.gradgen.samples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code newton} subcommand: full-batch logistic regression on the breast-cancer data (the
 * split and standardization of {@link BreastCancer}, the loss of {@link LogisticModel#loss})
 * minimized from zero to {@code |grad| <= 1e-8} by Newton's method, gradient descent and
 * Hipparchus' nonlinear conjugate gradients ({@link Minimizers}), with the gradient and Hessian
 * that {@link Derivatives} supplies; prints iterations, evaluations and wall time as a table.
 *
 * <p>The loss carries the L2 penalty {@code 1e-3 / 2 |w|^2} that the other breast-cancer samples
 * use, and needs it here: without it the training split (455 rows, 30 features) is linearly
 * separable, the loss has no minimizer (Newton's iterates classify every training row correctly
 * while the loss goes to 0, the weights grow without bound and the Hessian's smallest eigenvalue
 * to 0), and no method reaches a small gradient norm in a sensible number of steps. With it the
 * Hessian's eigenvalues at the minimum lie between 1e-3 and 0.14.
 */
final class BreastCancerNewton {
  static final String NAME = "newton";
  static final String SUMMARY =
      "Newton vs gradient descent vs conjugate gradients on the breast-cancer logistic loss";

  static final String USAGE = String.join(System.lineSeparator(),
      "Usage: dev.gradgen.samples.Main newton [options]",
      "",
      "Minimizes the full-batch logistic loss of the breast-cancer training split (standardized",
      "features, L2 penalty) from zero by Newton's method (Cholesky solve, backtracking line",
      "search), gradient descent (backtracking line search) and Hipparchus' nonlinear conjugate",
      "gradients, until the gradient norm is at most the tolerance, and prints a table of",
      "iterations, evaluations and wall time (the median over the repeats; the first repeat",
      "also warms up the JIT compiler).",
      "",
      "Options:",
      "  --l2 X               L2 penalty on the weights (default 0.001; at 0 the training",
      "                       split is separable and there is no minimizer)",
      "  --tolerance X        stop at this gradient norm (default 1e-8)",
      "  --max-iterations N   iteration cap for each method (default 5000)",
      "  --repeat N           runs of each method, for the median time (default 5)",
      "  --seed N             seed of the train/test shuffle (default 42)",
      "  --help               print this help and exit",
      "",
      "Exits 1 if a method did not reach the tolerance.",
      "",
      "With Maven: mvn -B -q -pl samples exec:java -Dexec.args=\"newton\"");

  /**
   * The run's settings.
   *
   * @param l2 the L2 penalty
   * @param tolerance the gradient norm to reach
   * @param maxIterations each method's iteration cap
   * @param repeat runs of each method
   * @param seed the train/test shuffle's seed
   */
  record Options(double l2, double tolerance, int maxIterations, int repeat, long seed) {
    static final Options DEFAULTS = new Options(1e-3, 1e-8, 5000, 5, 42);
  }

  /** The loss on a training split, over the flat parameters {@code p = (w, b)}. */
  record Loss(Minimizers.Objective value, Minimizers.Gradient gradient,
      Minimizers.Hessian hessian, int parameters) {
    /** The training loss of {@code data} with penalty {@code l2}. */
    static Loss of(BreastCancer.Split data, double l2) {
      double[][] x = data.xTrain();
      double[] y = data.yTrain();
      int d = data.features();
      return new Loss(p -> LogisticModel.loss(Arrays.copyOf(p, d), p[d], x, y, l2),
          Derivatives.logisticGradient(x, y, l2), Derivatives.logisticHessian(x, y, l2), d + 1);
    }
  }

  private BreastCancerNewton() {}

  /** The three methods from zero, in table order: Newton, gradient descent, conjugate gradients. */
  static Minimizers.Result[] minimize(Loss loss, double tolerance, int maxIterations) {
    double[] start = new double[loss.parameters()];
    return new Minimizers.Result[] {
      Minimizers.newton(loss.value(), loss.gradient(), loss.hessian(), start, tolerance,
          maxIterations),
      Minimizers.gradientDescent(loss.value(), loss.gradient(), start, tolerance, maxIterations),
      Minimizers.conjugateGradients(loss.value(), loss.gradient(), start, tolerance,
          maxIterations),
    };
  }

  /** Runs the subcommand with the arguments after its name; returns the exit code. */
  public static int run(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (Main.UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    if (options == null) {
      System.out.println(USAGE);
      return 0;
    }
    BreastCancer.Split data = BreastCancer.load(options.seed());
    Loss loss = Loss.of(data, options.l2());
    Minimizers.Result[][] runs = new Minimizers.Result[options.repeat()][];
    for (int r = 0; r < runs.length; r++) {
      runs[r] = minimize(loss, options.tolerance(), options.maxIterations());
    }
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "breast cancer: %d training rows, %d features + intercept, L2 %s;"
        + " from zero to |grad| <= %s%n", data.xTrain().length, data.features(), options.l2(),
        options.tolerance());
    out.println(Derivatives.GRADIENT_AND_HESSIAN);
    out.print(table(runs));
    boolean ok = true;
    for (Minimizers.Result result : runs[0]) {
      ok &= result.converged();
    }
    return ok ? 0 : 1;
  }

  /**
   * The table: one row per method, with the counts of the first run (every run is the same
   * computation), the median wall time over all runs, and the largest difference of its
   * minimizer's coordinates from Newton's.
   */
  static String table(Minimizers.Result[][] runs) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "%-33s %10s %7s %7s %7s %10s %9s %9s %13s%n", "method",
        "iterations", "f", "grad", "Hessian", "median ms", "|grad|", "converged",
        "max|p - p_N|"));
    double[] newton = runs[0][0].point();
    for (int m = 0; m < runs[0].length; m++) {
      Minimizers.Result r = runs[0][m];
      long[] nanos = new long[runs.length];
      for (int k = 0; k < runs.length; k++) {
        nanos[k] = runs[k][m].nanos();
      }
      Arrays.sort(nanos);
      double median = (nanos.length % 2 == 1 ? nanos[nanos.length / 2]
          : (nanos[nanos.length / 2 - 1] + nanos[nanos.length / 2]) / 2.0) / 1e6;
      t.append(String.format(Locale.ROOT, "%-33s %10d %7d %7d %7d %10.1f %9.2e %9s %13.1e%n",
          r.method(), r.iterations(), r.values(), r.gradients(), r.hessians(), median,
          r.gradientNorm(), r.converged() ? "yes" : "NO", maxDifference(r.point(), newton)));
    }
    return t.toString();
  }

  /** {@code max_j |a_j - b_j|}. */
  static double maxDifference(double[] a, double[] b) {
    double max = 0.0;
    for (int j = 0; j < a.length; j++) {
      max = Math.max(max, Math.abs(a[j] - b[j]));
    }
    return max;
  }

  /** Returns the options, or null for {@code --help}. */
  static Options parse(String[] args) throws Main.UsageException {
    Options o = Options.DEFAULTS;
    double l2 = o.l2();
    double tolerance = o.tolerance();
    int maxIterations = o.maxIterations();
    int repeat = o.repeat();
    long seed = o.seed();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      if (!Arrays.asList("--l2", "--tolerance", "--max-iterations", "--repeat", "--seed")
          .contains(arg)) {
        throw new Main.UsageException("unknown argument: " + arg);
      }
      if (i + 1 == args.length) {
        throw new Main.UsageException(arg + " needs a value");
      }
      String value = args[++i];
      try {
        switch (arg) {
          case "--l2" -> l2 = Main.nonNegative(arg, Double.parseDouble(value));
          case "--tolerance" -> tolerance = Main.positive(arg, Double.parseDouble(value));
          case "--max-iterations" -> maxIterations = Main.positive(arg, Integer.parseInt(value));
          case "--repeat" -> repeat = Main.positive(arg, Integer.parseInt(value));
          default -> seed = Long.parseLong(value);
        }
      } catch (NumberFormatException e) {
        throw new Main.UsageException(arg + ": not a number: " + value);
      }
    }
    return new Options(l2, tolerance, maxIterations, repeat, seed);
  }
}
