package dev.gradgen.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** MatmulBenchmark compares equal things: each Ops call and its EJML partner agree. */
class MatmulEqualityTest {
  private static final double RTOL = 1e-12;

  private static void assertSame(DMatrixRMaj expected, double[][] actual, String what) {
    assertEquals(expected.numRows, actual.length, what + ": rows");
    double scale = 0;
    for (int i = 0; i < expected.getNumElements(); i++) {
      scale = Math.max(scale, Math.abs(expected.get(i)));
    }
    for (int i = 0; i < actual.length; i++) {
      assertEquals(expected.numCols, actual[i].length, what + ": columns");
      for (int j = 0; j < actual[i].length; j++) {
        double e = expected.get(i, j);
        if (!(Math.abs(actual[i][j] - e) <= RTOL * scale)) {
          fail(what + "[" + i + "][" + j + "]: EJML " + e + ", Ops " + actual[i][j]);
        }
      }
    }
  }

  @Test
  void eachPairComputesTheSameProduct() {
    // 256 is the smallest benchmarked size; 70 and 300 exercise partial blocks.
    for (int n : new int[] {70, 256, 300}) {
      MatmulBenchmark bench = new MatmulBenchmark();
      bench.n = n;
      bench.setUp();
      double[][] c = bench.opsMatmul();
      assertSame(bench.ejmlMult(), c, "C at n = " + n);
      assertSame(bench.ejmlMultAddTransB(), bench.opsBackwardDa(), "dA at n = " + n);
      assertSame(bench.ejmlMultAddTransA(), bench.opsBackwardDb(), "dB at n = " + n);
      // Second call: both sides accumulate.
      assertSame(bench.ejmlMultAddTransB(), bench.opsBackwardDa(), "dA twice at n = " + n);
      assertSame(bench.ejmlMultAddTransA(), bench.opsBackwardDb(), "dB twice at n = " + n);
    }
  }
}
