package dev.gradgen.samples.kernels;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import dev.gradgen.Ops;

/** Softmax cross-entropy: on logits directly, through a linear layer, and row by row. */
final class Softmax {
  private Softmax() {}

  /** The logits themselves are the differentiable parameter. */
  @Differentiable
  static double onLogits(double[][] logits, @NoGrad int[] labels) {
    return Ops.softmaxCrossEntropy(logits, labels);
  }

  /** logits = X Wᵀ + 1 bᵀ, nested. */
  @Differentiable
  static double linear(double[][] w, double[] b, @NoGrad double[][] x, @NoGrad int[] labels) {
    return Ops.softmaxCrossEntropy(Ops.addRowVector(Ops.matmul(x, Ops.transpose(w)), b), labels);
  }

  /**
   * The same loss row by row with an indexed kernel result, {@code -log softmax(row)[label]},
   * inside a loop (less stable than the fused kernel: only for moderate logits).
   */
  @Differentiable
  static double rowByRow(double[][] w, double[] b, @NoGrad double[][] x, @NoGrad int[] labels) {
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double[] z = Ops.add(Ops.matvec(w, x[i]), b);
      total -= Math.log(Ops.softmax(z)[labels[i]]);
    }
    return total / x.length;
  }

  /** The same loss row by row through logSumExp, with a parameter row as kernel argument. */
  @Differentiable
  static double rowsLogSumExp(double[][] logits, @NoGrad int[] labels) {
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      total += Ops.logSumExp(logits[i]) - logits[i][labels[i]];
    }
    return total / logits.length;
  }
}
