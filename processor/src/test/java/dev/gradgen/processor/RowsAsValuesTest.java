package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;

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
 * Issue 11, part 5: rows as values. A row stored whole ({@code m[i] = row}, {@code h[t + 1] =
 * Ops.add(h[t], x)}) or given in an initializer ({@code new double[][] {x, y}}) shares storage
 * with the array it is, as in Java: a later write through either name is seen through the other.
 * Every method is checked against central finite differences, its value against the original's,
 * and its arguments are left as they were.
 */
class RowsAsValuesTest {
  @TempDir
  Path temp;

  /** Method name to body; every method is {@code (double[] x, double[] y, double[][] m, double w)}. */
  static final Map<String, String> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("recurrence", "int steps = 3; double[][] h = new double[steps + 1][];"
        + " h[0] = y; for (int t = 0; t < steps; t++) { h[t + 1] = Ops.add(h[t], x);"
        + " h[t + 1][0] = h[t + 1][0] * w; } return Ops.dot(h[steps], h[steps]) + y[1];");
    METHODS.put("initializerOfRows", "double[][] r = new double[][] {x, y, {w, x[0]}};"
        + " r[1][0] = r[0][1] * r[2][0]; double s = 0; for (double[] row : r) { s += row[0] *"
        + " row[1]; } return s + y[0] * x[1];");
    METHODS.put("swapRows", "double[] t = m[0]; m[0] = m[1]; m[1] = t; m[0][0] = m[0][0] *"
        + " m[1][1]; return m[0][0] + m[1][0] * m[0][1];");
    METHODS.put("writeSeenThroughTheOtherName", "double[] old = m[0]; m[0] = x;"
        + " m[0][1] = w * old[1]; return m[0][1] * x[1] + old[0] * old[1] + x[0];");
    METHODS.put("newRowsInALoop", "double[][] k = new double[3][]; for (int i = 0; i < 3; i++)"
        + " { k[i] = new double[] {x[i % 2] * w, y[(i + 1) % 2]}; } k[1][1] += k[2][0];"
        + " return k[0][0] * k[1][1] + k[2][1] * k[1][0];");
    METHODS.put("rowAssignmentAsValue", "double[] r = (m[1] = y); r[0] = r[0] * w;"
        + " return m[1][0] * y[0] + r[1] + m[0][1];");
    METHODS.put("oneRowTwice", "double[][] d = {x, x}; d[0][0] = d[1][0] * w;"
        + " return x[0] * d[1][0] + d[0][1];");
    METHODS.put("rowChosenByABranch", "if (w > 0) { m[0] = x; } else { m[0] = y; }"
        + " m[0][0] = m[0][0] * m[1][1]; return m[0][0] + x[0] * y[0] + m[0][1] * w;");
    METHODS.put("kernelResultAsRow", "double[][] s = new double[2][]; s[0] = x; s[1] = Ops.scale(w, s[0]);"
        + " s[0] = s[1]; s[1] = Ops.mul(s[0], y); return Ops.sum(s[0]) * s[1][1];");
    METHODS.put("rowsOverwrittenEachIteration", "double[][] z = {Ops.scale(1.0, x), y}; double s = 0;"
        + " for (int i = 0; i < 4; i++) { double[] next = Ops.tanh(Ops.add(z[0], z[1]));"
        + " z[1] = z[0]; z[0] = next; s += z[0][i % 2] * w; } return s + z[1][0];");
  }

  static {
    // Found by review: a row stored in a loop update, a parameter matrix holding a local's
    // array as a row, and a ?: choosing between arrays.
    METHODS.put("rowStoredInTheLoopUpdate", "double s = 0; for (int k = 0; k < 3; m[0] = x,"
        + " k++) { s += m[0][1] * w; } return s;");
    METHODS.put("freshArrayAfterItBecameARow", "double[] v = new double[2]; v[0] = x[0] * w;"
        + " m[0] = v; double a = Math.sin(m[0][0]); v = new double[2]; m[0][0] = w;"
        + " return a + m[0][0];");
    METHODS.put("rowRewrittenEveryIteration", "double[] a = new double[3]; m[0] = a;"
        + " double s = 0; for (int k = 0; k < 3; k++) { for (int i = 0; i < a.length; i++) {"
        + " a[i] = x[i % 2] * w; } double p = Math.sin(m[1][0] * a[0]); double q ="
        + " Math.exp(p * a[1]); double r = Math.cos(q * m[1][1]); s += Math.tanh(r + p) * q;"
        + " m[1][0] = m[1][0] + w; } return s;");
    METHODS.put("newRowsStoredInLoopUpdates", "double[][] h = new double[3][]; h[0] = x;"
        + " double s = 0; for (int k = 1; k < 3; h[k] = new double[] {h[k - 1][1] * w,"
        + " h[k - 1][0]}, k++) { s += h[k - 1][0] * w; } for (int k = 0; k < 2;"
        + " h[k] = h[k + 1], k++) { s += h[k][1]; } return s + h[2][0] * h[1][1] + h[0][0];");
    METHODS.put("arraysChosenByConditionals", "double[] s = Ops.add(y, w > 0 ? x : y);"
        + " double t = (w < 0.5 ? x : y)[1] * w; double[][] k = {w > 0 ? y : x, x};"
        + " k[0][0] = k[0][0] * w; return Ops.sum(s) * t + k[0][0] + y[0];");
  }

  @Test
  void rowsShareStorageAndTheGradientFollows() throws Exception {
    List<String> src = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "import dev.gradgen.Ops;", "", "public class R {"));
    src.addAll(TestSupport.methods("double[] x, double[] y, double[][] m, double w", METHODS));
    src.add("}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.R", src)) {
      Class<?> owner = cl.loadClass("p.R");
      Class<?> grad = cl.loadClass("p.RGrad");
      for (String name : METHODS.keySet()) {
        for (double w : new double[] {0.7, -1.3}) {
          Object[] args = {new double[] {0.4, -0.9}, new double[] {1.2, 0.35},
              new double[][] {{0.5, -0.2}, {1.1, 0.3}}, w};
          TestSupport.checkGradient(owner, grad, name, args, 0, 1, 2, 3);
        }
      }
    }
  }

  @Test
  void theGeneratedCodeMovesTheRowsAdjointWithTheRow() {
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.H",
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Ops;",
        "",
        "public class H {",
        "  @Differentiable",
        "  static double last(double[] h0, double[] x) {",
        "    double[][] h = new double[3][];",
        "    h[0] = h0;",
        "    for (int t = 0; t < 2; t++) {",
        "      h[t + 1] = Ops.add(h[t], x);",
        "    }",
        "    return Ops.sum(h[2]);",
        "  }",
        "}"));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.HGrad");
    // The forward sweep gives the row the adjoint of the array it now is, and the backward
    // sweep puts the old row and its adjoint back.
    assertThat(generated).contains("h[t + 1] = add;");
    assertThat(generated).contains("dh[t + 1] = dAdd;");
    assertThat(generated).contains("dh[t + 1] = tape.popVector();");
    assertThat(generated).contains("h[t + 1] = tape.popVector();");
    assertThat(generated).contains("dh[0] = dH0;");
  }

  @Test
  void aRowGivenAFieldsArrayCannotBeWrittenThrough() {
    TestSupport.expectError("'m' refers to a field's array", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  static final double[] BIAS = {1.0, 2.0};",
        "",
        "  @Differentiable",
        "  static double f(double[] x) {",
        "    double[][] m = new double[2][];",
        "    m[0] = x;",
        "    m[1] = BIAS;",
        "    m[1][0] = x[0]; // <- error",
        "    return m[0][0] * m[1][0];",
        "  }",
        "}");
  }

  @Test
  void aCalleeWritingThroughARowItStoredIsFound() {
    TestSupport.expectError("'poke' writes into the array passed as 'v'", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double poke(double[] v, double k) {",
        "    double[][] rows = new double[1][];",
        "    rows[0] = v;",
        "    rows[0][0] = k;",
        "    return k;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double[] x) {",
        "    return poke(x, 2) + x[0]; // <- error",
        "  }",
        "}");
  }

  @Test
  void aNullRowSaysHowToLeaveRowsForLater() {
    TestSupport.expectError("null arrays are not supported; give the array its size, or for rows"
        + " to be assigned later create the outer array alone (new double[n][])", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double f(double[] x) {",
        "    double[][] m = {x, null}; // <- error",
        "    return m[0][0];",
        "  }",
        "}");
  }

  /**
   * Found by review: storing a parameter's rows into a local matrix, and swapping them there,
   * writes nothing into the parameter, so the method may be called from another one.
   */
  @Test
  void aCalleeThatOnlyRearrangesRowsCanBeCalled() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(
        JavaFileObjects.forSourceLines("p.S",
            "package p;",
            "",
            "import dev.gradgen.Differentiable;",
            "",
            "public class S {",
            "  @Differentiable",
            "  static double swapped(double[][] m, double x) {",
            "    double[][] s = new double[2][];",
            "    s[0] = m[1];",
            "    s[1] = m[0];",
            "    double[] t = s[0];",
            "    s[0] = s[1];",
            "    s[1] = t;",
            "    return s[0][0] * x + s[1][1];",
            "  }",
            "",
            "  @Differentiable",
            "  static double caller(double[][] m, double x) {",
            "    return swapped(m, x) * x + swapped(m, m[1][0]);",
            "  }",
            "}"));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Object[] args = {new double[][] {{0.5, -0.2}, {1.1, 0.3}}, 0.7};
      TestSupport.checkGradient(cl.loadClass("p.S"), cl.loadClass("p.SGrad"), "caller", args,
          0, 1);
    }
  }
}
