package dev.gradgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stability at ±1000, kinks, the blocked products against naive loops, and allocation. */
class OpsNumericsTest {
  private static final double LN2 = Math.log(2);

  // --- stability ---

  private static void assertFinite(double[] v) {
    for (double x : v) {
      assertTrue(Double.isFinite(x), () -> java.util.Arrays.toString(v));
    }
  }

  @Test
  void logSumExpAtPlusMinus1000() {
    double[] big = {1000, 1000};
    double[] small = {-1000, -1000};
    assertEquals(1000 + LN2, Ops.logSumExp(big), 1e-12);
    assertEquals(-1000 + LN2, Ops.logSumExp(small), 1e-12);
    assertEquals(1000, Ops.logSumExp(new double[] {1000, -1000}), 0);
    double[] da = new double[2];
    Ops.logSumExpBackward(big, Ops.logSumExp(big), 1.0, da);
    // exp(a_i - result): result = 1000 + ln 2 is rounded to the ulp of 1000 (1e-13).
    assertArrayEquals(new double[] {0.5, 0.5}, da, 1e-12);
    da = new double[2];
    Ops.logSumExpBackward(small, Ops.logSumExp(small), 1.0, da);
    assertArrayEquals(new double[] {0.5, 0.5}, da, 1e-12);
  }

  @Test
  void softmaxAndLogSoftmaxAtPlusMinus1000() {
    double[] a = {1000, -1000, 0};
    double[] s = Ops.softmax(a);
    assertArrayEquals(new double[] {1, 0, 0}, s, 0);
    double[] da = new double[3];
    Ops.softmaxBackward(a, s, new double[] {1, 2, 3}, da);
    assertFinite(da);

    double[] y = Ops.logSoftmax(a);
    assertArrayEquals(new double[] {0, -2000, -1000}, y, 0);
    da = new double[3];
    Ops.logSoftmaxBackward(a, y, new double[] {1, 2, 3}, da);
    assertArrayEquals(new double[] {1 - 6, 2, 3}, da, 1e-12);

    double[][] m = {{1000, 1000}, {-1000, -1000}, {1000, -1000}};
    double[][] sm = Ops.softmaxRows(m);
    assertArrayEquals(new double[] {0.5, 0.5}, sm[0], 1e-15);
    assertArrayEquals(new double[] {0.5, 0.5}, sm[1], 1e-15);
    assertArrayEquals(new double[] {1, 0}, sm[2], 0);
    double[][] dm = new double[3][2];
    Ops.softmaxRowsBackward(m, sm, new double[][] {{1, 2}, {3, 4}, {5, 6}}, dm);
    for (double[] row : dm) {
      assertFinite(row);
    }
  }

  @Test
  void softmaxCrossEntropyAtPlusMinus1000() {
    double[][] logits = {{1000, -1000}, {-1000, 1000}, {1000, 1000}};
    int[] labels = {1, 1, 0};
    double loss = Ops.softmaxCrossEntropy(logits, labels);
    assertEquals((2000 + 0 + LN2) / 3, loss, 1e-12);
    double[][] d = new double[3][2];
    Ops.softmaxCrossEntropyBackward(logits, labels, loss, 3.0, d);
    assertArrayEquals(new double[] {1, -1}, d[0], 1e-12);
    assertArrayEquals(new double[] {0, 0}, d[1], 1e-12);
    assertArrayEquals(new double[] {-0.5, 0.5}, d[2], 1e-12);
  }

  @Test
  void sigmoidAtPlusMinus1000() {
    double[] a = {1000, -1000, 0, 40, -40};
    double[] s = Ops.sigmoid(a);
    assertEquals(1.0, s[0]);
    assertEquals(0.0, s[1]);
    assertEquals(0.5, s[2]);
    assertTrue(s[4] > 0);
    double[] da = new double[5];
    Ops.sigmoidBackward(a, s, new double[] {1, 1, 1, 1, 1}, da);
    assertFinite(da);
    assertEquals(0.0, da[0]);
    assertEquals(0.0, da[1]);
    assertEquals(0.25, da[2]);
  }

