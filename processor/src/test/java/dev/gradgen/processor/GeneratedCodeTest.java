package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated code itself: it compiles cleanly under strict lint, it is deterministic, it does
 * not clash with user identifiers, it works across separately compiled libraries and nested
 * classes, and the gradients it computes match central finite differences.
 */
class GeneratedCodeTest {
  @TempDir
  Path temp;

  private static final String HEADER = String.join("\n",
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;",
      "");

  /** A handful of methods with loops, branches, arrays, early exits and calls. */
  private static final String MIXED = HEADER + String.join("\n",
      "public class M {",
      "  static final double SCALE = 0.5;",
      "",
      "  @Differentiable",
      "  static double poly(double x, double[] c) {",
      "    double y = 0.0;",
      "    for (int i = c.length - 1; i >= 0; i--) {",
      "      y = y * x + c[i];",
      "    }",
      "    return y;",
      "  }",
      "",
      "  @Differentiable",
      "  static double mat(double[][] a, double[] v, @NoGrad int n) {",
      "    double s = 0.0;",
      "    double[] tmp = new double[n];",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < v.length; j++) {",
      "        tmp[i] += a[i][j] * v[j];",
      "      }",
      "      if (tmp[i] > 0) {",
      "        s += tmp[i] * tmp[i];",
      "      } else {",
      "        s -= SCALE * tmp[i];",
      "      }",
      "    }",
      "    return s;",
      "  }",
      "",
      "  @Differentiable",
      "  static double search(double x, double[] w) {",
      "    double acc = 1.0;",
      "    int k = 0;",
      "    while (true) {",
      "      acc *= w[k] + x;",
      "      k++;",
      "      if (k >= w.length || acc > 100) {",
      "        break;",
      "      }",
      "      if (acc < -100) {",
      "        continue;",
      "      }",
      "      acc = Math.sqrt(acc * acc + 1.0);",
      "    }",
      "    do {",
      "      acc = acc / 2;",
      "    } while (acc > 10);",
      "    return poly(acc, w) + Math.pow(x, 3) + Math.max(x, acc);",
      "  }",
      "",
      "  @Differentiable",
      "  static double earlyReturn(double x, double y) {",
      "    if (x > y) {",
      "      return x * y;",
      "    }",
      "    for (int i = 0; i < 3; i++) {",
      "      x = x * y;",
      "      if (x > 10) {",
      "        return x;",
      "      }",
      "    }",
      "    return x > 0 ? Math.log(x) : Math.exp(x);",
      "  }",
      "",
      "  @Differentiable",
      "  static double noFinalReturn(double x) {",
      "    if (x > 0) {",
      "      return x * x;",
      "    } else {",
      "      return -x;",
      "    }",
      "  }",
      "",
      "  @Differentiable",
      "  static double infinite(double x) {",
      "    for (;;) {",
      "      x = x * 0.5;",
      "      if (x < 1) {",
      "        return x;",
      "      }",
      "    }",
      "  }",
      "",
      "  @Differentiable",
      "  static double enhanced(double[] w, @NoGrad double[][] xs) {",
      "    double s = 0;",
      "    for (double[] row : xs) {",
      "      double z = 0;",
      "      int j = 0;",
      "      for (double v : row) {",
      "        z += v * w[j];",
      "        j++;",
      "      }",
      "      s += Math.tanh(z);",
      "    }",
      "    for (double wi : w) {",
      "      s += wi * wi;",
      "    }",
      "    return s;",
      "  }",
      "",
      "  @Differentiable",
      "  static double localArrays(double x) {",
      "    double[] a = {x, 2 * x, 3.0};",
      "    double[][] m = new double[2][3];",
      "    m[1][2] = a[1] * a[0];",
      "    double[] row = m[1];",
      "    row[0] = row[2] + x;",
      "    a = new double[] {row[0], row[2]};",
      "    return a[0] * a[1] + m[1][0];",
      "  }",
      "",
      "  @Differentiable",
      "  static double siblingScopes(double x) {",
      "    double y = 0;",
      "    {",
      "      double a = x * 2;",
      "      y = y + a;",
      "    }",
      "    {",
      "      int a = 3;",
      "      y = y * a;",
      "    }",
      "    {",
      "      double[] a = new double[2];",
      "      a[0] = x;",
      "      y = y + a[0] * y;",
      "    }",
      "    return y;",
      "  }",
      "}",
      "");

