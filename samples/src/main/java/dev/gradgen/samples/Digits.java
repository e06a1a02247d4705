package dev.gradgen.samples;

import dev.gradgen.optim.Adam;
import dev.gradgen.optim.Schedule;
import dev.gradgen.train.ParallelGradient;
import dev.gradgen.train.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The {@code digits} subcommand: trains a softmax classifier with one tanh hidden layer ({@link
 * Mlp}) on the UCI handwritten digits with minibatch Adam, using only the gradient gradgen
 * generated from {@link Mlp#loss} ({@code MlpGrad}), optionally data-parallel ({@link
 * ParallelGradient}).
 */
public final class Digits {
  static final String NAME = "digits";
  static final String SUMMARY =
      "one-hidden-layer softmax classifier on the UCI handwritten digits (default)";

  /** The subcommand's help text. */
  static String usage() {
    return String.join(System.lineSeparator(),
      "Usage: dev.gradgen.samples.Main [digits] [options]",
      "",
      "Trains a " + DigitsData.FEATURES + " -> hidden tanh -> " + DigitsData.CLASSES
          + " softmax classifier on the UCI handwritten digits",
      "(8x8 images) with minibatch Adam and the gradient gradgen generated at compile time",
      "(MlpGrad). The test split is the last 20% of the rows after a shuffle with the seed.",
      "",
      "Options:",
      "  --epochs N       passes over the training split (default " + Options.DEFAULTS.epochs()
          + ")",
      "  --seed N         seed for the split, the initial weights and the minibatch order"
          + " (default " + Options.DEFAULTS.seed() + ")",
      "  --threads N      threads computing each minibatch's gradient (default "
          + Options.DEFAULTS.threads() + ")",
      "  --batch N        minibatch size (default " + Options.DEFAULTS.batchSize() + ")",
      "  --hidden N       hidden units (default " + Options.DEFAULTS.hidden() + ")",
      "  --lr X           Adam learning rate, decayed to 0 on a cosine (default "
          + Options.DEFAULTS.learningRate() + ")",
      "  --l2 X           weight decay on w1 and w2 (default " + Options.DEFAULTS.l2() + ")",
      "  --plot FILE      where to write the PNG of the training curves",
      "                   (default " + defaultPlot() + ")",
      "  --no-plot        do not write the PNG",
      "  --help           print this help and exit",
      "",
      "With Maven: mvn -B -q -pl samples exec:java -Dexec.args=\"digits --epochs 10 --threads 2\"");
  }

  /** Training settings; {@code plot} is null for no PNG. */
  record Options(int epochs, int batchSize, int hidden, double learningRate, double l2,
      long seed, int threads, Path plot) {
    static final Options DEFAULTS = new Options(30, 32, 64, 0.01, 1e-4, 1, 1, defaultPlot());

    Options withEpochs(int newEpochs) {
      return new Options(newEpochs, batchSize, hidden, learningRate, l2, seed, threads, plot);
    }

    Options withThreads(int newThreads) {
      return new Options(epochs, batchSize, hidden, learningRate, l2, seed, newThreads, plot);
    }

    Options withPlot(Path newPlot) {
      return new Options(epochs, batchSize, hidden, learningRate, l2, seed, threads, newPlot);
    }
  }

  /** The trained network, its learning curves (one entry per epoch) and timings. */
  record Result(double[][] w1, double[] b1, double[][] w2, double[] b2, double[] trainLoss,
      double[] testLoss, double[] testAccuracy, long[] epochNanos, int testCorrect, int testRows,
      long totalNanos) {
    double finalAccuracy() {
      return testAccuracy[testAccuracy.length - 1];
    }

    /** Mean time of the training steps per epoch, in milliseconds, skipping the first epoch
     * (JIT warm-up) when there is more than one. */
    double meanEpochMillis() {
      int first = epochNanos.length > 1 ? 1 : 0;
      long sum = 0;
      for (int e = first; e < epochNanos.length; e++) {
        sum += epochNanos[e];
      }
      return sum / 1e6 / (epochNanos.length - first);
    }
  }

  private Digits() {}

