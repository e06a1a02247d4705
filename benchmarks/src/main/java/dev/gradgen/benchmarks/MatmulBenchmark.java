package dev.gradgen.benchmarks;

import dev.gradgen.Ops;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Square n x n matrix products: {@link Ops#matmul} and the two products of {@link
 * Ops#matmulBackward} against EJML's single-threaded {@link CommonOps_DDRM}, all sizes in one run.
 *
 * <ul>
 *   <li>{@code opsMatmul} {@code C = A B} (allocates C, as the kernel always does) vs {@code
 *       ejmlMult} (writes into a preallocated C).
 *   <li>{@code opsBackwardDa}: {@code matmulBackward} with only {@code da} requested, {@code dA +=
 *       dC Bᵀ}, vs {@code ejmlMultAddTransB}, the same accumulation.
 *   <li>{@code opsBackwardDb}: only {@code db}, {@code dB += Aᵀ dC}, vs {@code ejmlMultAddTransA}.
 * </ul>
 *
 * <p>Inputs are converted to EJML's {@link DMatrixRMaj} in {@link #setUp}, outside the timed
 * region. The accumulators grow by one product per call; they stay far from overflow.
 * MatmulEqualityTest checks that each pair computes the same thing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class MatmulBenchmark {
  @Param({"256", "512", "1024"})
  public int n;

  double[][] a;
  double[][] b;
  double[][] c;
  double[][] dc;
  double[][] da;
  double[][] db;

  DMatrixRMaj ea;
  DMatrixRMaj eb;
  DMatrixRMaj ec;
  DMatrixRMaj edc;
  DMatrixRMaj eda;
  DMatrixRMaj edb;

  @Setup
  public void setUp() {
    Random rnd = new Random(n);
    a = random(rnd, n);
    b = random(rnd, n);
    dc = random(rnd, n);
    c = Ops.matmul(a, b);
    da = new double[n][n];
    db = new double[n][n];
    ea = new DMatrixRMaj(a);
    eb = new DMatrixRMaj(b);
    edc = new DMatrixRMaj(dc);
    ec = new DMatrixRMaj(n, n);
    eda = new DMatrixRMaj(n, n);
    edb = new DMatrixRMaj(n, n);
  }

  static double[][] random(Random rnd, int n) {
    double[][] m = new double[n][n];
    for (double[] row : m) {
      for (int j = 0; j < n; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    return m;
  }

  @Benchmark
  public double[][] opsMatmul() {
    return Ops.matmul(a, b);
  }

  @Benchmark
  public DMatrixRMaj ejmlMult() {
    CommonOps_DDRM.mult(ea, eb, ec);
    return ec;
  }

  @Benchmark
  public double[][] opsBackwardDa() {
    Ops.matmulBackward(a, b, c, dc, da, null);
    return da;
  }

  @Benchmark
  public DMatrixRMaj ejmlMultAddTransB() {
    CommonOps_DDRM.multAddTransB(edc, eb, eda);
    return eda;
  }

  @Benchmark
  public double[][] opsBackwardDb() {
    Ops.matmulBackward(a, b, c, dc, null, db);
    return db;
  }

  @Benchmark
  public DMatrixRMaj ejmlMultAddTransA() {
    CommonOps_DDRM.multAddTransA(ea, edc, edb);
    return edb;
  }
}
