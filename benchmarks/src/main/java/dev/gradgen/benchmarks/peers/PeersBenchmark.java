package dev.gradgen.benchmarks.peers;

import dev.gradgen.benchmarks.Data;
import dev.gradgen.benchmarks.MlpBenchmark;
import java.util.concurrent.TimeUnit;
import org.hipparchus.analysis.differentiation.Gradient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Pure-Java AD libraries on the inputs of {@code MseBenchmark} (d = 100, n = 1000) and {@link
 * MlpBenchmark} (64-64-10, batch 64): Hipparchus's forward-mode {@link Gradient} and finmath-lib's
 * reverse-mode AAD, per scalar and vectorised over rows. Each call builds the parameters' AD
 * variables, evaluates, and reads the whole gradient into plain arrays, as a training step would;
 * data conversions that a user would do once (finmath column vectors) happen in setup.
 * {@code PeersTest} checks every value and gradient against gradgen's generated one. Run with
 * benchmarks/run.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PeersBenchmark {
  private Data.Mse mse;
  private FinmathMse.Columns mseColumns;
  private Data.Mlp mlp;
  private FinmathMlp.Batch mlpBatch;

  @Setup
  public void setUp() {
    mse = new Data.Mse(Data.MSE_ROWS, Data.MSE_FEATURES, 42L);
    mseColumns = FinmathMse.columns(mse.x, mse.y);
    mlp = MlpBenchmark.data();
    mlpBatch = FinmathMlp.batch(mlp.x, mlp.labels, Data.MLP_CLASSES);
  }

  /** Hipparchus forward mode: 101 {@code Gradient} variables through the objective's loops. */
  @Benchmark
  public Gradient mseHipparchus() {
    return HipparchusMse.valueAndGradient(mse.w, mse.b, mse.x, mse.y);
  }

  /** finmath AAD, one operator-tree node per scalar operation (about 103 000 nodes). */
  @Benchmark
  public FinmathMse.Result mseFinmathScalar() {
    return FinmathMse.scalar(mse.w, mse.b, mse.x, mse.y);
  }

  /** finmath AAD, rows as the path dimension (103 nodes over 1000-vectors). */
  @Benchmark
  public FinmathMse.Result mseFinmathVector() {
    return FinmathMse.vector(mse.w, mse.b, mseColumns);
  }

  /** finmath AAD, the MLP step with the batch as the path dimension (5 163 nodes over 64-vectors). */
  @Benchmark
  public FinmathMlp.Result mlpFinmathVector() {
    return FinmathMlp.vector(mlp.w1, mlp.b1, mlp.w2, mlp.b2, mlpBatch);
  }

  /** finmath AAD, the MLP step with one node per scalar operation (about 335 000 nodes). */
  @Benchmark
  public FinmathMlp.Result mlpFinmathScalar() {
    return FinmathMlp.scalar(mlp.w1, mlp.b1, mlp.w2, mlp.b2, mlp.x, mlp.labels);
  }
}
