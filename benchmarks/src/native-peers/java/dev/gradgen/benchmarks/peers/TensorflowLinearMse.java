package dev.gradgen.benchmarks.peers;

import dev.gradgen.benchmarks.LinearMseGrad;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * {@code LinearMse.loss} and its gradient in TensorFlow Java: a graph built once, {@code
 * mean((x w + b - y)^2)} with {@code w} fed as a d x 1 column and {@code b} as a scalar, plus the
 * symbolic gradients {@code tf.gradients} adds for both; {@code x} and {@code y} are graph
 * constants (they are data, fixed across calls, as in the other benchmarks). Float64 throughout,
 * one session thread ({@link NativePeers#tensorflowConfig()}).
 *
 * <p>Not thread-safe: the parameter tensors are reused across calls.
 */
public final class TensorflowLinearMse implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat64> wIn;
  private final Placeholder<TFloat64> bIn;
  private final Output<TFloat64> loss;
  private final Output<TFloat64> dw;
  private final Output<TFloat64> db;
  /** Parameter tensors, refilled by {@link #load} and fed on every call. */
  private final TFloat64 wTensor;
  private final TFloat64 bTensor;

  /** Builds the graph for the rows {@code x} (n x d) and targets {@code y} (n). */
  public TensorflowLinearMse(double[][] x, double[] y) {
    NativePeers.configure();
    int n = x.length;
    int d = x[0].length;
    double[][] yColumn = new double[n][1];
    for (int i = 0; i < n; i++) {
      yColumn[i][0] = y[i];
    }
    graph = new Graph();
    Ops tf = Ops.create(graph);
    wIn = tf.withName("w").placeholder(TFloat64.class, Placeholder.shape(Shape.of(d, 1)));
    bIn = tf.withName("b").placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
    Output<TFloat64> residual = tf.math.sub(
        tf.math.add(tf.linalg.matMul(tf.constant(x), wIn), bIn), tf.constant(yColumn)).asOutput();
    loss = tf.math.mean(tf.math.square(residual), tf.constant(new int[] {0, 1})).asOutput();
    Gradients grads = tf.gradients(loss, List.of(wIn, bIn));
    dw = grads.dy(0);
    db = grads.dy(1);
    session = new Session(graph, NativePeers.tensorflowConfig());
    wTensor = TFloat64.tensorOf(Shape.of(d, 1));
    bTensor = TFloat64.scalarOf(0.0);
  }

  /** Copies {@code w} and {@code b} into the parameter tensors. */
  public void load(double[] w, double b) {
    wTensor.copyFrom(DataBuffers.of(w, true, false));
    bTensor.setDouble(b);
  }

  /**
   * One gradient call as a user makes it: copies the parameters in, runs the graph for the loss
   * and both gradients, copies the gradients out into {@code grad} (overwriting it). Returns the
   * loss.
   */
  public double loss(double[] w, double b, LinearMseGrad.LossGradientBuffer grad) {
    load(w, b);
    try (Result r = run()) {
      ((TFloat64) r.get(1)).copyTo(DataBuffers.of(grad.w, false, false));
      grad.b = ((TFloat64) r.get(2)).getDouble();
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
    return session.runner()
        .feed(wIn, wTensor)
        .feed(bIn, bTensor)
        .fetch(loss)
        .fetch(dw)
        .fetch(db)
        .run();
  }

  @Override
  public void close() {
    wTensor.close();
    bTensor.close();
    session.close();
    graph.close();
  }
}
