package dev.gradgen.benchmarks.peers;

import dev.gradgen.benchmarks.MlpLoss;
import java.util.Map;
import net.finmath.montecarlo.RandomVariableFromDoubleArray;
import net.finmath.montecarlo.automaticdifferentiation.RandomVariableDifferentiable;
import net.finmath.stochastic.RandomVariable;
import net.finmath.stochastic.Scalar;

/**
 * {@link MlpLoss#loss} (tanh hidden layer, softmax cross-entropy, mean over the batch) with
 * finmath-lib's reverse-mode AAD, in two forms.
 *
 * <ul>
 *   <li>{@link #vector}: the batch is finmath's path dimension. Each input column is one n-vector
 *       (built once, {@link #batch}); every weight and bias is a scalar parameter. Hidden unit j
 *       is {@code tanh(b1[j] + Σ_i x_i w1[i][j])}, logit c is {@code b2[c] + Σ_j h_j w2[j][c]},
 *       and the loss is {@code average(lse - Σ_c z_c onehot_c)} with {@code lse = m + log Σ_c
 *       e^(z_c - m)} for the per-path maximum logit m, taken as a constant (the log-sum-exp is
 *       exact for any m, so its derivative is not needed). d h + 6 h + h k + 4 k + 3 nodes over
 *       n-vectors (5 163 for the benchmark's shape).
 *   <li>{@link #scalar}: every scalar a size-1 random variable, one node per scalar operation
 *       (a multiply-add is one {@code addProduct} node): n (d h + 7 h + h k + 4 k + 3) + 1
 *       nodes, 334 529 for the benchmark's shape.
 * </ul>
 *
 * <p>finmath has no {@code tanh}; {@link FinmathAad#tanh} composes it from six differentiable
 * operations.
 */
public final class FinmathMlp {
  private FinmathMlp() {}

  /** Value and gradient, read from finmath's gradient map; shaped like the parameters. */
  public static final class Result {
    public final double value;
    public final double[][] w1;
    public final double[] b1;
    public final double[][] w2;
    public final double[] b2;

    Result(double value, double[][] w1, double[] b1, double[][] w2, double[] b2) {
      this.value = value;
      this.w1 = w1;
      this.b1 = b1;
      this.w2 = w2;
      this.b2 = b2;
    }
  }

  /** A minibatch as finmath vectors over rows: the input columns and one indicator per class. */
  public static final class Batch {
    final RandomVariable[] x;
    final RandomVariable[] onehot;
    final int rows;

    Batch(RandomVariable[] x, RandomVariable[] onehot, int rows) {
      this.x = x;
      this.onehot = onehot;
      this.rows = rows;
    }
  }

  /** Converts row-major {@code x} (n x d) and {@code labels} (in [0, k)) to finmath vectors. */
  public static Batch batch(double[][] x, int[] labels, int k) {
    int n = x.length;
    int d = n == 0 ? 0 : x[0].length;
    RandomVariable[] cols = new RandomVariable[d];
    for (int p = 0; p < d; p++) {
      double[] col = new double[n];
      for (int i = 0; i < n; i++) {
        col[i] = x[i][p];
      }
      cols[p] = new RandomVariableFromDoubleArray(0.0, col);
    }
    RandomVariable[] onehot = new RandomVariable[k];
    for (int c = 0; c < k; c++) {
      double[] ind = new double[n];
      for (int i = 0; i < n; i++) {
        ind[i] = labels[i] == c ? 1.0 : 0.0;
      }
      onehot[c] = new RandomVariableFromDoubleArray(0.0, ind);
    }
    return new Batch(cols, onehot, n);
  }

