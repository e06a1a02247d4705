package dev.gradgen.spark.bench;

import dev.gradgen.samples.DigitsData;
import dev.gradgen.samples.LogisticModelGrad;
import dev.gradgen.samples.MlpGrad;
import dev.gradgen.spark.DistributedGradient;
import dev.gradgen.spark.LogisticLoss;
import dev.gradgen.spark.SparkDigits;
import dev.gradgen.train.ParallelGradient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import scala.Tuple2;

/**
 * What a step costs on Spark in local mode (2 cores) against the same step in one JVM.
 *
 * <ul>
 *   <li>{@code mlp*}: one minibatch gradient of the digits network. {@code digits}: the UCI
 *       digits, minibatches of 32 as the sample trains; {@code synthetic}: 200,000 random rows
 *       generated here, minibatches of 16,384. On Spark ({@link DistributedGradient}, 2
 *       partitions), in one JVM on one thread, and in one JVM on 2 threads (the sample's
 *       {@code --threads 2}, through {@code ParallelGradient}).
 *   <li>{@code logistic*}: one L-BFGS iteration's gradient of logistic regression (what MLlib's
 *       L-BFGS computes per iteration: a {@code treeAggregate} of per-example gradients over all
 *       rows, 4 partitions): the breast-cancer data, and 1,000,000 random rows of 30 features.
 *       gradgen's gradient through {@link dev.gradgen.spark.GradgenGradient}, MLlib's own
 *       {@code LogisticGradient}, and the whole-data gradient {@code LogisticModelGrad} in one
 *       JVM.
 * </ul>
 *
 * <p>Run with {@code mvn -B -q -pl spark exec:exec@cost} (after the README's install).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SparkCostBenchmark {
  /** One Spark session for the run. */
  @State(Scope.Benchmark)
  public static class Session {
    SparkSession spark;
    JavaSparkContext context;

    @Setup(Level.Trial)
    public void start() {
      spark = SparkSession.builder().master("local[2]").appName("gradgen-cost")
          .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
      spark.sparkContext().setLogLevel("ERROR");
      context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @TearDown(Level.Trial)
    public void stop() {
      spark.stop();
    }
  }

  /** The digits network's minibatch. */
  @State(Scope.Benchmark)
  public static class Mlp {
    @Param({"digits", "synthetic"})
    public String data;

    double[][] x;
    int[] y;
    int[] batch;
    double[][] xb;
    int[] yb;
    SparkDigits.Parameters p;
    SparkDigits.MlpLoss loss = new SparkDigits.MlpLoss(1e-4);
    DistributedGradient<SparkDigits.Parameters, MlpGrad.LossGradientBuffer> distributed;
    MlpGrad.LossGradientBuffer buffer;
    double[][] rows;
    ParallelGradient<MlpGrad.LossGradientBuffer> twoThreads;

    @Setup(Level.Trial)
    public void setUp(Session s) {
      Random random = new Random(3);
      int size;
      if (data.equals("digits")) {
        DigitsData.Split split = DigitsData.load(1);
        x = split.xTrain();
        y = split.yTrain();
        size = 32;
      } else {
        x = new double[200_000][DigitsData.FEATURES];
        y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
          for (int j = 0; j < DigitsData.FEATURES; j++) {
            x[i][j] = random.nextDouble();
          }
          y[i] = random.nextInt(DigitsData.CLASSES);
        }
        size = 16_384;
      }
      int[] order = new int[x.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      dev.gradgen.samples.Digits.shuffle(order, random);
      batch = java.util.Arrays.copyOf(order, size);
      xb = new double[size][];
      yb = new int[size];
      for (int k = 0; k < size; k++) {
        xb[k] = x[batch[k]];
        yb[k] = y[batch[k]];
      }
      p = new SparkDigits.Parameters(
          dev.gradgen.samples.Digits.xavier(DigitsData.FEATURES, 64, random), new double[64],
          dev.gradgen.samples.Digits.xavier(64, DigitsData.CLASSES, random),
          new double[DigitsData.CLASSES]);
      distributed = DistributedGradient.of(s.context, x, y, 2, loss);
      buffer = loss.newBuffer(p);
      rows = loss.rows(buffer);
      twoThreads = new ParallelGradient<>(2, () -> loss.newBuffer(p), loss::rows);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      distributed.close();
      twoThreads.close();
    }
  }

  @Benchmark
  public double mlpSpark(Mlp m) {
    return m.distributed.compute(m.p, m.batch, m.rows);
  }

  @Benchmark
  public double mlpOneJvm(Mlp m) {
    return m.loss.loss(m.p, m.xb, m.yb, m.buffer);
  }

  @Benchmark
  public double mlpOneJvmTwoThreads(Mlp m) {
    return m.twoThreads.compute(m.xb.length, (shard, from, to, buffer) -> m.loss.loss(m.p,
        java.util.Arrays.copyOfRange(m.xb, from, to), java.util.Arrays.copyOfRange(m.yb, from,
            to), buffer), m.buffer);
  }

  /** Logistic regression's full-data gradient, as one L-BFGS iteration computes it. */
  @State(Scope.Benchmark)
  public static class Logistic {
    @Param({"breast-cancer", "synthetic"})
    public String data;

    JavaRDD<Tuple2<Object, Vector>> rdd;
    double[][] x;
    double[] y;
    double[] w;
    Vector weights;
    Gradient gradgen;
    final Gradient mllib = new LogisticGradient();

    @Setup(Level.Trial)
    public void setUp(Session s) throws java.io.IOException {
      Random random = new Random(7);
      if (data.equals("breast-cancer")) {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..",
            "samples", "src", "main", "resources", "data", "breast_cancer.csv"));
        lines = lines.subList(1, lines.size());
        x = new double[lines.size()][];
        y = new double[lines.size()];
        for (int i = 0; i < x.length; i++) {
          String[] f = lines.get(i).split(",");
          x[i] = new double[f.length - 1];
          for (int j = 0; j < f.length - 1; j++) {
            x[i][j] = Double.parseDouble(f[j]);
          }
          y[i] = Double.parseDouble(f[f.length - 1]);
        }
      } else {
        x = new double[1_000_000][30];
        y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          for (int j = 0; j < 30; j++) {
            x[i][j] = random.nextGaussian();
          }
          y[i] = random.nextInt(2);
        }
      }
      int d = x[0].length;
      w = new double[d];
      for (int j = 0; j < d; j++) {
        w[j] = 0.1 * random.nextGaussian();
      }
      weights = Vectors.dense(w);
      gradgen = LogisticLoss.gradient(d);
      List<Tuple2<Object, Vector>> points = new ArrayList<>(x.length);
      for (int i = 0; i < x.length; i++) {
        points.add(new Tuple2<>(y[i], Vectors.dense(x[i])));
      }
      // cached and locally checkpointed, so that the tasks do not ship the parallelized rows
      // again on every iteration (as rows read from storage would not be)
      rdd = s.context.parallelize(points, 4).persist(
          org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
      rdd.rdd().localCheckpoint();
      rdd.count();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      rdd.unpersist(true);
    }

    double iteration(Gradient g) {
      int d = w.length;
      Vector w0 = weights;
      Tuple2<DenseVector, Double> sum = rdd.treeAggregate(
          new Tuple2<>(new DenseVector(new double[d]), 0.0),
          (acc, point) -> new Tuple2<>(acc._1(),
              acc._2() + g.compute(point._2(), (Double) point._1(), w0, acc._1())),
          (a, b) -> {
            double[] into = a._1().values();
            double[] from = b._1().values();
            for (int j = 0; j < into.length; j++) {
              into[j] += from[j];
            }
            return new Tuple2<>(a._1(), a._2() + b._2());
          }, 2);
      return sum._2() + sum._1().apply(0);
    }
  }

  @Benchmark
  public double logisticSparkGradgen(Logistic l) {
    return l.iteration(l.gradgen);
  }

  @Benchmark
  public double logisticSparkMllib(Logistic l) {
    return l.iteration(l.mllib);
  }

  @Benchmark
  public double logisticOneJvm(Logistic l) {
    // the samples' model, intercept 0 and no penalty: the same mean loss, over all rows
    LogisticModelGrad.LossGradient g = LogisticModelGrad.loss(l.w, 0.0, l.x, l.y, 0.0);
    return g.value() + g.w()[0];
  }
}
