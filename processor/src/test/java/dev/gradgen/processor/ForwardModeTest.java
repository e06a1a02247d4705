package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forward mode ({@code mJvp}): the directional derivative in one pass. Every test that checks a
 * gradient against finite differences also checks {@code mJvp} against that gradient times a
 * direction ({@link TestSupport#checkJvp}); the fuzzer checks it against dual numbers. These
 * tests cover what only forward mode has: kernels' forward rules, a kernel without one, null
 * directions and names that clash.
 */
class ForwardModeTest {
  @TempDir
  Path temp;

  @Test
  void jvpGoesThroughKernelsWithTheirForwardRules() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.NoGrad;",
        "import dev.gradgen.Ops;", "",
        "public class K {",
        "  @Differentiable",
        "  static double layer(double[][] w, double[] b, @NoGrad double[] x) {",
        "    double[] z = Ops.add(Ops.matvec(w, x), b);",
        "    double[] a = Ops.sigmoid(z);",
        "    double s = Ops.sumOfSquares(Ops.scale(0.5, a)) + Ops.logSumExp(Ops.tanh(z));",
        "    return s * Ops.dot(a, b);",
        "  }",
        "}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.K", src)) {
      Class<?> owner = cl.loadClass("p.K");
      Class<?> grad = cl.loadClass("p.KGrad");
      double[][] w = {{0.3, -0.2, 0.5}, {0.1, 0.4, -0.6}};
      double[] b = {0.2, -0.1};
      double[] x = {1.0, -0.5, 0.25};
      TestSupport.checkGradient(owner, grad, "layer", new Object[] {w, b, x}, 0, 1);
    }
  }

  @Test
  void aNullDirectionIsZero() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class N {",
        "  @Differentiable",
        "  static double f(double[] a, double[] b) {",
        "    double s = 0;",
        "    for (int i = 0; i < a.length; i++) {",
        "      s += a[i] * a[i] * b[i];",
        "    }",
        "    return s;",
        "  }",
        "}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.N", src)) {
      Class<?> grad = cl.loadClass("p.NGrad");
      Method jvp = TestSupport.staticMethod(grad, "fJvp", double[].class, double[].class,
          double[].class, double[].class);
      double[] a = {1, 2};
      double[] b = {3, 5};
      // d/da = 2 a b = (6, 20), d/db = a^2 = (1, 4).
      Object r = TestSupport.call(jvp, a, b, new double[] {1, 0}, null);
      assertThat((Double) TestSupport.component(r, "tangent")).isEqualTo(6.0);
      r = TestSupport.call(jvp, a, b, null, new double[] {0, 1});
      assertThat((Double) TestSupport.component(r, "tangent")).isEqualTo(4.0);
      r = TestSupport.call(jvp, a, b, null, null);
      assertThat((Double) TestSupport.component(r, "tangent")).isEqualTo(0.0);
      assertThat((Double) TestSupport.component(r, "value")).isEqualTo(3.0 + 20.0);
    }
  }

  @Test
  void aCustomRuleWithItsForwardRuleIsUsed() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class C {",
        "  static double cube(double x) {",
        "    return x * x * x / 3;",
        "  }",
        "",
        "  static double cubeBackward(double x, double result, double dResult) {",
        "    return dResult * x * x;",
        "  }",
        "",
        "  static double cubeJvp(double x, double result, double dx) {",
        "    return x * x * dx;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x, double y) {",
        "    return cube(x * y) + y;",
        "  }",
        "}");
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.C", src));
    TestSupport.assertCompiled(c);
    assertThat(TestSupport.generatedSource(c, "p.CGrad")).contains("C.cubeJvp(");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.C", src)) {
      Class<?> grad = cl.loadClass("p.CGrad");
      Method jvp = TestSupport.staticMethod(grad, "fJvp", double.class, double.class,
          double.class, double.class);
      // d/dx = (xy)^2 y, d/dy = (xy)^2 x + 1; at (2, 3) along (1, -1): 108 - 73 = 35.
      Object r = TestSupport.call(jvp, 2.0, 3.0, 1.0, -1.0);
      assertThat((Double) TestSupport.component(r, "tangent")).isWithin(1e-12).of(35.0);
      TestSupport.checkGradient(cl.loadClass("p.C"), grad, "f", new Object[] {2.0, 3.0}, 0, 1);
    }
  }

  @Test
  void aScalarKernelWithOnlyABackwardRuleGetsItsForwardRuleFromIt() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class B {",
        "  static double cube(double x, double[] w) {",
        "    return x * x * x / 3 + w[0] * w[1];",
        "  }",
        "",
        "  static double cubeBackward(double x, double[] w, double result, double dResult,"
            + " double[] dw) {",
        "    if (dw != null) {",
        "      dw[0] += dResult * w[1];",
        "      dw[1] += dResult * w[0];",
        "    }",
        "    return dResult * x * x;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x, double[] w) {",
        "    double y = 2 * x;",
        "    double c = cube(y, w);",
        "    return c + x;",
        "  }",
        "}");
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.B", src));
    TestSupport.assertCompiled(c);
    assertThat(TestSupport.generatedSource(c, "p.BGrad"))
        .contains("private static double p_B_cubeForward(double x, double[] w, double result,");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.B", src)) {
      // Gradient, JVP (through the derived forward rule) and second order (which says it
      // cannot go through the kernel).
      TestSupport.checkGradient(cl.loadClass("p.B"), cl.loadClass("p.BGrad"), "f",
          new Object[] {1.5, new double[] {0.5, -2.0}}, 0, 1);
    }
  }

  @Test
  void aVectorKernelWithOnlyABackwardRuleIsNotedAndItsJvpSaysWhyItCannot() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class B {",
        "  static double[] pair(double x) {",
        "    return new double[] {x * x, 3 * x};",
        "  }",
        "",
        "  static double pairBackward(double x, double[] result, double[] dResult) {",
        "    return dResult[0] * 2 * x + dResult[1] * 3;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double y = 2 * x;",
        "    double[] c = pair(y);",
        "    return c[0] + c[1] + x;",
        "  }",
        "}");
    JavaFileObject file = JavaFileObjects.forSourceLines("p.B", src);
    Compilation c = TestSupport.compile(file);
    TestSupport.assertCompiled(c);
    assertThat(c).hadNoteContaining("'B.pair' has a backward rule but no forward rule, so fJvp,"
        + " fHvp, fHessian of B.f throw UnsupportedOperationException when called; to give it"
        + " one, add static double[] pairJvp(...)").inFile(file).onLine(17);
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.B", src)) {
      Class<?> grad = cl.loadClass("p.BGrad");
      TestSupport.checkGradientOnly(cl.loadClass("p.B"), grad, "f", new Object[] {1.5}, 0);
      Method jvp = TestSupport.staticMethod(grad, "fJvp", double.class, double.class);
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> TestSupport.call(jvp, 1.5, 1.0));
      assertThat(e).hasMessageThat().contains("forward mode through B.pair is not available");
    }
  }

  @Test
  void stopGradientMakesAValueAConstantInEveryMode() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.StopGradient;", "",
        "public class S {",
        "  @Differentiable",
        "  static double f(double x, double y) {",
        "    double target = StopGradient.of(x * y);",
        "    double d = x - target;",
        "    return d * d + target * y;",
        "  }",
        "}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.S", src)) {
      Class<?> grad = cl.loadClass("p.SGrad");
      double x = 1.5;
      double y = 0.5;
      // target = x y is a constant t: f = (x - t)^2 + t y, df/dx = 2 (x - t), df/dy = t.
      double t = x * y;
      Object g = TestSupport.call(TestSupport.byName(grad, "f", true), x, y);
      assertThat((Double) TestSupport.component(g, "value"))
          .isEqualTo((x - t) * (x - t) + t * y);
      assertThat((Double) TestSupport.component(g, "x")).isWithin(1e-15).of(2 * (x - t));
      assertThat((Double) TestSupport.component(g, "y")).isWithin(1e-15).of(t);
      Object jvp = TestSupport.call(TestSupport.byName(grad, "fJvp", true), x, y, 1.0, -2.0);
      assertThat((Double) TestSupport.component(jvp, "tangent")).isWithin(1e-15)
          .of(2 * (x - t) - 2 * t);
      // Second derivatives treat t as constant too: d2f/dx2 = 2, the rest 0.
      double[][] h = (double[][]) TestSupport.component(TestSupport.call(
          TestSupport.byName(grad, "fHessian", true), x, y), "hessian");
      assertThat(h[0]).usingTolerance(1e-15).containsExactly(2.0, 0.0).inOrder();
      assertThat(h[1]).usingTolerance(1e-15).containsExactly(0.0, 0.0).inOrder();
    }
  }

  /**
   * A tangent that is exactly 0 at the point (not because of the direction) still has a
   * derivative: the Hessian of sqrt(1 + x^2) at 0 is 1, of (x - mu)^2 / (2 s^2) at x = mu is
   * 1 / s^2 in x (and 0 in s there, -2 (x - mu) / s^3 across).
   */
  @Test
  void theHessianWhereATangentVanishesIsNotLost() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class Z {",
        "  @Differentiable",
        "  static double root(double x) {",
        "    return Math.sqrt(1 + x * x);",
        "  }",
        "",
        "  @Differentiable",
        "  static double gauss(double x, double mu, double s) {",
        "    return (x - mu) * (x - mu) / (2 * s * s);",
        "  }",
        "}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.Z", src)) {
      Class<?> grad = cl.loadClass("p.ZGrad");
      double[][] h = (double[][]) TestSupport.component(TestSupport.call(
          TestSupport.byName(grad, "rootHessian", true), 0.0), "hessian");
      assertThat(h[0][0]).isWithin(1e-15).of(1.0);
      double s = 0.5;
      double[][] g = (double[][]) TestSupport.component(TestSupport.call(
          TestSupport.byName(grad, "gaussHessian", true), 0.3, 0.3, s), "hessian");
      assertThat(g[0]).usingTolerance(1e-12).containsExactly(1 / (s * s), -1 / (s * s), 0.0)
          .inOrder();
      assertThat(g[1]).usingTolerance(1e-12).containsExactly(-1 / (s * s), 1 / (s * s), 0.0)
          .inOrder();
      assertThat(g[2]).usingTolerance(1e-12).containsExactly(0.0, 0.0, 0.0).inOrder();
      TestSupport.checkGradient(cl.loadClass("p.Z"), grad, "gauss", new Object[] {0.3, 0.1, s},
          0, 1, 2);
    }
  }

  @Test
  void aUserMethodNamedLikeAGeneratedOneIsAnErrorNamingBoth() {
    TestSupport.expectError("gradgen generates TGrad.lossJvp for"
        + " @Differentiable method loss, and T already declares a method lossJvp: the two would"
        + " be confused; rename one of them", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double loss(double x) {",
        "    return x * x;",
        "  }",
        "",
        "  static double lossJvp(double x, double u) { // <- error",
        "    return 2 * x * u;",
        "  }",
        "}");
  }

  @Test
  void theHvpOfALoopDropsTheAccumulatorOnlyTheValueNeeds() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class R {",
        "  @Differentiable",
        "  static double rosenbrock(double[] x, int d) {",
        "    double s = 0.0;",
        "    int unused = 7 / d;",
        "    for (int i = 0; i + 1 < x.length; i++) {",
        "      double a = x[i + 1] - x[i] * x[i];",
        "      double b = 1.0 - x[i];",
        "      s += 100.0 * a * a + b * b;",
        "    }",
        "    return s;",
        "  }",
        "}");
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.R", src));
    TestSupport.assertCompiled(c);
    String grad = TestSupport.generatedSource(c, "p.RGrad");
    String hvp = grad.substring(grad.indexOf("public static double rosenbrockTangent_dnPullback"));
    hvp = hvp.substring(0, hvp.indexOf("\n    }\n"));
    // s is dead in the tangent program, which returns sDot: without it the result is linear in
    // sDot, and the reverse pass needs no tape.
    assertThat(hvp).doesNotContainMatch("(?m)^\\s+s \\+= ");
    assertThat(hvp).containsMatch("(?m)^\\s+sDot \\+= ");
    assertThat(hvp).doesNotContain("tape.push");
    // A store that can throw stays: the HVP fails where the method fails.
    assertThat(hvp).contains("unused = 7 / d;");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.R", src)) {
      Class<?> grad2 = cl.loadClass("p.RGrad");
      TestSupport.checkGradient(cl.loadClass("p.R"), grad2, "rosenbrock",
          new Object[] {new double[] {0.5, -1.2, 0.8, 1.5}, 3}, 0);
      Method h = TestSupport.staticMethod(grad2, "rosenbrockHvp", double[].class, int.class,
          double[].class);
      assertThrows(ArithmeticException.class,
          () -> TestSupport.call(h, new double[] {1, 2}, 0, new double[] {1, 0}));
    }
  }
}
