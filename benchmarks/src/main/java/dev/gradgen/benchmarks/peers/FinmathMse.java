package dev.gradgen.benchmarks.peers;

import dev.gradgen.benchmarks.LinearMse;
import java.util.Map;
import net.finmath.montecarlo.RandomVariableFromDoubleArray;
import net.finmath.montecarlo.automaticdifferentiation.RandomVariableDifferentiable;
import net.finmath.stochastic.RandomVariable;
import net.finmath.stochastic.Scalar;

/**
 * {@link LinearMse#loss} with finmath-lib's reverse-mode AAD, in two forms.
 *
 * <ul>
 *   <li>{@link #scalar}: every scalar is a size-1 random variable and every scalar operation one
 *       operator-tree node (n (d + 3) + 1 nodes; a multiply-add is one {@code addProduct} node),
 *       the way a scalar AD tool records the objective's loops.
 *   <li>{@link #vector}: the rows are finmath's path dimension. Each feature column is one
 *       n-vector (built once, {@link #columns}), the weights are scalar parameters, and the loss
 *       is {@code ((b + Σ_j x_j w_j) - y)²} averaged over paths: d + 3 nodes over n-vectors.
 * </ul>
 */
public final class FinmathMse {
  private FinmathMse() {}

  /** Value and gradient, read from finmath's gradient map. */
  public static final class Result {
    public final double value;
    public final double[] w;
    public final double b;

    Result(double value, double[] w, double b) {
      this.value = value;
      this.w = w;
      this.b = b;
    }
  }

  /** The data as finmath vectors over rows: one per feature column, and {@code y}. */
  public static final class Columns {
    final RandomVariable[] x;
    final RandomVariable y;

    Columns(RandomVariable[] x, RandomVariable y) {
      this.x = x;
      this.y = y;
    }
  }

  /** Converts row-major {@code x} (n x d) and {@code y} to finmath vectors with n paths. */
  public static Columns columns(double[][] x, double[] y) {
    int n = x.length;
    int d = n == 0 ? 0 : x[0].length;
    RandomVariable[] cols = new RandomVariable[d];
    for (int j = 0; j < d; j++) {
      double[] col = new double[n];
      for (int i = 0; i < n; i++) {
        col[i] = x[i][j];
      }
      cols[j] = new RandomVariableFromDoubleArray(0.0, col);
    }
    return new Columns(cols, new RandomVariableFromDoubleArray(0.0, y.clone()));
  }

  /** One node per scalar operation, in the objective's order. */
  public static Result scalar(double[] w, double b, double[][] x, double[] y) {
    RandomVariableDifferentiable[] wv = parameters(w);
    RandomVariableDifferentiable bv = FinmathAad.parameter(b);
    int n = x.length;
    RandomVariable total = new Scalar(0.0);
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      RandomVariable r = bv.sub(y[i]);
      for (int j = 0; j < wv.length; j++) {
        r = r.addProduct(wv[j], xi[j]);
      }
      total = total.add(r.squared());
    }
    RandomVariable loss = total.div(n);
    return result(loss, wv, bv);
  }

  /** Rows as paths: one node per operation on a whole column. */
  public static Result vector(double[] w, double b, Columns data) {
    RandomVariableDifferentiable[] wv = parameters(w);
    RandomVariableDifferentiable bv = FinmathAad.parameter(b);
    RandomVariable prediction = bv;
    for (int j = 0; j < wv.length; j++) {
      prediction = prediction.addProduct(data.x[j], wv[j]);
    }
    RandomVariable loss = prediction.sub(data.y).squared().average();
    return result(loss, wv, bv);
  }

  private static RandomVariableDifferentiable[] parameters(double[] w) {
    RandomVariableDifferentiable[] wv = new RandomVariableDifferentiable[w.length];
    for (int j = 0; j < w.length; j++) {
      wv[j] = FinmathAad.parameter(w[j]);
    }
    return wv;
  }

  private static Result result(
      RandomVariable loss, RandomVariableDifferentiable[] wv, RandomVariableDifferentiable bv) {
    Map<Long, RandomVariable> gradient = FinmathAad.gradientOf(loss);
    double[] dw = new double[wv.length];
    for (int j = 0; j < wv.length; j++) {
      dw[j] = FinmathAad.derivative(gradient, wv[j]);
    }
    return new Result(loss.getAverage(), dw, FinmathAad.derivative(gradient, bv));
  }
}
