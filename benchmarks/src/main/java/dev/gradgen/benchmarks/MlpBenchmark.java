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
 * The MLP step of {@link MlpLoss} (64 inputs, 64 tanh hidden units, 10 classes, batch 64): the
 * objective alone, gradgen's generated gradient (buffer form) and the hand-written gradient of
 * {@link HandWrittenMlp}. Run with benchmarks/run.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class MlpBenchmark {
  /** Seed of the benchmark's minibatch and weights; the equality tests use the same inputs. */
  public static final long SEED = 42L;

  private double[][] w1;
  private double[] b1;
  private double[][] w2;
  private double[] b2;
  private double[][] x;
  private int[] labels;
  private MlpLossGrad.LossGradientBuffer generatedBuffer;
  private HandWrittenMlp.MlpGradient handBuffer;

  /** The benchmark's inputs: {@code Data.Mlp} at the MLP_* sizes with {@link #SEED}. */
  public static Data.Mlp data() {
    return new Data.Mlp(
        Data.MLP_BATCH, Data.MLP_INPUTS, Data.MLP_HIDDEN, Data.MLP_CLASSES, SEED);
  }

  @Setup
  public void setUp() {
    Data.Mlp data = data();
    w1 = data.w1;
    b1 = data.b1;
    w2 = data.w2;
    b2 = data.b2;
    x = data.x;
    labels = data.labels;
    generatedBuffer = new MlpLossGrad.LossGradientBuffer(w1, b1, w2, b2);
    handBuffer = new HandWrittenMlp.MlpGradient(Data.MLP_INPUTS, Data.MLP_HIDDEN, Data.MLP_CLASSES);
  }

  /** (a) The objective alone. */
  @Benchmark
  public double mlpObjective() {
    return MlpLoss.loss(w1, b1, w2, b2, x, labels);
  }

  /** (b) Generated gradient, buffer form (gradient stays in the state's buffer). */
  @Benchmark
  public double mlpGenerated() {
    return MlpLossGrad.loss(w1, b1, w2, b2, x, labels, generatedBuffer);
  }

  /** (c) Hand-written gradient, same contract as (b), allocation-free once warmed up. */
  @Benchmark
  public double mlpHand() {
    return HandWrittenMlp.loss(w1, b1, w2, b2, x, labels, handBuffer);
  }
}
