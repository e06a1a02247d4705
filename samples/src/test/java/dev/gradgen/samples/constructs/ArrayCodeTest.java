package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ArrayCodeTest {
  private static final double[][] A = {{4.0, 1.0, -0.5}, {0.5, 3.0, 1.0}, {-1.0, 0.5, 5.0}};

  @Test
  void reads() {
    double[] a = {0.5, -1.5};
    double[][] m = {{1.0, 2.0, 3.0}, {-0.5, 0.25}};
    var g = ArrayCodeGrad.reads(a, m);
    assertEquals(ArrayCode.reads(a, m), g.value(), 0.0);
    close(new double[][] {{1.0, -3.0, 1.0}, {1.0, -3.0}}, g.m(), "dm");
    close(new double[] {2 * (1.0 + 3.0 - 0.5), 2 * (2.0 + 0.25)}, g.a(), "da");
  }

  @Test
  void rowAlias() {
    double[][] m = {{1.0, -2.0}, {0.5}};
    var g = ArrayCodeGrad.rowAlias(m, 1.5);
    close(5.25 * 1.5, g.value());
    close(new double[][] {{3.0, -6.0}, {1.5}}, g.m(), "dm");
    close(5.25, g.x());
  }

  @Test
  void localArrays() {
    double[] a = {0.7, -1.2, 1.5, 0.4};
    var g = ArrayCodeGrad.localArrays(a);
    assertEquals(ArrayCode.localArrays(a), g.value(), 0.0);
    int n = a.length;
    double[] expected = new double[n];
    for (int k = 0; k < n; k++) {
      expected[k] = a[(k + 1) % n] * a[(k + 1) % n] + 2 * a[k] * a[(k + n - 1) % n];
    }
    close(expected, g.a(), "da");
  }

  @Test
  void literalAndGather() {
    double[] a = {0.3, -0.9, 1.7};
    var g = ArrayCodeGrad.literalAndGather(a, 1.4);
    assertEquals(ArrayCode.literalAndGather(a, 1.4), g.value(), 0.0);
    check(x -> ArrayCode.literalAndGather((double[]) x[0], (double) x[1]), args(a, 1.4), g.a(),
        g.x());
  }

  @Test
  void declarationInitialisers() {
    double x = 1.5;
    double y = -0.5;
    var g = ArrayCodeGrad.declarationInitialisers(x, y);
    close(x * y * y + x * y - x, g.value());
    close(y * y + y - 1, g.x());
    close(2 * x * y + x, g.y());
  }

  @Test
  void gatherParameter() {
    double[] a = {1.5, 2.0, -0.5};
    var g = ArrayCodeGrad.gatherParameter(a, new int[] {0, 2, 2});
    close(2.25 + 0.5, g.value());
    close(new double[] {3.0, 0.0, -2.0}, g.a(), "da");
  }

  @Test
  void elementCompound() {
    double[] a = {0.6, -0.4, 1.2, 0.9, -0.3};
    var g = ArrayCodeGrad.elementCompound(a);
    assertEquals(ArrayCode.elementCompound(a), g.value(), 0.0);
    check(x -> ArrayCode.elementCompound((double[]) x[0]), args((Object) a), (Object) g.a());
  }

  @Test
  void overwriteSameElement() {
    double[] a = {0.9, -0.8, 1.1};
    var g = ArrayCodeGrad.overwriteSameElement(a, 0.7);
    assertEquals(ArrayCode.overwriteSameElement(a, 0.7), g.value(), 0.0);
    check(x -> ArrayCode.overwriteSameElement((double[]) x[0], (double) x[1]), args(a, 0.7),
        g.a(), g.x());
  }

  @Test
  void gaussSeidelMatchesTheLinearAlgebra() {
    double[] p = {0.8, -1.3, 0.5};
    var g = ArrayCodeGrad.gaussSeidel(p, A);
    assertEquals(ArrayCode.gaussSeidel(p, A), g.value(), 0.0);
    // u = A^-1 b, f = |u|^2: df/db = 2 A^-T u, db_i/dp_i = 2 p_i + 1.
    double[] b = new double[3];
    for (int i = 0; i < 3; i++) b[i] = p[i] * p[i] + p[i];
    double[] u = solve(A, b);
    double[] lambda = solve(transpose(A), scale(2, u));
    close(dot(u, u), g.value());
    double[] expected = new double[3];
    for (int i = 0; i < 3; i++) expected[i] = lambda[i] * (2 * p[i] + 1);
    close(expected, g.p(), "dp");
    check(x -> ArrayCode.gaussSeidel((double[]) x[0], (double[][]) x[1]), args(p, A), g.p(), null);
  }

  @Test
  void gaussSeidelWithDifferentiableMatrix() {
    double[] p = {0.8, -1.3, 0.5};
    var g = ArrayCodeGrad.gaussSeidelMatrix(p, A);
    double[] u = solve(A, p);
    double[] lambda = solve(transpose(A), scale(2, u));
    close(dot(u, u), g.value());
    close(lambda, g.p(), "dp");
    double[][] expectedA = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) expectedA[i][j] = -lambda[i] * u[j];
    }
    close(expectedA, g.a(), "dA");
  }

  @Test
  void rebind() {
    double[] a = {0.5, -1.0, 2.0};
    var g = ArrayCodeGrad.rebind(a);
    close(1.0 + 0.25 + 1.0 + 4.0, g.value());
    close(new double[] {3.0, -2.0, 4.0}, g.a(), "da");
  }

  @Test
  void intArrayLocal() {
    double[] a = {0.5, -1.0, 2.0, 0.25};
    var g = ArrayCodeGrad.intArrayLocal(a);
    assertEquals(ArrayCode.intArrayLocal(a), g.value(), 0.0);
    // s = a3/8 + a2/4 + a1/2 + a0
    close(new double[] {1.0, 0.5, 0.25, 0.125}, g.a(), "da");
  }

  @Test
  void runningMinMax() {
    double[][] m = {{0.5, 2.5, -1.0}, {1.5, -3.0}, {0.0}};
    var g = ArrayCodeGrad.runningMinMax(m);
    close(2.5 + 6.0, g.value());
    close(new double[][] {{0, 1, 0}, {0, -2}, {0}}, g.m(), "dm");
    check(x -> ArrayCode.runningMinMax((double[][]) x[0]), args((Object) m), (Object) g.m());
  }

  @Test
  void argmaxByIf() {
    double[] a = {-3.0, -1.5, -2.0};
    var g = ArrayCodeGrad.argmaxByIf(a);
    close(2.25, g.value());
    close(new double[] {0.0, -3.0, 0.0}, g.a(), "da");
  }

  // Independent dense linear algebra for the closed forms.

  static double[] solve(double[][] m, double[] rhs) {
    int n = rhs.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = java.util.Arrays.copyOf(m[i], n + 1);
      a[i][n] = rhs[i];
    }
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= n; k++) a[r][k] -= f * a[c][k];
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = a[i][n] / a[i][i];
    return x;
  }

  static double[][] transpose(double[][] m) {
    double[][] t = new double[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) t[j][i] = m[i][j];
    return t;
  }

  static double[] scale(double s, double[] v) {
    double[] r = v.clone();
    for (int i = 0; i < r.length; i++) r[i] *= s;
    return r;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  @Test
  void lateArrayInit() {
    close(2 * 1.3, ArrayCodeGrad.lateArrayInit(1.3).x());
  }
}
