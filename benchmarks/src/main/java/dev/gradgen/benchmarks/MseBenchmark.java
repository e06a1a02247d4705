package dev.gradgen.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * MSE of a linear model, d = 100 features, n = 1000 rows: the objective alone, gradgen's generated
 * gradient (buffer and allocating forms) and two hand-written gradients. Run with benchmarks/run.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class MseBenchmark {
  private double[][] x;
  private double[] y;
  private double[] w;
  private double b;
  private LinearMseGrad.LossGradientBuffer generatedBuffer;
  private HandWritten.MseGradient handBuffer;

  @Setup
  public void setUp() {
    Data.Mse data = new Data.Mse(Data.MSE_ROWS, Data.MSE_FEATURES, 42L);
    x = data.x;
    y = data.y;
    w = data.w;
    b = data.b;
    generatedBuffer = new LinearMseGrad.LossGradientBuffer(w);
    handBuffer = new HandWritten.MseGradient(w.length);
  }

  /** (a) The objective alone. */
  @Benchmark
  public double mseObjective() {
    return LinearMse.loss(w, b, x, y);
  }

  /** (b) Generated gradient, allocation-free buffer form (gradient stays in the state's buffer). */
  @Benchmark
  public double mseGenerated() {
    return LinearMseGrad.loss(w, b, x, y, generatedBuffer);
  }

  /** (c) Hand-written gradient, same contract as (b). */
  @Benchmark
  public double mseHand() {
    return HandWritten.mse(w, b, x, y, handBuffer);
  }

  /** (c') Hand-written gradient as a single fused sweep over the rows. */
  @Benchmark
  public double mseHandOnePass() {
    return HandWritten.mseOnePass(w, b, x, y, handBuffer);
  }

  /** (d) Generated gradient, allocating form (fresh buffer, tape and record per call). */
  @Benchmark
  public LinearMseGrad.LossGradient mseGeneratedAllocating() {
    return LinearMseGrad.loss(w, b, x, y);
  }
}
