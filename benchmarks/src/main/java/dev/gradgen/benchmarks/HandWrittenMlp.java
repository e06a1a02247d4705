package dev.gradgen.benchmarks;

import java.util.Arrays;

/**
 * Hand-written value and gradient of {@link MlpLoss#loss}: the practical limit for the MLP step in
 * plain Java, benchmarked against gradgen's {@code MlpLossGrad} in {@code MlpBenchmark}. Like the
 * generated buffer form it overwrites a caller-owned {@link MlpGradient} and returns the value;
 * once the workspace has been sized for a batch it allocates nothing.
 *
 * <p>For {@code n} rows, with {@code A = X W1 + b1}, {@code H = tanh(A)}, {@code Z = H W2 + b2}
 * and {@code dZ = (softmax(Z) - onehot(labels)) / n}:
 *
 * <pre>
 *   dW2 = Hᵀ dZ        db2 = colsum(dZ)
 *   dA  = (dZ W2ᵀ) ⊙ (1 - H²)
 *   dW1 = Xᵀ dA        db1 = colsum(dA)
 * </pre>
 *
 * <p>All matrices are row-major {@code double[][]}. Every product is written so that the innermost
 * loop runs along a row of contiguous memory (an axpy the JIT vectorises), four source rows at a
 * time ({@link #axpy4}): one load and one store of the accumulator row per four multiply-adds.
 * The transcendental functions are those of the objective ({@code Math.tanh}, {@code Math.exp},
 * {@code Math.log}), so the comparison with the generated code measures the differentiation, not
 * a cheaper {@code tanh}. {@code GradientEqualityTest} checks the result against the generated
 * gradient.
 */
public final class HandWrittenMlp {
  private HandWrittenMlp() {}

  /**
   * Gradient storage for {@link #loss} ({@code d/dw1}, {@code d/db1}, {@code d/dw2}, {@code d/db2},
   * shaped like the parameters) and its workspace: the hidden activations (overwritten in place by
   * their adjoint {@code dA} in the backward sweep), the logits (overwritten by {@code dZ}),
   * {@code W2ᵀ} and one row of {@code dH}. The per-row arrays are sized on the first call with a given batch size and
   * reused after that. Not thread-safe: one per thread.
   */
  public static final class MlpGradient {
    public final double[][] w1;
    public final double[] b1;
    public final double[][] w2;
    public final double[] b2;
    final double[][] w2t;
    final double[] rowScratch;
    double[][] hidden = new double[0][];
    double[][] logits = new double[0][];

    /** For {@code d} inputs, {@code h} hidden units and {@code k} classes. */
    public MlpGradient(int d, int h, int k) {
      w1 = new double[d][h];
      b1 = new double[h];
      w2 = new double[h][k];
      b2 = new double[k];
      w2t = new double[k][h];
      rowScratch = new double[h];
    }

    void ensureRows(int n) {
      if (hidden.length != n) {
        hidden = new double[n][b1.length];
        logits = new double[n][b2.length];
      }
    }
  }

  /**
   * Value and gradient of {@link MlpLoss#loss}{@code (w1, b1, w2, b2, x, labels)}; writes the
   * gradient into {@code grad} (overwriting it) and returns the mean cross-entropy. The arguments
   * are not modified. Shapes are those of {@link MlpLoss}; they are not checked beyond what array
   * indexing checks.
   */
  public static double loss(double[][] w1, double[] b1, double[][] w2, double[] b2,
      double[][] x, int[] labels, MlpGradient grad) {
    int n = x.length;
    int d = w1.length;
    int h = b1.length;
    int k = b2.length;
    grad.ensureRows(n);
    double[][] hid = grad.hidden;
    double[][] z = grad.logits;

    // Forward, layer 1: A = X W1 (row i of A += x_ip * row p of W1), then H = tanh(A + b1).
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      double[] a = hid[i];
      combine(xi, w1, d, a, h);
      for (int j = 0; j < h; j++) {
        a[j] = Math.tanh(a[j] + b1[j]);
      }
    }

