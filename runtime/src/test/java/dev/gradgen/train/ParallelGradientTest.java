package dev.gradgen.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link ParallelGradient} on a hand-written loss and buffer (the shape of a generated one: final
 * gradient arrays the buffer form overwrites): the mean loss over rows
 * {@code 0.5 (w . x_i + x_i^T m x_i - y_i)^2}, whose gradient is written out here.
 */
class ParallelGradientTest {
  /** A gradient buffer as gradgen generates them: arrays shaped like the parameters. */
  static final class Buffer {
    final double[] w = new double[3];
    final double[][] m = new double[3][3];
  }

  private final Random random = new Random(7L);
  private final double[] w = {0.3, -0.2, 0.5};
  private final double[][] m = {{0.1, 0.0, -0.2}, {0.05, 0.3, 0.0}, {-0.1, 0.2, 0.1}};
  private final double[][] x = new double[41][3];
  private final double[] y = new double[41];

  ParallelGradientTest() {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = random.nextGaussian();
      }
      y[i] = random.nextGaussian();
    }
  }

  /** The mean loss over rows from..to and its gradient, written into {@code into}. */
  private double loss(int from, int to, Buffer into) {
    java.util.Arrays.fill(into.w, 0.0);
    for (double[] row : into.m) {
      java.util.Arrays.fill(row, 0.0);
    }
    double total = 0;
    int n = to - from;
    for (int i = from; i < to; i++) {
      double r = -y[i];
      for (int j = 0; j < 3; j++) {
        r += w[j] * x[i][j];
        for (int k = 0; k < 3; k++) {
          r += m[j][k] * x[i][j] * x[i][k];
        }
      }
      total += 0.5 * r * r / n;
      for (int j = 0; j < 3; j++) {
        into.w[j] += r * x[i][j] / n;
        for (int k = 0; k < 3; k++) {
          into.m[j][k] += r * x[i][j] * x[i][k] / n;
        }
      }
    }
    return total;
  }

  private static double[] flat(Buffer b) {
    return new double[] {b.w[0], b.w[1], b.w[2], b.m[0][0], b.m[0][1], b.m[0][2], b.m[1][0],
        b.m[1][1], b.m[1][2], b.m[2][0], b.m[2][1], b.m[2][2]};
  }

  /** Equal up to the rounding of the weighted shard sums. */
  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-12 * Math.max(1.0, Math.abs(expected[i])),
          what + ", entry " + i);
    }
  }

  @Test
  void parallelGradientEqualsTheWholeMinibatchGradient() {
    for (int threads = 1; threads <= 4; threads++) {
      for (int rows : new int[] {1, 2, 3, 7, 40, 41}) {
        Buffer expected = new Buffer();
        double expectedValue = loss(0, rows, expected);
        Buffer target = new Buffer();
        AtomicInteger calls = new AtomicInteger();
        try (ParallelGradient<Buffer> parallel = new ParallelGradient<>(threads, Buffer::new,
            b -> ParallelGradient.rows(b.w, b.m))) {
          assertEquals(threads, parallel.threads());
          for (int repeat = 0; repeat < 2; repeat++) {
            double value = parallel.compute(rows, (s, from, to, buffer) -> {
              calls.incrementAndGet();
              return loss(from, to, buffer);
            }, target);
            String what = threads + " threads, " + rows + " rows";
            assertEquals(expectedValue, value, 1e-12 * Math.abs(expectedValue), what);
            assertClose(flat(expected), flat(target), what);
          }
        }
        assertEquals(2 * Math.min(threads, rows), calls.get(), "one call per shard");
      }
    }
  }

  @Test
  void shardsCoverTheRowsInOrderAndDifferByAtMostOne() {
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
    assertEquals(3, ParallelGradient.bound(10, 3, 1));
    assertEquals(6, ParallelGradient.bound(10, 3, 2));
  }

  @Test
  void aFailingShardIsRethrownInTheCaller() {
    try (ParallelGradient<Buffer> parallel = new ParallelGradient<>(3, Buffer::new,
        b -> ParallelGradient.rows(b.w, b.m))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> parallel.compute(10, (s, from, to, buffer) -> {
            if (s == 2) {
              throw new IllegalStateException("shard " + s);
            }
            return 0.0;
          }, new Buffer()));
      assertEquals("shard 2", e.getMessage());
      // It still works afterwards.
      Buffer target = new Buffer();
      Buffer expected = new Buffer();
      assertEquals(loss(0, 10, expected),
          parallel.compute(10, (s, from, to, buffer) -> loss(from, to, buffer), target), 1e-12);
      assertClose(flat(expected), flat(target), "after the failure");
    }
  }

  @Test
  void rowsListsVectorsAndMatrixRowsInOrder() {
    double[] v = {1};
    double[][] mat = {{2, 3}, {4}};
    double[][] rows = ParallelGradient.rows(mat, v);
    assertEquals(3, rows.length);
    assertSame(mat[0], rows[0]);
    assertSame(mat[1], rows[1]);
    assertSame(v, rows[2]);
    assertThrows(IllegalArgumentException.class, () -> ParallelGradient.rows(v, "text"));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new ParallelGradient<Buffer>(0, Buffer::new, b -> ParallelGradient.rows(b.w)));
    try (ParallelGradient<Buffer> parallel = new ParallelGradient<>(2, Buffer::new,
        b -> ParallelGradient.rows(b.w, b.m))) {
      assertThrows(IllegalArgumentException.class,
          () -> parallel.compute(0, (s, from, to, buffer) -> 0.0, new Buffer()));
    }
  }
}
