package dev.gradgen.benchmarks.peers;

import dev.gradgen.benchmarks.MlpLossGrad;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.TFloat64;

/**
 * {@code MlpLoss.loss} and its gradient in TensorFlow Java: a graph built once, {@code
 * mean(sparse_softmax_cross_entropy_with_logits(tanh(x w1 + b1) w2 + b2, labels))} with the four
 * parameters as placeholders, plus the symbolic gradients {@code tf.gradients} adds for them (the
 * cross-entropy's through {@link #registerSparseSoftmaxGradient()}); {@code x} and {@code labels}
 * are graph constants (data). Float64 throughout, one session thread ({@link
 * NativePeers#tensorflowConfig()}).
 *
 * <p>Not thread-safe: the parameter tensors are reused across calls.
 */
public final class TensorflowMlp implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat64> w1In;
  private final Placeholder<TFloat64> b1In;
  private final Placeholder<TFloat64> w2In;
  private final Placeholder<TFloat64> b2In;
  private final List<Output<TFloat64>> fetches;
  /** Parameter tensors, refilled by {@link #load} and fed on every call. */
  private final TFloat64 w1Tensor;
  private final TFloat64 b1Tensor;
  private final TFloat64 w2Tensor;
  private final TFloat64 b2Tensor;

  /**
   * Builds the graph for the minibatch {@code x} (n x d) with {@code labels} in [0, k), {@code h}
   * hidden units and {@code k} classes.
   */
  public TensorflowMlp(double[][] x, int[] labels, int h, int k) {
    NativePeers.configure();
    registerSparseSoftmaxGradient();
    int d = x[0].length;
    graph = new Graph();
    Ops tf = Ops.create(graph);
    w1In = tf.withName("w1").placeholder(TFloat64.class, Placeholder.shape(Shape.of(d, h)));
    b1In = tf.withName("b1").placeholder(TFloat64.class, Placeholder.shape(Shape.of(h)));
    w2In = tf.withName("w2").placeholder(TFloat64.class, Placeholder.shape(Shape.of(h, k)));
    b2In = tf.withName("b2").placeholder(TFloat64.class, Placeholder.shape(Shape.of(k)));
    Output<TFloat64> hidden =
        tf.math.tanh(tf.math.add(tf.linalg.matMul(tf.constant(x), w1In), b1In)).asOutput();
    Output<TFloat64> logits = tf.math.add(tf.linalg.matMul(hidden, w2In), b2In).asOutput();
    Output<TFloat64> perRow =
        tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, tf.constant(labels)).loss();
    Output<TFloat64> loss = tf.math.mean(perRow, tf.constant(0)).asOutput();
    Gradients grads = tf.gradients(loss, List.of(w1In, b1In, w2In, b2In));
    fetches = List.of(loss, grads.dy(0), grads.dy(1), grads.dy(2), grads.dy(3));
    session = new Session(graph, NativePeers.tensorflowConfig());
    w1Tensor = TFloat64.tensorOf(Shape.of(d, h));
    b1Tensor = TFloat64.tensorOf(Shape.of(h));
    w2Tensor = TFloat64.tensorOf(Shape.of(h, k));
    b2Tensor = TFloat64.tensorOf(Shape.of(k));
  }

  private static boolean gradientRegistered;

  /**
   * TensorFlow's C++ gradient registry, which {@code tf.gradients} uses, has no gradient for
   * {@code SparseSoftmaxCrossEntropyWithLogits} ("No gradient defined for op"), and the one of the
   * dense {@code SoftmaxCrossEntropyWithLogits} does not build for float64 (it multiplies by a
   * float32 constant). This registers the gradient Python TensorFlow uses: the op's second
   * output, {@code softmax(logits) - one_hot(labels)}, times the incoming gradient of each row's
   * loss; the labels get zeros. It runs when the gradient graph is built, not per call.
   */
  private static synchronized void registerSparseSoftmaxGradient() {
    if (gradientRegistered) {
      return;
    }
    TensorFlow.registerCustomGradient(SparseSoftmaxCrossEntropyWithLogits.OP_NAME,
        (tf, op, gradInputs) -> {
          Output<TFloat64> backprop = op.output(1);
          @SuppressWarnings("unchecked")
          Output<TFloat64> dLoss = (Output<TFloat64>) gradInputs.get(0);
          // The registry wants an operand per input; the labels' (integers, not differentiable,
          // never requested) is a zeros op that the gradient graph does not use.
          return Arrays.asList(
              tf.math.mul(tf.expandDims(dLoss, tf.constant(-1)), backprop),
              tf.zerosLike(op.input(1)));
        });
    gradientRegistered = true;
  }

  /** Copies the parameters into the parameter tensors. */
  public void load(double[][] w1, double[] b1, double[][] w2, double[] b2) {
    StdArrays.copyTo(w1, w1Tensor);
    b1Tensor.copyFrom(DataBuffers.of(b1, true, false));
    StdArrays.copyTo(w2, w2Tensor);
    b2Tensor.copyFrom(DataBuffers.of(b2, true, false));
  }

  /**
   * One gradient call as a user makes it: copies the parameters in, runs the graph for the loss
   * and the four gradients, copies the gradients out into {@code grad} (overwriting it). Returns
   * the loss.
   */
  public double loss(double[][] w1, double[] b1, double[][] w2, double[] b2,
      MlpLossGrad.LossGradientBuffer grad) {
    load(w1, b1, w2, b2);
    try (Result r = run()) {
      StdArrays.copyFrom((TFloat64) r.get(1), grad.w1);
      ((TFloat64) r.get(2)).copyTo(DataBuffers.of(grad.b1, false, false));
      StdArrays.copyFrom((TFloat64) r.get(3), grad.w2);
      ((TFloat64) r.get(4)).copyTo(DataBuffers.of(grad.b2, false, false));
      return ((TFloat64) r.get(0)).getDouble();
    }
  }

  /**
   * The same run on the parameters of the last {@link #load}, with no copies either way: the
   * gradients stay in TensorFlow's tensors, which are released unread. Returns the loss.
   */
  public double lossNoCopy() {
    try (Result r = run()) {
      return ((TFloat64) r.get(0)).getDouble();
    }
  }

  private Result run() {
    Session.Runner runner = session.runner()
        .feed(w1In, w1Tensor)
        .feed(b1In, b1Tensor)
        .feed(w2In, w2Tensor)
        .feed(b2In, b2Tensor);
    for (Output<TFloat64> fetch : fetches) {
      runner.fetch(fetch);
    }
    return runner.run();
  }

  @Override
  public void close() {
    w1Tensor.close();
    b1Tensor.close();
    w2Tensor.close();
    b2Tensor.close();
    session.close();
    graph.close();
  }
}
