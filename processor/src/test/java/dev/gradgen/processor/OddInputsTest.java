package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odd but possible inputs (project issue 3, "bad inputs") that {@link DiagnosticsTest} and
 * {@link GeneratedCodeTest} do not cover: labelled jumps, shadowing, unreachable code, integer
 * division, {@code @Differentiable} on constructors / interface / record / enum methods, unicode
 * identifiers and escapes, comments that look like code.
 *
 * <p>Supported inputs are checked numerically against central finite differences. Rejected inputs
 * must fail with the stated message on exactly the line marked {@code // <- error}, with exactly
 * one error (no follow-on or duplicate diagnostics) and no processor crash. Where javac itself
 * rejects the input, the processor must add nothing on top of javac's error.
 */
class OddInputsTest {
  private static final String MARKER = "// <- error";

  @TempDir
  Path temp;

  private static final String[] HEADER = {
    "package p;",
    "",
    "import dev.gradgen.Differentiable;",
    "import dev.gradgen.NoGrad;",
    "",
  };

  private static String[] source(String... body) {
    String[] all = new String[HEADER.length + body.length];
    System.arraycopy(HEADER, 0, all, 0, HEADER.length);
    System.arraycopy(body, 0, all, HEADER.length, body.length);
    return all;
  }

  private static int markedLine(String... lines) {
    int line = 0;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(MARKER)) {
        assertWithMessage("test source has two %s markers", MARKER).that(line).isEqualTo(0);
        line = i + 1;
      }
    }
    assertWithMessage("test source has no %s marker", MARKER).that(line).isGreaterThan(0);
    return line;
  }

  /**
   * Compiles {@code p.T}; asserts failure, no crash, and exactly one error, containing
   * {@code message}, on the marked line.
   */
  private static Compilation expectSingleError(String message, String... lines) {
    return TestSupport.expectError(message, true, lines);
  }

  /** Compiles, asserts success without crash, writes the class files, returns a loader. */
  private URLClassLoader build(String dirName, String... lines) throws Exception {
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.T", lines));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s\n\ngenerated:\n%s", TestSupport.describe(c),
        TestSupport.generatedSource(c, "p.TGrad")).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    return TestSupport.loader(TestSupport.writeClasses(c, temp.resolve(dirName)));
  }

  /**
   * Checks the generated gradient of a method whose parameters are all {@code double} against its
   * value and central finite differences of the original, at {@code x}. Every parameter is
   * differentiable: the record has one component per parameter, named like it, after value.
   */
  static void checkScalarGradient(Class<?> owner, Class<?> gradClass, String method, double... x)
      throws Exception {
    Method original = TestSupport.byName(owner, method, false);
    Method gradient = TestSupport.byName(gradClass, method, true);
    Object[] args = Arrays.stream(x).boxed().toArray();
    Object record = TestSupport.call(gradient, args);
    double expectedValue = (Double) TestSupport.call(original, args);
    RecordComponent[] components = record.getClass().getRecordComponents();
    assertThat(components[0].getName()).isEqualTo("value");
    components[0].getAccessor().setAccessible(true);
    assertWithMessage("%s value", method).that((Double) components[0].getAccessor().invoke(record))
        .isWithin(1e-12 * Math.max(1, Math.abs(expectedValue))).of(expectedValue);
    assertWithMessage("%s record components", method).that(components.length - 1)
        .isEqualTo(x.length);
    double[] got = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      components[k + 1].getAccessor().setAccessible(true);
      got[k] = (Double) components[k + 1].getAccessor().invoke(record);
    }
    double[] fd = TestSupport.finiteDifferences(
        point -> (Double) TestSupport.call(original, Arrays.stream(point).boxed().toArray()), x);
    TestSupport.assertClose(method + " gradient at " + Arrays.toString(x), fd, got);
  }

  // ------------------------------------------------------------------ labelled break / continue

  private static final String[] LABELLED = source(
      "public class T {",
      "  @Differentiable",
      "  static double f(double x) {",
      "    double s = 0;",
      "    outer:",
      "    for (int i = 0; i < 5; i++) {",
      "      inner:",
      "      for (int j = 0; j < 5; j++) {",
      "        if (j > i) {",
      "          continue outer;",
      "        }",
      "        if (s > 3 + i) {",
      "          break outer;",
      "        }",
      "        if (j == 2) {",
      "          continue inner;",
      "        }",
      "        s += x * (j + 1) + Math.sin(s);",
      "      }",
      "    }",
      "    int k = 0;",
      "    loop:",
      "    while (k < 10) {",
      "      k++;",
      "      do {",
      "        s = s * 1.1;",
      "        if (s > 50) {",
      "          break loop;",
      "        }",
      "      } while (s < 2);",
      "      if (k % 3 == 0) {",
      "        continue loop;",
      "      }",
      "      s += x;",
      "    }",
      "    return s;",
      "  }",
      "",
      "  @Differentiable",
      "  static double rows(double x, double y) {",
      "    double[][] m = {{1, -2, 3}, {4, 5, 6}, {0.5, 7, -1}, {2, 2, 2}};",
      "    double s = 0;",
      "    rows:",
      "    for (double[] r : m) {",
      "      for (double v : r) {",
      "        if (v < 0) {",
      "          continue rows;",
      "        }",
      "        if (v * x > 6) {",
      "          break rows;",
      "        }",
      "        s += v * x * y;",
      "      }",
      "      s = s * y;",
      "    }",
      "    return s;",
      "  }",
      "}");

  /** Labelled break/continue out of nested for, enhanced for, while and do/while. */
  @Test
  void labelledBreakAndContinueMatchFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("labelled", LABELLED)) {
      Class<?> t = cl.loadClass("p.T");
      Class<?> g = cl.loadClass("p.TGrad");
      // Chosen so that every exit is taken at some point and no branch flips within h.
      for (double x : new double[] {0.3, 0.7, 1.3, 2.9}) {
        checkScalarGradient(t, g, "f", x);
      }
      for (double x : new double[] {0.4, 1.1, 1.7}) {
        checkScalarGradient(t, g, "rows", x, 0.9);
      }
    }
  }

  // ------------------------------------------------------------------ shadowing

  /** A local in a nested block shadows a constant field; after the block the name is the field. */
  @Test
  void localInNestedBlockShadowingFieldMatchesFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("shadowField", source(
        "public class T {",
        "  static final double K = 3.0;",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double y = x * K;",
        "    {",
        "      double K = x * x;",
        "      y = y + K;",
        "    }",
        "    for (int i = 0; i < 2; i++) {",
        "      double K = y * 0.5;",
        "      y = y + K * x;",
        "    }",
        "    return y * K;",
        "  }",
        "}"))) {
      Class<?> t = cl.loadClass("p.T");
      checkScalarGradient(t, cl.loadClass("p.TGrad"), "f", 0.7);
      checkScalarGradient(t, cl.loadClass("p.TGrad"), "f", -1.3);
    }
  }

  /**
   * A local shadows a non-final static field inside a block only: the use after the block is the
   * field, which must be reported there (and only there: the uses inside the block are fine).
   */
  @Test
  void useOfNonFinalFieldAfterShadowingBlockIsReported() {
    expectSingleError("static field 'S' is not final", source(
        "public class T {",
        "  static double S = 2;",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double y = x;",
        "    {",
        "      double S = x * 3;",
        "      y = y * S;",
        "    }",
        "    return y * S; // <- error",
        "  }",
        "}"));
  }

  /** A local named like the differentiable method it calls (methods and variables do not clash). */
  @Test
  void localNamedLikeCalledMethodMatchesFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("localNamedLikeMethod", source(
        "public class T {",
        "  @Differentiable",
        "  static double g(double v) {",
        "    return v * v;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double g = 2 * x;",
        "    double f = g(x) * g + g(g);",
        "    return f;",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.7);
    }
  }

  /**
   * A block's temporary and a loop's generated local want one name: the callee {@code count}
   * gives the block {@code dCount}, the loop counter {@code d} gives the trip count {@code
   * dCount}. The loop's takes another name (found in review; "variable dCount is already
   * defined" before).
   */
  @Test
  void blockTemporaryAndLoopLocalWantingOneNameMatchFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("blockAndLoopNames", source(
        "public class T {",
        "  @Differentiable",
        "  static double count(double v) {",
        "    return v * v + 1;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double s = x;",
        "    for (int d = 0; d < 3 && s < 100; d++) {",
        "      s = s + 2 * count(s * x);",
        "    }",
        "    return s;",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.7);
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", -0.4);
    }
  }

  /**
   * Char literals that a unicode escape would break ({@code '\n'}, {@code '\''}, {@code '\\'})
   * print as Java escapes: javac decodes unicode escapes before it reads a literal (found in
   * review).
   */
  @Test
  void charLiteralsThatUnicodeEscapesWouldBreakMatchFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("charLiterals", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return (x * '\\n' + 1) * x + x * '\\'' - x * '\\\\' + x * '\\r' + x * '\\t';",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.7);
    }
  }

  /**
   * Sibling blocks and loop bodies reuse one name with different types (double, int, long,
   * double[]), and finally a method-level boolean of the same name after them.
   */
  @Test
  void siblingScopesReusingNameWithDifferentTypesMatchFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("siblings", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double y = x;",
        "    {",
        "      double t = x * 2;",
        "      y = y * t;",
        "    }",
        "    {",
        "      int t = 3;",
        "      for (int i = 0; i < t; i++) {",
        "        y = y + x / t;",
        "      }",
        "    }",
        "    {",
        "      long t = 4L;",
        "      y = y * t;",
        "    }",
        "    for (int i = 0; i < 2; i++) {",
        "      double[] t = {y, x};",
        "      y = t[0] * t[1];",
        "    }",
        "    for (int i = 0; i < 2; i++) {",
        "      double t = y * 0.5;",
        "      y = t + x;",
        "    }",
        "    boolean t = y > 1;",
        "    return t ? y : -y;",
        "  }",
        "}"))) {
      Class<?> t = cl.loadClass("p.T");
      for (double x : new double[] {0.3, 0.8, 1.7, -0.6}) {
        checkScalarGradient(t, cl.loadClass("p.TGrad"), "f", x);
      }
    }
  }

  // ------------------------------------------------------------------ unreachable code

  /** javac's own error; the processor must neither crash nor add a second error. */
  @Test
  void statementAfterReturnIsOnlyJavacsError() {
    expectSingleError("unreachable statement", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double y = x * 2;",
        "    return y;",
        "    y = y * 3; // <- error",
        "  }",
        "}"));
  }

  @Test
  void statementAfterInfiniteLoopIsOnlyJavacsError() {
    expectSingleError("unreachable statement", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    while (true) {",
        "      x = x * 2;",
        "    }",
        "    return x; // <- error",
        "  }",
        "}"));
  }

  @Test
  void statementAfterBreakIsOnlyJavacsError() {
    expectSingleError("unreachable statement", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    for (int i = 0; i < 3; i++) {",
        "      break;",
        "      x = x * 2; // <- error",
        "    }",
        "    return x;",
        "  }",
        "}"));
  }

  // ------------------------------------------------------------------ integer division

  /** 1 / 2 is the int 0 and 3 / 2 the int 1: f = 0*x + x*1 + (x/2)*3, so f' = 2.5 exactly. */
  @Test
  void integerDivisionInDoubleExpression() throws Exception {
    try (URLClassLoader cl = build("intDiv", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return 1 / 2 * x + x * (3 / 2) + (x / 2) * (7 / 2);",
        "  }",
        "}"))) {
      Class<?> t = cl.loadClass("p.T");
      Class<?> g = cl.loadClass("p.TGrad");
      checkScalarGradient(t, g, "f", 0.9);
      Object record = TestSupport.call(TestSupport.byName(g, "f", true), 0.9);
      assertThat((Double) TestSupport.component(record, "x")).isWithin(1e-12).of(2.5);
    }
  }

  // ------------------------------------------------------------------ float, generic, varargs

  @Test
  void noGradVarargs() {
    expectSingleError("varargs @Differentiable methods are not supported", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double w, @NoGrad int... n) { // <- error",
        "    return w * n.length;",
        "  }",
        "}"));
  }

  /** A static method of a generic class is not generic itself: supported. */
  @Test
  void staticMethodOfGenericClass() throws Exception {
    try (URLClassLoader cl = build("genericClass", source(
        "public class T<E extends Comparable<E>> {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return Math.exp(x) * x;",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.4);
    }
  }

  // ------------------------------------------------------------------ where the annotation is

  /** javac rejects the annotation on a constructor (@Target); exactly its error, nothing more. */
  @Test
  void constructorIsOnlyJavacsError() {
    expectSingleError("not applicable to this kind of declaration", source(
        "public class T {",
        "  @Differentiable // <- error",
        "  T(double x) {",
        "  }",
        "}"));
  }

  /** The same next to a valid @Differentiable method. */
  @Test
  void constructorNextToValidMethodIsOnlyJavacsError() {
    expectSingleError("not applicable to this kind of declaration", source(
        "public class T {",
        "  @Differentiable // <- error",
        "  T() {",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return x * x;",
        "  }",
        "}"));
  }

  /**
   * A static interface method without a body is javac's "missing method body" error. The
   * processor's error hides javac's (javac does not attribute after a processor error), so the
   * processor's message must itself say what is wrong: the documented "need a body to
   * differentiate" (as for abstract methods), or nothing so that javac's error shows. "gradgen
   * cannot see the body of this method" reads like a tool limitation and is wrong here.
   */
  @Test
  void staticInterfaceMethodWithoutBody() {
    String[] lines = source(
        "public interface T {",
        "  @Differentiable",
        "  static double f(double x); // <- error",
        "}");
    int line = markedLine(lines);
    JavaFileObject file = JavaFileObjects.forSourceLines("p.T", lines);
    Compilation c = TestSupport.compile(file);
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c)).that(c.errors()).hasSize(1);
    Diagnostic<? extends JavaFileObject> d = c.errors().get(0);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c)).that(d.getLineNumber())
        .isEqualTo((long) line);
    String m = d.getMessage(Locale.ROOT);
    assertWithMessage("want javac's 'missing method body' or gradgen's 'need a body to"
        + " differentiate'; diagnostics:\n%s", TestSupport.describe(c))
        .that(m.contains("missing method body") || m.contains("need a body to differentiate"))
        .isTrue();
  }

  @Test
  void defaultInterfaceMethod() {
    // An instance method that implementations may override: the generated code would
    // differentiate this body while the original runs the override.
    expectSingleError("a @Differentiable instance method must be final", source(
        "public interface T {",
        "  @Differentiable",
        "  default double f(double x) { // <- error",
        "    return x * x;",
        "  }",
        "}"));
  }

  @Test
  void staticInterfaceMethodWithBody() throws Exception {
    try (URLClassLoader cl = build("interfaceStatic", source(
        "public interface T {",
        "  @Differentiable",
        "  static double f(double x, double y) {",
        "    double s = 0;",
        "    for (int i = 1; i <= 3; i++) {",
        "      s += Math.pow(x, i) * y;",
        "    }",
        "    return s;",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.7, -1.2);
    }
  }

  @Test
  void recordStaticMethod() throws Exception {
    try (URLClassLoader cl = build("record", source(
        "public record T(double a, double b) {",
        "  static final double C = 1.5;",
        "",
        "  @Differentiable",
        "  static double f(double a, double b) {",
        "    return a * b * C + Math.log(a);",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.7, -1.2);
    }
  }

  @Test
  void enumStaticMethod() throws Exception {
    try (URLClassLoader cl = build("enum", source(
        "public enum T {",
        "  A, B;",
        "",
        "  static final double C = 0.25;",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return Math.sin(x) * x + C;",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.7);
    }
  }

  // ------------------------------------------------------------------ identifiers and comments

  /**
   * Non-ASCII identifiers: adjoint names are made from them (dλ, dΛ2, d𝑥 with a supplementary
   * character, dß, d_a, d$b), including names that already look like adjoints (dλ next to λ).
   */
  @Test
  void unicodeIdentifiersMatchFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("unicode", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double λ, double ŵ) {",
        "    double λ2 = λ * ŵ;",
        "    double Λ2 = λ2 * λ2 + λ;",
        "    double dΛ2 = Λ2 * ŵ;",
        "    return dΛ2 + λ2;",
        "  }",
        "",
        "  @Differentiable",
        "  static double g(double 𝑥, double ß, double _a, double $b, double dλ, double λ) {",
        "    double Λ = λ * 𝑥;",
        "    double dΛ = Λ * ß + _a * $b;",
        "    double ǆ = dΛ * dλ;",
        "    for (int ι = 0; ι < 2; ι++) {",
        "      ǆ = ǆ * Λ + ß;",
        "    }",
        "    return ǆ * ǆ + Λ;",
        "  }",
        "}"))) {
      Class<?> t = cl.loadClass("p.T");
      Class<?> g = cl.loadClass("p.TGrad");
      checkScalarGradient(t, g, "f", 0.7, -1.1);
      checkScalarGradient(t, g, "g", 0.7, -1.1, 0.3, 1.9, 0.45, -0.8);
      Class<?> record = cl.loadClass("p.TGrad$GGradient");
      assertThat(Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
          .toArray()).asList().containsExactly("value", "𝑥", "ß", "_a", "$b", "dλ", "λ")
          .inOrder();
    }
  }

  /** Unicode escapes in identifiers (\u0041b is Ab, \u03bb is λ) and in the source text. */
  @Test
  void unicodeEscapesInIdentifiersMatchFiniteDifferences() throws Exception {
    try (URLClassLoader cl = build("escapes", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double \\u03bb, double x) {",
        "    double \\u0041b = λ * x + \\u03bb;",
        "    double c = A\\u0062 * Ab;",
        "    return c * \\u0078;",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.7, -1.3);
    }
  }

  /**
   * Comments inside and after statements that contain comment terminators, quotes and escapes:
   * gradgen copies statement text into comments of the generated code, which must still compile.
   */
  @Test
  void commentsContainingTerminatorsAndStringLikeText() throws Exception {
    try (URLClassLoader cl = build("comments", source(
        "public class T {",
        "  /** Returns \"*\\/\" and {@code x * 2} /* not nested. */",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double a = x /* has \"quotes\", // slashes and \\u0041 */ * 2; // trailing */ \"text",
        "    /* a comment with // inside and \"a string */ double b = a * a; // */ \"not a string",
        "    double c = b // line comment with */ and \"",
        "        * x; /* \\\\u002a/ ends? no */",
        "    return c + a; // \"\\n\" '\\''",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "f", 0.7);
    }
  }

  /** Contextual keywords as names: a method named var; parameters and locals record, var, yield. */
  @Test
  void contextualKeywordsAsNames() throws Exception {
    try (URLClassLoader cl = build("keywords", source(
        "public class T {",
        "  @Differentiable",
        "  static double var(double record, double sealed) {",
        "    var var = record * 2;",
        "    double yield = var * record + sealed;",
        "    double permits = yield * sealed;",
        "    return permits;",
        "  }",
        "}"))) {
      checkScalarGradient(cl.loadClass("p.T"), cl.loadClass("p.TGrad"), "var", 0.7, 1.4);
    }
  }

  /** No differentiable parameter at all: the record has only the value. */
  @Test
  void noDifferentiableParameters() throws Exception {
    try (URLClassLoader cl = build("noParams", source(
        "public class T {",
        "  @Differentiable",
        "  static double none() {",
        "    return 2.0;",
        "  }",
        "",
        "  @Differentiable",
        "  static double allNoGrad(@NoGrad double a, @NoGrad int n) {",
        "    return a * n;",
        "  }",
        "}"))) {
      Class<?> g = cl.loadClass("p.TGrad");
      Object none = TestSupport.call(TestSupport.byName(g, "none", true));
      assertThat(none.getClass().getRecordComponents()).hasLength(1);
      assertThat((Double) TestSupport.component(none, "value")).isEqualTo(2.0);
      Object all = TestSupport.call(TestSupport.byName(g, "allNoGrad", true), 1.5, 3);
      assertThat(all.getClass().getRecordComponents()).hasLength(1);
      assertThat((Double) TestSupport.component(all, "value")).isEqualTo(4.5);
    }
  }
}
