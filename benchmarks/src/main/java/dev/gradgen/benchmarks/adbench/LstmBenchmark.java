package dev.gradgen.benchmarks.adbench;

import dev.gradgen.gradbench.evals.Lstm;
import dev.gradgen.gradbench.evals.LstmGrad;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ADBench LSTM, 2 layers, 1024 characters of 14 bits: the objective and gradgen's generated
 * gradient (buffer form). Run with benchmarks/run.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class LstmBenchmark {
  private AdbenchData.Lstm l;
  private LstmGrad.ObjectiveGradientBuffer lstmBuffer;

  @Setup
  public void setUp() {
    l = AdbenchData.lstm();
    lstmBuffer = new LstmGrad.ObjectiveGradientBuffer(l.mainParams, l.extraParams);
  }

  /** LSTM objective alone. */
  @Benchmark
  public double lstmObjective() {
    return Lstm.objective(l.mainParams, l.extraParams, l.state, l.sequence);
  }

  /** LSTM generated gradient, allocation-free buffer form. */
  @Benchmark
  public double lstmGenerated() {
    return LstmGrad.objective(l.mainParams, l.extraParams, l.state, l.sequence, lstmBuffer);
  }
}
