package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GradBench's {@code det}, recursive as upstream: the value against Gaussian elimination, the
 * gradient against the cofactor matrix (d det / d a_ij = the (i, j) cofactor) and against finite
 * differences, and the arguments are left as they were.
 */
class DetTest {
  /** The determinant by Gaussian elimination with partial pivoting, for reference. */
  static double eliminate(double[] a, int n) {
    double[] m = a.clone();
    double det = 1;
    for (int k = 0; k < n; k++) {
      int p = k;
      for (int i = k + 1; i < n; i++) {
        if (Math.abs(m[i * n + k]) > Math.abs(m[p * n + k])) {
          p = i;
        }
      }
      if (p != k) {
        for (int j = 0; j < n; j++) {
          double t = m[k * n + j];
          m[k * n + j] = m[p * n + j];
          m[p * n + j] = t;
        }
        det = -det;
      }
      det *= m[k * n + k];
      for (int i = k + 1; i < n; i++) {
        double f = m[i * n + k] / m[k * n + k];
        for (int j = k; j < n; j++) {
          m[i * n + j] -= f * m[k * n + j];
        }
      }
    }
    return det;
  }

  /** The (i, j) cofactor: (-1)^(i+j) times the determinant without row i and column j. */
  static double cofactor(double[] a, int n, int i, int j) {
    double[] minor = new double[(n - 1) * (n - 1)];
    int k = 0;
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        if (r != i && c != j) {
          minor[k++] = a[r * n + c];
        }
      }
    }
    return ((i + j) % 2 == 0 ? 1 : -1) * (n == 1 ? 1 : eliminate(minor, n - 1));
  }

  @Test
  void valueAndGradientOfTheRecursiveDeterminant() {
    Random random = new Random(11);
    for (int n = 1; n <= 6; n++) {
      double[] a = new double[n * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextGaussian();
      }
      double[] before = a.clone();
      DetGrad.DetGradient g = DetGrad.det(a, n);
      assertArrayEquals(before, a, "the argument is unchanged");
      assertEquals(eliminate(a, n), g.value(), 1e-12, "value, n = " + n);
      assertEquals(Det.det(a, n), g.value(), 0.0, "value() is what det returns");
      double[] cofactors = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          cofactors[i * n + j] = cofactor(a, n, i, j);
        }
      }
      assertArrayEquals(cofactors, g.a(), 1e-11, "gradient = cofactor matrix, n = " + n);
      int size = n;
      double[] fd = FiniteDifferences.gradient(x -> Det.det(x, size), a,
          1e-6);
      assertArrayEquals(fd, g.a(), 1e-6, "finite differences, n = " + n);
    }
  }

  @Test
  void theMinorsPullbackLeavesItsIntArraysAsTheCallerPassedThem() {
    double[] a = {2, 1, 0, 1, 3, 1, 0, 1, 4};
    int[] r = {1, 2, 0, 0};
    int[] c = {1, 2, 0, 0};
    DetGrad.DetOfMinorGradient g = DetGrad.detOfMinor(a, 3, 3, r, c);
    assertArrayEquals(new int[] {1, 2, 0, 0}, r);
    assertArrayEquals(new int[] {1, 2, 0, 0}, c);
    assertEquals(18.0, g.value(), 1e-12);
  }
}
