package dev.gradgen.benchmarks.peers;

import dev.gradgen.benchmarks.Data;
import dev.gradgen.benchmarks.MlpBenchmark;
import dev.gradgen.benchmarks.MlpLossGrad;
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
 * The MLP step of {@code MlpLoss} (64 inputs, 64 tanh hidden units, 10 classes, batch 64, the
 * inputs of {@link MlpBenchmark}) and its gradient in TensorFlow Java and in DJL on PyTorch,
 * float64, one thread each. Compare with {@code MlpBenchmark.mlpGenerated}. Built only by the
 * {@code native-peers} Maven profile; run with {@code benchmarks/run.sh --native-peers}.
 *
 * <p>{@code mlpTensorflow} and {@code mlpDjl} are a user's whole call: the four parameters copied
 * in from Java arrays, loss and gradients computed, gradients copied back into an {@code
 * MlpLossGrad.LossGradientBuffer}. The {@code NoCopy} variants run on parameters already in the
 * library's tensors and leave the gradients there: the library's own cost.
 *
 * <p>Each library lives in its own state, so a fork loads only the one it measures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = {
  "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"
})
public class MlpNativePeersBenchmark {
  /** The benchmark's minibatch and weights and a gradient buffer for the peers' gradients. */
  @State(Scope.Thread)
  public static class Problem {
    Data.Mlp data;
    MlpLossGrad.LossGradientBuffer grad;

    @Setup
    public void setUp() {
      data = MlpBenchmark.data();
      grad = new MlpLossGrad.LossGradientBuffer(data.w1, data.b1, data.w2, data.b2);
    }
  }

  /** The TensorFlow graph and session, with the parameters loaded for the no-copy variant. */
  @State(Scope.Thread)
  public static class Tensorflow {
    TensorflowMlp peer;

    @Setup
    public void setUp(Problem p) {
      peer = new TensorflowMlp(p.data.x, p.data.labels, Data.MLP_HIDDEN, Data.MLP_CLASSES);
      peer.load(p.data.w1, p.data.b1, p.data.w2, p.data.b2);
    }

    @TearDown
    public void tearDown() {
      peer.close();
    }
  }

  /** The DJL arrays, with the parameters loaded for the no-copy variant. */
  @State(Scope.Thread)
  public static class Djl {
    DjlMlp peer;

    @Setup
    public void setUp(Problem p) {
      peer = new DjlMlp(p.data.x, p.data.labels);
      peer.load(p.data.w1, p.data.b1, p.data.w2, p.data.b2);
    }

    @TearDown
    public void tearDown() {
      peer.close();
    }
  }

  /** TensorFlow: copy in, run loss and gradients, copy out. */
  @Benchmark
  public double mlpTensorflow(Problem p, Tensorflow tf) {
    Data.Mlp d = p.data;
    return tf.peer.loss(d.w1, d.b1, d.w2, d.b2, p.grad);
  }

  /** TensorFlow: run loss and gradients on resident parameters, no copies. */
  @Benchmark
  public double mlpTensorflowNoCopy(Tensorflow tf) {
    return tf.peer.lossNoCopy();
  }

  /** DJL on PyTorch: copy in, record, backward, copy out. */
  @Benchmark
  public double mlpDjl(Problem p, Djl djl) {
    Data.Mlp d = p.data;
    return djl.peer.loss(d.w1, d.b1, d.w2, d.b2, p.grad);
  }

  /** DJL on PyTorch: zero gradients, record, backward on resident parameters, no copies. */
  @Benchmark
  public double mlpDjlNoCopy(Djl djl) {
    return djl.peer.lossNoCopy();
  }
}
