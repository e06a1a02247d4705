package dev.gradgen.samples.constructs;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/** Reading parameter arrays, local arrays, element writes, gathers. */
public final class ArrayCode {
  private ArrayCode() {}

  /** a[i], m[i][j], a.length, m[i].length over a ragged matrix. */
  @Differentiable
  static double reads(double[] a, double[][] m) {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        s += a[j % a.length] * m[i][j];
      }
    }
    return s * a.length;
  }

  /** A local alias of a parameter row, read in a loop. */
  @Differentiable
  static double rowAlias(double[][] m, double x) {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      double[] row = m[i];
      for (int j = 0; j < row.length; j++) {
        s += row[j] * row[j] * x;
      }
    }
    return s;
  }

  /** new double[n], new double[n][m], element writes, reads back. */
  @Differentiable
  static double localArrays(double[] a) {
    int n = a.length;
    double[] sq = new double[n];
    for (int i = 0; i < n; i++) {
      sq[i] = a[i] * a[i];
    }
    double[][] outer = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        outer[i][j] = a[i] * sq[j];
      }
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += outer[i][(i + 1) % n];
    }
    return s;
  }

  /** new double[] {...} with active entries, and an int[] of indices used to gather. */
  @Differentiable
  static double literalAndGather(double[] a, double x) {
    double[] lit = new double[] {x, 2 * x, x * x, 1.0};
    int[] idx = new int[] {2, 0, 0, 1, 3};
    double s = 0;
    for (int k = 0; k < idx.length; k++) {
      s += lit[idx[k]] * a[idx[k] % a.length];
    }
    return s;
  }

  /** Array initialisers in declarations: double[] v = {...}, int[] k = {...}. */
  @Differentiable
  static double declarationInitialisers(double x, double y) {
    double[] v = {x, y, x * y};
    int[] k = {2, 1};
    double[][] m = {{x, 1.0}, {y, x}};
    return v[k[0]] * v[k[1]] + m[1][0] * m[0][0] - m[1][1];
  }

  /** An int[] parameter of indices (a constant) used to gather from a differentiable array. */
  @Differentiable
  static double gatherParameter(double[] a, int[] idx) {
    double s = 0;
    for (int i : idx) {
      s += a[i] * a[i];
    }
    return s;
  }

  /** += -= *= /= on elements of a local vector and matrix, repeated on the same element. */
  @Differentiable
  static double elementCompound(double[] a) {
    double[] acc = new double[2];
    double[][] mat = new double[2][2];
    for (int i = 0; i < a.length; i++) {
      acc[i % 2] += a[i];
      acc[i % 2] *= 1.1;
      mat[i % 2][(i + 1) % 2] -= a[i] * acc[0];
    }
    acc[0] -= acc[1];
    acc[1] /= 2;
    mat[0][0] += acc[0];
    mat[0][0] /= 1 + acc[1] * acc[1];
    return acc[0] * acc[0] + acc[1] + mat[0][0] + mat[0][1] * mat[1][0];
  }

  /** The same element overwritten many times, each time from its previous value. */
  @Differentiable
  static double overwriteSameElement(double[] a, double x) {
    double[] t = new double[1];
    t[0] = x;
    for (int k = 0; k < 5; k++) {
      for (int i = 0; i < a.length; i++) {
        t[0] = t[0] * a[i] + 0.1;
      }
    }
    return t[0];
  }

  /**
   * An in-place Gauss–Seidel sweep on the local vector u solving A u = b with b_i = p_i^2 + p_i;
   * returns |u|^2.
   */
  @Differentiable
  static double gaussSeidel(double[] p, @NoGrad double[][] a) {
    int n = p.length;
    double[] u = new double[n];
    for (int sweep = 0; sweep < 80; sweep++) {
      for (int i = 0; i < n; i++) {
        double r = p[i] * p[i] + p[i];
        for (int j = 0; j < n; j++) {
          if (j != i) {
            r -= a[i][j] * u[j];
          }
        }
        u[i] = r / a[i][i];
      }
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += u[i] * u[i];
    }
    return s;
  }

  /** The same as gaussSeidel, with the matrix differentiable too. */
  @Differentiable
  static double gaussSeidelMatrix(double[] p, double[][] a) {
    int n = p.length;
    double[] u = new double[n];
    for (int sweep = 0; sweep < 80; sweep++) {
      for (int i = 0; i < n; i++) {
        double r = p[i];
        for (int j = 0; j < n; j++) {
          if (j != i) {
            r -= a[i][j] * u[j];
          }
        }
        u[i] = r / a[i][i];
      }
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += u[i] * u[i];
    }
    return s;
  }

  /** A local vector re-bound to a fresh array, and a local matrix row replaced via a vector. */
  @Differentiable
  static double rebind(double[] a) {
    double[] v = new double[a.length];
    for (int i = 0; i < a.length; i++) v[i] = a[i] * 2;
    double s = v[0];
    v = new double[a.length];
    for (int i = 0; i < a.length; i++) v[i] = a[i] * a[i];
    for (int i = 0; i < a.length; i++) s += v[i];
    return s;
  }

  /** An int[] local, filled and updated with ++ and +=, used as indices. */
  @Differentiable
  static double intArrayLocal(double[] a) {
    int[] order = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      order[i] = a.length - 1 - i;
    }
    order[0] += 0;
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s = s * 0.5 + a[order[i]];
    }
    return s;
  }

  /** Running min and max over a matrix starting at the infinities. */
  @Differentiable
  static double runningMinMax(double[][] m) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] row : m) {
      for (double e : row) {
        lo = Math.min(lo, e);
        hi = Math.max(hi, e);
      }
    }
    return hi - 2 * lo;
  }

  /** Running max with an if instead of Math.max. */
  @Differentiable
  static double argmaxByIf(double[] a) {
    double best = -Double.MAX_VALUE;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > best) {
        best = a[i];
      }
    }
    return best * best;
  }

  /** double[] t; assigned on a later line. Closed form: x^2. */
  @Differentiable
  static double lateArrayInit(double x) {
    double[] t;
    t = new double[2];
    t[0] = x;
    t[1] = x * t[0];
    return t[1];
  }
}
