package dev.gradgen.samples;

import dev.gradgen.optim.Adam;
import dev.gradgen.optim.Optimizer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The samples' command line: {@code Main [subcommand] [options]}. With no subcommand (or when the
 * first argument is an option) it runs {@code digits}, the main job; {@code --help} lists the
 * subcommands. The {@code breast-cancer} subcommand, also here, trains logistic regression on
 * the UCI breast-cancer data with minibatch Adam, using the gradient gradgen generated from
 * {@link LogisticModel#loss} ({@code LogisticModelGrad}).
 */
public final class Main {
  /** A subcommand: its line in {@code --help}, and what runs it. */
  record Subcommand(String summary, Function<String[], Integer> run) {}

  /**
   * The subcommands, in the order {@code --help} lists them; the first one is the default.
   *
   * <p>To add a subcommand, write a class in this package with {@code public static int
   * run(String[] args)}, which receives the arguments after the subcommand's name and returns the
   * exit code: 0 on success, 2 after printing its usage to {@code System.err} for bad arguments
   * (and its usage to {@code System.out}, returning 0, for {@code --help}). Then add one line
   * below, {@code add(commands, "name", "one-line summary", YourClass::run);}. The name must not
   * start with {@code -}.
   */
  static final Map<String, Subcommand> SUBCOMMANDS = subcommands();

  private static Map<String, Subcommand> subcommands() {
    Map<String, Subcommand> commands = new LinkedHashMap<>();
    add(commands, Digits.NAME, Digits.SUMMARY, Digits::run);
    add(commands, "breast-cancer",
        "logistic regression on the UCI breast-cancer data (Wisconsin Diagnostic)",
        Main::breastCancer);
    add(commands, "breast-cancer-cg",
        "the same model fitted by Hipparchus' nonlinear conjugate gradient, fed by gradgen",
        BreastCancerNcg::run);
    add(commands, "diabetes",
        "linear regression on the diabetes data, checked against the normal equations",
        DiabetesRegression::run);
    add(commands, "black-scholes",
        "Black-Scholes price and its Greeks from one backward pass, against closed forms",
        BlackScholes::run);
    add(commands, "asian-option",
        "Monte Carlo Asian option: pathwise Greeks against bump-and-revalue",
        AsianOption::run);
    add(commands, "chain-rule",
        "textbook chain-rule examples, computed by the generated gradients",
        ChainRuleExamples::run);
    add(commands, "jacobians",
        "the derivative as a linear map: Jacobians, a Taylor table, softmax, from generated code",
        JacobianExamples::run);
    add(commands, NistRegression.NAME, NistRegression.SUMMARY, NistRegression::run);
    add(commands, BreastCancerNewton.NAME, BreastCancerNewton.SUMMARY, BreastCancerNewton::run);
    return Collections.unmodifiableMap(commands);
  }

  private static void add(Map<String, Subcommand> commands, String name, String summary,
      Function<String[], Integer> run) {
    if (name.startsWith("-") || commands.put(name, new Subcommand(summary, run)) != null) {
      throw new IllegalStateException("bad or duplicate subcommand name: " + name);
    }
  }

  static final String BREAST_CANCER_SOURCE = "LogisticModelGrad";

  private static final String BREAST_CANCER_USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: dev.gradgen.samples.Main breast-cancer [options]",
          "",
          "Trains logistic regression on the UCI breast-cancer data (Wisconsin Diagnostic) with",
          "minibatch Adam and the gradient gradgen generated at compile time.",
          "",
          "Options:",
          "  --epochs N       passes over the training split (default 30)",
          "  --batch N        minibatch size (default 32)",
          "  --lr X           Adam learning rate (default 0.01)",
          "  --l2 X           L2 penalty on the weights (default 0.001)",
          "  --seed N         seed for the train/test shuffle and the minibatch order (default 42)",
          "  --help           print this help and exit",
          "",
          "With Maven: mvn -B -q -pl samples exec:java -Dexec.args=\"breast-cancer --epochs 50\"");

  private static final Set<String> OPTION_NAMES =
      Set.of("--epochs", "--batch", "--lr", "--l2", "--seed");

  /** Training settings. */
  record Options(int epochs, int batchSize, double learningRate, double l2, long seed) {
    static final Options DEFAULTS = new Options(30, 32, 0.01, 1e-3, 42);
  }

  /** The trained parameters and how well they do. */
  record Result(
      double[] w, double b, double trainLoss, double testAccuracy, int testCorrect, long millis) {}

  /** A command line that cannot be run. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private Main() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = run(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the command line and returns the exit code: 0 on success, 2 (after printing usage to
   * {@code System.err}) for an unknown subcommand or bad arguments.
   */
  public static int run(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")
        || args[0].equals("help"))) {
      System.out.println(usage());
      return 0;
    }
    if (args.length == 0 || args[0].startsWith("-")) {
      Subcommand main = SUBCOMMANDS.values().iterator().next();
      return main.run().apply(args);
    }
    Subcommand command = SUBCOMMANDS.get(args[0]);
    if (command == null) {
      System.err.println("error: unknown subcommand: " + args[0]);
      System.err.println(usage());
      return 2;
    }
    return command.run().apply(Arrays.copyOfRange(args, 1, args.length));
  }

  /** The top-level help: the subcommands, one line each. */
  static String usage() {
    StringBuilder text = new StringBuilder();
    String nl = System.lineSeparator();
    text.append("Usage: dev.gradgen.samples.Main [subcommand] [options]").append(nl).append(nl);
    text.append("Samples that train models with gradients gradgen generated at compile time.")
        .append(nl).append(nl).append("Subcommands:").append(nl);
    int width = 0;
    for (String name : SUBCOMMANDS.keySet()) {
      width = Math.max(width, name.length());
    }
    for (Map.Entry<String, Subcommand> entry : SUBCOMMANDS.entrySet()) {
      text.append(String.format(Locale.ROOT, "  %-" + width + "s  %s", entry.getKey(),
          entry.getValue().summary())).append(nl);
    }
    String first = SUBCOMMANDS.keySet().iterator().next();
    text.append(nl)
        .append("Without a subcommand (no arguments, or options first) runs ").append(first)
        .append(".").append(nl)
        .append("'<subcommand> --help' lists a subcommand's options.").append(nl).append(nl)
        .append("With Maven: mvn -B -q -pl samples exec:java -Dexec.args=\"")
        .append(first).append(" --help\"");
    return text.toString();
  }

  /**
   * The samples module's {@code target} directory, relative to the working directory: {@code
   * samples/target} from the repository root (where {@code mvn -pl samples exec:java} runs),
   * otherwise {@code target}.
   */
  static Path targetDirectory() {
    if (Files.isRegularFile(Path.of("samples", "pom.xml"))) {
      return Path.of("samples", "target");
    }
    return Path.of("target");
  }

  /** The {@code breast-cancer} subcommand; returns the exit code. */
  static int breastCancer(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(BREAST_CANCER_USAGE);
      return 2;
    }
    if (options == null) {
      System.out.println(BREAST_CANCER_USAGE);
      return 0;
    }

    PrintStream out = System.out;
    BreastCancer.Split data = BreastCancer.load(options.seed());
    out.printf(
        Locale.ROOT,
        "breast cancer: %d train / %d test rows, %d features; label 1 = %s%n",
        data.xTrain().length,
        data.xTest().length,
        data.features(),
        data.classNames()[1]);
    Result result = train(data, options, out);
    out.printf(
        Locale.ROOT,
        "done: %d epochs in %d ms, train loss %.4f, test accuracy %.4f (%d/%d)%n",
        options.epochs(),
        result.millis(),
        result.trainLoss(),
        result.testAccuracy(),
        result.testCorrect(),
        data.xTest().length);
    out.println("gradient code generated by gradgen: "
        + Digits.generatedSource(BREAST_CANCER_SOURCE));
    return 0;
  }

  /** Returns the options, or null for {@code --help}. */
  static Options parse(String[] args) throws UsageException {
    Options defaults = Options.DEFAULTS;
    int epochs = defaults.epochs();
    int batchSize = defaults.batchSize();
    double learningRate = defaults.learningRate();
    double l2 = defaults.l2();
    long seed = defaults.seed();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      if (!OPTION_NAMES.contains(arg)) {
        throw new UsageException("unknown argument: " + arg);
      }
      if (i + 1 == args.length) {
        throw new UsageException(arg + " needs a value");
      }
      String value = args[++i];
      try {
        switch (arg) {
          case "--epochs" -> epochs = positive(arg, Integer.parseInt(value));
          case "--batch" -> batchSize = positive(arg, Integer.parseInt(value));
          case "--lr" -> learningRate = positive(arg, Double.parseDouble(value));
          case "--l2" -> l2 = nonNegative(arg, Double.parseDouble(value));
          default -> seed = Long.parseLong(value);
        }
      } catch (NumberFormatException e) {
        throw new UsageException(arg + ": not a number: " + value);
      }
    }
    return new Options(epochs, batchSize, learningRate, l2, seed);
  }

  static int positive(String name, int value) throws UsageException {
    if (value <= 0) {
      throw new UsageException(name + " must be positive");
    }
    return value;
  }

  static double positive(String name, double value) throws UsageException {
    if (!(value > 0.0) || Double.isInfinite(value)) {
      throw new UsageException(name + " must be a positive number");
    }
    return value;
  }

  static double nonNegative(String name, double value) throws UsageException {
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw new UsageException(name + " must be a non-negative number");
    }
    return value;
  }

  /**
   * Minibatch Adam ({@link Adam}) from zero weights. The loop allocates nothing: minibatches are
   * arrays of row references filled in place, the gradient is written into one reused buffer, and
   * the optimizer updates {@code w} in place and holds {@code b}.
   */
  static Result train(BreastCancer.Split data, Options options, PrintStream out) {
    double[][] x = data.xTrain();
    double[] y = data.yTrain();
    int n = x.length;
    int d = data.features();
    double[] w = new double[d];

    // Adam with PyTorch's defaults (betas 0.9 and 0.999, eps 1e-8); the L2 term is in the loss.
    LogisticModelGrad.LossGradientBuffer grad = new LogisticModelGrad.LossGradientBuffer(w);
    Adam adam = new Adam(options.learningRate());
    adam.add(w, grad.w());
    Optimizer.Scalar b = adam.add(0.0, grad::b);
    int batches = (n + options.batchSize() - 1) / options.batchSize();
    double[][][] xBatch = new double[batches][][];
    double[][] yBatch = new double[batches][];
    for (int k = 0; k < batches; k++) {
      int size = Math.min(options.batchSize(), n - k * options.batchSize());
      xBatch[k] = new double[size][];
      yBatch[k] = new double[size];
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(options.seed());

    long start = System.nanoTime();
    double trainLoss = Double.NaN;
    double accuracy = Double.NaN;
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      shuffle(order, random);
      for (int k = 0, next = 0; k < batches; k++) {
        double[][] xb = xBatch[k];
        double[] yb = yBatch[k];
        for (int r = 0; r < xb.length; r++, next++) {
          xb[r] = x[order[next]];
          yb[r] = y[order[next]];
        }

        LogisticModelGrad.loss(w, b.value(), xb, yb, options.l2(), grad);
        adam.step();
      }

      trainLoss = LogisticModel.loss(w, b.value(), x, y, options.l2());
      accuracy = (double) correct(w, b.value(), data.xTest(), data.yTest())
          / data.xTest().length;
      out.printf(
          Locale.ROOT,
          "epoch %3d  train loss %.4f  test accuracy %.4f  %5d ms%n",
          epoch,
          trainLoss,
          accuracy,
          (System.nanoTime() - start) / 1_000_000);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    int testCorrect = correct(w, b.value(), data.xTest(), data.yTest());
    return new Result(w, b.value(), trainLoss, accuracy, testCorrect, millis);
  }

  /** Rows classified correctly: predict 1 when {@code w . x + b >= 0}, i.e. probability >= 0.5. */
  static int correct(double[] w, double b, double[][] x, double[] y) {
    int correct = 0;
    for (int i = 0; i < x.length; i++) {
      double z = b;
      for (int j = 0; j < w.length; j++) {
        z += w[j] * x[i][j];
      }
      if ((z >= 0.0 ? 1.0 : 0.0) == y[i]) {
        correct++;
      }
    }
    return correct;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int k = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[k];
      a[k] = t;
    }
  }
}
