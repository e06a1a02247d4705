package dev.gradgen.benchmarks.adbench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ADBench bundle adjustment (ba1: 49 cameras, 7776 points, 31843 observations) as 0.5 |r|^2: the
 * objective and gradgen's generated gradient (buffer form). Run with benchmarks/run.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class BaBenchmark {
  private AdbenchData.Ba ba;
  private BundleAdjustmentGrad.LossGradientBuffer baBuffer;

  @Setup
  public void setUp() {
    ba = AdbenchData.ba("ba1_n49_m7776_p31843.txt");
    baBuffer = new BundleAdjustmentGrad.LossGradientBuffer(ba.cams, ba.points, ba.weights);
  }

  /** BA loss alone. */
  @Benchmark
  public double baObjective() {
    return BundleAdjustment.loss(ba.cams, ba.points, ba.weights, ba.camIndex, ba.pointIndex, ba.features);
  }

  /** BA generated gradient, allocation-free buffer form. */
  @Benchmark
  public double baGenerated() {
    return BundleAdjustmentGrad.loss(ba.cams, ba.points, ba.weights, ba.camIndex, ba.pointIndex,
        ba.features, baBuffer);
  }
}
