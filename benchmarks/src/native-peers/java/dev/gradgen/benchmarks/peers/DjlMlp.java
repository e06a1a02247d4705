package dev.gradgen.benchmarks.peers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gradgen.benchmarks.MlpLossGrad;

/**
 * {@code MlpLoss.loss} and its gradient in DJL on PyTorch (eager autograd): {@code
 * -mean(log_softmax(tanh(x w1 + b1) w2 + b2)[i, labels[i]])}, the log-probability of each row's
 * label picked with {@code gather}, recorded by a {@link GradientCollector}, then {@code backward}
 * and the four parameters' gradients. {@code x} and the labels are created once (data); float64
 * throughout, one PyTorch thread ({@link NativePeers}).
 *
 * <p>Each call works in a sub-manager that frees its arrays when the call ends, as {@link
 * DjlLinearMse} does. Not thread-safe.
 */
public final class DjlMlp implements AutoCloseable {
  private final NDManager manager;
  private final NDArray x;
  /** The labels as an n x 1 int64 column, the index {@code gather} takes. */
  private final NDArray labels;
  /** Parameters of the last {@link #load}, for {@link #lossNoCopy()}. */
  private NDArray[] resident;
  private boolean residentHasGradient;

  /** Creates the data arrays for the minibatch {@code x} (n x d) with {@code labels}. */
  public DjlMlp(double[][] x, int[] labels) {
    NativePeers.configure();
    manager = NDManager.newBaseManager("PyTorch");
    this.x = manager.create(x);
    long[] column = new long[labels.length];
    for (int i = 0; i < labels.length; i++) {
      column[i] = labels[i];
    }
    this.labels = manager.create(column, new Shape(labels.length, 1));
  }

  /**
   * One gradient call as a user makes it: copies the parameters in, records the loss, runs
   * backward, copies the gradients out into {@code grad} (overwriting it). Returns the loss.
   */
  public double loss(double[][] w1, double[] b1, double[][] w2, double[] b2,
      MlpLossGrad.LossGradientBuffer grad) {
    try (NDManager call = manager.newSubManager()) {
      NDArray[] p = {call.create(w1), call.create(b1), call.create(w2), call.create(b2)};
      for (NDArray a : p) {
        a.setRequiresGradient(true);
      }
      x.tempAttach(call);
      labels.tempAttach(call);
      double value = forwardBackward(p);
      readGradients(p, grad);
      return value;
    }
  }

  /** Copies the parameters into resident arrays for {@link #lossNoCopy()}. */
  public void load(double[][] w1, double[] b1, double[][] w2, double[] b2) {
    if (resident != null) {
      for (NDArray a : resident) {
        a.close();
      }
    }
    resident = new NDArray[] {
      manager.create(w1), manager.create(b1), manager.create(w2), manager.create(b2)
    };
    for (NDArray a : resident) {
      a.setRequiresGradient(true);
    }
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
      labels.tempAttach(call);
      for (NDArray a : resident) {
        a.tempAttach(call);
      }
      if (residentHasGradient) {
        for (NDArray a : resident) {
          NDArray g = a.getGradient();
          g.subi(g);
        }
      }
      double value = forwardBackward(resident);
      residentHasGradient = true;
      return value;
    }
  }

  /** Copies the gradients of the last {@link #lossNoCopy()} into {@code grad} (for the tests). */
  public void residentGradient(MlpLossGrad.LossGradientBuffer grad) {
    try (NDManager call = manager.newSubManager()) {
      for (NDArray a : resident) {
        a.tempAttach(call);
      }
      readGradients(resident, grad);
    }
  }

  /** {@code p} = w1, b1, w2, b2. */
  private double forwardBackward(NDArray[] p) {
    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
      NDArray hidden = x.matMul(p[0]).add(p[1]).tanh();
      NDArray logProbabilities = hidden.matMul(p[2]).add(p[3]).logSoftmax(1);
      NDArray loss = logProbabilities.gather(labels, 1).mean().neg();
      collector.backward(loss);
      return loss.getDouble();
    }
  }

  private static void readGradients(NDArray[] p, MlpLossGrad.LossGradientBuffer grad) {
    DjlLinearMse.readInto(p[0].getGradient(), grad.w1);
    DjlLinearMse.readInto(p[1].getGradient(), grad.b1);
    DjlLinearMse.readInto(p[2].getGradient(), grad.w2);
    DjlLinearMse.readInto(p[3].getGradient(), grad.b2);
  }

  @Override
  public void close() {
    manager.close();
  }
}
