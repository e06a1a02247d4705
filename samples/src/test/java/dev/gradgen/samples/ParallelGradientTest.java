package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.train.ParallelGradient;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link ParallelGradient} gives the single-thread gradient of the whole minibatch. */
class ParallelGradientTest {
  private static final int FEATURES = 64;
  private static final int HIDDEN = 16;
  private static final int CLASSES = 10;
  private static final double L2 = 1e-3;

  private final Random random = new Random(3L);
  private final double[][] w1 = Digits.xavier(FEATURES, HIDDEN, random);
  private final double[] b1 = new double[HIDDEN];
  private final double[][] w2 = Digits.xavier(HIDDEN, CLASSES, random);
  private final double[] b2 = new double[CLASSES];

  @ParameterizedTest(name = "{0} threads, {1} rows")
  @CsvSource({"2, 32", "2, 29", "3, 50", "4, 7", "4, 3", "2, 1", "1, 20"})
  void parallelGradientEqualsSingleThreadGradient(int threads, int rows) {
    DigitsData.Split data = DigitsData.load(1);
    double[][] x = Arrays.copyOfRange(data.xTrain(), 0, rows);
    int[] labels = Arrays.copyOfRange(data.yTrain(), 0, rows);

    MlpGrad.LossGradientBuffer single = new MlpGrad.LossGradientBuffer(w1, b1, w2, b2);
    double expected = MlpGrad.loss(w1, b1, w2, b2, x, labels, L2, single);

    MlpGrad.LossGradientBuffer target = new MlpGrad.LossGradientBuffer(w1, b1, w2, b2);
    try (ParallelGradient<MlpGrad.LossGradientBuffer> parallel = new ParallelGradient<>(threads,
        () -> new MlpGrad.LossGradientBuffer(w1, b1, w2, b2),
        g -> ParallelGradient.rows(g.w1(), g.b1(), g.w2(), g.b2()))) {
      for (int repeat = 0; repeat < 3; repeat++) {
        double value = parallel.compute(rows, (s, from, to, buffer) -> MlpGrad.loss(w1, b1, w2,
            b2, Arrays.copyOfRange(x, from, to), Arrays.copyOfRange(labels, from, to), L2,
            buffer), target);
        assertEquals(expected, value, 1e-12 * Math.abs(expected));
        double[] a = flat(single);
        double[] b = flat(target);
        double error = FiniteDifferences.relativeError(a, b);
        assertTrue(error <= 1e-12, "relative error " + error);
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], 1e-12 * Math.max(1.0, Math.abs(a[i])), "entry " + i);
        }
      }
    }
  }

  @Test
  void shardsCoverTheMinibatchInOrder() {
    for (int n = 1; n < 40; n++) {
      for (int shards = 1; shards <= Math.min(n, 5); shards++) {
        assertEquals(0, ParallelGradient.bound(n, shards, 0));
        assertEquals(n, ParallelGradient.bound(n, shards, shards));
        for (int s = 0; s < shards; s++) {
          int size = ParallelGradient.bound(n, shards, s + 1) - ParallelGradient.bound(n, shards, s);
          assertTrue(size == n / shards || size == n / shards + 1, "size " + size);
        }
      }
    }
  }

  @Test
  void aFailingShardIsRethrownInTheCaller() {
    MlpGrad.LossGradientBuffer target = new MlpGrad.LossGradientBuffer(w1, b1, w2, b2);
    try (ParallelGradient<MlpGrad.LossGradientBuffer> parallel = new ParallelGradient<>(2,
        () -> new MlpGrad.LossGradientBuffer(w1, b1, w2, b2),
        g -> ParallelGradient.rows(g.w1(), g.b1(), g.w2(), g.b2()))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> parallel.compute(10, (s, from, to, buffer) -> {
            if (s == 1) {
              throw new IllegalStateException("shard " + s);
            }
            return 0.0;
          }, target));
      assertEquals("shard 1", e.getMessage());
    }
  }

  private static double[] flat(MlpGrad.LossGradientBuffer g) {
    double[][] rows = ParallelGradient.rows(g.w1, g.b1, g.w2, g.b2);
    return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
  }
}
