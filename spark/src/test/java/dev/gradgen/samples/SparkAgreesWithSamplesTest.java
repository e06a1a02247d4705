package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.spark.LogisticLoss;
import dev.gradgen.spark.SparkDigits;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.Updater;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Training on Spark against the single-machine samples it distributes: the digits network
 * against {@code Digits.train}, logistic regression under MLlib's L-BFGS against the
 * breast-cancer sample's Newton minimizer. It lives in the samples' package to call their
 * (package-private) loaders and trainers as they are.
 */
class SparkAgreesWithSamplesTest {
  private static SparkSession spark;
  private static JavaSparkContext context;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("gradgen-samples-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    context = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static double maxDifference(double[][] a, double[][] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return worst;
  }

  @Test
  void digitsOnSparkEndWhereTheSingleMachineSampleEnds() {
    DigitsData.Split data = DigitsData.load(1);
    // the sample's defaults (minibatches of 32, 64 hidden units, seed 1) for 3 of its 30 epochs
    Digits.Options sample = Digits.Options.DEFAULTS.withEpochs(3).withThreads(1).withPlot(null);
    Digits.Result one = Digits.train(data, sample, null);
    for (int partitions : new int[] {1, 3}) {
      SparkDigits.Result distributed = SparkDigits.train(context, data,
          new SparkDigits.Options(sample.epochs(), sample.batchSize(), sample.hidden(),
              sample.learningRate(), sample.l2(), sample.seed(), partitions), null);
      SparkDigits.Parameters p = distributed.parameters();
      double worst = Math.max(
          Math.max(maxDifference(one.w1(), p.w1()), maxDifference(one.w2(), p.w2())),
          Math.max(maxDifference(new double[][] {one.b1()}, new double[][] {p.b1()}),
              maxDifference(new double[][] {one.b2()}, new double[][] {p.b2()})));
      System.out.printf("digits, %d partition(s): largest weight difference %.2e%n", partitions,
          worst);
      assertTrue(worst <= 1e-9, partitions + " partitions: weights differ by " + worst);
      // and the run trained: the last epoch's minibatches fit better than the first's
      assertTrue(distributed.batchLoss()[1] < distributed.batchLoss()[0],
          java.util.Arrays.toString(distributed.batchLoss()));
      assertEquals(one.finalAccuracy(), distributed.testAccuracy(), 0.0);
    }
  }

  /** MLlib's squared L2 penalty on every weight but the last (the intercept), as the sample. */
  static final class L2ButIntercept extends Updater {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<Vector, Object> compute(Vector old, Vector gradient, double stepSize, int iter,
        double regParam) {
      double step = stepSize / Math.sqrt(iter);
      double[] w = old.toArray().clone();
      double[] g = gradient.toArray();
      double penalty = 0;
      for (int j = 0; j < w.length; j++) {
        if (j < w.length - 1) {
          w[j] *= 1.0 - step * regParam;
        }
        w[j] -= step * g[j];
        if (j < w.length - 1) {
          penalty += w[j] * w[j];
        }
      }
      return new Tuple2<>(Vectors.dense(w), 0.5 * regParam * penalty);
    }
  }

  @Test
  void logisticRegressionUnderMllibsLbfgsEndsAtTheSamplesMinimizer() {
    BreastCancer.Split data = BreastCancer.load(42);
    // The sample's --l2 0.01 (its default, 0.001, leaves a direction so flat that MLlib's L-BFGS
    // stops 1.2e-6 from the minimizer, where the loss changes by less than its rounding).
    double l2 = 1e-2;
    int d = data.features();
    BreastCancerNewton.Loss loss = BreastCancerNewton.Loss.of(data, l2);
    Minimizers.Result newton = Minimizers.newton(loss.value(), loss.gradient(), loss.hessian(),
        new double[d + 1], 1e-11, 100);
    assertTrue(newton.converged(), "Newton reached |grad| " + newton.gradientNorm());

    List<Tuple2<Object, Vector>> rows = new ArrayList<>();
    for (int i = 0; i < data.xTrain().length; i++) {
      double[] x = java.util.Arrays.copyOf(data.xTrain()[i], d + 1);
      x[d] = 1.0;
      rows.add(new Tuple2<>(data.yTrain()[i], Vectors.dense(x)));
    }
    JavaRDD<Tuple2<Object, Vector>> rdd = context.parallelize(rows, 4).cache();
    Tuple2<Vector, double[]> trained = LBFGS.runLBFGS(rdd.rdd(), LogisticLoss.gradient(d + 1),
        new L2ButIntercept(), 10, 1e-15, 1000, l2, Vectors.zeros(d + 1));
    double[] w = trained._1().toArray();
    double worst = 0;
    for (int j = 0; j <= d; j++) {
      worst = Math.max(worst, Math.abs(w[j] - newton.point()[j]));
    }
    System.out.printf("breast cancer, L2 %s: MLlib's L-BFGS %d iterations, Newton %d; largest"
        + " coefficient difference %.2e%n", l2, trained._2().length, newton.iterations(), worst);
    assertTrue(worst <= 1e-6, "coefficients differ by " + worst + " after "
        + trained._2().length + " L-BFGS iterations");
    assertTrue(Math.abs(newton.point()[d]) > 1e-2, "an intercept was fitted");
  }
}