  /** The batch as finmath's path dimension: one node per operation on a whole column. */
  public static Result vector(double[][] w1, double[] b1, double[][] w2, double[] b2, Batch batch) {
    RandomVariableDifferentiable[][] w1v = parameters(w1);
    RandomVariableDifferentiable[] b1v = parameters(b1);
    RandomVariableDifferentiable[][] w2v = parameters(w2);
    RandomVariableDifferentiable[] b2v = parameters(b2);
    int d = w1.length;
    int h = b1.length;
    int k = b2.length;
    int n = batch.rows;

    RandomVariable[] hidden = new RandomVariable[h];
    for (int j = 0; j < h; j++) {
      RandomVariable a = b1v[j];
      for (int p = 0; p < d; p++) {
        a = a.addProduct(batch.x[p], w1v[p][j]);
      }
      hidden[j] = FinmathAad.tanh(a);
    }
    RandomVariable[] logits = new RandomVariable[k];
    for (int c = 0; c < k; c++) {
      RandomVariable z = b2v[c];
      for (int j = 0; j < h; j++) {
        z = z.addProduct(hidden[j], w2v[j][c]);
      }
      logits[c] = z;
    }
    // Per-path maximum logit, a constant shift (not differentiated).
    double[] max = new double[n];
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < n; i++) {
        max[i] = Math.max(max[i], logits[c].get(i));
      }
    }
    RandomVariable shift = new RandomVariableFromDoubleArray(0.0, max);
    RandomVariable sumExp = logits[0].sub(shift).exp();
    RandomVariable labelLogit = logits[0].mult(batch.onehot[0]);
    for (int c = 1; c < k; c++) {
      sumExp = sumExp.add(logits[c].sub(shift).exp());
      labelLogit = labelLogit.addProduct(logits[c], batch.onehot[c]);
    }
    RandomVariable loss = sumExp.log().add(shift).sub(labelLogit).average();
    return result(loss, w1v, b1v, w2v, b2v);
  }

  /** Every scalar a size-1 random variable; one node per scalar operation. */
  public static Result scalar(
      double[][] w1, double[] b1, double[][] w2, double[] b2, double[][] x, int[] labels) {
    RandomVariableDifferentiable[][] w1v = parameters(w1);
    RandomVariableDifferentiable[] b1v = parameters(b1);
    RandomVariableDifferentiable[][] w2v = parameters(w2);
    RandomVariableDifferentiable[] b2v = parameters(b2);
    int d = w1.length;
    int h = b1.length;
    int k = b2.length;
    int n = x.length;

    RandomVariable total = new Scalar(0.0);
    RandomVariable[] hidden = new RandomVariable[h];
    RandomVariable[] logits = new RandomVariable[k];
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      for (int j = 0; j < h; j++) {
        RandomVariable a = w1v[0][j].mult(xi[0]);
        for (int p = 1; p < d; p++) {
          a = a.addProduct(w1v[p][j], xi[p]);
        }
        hidden[j] = FinmathAad.tanh(a.add(b1v[j]));
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        RandomVariable z = hidden[0].mult(w2v[0][c]);
        for (int j = 1; j < h; j++) {
          z = z.addProduct(hidden[j], w2v[j][c]);
        }
        logits[c] = z.add(b2v[c]);
        max = Math.max(max, logits[c].doubleValue());
      }
      RandomVariable sumExp = logits[0].sub(max).exp();
      for (int c = 1; c < k; c++) {
        sumExp = sumExp.add(logits[c].sub(max).exp());
      }
      total = total.add(sumExp.log().add(max).sub(logits[labels[i]]));
    }
    RandomVariable loss = total.div(n);
    return result(loss, w1v, b1v, w2v, b2v);
  }

  private static RandomVariableDifferentiable[] parameters(double[] v) {
    RandomVariableDifferentiable[] out = new RandomVariableDifferentiable[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = FinmathAad.parameter(v[j]);
    }
    return out;
  }

  private static RandomVariableDifferentiable[][] parameters(double[][] m) {
    RandomVariableDifferentiable[][] out = new RandomVariableDifferentiable[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = parameters(m[i]);
    }
    return out;
  }

  private static double[] derivatives(
      Map<Long, RandomVariable> gradient, RandomVariableDifferentiable[] v) {
    double[] out = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = FinmathAad.derivative(gradient, v[j]);
    }
    return out;
  }

  private static Result result(RandomVariable loss, RandomVariableDifferentiable[][] w1v,
      RandomVariableDifferentiable[] b1v, RandomVariableDifferentiable[][] w2v,
      RandomVariableDifferentiable[] b2v) {
    Map<Long, RandomVariable> gradient = FinmathAad.gradientOf(loss);
    double[][] dw1 = new double[w1v.length][];
    for (int p = 0; p < w1v.length; p++) {
      dw1[p] = derivatives(gradient, w1v[p]);
    }
    double[][] dw2 = new double[w2v.length][];
    for (int j = 0; j < w2v.length; j++) {
      dw2[j] = derivatives(gradient, w2v[j]);
    }
    return new Result(loss.getAverage(), dw1, derivatives(gradient, b1v), dw2,
        derivatives(gradient, b2v));
  }
}