  /** Runs the subcommand; returns the exit code (0, or 2 for bad arguments). */
  public static int run(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (Main.UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      return 2;
    }
    if (options == null) {
      System.out.println(usage());
      return 0;
    }
    PrintStream out = System.out;
    DigitsData.Split data = DigitsData.load(options.seed());
    out.printf(Locale.ROOT,
        "digits: %d train / %d test images (8x8, pixels scaled to [0, 1]); test split = the last"
            + " %d%% after a shuffle with seed %d%n",
        data.xTrain().length, data.xTest().length, Math.round(100 * DigitsData.TEST_FRACTION),
        options.seed());
    int parameters = (DigitsData.FEATURES + 1) * options.hidden()
        + (options.hidden() + 1) * DigitsData.CLASSES;
    out.printf(Locale.ROOT,
        "model: %d -> %d tanh -> %d softmax (%d parameters, Xavier init); Adam lr %s (cosine"
            + " decay), weight decay %s, batch %d, %d gradient thread%s%n",
        DigitsData.FEATURES, options.hidden(), DigitsData.CLASSES, parameters,
        plain(options.learningRate()), plain(options.l2()), options.batchSize(), options.threads(),
        options.threads() == 1 ? "" : "s");

    Result result = train(data, options, out);

    out.printf(Locale.ROOT,
        "done: %d epochs in %.1f s (training steps %.0f ms per epoch, %d thread%s), train loss"
            + " %.4f, test accuracy %.4f (%d/%d)%n",
        options.epochs(), result.totalNanos() / 1e9, result.meanEpochMillis(), options.threads(),
        options.threads() == 1 ? "" : "s", result.trainLoss()[options.epochs() - 1],
        result.finalAccuracy(), result.testCorrect(), result.testRows());
    if (options.plot() != null) {
      try {
        PlotTraining.write(options.plot(),
            String.format(Locale.ROOT, "digits, %d-%d-%d MLP: cross-entropy", DigitsData.FEATURES,
                options.hidden(), DigitsData.CLASSES),
            result.trainLoss(), result.testLoss(), result.testAccuracy());
        out.println("training curves: " + options.plot());
      } catch (IOException | RuntimeException e) {
        // The curves are a by-product: report and go on.
        System.err.println("warning: could not write " + options.plot() + ": " + e);
      }
    }
    out.println("gradient code generated by gradgen: " + generatedSource("MlpGrad"));
    return 0;
  }

