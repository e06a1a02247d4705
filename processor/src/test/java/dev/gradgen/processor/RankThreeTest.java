package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, part 6: {@code double[][][]} as parameters, locals and gradient components of the
 * same shape, with element reads and writes, and rows and planes as values. Every method is
 * checked against central finite differences, its value against the original's, and its
 * arguments are left as they were.
 */
class RankThreeTest {
  @TempDir
  Path temp;

  /** Method name to body; every method is {@code (double[][][] t, double[] x, double w)}. */
  static final Map<String, String> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("sumOfSquares", "double s = 0; for (double[][] plane : t) { for (double[] row :"
        + " plane) { for (double v : row) { s += v * v * w; } } } return s;");
    METHODS.put("indexedLoops", "double s = 0; for (int i = 0; i < t.length; i++) { for (int j"
        + " = 0; j < t[i].length; j++) { for (int k = 0; k < t[i][j].length; k++) { s +="
        + " Math.sin(t[i][j][k]) * x[k] * (i + 1); } } } return s * w;");
    METHODS.put("localTensor", "double[][][] u = new double[2][2][2]; for (int i = 0; i < 2;"
        + " i++) { for (int j = 0; j < 2; j++) { u[i][j][0] = t[i][j][1] * w; u[i][j][1] ="
        + " u[i][j][0] * x[j]; } } u[1][1][1] += u[0][0][0]; return u[1][1][1] * u[0][1][0]"
        + " + u[1][0][1];");
    METHODS.put("planeAsAnAlias", "double[][] p = t[1]; p[0][1] = p[0][0] * w;"
        + " return t[1][0][1] * p[1][0] + t[0][1][1];");
    METHODS.put("planesAssigned", "double[][][] u = new double[2][][]; u[0] = t[1];"
        + " u[1] = new double[][] {x, t[0][1]}; u[1][0][0] *= w; return u[0][1][1] * x[0]"
        + " + u[1][1][0] * u[1][0][0] + t[1][0][0];");
    METHODS.put("rowOfAPlaneAssigned", "t[0][1] = x; t[0][1][0] = t[0][1][0] * t[1][1][1];"
        + " return t[0][1][0] * w + x[0] + t[0][0][1] * t[0][1][1];");
    METHODS.put("tensorInitializer", "double[][][] u = {{x, {w, 1.0}}, t[0]}; u[1][0][0] ="
        + " u[0][1][0] * u[0][0][1]; return u[1][0][0] * t[0][0][0] + u[1][1][1] * u[0][0][0];");
    METHODS.put("passedOn", "return frobenius(t, w) + Ops.sum(t[1]) * x[1];");
    METHODS.put("writtenInPlace", "for (double[][] plane : t) { for (double[] row : plane) {"
        + " row[0] = Math.tanh(row[0] + w); } } return t[0][0][0] * t[1][1][0] + t[1][0][0];");
  }

  private static List<String> source() {
    List<String> src = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "import dev.gradgen.Ops;", "", "public class K {",
        "  @Differentiable",
        "  static double frobenius(double[][][] a, double scale) {",
        "    double s = 0;",
        "    for (double[][] plane : a) { s += Ops.sumOfSquares(plane[0]) + plane[1][1]; }",
        "    return s * scale;",
        "  }"));
    src.addAll(TestSupport.methods("double[][][] t, double[] x, double w", METHODS));
    src.add("}");
    return src;
  }

  private static Object[] arguments(double w) {
    return new Object[] {new double[][][] {{{0.5, -0.2}, {1.1, 0.3}}, {{-0.7, 0.9}, {0.25,
        -1.4}}}, new double[] {0.4, -0.9}, w};
  }

  @Test
  void rankThreeGradientsMatchFiniteDifferences() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceLines("p.K", source()));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.K");
      Class<?> grad = cl.loadClass("p.KGrad");
      for (String name : METHODS.keySet()) {
        for (double w : new double[] {0.7, -1.3}) {
          TestSupport.checkGradient(owner, grad, name, arguments(w), 0, 1, 2);
        }
      }
    }
  }

  @Test
  void theBufferFormSizesAndChecksARankThreeGradient() throws Exception {
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.K", source()));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> grad = cl.loadClass("p.KGrad");
      Class<?> buffer = cl.loadClass("p.KGrad$SumOfSquaresGradientBuffer");
      Object[] args = arguments(0.5);
      Object buf = buffer.getConstructor(double[][][].class, double[].class)
          .newInstance(args[0], args[1]);
      Method into = grad.getMethod("sumOfSquares", double[][][].class, double[].class,
          double.class, buffer);
      double value = (Double) into.invoke(null, args[0], args[1], 0.5, buf);
      double[][][] g = (double[][][]) buffer.getField("t").get(buf);
      double[][][] t = (double[][][]) args[0];
      double expected = 0;
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          for (int k = 0; k < 2; k++) {
            expected += t[i][j][k] * t[i][j][k] * 0.5;
            assertThat(g[i][j][k]).isWithin(1e-15).of(2 * t[i][j][k] * 0.5); // d(v^2 w)/dv
          }
        }
      }
      assertThat(value).isWithin(1e-15).of(expected);
      // A second call overwrites, and a buffer of another shape is refused with its row named.
      into.invoke(null, args[0], args[1], 0.5, buf);
      assertThat(g[1][1][0]).isWithin(1e-15).of(2 * t[1][1][0] * 0.5);
      Object wrong = buffer.getConstructor(double[][][].class, double[].class)
          .newInstance(new double[][][] {{{1, 2}, {3}}, {{1, 2}, {3, 4}}}, args[1]);
      Throwable thrown = null;
      try {
        into.invoke(null, args[0], args[1], 0.5, wrong);
      } catch (java.lang.reflect.InvocationTargetException e) {
        thrown = e.getCause();
      }
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
      assertThat(thrown).hasMessageThat().contains("t[0] has row 1 of length 1");
    }
  }

  @Test
  void theGradientRecordHasTheParametersShape() {
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.K", source()));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.KGrad");
    assertThat(generated).contains(
        "public record SumOfSquaresGradient(double value, double[][][] t, double[] x, double w)");
    assertThat(generated).contains("t = Gradients.copyOf(t);"); // writtenInPlace
  }
}
