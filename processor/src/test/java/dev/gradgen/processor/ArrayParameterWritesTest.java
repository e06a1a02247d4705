package dev.gradgen.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, part 4: a method may write into its {@code double[]} and {@code double[][]}
 * parameters. The original changes the caller's arrays; the generated methods work on copies
 * (checkGradient asserts the arguments are unchanged), {@code value()} equals what the original
 * returns, and the gradient is with respect to the values the caller passed.
 */
class ArrayParameterWritesTest {
  @TempDir
  Path temp;

  /** Method name to body; every method is {@code (double[] x, double[][] m, double w)}. */
  static final Map<String, String> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("inPlace", "for (int i = 0; i < x.length; i++) { x[i] = Math.sin(x[i]) * w; }"
        + " double s = 0; for (double v : x) { s += v * v; } return s;");
    METHODS.put("prefixSums", "for (int i = 1; i < x.length; i++) { x[i] += x[i - 1] * w; }"
        + " return x[x.length - 1] * x[0];");
    METHODS.put("throughAnAlias", "double[] y = x; y[0] = y[1] * w; return x[0] + y[1] * x[2];");
    METHODS.put("matrixInPlace", "for (double[] row : m) { for (int j = 0; j < row.length; j++)"
        + " { row[j] = row[j] * row[j] + w; } } return m[0][0] * m[1][1] - m[0][1] * m[1][0];");
    METHODS.put("incremented", "x[1]++; m[0][1]--; return x[1] * w * m[0][1];");
    METHODS.put("overwrittenThenRead", "double a = x[0]; x[0] = w * 3; m[1][0] = x[0] * a;"
        + " return x[0] * m[1][0] + m[0][1] * a;");
  }

  @Test
  void theGradientIsWithRespectToTheValuesTheCallerPassed() throws Exception {
    List<String> src = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "", "public class W {"));
    src.addAll(TestSupport.methods("double[] x, double[][] m, double w", METHODS));
    src.add("}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.W", src)) {
      Class<?> owner = cl.loadClass("p.W");
      Class<?> grad = cl.loadClass("p.WGrad");
      for (String name : METHODS.keySet()) {
        for (double w : new double[] {0.7, -1.3}) {
          Object[] args = {new double[] {0.4, -0.9, 1.2}, new double[][] {{0.5, -0.2},
              {1.1, 0.3}}, w};
          TestSupport.checkGradient(owner, grad, name, args, 0, 1, 2);
        }
      }
    }
  }

  @Test
  void aCalleeWritingThroughARowOrAnAliasIsFoundToo() {
    TestSupport.expectError("'scale' writes into the array passed as 'g'", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double scale(double[][] g, double k) {",
        "    double s = -g[0][0];",
        "    for (double[] row : g) {",
        "      double[] r = row;",
        "      r[0] = r[0] * k;",
        "    }",
        "    return s;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double[][] m, double x) {",
        "    return scale(m, x) + m[0][0]; // <- error",
        "  }",
        "}");
  }

  @Test
  void callingAMethodThatWritesIntoItsArrayIsAnError() {
    TestSupport.expectError("'scale' writes into the array passed as 'v', and gradgen"
        + " differentiates what a call returns, not what it leaves in an array", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double scale(double[] v, double k) {",
        "    v[0] *= k;",
        "    return v[0];",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double[] x) {",
        "    return scale(x, 2) + x[0]; // <- error",
        "  }",
        "}");
  }

  /**
   * Found by review: arguments that share storage with an array the method writes into. The
   * generated methods would write into separate copies and compute something else than the
   * original, so they refuse them, naming the arrays; sharing among arrays only read is fine.
   */
  @Test
  void argumentsSharingStorageWithAWrittenArrayAreRefused() throws Exception {
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.A",
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class A {",
        "  @Differentiable",
        "  static double firstRowWritten(double[][] m, double w) {",
        "    m[0][0] = w;",
        "    return m[1][0] * w;",
        "  }",
        "",
        "  @Differentiable",
        "  static double written(double[] a, double[] b) {",
        "    a[0] = 2 * b[1];",
        "    return b[0] * a[0];",
        "  }",
        "",
        "  @Differentiable",
        "  static double mayHoldIt(double[] a, double[] b, double w) {",
        "    double[] own = new double[2];",
        "    double[] r = w > 0 ? a : own;",
        "    own[0] = w * b[1];",
        "    return r[0] * w + b[0] + own[0];",
        "  }",
        "",
        "  @Differentiable",
        "  static double onlyRead(double[][] m, double[] a) {",
        "    return m[0][0] * m[1][1] + a[1];",
        "  }",
        "}"));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.A");
      Class<?> grad = cl.loadClass("p.AGrad");
      double[] x = {5, 1};
      java.lang.reflect.InvocationTargetException e = org.junit.jupiter.api.Assertions
          .assertThrows(java.lang.reflect.InvocationTargetException.class,
              () -> grad.getMethod("firstRowWritten", double[][].class, double.class)
                  .invoke(null, new double[][] {x, x}, 2.0));
      com.google.common.truth.Truth.assertThat(e.getCause()).hasMessageThat().isEqualTo(
        "firstRowWritten: m[0] and m[1] are the same array, and firstRowWritten writes into m;"
            + " the generated methods work on copies of the arrays it writes into, which would"
            + " not share storage as these do: pass arrays that do not share storage");
      e = org.junit.jupiter.api.Assertions.assertThrows(
          java.lang.reflect.InvocationTargetException.class,
          () -> grad.getMethod("written", double[].class, double[].class).invoke(null, x, x));
      com.google.common.truth.Truth.assertThat(e.getCause().getMessage())
          .startsWith("written: a and b are the same array");
      // Without sharing, the same methods are right; sharing among arrays only read is fine.
      TestSupport.checkGradient(owner, grad, "firstRowWritten",
          new Object[] {new double[][] {{5, 1}, {3, 2}}, 2.0}, 0, 1);
      TestSupport.checkGradient(owner, grad, "written",
          new Object[] {new double[] {5, 1}, new double[] {3, 2}}, 0, 1);
      // A name that may hold a or its own array writes only its own: a is not written, so
      // a and b may be one array.
      for (double w : new double[] {0.5, -0.5}) {
        TestSupport.checkGradient(owner, grad, "mayHoldIt", new Object[] {x, x, w}, 0, 1, 2);
      }
      Object record = grad.getMethod("onlyRead", double[][].class, double[].class)
          .invoke(null, new double[][] {x, x}, x);
      com.google.common.truth.Truth.assertThat((Double) TestSupport.component(record, "value"))
          .isEqualTo(5.0 * 1 + 1);
    }
  }
}