  /** Returns the options, or null for {@code --help}. */
  static Options parse(String[] args) throws Main.UsageException {
    Options d = Options.DEFAULTS;
    int epochs = d.epochs();
    int batchSize = d.batchSize();
    int hidden = d.hidden();
    double learningRate = d.learningRate();
    double l2 = d.l2();
    long seed = d.seed();
    int threads = d.threads();
    Path plot = d.plot();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--no-plot" -> {
          plot = null;
          continue;
        }
        case "--epochs", "--batch", "--hidden", "--lr", "--l2", "--seed", "--threads", "--plot" -> {
          // an option with a value, below
        }
        default -> throw new Main.UsageException("unknown argument: " + arg);
      }
      if (i + 1 == args.length) {
        throw new Main.UsageException(arg + " needs a value");
      }
      String value = args[++i];
      try {
        switch (arg) {
          case "--epochs" -> epochs = Main.positive(arg, Integer.parseInt(value));
          case "--batch" -> batchSize = Main.positive(arg, Integer.parseInt(value));
          case "--hidden" -> hidden = Main.positive(arg, Integer.parseInt(value));
          case "--lr" -> learningRate = Main.positive(arg, Double.parseDouble(value));
          case "--l2" -> l2 = Main.nonNegative(arg, Double.parseDouble(value));
          case "--threads" -> threads = Main.positive(arg, Integer.parseInt(value));
          case "--plot" -> plot = Path.of(value);
          default -> seed = Long.parseLong(value);
        }
      } catch (NumberFormatException e) {
        throw new Main.UsageException(arg + ": not a number: " + value);
      } catch (java.nio.file.InvalidPathException e) {
        throw new Main.UsageException(arg + ": not a file name: " + value);
      }
    }
    if (threads > 256) {
      throw new Main.UsageException("--threads must be at most 256");
    }
    return new Options(epochs, batchSize, hidden, learningRate, l2, seed, threads, plot);
  }

  /**
   * Minibatch Adam ({@link Adam}) from Xavier-initialised weights. Each step computes the gradient
   * with the generated {@code MlpGrad.loss(..., grad)} (through {@link ParallelGradient}, which
   * splits the minibatch across threads when there are several) into one reused buffer, and the
   * optimizer updates the weights in place from the buffer's arrays. Minibatches are arrays of row
   * references (views), allocated once and refilled each epoch; the training loop allocates
   * nothing else of its own. Prints one progress line per epoch to {@code out} unless it is
   * null.
   */
  static Result train(DigitsData.Split data, Options options, PrintStream out) {
    double[][] x = data.xTrain();
    int[] y = data.yTrain();
    int n = x.length;
    int d = DigitsData.FEATURES;
    int h = options.hidden();
    int k = DigitsData.CLASSES;

    Random random = new Random(options.seed());
    double[][] w1 = xavier(d, h, random);
    double[] b1 = new double[h];
    double[][] w2 = xavier(h, k, random);
    double[] b2 = new double[k];

    MlpGrad.LossGradientBuffer grad = new MlpGrad.LossGradientBuffer(w1, b1, w2, b2);

    // Minibatch views: batch b, shard s (one per gradient thread) holds row references.
    int batchSize = options.batchSize();
    int batches = (n + batchSize - 1) / batchSize;
    int threads = options.threads();
    double[][][][] xShard = new double[batches][][][];
    int[][][] yShard = new int[batches][][];
    int[] batchRows = new int[batches];
    for (int b = 0; b < batches; b++) {
      batchRows[b] = Math.min(batchSize, n - b * batchSize);
      int shards = Math.min(threads, batchRows[b]);
      xShard[b] = new double[shards][][];
      yShard[b] = new int[shards][];
      for (int s = 0; s < shards; s++) {
        int size = ParallelGradient.bound(batchRows[b], shards, s + 1)
            - ParallelGradient.bound(batchRows[b], shards, s);
        xShard[b][s] = new double[size][];
        yShard[b][s] = new int[size];
      }
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] current = new int[1];
    ParallelGradient.Shard<MlpGrad.LossGradientBuffer> shard = (s, from, to, buffer) ->
        MlpGrad.loss(w1, b1, w2, b2, xShard[current[0]][s], yShard[current[0]][s], options.l2(),
            buffer);

    int epochs = options.epochs();
    long totalSteps = (long) epochs * batches;
    // Adam (PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8) with the learning rate decayed to
    // 0 on a cosine; the weight decay is the L2 term inside the loss.
    Adam adam = new Adam(Schedule.cosine(options.learningRate(), totalSteps));
    adam.add(w1, grad.w1()).add(b1, grad.b1()).add(w2, grad.w2()).add(b2, grad.b2());
    double[] trainLoss = new double[epochs];
    double[] testLoss = new double[epochs];
    double[] testAccuracy = new double[epochs];
    long[] epochNanos = new long[epochs];
    int testCorrect = 0;
    long start = System.nanoTime();
    // One line per epoch, rewritten in place when the job runs on a terminal.
    Progress progress = out == null ? null
        : Progress.start(epochs, out, out == System.out && System.console() != null,
            System::nanoTime);
    try (ParallelGradient<MlpGrad.LossGradientBuffer> parallel = new ParallelGradient<>(threads,
        () -> new MlpGrad.LossGradientBuffer(w1, b1, w2, b2),
        g -> ParallelGradient.rows(g.w1(), g.b1(), g.w2(), g.b2()))) {
      for (int epoch = 0; epoch < epochs; epoch++) {
        long epochStart = System.nanoTime();
        shuffle(order, random);
        for (int b = 0, next = 0; b < batches; b++) {
          for (int s = 0; s < xShard[b].length; s++) {
            double[][] xs = xShard[b][s];
            int[] ys = yShard[b][s];
            for (int r = 0; r < xs.length; r++, next++) {
              xs[r] = x[order[next]];
              ys[r] = y[order[next]];
            }
          }
        }
        for (int b = 0; b < batches; b++) {
          current[0] = b;
          parallel.compute(batchRows[b], shard, grad);
          adam.step();
        }
        epochNanos[epoch] = System.nanoTime() - epochStart;

        // Reported losses are the cross-entropy alone, without the weight decay.
        trainLoss[epoch] = Mlp.loss(w1, b1, w2, b2, x, y, 0.0);
        testLoss[epoch] = Mlp.loss(w1, b1, w2, b2, data.xTest(), data.yTest(), 0.0);
        testCorrect = Mlp.correct(w1, b1, w2, b2, data.xTest(), data.yTest());
        testAccuracy[epoch] = (double) testCorrect / data.xTest().length;
        if (progress != null) {
          progress.report(epoch + 1, trainLoss[epoch], String.format(Locale.ROOT,
              "test accuracy %.4f", testAccuracy[epoch]));
        }
      }
    }
    if (progress != null) {
      progress.done();
    }
    long totalNanos = System.nanoTime() - start;
    return new Result(w1, b1, w2, b2, trainLoss, testLoss, testAccuracy, epochNanos, testCorrect,
        data.xTest().length, totalNanos);
  }

  /**
   * Xavier (Glorot) uniform initialisation of a {@code fanIn x fanOut} matrix: entries uniform in
   * {@code [-a, a]} with {@code a = sqrt(6 / (fanIn + fanOut))}. Public so that other trainers
   * (the Spark module's) start from the same weights as {@link #train} for the same seed.
   *
   * @param fanIn the number of rows
   * @param fanOut the number of columns
   * @param random the source of the entries, drawn row by row
   * @return the matrix
   */
  public static double[][] xavier(int fanIn, int fanOut, Random random) {
    double a = Math.sqrt(6.0 / (fanIn + fanOut));
    double[][] w = new double[fanIn][fanOut];
    for (double[] row : w) {
      for (int j = 0; j < fanOut; j++) {
        row[j] = (2.0 * random.nextDouble() - 1.0) * a;
      }
    }
    return w;
  }

  /** The default PNG: under the samples module's {@code target} directory. */
  static Path defaultPlot() {
    return Main.targetDirectory().resolve("digits-training.png");
  }

  /** Where the generated source of {@code className} is, relative to the working directory. */
  static Path generatedSource(String className) {
    return Main.targetDirectory()
        .resolve(Path.of("generated-sources", "annotations", "dev", "gradgen", "samples",
            className + ".java"));
  }

  private static String plain(double x) {
    return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  /**
   * The Fisher-Yates shuffle {@link #train} applies to the row order at the start of each epoch.
   *
   * @param a the array to shuffle in place
   * @param random the source of the swaps
   */
  public static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
