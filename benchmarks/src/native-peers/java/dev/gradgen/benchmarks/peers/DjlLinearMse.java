package dev.gradgen.benchmarks.peers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.gradgen.benchmarks.LinearMseGrad;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

/**
 * {@code LinearMse.loss} and its gradient in DJL on PyTorch (eager autograd): {@code mean((x w + b
 * - y)^2)} as {@code x.matMul(w).add(b).sub(y).square().mean()} recorded by a {@link
 * GradientCollector}, then {@code backward} and the parameters' gradients. {@code x} and {@code y}
 * are created once (data); float64 throughout, one PyTorch thread ({@link NativePeers}).
 *
 * <p>Each call works in a sub-manager that frees its arrays (parameters, intermediates and
 * gradients) when the call ends; {@code x} and {@code y} are attached to it only for the call.
 * Not thread-safe.
 */
public final class DjlLinearMse implements AutoCloseable {
  private final NDManager manager;
  private final NDArray x;
  private final NDArray y;
  /** Parameters of the last {@link #load}, for {@link #lossNoCopy()}. */
  private NDArray wResident;
  private NDArray bResident;
  private boolean residentHasGradient;

  /** Creates the data arrays for the rows {@code x} (n x d) and targets {@code y} (n). */
  public DjlLinearMse(double[][] x, double[] y) {
    NativePeers.configure();
    manager = NDManager.newBaseManager("PyTorch");
    this.x = manager.create(x);
    this.y = manager.create(y);
  }

  /**
   * One gradient call as a user makes it: copies the parameters in, records the loss, runs
   * backward, copies the gradients out into {@code grad} (overwriting it). Returns the loss.
   */
  public double loss(double[] w, double b, LinearMseGrad.LossGradientBuffer grad) {
    try (NDManager call = manager.newSubManager()) {
      NDArray wArray = call.create(w);
      NDArray bArray = call.create(b);
      wArray.setRequiresGradient(true);
      bArray.setRequiresGradient(true);
      x.tempAttach(call);
      y.tempAttach(call);
      double value = forwardBackward(wArray, bArray);
      readInto(wArray.getGradient(), grad.w);
      grad.b = bArray.getGradient().getDouble();
      return value;
    }
  }

  /** Copies {@code w} and {@code b} into resident parameter arrays for {@link #lossNoCopy()}. */
  public void load(double[] w, double b) {
    if (wResident != null) {
      wResident.close();
      bResident.close();
    }
    wResident = manager.create(w);
    bResident = manager.create(b);
    wResident.setRequiresGradient(true);
    bResident.setRequiresGradient(true);
    residentHasGradient = false;
  }

  /**
   * The same computation on the resident parameters of the last {@link #load}, with no copies
   * either way: the gradients stay in PyTorch's tensors ({@link #residentGradient} reads them).
   * PyTorch accumulates gradients, so the call first zeroes those of the previous call, as a
   * training loop's {@code zero_grad} does. Returns the loss.
   */
  public double lossNoCopy() {
    try (NDManager call = manager.newSubManager()) {
      x.tempAttach(call);
      y.tempAttach(call);
      wResident.tempAttach(call);
      bResident.tempAttach(call);
      if (residentHasGradient) {
        NDArray dw = wResident.getGradient();
        dw.subi(dw);
        NDArray db = bResident.getGradient();
        db.subi(db);
      }
      double value = forwardBackward(wResident, bResident);
      residentHasGradient = true;
      return value;
    }
  }

  /** Copies the gradients of the last {@link #lossNoCopy()} into {@code grad} (for the tests). */
  public void residentGradient(LinearMseGrad.LossGradientBuffer grad) {
    try (NDManager call = manager.newSubManager()) {
      wResident.tempAttach(call);
      bResident.tempAttach(call);
      readInto(wResident.getGradient(), grad.w);
      grad.b = bResident.getGradient().getDouble();
    }
  }

  private double forwardBackward(NDArray w, NDArray b) {
    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
      NDArray loss = x.matMul(w).add(b).sub(y).square().mean();
      collector.backward(loss);
      return loss.getDouble();
    }
  }

  /** Copies a float64 vector out of PyTorch into {@code dst}. */
  static void readInto(NDArray array, double[] dst) {
    array.toByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer().get(dst);
  }

  /** Copies a float64 matrix out of PyTorch into {@code dst}, row by row. */
  static void readInto(NDArray array, double[][] dst) {
    DoubleBuffer data = array.toByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    for (double[] row : dst) {
      data.get(row);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
