package dev.gradgen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SquaredL2Updater;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The generated logistic gradient trained by MLlib's own L-BFGS over an RDD of the UCI breast
 * cancer data (standardised, with an intercept column), against MLlib's {@code
 * LogisticGradient} under the same optimizer.
 */
class GradgenGradientTest {
  private static SparkSession spark;
  private static JavaSparkContext context;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("gradgen-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    context = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The breast cancer data: label 1 malignant, 30 standardised features, then 1. */
  static List<Tuple2<Object, Vector>> breastCancer() throws IOException {
    List<String> lines = Files.readAllLines(
        Path.of("..", "samples", "src", "main", "resources", "data", "breast_cancer.csv"));
    List<double[]> rows = new ArrayList<>();
    List<Double> labels = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      double[] x = new double[f.length];
      for (int j = 0; j < f.length - 1; j++) {
        x[j] = Double.parseDouble(f[j]);
      }
      rows.add(x);
      labels.add(Double.parseDouble(f[f.length - 1]));
    }
    int d = rows.get(0).length - 1;
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (double[] x : rows) {
        mean += x[j];
      }
      mean /= rows.size();
      double var = 0;
      for (double[] x : rows) {
        var += (x[j] - mean) * (x[j] - mean);
      }
      double sd = Math.sqrt(var / rows.size());
      for (double[] x : rows) {
        x[j] = (x[j] - mean) / sd;
      }
    }
    List<Tuple2<Object, Vector>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      double[] x = rows.get(i);
      x[d] = 1.0;
      out.add(new Tuple2<>(labels.get(i), Vectors.dense(x)));
    }
    return out;
  }

  private static double[] train(JavaRDD<Tuple2<Object, Vector>> data, Gradient gradient,
      int dimension) {
    Tuple2<Vector, double[]> result = LBFGS.runLBFGS(data.rdd(), gradient,
        new SquaredL2Updater(), 10, 1e-12, 100, 0.01, Vectors.zeros(dimension));
    return result._1().toArray();
  }

  @Test
  void oneExampleAsMllibsLogisticGradient() throws IOException {
    List<Tuple2<Object, Vector>> rows = breastCancer();
    int dimension = rows.get(0)._2().size();
    java.util.Random random = new java.util.Random(5);
    double[] w = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      w[j] = random.nextGaussian();
    }
    GradgenGradient ours = LogisticLoss.gradient(dimension);
    LogisticGradient theirs = new LogisticGradient();
    for (Tuple2<Object, Vector> row : rows.subList(0, 50)) {
      double label = (Double) row._1();
      Vector sumOurs = Vectors.dense(new double[dimension]);
      Vector sumTheirs = Vectors.dense(new double[dimension]);
      double lossOurs = ours.compute(row._2(), label, Vectors.dense(w), sumOurs);
      double lossTheirs = theirs.compute(row._2(), label, Vectors.dense(w), sumTheirs);
      assertEquals(lossTheirs, lossOurs, 1e-12 * Math.max(1, Math.abs(lossTheirs)));
      for (int j = 0; j < dimension; j++) {
        assertEquals(sumTheirs.apply(j), sumOurs.apply(j), 1e-12, "entry " + j);
      }
    }
  }

  @Test
  void wrongSizesAreNamed() {
    GradgenGradient g = LogisticLoss.gradient(3);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> g.compute(Vectors.dense(1, 2, 3), 1.0,
            Vectors.dense(1, 2), Vectors.dense(0, 0, 0)));
    assertEquals("expected weights and gradient of 3 entries, got 2 and 3", e.getMessage());
  }

  @Test
  void anExampleOfTheWrongLengthFailsTheJobWithItsSizes() {
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> {
          List<Tuple2<Object, Vector>> rows = List.of(
              new Tuple2<>(1.0, Vectors.dense(1, 2, 1)), new Tuple2<>(0.0, Vectors.dense(3, 1)),
              new Tuple2<>(1.0, Vectors.dense(0, 1, 1)));
          JavaRDD<Tuple2<Object, Vector>> data = context.parallelize(rows, 2);
          Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
              () -> train(data, LogisticLoss.gradient(3), 3));
          assertTrue(e.getMessage().contains(
              "an example (label 0.0) has 2 features but the loss takes 3"), e.getMessage());
        });
  }

  @Test
  void lbfgsTrainsTheGeneratedGradientAsMllibsOwn() throws IOException {
    List<Tuple2<Object, Vector>> rows = breastCancer();
    int dimension = rows.get(0)._2().size();
    JavaRDD<Tuple2<Object, Vector>> data = context.parallelize(rows, 4).cache();
    double[] ours = train(data, LogisticLoss.gradient(dimension), dimension);
    double[] theirs = train(data, new LogisticGradient(), dimension);
    assertTrue(Math.abs(ours[dimension - 1]) > 1e-3, "trained at all");
    for (int j = 0; j < dimension; j++) {
      assertEquals(theirs[j], ours[j], 1e-6, "coefficient " + j);
    }
  }
}
