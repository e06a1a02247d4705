package dev.gradgen.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.gradgen.processor.GradgenProcessor;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minimised reproducers of the bugs {@link DifferentialFuzzTest} found, with gradients worked out
 * by hand. Each test names the fuzz failure it came from.
 */
class FuzzRegressionTest {
  @TempDir
  Path temp;

  private static final String HEADER = "package r;\n\nimport dev.gradgen.Differentiable;\n"
      + "import dev.gradgen.NoGrad;\n\npublic class R {\n";

  /** Compiles {@code body} as class r.R with gradgen (strict lint) and returns a loader. */
  private URLClassLoader build(String body) throws Exception {
    String text = HEADER + body + "}\n";
    Compilation c = Compiler.javac().withProcessors(new GradgenProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror")
        .compile(JavaFileObjects.forSourceString("r.R", text));
    if (c.status() != Compilation.Status.SUCCESS) {
      fail("compilation failed:\n" + FuzzHarness.describe(c) + "\nsource:\n" + text);
    }
    Path dir = temp.resolve("classes");
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String uri = f.toUri().getPath();
      int at = uri.indexOf("CLASS_OUTPUT/");
      Path out = dir.resolve(at >= 0 ? uri.substring(at + "CLASS_OUTPUT/".length())
          : uri.replaceFirst("^/+", ""));
      Files.createDirectories(out.getParent());
      try (InputStream in = f.openInputStream()) {
        Files.write(out, in.readAllBytes());
      }
    }
    return new URLClassLoader(new URL[] {dir.toUri().toURL()},
        FuzzRegressionTest.class.getClassLoader());
  }

