package dev.gradgen.benchmarks.peers;

import dev.gradgen.benchmarks.Data;
import dev.gradgen.benchmarks.LinearMseGrad;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * MSE of a linear model (d = 100, n = 1000, the inputs of {@code MseBenchmark}) and its gradient
 * in TensorFlow Java and in DJL on PyTorch, float64, one thread each. Compare with {@code
 * MseBenchmark.mseGenerated}. Built only by the {@code native-peers} Maven profile; run with
 * {@code benchmarks/run.sh --native-peers}.
 *
 * <p>{@code mseTensorflow} and {@code mseDjl} are a user's whole call: parameters copied in from
 * Java arrays, loss and gradients computed, gradients copied back into a {@code
 * LinearMseGrad.LossGradientBuffer}. The {@code NoCopy} variants run on parameters already in the
 * library's tensors and leave the gradients there: the library's own cost.
 *
 * <p>Each library lives in its own state, so a fork loads only the one it measures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = {
  "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"
})
public class MseNativePeersBenchmark {
  /** The benchmark's problem and a gradient buffer to copy the peers' gradients into. */
  @State(Scope.Thread)
  public static class Problem {
    Data.Mse data;
    LinearMseGrad.LossGradientBuffer grad;

    @Setup
    public void setUp() {
      data = new Data.Mse(Data.MSE_ROWS, Data.MSE_FEATURES, 42L);
      grad = new LinearMseGrad.LossGradientBuffer(data.w);
    }
  }

  /** The TensorFlow graph and session, with the parameters loaded for the no-copy variant. */
  @State(Scope.Thread)
  public static class Tensorflow {
    TensorflowLinearMse peer;

    @Setup
    public void setUp(Problem p) {
      peer = new TensorflowLinearMse(p.data.x, p.data.y);
      peer.load(p.data.w, p.data.b);
    }

    @TearDown
    public void tearDown() {
      peer.close();
    }
  }

  /** The DJL arrays, with the parameters loaded for the no-copy variant. */
  @State(Scope.Thread)
  public static class Djl {
    DjlLinearMse peer;

    @Setup
    public void setUp(Problem p) {
      peer = new DjlLinearMse(p.data.x, p.data.y);
      peer.load(p.data.w, p.data.b);
    }

    @TearDown
    public void tearDown() {
      peer.close();
    }
  }

  /** TensorFlow: copy in, run loss and gradients, copy out. */
  @Benchmark
  public double mseTensorflow(Problem p, Tensorflow tf) {
    return tf.peer.loss(p.data.w, p.data.b, p.grad);
  }

  /** TensorFlow: run loss and gradients on resident parameters, no copies. */
  @Benchmark
  public double mseTensorflowNoCopy(Tensorflow tf) {
    return tf.peer.lossNoCopy();
  }

  /** DJL on PyTorch: copy in, record, backward, copy out. */
  @Benchmark
  public double mseDjl(Problem p, Djl djl) {
    return djl.peer.loss(p.data.w, p.data.b, p.grad);
  }

  /** DJL on PyTorch: zero gradients, record, backward on resident parameters, no copies. */
  @Benchmark
  public double mseDjlNoCopy(Djl djl) {
    return djl.peer.lossNoCopy();
  }
}
