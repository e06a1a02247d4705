package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import dev.gradgen.Ops;

/**
 * A batched Elman RNN written the way a user writes one: a batch of sequences as a
 * {@code double[][][]} (sequence, step, feature), and the hidden states kept as whole rows,
 * {@code h[t + 1] = tanh(W h[t] + U x_t + c)}. The loss is the mean squared distance of each
 * sequence's last state from its target. The gradient with respect to the inputs is a
 * {@code double[][][]} of their shape: which input moved the loss.
 */
final class BatchedRnn {
  private BatchedRnn() {}

  @Differentiable
  static double loss(double[][] w, double[][] u, double[] c, double[][][] xs,
      @NoGrad double[][] targets) {
    double total = 0;
    for (int b = 0; b < xs.length; b++) {
      int steps = xs[b].length;
      double[][] h = new double[steps + 1][];
      h[0] = new double[c.length];
      for (int t = 0; t < steps; t++) {
        h[t + 1] = Ops.tanh(Ops.add(Ops.add(Ops.matvec(w, h[t]), Ops.matvec(u, xs[b][t])), c));
      }
      double[] e = Ops.sub(h[steps], targets[b]);
      total += Ops.dot(e, e);
    }
    return total / xs.length;
  }
}
