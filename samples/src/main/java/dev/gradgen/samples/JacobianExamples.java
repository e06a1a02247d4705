package dev.gradgen.samples;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;
import java.util.Locale;

/**
 * The worked examples of the derivative as a linear map, as vector methods whose Jacobians
 * gradgen generates (rows are outputs); the test works each one by hand.
 *
 * <ol>
 *   <li>{@code J(g o f)} at (1, 2) for {@code f = (x^2 + y, 2xy)}, {@code g = (u + v, u^2,
 *       sin v)}: {@code (6, 3; 12, 6; 4 cos 4, 2 cos 4)}, the product {@code J_g J_f}.
 *   <li>{@code J(g o f)} at (1, 1) for {@code f = (e^x + y, x^2 y)}, {@code g = (u v, u + v^2)}:
 *       {@code (3e + 2, e + 2; e + 4, 3)}.
 *   <li>The first-order Taylor table of {@code 1 - x + x^2} at 0, 1 and 2, from its JVP.
 *   <li>The affine map {@code W x + b}: its Jacobians are {@code W} in {@code x}, the identity
 *       in {@code b}, and {@code x_j} at {@code [i][i][j]} in {@code W}.
 *   <li>Softmax from a hand-written loop: its Jacobian is {@code s_i (d_ij - s_j)}.
 * </ol>
 */
public final class JacobianExamples {
  private JacobianExamples() {}

  /** {@code f(x, y) = (x^2 + y, 2 x y)}. */
  @Differentiable
  public static double[] f(double x, double y) {
    return new double[] {x * x + y, 2 * x * y};
  }

  /** {@code g(u, v) = (u + v, u^2, sin v)}. */
  @Differentiable
  public static double[] g(double[] uv) {
    return new double[] {uv[0] + uv[1], uv[0] * uv[0], Math.sin(uv[1])};
  }

  /** {@code (g o f)(x, y)}: the Jacobian of the composition is the product of the Jacobians. */
  @Differentiable
  public static double[] gf(double x, double y) {
    double[] uv = f(x, y);
    return g(uv);
  }

  /** {@code f(x, y) = (e^x + y, x^2 y)} composed with {@code g(u, v) = (u v, u + v^2)}. */
  @Differentiable
  public static double[] composed(double x, double y) {
    double u = Math.exp(x) + y;
    double v = x * x * y;
    return new double[] {u * v, u + v * v};
  }

  /** {@code 1 - x + x^2}. */
  @Differentiable
  public static double poly(double x) {
    return 1.0 - x + x * x;
  }

  /** {@code W x + b}, W of shape m x n. */
  @Differentiable
  public static double[] affine(double[][] w, double[] b, double[] x) {
    double[] y = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      double s = b[i];
      for (int j = 0; j < x.length; j++) {
        s += w[i][j] * x[j];
      }
      y[i] = s;
    }
    return y;
  }

  /** Softmax written as a loop, shifted by the maximum. */
  @Differentiable
  public static double[] softmax(double[] z) {
    double max = z[0];
    for (int i = 1; i < z.length; i++) {
      max = Math.max(max, z[i]);
    }
    double[] e = new double[z.length];
    double sum = 0.0;
    for (int i = 0; i < z.length; i++) {
      e[i] = Math.exp(z[i] - max);
      sum += e[i];
    }
    for (int i = 0; i < z.length; i++) {
      e[i] = e[i] / sum;
    }
    return e;
  }

  /** The Jacobian of a two-input vector method as rows, from the generated columns. */
  static double[][] rows(double[] dx, double[] dy) {
    double[][] j = new double[dx.length][];
    for (int i = 0; i < dx.length; i++) {
      j[i] = new double[] {dx[i], dy[i]};
    }
    return j;
  }

  /**
   * Prints each example's generated derivatives.
   *
   * @param args none
   * @return 0, or 2 for arguments
   */
  public static int run(String[] args) {
    if (args.length > 0) {
      System.out.println("usage: jacobians (no options): the derivative as a linear map,"
          + " worked examples from generated Jacobians");
      return "--help".equals(args[0]) || "-h".equals(args[0]) ? 0 : 2;
    }
    JacobianExamplesGrad.GfJacobian a = JacobianExamplesGrad.gf(1, 2);
    print("J(g o f)(1, 2), f = (x^2 + y, 2xy), g = (u + v, u^2, sin v)", rows(a.x(), a.y()));
    System.out.printf(Locale.ROOT, "  by hand: [[6, 3], [12, 6], [4 cos 4, 2 cos 4]] ="
        + " [[6, 3], [12, 6], [%.6f, %.6f]]%n", 4 * Math.cos(4), 2 * Math.cos(4));
    JacobianExamplesGrad.ComposedJacobian b = JacobianExamplesGrad.composed(1, 1);
    print("J(g o f)(1, 1), f = (e^x + y, x^2 y), g = (u v, u + v^2)", rows(b.x(), b.y()));
    System.out.printf(Locale.ROOT, "  by hand: [[3e + 2, e + 2], [e + 4, 3]] = [[%.6f, %.6f],"
        + " [%.6f, 3]]%n", 3 * Math.E + 2, Math.E + 2, Math.E + 4);
    System.out.println("first-order Taylor of 1 - x + x^2: f(c + h) ~ f(c) + f'(c) h");
    for (double c = 0; c <= 2; c++) {
      JacobianExamplesGrad.PolyJvp t = JacobianExamplesGrad.polyJvp(c, 1.0);
      System.out.printf(Locale.ROOT, "  c = %.0f: f(c) = %.0f, f'(c) = %.0f, tangent line"
          + " %.0f + %.0f h; at h = 0.1: %.2f (f = %.2f)%n", c, t.value(), t.tangent(),
          t.value(), t.tangent(), t.value() + 0.1 * t.tangent(), poly(c + 0.1));
    }
    double[][] w = {{1, 2, 3}, {4, 5, 6}};
    JacobianExamplesGrad.AffineJacobian af = JacobianExamplesGrad.affine(w, new double[] {0.5,
        -0.5}, new double[] {1, -1, 2});
    print("affine W x + b: d/dx = W", af.x());
    print("affine W x + b: d/db = I", af.b());
    JacobianExamplesGrad.SoftmaxJacobian s = JacobianExamplesGrad.softmax(new double[] {1, 2,
        0.5});
    print("softmax(1, 2, 0.5): s_i (d_ij - s_j)", s.z());
    return 0;
  }

  private static void print(String what, double[][] j) {
    StringBuilder b = new StringBuilder(what).append(":\n ");
    for (double[] row : j) {
      b.append(" [");
      for (int c = 0; c < row.length; c++) {
        b.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", row[c]));
      }
      b.append(']');
    }
    System.out.println(b);
  }
}
