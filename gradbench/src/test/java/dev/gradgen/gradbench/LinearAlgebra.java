package dev.gradgen.gradbench;

/** Reference linear algebra for the checks, row-major square matrices. */
final class LinearAlgebra {
  private LinearAlgebra() {}

  /** The determinant by LU with partial pivoting. */
  static double det(double[] a, int n) {
    double[] m = a.clone();
    double det = 1;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) {
          pivot = r;
        }
      }
      if (pivot != col) {
        for (int j = 0; j < n; j++) {
          double t = m[col * n + j];
          m[col * n + j] = m[pivot * n + j];
          m[pivot * n + j] = t;
        }
        det = -det;
      }
      double p = m[col * n + col];
      det *= p;
      for (int r = col + 1; r < n; r++) {
        double f = m[r * n + col] / p;
        for (int j = col; j < n; j++) {
          m[r * n + j] -= f * m[col * n + j];
        }
      }
    }
    return det;
  }

  /** The inverse by Gauss–Jordan elimination with partial pivoting. */
  static double[] inverse(double[] a, int n) {
    double[] m = a.clone();
    double[] inv = new double[n * n];
    for (int i = 0; i < n; i++) {
      inv[i * n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) {
          pivot = r;
        }
      }
      for (int j = 0; j < n; j++) {
        double t = m[col * n + j];
        m[col * n + j] = m[pivot * n + j];
        m[pivot * n + j] = t;
        t = inv[col * n + j];
        inv[col * n + j] = inv[pivot * n + j];
        inv[pivot * n + j] = t;
      }
      double p = m[col * n + col];
      for (int j = 0; j < n; j++) {
        m[col * n + j] /= p;
        inv[col * n + j] /= p;
      }
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = m[r * n + col];
          for (int j = 0; j < n; j++) {
            m[r * n + j] -= f * m[col * n + j];
            inv[r * n + j] -= f * inv[col * n + j];
          }
        }
      }
    }
    return inv;
  }
}