  /** The value and the flattened gradient of r.RGrad.{@code method}(args). */
  private double[] gradient(String body, String method, Object... args) throws Exception {
    try (URLClassLoader cl = build(body)) {
      Class<?> g = cl.loadClass("r.RGrad");
      for (Method m : g.getDeclaredMethods()) {
        if (m.getName().equals(method) && m.getReturnType().isRecord()) {
          m.setAccessible(true);
          Object record;
          try {
            record = m.invoke(null, args);
          } catch (InvocationTargetException e) {
            throw new AssertionError("generated gradient threw " + e.getCause(), e.getCause());
          }
          List<Double> out = new ArrayList<>();
          for (RecordComponent rc : record.getClass().getRecordComponents()) {
            rc.getAccessor().setAccessible(true);
            dev.gradgen.processor.TestSupport.flattenInto(rc.getAccessor().invoke(record), out);
          }
          return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
      }
      throw new AssertionError("no gradient method " + method);
    }
  }

  private static void assertGradient(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, "entries (value first)");
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= 1e-12 * Math.max(1, Math.abs(expected[i])))) {
        fail("entry " + i + " (0 = value): expected " + expected[i] + ", actual " + actual[i]
            + "\nexpected " + Arrays.toString(expected) + "\nactual   "
            + Arrays.toString(actual));
      }
    }
  }

  /**
   * Fuzz seed 777000 (a long run), Fz138.f7 (gradient mismatch). An element written with the
   * result of a call that receives the array itself: the callee's pullback added the old
   * element's adjoint into the shadow, and the write's backward code then zeroed that element.
   * w = {x, x^2}; w[1] = g(w) = w[0] w[1] = x^3, so df/dx = 3x^2 = 0.75 at x = 0.5.
   */
  @Test
  void elementWrittenWithACallReadingItsArray() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double g(double[] a) {",
        "    return a[0] * a[1];",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double[] w = {x, x * x};",
        "    w[1] = g(w);",
        "    return w[1];",
        "  }",
        "");
    assertGradient(new double[] {0.125, 0.75}, gradient(body, "f", 0.5));
  }

  /**
   * Fuzz seed 20261201 (the long run), Fz93.f91 (gradient mismatch). An element write whose
   * index reads the array it writes: the backward sweep recomputed the index after the write,
   * from the new element, and restored (and read the adjoint of) the wrong element. Here
   * w[(int) w[0]] writes w[0] = x + 1; recomputed afterwards the index would be 1. f = w[0] w[1]
   * + w[0] = x + 1, so df/dx = 1.
   */
  /**
   * Long fuzz run, seed 777111 (class seed 777126): a call recomputed by the backward sweep (its
   * value is a constant factor, cut by an int cast) read an array whose element was written
   * after it, so it saw the new element: the recomputation's reads of the arrays it passes
   * were not counted. d/dx = (int) g({1.5, 0}) = 3; the bug gave (int) g({4, 0}) = 8.
   */
  @Test
  void recomputedCallSeesTheArrayAsItWas() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double g(double[] a) {",
        "    return a[0] * 2;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double[] w = {1.5, 0};",
        "    double y = x * (int) g(w);",
        "    w[0] = 4;",
        "    return y + w[1];",
        "  }",
        "");
    assertGradient(new double[] {1.5, 3.0}, gradient(body, "f", 0.5));
  }

  @Test
  void elementWriteWhoseIndexReadsTheArray() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double[] w = {0.0, 0.0};",
        "    w[(int) w[0]] = x + 1;",
        "    return w[0] * w[1] + w[0];",
        "  }",
        "");
    assertGradient(new double[] {1.5, 1.0}, gradient(body, "f", 0.5));
  }

  /**
   * Fuzz seed 20240605, Fz4.f50 (gradient mismatch), found once the fuzzer called custom rules.
   * {@code x = f(x, ...)} with a custom rule: the adjoint of the new x was zeroed after the
   * rule had added the adjoint of the old x, so that contribution was lost. With
   * cube(x) = x^3 / 3 and softclip(x, c) = c tanh(x / c): f = cube(x) gives x^2 (4 at x = 2);
   * g = softclip(3, y) with y the old y gives tanh(3/y) - (3/y)(1 - tanh^2(3/y)).
   */
  @Test
  void customRuleAssigningAnArgumentKeepsItsAdjoint() throws Exception {
    String body = String.join("\n",
        "  static double cube(double x) {",
        "    return x * x * x / 3;",
        "  }",
        "",
        "  static double cubeBackward(double x, double result, double dResult) {",
        "    return dResult * x * x;",
        "  }",
        "",
        "  static double softclip(double x, double c) {",
        "    return c * Math.tanh(x / c);",
        "  }",
        "",
        "  static double[] softclipBackward(double x, double c, double result, double dResult) {",
        "    double t = Math.tanh(x / c);",
        "    return new double[] {dResult * (1 - t * t), dResult * (t - x / c * (1 - t * t))};",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    x = cube(x);",
        "    return x;",
        "  }",
        "",
        "  @Differentiable",
        "  static double g(double y) {",
        "    y = softclip(3, y);",
        "    return y;",
        "  }",
        "");
    assertGradient(new double[] {8.0 / 3, 4.0}, gradient(body, "f", 2.0));
    double y = 1.5;
    double t = Math.tanh(3 / y);
    assertGradient(new double[] {y * t, t - 3 / y * (1 - t * t)}, gradient(body, "g", y));
  }

  /**
   * Fuzz seed 20240601, Fz0.f79 (gradient mismatch). A local array reassigned with a new array
   * literal: the adjoint of w's second element goes to x as well, as if the backward sweep used
   * the shadow of the second array for the first literal. f = y, so df/dx = 0, df/dy = 1.
   */
  @Test
  void arrayLiteralReassignedKeepsTheAdjointsApart() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double f(double x, double y) {",
        "    double[] w = {x};",
        "    w = new double[] {y};",
        "    return w[0];",
        "  }",
        "");
    assertGradient(new double[] {0.7, 0.0, 1.0}, gradient(body, "f", 0.3, 0.7));
  }

  /**
   * Fuzz seed 20240601, Fz0.f32 / Fz0.f94 (generated gradient threw
   * ArrayIndexOutOfBoundsException). A local array reassigned with a shorter one: the backward
   * sweep of the first literal indexes the shadow of the second. f = x, so df/dx = 1.
   */
  @Test
  void arrayReassignedWithAShorterArray() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double[] w = {x, 2 * x, 3 * x};",
        "    w = new double[1];",
        "    return x + w[0];",
        "  }",
        "");
    assertGradient(new double[] {0.5, 1.0}, gradient(body, "f", 0.5));
  }

  /**
   * Fuzz seed 20240601+19, Fz19.f2 / Fz19.f9 / Fz19.f19 (gradient NaN, dual numbers finite). A
   * singular partial (cbrt'(0) = sqrt'(0) = infinity, hypot' at the origin = NaN) multiplied by an
   * exactly zero inner derivative: the backward sweep computes infinity * 0 = NaN, although the
   * composed function f(x, c) = cbrt(c * x) + x is x at c = 0.
   *
   * <p>Decided: this is the documented convention (README, "Conventions at kinks"), the same as
   * JAX's and PyTorch's: the chain rule through a point where a factor's derivative is infinite is
   * undefined and gives NaN, loudly rather than a made-up number. Away from the singular point
   * the gradient is exact, which the second half checks.
   */
  @Test
  void singularPartialTimesZeroInnerDerivativeIsNaNByConvention() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double f(double x, @NoGrad double c) {",
        "    return Math.cbrt(c * x) + x;",
        "  }",
        "");
    double[] atSingular = gradient(body, "f", 0.5, 0.0);
    org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(atSingular[1]),
        "d/dx at c = 0: " + atSingular[1]);
    // c = 0.3: d/dx = c / (3 cbrt(c x)^2) + 1.
    double c = 0.3;
    double expected = c / (3 * Math.pow(Math.cbrt(c * 0.5), 2)) + 1;
    assertGradient(new double[] {Math.cbrt(c * 0.5) + 0.5, expected},
        gradient(body, "f", 0.5, c));
  }

  /**
   * Fuzz seed 20240612, Fz11.f22 (gradient NaN, dual numbers 0.42). A singular partial on a dead
   * path: y's first value is overwritten before use, so its adjoint is exactly 0, but 0 times
   * cbrt'(0) = infinity is NaN and reaches x. f = x, so df/dx = 1.
   */
  @Test
  void singularPartialOnADeadPathIsNotNaN() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double y = Math.cbrt(x - x);",
        "    y = x;",
        "    return y;",
        "  }",
        "");
    assertGradient(new double[] {0.5, 1.0}, gradient(body, "f", 0.5));
  }

  /**
   * Fuzz seed 777 (class seed 831), Fz54.f34 (value differs). An enhanced for over a local array
   * that the body reassigns: Java iterates over the array the variable held when the loop
   * started, but the loop was lowered to index the variable itself, so the value (and gradient)
   * changed. f = x + 2x + 3x = 6x after the loop sums the original three elements.
   */
  @Test
  void enhancedForOverAReassignedLocalArrayIteratesTheOriginal() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double[] w = {x, 2 * x, 3 * x};",
        "    double s = 0;",
        "    for (double e : w) {",
        "      s += e;",
        "      w = new double[] {0.0};",
        "    }",
        "    return s;",
        "  }",
        "");
    assertGradient(new double[] {6 * 0.4, 6.0}, gradient(body, "f", 0.4));
  }

  /**
   * Fuzz seed 9130417 (a long run), Fz103.f41 (gradient mismatch, older than rows as values). A
   * loop's backward code summed dA[idx] in a local and added it after the loop, evaluating idx
   * there from v; but the block itself read the kept Math.tanh(-v), so nothing restored v, which
   * the outer loop had changed since. f = sin(atan(a[1])), df/da[1] = (1 + a1^2)^(-3/2).
   */
  @Test
  void summedAdjointLocationReadsOnlyWhatIsRestored() throws Exception {
    String body = String.join("\n",
        "  @Differentiable",
        "  static double f(double[] a) {",
        "    double v = 0.3;",
        "    double x = 0;",
        "    double y = 0;",
        "    int t = 0;",
        "    do {",
        "      t++;",
        "      for (int i = 0; i < 1; i += 2) {",
        "        x = Math.atan(a[((int) (2.5 + 2.0 * Math.tanh(-v))) % a.length]);",
        "      }",
        "      y = Math.sin(x);",
        "      v -= 0.25 * Math.atan(y);",
        "    } while (t < 1);",
        "    v = Math.atan(v);",
        "    return y;",
        "  }",
        "");
    assertGradient(new double[] {0.5 / Math.sqrt(1.25), 0, Math.pow(1.25, -1.5), 0},
        gradient(body, "f", (Object) new double[] {0.1, 0.5, -0.7}));
  }
}
