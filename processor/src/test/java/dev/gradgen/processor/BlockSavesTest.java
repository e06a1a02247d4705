package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a counted loop that overwrites {@code a[i]} saves the old values as one block before
 * it and restores them as one after its backward code, where that gives the backward sweep the
 * same values; elsewhere elements are saved one at a time as before. Every gradient against
 * central differences (and JVPs, in {@code checkGradient}).
 */
class BlockSavesTest {
  @TempDir
  Path temp;

  private static final String SOURCE = String.join("\n",
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "",
      "public class B {",
      "  /** Runge–Kutta stages: tmp is overwritten each stage, read by the next. */",
      "  @Differentiable",
      "  static double stages(double[] x, int steps) {",
      "    int n = x.length;",
      "    double[] y = new double[n];",
      "    double[] k = new double[n];",
      "    double[] tmp = new double[n];",
      "    for (int s = 0; s < steps; s++) {",
      "      for (int i = 0; i < n; i++) {",
      "        tmp[i] = y[i] + 0.5 * Math.sin(x[i] * y[i] + 1);",
      "      }",
      "      for (int i = 1; i < n; i++) {",
      "        k[i] = x[i] * tmp[i - 1] * tmp[i];",
      "      }",
      "      for (int i = 0; i < n; i++) {",
      "        tmp[i] = y[i] + 0.25 * k[i] * tmp[i];",
      "      }",
      "      for (int i = 0; i < n; i++) {",
      "        y[i] += 0.1 * (k[i] + tmp[i] * tmp[i]);",
      "      }",
      "    }",
      "    double r = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      r += y[i] * y[i];",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** Reads a[i - 1] backward: saved element by element. */",
      "  @Differentiable",
      "  static double chain(double[] x) {",
      "    double[] a = new double[x.length];",
      "    a[0] = x[0];",
      "    for (int i = 1; i < x.length; i++) {",
      "      a[i] = a[i - 1] * x[i] + Math.cos(a[i - 1]);",
      "    }",
      "    double r = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      r += a[i] * a[i];",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** Skipped writes, an inclusive bound from 1, and a second pass over the same array. */",
      "  @Differentiable",
      "  static double skips(double[] x, int last) {",
      "    double[] a = new double[x.length];",
      "    for (int i = 0; i < x.length; i++) {",
      "      a[i] = x[i] * x[i];",
      "    }",
      "    double r = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      r += Math.sin(a[i]);",
      "    }",
      "    for (int i = 1; i <= last; i++) {",
      "      if (i % 3 == 0) {",
      "        continue;",
      "      }",
      "      a[i] = x[0] * x[i] + 1;",
      "    }",
      "    for (int i = 0; i < x.length; i++) {",
      "      r += a[i] * x[i];",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** A range past the end: the loop fails on a[n], in the gradient as in the method. */",
      "  @Differentiable",
      "  static double past(double[] x, int n) {",
      "    double[] a = new double[x.length];",
      "    for (int i = 0; i < x.length; i++) {",
      "      a[i] = x[i];",
      "    }",
      "    for (int i = 0; i < n; i++) {",
      "      a[i] = a[i] * a[i];",
      "    }",
      "    double r = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      r += a[i] * x[i];",
      "    }",
      "    return r;",
      "  }",
      "}");

  @Test
  void blocksWhereTheyGiveTheSameValues() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString("p.B", SOURCE));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.BGrad");
    assertWithMessage("the stages' overwritten vector is saved as a block").that(generated)
        .contains("tape.pushDoubles(tmp, 0, n);");
    assertWithMessage("and restored as one").that(generated)
        .contains("tape.popDoubles(tmp, 0, n);");
    assertWithMessage("the inclusive bound").that(generated)
        .contains("tape.pushDoubles(a, 1, last + 1);");
    assertWithMessage("a[i - 1] is read backward: element by element").that(generated)
        .doesNotContain("tape.pushDoubles(a, 1, x.length);");
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.B");
      Class<?> grad = cl.loadClass("p.BGrad");
      double[] x = {0.3, -0.8, 1.1, 0.45, -0.2, 0.9, 0.05};
      for (int steps : new int[] {0, 1, 3}) {
        TestSupport.checkGradient(owner, grad, "stages", new Object[] {x.clone(), steps}, 0);
      }
      TestSupport.checkGradient(owner, grad, "chain", new Object[] {x.clone()}, 0);
      for (int last : new int[] {0, 1, 4, 6}) {
        TestSupport.checkGradient(owner, grad, "skips", new Object[] {x.clone(), last}, 0);
      }
      TestSupport.checkGradient(owner, grad, "past", new Object[] {x.clone(), 3}, 0);
      Method primal = TestSupport.byName(owner, "past", false);
      Method gradient = TestSupport.byName(grad, "past", true);
      assertThrows(ArrayIndexOutOfBoundsException.class,
          () -> TestSupport.call(primal, x.clone(), 9));
      assertThrows(ArrayIndexOutOfBoundsException.class,
          () -> TestSupport.call(gradient, x.clone(), 9));
    }
  }
}