  /** Shift invariance: gradients at inputs near +1000 and -1000 equal those near 0. */
  @Test
  void shiftedInputsGiveTheSameGradients() {
    Random r = new Random(9);
    double[] x = OpsCases.vec(r, 5);
    double[] dy = OpsCases.vec(r, 5);
    for (double shift : new double[] {1000, -1000}) {
      double[] xs = x.clone();
      for (int i = 0; i < xs.length; i++) {
        xs[i] += shift;
      }
      double[] g0 = new double[5];
      double[] g1 = new double[5];
      Ops.softmaxBackward(x, Ops.softmax(x), dy, g0);
      Ops.softmaxBackward(xs, Ops.softmax(xs), dy, g1);
      assertArrayEquals(g0, g1, 1e-10);
      g0 = new double[5];
      g1 = new double[5];
      Ops.logSoftmaxBackward(x, Ops.logSoftmax(x), dy, g0);
      Ops.logSoftmaxBackward(xs, Ops.logSoftmax(xs), dy, g1);
      assertArrayEquals(g0, g1, 1e-10);
      g0 = new double[5];
      g1 = new double[5];
      Ops.logSumExpBackward(x, Ops.logSumExp(x), 0.7, g0);
      Ops.logSumExpBackward(xs, Ops.logSumExp(xs), 0.7, g1);
      assertArrayEquals(g0, g1, 1e-10);
      assertEquals(Ops.logSumExp(x) + shift, Ops.logSumExp(xs), 1e-9);
    }
  }

  @Test
  void reluDerivativeAtZeroIsZero() {
    double[] a = {0.0, -0.0, 1.0, -1.0};
    double[] y = Ops.relu(a);
    assertArrayEquals(new double[] {0, 0, 1, 0}, y, 0);
    double[] da = new double[4];
    Ops.reluBackward(a, y, new double[] {5, 6, 7, 8}, da);
    assertArrayEquals(new double[] {0, 0, 7, 0}, da, 0);
  }

  // --- blocked products against naive loops ---

  private static final int[] AWKWARD = {1, 7, 63, 65, 130};

  static Stream<Arguments> awkwardSizes() {
    Stream<Arguments> cube = IntStream.of(AWKWARD).boxed().flatMap(n -> IntStream.of(AWKWARD)
        .boxed().flatMap(k -> IntStream.of(AWKWARD).mapToObj(m -> Arguments.of(n, k, m))));
    // Beyond one BLOCK_K x BLOCK_J tile in every direction.
    Stream<Arguments> big = Stream.of(Arguments.of(3, 200, 600), Arguments.of(130, 300, 257),
        Arguments.of(257, 129, 513));
    return Stream.concat(cube, big);
  }

