package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per construct outside gradgen's subset: compilation fails with the documented message
 * on exactly the offending line (the source line marked {@code // <- error}), and no processor
 * exception ever reaches javac (no "threw an uncaught exception", no "internal error").
 */
class DiagnosticsTest {
  /** Compiles {@code p.T}; asserts failure, no crash, and {@code message} on the marked line. */
  private static Compilation expectError(String message, String... lines) {
    return TestSupport.expectError(message, false, lines);
  }

  private static String[] source(String... body) {
    String[] all = new String[HEADER.length + body.length];
    System.arraycopy(HEADER, 0, all, 0, HEADER.length);
    System.arraycopy(body, 0, all, HEADER.length, body.length);
    return all;
  }

  private static final String[] HEADER = {
    "package p;",
    "",
    "import dev.gradgen.Differentiable;",
    "import dev.gradgen.NoGrad;",
    "",
  };

  @Test
  void callWithoutDerivative() {
    expectError("'T.helper' has no derivative but is called with values that depend on differentiable parameters; annotate it with @Differentiable",
        source(
            "public class T {",
            "  static double helper(double v) {",
            "    return v * 2;",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    double y = 1.0",
            "        + helper(x); // <- error",
            "    return y;",
            "  }",
            "}"));
  }

  /** Defect 5 of issue 10: a rule-like method that does not fit is named, not ignored. */
  @Test
  void customRuleWithWrongSignature() {
    Compilation c = expectError("'T.softclip' is called with values that depend on"
        + " differentiable parameters and has no usable derivative: its class has"
        + " softclipBackward(double x, double c), but that is not a custom rule of softclip: it"
        + " takes 2 parameters, not 4; a custom rule of softclip(double x, double c) is static"
        + " double[] softclipBackward(double x, double c, double result, double dResult),"
        + " returning the adjoints of x, c in a double[] in that order",
        source(
            "public class T {",
            "  static double softclip(double x, double c) {",
            "    return c * Math.tanh(x / c);",
            "  }",
            "",
            "  static double softclipBackward(double x, double c) {",
            "    return 0;",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    return softclip(x, 2.0); // <- error",
            "  }",
            "}"));
    assertThat(c).hadNoteContaining("this is the method gradgen took for a custom rule of"
        + " softclip and could not use").inFile(c.sourceFiles().get(0)).onLine(11);
  }

  @Test
  void customRuleNotStatic() {
    expectError("its class has squareBackward(double x, double result, double dResult), but"
        + " that is not a custom rule of square: it is not static; a custom rule of"
        + " square(double x) is static double squareBackward(double x, double result, double"
        + " dResult), returning the adjoint of x",
        source(
            "public class T {",
            "  static double square(double x) {",
            "    return x * x;",
            "  }",
            "",
            "  double squareBackward(double x, double result, double dResult) {",
            "    return 2 * x * dResult;",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    double y = x + 1;",
            "    return square(y); // <- error",
            "  }",
            "}"));
  }

  @Test
  void customRuleWithWrongAccumulatorType() {
    expectError("parameter 4 is double[][], not double[]; a custom rule of scale(double[] a)"
        + " is static void scaleBackward(double[] a, double[] result, double[] dResult,"
        + " double[] da)",
        source(
            "public class T {",
            "  static double[] scale(double[] a) {",
            "    return a;",
            "  }",
            "",
            "  static void scaleBackward(double[] a, double[] result, double[] dResult,",
            "      double[][] da) {",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double[] w) {",
            "    double[] v = scale(w); // <- error",
            "    return v[0];",
            "  }",
            "}"));
  }

  @Test
  void mathRandom() {
    expectError("Math.random() is not supported: a @Differentiable method must give the same value",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    return x",
            "        * Math.random(); // <- error",
            "  }",
            "}"));
  }

  @Test
  void tryCatch() {
    expectError("try/catch is not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    double y = x;",
            "    try { // <- error",
            "      y = x * x;",
            "    } catch (RuntimeException e) {",
            "      y = 0;",
            "    }",
            "    return y;",
            "  }",
            "}"));
  }

  @Test
  void throwStatement() {
    expectError("throw is not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    if (x < 0) {",
            "      throw new IllegalArgumentException(); // <- error",
            "    }",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void lambda() {
    expectError("lambdas are not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    java.util.function.DoubleUnaryOperator g =",
            "        v -> v * 2; // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void methodReference() {
    expectError("method references are not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    java.util.function.DoubleUnaryOperator g =",
            "        Math::exp; // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void switchOnADouble() {
    expectError("switch needs an int, char, String or enum selector",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    double y = x;",
            "    switch (x) { // <- error",
            "      default:",
            "        y = 3 * x;",
            "    }",
            "    return y;",
            "  }",
            "}"));
  }

  @Test
  void switchOnACallsResult() {
    expectError("switch on a call's result is not supported; pass the value as a parameter",
        source(
            "public class T {",
            "  static String name(int n) {",
            "    return n > 0 ? \"a\" : \"b\";",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x, int n) {",
            "    double y =",
            "        switch (name(n)) { // <- error",
            "          case \"a\" -> 2 * x;",
            "          default -> 3 * x;",
            "        };",
            "    return y;",
            "  }",
            "}"));
  }

  @Test
  void switchExpressionOfArrays() {
    expectError("a switch expression must give numbers or booleans",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double[] v, double[] w, int n) {",
            "    return dev.gradgen.Ops.sum(",
            "        switch (n) { // <- error",
            "          case 1 -> v;",
            "          default -> w;",
            "        });",
            "  }",
            "}"));
  }

  @Test
  void newObject() {
    expectError("creating objects is not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    Object o = new Object(); // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void newStringBuilder() {
    expectError("creating objects is not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    StringBuilder sb =",
            "        new StringBuilder(); // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void methodCallOnNewObject() {
    expectError("is not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    int n = new StringBuilder().length(); // <- error",
            "    return x * n;",
            "  }",
            "}"));
  }

  @Test
  void reassignParameterArray() {
    expectError("parameter array 'w' cannot be reassigned",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double[] w) {",
            "    w = new double[3]; // <- error",
            "    return w[0];",
            "  }",
            "}"));
  }

  @Test
  void instanceField() {
    expectError("instance field 'scale' cannot be used in a static @Differentiable method",
        source(
            "public class T {",
            "  double scale = 2;",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    return x * scale; // <- error",
            "  }",
            "}"));
  }

  @Test
  void nonFinalStaticField() {
    expectError("static field 'scale' is not final",
        source(
            "public class T {",
            "  static double scale = 2;",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    double y = x;",
            "    return y * T.scale; // <- error",
            "  }",
            "}"));
  }

  @Test
  void abstractMethod() {
    expectError("@Differentiable methods need a body to differentiate",
        source(
            "public abstract class T {",
            "  @Differentiable",
            "  abstract double f(double x); // <- error",
            "}"));
  }

  @Test
  void interfaceMethodWithoutBody() {
    expectError("@Differentiable methods need a body to differentiate",
        source(
            "public interface T {",
            "  @Differentiable",
            "  double f(double x); // <- error",
            "}"));
  }

  @Test
  void intReturnType() {
    expectError("@Differentiable methods must return double (a scalar loss), not int",
        source(
            "public class T {",
            "  @Differentiable",
            "  static int f(double x) { // <- error",
            "    return (int) x;",
            "  }",
            "}"));
  }

  @Test
  void floatReturnType() {
    expectError("@Differentiable methods must return double (a scalar loss), not float",
        source(
            "public class T {",
            "  @Differentiable",
            "  static float f(double x) { // <- error",
            "    return (float) x;",
            "  }",
            "}"));
  }

  @Test
  void voidReturnType() {
    expectError("@Differentiable methods must return double (a scalar loss), not void",
        source(
            "public class T {",
            "  @Differentiable",
            "  static void f(double x) { // <- error",
            "  }",
            "}"));
  }

  @Test
  void instanceMethodOfAGenericClass() {
    expectError("a @Differentiable instance method of a generic class is not supported",
        source(
            "public class T<E> {",
            "  @Differentiable",
            "  final double f(double x) { // <- error",
            "    return x * x;",
            "  }",
            "}"));
  }

  @Test
  void genericMethod() {
    expectError("generic @Differentiable methods are not supported",
        source(
            "public class T {",
            "  @Differentiable",
            "  static <E> double f(double x) { // <- error",
            "    return x * x;",
            "  }",
            "}"));
  }

  @Test
  void varargs() {
    expectError("varargs @Differentiable methods are not supported",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double... x) { // <- error",
            "    return x[0] * x[0];",
            "  }",
            "}"));
  }

  @Test
  void parameterNamedValue() {
    expectError("a differentiable parameter cannot be named 'value'",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(",
            "      double x,",
            "      double value) { // <- error",
            "    return x * value;",
            "  }",
            "}"));
  }

  @Test
  void overloadedDifferentiableMethods() {
    expectError("overloaded @Differentiable methods are not supported, rename one",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    return x * x;",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x, double y) { // <- error",
            "    return x * y;",
            "  }",
            "}"));
  }

  @Test
  void floatLocal() {
    expectError("float is not differentiated by gradgen",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    float y = 2; // <- error",
            "    return x * y;",
            "  }",
            "}"));
  }

  @Test
  void boxedParameter() {
    expectError("parameter 'x' has type java.lang.Double, which gradgen does not differentiate",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double w,",
            "      Double x) { // <- error",
            "    return w;",
            "  }",
            "}"));
  }

  @Test
  void stringLiteral() {
    expectError("string literals are not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    String s = \"a\"; // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void stringLocalWithoutInitializer() {
    expectError("type 'String' is not supported",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    String s; // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void stringParameterMethodCall() {
    expectError("parameter 's' has type java.lang.String, which gradgen treats as a constant: it"
        + " can only be passed to a method or compared with == or !=",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x, String s) {",
            "    double y = x * 2;",
            "    return y + s.length(); // <- error",
            "  }",
            "}"));
  }

  @Test
  void objectParameterCastToDouble() {
    expectError("parameter 'o' has type java.lang.Object, which gradgen treats as a constant",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x, Object o) {",
            "    double y =",
            "        (double) o; // <- error",
            "    return y * x;",
            "  }",
            "}"));
  }

  @Test
  void assignmentToAnArrayAnOperandOnItsLeftStillReads() {
    // Java passes the old array as the first argument; keeping it would need a second name for
    // the same storage, so gradgen asks for the assignment first.
    expectError("this assigns a variable that an operand to its left still reads, and that"
        + " operand is an array; assign the variable in a statement of its own first",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    double[] a = {x, 1};",
            "    double[] b = {2 * x, x};",
            "    return dev.gradgen.Ops.dot(a,",
            "        a = b); // <- error",
            "  }",
            "}"));
  }

  @Test
  void privateCallee() {
    expectError("'h' is private, so the generated class cannot call it",
        source(
            "public class T {",
            "  @Differentiable",
            "  private static double h(double v) {",
            "    return v * v;",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    double y = 2 * x;",
            "    return h(y); // <- error",
            "  }",
            "}"));
  }

  @Test
  void privateEnclosingClass() {
    expectError("class Inner is private, so the generated class p.T_InnerGrad cannot use it",
        source(
            "public class T {",
            "  private static class Inner {",
            "    @Differentiable",
            "    static double f(double x) { // <- error",
            "      return x * x;",
            "    }",
            "  }",
            "}"));
  }

  /** Java 16+ allows static methods in local classes. javac does not hand local classes to
   * processors through getElementsAnnotatedWith, so the processor must find them itself; silently
   * ignoring the annotation is wrong (no gradient class, no error). */
  @Test
  void localClass() {
    expectError("@Differentiable methods must be in a top-level or nested class, not a local or anonymous one",
        source(
            "public class T {",
            "  static double outer(double z) {",
            "    class Local {",
            "      @Differentiable",
            "      static double f(double x) { // <- error",
            "        return x * x;",
            "      }",
            "    }",
            "    return Local.f(z);",
            "  }",
            "}"));
  }

  @Test
  void anonymousClass() {
    expectError("@Differentiable methods must be in a top-level or nested class, not a local or anonymous one",
        source(
            "public class T {",
            "  static Object o = new Object() {",
            "    @Differentiable",
            "    static double f(double x) { // <- error",
            "      return x * x;",
            "    }",
            "  };",
            "}"));
  }

  @Test
  void synchronizedBlock() {
    expectError("synchronized is not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    synchronized (T.class) { // <- error",
            "      x = x * 2;",
            "    }",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void assertStatement() {
    expectError("assert is not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    assert x > 0; // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void localClassDeclaration() {
    expectError("local classes are not supported in a @Differentiable method",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    class Helper { // <- error",
            "    }",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void nullLiteral() {
    expectError("null arrays are not supported; give the array its size",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    double[] a = null; // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void instanceMethodCallee() {
    expectError("'helper' is an instance method",
        source(
            "public class T {",
            "  double helper(double v) {",
            "    return v;",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    return helper(x); // <- error",
            "  }",
            "}"));
  }

  @Test
  void unusedCallResult() {
    expectError("the result of this call is unused",
        source(
            "public class T {",
            "  static double helper(double v) {",
            "    return v;",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    helper(x); // <- error",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void labelOnBlock() {
    expectError("labels are supported on loops only",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    outer:",
            "    { // <- error",
            "      x = x * 2;",
            "    }",
            "    return x;",
            "  }",
            "}"));
  }

  @Test
  void remainderOnDouble() {
    expectError("% on double values is not supported",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double x) {",
            "    return x % 2.0; // <- error",
            "  }",
            "}"));
  }

  @Test
  void activeArrayArgumentNotThroughLocal() {
    expectError("pass array argument 1 of 'g' through a local variable",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double g(double[] v) {",
            "    return v[0] * v[1];",
            "  }",
            "",
            "  @Differentiable",
            "  static double f(double x) {",
            "    return g(new double[] {x, x}); // <- error",
            "  }",
            "}"));
  }

  @Test
  void generatedClassNameTaken() {
    expectError("could not write p.TGrad",
        source(
            "public class T { // <- error",
            "  @Differentiable",
            "  static double f(double x) {",
            "    return x * x;",
            "  }",
            "}",
            "",
            "class TGrad {",
            "}"));
  }

  @Test
  void recordNameClash() {
    expectError("already generates LossGradient; rename one",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double loss(double x) {",
            "    return x * x;",
            "  }",
            "",
            "  @Differentiable",
            "  static double Loss(double x) { // <- error",
            "    return x * x * x;",
            "  }",
            "}"));
  }

  /**
   * Reading goes on after a rejected statement so that one compilation reports every problem;
   * a rejected declaration must not add a bogus "cannot resolve" on each later use of the local,
   * which would also hide real problems on those lines (here: Math.floorMod of doubles).
   */
  @Test
  void rejectedDeclarationCausesNoFollowOnErrors() {
    String[] lines = source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double r = Math.random();",
        "    return x * r + Math.floorMod(x, 2.0);",
        "  }",
        "}");
    JavaFileObject file = JavaFileObjects.forSourceLines("p.T", lines);
    Compilation c = TestSupport.compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("Math.random() is not supported").inFile(file)
        .onLine(HEADER.length + 4);
    assertThat(c).hadErrorContaining("Math.floorMod has no derivative rule").inFile(file)
        .onLine(HEADER.length + 5);
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      assertWithMessage("follow-on error; all diagnostics:\n%s", TestSupport.describe(c))
          .that(d.getMessage(Locale.ROOT)).doesNotContain("cannot resolve 'r'");
    }
  }

  /** Every problem in a method is reported in one compilation, each on its own line. */
  @Test
  void everyProblemReportedOnce() {
    String[] lines = source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, double[] w) {",
        "    w = null;",
        "    float y = 1;",
        "    double z = x % 2.0;",
        "    return z;",
        "  }",
        "}");
    JavaFileObject file = JavaFileObjects.forSourceLines("p.T", lines);
    Compilation c = TestSupport.compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("parameter array 'w' cannot be reassigned").inFile(file)
        .onLine(HEADER.length + 4);
    assertThat(c).hadErrorContaining("float is not differentiated").inFile(file)
        .onLine(HEADER.length + 5);
    assertThat(c).hadErrorContaining("% on double values is not supported").inFile(file)
        .onLine(HEADER.length + 6);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c)).that(c.errors()).hasSize(3);
  }

  /** A @NoGrad parameter may be named value: it is not a record component. */
  @Test
  void noGradParameterNamedValueIsFine() {
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.T", source(
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, @NoGrad double value) {",
        "    return x * value;",
        "  }",
        "}")));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c))
        .that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
  }

  @Test
  void writingIntoAKernelResultDirectly() {
    expectError("only elements of local arrays can be assigned",
        source(
            "public class T {",
            "  @Differentiable",
            "  static double f(double[] w) {",
            "    dev.gradgen.Ops.tanh(w)[0] = 1; // <- error",
            "    return w[0];",
            "  }",
            "}"));
  }
}
