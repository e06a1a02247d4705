package dev.gradgen.benchmarks.adbench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ADBench GMM with 1000 points at several sizes (d dimensions, K components): the objective,
 * gradgen's generated gradient (buffer form) and the hand-written gradient. Run with
 * benchmarks/run.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class GmmBenchmark {
  /** Keep in step with {@link AdbenchData#GMM_SIZES}. */
  @Param({"d2_K5", "d2_K25", "d2_K50", "d10_K5", "d10_K25", "d20_K5", "d20_K10"})
  public String size;

  private AdbenchData.Gmm g;
  private GmmGrad.ObjectiveGradientBuffer generatedBuffer;
  private GmmHand.Buffer handBuffer;

  @Setup
  public void setUp() {
    g = AdbenchData.gmm1k(size);
    generatedBuffer = new GmmGrad.ObjectiveGradientBuffer(g.alphas, g.means, g.icf);
    handBuffer = new GmmHand.Buffer(g.d, g.k);
  }

  /** The objective alone. */
  @Benchmark
  public double gmmObjective() {
    return Gmm.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m);
  }

  /** Generated gradient, allocation-free buffer form. */
  @Benchmark
  public double gmmGenerated() {
    return GmmGrad.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m, generatedBuffer);
  }

  /** Hand-written gradient, same contract. */
  @Benchmark
  public double gmmHand() {
    return GmmHand.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m, handBuffer);
  }
}