  private static double[][] naive(double[][] a, double[][] b) {
    int n = a.length;
    int k = b.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[i][p] * b[p][j];
        }
        c[i][j] = s;
      }
    }
    return c;
  }

  private static double[][] naiveTranspose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  @ParameterizedTest(name = "{0}x{1} times {1}x{2}")
  @MethodSource("awkwardSizes")
  void matmulAndItsBackwardMatchNaiveLoops(int n, int k, int m) {
    Random r = new Random(n * 1_000_003L + k * 1009L + m);
    double[][] a = OpsCases.mat(r, n, k);
    double[][] b = OpsCases.mat(r, k, m);
    double[][] c = Ops.matmul(a, b);
    double[][] expected = naive(a, b);
    for (int i = 0; i < n; i++) {
      // Same summation order as the naive loop: bitwise equal.
      assertArrayEquals(expected[i], c[i], 0.0, "row " + i);
    }
    double[][] g = OpsCases.mat(r, n, m);
    double[][] da = OpsCases.mat(r, n, k);
    double[][] db = OpsCases.mat(r, k, m);
    double[][] da0 = (double[][]) OpsCases.deepCopy((Object) da);
    double[][] db0 = (double[][]) OpsCases.deepCopy((Object) db);
    Ops.matmulBackward(a, b, c, g, da, db);
    double[][] expectDa = naive(g, naiveTranspose(b));
    double[][] expectDb = naive(naiveTranspose(a), g);
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < k; p++) {
        assertEquals(da0[i][p] + expectDa[i][p], da[i][p], 1e-12 * (m + 1), "da");
      }
    }
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < m; j++) {
        assertEquals(db0[p][j] + expectDb[p][j], db[p][j], 1e-12 * (n + 1), "db");
      }
    }
  }

  @Test
  void transposeAcrossTiles() {
    Random r = new Random(11);
    double[][] a = OpsCases.mat(r, 70, 33);
    double[][] t = Ops.transpose(a);
    double[][] expected = naiveTranspose(a);
    for (int j = 0; j < 33; j++) {
      assertArrayEquals(expected[j], t[j], 0.0);
    }
    double[][] da = new double[70][33];
    Ops.transposeBackward(a, t, t, da);
    for (int i = 0; i < 70; i++) {
      assertArrayEquals(a[i], da[i], 0.0);
    }
  }

  // --- allocation ---

  @Test
  void backwardFunctionsDoNotAllocate() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());

    Random r = new Random(13);
    double[][] a = OpsCases.mat(r, 20, 30);
    double[][] b = OpsCases.mat(r, 30, 10);
    double[][] c = Ops.matmul(a, b);
    double[][] g = OpsCases.mat(r, 20, 10);
    double[][] da = new double[20][30];
    double[][] db = new double[30][10];
    double[] v = OpsCases.vec(r, 10);
    double[][] biased = Ops.addRowVector(g, v);
    double[][] dg = new double[20][10];
    double[] dv = new double[10];
    double[][] sm = Ops.softmaxRows(g);
    int[] labels = OpsCases.labels(r, 20, 10);
    double loss = Ops.softmaxCrossEntropy(g, labels);
    double[] x = OpsCases.vec(r, 30);
    double[] s = Ops.softmax(x);
    double[] dx = new double[30];
    double[] mv = Ops.matvec(a, x);
    double[] dmv = OpsCases.vec(r, 20);

    Runnable work = () -> {
      Ops.matmulBackward(a, b, c, g, da, db);
      Ops.addRowVectorBackward(g, v, biased, g, dg, dv);
      Ops.softmaxRowsBackward(g, sm, g, dg);
      Ops.softmaxCrossEntropyBackward(g, labels, loss, 1.0, dg);
      Ops.softmaxBackward(x, s, x, dx);
      Ops.matvecBackward(a, x, mv, dmv, da, dx);
      Ops.scaleBackward(2.0, g, g, g, dg);
      Ops.sigmoidBackward(x, s, x, dx);
    };
    for (int i = 0; i < 20_000; i++) {
      work.run(); // warm up (JIT-compiled code allocates differently from the interpreter)
    }
    Runnable backwardOnly = () -> {
      Ops.matmulBackward(a, b, c, g, da, db);
      Ops.addRowVectorBackward(g, v, biased, g, dg, dv);
      Ops.softmaxRowsBackward(g, sm, g, dg);
      Ops.softmaxCrossEntropyBackward(g, labels, loss, 1.0, dg);
      Ops.softmaxBackward(x, s, x, dx);
      Ops.matvecBackward(a, x, mv, dmv, da, dx);
      Ops.scaleBackward(2.0, g, g, g, dg);
      Ops.sigmoidBackward(x, s, x, dx);
    };
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000; i++) {
      backwardOnly.run();
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1_000, "backward functions allocated " + allocated + " bytes");
  }
}
