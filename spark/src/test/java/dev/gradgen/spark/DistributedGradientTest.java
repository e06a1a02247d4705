package dev.gradgen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gradgen.samples.MlpGrad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The minibatch gradient over an RDD against the generated gradient on one machine, and the
 * errors bad input gets on the driver: each within a time limit, since a failing task must not
 * hang.
 */
class DistributedGradientTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static SparkSession spark;
  private static JavaSparkContext context;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("gradgen-distributed-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    context = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static SparkDigits.Parameters parameters(int d, int h, int k, Random random) {
    double[][] w1 = new double[d][h];
    double[][] w2 = new double[h][k];
    double[] b1 = new double[h];
    double[] b2 = new double[k];
    for (double[] row : w1) {
      for (int j = 0; j < h; j++) {
        row[j] = random.nextGaussian();
      }
    }
    for (double[] row : w2) {
      for (int j = 0; j < k; j++) {
        row[j] = random.nextGaussian();
      }
    }
    for (int j = 0; j < h; j++) {
      b1[j] = random.nextGaussian();
    }
    for (int j = 0; j < k; j++) {
      b2[j] = random.nextGaussian();
    }
    return new SparkDigits.Parameters(w1, b1, w2, b2);
  }

  private static void within(Executable e) {
    assertTimeoutPreemptively(LIMIT, e);
  }

  @Test
  void minibatchGradientEqualsTheGeneratedOneOnOneMachine() {
    within(() -> {
      Random random = new Random(11);
      int n = 37;
      int d = 5;
      double[][] x = new double[n][d];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          x[i][j] = random.nextGaussian();
        }
        y[i] = random.nextInt(3);
      }
      SparkDigits.Parameters p = parameters(d, 4, 3, random);
      SparkDigits.MlpLoss loss = new SparkDigits.MlpLoss(0.05);
      // uneven partitions; minibatches inside one partition, across all, with a repeated row
      int[][] batches = {{0, 1, 2}, {36, 0, 18, 5, 30, 11, 24}, {7, 7, 20}, {3}};
      try (DistributedGradient<SparkDigits.Parameters, MlpGrad.LossGradientBuffer> g =
          DistributedGradient.of(context, x, y, 4, loss)) {
        assertEquals(n, g.size());
        assertEquals(d, g.features());
        for (int[] batch : batches) {
          double[][] xb = new double[batch.length][];
          int[] yb = new int[batch.length];
          for (int k = 0; k < batch.length; k++) {
            xb[k] = x[batch[k]];
            yb[k] = y[batch[k]];
          }
          MlpGrad.LossGradientBuffer one = loss.newBuffer(p);
          double expected = MlpGrad.loss(p.w1(), p.b1(), p.w2(), p.b2(), xb, yb, 0.05, one);
          double[][] want = loss.rows(one);
          double[][] got = loss.rows(loss.newBuffer(p));
          double value = g.compute(p, batch, got);
          assertEquals(expected, value, 1e-12, "loss of " + java.util.Arrays.toString(batch));
          for (int r = 0; r < want.length; r++) {
            for (int c = 0; c < want[r].length; c++) {
              assertEquals(want[r][c], got[r][c], 1e-12, "row " + r + ", entry " + c);
            }
          }
        }
      }
    });
  }

  @Test
  void anEmptyPartitionIsNamed() {
    within(() -> {
      double[][] x = {{1, 2}, {3, 4}, {5, 6}};
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DistributedGradient.of(context, x, new int[] {0, 1, 0}, 5,
              new SparkDigits.MlpLoss(0)));
      assertEquals("partitions [0, 2] of 5 hold no rows: every partition must hold rows"
          + " (repartition the data to fewer partitions than rows, or coalesce it)",
          e.getMessage());
    });
  }

  @Test
  void aMalformedRowIsNamed() {
    within(() -> {
      List<String> lines = List.of("0.5,1.5,0", "1,2,1", "3,4,0", "0.5,abc,1", "1,1,2", "2,2,2");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DistributedGradient.ofCsv(context.parallelize(lines, 2),
              new SparkDigits.MlpLoss(0)));
      assertEquals("1 malformed row: row 3 (partition 1): feature 1 is not a number: \"abc\"",
          e.getMessage());
      List<String> more = List.of("1,2,x", "", "1,2,0");
      e = assertThrows(IllegalArgumentException.class,
          () -> DistributedGradient.ofCsv(context.parallelize(more, 1),
              new SparkDigits.MlpLoss(0)));
      assertEquals("2 malformed rows: row 0 (partition 0): the label is not an integer: \"x\";"
          + " row 1 (partition 0): needs at least one feature and a label, got \"\"",
          e.getMessage());
      List<String> ragged = List.of("1,2,0", "1,2,1", "1,2,3,0", "4,5,1");
      e = assertThrows(IllegalArgumentException.class,
          () -> DistributedGradient.ofCsv(context.parallelize(ragged, 2),
              new SparkDigits.MlpLoss(0)));
      assertEquals("rows differ in length: row 3 (partition 1) has 2 features, others have 3",
          e.getMessage());
    });
  }

  @Test
  void parametersThatDoNotFitTheRowsAreNamed() {
    within(() -> {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        lines.add(i + ",1,2," + (i % 3));
      }
      lines.set(6, "6,1,2,12");
      try (DistributedGradient<SparkDigits.Parameters, MlpGrad.LossGradientBuffer> g =
          DistributedGradient.ofCsv(context.parallelize(lines, 3), new SparkDigits.MlpLoss(0))) {
        SparkDigits.MlpLoss loss = new SparkDigits.MlpLoss(0);
        SparkDigits.Parameters wide = parameters(4, 2, 3, new Random(1));
        double[][] into = loss.rows(loss.newBuffer(wide));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> g.compute(wide, new int[] {0, 1}, into));
        assertEquals("the rows have 3 features but the parameters take 4 (w1 has 4 rows)",
            e.getMessage());
        SparkDigits.Parameters p = parameters(3, 2, 3, new Random(1));
        double[][] fits = loss.rows(loss.newBuffer(p));
        e = assertThrows(IllegalArgumentException.class,
            () -> g.compute(p, new int[] {0, 6, 9}, fits));
        assertEquals("row 6 (partition 2) has label 12, outside [0, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> g.compute(p, new int[] {0, 10}, fits));
        assertEquals("minibatch entry 1 is row 10, but the rows are 0 to 9", e.getMessage());
        // and the gradient still serves good minibatches afterwards
        double value = g.compute(p, new int[] {0, 1, 2, 9}, fits);
        assertEquals(true, Double.isFinite(value) && value > 0, "loss " + value);
      }
    });
  }
}
