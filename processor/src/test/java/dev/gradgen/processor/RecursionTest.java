package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, part 3: self and mutual recursion. The generated pullback calls its own pullback (and
 * its partner's). Checked against closed forms at a depth of 1,000, and against finite
 * differences on a branching recursion.
 */
class RecursionTest {
  @TempDir
  Path temp;

  @Test
  void selfAndMutualRecursionAtDepthOneThousand() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(
        JavaFileObjects.forSourceLines("p.R",
            "package p;",
            "",
            "import dev.gradgen.Differentiable;",
            "",
            "public class R {",
            "  /** x^n, one call per factor. */",
            "  @Differentiable",
            "  static double power(double x, int n) {",
            "    if (n == 0) {",
            "      return 1;",
            "    }",
            "    return x * power(x, n - 1);",
            "  }",
            "",
            "  /** Alternating: even(x, n) = x * odd(x, n - 1) + 1, odd(x, n) = y * even(...). */",
            "  @Differentiable",
            "  static double even(double x, double y, int n) {",
            "    return n == 0 ? 1 : x * odd(x, y, n - 1);",
            "  }",
            "",
            "  @Differentiable",
            "  static double odd(double x, double y, int n) {",
            "    return n == 0 ? 1 : y * even(x, y, n - 1);",
            "  }",
            "",
            "  /** A tree of calls, fib-like; both branches depend on x, contracting (not chaotic). */",
            "  @Differentiable",
            "  static double tree(double x, int n) {",
            "    if (n < 2) {",
            "      return Math.sin(x * (n + 1));",
            "    }",
            "    double a = tree(x, n - 1);",
            "    return 0.5 * a * Math.cos(x) + tree(0.5 * x + 0.3 * Math.tanh(a), n - 2);",
            "  }",
            "}"));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.RGrad");
    assertWithMessage("the pullback calls itself").that(generated)
        .contains("RGrad.powerPullback_dn(x, n - 1");
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.R");
      Class<?> grad = cl.loadClass("p.RGrad");
      int depth = 1000;
      double x = 1.0003;
      Object power = TestSupport.call(TestSupport.byName(grad, "power", true), x, depth);
      assertWithMessage("x^1000").that((Double) TestSupport.component(power, "value"))
          .isWithin(1e-9).of(Math.pow(x, depth));
      assertWithMessage("d/dx x^1000 = 1000 x^999")
          .that((Double) TestSupport.component(power, "x"))
          .isWithin(1e-8 * depth).of(depth * Math.pow(x, depth - 1));
      // even(x, y, 1000) = (x y)^500: d/dx = 500 x^499 y^500, d/dy = 500 x^500 y^499.
      double y = 0.9996;
      Object even = TestSupport.call(TestSupport.byName(grad, "even", true), x, y, depth);
      double half = depth / 2.0;
      assertWithMessage("(xy)^500").that((Double) TestSupport.component(even, "value"))
          .isWithin(1e-9).of(Math.pow(x * y, half));
      assertWithMessage("d/dx").that((Double) TestSupport.component(even, "x"))
          .isWithin(1e-8 * depth).of(half * Math.pow(x, half - 1) * Math.pow(y, half));
      assertWithMessage("d/dy").that((Double) TestSupport.component(even, "y"))
          .isWithin(1e-8 * depth).of(half * Math.pow(x, half) * Math.pow(y, half - 1));
      for (int n = 0; n <= 12; n += 3) {
        for (double at : new double[] {0.3, -0.7, 1.1}) {
          TestSupport.checkGradient(owner, grad, "tree", new Object[] {at, n}, 0);
        }
      }
    }
  }
}
