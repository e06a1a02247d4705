package dev.gradgen.benchmarks.gradbench;

import dev.gradgen.gradbench.evals.Evals;
import java.util.Random;
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
 * One reverse pass of GradBench's hand model (the vector-Jacobian product of its errors, what a
 * Gauss–Newton step needs as {@code Jᵀr}) against the errors alone, on the big model with hand1
 * (100 points) and hand8 (6,400), complicated. Its loops are full of cheap per-iteration values
 * (offsets, matrix entries read from the model, skinning weights), which the backward sweep
 * recomputes instead of saving: this is one of the workloads that justify that choice.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class HandVjpBenchmark {
  @Param({"complicated_hand1_t26_c100", "complicated_hand8_t26_c6400"})
  public String hand;

  private Evals.HtInput input;
  private double[] cotangent;

  @Setup
  public void setUp() {
    input = Evals.HtInput.read(GradBenchBenchmark.input("ht:" + hand));
    cotangent = new double[input.objective().length];
    Random random = new Random(7);
    for (int i = 0; i < cotangent.length; i++) {
      cotangent[i] = random.nextGaussian();
    }
  }

  @Benchmark
  public double[] handPrimal() {
    return input.objective();
  }

  @Benchmark
  public Object handVjp() {
    return input.vjp(cotangent);
  }
}
