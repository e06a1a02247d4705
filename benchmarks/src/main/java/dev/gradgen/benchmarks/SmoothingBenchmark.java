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
 * A loop with overwrites (n = 256, 8 in-place sweeps): the objective alone, gradgen's generated
 * gradient (buffer form) and two hand-written gradients. Run with benchmarks/run.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class SmoothingBenchmark {
  private double[] p;
  private double q;
  private SmoothingGrad.EnergyGradientBuffer generatedBuffer;
  private HandWritten.SmoothingGradient handBuffer;
  private HandWritten.SmoothingTape handTape;

  @Setup
  public void setUp() {
    Data.Smooth data = new Data.Smooth(Data.SMOOTHING_POINTS, 7L);
    p = data.p;
    q = data.q;
    generatedBuffer = new SmoothingGrad.EnergyGradientBuffer(p);
    handBuffer = new HandWritten.SmoothingGradient(p.length);
    handTape = new HandWritten.SmoothingTape(p.length);
  }

  /** (a) The objective alone (allocates its local u, as written). */
  @Benchmark
  public double smoothingObjective() {
    return Smoothing.energy(p, q);
  }

  /** (b) Generated gradient, buffer form. */
  @Benchmark
  public double smoothingGenerated() {
    return SmoothingGrad.energy(p, q, generatedBuffer);
  }

  /** (c) Hand-written gradient exploiting linearity: saves nothing. */
  @Benchmark
  public double smoothingHand() {
    return HandWritten.smoothing(p, q, handBuffer);
  }

  /** (c') Hand-written gradient that saves and restores every overwritten u[i], like generic AD. */
  @Benchmark
  public double smoothingHandTaped() {
    return HandWritten.smoothingTaped(p, q, handBuffer, handTape);
  }
}
