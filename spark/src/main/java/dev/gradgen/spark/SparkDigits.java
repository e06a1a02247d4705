package dev.gradgen.spark;

import dev.gradgen.optim.Adam;
import dev.gradgen.optim.Schedule;
import dev.gradgen.samples.Digits;
import dev.gradgen.samples.DigitsData;
import dev.gradgen.samples.Mlp;
import dev.gradgen.samples.MlpGrad;
import dev.gradgen.train.ParallelGradient;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The samples' digits network ({@link Mlp}, gradient {@code MlpGrad}) trained data-parallel on
 * Spark: the rows live in an RDD, each minibatch's gradient is a {@link DistributedGradient}
 * (the generated buffer form per partition, a {@code treeAggregate} of the partitions'
 * gradients), and the runtime's {@link Adam} steps the weights on the driver, which broadcasts
 * them again each step.
 *
 * <p>Everything else is the single-machine sample's ({@code Digits.train} in the samples): the
 * same Xavier start from the seed, the same shuffle of the row order each epoch, the same
 * minibatches, Adam with the same cosine schedule. So with the same options both end at the
 * same weights, up to the rounding of adding the partitions' gradients in another order.
 */
public final class SparkDigits {
  private SparkDigits() {}

  /** The network's weights, broadcast to the executors each step. */
  public record Parameters(double[][] w1, double[] b1, double[][] w2, double[] b2)
      implements Serializable {}

  /** {@link Mlp#loss} with its weight decay, in the generated buffer form. */
  public record MlpLoss(double l2)
      implements DistributedGradient.BatchLoss<Parameters, MlpGrad.LossGradientBuffer> {
    @Override
    public MlpGrad.LossGradientBuffer newBuffer(Parameters p) {
      return new MlpGrad.LossGradientBuffer(p.w1(), p.b1(), p.w2(), p.b2());
    }

    @Override
    public double loss(Parameters p, double[][] x, int[] labels,
        MlpGrad.LossGradientBuffer buffer) {
      return MlpGrad.loss(p.w1(), p.b1(), p.w2(), p.b2(), x, labels, l2, buffer);
    }

    @Override
    public double[][] rows(MlpGrad.LossGradientBuffer g) {
      return ParallelGradient.rows(g.w1(), g.b1(), g.w2(), g.b2());
    }

    @Override
    public int features(Parameters p) {
      return p.w1().length;
    }

    @Override
    public int classes(Parameters p) {
      return p.b2().length;
    }

    @Override
    public String featuresFrom(Parameters p) {
      return "w1 has " + p.w1().length + " rows";
    }
  }

  /**
   * The run's settings, as the sample's {@code digits} subcommand has them.
   *
   * @param epochs passes over the training rows
   * @param batchSize rows per minibatch
   * @param hidden hidden units
   * @param learningRate Adam's learning rate, decayed to 0 on a cosine
   * @param l2 the weight decay inside the loss
   * @param seed the seed of the split, the start and the shuffles
   * @param partitions how many partitions the training rows are spread over
   */
  public record Options(int epochs, int batchSize, int hidden, double learningRate, double l2,
      long seed, int partitions) {
    /** The sample's defaults, on 2 partitions. */
    public static final Options DEFAULTS = new Options(30, 32, 64, 0.01, 1e-4, 1, 2);
  }

  /**
   * The trained weights, the mean minibatch loss of each epoch and the time per step.
   *
   * @param parameters the weights
   * @param batchLoss per epoch, the mean of its minibatches' losses
   * @param testAccuracy the test split's accuracy after the last epoch
   * @param stepMillis the mean wall time of a training step, the first epoch left out when
   *     there are several
   */
  public record Result(Parameters parameters, double[] batchLoss, double testAccuracy,
      double stepMillis) {}

