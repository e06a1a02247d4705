package dev.gradgen.samples.kernels;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import dev.gradgen.Ops;

/** Kernels in every expression position, mixed with scalar code, loops and indexed results. */
final class Mixed {
  private Mixed() {}

  /** Indexed results of the same kernel twice, inside Math calls and arithmetic. */
  @Differentiable
  static double softmaxPick(double[] s, @NoGrad int label) {
    return Math.log(Ops.softmax(s)[label]) + 2 * Ops.softmax(s)[(label + 1) % s.length];
  }

  @Differentiable
  static double logSumExp(double[] a, double[] b) {
    return Ops.logSumExp(Ops.scale(2.0, a)) - Ops.dot(a, b) * Ops.logSumExp(b);
  }

  @Differentiable
  static double sigmoid(double[] a, double[] b) {
    double[] s = Ops.sigmoid(a);
    return Ops.dot(s, b) + s[0] * s[s.length - 1];
  }

  @Differentiable
  static double sigmoidMatrix(double[][] m) {
    return Ops.sum(Ops.mul(Ops.sigmoid(m), m));
  }

  @Differentiable
  static double relu(double[] a, double[] b) {
    return Ops.dot(Ops.relu(a), b) + Ops.sum(Ops.relu(Ops.scale(-1.0, a)));
  }

  @Differentiable
  static double reluMatrix(double[][] m, double[][] n) {
    return Ops.sum(Ops.mul(Ops.relu(m), n));
  }

  /** dot of a vector with itself (one accumulator for both parameters). */
  @Differentiable
  static double dot(double[] a, double[] b) {
    return Ops.dot(a, b) * Ops.dot(a, a) + Ops.dot(b, b);
  }

  @Differentiable
  static double outer(double[] a, double[] b, double[][] m) {
    double[][] o = Ops.outer(a, b);
    return Ops.sum(Ops.mul(o, m)) + o[0][b.length - 1] * o[a.length - 1][0];
  }

  @Differentiable
  static double matvec(double[][] m, double[] v, double[] u) {
    return Ops.dot(Ops.matvec(m, v), u) + Ops.sumOfSquares(Ops.matvec(m, u));
  }

  /** {@code scale} with an active scalar expression as the factor, vector and matrix forms. */
  @Differentiable
  static double scale(double t, double[] a, double[][] m) {
    return Ops.sum(Ops.square(Ops.scale(2 * t, a))) + Ops.sum(Ops.scale(t * t, Ops.exp(m)));
  }

  /** Three residual steps {@code h = h + tanh(W h)}: a kernel result reassigned in a loop. */
  @Differentiable
  static double residual(double[][] w, double[] h0) {
    double[] h = h0;
    for (int k = 0; k < 3; k++) {
      h = Ops.add(h, Ops.tanh(Ops.matvec(w, h)));
    }
    return Ops.sumOfSquares(h);
  }

  /** The same, with a scalar step size t and a data-dependent early stop in a while loop. */
  @Differentiable
  static double residualWhile(double[][] w, double[] h0, double t) {
    double[] h = Ops.scale(1.0, h0);
    int k = 0;
    while (k < 5) {
      double[] step = Ops.scale(t, Ops.tanh(Ops.matvec(w, h)));
      h = Ops.add(h, step);
      if (Ops.sumOfSquares(step) < 1e-12) {
        break;
      }
      k++;
    }
    return Ops.mean(h) + Ops.logSumExp(h);
  }

  /** Kernels on parameter rows and on local arrays, in a loop, mixed with scalar code. */
  @Differentiable
  static double rowsAndScalars(double[][] m, double[] v, double t) {
    double s = 0;
    double[] acc = new double[v.length];
    for (int i = 0; i < m.length; i++) {
      double d = Ops.dot(m[i], v);
      s += Math.sin(d) * Math.exp(t * i);
      acc[i % v.length] += d * t;
    }
    // A kernel in an if condition; in a branch of ?: it would be rejected (documented).
    if (Ops.sum(v) > 0) {
      s += Ops.dot(acc, v);
    } else {
      s -= t;
    }
    return s + Ops.sumOfSquares(acc);
  }

  /** Element writes into a kernel result whose backward reads the result (tanh). */
  @Differentiable
  static double writeIntoResult(double[] a) {
    double[] y = Ops.tanh(a);
    y[0] = y[0] * 3 + y[y.length - 1];
    y = Ops.tanh(y);
    return Ops.sum(y) + y[0] * y[0];
  }

  /** Kernels over matrices: exp, log, transpose, sub, add, softmaxRows, mean. */
  @Differentiable
  static double matrixChain(double[][] a, double[][] b) {
    double[][] e = Ops.exp(Ops.scale(0.5, a));
    double[][] l = Ops.log(Ops.add(e, Ops.square(b)));
    double[][] p = Ops.softmaxRows(Ops.sub(l, Ops.transpose(Ops.transpose(b))));
    return Ops.mean(Ops.mul(p, a)) + Ops.sum(Ops.matmul(Ops.transpose(a), b));
  }

  /** logSoftmax with an indexed result in a loop over labels. */
  @Differentiable
  static double logSoftmax(double[] z, @NoGrad int[] labels) {
    double s = 0;
    for (int label : labels) {
      s += Ops.logSoftmax(z)[label];
    }
    return s;
  }
}
