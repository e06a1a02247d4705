package dev.gradgen.samples;

import dev.gradgen.Differentiable;

/**
 * GradBench's {@code det} eval as its reference implementation writes it: the determinant of an
 * {@code ell} × {@code ell} matrix (row-major in {@code a}) by expansion by minors, after cmpad's
 * {@code det_by_minor}. The rows and columns of the current minor are linked lists in the
 * {@code int[]} arrays {@code r} and {@code c}, which {@code detOfMinor} edits and restores around
 * each recursive call. Written here from the algorithm's description, unchanged in shape.
 */
public final class Det {
  private Det() {}

  @Differentiable
  public static double det(double[] a, int ell) {
    int[] r = new int[ell + 1];
    int[] c = new int[ell + 1];
    for (int i = 0; i < ell; i++) {
      r[i] = i + 1;
      c[i] = i + 1;
    }
    r[ell] = 0;
    c[ell] = 0;
    return detOfMinor(a, ell, ell, r, c);
  }

  /**
   * The determinant of the {@code n} × {@code n} minor of the {@code m} × {@code m} matrix
   * {@code a} whose first row is {@code r[m]} (then {@code r[r[m]]}, ...) and whose first column
   * is {@code c[m]}.
   */
  @Differentiable
  public static double detOfMinor(double[] a, int m, int n, int[] r, int[] c) {
    int r0 = r[m];
    int cj = c[m];
    int cj1 = m;
    if (n == 1) {
      return a[r0 * m + cj];
    }
    double detM = 0;
    int s = 1;
    // remove row r0 from every sub-minor
    r[m] = r[r0];
    for (int j = 0; j < n; j++) {
      double m0j = a[r0 * m + cj];
      // remove column cj to form the next sub-minor
      c[cj1] = c[cj];
      double detS = detOfMinor(a, m, n - 1, r, c);
      // put column cj back
      c[cj1] = cj;
      if (s > 0) {
        detM = detM + m0j * detS;
      } else {
        detM = detM - m0j * detS;
      }
      cj1 = cj;
      cj = c[cj];
      s = -s;
    }
    r[m] = r0;
    return detM;
  }
}
