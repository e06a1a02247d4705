package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * GradBench's {@code det} eval (cmpad's {@code det_by_minor}): the determinant of an
 * {@code ell × ell} matrix by expansion by minors, recursive as the upstream reference is. The
 * matrix is row-major in {@code a}; the minors are index lists {@code r} (the row after each row)
 * and {@code c} (the column after each column), so rows and columns are removed without moving
 * data.
 */
public final class Det {
  private Det() {}

  /**
   * The determinant of {@code a}.
   *
   * @param a the matrix, row-major
   * @param ell its edge size
   * @return {@code det(a)}
   */
  @Differentiable
  public static double primal(double[] a, @NoGrad int ell) {
    int[] r = new int[ell + 1];
    int[] c = new int[ell + 1];
    for (int i = 0; i < ell; i++) {
      r[i] = i + 1;
      c[i] = i + 1;
    }
    return detOfMinor(a, ell, ell, r, c);
  }

  /**
   * The determinant of the {@code m × m} minor of {@code a} that {@code r} and {@code c}
   * describe; {@code r[n]} and {@code c[n]} are its first row and column. Both lists are
   * changed during the call and restored before it returns.
   *
   * @param a the whole matrix, row-major
   * @param n the whole matrix's edge size
   * @param m the minor's edge size
   * @param r the minor's rows, as links
   * @param c the minor's columns, as links
   * @return the minor's determinant
   */
  @Differentiable
  static double detOfMinor(double[] a, @NoGrad int n, @NoGrad int m, @NoGrad int[] r,
      @NoGrad int[] c) {
    int r0 = r[n];
    int cj = c[n];
    if (m == 1) {
      return a[r0 * n + cj];
    }
    double detM = 0;
    int sign = 1;
    // remove row r0 from every sub-minor
    r[n] = r[r0];
    int cj1 = n;
    for (int j = 0; j < m; j++) {
      double m0j = a[r0 * n + cj];
      // remove column cj to form the sub-minor
      c[cj1] = c[cj];
      double detS = detOfMinor(a, n, m - 1, r, c);
      // restore column cj
      c[cj1] = cj;
      if (sign > 0) {
        detM = detM + m0j * detS;
      } else {
        detM = detM - m0j * detS;
      }
      cj1 = cj;
      cj = c[cj];
      sign = -sign;
    }
    // restore row r0
    r[n] = r0;
    return detM;
  }
}
