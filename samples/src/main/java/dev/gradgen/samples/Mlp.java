package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import dev.gradgen.Ops;

/**
 * A softmax classifier with one tanh hidden layer, written as plain Java over the {@link Ops}
 * kernels. gradgen generates {@code MlpGrad} from it at compile time, with the gradient of {@link
 * #loss} with respect to all four parameter arrays; the kernels' hand-written backward functions
 * are called by the generated code.
 *
 * <p>Shapes, for {@code n} rows of {@code d} features, {@code h} hidden units and {@code k}
 * classes: {@code x} is n x d, {@code w1} d x h, {@code b1} h, {@code w2} h x k, {@code b2} k.
 */
public final class Mlp {
  private Mlp() {}

  /**
   * Mean softmax cross-entropy of {@code logits = tanh(x w1 + b1) w2 + b2} against {@code labels}
   * (each in {@code [0, k)}), plus the weight decay {@code l2 / 2 * (|w1|^2 + |w2|^2)}.
   */
  @Differentiable
  public static double loss(double[][] w1, double[] b1, double[][] w2, double[] b2,
      @NoGrad double[][] x, @NoGrad int[] labels, @NoGrad double l2) {
    double[][] hidden = Ops.tanh(Ops.addRowVector(Ops.matmul(x, w1), b1));
    double dataLoss =
        Ops.softmaxCrossEntropy(Ops.addRowVector(Ops.matmul(hidden, w2), b2), labels);
    return dataLoss + 0.5 * l2 * (Ops.sum(Ops.square(w1)) + Ops.sum(Ops.square(w2)));
  }

  /** The logits {@code tanh(x w1 + b1) w2 + b2}, one row per row of {@code x}. */
  public static double[][] logits(double[][] w1, double[] b1, double[][] w2, double[] b2,
      double[][] x) {
    double[][] hidden = Ops.tanh(Ops.addRowVector(Ops.matmul(x, w1), b1));
    return Ops.addRowVector(Ops.matmul(hidden, w2), b2);
  }

  /** How many rows of {@code x} the network classifies as their label (arg max of the logits). */
  public static int correct(double[][] w1, double[] b1, double[][] w2, double[] b2,
      double[][] x, int[] labels) {
    double[][] logits = logits(w1, b1, w2, b2, x);
    int correct = 0;
    for (int i = 0; i < logits.length; i++) {
      double[] row = logits[i];
      int best = 0;
      for (int c = 1; c < row.length; c++) {
        if (row[c] > row[best]) {
          best = c;
        }
      }
      if (best == labels[i]) {
        correct++;
      }
    }
    return correct;
  }
}
