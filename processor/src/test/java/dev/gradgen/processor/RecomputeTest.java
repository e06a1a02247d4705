package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, recompute versus save: a cheap value assigned at the top of a counted loop's body
 * is computed again at the start of each iteration of the backward loop instead of saved, where
 * everything it reads is then as it was; a call, or a read of something that changes, is saved
 * as before. Every gradient against central differences (and JVPs, in {@code checkGradient}).
 */
class RecomputeTest {
  @TempDir
  Path temp;

  private static final String SOURCE = String.join("\n",
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;",
      "",
      "public class R {",
      "  /** A rational model, as NIST's: recomputed but for the cubic, which costs more than a save. */",
      "  @Differentiable",
      "  static double rational(double[] b, @NoGrad double[] x, @NoGrad int[] idx) {",
      "    double r = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      double xi = x[i];",
      "      int at = idx[i] % b.length;",
      "      double num = b[0] + b[1] * xi + b[at] * xi * xi;",
      "      double den = 1.0 + b[2] * xi * xi;",
      "      double cubic = b[0] * xi + b[1] * xi * xi + b[2] * xi * xi * xi;",
      "      r += num / den + cubic * cubic;",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** Values of an outer loop read by an inner one, and an inner bound recomputed. */",
      "  @Differentiable",
      "  static double nested(double[] x, @NoGrad double[][] w) {",
      "    double r = 0;",
      "    for (int j = 0; j < w.length; j++) {",
      "      int m = j % x.length + 1;",
      "      double s = w[j][0];",
      "      for (int i = 0; i < m; i++) {",
      "        double t = s * x[i] - w[j][1];",
      "        r += t * t * x[i];",
      "      }",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** prev reads a, which the loop writes: saved. u is declared in two loops, once from a call. */",
      "  @Differentiable",
      "  static double changing(double[] x) {",
      "    double[] a = new double[x.length];",
      "    double r = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      double prev = i > 0 ? a[i - 1] : 1.0;",
      "      a[i] = prev * x[i] + 0.5;",
      "      r += prev * a[i];",
      "    }",
      "    for (int i = 0; i < x.length; i++) {",
      "      double u = x[i] * 2;",
      "      r += u * u * x[i];",
      "    }",
      "    for (int i = 0; i < x.length; i++) {",
      "      double u = Math.sin(x[i]);",
      "      r += u * x[i];",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** A continue before the value, and a parameter reassigned: both saved. */",
      "  @Differentiable",
      "  static double skipped(double[] x, double c) {",
      "    double r = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      if (i % 2 == 1) {",
      "        continue;",
      "      }",
      "      double v = x[i] + 1;",
      "      r += v * v * x[i];",
      "    }",
      "    c = c * 2;",
      "    for (int i = 0; i < x.length; i++) {",
      "      double v2 = c + i;",
      "      r += v2 * x[i] * x[i];",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** Neighbours, i + 1 < x.length: counted, so driven from its bounds and recomputed. */",
      "  @Differentiable",
      "  static double neighbours(double[] x) {",
      "    double r = 0;",
      "    for (int i = 0; i + 1 < x.length; i++) {",
      "      double a = x[i + 1] - x[i] * x[i];",
      "      r += a * a;",
      "    }",
      "    for (int i = 2; i + 2 <= x.length; i++) {",
      "      double a2 = x[i + 1] * x[i - 1];",
      "      r += a2 * a2 * x[i];",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** The value's loop runs back inside an outer loop that is not counted. */",
      "  @Differentiable",
      "  static double underWhile(double[] x, int rounds) {",
      "    double r = 0;",
      "    int k = 0;",
      "    while (k < rounds) {",
      "      for (int i = 0; i < x.length; i++) {",
      "        double q = x[i] * (i + 1);",
      "        r += q * q * x[(i + k) % x.length];",
      "      }",
      "      k++;",
      "    }",
      "    return r;",
      "  }",
      "}");

  @Test
  void recomputedWhereTheValuesAreThere() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString("p.R", SOURCE));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.RGrad");
    assertWithMessage("xi is recomputed").that(generated).contains(
        "// recomputed, which is cheaper than saving: the values this iteration had\n"
            + "            xi = x[i];\n            at = idx[i] % b.length;\n");
    assertWithMessage("the neighbours' loop runs back from its bounds").that(generated)
        .contains("for (i = Math.max(0, x.length - 1); i > 0; ) {");
    assertWithMessage("and the inclusive one").that(generated)
        .contains("for (i = Math.max(2, x.length - 2 + 1); i > 2; ) {");
    for (String v : new String[] {"xi", "at", "m", "s", "t", "q", "a", "a2"}) {
      assertWithMessage(v + " is not saved").that(generated)
          .doesNotContain("tape.push" + (v.equals("at") || v.equals("m") ? "Int" : "Double")
              + "(" + v + ");");
    }
    assertWithMessage("num and den are recomputed").that(generated).contains(
        "            num = b[0] + b[1] * xi + b[at] * xi * xi;\n"
            + "            den = 1.0 + b[2] * xi * xi;\n");
    assertWithMessage("the cubic costs more than a save").that(generated)
        .contains("tape.pushDouble(cubic);");
    for (String v : new String[] {"prev", "u", "v", "v2"}) {
      assertWithMessage(v + " in changing/skipped is saved").that(generated)
          .contains("tape.pushDouble(" + v + ");");
    }
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.R");
      Class<?> grad = cl.loadClass("p.RGrad");
      double[] b = {0.7, -0.3, 0.25, 0.9};
      double[] x = {0.3, -0.8, 1.1, 0.45, -0.2, 0.9, 0.05};
      int[] idx = {0, 3, 5, 2, 7, 1, 4};
      TestSupport.checkGradient(owner, grad, "rational", new Object[] {b, x, idx}, 0);
      double[][] w = {{0.5, 0.1}, {-1.2, 0.3}, {0.8, -0.4}, {1.5, 0.2}, {0.3, 0.0}};
      TestSupport.checkGradient(owner, grad, "nested", new Object[] {x.clone(), w}, 0);
      TestSupport.checkGradient(owner, grad, "changing", new Object[] {x.clone()}, 0);
      TestSupport.checkGradient(owner, grad, "skipped", new Object[] {x.clone(), 0.4}, 0, 1);
      for (double[] v : new double[][] {x, {0.4}, {}, {0.2, -0.7}, {0.1, 0.5, -0.3}}) {
        TestSupport.checkGradient(owner, grad, "neighbours", new Object[] {v.clone()}, 0);
      }
      for (int rounds : new int[] {0, 1, 3}) {
        TestSupport.checkGradient(owner, grad, "underWhile", new Object[] {x.clone(), rounds},
            0);
      }
    }
  }
}
