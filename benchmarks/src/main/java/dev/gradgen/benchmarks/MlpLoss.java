package dev.gradgen.benchmarks;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import dev.gradgen.Ops;

/**
 * The MLP step of the benchmarks: a softmax classifier with one tanh hidden layer over the {@link
 * Ops} kernels, as a user writes it (the same network as the samples' digits model). gradgen
 * generates {@code MlpLossGrad}; hand-written and peer gradients are compared against it.
 *
 * <p>Shapes, for {@code n} rows of {@code d} features, {@code h} hidden units and {@code k}
 * classes: {@code x} is n x d, {@code w1} d x h, {@code b1} h, {@code w2} h x k, {@code b2} k.
 */
public final class MlpLoss {
  private MlpLoss() {}

  /** Mean softmax cross-entropy of {@code tanh(x w1 + b1) w2 + b2} against {@code labels}. */
  @Differentiable
  public static double loss(double[][] w1, double[] b1, double[][] w2, double[] b2,
      @NoGrad double[][] x, @NoGrad int[] labels) {
    double[][] hidden = Ops.tanh(Ops.addRowVector(Ops.matmul(x, w1), b1));
    return Ops.softmaxCrossEntropy(Ops.addRowVector(Ops.matmul(hidden, w2), b2), labels);
  }
}