  /**
   * Trains on the training split of {@code data}, data-parallel on {@code context}.
   *
   * @param context the Spark context
   * @param data the split, as {@code DigitsData.load(options.seed())} gives it
   * @param options the settings
   * @param out where one line per epoch goes, or null
   * @return the result
   */
  public static Result train(JavaSparkContext context, DigitsData.Split data, Options options,
      PrintStream out) {
    double[][] x = data.xTrain();
    int n = x.length;
    Random random = new Random(options.seed());
    double[][] w1 = Digits.xavier(DigitsData.FEATURES, options.hidden(), random);
    double[] b1 = new double[options.hidden()];
    double[][] w2 = Digits.xavier(options.hidden(), DigitsData.CLASSES, random);
    double[] b2 = new double[DigitsData.CLASSES];
    Parameters parameters = new Parameters(w1, b1, w2, b2);
    MlpLoss loss = new MlpLoss(options.l2());
    MlpGrad.LossGradientBuffer grad = loss.newBuffer(parameters);
    double[][] gradRows = loss.rows(grad);

    int batchSize = options.batchSize();
    int batches = (n + batchSize - 1) / batchSize;
    long totalSteps = (long) options.epochs() * batches;
    Adam adam = new Adam(Schedule.cosine(options.learningRate(), totalSteps));
    adam.add(w1, grad.w1()).add(b1, grad.b1()).add(w2, grad.w2()).add(b2, grad.b2());
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] batchLoss = new double[options.epochs()];
    long timed = 0;
    long timedSteps = 0;
    try (DistributedGradient<Parameters, MlpGrad.LossGradientBuffer> gradient =
        DistributedGradient.of(context, x, data.yTrain(), options.partitions(), loss)) {
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        Digits.shuffle(order, random);
        double sum = 0;
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
          int from = b * batchSize;
          int[] batch = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
          sum += gradient.compute(parameters, batch, gradRows);
          adam.step();
        }
        if (epoch > 0 || options.epochs() == 1) {
          timed += System.nanoTime() - start;
          timedSteps += batches;
        }
        batchLoss[epoch] = sum / batches;
        if (out != null) {
          out.printf(Locale.ROOT, "epoch %d: mean minibatch loss %.4f%n", epoch + 1,
              batchLoss[epoch]);
        }
      }
    }
    double accuracy = (double) Mlp.correct(w1, b1, w2, b2, data.xTest(), data.yTest())
        / data.xTest().length;
    return new Result(parameters, batchLoss, accuracy, timed / 1e6 / Math.max(1, timedSteps));
  }

  /**
   * Trains with the sample's defaults, as {@code spark-submit} runs it; the master comes from
   * {@code spark-submit --master}, or is {@code local[2]} when none is set.
   *
   * @param args {@code [epochs [partitions]]}
   */
  public static void main(String[] args) {
    Options d = Options.DEFAULTS;
    int epochs;
    int partitions;
    try {
      if (args.length > 2) {
        throw new NumberFormatException("too many arguments");
      }
      epochs = args.length > 0 ? Integer.parseInt(args[0]) : d.epochs();
      partitions = args.length > 1 ? Integer.parseInt(args[1]) : d.partitions();
      if (epochs < 1 || partitions < 1) {
        throw new NumberFormatException("EPOCHS and PARTITIONS must be at least 1");
      }
    } catch (NumberFormatException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("usage: SparkDigits [EPOCHS [PARTITIONS]] (defaults " + d.epochs()
          + " and " + d.partitions() + ")");
      System.exit(2);
      return;
    }
    Options options = new Options(epochs, d.batchSize(), d.hidden(), d.learningRate(), d.l2(),
        d.seed(), partitions);
    SparkSession.Builder builder = SparkSession.builder().appName("gradgen digits");
    if (!new org.apache.spark.SparkConf().contains("spark.master")) {
      builder.master("local[2]");
    }
    SparkSession spark = builder.getOrCreate();
    // Spark's default profile logs every job at INFO: a step is one job
    spark.sparkContext().setLogLevel("WARN");
    try {
      JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
      DigitsData.Split data = DigitsData.load(options.seed());
      System.out.printf(Locale.ROOT, "digits on Spark (%s): %d training rows in %d partitions,"
          + " %d epochs of minibatches of %d%n", context.master(), data.xTrain().length,
          partitions, epochs, options.batchSize());
      Result r = train(context, data, options, System.out);
      System.out.printf(Locale.ROOT, "done: test accuracy %.4f, %.2f ms per step%n",
          r.testAccuracy(), r.stepMillis());
    } finally {
      spark.stop();
    }
  }
}
