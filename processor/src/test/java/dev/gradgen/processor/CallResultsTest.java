package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's call mechanisms. A call of a {@code @Differentiable} method whose value the backward
 * code needs (under {@code Math.min}, in a product) is kept on the tape in loops, and computed
 * once per block elsewhere, not evaluated again for each partial; a pullback whose seed is
 * exactly zero is not run. Values against closed forms and central differences, and a zero seed
 * meeting an infinite partial gives 0, not NaN.
 */
class CallResultsTest {
  @TempDir
  Path temp;

  private static final String SOURCE = String.join("\n",
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;",
      "",
      "public class K {",
      "  /** GradBench's kmeans cost: the distance helper under Math.min. */",
      "  @Differentiable",
      "  static double cost(@NoGrad double[][] points, double[][] centroids) {",
      "    double cost = 0;",
      "    for (int i = 0; i < points.length; i++) {",
      "      double closest = Double.POSITIVE_INFINITY;",
      "      for (int j = 0; j < centroids.length; j++) {",
      "        closest = Math.min(closest, dist2(points[i], centroids[j]));",
      "      }",
      "      cost += closest;",
      "    }",
      "    return cost;",
      "  }",
      "",
      "  @Differentiable",
      "  static double dist2(@NoGrad double[] a, double[] b) {",
      "    double d = 0;",
      "    for (int i = 0; i < a.length; i++) {",
      "      d += (a[i] - b[i]) * (a[i] - b[i]);",
      "    }",
      "    return d;",
      "  }",
      "",
      "  @Differentiable",
      "  static double root(double x) {",
      "    return Math.sqrt(x);",
      "  }",
      "",
      "  /** Outside a loop: the call's value is needed twice, by both partials of max. */",
      "  @Differentiable",
      "  static double floor(double x) {",
      "    return Math.max(0.5 * x, root(x));",
      "  }",
      "",
      "  /** Scalar parameters: their adjoints come back on the tape unless the call is skipped. */",
      "  @Differentiable",
      "  static double bend(double x, double y) {",
      "    return x * y + Math.sin(x);",
      "  }",
      "",
      "  @Differentiable",
      "  static double pick(double[] x, double y) {",
      "    double s = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      s += Math.max(y, bend(x[i], y)) * bend(y, x[i]);",
      "    }",
      "    return s;",
      "  }",
      "}");

  @Test
  void keptCallsAndSkippedPullbacks() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString("p.K", SOURCE));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.KGrad");
    assertWithMessage("the distance is kept on the tape, not computed again backward")
        .that(generated).contains("Math.min(closest, tape.keep(K.dist2(points[i], centroids[j])))");
    assertWithMessage("its pullback runs only for the closest centroid").that(generated)
        .contains("if (dDist2 != 0.0) {");
    assertWithMessage("outside loops the value is computed once per block").that(generated)
        .containsMatch("double root\\d* = K\\.root\\(x\\);");
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.K");
      Class<?> grad = cl.loadClass("p.KGrad");
      double[][] points = {{0, 0}, {1, 0}, {0, 1}, {5, 5}, {6, 5}, {2.4, 2.6}};
      double[][] centroids = {{0.5, 0.5}, {5, 4}, {2, 3}};
      Object g = TestSupport.call(TestSupport.byName(grad, "cost", true), points, centroids);
      // closed form: d/dC_c = Σ_{i closest to c} 2 (C_c - P_i)
      double[][] expected = {{2 * (1.5 - 1), 2 * (1.5 - 1)}, {2 * (10 - 11), 2 * (8 - 10)},
          {2 * (2 - 2.4), 2 * (3 - 2.6)}};
      double[][] got = (double[][]) TestSupport.component(g, "centroids");
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          assertWithMessage("dC[%s][%s]", i, j).that(got[i][j]).isWithin(1e-12)
              .of(expected[i][j]);
        }
      }
      // H·1 (H is diagonal, 2 per point of the cluster) through the kept call, second order
      double[][] ones = {{1, 1}, {1, 1}, {1, 1}};
      Object hvp = TestSupport.call(TestSupport.byName(grad, "costHvp", true), points,
          centroids, ones);
      double[][] h = (double[][]) TestSupport.component(hvp, "centroids");
      int[] count = {3, 2, 1};
      for (int i = 0; i < 3; i++) {
        assertThat(h[i]).usingTolerance(1e-12).containsExactly(2.0 * count[i], 2.0 * count[i])
            .inOrder();
      }
      TestSupport.checkGradient(owner, grad, "cost", new Object[] {points, centroids}, 1);

      // root's seed is exactly 0 at x = 0 (max picks 0.5 x on the tie), where root's partial
      // is infinite: the skipped pullback gives 0.5, where 0 * ∞ gave NaN
      Object atZero = TestSupport.call(TestSupport.byName(grad, "floor", true), 0.0);
      assertThat((Double) TestSupport.component(atZero, "x")).isEqualTo(0.5);
      Object atTwo = TestSupport.call(TestSupport.byName(grad, "floor", true), 2.0);
      assertThat((Double) TestSupport.component(atTwo, "x")).isWithin(1e-15)
          .of(0.5 / Math.sqrt(2));

      // both branches of max, the skipped call's scalar adjoints read as 0
      for (double y : new double[] {-2.0, 0.3, 3.0}) {
        TestSupport.checkGradient(owner, grad, "pick",
            new Object[] {new double[] {0.5, -1.2, 2.0, 0.1}, y}, 0, 1);
      }
    }
  }
}
