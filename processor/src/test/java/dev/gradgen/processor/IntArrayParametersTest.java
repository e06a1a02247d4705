package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, part 4: writes into {@code int[]} parameters are primal computation. The original
 * method changes the caller's array; the generated methods leave it as it was (checkGradient
 * asserts that), give the original's value, and differentiate through a callee that changes the
 * array its caller then reads (the caller's backward sweep hands the callee's pullback the array
 * as it was at the call).
 */
class IntArrayParametersTest {
  @TempDir
  Path temp;

  @Test
  void writesIntoIntArraysThroughCallsAndRecursion() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(
        JavaFileObjects.forSourceLines("p.I",
            "package p;",
            "",
            "import dev.gradgen.Differentiable;",
            "",
            "public class I {",
            "  /** Uses ix[0] as a row, then moves it on: the caller sees the new index. */",
            "  @Differentiable",
            "  static double take(double[] a, int[] ix, double x) {",
            "    double v = a[ix[0] % a.length] * x;",
            "    ix[0] = ix[0] + 1;",
            "    return Math.sin(v);",
            "  }",
            "",
            "  /** Passes its own parameter on to a callee that writes into it (a fuzzer find). */",
            "  @Differentiable",
            "  static double passOn(double[] a, int[] ix, double x) {",
            "    double s = take(a, ix, x);",
            "    s += take(a, ix, x * s);",
            "    for (int k = 0; k < 3; k++) {",
            "      s = s * x + take(a, ix, s);",
            "    }",
            "    return s + ix[0];",
            "  }",
            "",
            "  /** Writes into k and returns a value that depends on what it wrote. */",
            "  @Differentiable",
            "  static double bump(double x, int[] k) {",
            "    k[0]++;",
            "    return x * k[0];",
            "  }",
            "",
            "  /** Calls inside expressions, twice in one, and reads of k before and after them. */",
            "  @Differentiable",
            "  static double around(double x, int[] k) {",
            "    double y = x * k[0];",
            "    double t;",
            "    double s = bump(x, k) * x + bump(x * x, k);",
            "    s += k[0] * x + (t = bump(y, k));",
            "    s += bump(2.0, k) * x; // no derivative flows through this call",
            "    return s * y + t + x * k[0];",
            "  }",
            "",
            "  /** Recursion that marks used entries and restores them, as GradBench's det does. */",
            "  @Differentiable",
            "  static double pick(double[] a, int[] used, int n, double x) {",
            "    if (n == 0) {",
            "      return x;",
            "    }",
            "    double best = 0;",
            "    for (int i = 0; i < a.length; i++) {",
            "      if (used[i] == 0) {",
            "        used[i] = 1;",
            "        best += a[i] * pick(a, used, n - 1, x * a[i]);",
            "        used[i] = 0;",
            "      }",
            "    }",
            "    return best;",
            "  }",
            "}"));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.I");
      Class<?> grad = cl.loadClass("p.IGrad");
      double[] a = {0.3, -1.1, 0.8, 1.6};
      for (double x : new double[] {0.4, -0.9, 1.3}) {
        TestSupport.checkGradient(owner, grad, "take", new Object[] {a, new int[] {2}, x}, 0, 2);
        TestSupport.checkGradient(owner, grad, "passOn", new Object[] {a, new int[] {1}, x}, 0,
            2);
        TestSupport.checkGradient(owner, grad, "pick", new Object[] {a, new int[4], 3, x}, 0, 3);
        TestSupport.checkGradient(owner, grad, "around", new Object[] {x, new int[] {1}}, 0);
      }
    }
  }

  /**
   * Found by review: a callee that moves an index its caller also uses. Java evaluates the
   * caller's operands left of the call with the index as it was, and the call's own arguments
   * ({@code m[idx[0]]}) before it runs; the backward sweep must too.
   */
  @Test
  void operandsAroundACallThatMovesAnIndexSeeItWhenJavaDoes() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(
        JavaFileObjects.forSourceLines("p.J",
            "package p;",
            "",
            "import dev.gradgen.Differentiable;",
            "import dev.gradgen.Ops;",
            "",
            "public class J {",
            "  @Differentiable",
            "  static double swap(double[] x, int[] idx) {",
            "    int t = idx[0];",
            "    idx[0] = idx[1];",
            "    idx[1] = t;",
            "    return x[idx[0]] * x[idx[0]];",
            "  }",
            "",
            "  @Differentiable",
            "  static double flip(double a, int[] idx) {",
            "    idx[0] = 1 - idx[0];",
            "    return a * a;",
            "  }",
            "",
            "  @Differentiable",
            "  static double rowSelected(double[][] m) {",
            "    int[] idx = {0, 1};",
            "    return swap(m[idx[0]], idx) + m[idx[0]][0];",
            "  }",
            "",
            "  @Differentiable",
            "  static double elementSelected(double[] x) {",
            "    int[] idx = {0};",
            "    return flip(x[idx[0]], idx) * x[idx[0]];",
            "  }",
            "",
            "  @Differentiable",
            "  static double leftOperandReadsTheIndex(double[] x) {",
            "    int[] idx = {0};",
            "    return x[idx[0]] * flip(x[1], idx) + x[idx[0]] + Math.atan2(x[idx[0]],"
                + " flip(x[0], idx));",
            "  }",
            "",
            "  @Differentiable",
            "  static double rowOperandOfAKernel(double[][] m, double[] x) {",
            "    int[] idx = {0};",
            "    double[][] h = {m[0], m[1]};",
            "    return Ops.dot(h[idx[0]], Ops.scale(flip(x[1], idx), x))"
                + " + Ops.sum(Ops.scale(2, h[idx[0]])) * flip(x[0], idx);",
            "  }",
            "}"));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.J");
      Class<?> grad = cl.loadClass("p.JGrad");
      double[][] m = {{0.5, -0.2}, {1.1, 0.3}};
      double[] x = {0.4, -0.9};
      TestSupport.checkGradient(owner, grad, "rowSelected", new Object[] {m}, 0);
      TestSupport.checkGradient(owner, grad, "elementSelected", new Object[] {x}, 0);
      TestSupport.checkGradient(owner, grad, "leftOperandReadsTheIndex", new Object[] {x}, 0);
      TestSupport.checkGradient(owner, grad, "rowOperandOfAKernel", new Object[] {m, x}, 0, 1);
    }
  }

  /**
   * A call that writes into an int[] has a zero adjoint (its result is rounded) and a singular
   * function in its arguments, so its adjoint code runs under the zero-seed guard: the array
   * must still be put back for the statements before it, which read it as an index (found by
   * the long fuzz run, seed 77120208; the guard used to skip the restore and the gradient was
   * 0.257 instead of 0.635).
   */
  @Test
  void anArrayACallWroteIsPutBackWhenTheCallsAdjointIsZero() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(
        JavaFileObjects.forSourceLines("p.Z",
            "package p;",
            "",
            "import dev.gradgen.Differentiable;",
            "import dev.gradgen.NoGrad;",
            "",
            "public class Z {",
            "  @Differentiable",
            "  static double w(double a, int[] ix) {",
            "    ix[0] = 1;",
            "    return a * a;",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x, int[] ix, @NoGrad double[] k) {",
            "    double s = Math.tanh(k[ix[0]] + x);",
            "    double v = StrictMath.round(Math.tanh(w(x > 5.0 && Math.log(x + 3.0) > 0.5"
                + " ? 1.0 : x, ix)));",
            "    return s + v;",
            "  }",
            "}"));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.Z");
      Class<?> grad = cl.loadClass("p.ZGrad");
      double[] k = {0.3, 0.9};
      for (double x : new double[] {0.4, -0.3, 1.7}) {
        TestSupport.checkGradient(owner, grad, "f", new Object[] {x, new int[] {0}, k}, 0);
      }
      // Closed form: k[0] is read before w moves the index, and round() has derivative 0.
      double x = 0.4;
      Object g = TestSupport.call(TestSupport.byName(grad, "f", true), x, new int[] {0}, k);
      double t = Math.tanh(0.3 + x);
      assertThat((double) TestSupport.component(g, "x")).isWithin(1e-12).of(1 - t * t);
    }
  }
}