  // ------------------------------------------------------------------ helpers

  private static JavaFileObject source(String qualifiedName, String text) {
    return JavaFileObjects.forSourceString(qualifiedName, text);
  }

  /** Compiles, asserts success without crash, writes the class files, returns a loader. */
  private URLClassLoader build(String dirName, JavaFileObject... files) throws IOException {
    Compilation c = TestSupport.compile(files);
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c))
        .that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    return TestSupport.loader(TestSupport.writeClasses(c, temp.resolve(dirName)));
  }

  // ------------------------------------------------------------------ (a) strict lint

  @Test
  void generatedCodeCompilesWithStrictLint() {
    Compilation c = TestSupport.compiler("-Xlint:all,-processing", "-Werror")
        .compile(source("p.M", MIXED));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s\n\ngenerated:\n%s", TestSupport.describe(c),
        TestSupport.generatedSource(c, "p.MGrad")).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("p.MGrad");
  }

  /**
   * Issue 10, defect 4: strict company builds use {@code -Xlint:all -Werror}, the processing
   * category included. gradgen claims its own annotations and the {@code @Generated} on the
   * classes it writes, so nothing is left for "No processor claimed any of these annotations".
   */
  @Test
  void generatedCodeCompilesWithAllLintIncludingProcessing() {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(source("p.M", MIXED));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c)).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    assertThat(c).succeededWithoutWarnings();
  }

  /** Claiming the annotations does not lose the error on one inside a local class. */
  @Test
  void localClassIsStillReportedUnderAllLint() {
    JavaFileObject file = source("p.L", HEADER + String.join("\n",
        "public class L {",
        "  @Differentiable",
        "  static double top(double x) {",
        "    return x * x;",
        "  }",
        "",
        "  static double outer(double z) {",
        "    class Local {",
        "      @Differentiable",
        "      static double f(double x) {",
        "        return x * x;",
        "      }",
        "    }",
        "    return Local.f(z);",
        "  }",
        "}"));
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("@Differentiable methods must be in a top-level or nested"
        + " class, not a local or anonymous one").inFile(file).onLine(14);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void mixedGradientsMatchFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("mixed", source("p.M", MIXED))) {
      Class<?> m = cl.loadClass("p.M");
      Class<?> g = cl.loadClass("p.MGrad");
      TestSupport.checkGradient(m, g, "poly", new Object[] {0.7, new double[] {1, -2, 0.5, 3}}, 0, 1);
      TestSupport.checkGradient(m, g, "mat", new Object[] {new double[][] {{1, 2}, {-3, 0.5}, {0.2, -0.1}},
          new double[] {0.3, -0.7}, 3}, 0, 1);
      TestSupport.checkGradient(m, g, "search", new Object[] {0.4, new double[] {1.5, 2.0, -0.3, 2.2}}, 0, 1);
      TestSupport.checkGradient(m, g, "earlyReturn", new Object[] {0.5, 2.0}, 0, 1);
      TestSupport.checkGradient(m, g, "earlyReturn", new Object[] {3.0, 2.0}, 0, 1);
      TestSupport.checkGradient(m, g, "earlyReturn", new Object[] {0.5, 0.9}, 0, 1);
      TestSupport.checkGradient(m, g, "noFinalReturn", new Object[] {1.3}, 0);
      TestSupport.checkGradient(m, g, "noFinalReturn", new Object[] {-1.3}, 0);
      TestSupport.checkGradient(m, g, "infinite", new Object[] {13.0}, 0);
      TestSupport.checkGradient(m, g, "enhanced", new Object[] {new double[] {0.1, -0.2, 0.3},
          new double[][] {{1, 2, 3}, {-1, 0.5, 2}}}, 0);
      TestSupport.checkGradient(m, g, "siblingScopes", new Object[] {0.8}, 0);
    }
  }

  /** Local arrays: literals, a matrix, a row alias written through, a reassigned array. */
  /**
   * Compiles {@code text} and asserts how often {@code marker} (a comment the generator writes
   * where it applies a transformation) appears in each named method's pullback.
   */
  private static void assertMarkerCounts(String qualifiedName, String text, String marker,
      Map<String, Integer> expected) {
    Compilation c = TestSupport.compile(source(qualifiedName, text));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c))
        .that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    String generated = TestSupport.generatedSource(c, qualifiedName + "Grad");
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      java.util.regex.Matcher pullback = java.util.regex.Pattern.compile("double "
          + java.util.regex.Pattern.quote(e.getKey()) + "Pullback(_[dn]+)?\\(").matcher(generated);
      assertWithMessage("no pullback of %s in:\n%s", e.getKey(), generated)
          .that(pullback.find()).isTrue();
      int start = pullback.start();
      java.util.regex.Matcher next = java.util.regex.Pattern.compile("Pullback(_[dn]+)?\\(")
          .matcher(generated);
      int end = next.find(start + 20) ? next.start() : -1;
      String body = generated.substring(start, end < 0 ? generated.length() : end);
      assertWithMessage("'%s' in %s:\n%s", marker, e.getKey(), body)
          .that(body.split(java.util.regex.Pattern.quote(marker), -1).length - 1)
          .isEqualTo(e.getValue());
    }
  }

  /** Expensive calls in loops kept on the tape, in every position the forward code prints. */
  private static final String KEPT = HEADER + String.join("\n",
      "public class K {",
      "  @Differentiable",
      "  static double kept(double[] w, double a) {",
      "    double[] u = new double[w.length];",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) {",
      "      u[i] = Math.exp(w[i] * a) + Math.tanh(Math.sqrt(1 + w[i] * w[i]));",
      "      u[(int) (1.5 + Math.tanh(w[i])) % u.length] *= Math.exp(-u[i] * 0.1);",
      "      s += w[i] > 0 ? Math.exp(w[i]) : Math.tanh(a * w[i]);",
      "      s = s * 0.5 + Math.exp(u[i] * 0.01) * Math.exp(u[i] * 0.01);",
      "    }",
      "    return s;",
      "  }",
      "}",
      "");

  @Test
  void keptCallsMatchFiniteDifferences() throws Exception {
    // exp and tanh(sqrt) on the first line, the exp on the right of *= (not the tanh in its
    // target index, which the forward code prints without keep), none under ?:, and not the
    // exp written twice in one statement.
    assertMarkerCounts("p.K", KEPT, "tape.keep(", Map.of("kept", 4));
    double[] w = {0.7, -1.3, 0.4, 2.1, -0.2};
    try (URLClassLoader cl = build("kept", source("p.K", KEPT))) {
      TestSupport.checkGradient(cl.loadClass("p.K"), cl.loadClass("p.KGrad"), "kept", new Object[] {w, 0.8},
          0, 1);
    }
  }

  /**
   * Reduction loops: reversed one iteration at a time where that is exact and the iterations save
   * enough to pay for it, else the usual sweeps.
   */
  private static final String REDUCTIONS = HEADER + String.join("\n",
      "public class R {",
      "  @Differentiable",
      "  static double two(double[] w, double a) {",
      "    double c = a * a;",
      "    double s = 0, q = 0;",
      "    for (int i = 0; i < w.length; i++) {",
      "      double t = Math.tanh(w[i] * a);",
      "      if (t > 0) { s += t * t; } else { s -= t; }",
      "      double u = 0;",
      "      for (int j = 0; j < i; j++) { u = Math.sin(u) + w[j] * t; q += u; }",
      "    }",
      "    return c * s / w.length - 3 * q + a;",
      "  }",
      "  @Differentiable",
      "  static double sequence(double[] w) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) s += Math.exp(w[i]);",
      "    double p = 0;",
      "    for (int i = 0; i < w.length; i++) p += w[i] * w[i] * 0.5;",
      "    return s - 2 * p;",
      "  }",
      "  @Differentiable",
      "  static double innerBreak(double[] w) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) {",
      "      double m = 0;",
      "      for (int j = 0; j < w.length; j++) { if (j > i) break; m = Math.sin(m) + w[j]; }",
      "      s += m * m;",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double squared(double[] w) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) s += w[i] * w[i];",
      "    return s * s;",
      "  }",
      "  @Differentiable",
      "  static double carried(double[] w) {",
      "    double s = 0;",
      "    double prev = 1;",
      "    for (int i = 0; i < w.length; i++) { s += prev * w[i]; prev = w[i]; }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double coefficientChanges(double[] w, double a) {",
      "    double c = a;",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) s += w[i] * w[i];",
      "    c = c * a;",
      "    return c * s;",
      "  }",
      "  @Differentiable",
      "  static double arrayAfter(double[] w) {",
      "    double[] u = new double[w.length];",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) { u[i] = w[i] * w[i]; s += u[i]; }",
      "    return s + u[0];",
      "  }",
      "  @Differentiable",
      "  static double continued(double[] w) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) { if (w[i] < 0) continue; s += w[i] * w[i]; }",
      "    return s;",
      "  }",
      "}",
      "");

  @Test
  void reductionLoopsMatchFiniteDifferencesWhicheverWayTheyAreReversed() throws Exception {
    Map<String, Integer> perIteration = new LinkedHashMap<>();
    perIteration.put("two", 1);
    perIteration.put("sequence", 0); // one kept exp per iteration: the usual sweeps are faster
    perIteration.put("innerBreak", 1);
    perIteration.put("squared", 0);
    perIteration.put("carried", 0);
    perIteration.put("coefficientChanges", 0);
    perIteration.put("arrayAfter", 0);
    perIteration.put("continued", 0);
    assertMarkerCounts("p.R", REDUCTIONS, "The result is linear in", perIteration);
    double[] w = {0.7, -1.3, 0.4, 2.1, -0.2};
    try (URLClassLoader cl = build("reductions", source("p.R", REDUCTIONS))) {
      Class<?> r = cl.loadClass("p.R");
      Class<?> g = cl.loadClass("p.RGrad");
      TestSupport.checkGradient(r, g, "two", new Object[] {w, 0.8}, 0, 1);
      TestSupport.checkGradient(r, g, "two", new Object[] {w, -1.1}, 0, 1);
      for (String name : List.of("sequence", "innerBreak", "squared", "carried", "arrayAfter",
          "continued")) {
        TestSupport.checkGradient(r, g, name, new Object[] {w}, 0);
      }
      TestSupport.checkGradient(r, g, "coefficientChanges", new Object[] {w, 1.7}, 0, 1);
    }
  }

  /** Adjoint elements an inner loop only adds to at a fixed index are summed in a local. */
  private static final String SUMS = HEADER + String.join("\n",
      "public class S {",
      "  @Differentiable",
      "  static double fixedIndex(double[] x, double[][] a) {",
      "    double s = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      for (int j = 0; j < a[i].length; j++) {",
      "        s += Math.sin(a[i][j] * x[i]);",
      "      }",
      "    }",
      "    return s * s;",
      "  }",
      "  @Differentiable",
      "  static double elementAlsoWritten(double[] x) {",
      "    double[] u = new double[x.length];",
      "    for (int i = 0; i < x.length; i++) u[i] = x[i];",
      "    double s = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      for (int j = 0; j < 3; j++) {",
      "        s += u[i] * u[i] * (j + 1);",
      "        u[i] = u[i] * 0.9;",
      "      }",
      "    }",
      "    return s * s;",
      "  }",
      "  @Differentiable",
      "  static double indexStepped(double[] x) {",
      "    double s = 0;",
      "    int k = 0;",
      "    for (int i = 0; i < 2; i++) {",
      "      for (int j = 0; j < 2; j++) {",
      "        s += x[k] * x[k] * (i + 1);",
      "        k++;",
      "      }",
      "    }",
      "    return s * s;",
      "  }",
      "}",
      "");

  @Test
  void fixedIndexAdjointSumsMatchFiniteDifferences() throws Exception {
    Map<String, Integer> summed = new LinkedHashMap<>();
    summed.put("fixedIndex", 1);
    summed.put("elementAlsoWritten", 0);
    summed.put("indexStepped", 0);
    assertMarkerCounts("p.S", SUMS, "summed in a local", summed);
    double[] x = {0.7, -1.3, 0.4, 2.1};
    double[][] a = {{0.5, -0.2, 0.9}, {1.1}, {-0.4, 0.3}, {0.8, 0.1, -0.6, 0.2}};
    try (URLClassLoader cl = build("sums", source("p.S", SUMS))) {
      Class<?> m = cl.loadClass("p.S");
      Class<?> g = cl.loadClass("p.SGrad");
      TestSupport.checkGradient(m, g, "fixedIndex", new Object[] {x, a}, 0, 1);
      TestSupport.checkGradient(m, g, "elementAlsoWritten", new Object[] {x}, 0);
      TestSupport.checkGradient(m, g, "indexStepped", new Object[] {x}, 0);
    }
  }

  @Test
  void localArraysGradientMatchesFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("localArrays", source("p.M", MIXED))) {
      TestSupport.checkGradient(cl.loadClass("p.M"), cl.loadClass("p.MGrad"), "localArrays",
          new Object[] {0.8}, 0);
    }
  }

  /**
   * Minimal form of the localArrays failure: an array variable reassigned with a literal that
   * reads the array's old elements. f(x) = x * 2x, so f'(x) = 4x.
   */
  @Test
  void arrayReassignedFromItsOwnElements() throws Exception {
    String text = HEADER + String.join("\n",
        "public class A {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double[] a = {x, 2 * x};",
        "    a = new double[] {a[0] * a[1], 1.0};",
        "    return a[0];",
        "  }",
        "}",
        "");
    try (URLClassLoader cl = build("reassigned", source("p.A", text))) {
      TestSupport.checkGradient(cl.loadClass("p.A"), cl.loadClass("p.AGrad"), "f", new Object[] {0.8}, 0);
    }
  }

  /** The buffer form overwrites (never accumulates) and a reused buffer gives the same answer. */
  @Test
  void bufferFormIsReusable() throws Exception {
    try (URLClassLoader cl = build("buffer", source("p.M", MIXED))) {
      Class<?> g = cl.loadClass("p.MGrad");
      Class<?> buffer = cl.loadClass("p.MGrad$PolyGradientBuffer");
      Object buf = buffer.getConstructor(double[].class).newInstance((Object) new double[4]);
      Method into = g.getDeclaredMethod("poly", double.class, double[].class, buffer);
      double[] c = {1, -2, 0.5, 3};
      Object record = TestSupport.call(TestSupport.byName(g, "poly", true), 0.7, c);
      for (int round = 0; round < 3; round++) {
        double v = (Double) TestSupport.call(into, 0.7, c, buf);
        assertThat(v).isEqualTo(TestSupport.component(record, "value"));
        assertThat(buffer.getField("x").getDouble(buf))
            .isEqualTo(TestSupport.component(record, "x"));
        assertThat((double[]) buffer.getField("c").get(buf))
            .usingExactEquality().containsExactly((double[]) TestSupport.component(record, "c"))
            .inOrder();
      }
    }
  }

  /**
   * Less common supported constructs together: static import of Math, matrix literal, an array
   * variable switched between two parameters, labelled continue, long/int casts and rounding,
   * constants, double negation.
   */
  private static final String ODD = String.join("\n",
      "package p;",
      "",
      "import static java.lang.Math.exp;",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;",
      "",
      "public class O {",
      "  @Differentiable",
      "  static double odd(double x, double[] w, double[] v, @NoGrad int[] idx) {",
      "    double[][] m = {{x}, {1, 2 * x}};",
      "    double[] pick = v;",
      "    if (x > 0) {",
      "      pick = w;",
      "    }",
      "    double s = pick[idx[0]] * m[1][1];",
      "    outer:",
      "    for (int i = 0; i < 3; i++) {",
      "      for (int j = 0; j < 3; j++) {",
      "        if (j > i) {",
      "          continue outer;",
      "        }",
      "        s += w[j] * exp(-x * i);",
      "      }",
      "    }",
      "    long r = Math.round(x * 10);",
      "    int k = (int) (x * 3);",
      "    s *= r + k;",
      "    s += -(-x) * Math.PI + Math.floor(x) + Math.abs(k - 2);",
      "    double[][] z = {{s, x}, {w[0], w[1]}};",
      "    return z[0][0] * z[1][1] + z[0][1];",
      "  }",
      "}",
      "");

  @Test
  void lessCommonConstructsCompileCleanlyAndMatchFiniteDifferences() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all,-processing", "-Werror")
        .compile(source("p.O", ODD));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c)).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp.resolve("odd")))) {
      Class<?> o = cl.loadClass("p.O");
      Class<?> g = cl.loadClass("p.OGrad");
      for (double x : new double[] {0.37, -0.37}) {
        TestSupport.checkGradient(o, g, "odd", new Object[] {x, new double[] {0.5, -1.5, 2.0},
            new double[] {1.25, 0.75, -0.5}, new int[] {1}}, 0, 1, 2);
      }
    }
  }

  /**
   * A matrix literal whose row is an active array variable. Once a compile failure
   * ({@code dw += dz[0];}, double[] += double[]); now the row shares w's storage and its adjoint
   * is w's (RowsAsValuesTest checks the values).
   */
  @Test
  void matrixLiteralWithArrayVariableRow() {
    String text = HEADER + String.join("\n",
        "public class Z {",
        "  @Differentiable",
        "  static double f(double[] w) {",
        "    double[][] z = {w};",
        "    return z[0][0] * z[0][1];",
        "  }",
        "}",
        "");
    Compilation c = TestSupport.compile(source("p.Z", text));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.ZGrad");
    assertThat(generated).contains("dz = new double[][] {dw};");
    assertThat(generated).doesNotContain("dw += dz[0]");
  }


  // ------------------------------------------------------------------ (b) determinism

  @Test
  void generationIsDeterministic() throws IOException {
    Map<String, String> first = generatedSources(TestSupport.compile(source("p.M", MIXED)));
    Map<String, String> second = generatedSources(TestSupport.compile(source("p.M", MIXED)));
    assertThat(first).isNotEmpty();
    assertThat(second.keySet()).isEqualTo(first.keySet());
    for (String name : first.keySet()) {
      assertWithMessage("generated %s differs between two compilations", name)
          .that(second.get(name)).isEqualTo(first.get(name));
    }
  }

  private static Map<String, String> generatedSources(Compilation c) throws IOException {
    TestSupport.assertNoCrash(c);
    assertThat(c).succeeded();
    Map<String, String> out = new TreeMap<>();
    for (JavaFileObject f : c.generatedSourceFiles()) {
      out.put(f.toUri().toString(), f.getCharContent(true).toString());
    }
    return out;
  }

  // ------------------------------------------------------------------ (c) user identifiers

  /** User locals and parameters named like the generated ones. */
  private static final String NAMES = HEADER + String.join("\n",
      "public class N {",
      "  @Differentiable",
      "  static double names(double x, double[] w) {",
      "    double tape = x * 2;",
      "    double dValue = tape + 1;",
      "    double value2 = dValue * x;",
      "    double dw = w[0] * value2;",
      "    double dX = dw + x;",
      "    double forward = dX * dX;",
      "    int exit = 0;",
      "    int iCount = 3;",
      "    double grad = forward;",
      "    double dx = grad * 0.5;",
      "    double[] dW = {dx, x};",
      "    for (int i = 0; i < iCount; i++) {",
      "      exit += i;",
      "      dx = dx * x + dW[1];",
      "    }",
      "    double[] tmp = new double[2];",
      "    tmp[0] = dx * w[1] + exit;",
      "    double dTmp = tmp[0];",
      "    double xIndex = dTmp + 1;",
      "    return tmp[0] + dx * xIndex;",
      "  }",
      "",
      "  @Differentiable",
      "  static double params(double tape, double grad, double[] dValue, @NoGrad double value) {",
      "    return tape * grad * dValue[0] + value * dValue[1];",
      "  }",
      "",
      "  @Differentiable",
      "  static double loops(double[] x) {",
      "    double s = 0;",
      "    int xIndex = 0;",
      "    double[] xArray = x;",
      "    for (double v : x) {",
      "      s += v * xArray[xIndex];",
      "      xIndex++;",
      "    }",
      "    int vIndex = 1;",
      "    return s * vIndex;",
      "  }",
      "}",
      "");

  @Test
  void userIdentifiersLikeGeneratedOnesCompile() {
    Compilation c = TestSupport.compiler("-Xlint:all,-processing", "-Werror")
        .compile(source("p.N", NAMES));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s\n\ngenerated:\n%s", TestSupport.describe(c),
        TestSupport.generatedSource(c, "p.NGrad")).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
  }

  @Test
  void userIdentifiersLikeGeneratedOnesGiveCorrectGradients() throws Exception {
    try (URLClassLoader cl = build("names", source("p.N", NAMES))) {
      Class<?> n = cl.loadClass("p.N");
      Class<?> g = cl.loadClass("p.NGrad");
      TestSupport.checkGradient(n, g, "names", new Object[] {0.3, new double[] {0.7, -1.1}}, 0, 1);
      TestSupport.checkGradient(n, g, "params", new Object[] {0.3, 1.7, new double[] {0.7, -1.1}, 2.5},
          0, 1, 2);
      TestSupport.checkGradient(n, g, "loops", new Object[] {new double[] {0.7, -1.1, 2.0}}, 0);
    }
  }

  /**
   * A local named like a class the generated code refers to by simple name. Java allows it in
   * the user's method, since the local is only in scope in its block; the generated method must
   * still compile.
   */
  private void shadowing(String className, String body) throws Exception {
    String text = HEADER + "public class S {\n  @Differentiable\n  static double f(double x) {\n"
        + body + "\n  }\n}\n";
    Compilation c = TestSupport.compile(source("p.S", text));
    TestSupport.assertNoCrash(c);
    assertWithMessage("a local named %s; diagnostics:\n%s\n\ngenerated:\n%s", className,
        TestSupport.describe(c), TestSupport.generatedSource(c, "p.SGrad")).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp.resolve(
        "shadow" + className)))) {
      TestSupport.checkGradient(cl.loadClass("p.S"), cl.loadClass("p.SGrad"), "f", new Object[] {0.6}, 0);
    }
  }

  @Test
  void localNamedMathInInnerBlock() throws Exception {
    shadowing("Math", String.join("\n",
        "    double y = Math.exp(x);",
        "    {",
        "      double Math = y * 2;",
        "      y = Math * x;",
        "    }",
        "    return y;"));
  }

  @Test
  void localNamedMathWithoutMathCalls() throws Exception {
    shadowing("MathOnly", String.join("\n",
        "    double Math = x * 2;",
        "    return Math * x;"));
  }

  @Test
  void localNamedDoubleInInnerBlock() throws Exception {
    shadowing("Double", String.join("\n",
        "    double y = x > 0 ? x : Double.MIN_VALUE;",
        "    {",
        "      double Double = y * 2;",
        "      y = Double * x;",
        "    }",
        "    return y;"));
  }

  @Test
  void localNamedGradients() throws Exception {
    shadowing("Gradients", String.join("\n",
        "    double Gradients = x * 3;",
        "    double[] a = new double[2];",
        "    a[0] = Gradients * x;",
        "    return a[0];"));
  }

  @Test
  void localNamedTape() throws Exception {
    shadowing("Tape", String.join("\n",
        "    double Tape = x * 3;",
        "    double y = 0;",
        "    for (int i = 0; i < 3; i++) {",
        "      y = y * Tape + x;",
        "    }",
        "    return y;"));
  }

  /**
   * Differentiable parameters become record components; names a record forbids (toString,
   * hashCode, ...) must either be rejected with a diagnostic on the parameter or be renamed in the
   * generated record, never produce a generated file that does not compile.
   */
  @Test
  void parameterNamesThatRecordsForbid() {
    String text = HEADER + String.join("\n",
        "public class R {",
        "  @Differentiable",
        "  static double f(double toString, double hashCode) {",
        "    return toString * hashCode;",
        "  }",
        "}",
        "");
    Compilation c = TestSupport.compile(source("p.R", text));
    TestSupport.assertNoCrash(c);
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      String file = d.getSource() == null ? "" : d.getSource().toUri().toString();
      assertWithMessage("error in generated code instead of a diagnostic on the user's method:"
          + " %s", d.getMessage(Locale.ROOT)).that(file).doesNotContain("RGrad");
    }
  }

  // ------------------------------------------------------------------ (d) separate compilation

  private static final String LIBRARY = String.join("\n",
      "package lib;",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;",
      "",
      "public class Lib {",
      "  @Differentiable",
      "  public static double sq(double[] v, @NoGrad double s) {",
      "    double t = 0;",
      "    for (int i = 0; i < v.length; i++) {",
      "      t += s * v[i] * v[i];",
      "    }",
      "    return t;",
      "  }",
      "",
      "  @Differentiable",
      "  public static double cube(double x) {",
      "    return x * x * x;",
      "  }",
      "}",
      "");

  private static final String CALLER = String.join("\n",
      "package app;",
      "",
      "import dev.gradgen.Differentiable;",
      "import lib.Lib;",
      "",
      "public class App {",
      "  @Differentiable",
      "  static double f(double x, double[] w) {",
      "    double a = Lib.sq(w, 2.0) * x;",
      "    double[] u = new double[w.length];",
      "    for (int i = 0; i < w.length; i++) {",
      "      u[i] = w[i] * x;",
      "    }",
      "    return a + Lib.cube(x + w[0]) + Lib.sq(u, 0.5);",
      "  }",
      "}",
      "");

  @Test
  void callsIntoSeparatelyCompiledLibrary() throws Exception {
    Compilation lib = TestSupport.compile(source("lib.Lib", LIBRARY));
    TestSupport.assertNoCrash(lib);
    assertThat(lib).succeeded();
    Path libDir = TestSupport.writeClasses(lib, temp.resolve("lib"));
    assertThat(Files.exists(libDir.resolve("lib/LibGrad.class"))).isTrue();

    Compilation app = TestSupport.compiler()
        .withClasspath(List.of(libDir.toFile(), TestSupport.runtimeLocation()))
        .compile(source("app.App", CALLER));
    TestSupport.assertNoCrash(app);
    assertWithMessage("diagnostics:\n%s\n\ngenerated:\n%s", TestSupport.describe(app),
        TestSupport.generatedSource(app, "app.AppGrad")).that(app.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    Path appDir = TestSupport.writeClasses(app, temp.resolve("app"));
    try (URLClassLoader cl = TestSupport.loader(appDir, libDir)) {
      TestSupport.checkGradient(cl.loadClass("app.App"), cl.loadClass("app.AppGrad"), "f",
          new Object[] {0.9, new double[] {0.4, -1.2, 2.0}}, 0, 1);
    }
  }

  /**
   * An active value passed to a @NoGrad parameter of a differentiable callee: the result must be
   * either a compile error at the call, or a correct gradient. A silently wrong gradient (the
   * callee's dependence on that parameter dropped) is the one unacceptable outcome.
   */
  @Test
  void activeArgumentToNoGradParameterIsNeverSilentlyWrong() throws Exception {
    String text = HEADER + String.join("\n",
        "public class G {",
        "  @Differentiable",
        "  static double g(double a, @NoGrad double b) {",
        "    return a * b;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return g(x, x);",
        "  }",
        "}",
        "");
    Compilation c = TestSupport.compile(source("p.G", text));
    TestSupport.assertNoCrash(c);
    if (c.status() == Compilation.Status.FAILURE) {
      assertThat(c).hadErrorContaining("b");
      return;
    }
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp.resolve("g")))) {
      TestSupport.checkGradient(cl.loadClass("p.G"), cl.loadClass("p.GGrad"), "f", new Object[] {1.5}, 0);
    }
  }

  // ------------------------------------------------------------------ (e) nested classes

  @Test
  void nestedClassGeneratesUnderscoreName() throws Exception {
    String text = HEADER + String.join("\n",
        "public class Outer {",
        "  @Differentiable",
        "  static double top(double x) {",
        "    return Inner.f(x) * 2;",
        "  }",
        "",
        "  static class Inner {",
        "    @Differentiable",
        "    static double f(double x) {",
        "      return Math.sin(x) * x;",
        "    }",
        "",
        "    static class Deeper {",
        "      @Differentiable",
        "      static double g(double[] v) {",
        "        return v[0] * v[1];",
        "      }",
        "    }",
        "  }",
        "}",
        "");
    Compilation c = TestSupport.compiler("-Xlint:all,-processing", "-Werror")
        .compile(source("p.Outer", text));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c)).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    assertThat(c).generatedSourceFile("p.Outer_InnerGrad");
    assertThat(c).generatedSourceFile("p.Outer_Inner_DeeperGrad");
    assertThat(c).generatedSourceFile("p.OuterGrad");
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c,
        temp.resolve("nested")))) {
      TestSupport.checkGradient(cl.loadClass("p.Outer$Inner"), cl.loadClass("p.Outer_InnerGrad"), "f",
          new Object[] {0.7}, 0);
      TestSupport.checkGradient(cl.loadClass("p.Outer$Inner$Deeper"), cl.loadClass("p.Outer_Inner_DeeperGrad"),
          "g", new Object[] {new double[] {0.7, -0.3}}, 0);
      TestSupport.checkGradient(cl.loadClass("p.Outer"), cl.loadClass("p.OuterGrad"), "top",
          new Object[] {0.7}, 0);
    }
  }

  /** Sanity check of the helper itself, so a failure above is not blamed on the harness. */
  @Test
  void runtimeIsOnTheCompileClasspath() {
    File runtime = TestSupport.runtimeLocation();
    assertThat(runtime.exists()).isTrue();
  }
}
