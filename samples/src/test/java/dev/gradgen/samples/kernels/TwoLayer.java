package dev.gradgen.samples.kernels;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import dev.gradgen.Ops;

/**
 * A two-layer tanh network {@code out = tanh(X W1ᵀ + 1 b1ᵀ) W2ᵀ + 1 b2ᵀ}, written once with
 * kernels and once with scalar loops, with two losses: squared error plus an L2 penalty, and
 * softmax cross-entropy.
 */
final class TwoLayer {
  private TwoLayer() {}

  static final double LAMBDA = 1e-3;

  @Differentiable
  static double mseKernels(double[][] w1, double[] b1, double[][] w2, double[] b2,
      @NoGrad double[][] x, @NoGrad double[][] y) {
    double[][] h = Ops.tanh(Ops.addRowVector(Ops.matmul(x, Ops.transpose(w1)), b1));
    double[][] out = Ops.addRowVector(Ops.matmul(h, Ops.transpose(w2)), b2);
    return Ops.sum(Ops.square(Ops.sub(out, y))) / x.length
        + LAMBDA * (Ops.sum(Ops.square(w1)) + Ops.sum(Ops.square(w2)));
  }

  @Differentiable
  static double mseLoops(double[][] w1, double[] b1, double[][] w2, double[] b2,
      @NoGrad double[][] x, @NoGrad double[][] y) {
    int n = x.length;
    int d = x[0].length;
    int hidden = w1.length;
    int k = w2.length;
    double total = 0;
    double[] h = new double[hidden];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < hidden; j++) {
        double z = 0;
        for (int p = 0; p < d; p++) {
          z += x[i][p] * w1[j][p];
        }
        h[j] = Math.tanh(z + b1[j]);
      }
      for (int c = 0; c < k; c++) {
        double o = 0;
        for (int j = 0; j < hidden; j++) {
          o += h[j] * w2[c][j];
        }
        double r = o + b2[c] - y[i][c];
        total += r * r;
      }
    }
    double reg = 0;
    for (int j = 0; j < hidden; j++) {
      for (int p = 0; p < d; p++) {
        reg += w1[j][p] * w1[j][p];
      }
    }
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < hidden; j++) {
        reg += w2[c][j] * w2[c][j];
      }
    }
    return total / n + LAMBDA * reg;
  }

  @Differentiable
  static double ceKernels(double[][] w1, double[] b1, double[][] w2, double[] b2,
      @NoGrad double[][] x, @NoGrad int[] labels) {
    double[][] h = Ops.tanh(Ops.addRowVector(Ops.matmul(x, Ops.transpose(w1)), b1));
    return Ops.softmaxCrossEntropy(Ops.addRowVector(Ops.matmul(h, Ops.transpose(w2)), b2), labels);
  }

  @Differentiable
  static double ceLoops(double[][] w1, double[] b1, double[][] w2, double[] b2,
      @NoGrad double[][] x, @NoGrad int[] labels) {
    int n = x.length;
    int d = x[0].length;
    int hidden = w1.length;
    int k = w2.length;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double[] h = new double[hidden];
      for (int j = 0; j < hidden; j++) {
        double z = 0;
        for (int p = 0; p < d; p++) {
          z += x[i][p] * w1[j][p];
        }
        h[j] = Math.tanh(z + b1[j]);
      }
      double[] o = new double[k];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double s = 0;
        for (int j = 0; j < hidden; j++) {
          s += h[j] * w2[c][j];
        }
        o[c] = s + b2[c];
        max = Math.max(max, o[c]);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(o[c] - max);
      }
      total += max + Math.log(sum) - o[labels[i]];
    }
    return total / n;
  }
}