    // Forward, layer 2 and the loss; the logits row becomes dZ = (softmax - onehot) / n.
    double total = 0.0;
    double invN = 1.0 / n;
    for (int i = 0; i < n; i++) {
      double[] hi = hid[i];
      double[] zi = z[i];
      combine(hi, w2, h, zi, k);
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        zi[c] += b2[c];
        max = Math.max(max, zi[c]);
      }
      int label = labels[i];
      double zLabel = zi[label];
      double sum = 0.0;
      for (int c = 0; c < k; c++) {
        double e = Math.exp(zi[c] - max);
        sum += e;
        zi[c] = e; // unnormalised softmax, scaled below
      }
      total += max + Math.log(sum) - zLabel; // log-sum-exp minus the label's logit
      double scale = invN / sum;
      for (int c = 0; c < k; c++) {
        zi[c] *= scale;
      }
      zi[label] -= invN;
    }

    // Backward, layer 2: dW2 = Hᵀ dZ (four rows of H per pass), db2 = colsum(dZ).
    double[][] dW2 = grad.w2;
    double[] dB2 = grad.b2;
    for (double[] row : dW2) {
      Arrays.fill(row, 0.0);
    }
    Arrays.fill(dB2, 0.0);
    int i = 0;
    for (; i + 3 < n; i += 4) {
      double[] h0 = hid[i];
      double[] h1 = hid[i + 1];
      double[] h2 = hid[i + 2];
      double[] h3 = hid[i + 3];
      double[] g0 = z[i];
      double[] g1 = z[i + 1];
      double[] g2 = z[i + 2];
      double[] g3 = z[i + 3];
      for (int j = 0; j < h; j++) {
        axpy4(h0[j], g0, h1[j], g1, h2[j], g2, h3[j], g3, dW2[j], k);
      }
      for (int c = 0; c < k; c++) {
        dB2[c] += g0[c] + g1[c] + g2[c] + g3[c];
      }
    }
    for (; i < n; i++) {
      double[] hi = hid[i];
      double[] gi = z[i];
      for (int j = 0; j < h; j++) {
        axpy(hi[j], gi, dW2[j], k);
      }
      for (int c = 0; c < k; c++) {
        dB2[c] += gi[c];
      }
    }

    // dA = (dZ W2ᵀ) ⊙ (1 - H²), written over H row by row (H is not needed after dW2);
    // db1 = colsum(dA). W2ᵀ makes the product an axpy over rows of length h.
    double[][] w2t = grad.w2t;
    for (int j = 0; j < h; j++) {
      double[] w2j = w2[j];
      for (int c = 0; c < k; c++) {
        w2t[c][j] = w2j[c];
      }
    }
    double[] dB1 = grad.b1;
    Arrays.fill(dB1, 0.0);
    double[] dh = grad.rowScratch;
    for (i = 0; i < n; i++) {
      double[] hi = hid[i];
      double[] gi = z[i];
      combine(gi, w2t, k, dh, h);
      for (int j = 0; j < h; j++) {
        double t = hi[j];
        double da = dh[j] * (1.0 - t * t);
        hi[j] = da;
        dB1[j] += da;
      }
    }

    // Backward, layer 1: dW1 = Xᵀ dA, four rows of X and dA per pass.
    double[][] dW1 = grad.w1;
    for (double[] row : dW1) {
      Arrays.fill(row, 0.0);
    }
    for (i = 0; i + 3 < n; i += 4) {
      double[] x0 = x[i];
      double[] x1 = x[i + 1];
      double[] x2 = x[i + 2];
      double[] x3 = x[i + 3];
      double[] a0 = hid[i];
      double[] a1 = hid[i + 1];
      double[] a2 = hid[i + 2];
      double[] a3 = hid[i + 3];
      for (int p = 0; p < d; p++) {
        axpy4(x0[p], a0, x1[p], a1, x2[p], a2, x3[p], a3, dW1[p], h);
      }
    }
    for (; i < n; i++) {
      double[] xi = x[i];
      double[] ai = hid[i];
      for (int p = 0; p < d; p++) {
        axpy(xi[p], ai, dW1[p], h);
      }
    }
    return total / n;
  }

  /** {@code y[0..len) += s * v}. */
  /** {@code y[0..len) = Σ_{p < m} coef[p] rows[p][0..len)}, four rows per pass over y. */
  private static void combine(double[] coef, double[][] rows, int m, double[] y, int len) {
    Arrays.fill(y, 0, len, 0.0);
    int p = 0;
    for (; p + 3 < m; p += 4) {
      axpy4(coef[p], rows[p], coef[p + 1], rows[p + 1], coef[p + 2], rows[p + 2], coef[p + 3],
          rows[p + 3], y, len);
    }
    for (; p < m; p++) {
      axpy(coef[p], rows[p], y, len);
    }
  }

  private static void axpy(double s, double[] v, double[] y, int len) {
    for (int j = 0; j < len; j++) {
      y[j] += s * v[j];
    }
  }

  /** {@code y[0..len) += s0 v0 + s1 v1 + s2 v2 + s3 v3}: one pass over {@code y} for four rows. */
  private static void axpy4(double s0, double[] v0, double s1, double[] v1, double s2,
      double[] v2, double s3, double[] v3, double[] y, int len) {
    for (int j = 0; j < len; j++) {
      y[j] += s0 * v0[j] + s1 * v1[j] + s2 * v2[j] + s3 * v3[j];
    }
  }
}
