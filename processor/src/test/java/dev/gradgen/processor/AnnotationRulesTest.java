package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom rules declared by annotation ({@code @Vjp}, {@code @Jvp}) for methods the user does not
 * own: used wherever the primal is called, across classes and jars, in reverse, forward and
 * (where possible) second order; one rule giving the other for a primal returning double; and
 * every way a declaration can be wrong, reported on it with both signatures.
 */
class AnnotationRulesTest {
  @TempDir
  Path temp;

  /** A library nobody here owns: compiled without gradgen. */
  private static final String SPECIAL = String.join("\n",
      "package lib;",
      "",
      "public final class Special {",
      "  private Special() {}",
      "",
      "  public static double softplus(double x) {",
      "    return Math.log1p(Math.exp(x));",
      "  }",
      "",
      "  public static double softplus(double x, double beta) {",
      "    return Math.log1p(Math.exp(beta * x)) / beta;",
      "  }",
      "",
      "  /** a * |v|^2 + sum of m + sin(b). */",
      "  public static double mix(double a, double[] v, double b, double[][] m) {",
      "    double s = 0;",
      "    for (double e : v) {",
      "      s += e * e;",
      "    }",
      "    double t = 0;",
      "    for (double[] row : m) {",
      "      for (double e : row) {",
      "        t += e * e * e;",
      "      }",
      "    }",
      "    return a * s + t + Math.sin(b);",
      "  }",
      "",
      "  public static double[] pair(double x) {",
      "    return new double[] {x * x, 3 * x};",
      "  }",
      "",
      "  public static int count(double x) {",
      "    return (int) x;",
      "  }",
      "}");

  private static final String VJP_RULES = String.join("\n",
      "package rules;",
      "",
      "import dev.gradgen.Vjp;",
      "import lib.Special;",
      "",
      "public final class VjpRules {",
      "  private VjpRules() {}",
      "",
      "  @Vjp(of = Special.class, method = \"softplus\")",
      "  public static double softplusVjp(double x, double result, double dResult) {",
      "    return dResult / (1 + Math.exp(-x));",
      "  }",
      "",
      "  @Vjp(of = Special.class, method = \"softplus\")",
      "  public static double[] softplusVjp(double x, double beta, double result,"
          + " double dResult) {",
      "    double s = 1 / (1 + Math.exp(-beta * x));",
      "    return new double[] {dResult * s, dResult * (x * s - result) / beta};",
      "  }",
      "}");

  private static final String JVP_RULES = String.join("\n",
      "package rules2;",
      "",
      "import dev.gradgen.Jvp;",
      "import lib.Special;",
      "",
      "public final class JvpRules {",
      "  private JvpRules() {}",
      "",
      "  @Jvp(of = Special.class, method = \"mix\")",
      "  public static double mixJvp(double a, double[] v, double b, double[][] m,"
          + " double result, double aDot, double[] vDot, double bDot, double[][] mDot) {",
      "    double s = 0;",
      "    double t = 0;",
      "    for (int i = 0; i < v.length; i++) {",
      "      s += v[i] * v[i];",
      "      if (vDot != null) {",
      "        t += 2 * v[i] * vDot[i];",
      "      }",
      "    }",
      "    double u = 0;",
      "    if (mDot != null) {",
      "      for (int i = 0; i < m.length; i++) {",
      "        for (int j = 0; j < m[i].length; j++) {",
      "          u += 3 * m[i][j] * m[i][j] * mDot[i][j];",
      "        }",
      "      }",
      "    }",
      "    return aDot * s + a * t + u + Math.cos(b) * bDot;",
      "  }",
      "}");

  private static final String MODEL = String.join("\n",
      "package app;",
      "",
      "import dev.gradgen.Differentiable;",
      "import lib.Special;",
      "",
      "public final class Model {",
      "  private Model() {}",
      "",
      "  @Differentiable",
      "  public static double loss(double x, double[] v, double y, double[][] m) {",
      "    double p = Special.softplus(x * y);",
      "    double q = Special.softplus(y, 1.5 + x * x);",
      "    return p * p + q + Special.mix(x, v, y * p, m);",
      "  }",
      "}");

  private static final Object[] ARGS = {0.7, new double[] {0.3, -1.2, 2.0}, -0.4,
      new double[][] {{0.5, -0.25}, {1.5, 0.75}}};

  @Test
  void rulesOfALibraryFunctionDeclaredBesideTheModelAreUsedInEveryMode() throws Exception {
    Path lib = jar("lib", List.of(), false, List.of(source("lib.Special", SPECIAL)));
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .withClasspath(List.of(lib.toFile(), TestSupport.runtimeLocation()))
        .compile(source("rules.VjpRules", VJP_RULES), source("rules2.JvpRules", JVP_RULES),
            source("app.Model", MODEL));
    TestSupport.assertCompiled(c);
    String grad = TestSupport.generatedSource(c, "app.ModelGrad");
    // The declared rules are called; the missing ones are written from them.
    assertThat(grad).contains("VjpRules.softplusVjp(");
    assertThat(grad).contains("JvpRules.mixJvp(");
    assertThat(grad).contains("private static double lib_Special_softplusForward(double x,"
        + " double result,");
    assertThat(grad).contains("private static double[] lib_Special_mixBackward(");
    try (URLClassLoader cl = loader(TestSupport.writeClasses(c, temp.resolve("app")), lib)) {
      check(cl);
    }
  }

  @Test
  void rulesInJarsAreFoundByCompilationsThatUseThem() throws Exception {
    Path lib = jar("lib", List.of(), false, List.of(source("lib.Special", SPECIAL)));
    // Two jars, each with rules for the same class: both are found.
    Path vjps = jar("vjps", List.of(lib), true, List.of(source("rules.VjpRules", VJP_RULES)));
    Path jvps = jar("jvps", List.of(lib), true, List.of(source("rules2.JvpRules", JVP_RULES)));
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .withClasspath(List.of(lib.toFile(), vjps.toFile(), jvps.toFile(),
            TestSupport.runtimeLocation()))
        .compile(source("app.Model", MODEL));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = loader(TestSupport.writeClasses(c, temp.resolve("app")), lib, vjps,
        jvps)) {
      check(cl);
    }
  }

  /** Gradient, JVP and second order of Model.loss against finite differences. */
  private static void check(URLClassLoader cl) throws Exception {
    TestSupport.checkGradient(cl.loadClass("app.Model"), cl.loadClass("app.ModelGrad"), "loss",
        TestSupport.deepCopy(ARGS), 0, 1, 2, 3);
  }

  @Test
  void aRuleOfMyOwnMethodWorksAndBothKindsGivenAreUsedAsGiven() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Jvp;",
        "import dev.gradgen.Vjp;", "",
        "public class Own {",
        "  /** A fixed-point solve: x = cos(a x), differentiated implicitly by its rules. */",
        "  public static double solve(double a) {",
        "    double x = 1;",
        "    for (int k = 0; k < 200; k++) {",
        "      x = Math.cos(a * x);",
        "    }",
        "    return x;",
        "  }",
        "",
        "  @Vjp(of = Own.class, method = \"solve\")",
        "  public static double solveVjp(double a, double x, double dx) {",
        "    double s = Math.sin(a * x);",
        "    return dx * -s * x / (1 + a * s);",
        "  }",
        "",
        "  @Jvp(of = Own.class, method = \"solve\")",
        "  public static double solveJvp(double a, double x, double aDot) {",
        "    double s = Math.sin(a * x);",
        "    return -s * x / (1 + a * s) * aDot;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double a, double b) {",
        "    return solve(a * b) * b;",
        "  }",
        "}");
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceLines("p.Own", src));
    TestSupport.assertCompiled(c);
    String grad = TestSupport.generatedSource(c, "p.OwnGrad");
    assertThat(grad).contains("Own.solveVjp(");
    assertThat(grad).contains("Own.solveJvp(");
    assertThat(grad).doesNotContain("p_Own_solveForward");
    assertThat(grad).doesNotContain("p_Own_solveBackward");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.Own", src)) {
      TestSupport.checkGradient(cl.loadClass("p.Own"), cl.loadClass("p.OwnGrad"), "f",
          new Object[] {0.6, 1.3}, 0, 1);
    }
  }

  @Test
  void aDifferentiableForwardRuleGivesSecondOrderThroughItsPrimal() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Jvp;",
        "import dev.gradgen.Vjp;", "",
        "public class Own {",
        "  public static double solve(double a) {",
        "    double x = 1;",
        "    for (int k = 0; k < 200; k++) {",
        "      x = Math.cos(a * x);",
        "    }",
        "    return x;",
        "  }",
        "",
        "  @Vjp(of = Own.class, method = \"solve\")",
        "  public static double solveVjp(double a, double x, double dx) {",
        "    double s = Math.sin(a * x);",
        "    return dx * -s * x / (1 + a * s);",
        "  }",
        "",
        "  /** Differentiable itself: second order of callers goes through it. */",
        "  @Jvp(of = Own.class, method = \"solve\")",
        "  @Differentiable",
        "  public static double solveJvp(double a, double x, double aDot) {",
        "    double s = Math.sin(a * x);",
        "    return -s * x / (1 + a * s) * aDot;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double a, double b) {",
        "    return solve(a * b) * b;",
        "  }",
        "}");
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceLines("p.Own", src));
    TestSupport.assertCompiled(c);
    assertThat(c).hadNoteCount(0);
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.Own", src)) {
      Class<?> grad = cl.loadClass("p.OwnGrad");
      // Not the throwing Hessian of a kernel without second order: checkGradient compares it
      // with central differences of the gradient.
      Object h = TestSupport.call(TestSupport.staticMethod(grad, "fHessian", double.class,
          double.class), 0.6, 1.3);
      assertThat(((double[][]) TestSupport.component(h, "hessian")).length).isEqualTo(2);
      TestSupport.checkGradient(cl.loadClass("p.Own"), grad, "f", new Object[] {0.6, 1.3}, 0, 1);
    }
  }

  @Test
  void aRuleWhoseSignatureFitsNoOverloadShowsBothSignatures() throws Exception {
    Compilation c = compileRule("@Vjp(of = Special.class, method = \"softplus\")",
        "public static double bad(double x, double dResult) {", "return dResult;");
    assertThat(c).hadErrorContaining("@Vjp rule R.bad does not fit Special.softplus: it is"
        + " bad(double x, double dResult), and it fits no overload; the rule is static double"
        + " bad(double x, double result, double dResult), returning the adjoint of x for"
        + " softplus(double x); or static double[] bad(double x, double beta, double result,"
        + " double dResult), returning the adjoints of x, beta in a double[] in that order for"
        + " softplus(double x, double beta)").inFile(ruleFile).onLine(RULE_LINE);
  }

  @Test
  void aForwardRuleWithAWrongParameterSaysWhich() throws Exception {
    Compilation c = compileRule("@Jvp(of = Special.class, method = \"pair\")",
        "public static double pairJvp(double x, double result, double xDot) {", "return 0;");
    assertThat(c).hadErrorContaining("@Jvp rule R.pairJvp does not fit Special.pair: it is"
        + " pairJvp(double x, double result, double xDot), and parameter 2 is double, not"
        + " double[]; the rule is static double[] pairJvp(double x, double[] result, double"
        + " xDot) for pair(double x)").inFile(ruleFile).onLine(RULE_LINE);
  }

  @Test
  void aRuleNamingNoMethodIsAnError() throws Exception {
    Compilation c = compileRule("@Vjp(of = Special.class, method = \"softplu\")",
        "public static double r(double x, double result, double dResult) {", "return 0;");
    assertThat(c).hadErrorContaining("@Vjp names Special.softplu, but Special has no static"
        + " method of that name").inFile(ruleFile).onLine(RULE_LINE);
  }

  @Test
  void aRuleThatIsNotPublicIsAnError() throws Exception {
    Compilation c = compileRule("@Vjp(of = Special.class, method = \"softplus\")",
        "static double r(double x, double result, double dResult) {", "return 0;");
    assertThat(c).hadErrorContaining("@Vjp rule R.r must be a public static method of a public"
        + " class").inFile(ruleFile).onLine(RULE_LINE);
  }

  @Test
  void aRuleOfAPrimalWithoutDerivativeIsAnError() throws Exception {
    Compilation c = compileRule("@Vjp(of = Special.class, method = \"count\")",
        "public static void r(double x, int result, int dResult) {", "");
    assertThat(c).hadErrorContaining("@Vjp rule R.r is for Special.count, which returns int:"
        + " it has no derivative").inFile(ruleFile).onLine(RULE_LINE);
  }

  @Test
  void twoRulesOfOneKindForOnePrimalAreAnError() throws Exception {
    Compilation c = compileRule("@Vjp(of = Special.class, method = \"softplus\")",
        "public static double r(double x, double result, double dResult) {", "return 0;",
        "@Vjp(of = Special.class, method = \"softplus\")",
        "public static double s(double x, double result, double dResult) {", "return 0;");
    assertThat(c).hadErrorContaining("@Vjp rule R.s is a second backward rule of"
        + " Special.softplus, beside R.r; a primal has at most one of each kind")
        .inFile(ruleFile).onLine(RULE_LINE + 4);
  }

  @Test
  void aRuleOfADifferentiableMethodIsAnError() {
    JavaFileObject file = JavaFileObjects.forSourceLines("p.D", "package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Vjp;", "",
        "public class D {",
        "  @Differentiable",
        "  public static double sq(double x) {",
        "    return x * x;",
        "  }",
        "",
        "  @Vjp(of = D.class, method = \"sq\")",
        "  public static double sqVjp(double x, double result, double dResult) {",
        "    return 2 * x * dResult;",
        "  }",
        "}");
    Compilation c = TestSupport.compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("@Vjp rule D.sqVjp is for D.sq, which is @Differentiable:"
        + " gradgen derives it, and the two derivatives could disagree").inFile(file).onLine(12);
  }

  @Test
  void aRuleBesideAConventionalRuleOfTheSameKindIsAnError() {
    JavaFileObject file = JavaFileObjects.forSourceLines("p.K", "package p;", "",
        "import dev.gradgen.Vjp;", "",
        "public class K {",
        "  public static double cube(double x) {",
        "    return x * x * x;",
        "  }",
        "",
        "  public static double cubeBackward(double x, double result, double dResult) {",
        "    return 3 * x * x * dResult;",
        "  }",
        "",
        "  @Vjp(of = K.class, method = \"cube\")",
        "  public static double other(double x, double result, double dResult) {",
        "    return 3 * x * x * dResult;",
        "  }",
        "}");
    Compilation c = TestSupport.compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("@Vjp rule K.other is a second backward rule of K.cube,"
        + " beside K.cubeBackward").inFile(file).onLine(14);
  }

  @Test
  void aVectorPrimalWithOnlyAForwardRuleCannotBeDifferentiatedInReverse() throws Exception {
    Path lib = jar("lib", List.of(), false, List.of(source("lib.Special", SPECIAL)));
    JavaFileObject file = JavaFileObjects.forSourceLines("p.V", "package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Jvp;",
        "import lib.Special;", "",
        "public class V {",
        "  @Jvp(of = Special.class, method = \"pair\")",
        "  public static double[] pairJvp(double x, double[] result, double xDot) {",
        "    return new double[] {2 * x * xDot, 3 * xDot};",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    double[] r = Special.pair(x);",
        "    return r[0] + r[1];",
        "  }",
        "}");
    Compilation c = TestSupport.compiler()
        .withClasspath(List.of(lib.toFile(), TestSupport.runtimeLocation())).compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("'Special.pair' is called with values that depend on"
        + " differentiable parameters and has a forward rule (V.pairJvp) but no backward rule;"
        + " gradgen derives the one from the other only for a primal returning double")
        .inFile(file).onLine(15);
  }

  @Test
  void aRuleInAJarCompiledAgainstAnotherVersionOfItsPrimalIsAnErrorAtTheCall()
      throws Exception {
    Path old = jar("old", List.of(), false, List.of(source("lib.Special", SPECIAL)));
    Path rules = jar("rules", List.of(old), true, List.of(source("rules.VjpRules", VJP_RULES)));
    // The library's softplus now takes a number of terms: the rules no longer fit it.
    Path changed = jar("new", List.of(), false, List.of(source("lib.Special", String.join("\n",
        "package lib;",
        "public final class Special {",
        "  private Special() {}",
        "  public static double softplus(double x, int terms) {",
        "    return Math.log1p(Math.exp(x)) + terms;",
        "  }",
        "}"))));
    JavaFileObject file = JavaFileObjects.forSourceLines("p.U", "package p;", "",
        "import dev.gradgen.Differentiable;",
        "import lib.Special;", "",
        "public class U {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return Special.softplus(x, 3);",
        "  }",
        "}");
    Compilation c = TestSupport.compiler()
        .withClasspath(List.of(changed.toFile(), rules.toFile(), TestSupport.runtimeLocation()))
        .compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("the @Vjp rule VjpRules.softplusVjp on the class path"
        + " cannot be used for this primal (compiled against another version of it, or a"
        + " second rule of its kind)")
        .inFile(file).onLine(9);
  }

  // ------------------------------------------------------------------ found in review

  @Test
  void aDerivedBackwardRuleGivesADifferentiableForwardRuleZeroArraysNotNull() throws Exception {
    Path lib = jar("lib", List.of(), false, List.of(source("lib.G", String.join("\n",
        "package lib;",
        "public final class G {",
        "  private G() {}",
        "  public static double g(double x, double[] v, int k) {",
        "    double s = 0;",
        "    for (double e : v) {",
        "      s += e * e;",
        "    }",
        "    return Math.exp(x) * k * s;",
        "  }",
        "}"))));
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Jvp;",
        "import lib.G;", "",
        "public class M {",
        "  /** No null test: a @Differentiable rule cannot have one. */",
        "  @Jvp(of = G.class, method = \"g\")",
        "  @Differentiable",
        "  public static double gJvp(double x, double[] v, int k, double result, double xDot,"
            + " double[] vDot) {",
        "    double t = result * xDot;",
        "    for (int i = 0; i < v.length; i++) {",
        "      t += Math.exp(x) * k * 2 * v[i] * vDot[i];",
        "    }",
        "    return t;",
        "  }",
        "",
        "  @Differentiable",
        "  static double mg(double[] x, double a, int n) {",
        "    return G.g(a * x[0], x, n + 1) * a;",
        "  }",
        "}");
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .withClasspath(List.of(lib.toFile(), TestSupport.runtimeLocation()))
        .compile(JavaFileObjects.forSourceLines("p.M", src));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = loader(TestSupport.writeClasses(c, temp.resolve("m")), lib)) {
      TestSupport.checkGradient(cl.loadClass("p.M"), cl.loadClass("p.MGrad"), "mg",
          new Object[] {new double[] {0.3, -0.7}, 0.9, 2}, 0, 1);
    }
  }

  @Test
  void twoPrimalClassesOfOneSimpleNameGetDerivedRulesOfTheirOwn() throws Exception {
    List<JavaFileObject> files = new ArrayList<>();
    for (String pkg : List.of("a", "b")) {
      String k = pkg.equals("a") ? "2" : "3";
      files.add(source(pkg + ".Special", String.join("\n",
          "package " + pkg + ";",
          "import dev.gradgen.Vjp;",
          "public final class Special {",
          "  private Special() {}",
          "  public static double f(double x) {",
          "    return " + k + " * x * x;",
          "  }",
          "  @Vjp(of = Special.class, method = \"f\")",
          "  public static double fVjp(double x, double result, double dResult) {",
          "    return dResult * 2 * " + k + " * x;",
          "  }",
          "}")));
    }
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class Two {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return a.Special.f(x) + b.Special.f(x * x);",
        "  }",
        "}");
    files.add(JavaFileObjects.forSourceLines("p.Two", src));
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(files);
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp.resolve("t")))) {
      TestSupport.checkGradient(cl.loadClass("p.Two"), cl.loadClass("p.TwoGrad"), "f",
          new Object[] {0.7}, 0);
    }
  }

  @Test
  void aDerivedForwardRuleTakesNothingFromAnInputTheDirectionDoesNotMove() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Vjp;", "",
        "public class P {",
        "  public static double powr(double x, double p) {",
        "    return Math.pow(x, p);",
        "  }",
        "",
        "  @Vjp(of = P.class, method = \"powr\")",
        "  public static double[] powrVjp(double x, double p, double r, double dR) {",
        "    return new double[] {dR * p * Math.pow(x, p - 1), dR * r * Math.log(x)};",
        "  }",
        "",
        "  @Differentiable",
        "  static double m(double x) {",
        "    return powr(x, 2.0) + x;",
        "  }",
        "}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.P", src)) {
      // At x = 0 the partial in p is 0 * log 0 = NaN, but p does not move: d/dx = 2x + 1 = 1.
      Object t = TestSupport.call(TestSupport.staticMethod(cl.loadClass("p.PGrad"), "mJvp",
          double.class, double.class), 0.0, 1.0);
      assertThat((Double) TestSupport.component(t, "tangent")).isEqualTo(1.0);
    }
  }

  @Test
  void aDerivedForwardRuleKeepsTheArrayPartWhenTheScalarDoesNotMove() throws Exception {
    // Found by the fuzzer: with the scalar's tangent 0 the backward rule's call was skipped,
    // and with it the accumulator of the array parameter, so the JVP lost the array's part.
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Vjp;", "",
        "public class N {",
        "  public static double norm2(double[] a, double s) {",
        "    double t = 1;",
        "    for (double v : a) {",
        "      t += v * v;",
        "    }",
        "    return s * Math.sqrt(t);",
        "  }",
        "",
        "  @Vjp(of = N.class, method = \"norm2\")",
        "  public static double norm2Vjp(double[] a, double s, double r, double dR, double[] da) {",
        "    double t = 1;",
        "    for (double v : a) {",
        "      t += v * v;",
        "    }",
        "    if (da != null) {",
        "      for (int i = 0; i < a.length; i++) {",
        "        da[i] += dR * s * a[i] / Math.sqrt(t);",
        "      }",
        "    }",
        "    return dR * Math.sqrt(t);",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double[] a, double s) {",
        "    return norm2(a, s);",
        "  }",
        "}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.N", src)) {
      Class<?> grad = cl.loadClass("p.NGrad");
      double[] a = {0.5, -1.5};
      Object t = TestSupport.call(TestSupport.staticMethod(grad, "fJvp", double[].class,
          double.class, double[].class, double.class), a, 2.0, new double[] {1.0, 0.0}, 0.0);
      // d/da_0 of s sqrt(1 + |a|^2) = s a_0 / sqrt(1 + |a|^2) = 2 * 0.5 / sqrt(3.5).
      assertThat((Double) TestSupport.component(t, "tangent")).isWithin(1e-15)
          .of(1.0 / Math.sqrt(3.5));
      TestSupport.checkGradient(cl.loadClass("p.N"), grad, "f", new Object[] {a, 2.0}, 0, 1);
    }
  }

  @Test
  void aMistypedConventionalRuleIsReportedEvenWhenTheOtherKindCouldReplaceIt() {
    JavaFileObject backward = JavaFileObjects.forSourceLines("p.K", "package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class K {",
        "  static double sq(double x, double y) {",
        "    return x * y;",
        "  }",
        "",
        "  static double sqBackward(double x, double y, double result, double dResult) {",
        "    return dResult * y;",
        "  }",
        "",
        "  static double sqJvp(double x, double y, double result, double xDot, double yDot) {",
        "    return y * xDot + x * yDot;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return sq(x, 2 * x);",
        "  }",
        "}");
    Compilation c = TestSupport.compile(backward);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("'K.sq' is called with values that depend on"
        + " differentiable parameters and has no usable derivative").inFile(backward).onLine(20);
    JavaFileObject forward = JavaFileObjects.forSourceLines("p.K", "package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class K {",
        "  static double sq(double x, double y) {",
        "    return x * y;",
        "  }",
        "",
        "  static double[] sqBackward(double x, double y, double result, double dResult) {",
        "    return new double[] {dResult * y, dResult * x};",
        "  }",
        "",
        "  static double sqJvp(double x, double y, double result, double xDot) {",
        "    return y * xDot;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return sq(x, 2 * x);",
        "  }",
        "}");
    c = TestSupport.compile(forward);
    TestSupport.assertCompiled(c);
    assertThat(c).hadNoteContaining("'K.sq' has a backward rule but no forward rule")
        .inFile(forward).onLine(20);
  }

  @Test
  void aRuleChangedSinceTheLastBuildIsCheckedFromItsSourceNotItsOldIndex() throws Exception {
    Path lib = jar("lib", List.of(), false, List.of(source("lib.Special", SPECIAL)));
    String good = String.join("\n", "package p;",
        "import dev.gradgen.Vjp;",
        "import lib.Special;",
        "public class R {",
        "  @Vjp(of = Special.class, method = \"softplus\")",
        "  public static double r(double x, double result, double dResult) {",
        "    return dResult;",
        "  }",
        "}");
    Path out = jar("out", List.of(lib), true, List.of(source("p.R", good)));
    // The next build, with the last one's output on the class path (Maven without clean).
    JavaFileObject changed = JavaFileObjects.forSourceString("p.R",
        good.replace("double result, double dResult", "double result, int dResult"));
    Compilation c = TestSupport.compiler()
        .withClasspath(List.of(out.toFile(), lib.toFile(), TestSupport.runtimeLocation()))
        .compile(changed);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("@Vjp rule R.r does not fit Special.softplus");
  }

  @Test
  void aRuleInTheUnnamedPackageIsAnError() throws Exception {
    Path lib = jar("lib", List.of(), false, List.of(source("lib.Special", SPECIAL)));
    JavaFileObject file = JavaFileObjects.forSourceLines("R", "import dev.gradgen.Vjp;",
        "import lib.Special;",
        "public class R {",
        "  @Vjp(of = Special.class, method = \"softplus\")",
        "  public static double r(double x, double result, double dResult) {",
        "    return dResult;",
        "  }",
        "}");
    Compilation c = TestSupport.compiler()
        .withClasspath(List.of(lib.toFile(), TestSupport.runtimeLocation())).compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("@Vjp rule R.r must be a public static method of a public"
        + " class in a named package").inFile(file).onLine(4);
  }

  @Test
  void twoJarsWithRulesOfOneKindForOnePrimalAreAnErrorAtTheCall() throws Exception {
    Path lib = jar("lib", List.of(), false, List.of(source("lib.Special", SPECIAL)));
    Path one = jar("one", List.of(lib), true, List.of(source("rules.VjpRules", VJP_RULES)));
    Path two = jar("two", List.of(lib), true, List.of(source("other.Other", String.join("\n",
        "package other;",
        "import dev.gradgen.Vjp;",
        "import lib.Special;",
        "public final class Other {",
        "  private Other() {}",
        "  @Vjp(of = Special.class, method = \"softplus\")",
        "  public static double again(double x, double result, double dResult) {",
        "    return dResult;",
        "  }",
        "}"))));
    JavaFileObject file = JavaFileObjects.forSourceLines("p.U", "package p;", "",
        "import dev.gradgen.Differentiable;",
        "import lib.Special;", "",
        "public class U {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return Special.softplus(x);",
        "  }",
        "}");
    Compilation c = TestSupport.compiler().withClasspath(List.of(lib.toFile(), one.toFile(),
        two.toFile(), TestSupport.runtimeLocation())).compile(file);
    TestSupport.assertNoCrash(c);
    assertThat(c).hadErrorContaining("a second rule of its kind").inFile(file).onLine(9);
  }

  @Test
  void aKernelOfAnArrayLiteralAsksForALocal() {
    TestSupport.expectError("pass array argument 1 of 'sum' through a local variable", true,
        "package p;",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Ops;",
        "public class T {",
        "  @Differentiable",
        "  static double f(double[] x, double a) {",
        "    return Ops.sum(new double[] {x[0] * a, a * a}); // <- error",
        "  }",
        "}");
  }

  @Test
  void rulesInTwoNamedModulesAreFoundAndTheModulesShareNoPackage() throws Exception {
    // Two modules may not contain one package (the boot layer refuses them), so a module's
    // index classes go into <its rule's package>.gradgen_rules.
    Path src = temp.resolve("modsrc");
    write(src.resolve("lib/module-info.java"), "module lib { exports lib; }");
    write(src.resolve("lib/lib/S.java"), "package lib; public final class S { private S() {}"
        + " public static double f(double x) { return x * x * x; }"
        + " public static double g(double x) { return Math.sin(x); } }");
    for (String m : List.of("ra", "rb")) {
      write(src.resolve(m + "/module-info.java"), "module " + m + " { requires lib;"
          + " requires dev.gradgen.runtime; exports " + m + "; }");
    }
    write(src.resolve("ra/ra/RA.java"), "package ra; import dev.gradgen.Vjp; public final class"
        + " RA { private RA() {} @Vjp(of = lib.S.class, method = \"f\") public static double"
        + " fVjp(double x, double r, double d) { return 3 * x * x * d; } }");
    write(src.resolve("rb/rb/RB.java"), "package rb; import dev.gradgen.Vjp; public final class"
        + " RB { private RB() {} @Vjp(of = lib.S.class, method = \"g\") public static double"
        + " gVjp(double x, double r, double d) { return Math.cos(x) * d; } }");
    write(src.resolve("app/module-info.java"), "module app { requires lib; requires ra;"
        + " requires rb; requires dev.gradgen.runtime; exports app; }");
    write(src.resolve("app/app/M.java"), "package app; import dev.gradgen.Differentiable;"
        + " public class M { @Differentiable public static double m(double x) {"
        + " return lib.S.f(x) + lib.S.g(x); } }");
    // The runtime as the module it is in its jar (an automatic module named by its manifest).
    Path classes = TestSupport.runtimeLocation().toPath();
    Path runtimeJar = Files.isDirectory(classes) ? temp.resolve("gradgen-runtime.jar") : classes;
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Automatic-Module-Name", "dev.gradgen.runtime");
    if (Files.isDirectory(classes)) {
      try (java.util.jar.JarOutputStream j = new java.util.jar.JarOutputStream(
          Files.newOutputStream(runtimeJar), manifest); Stream<Path> files = Files.walk(classes)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          j.putNextEntry(new java.util.jar.JarEntry(
              classes.relativize(f).toString().replace('\\', '/')));
          j.write(Files.readAllBytes(f));
          j.closeEntry();
        }
      }
    }
    String runtime = runtimeJar.toString();
    Path out = temp.resolve("modout");
    compileModule(src, out, "lib", "");
    compileModule(src, out, "ra", runtime + File.pathSeparator + out.resolve("lib"));
    compileModule(src, out, "rb", runtime + File.pathSeparator + out.resolve("lib"));
    assertThat(Files.exists(out.resolve("ra/ra/gradgen_rules/ra_RA__fVjp.class"))).isTrue();
    assertThat(Files.exists(out.resolve("rb/rb/gradgen_rules/rb_RB__gVjp.class"))).isTrue();
    assertThat(Files.exists(out.resolve("ra/gradgen_rules"))).isFalse();
    compileModule(src, out, "app", String.join(File.pathSeparator, runtime,
        out.resolve("lib").toString(), out.resolve("ra").toString(), out.resolve("rb").toString()));
    try (URLClassLoader cl = loader(out.resolve("app"), out.resolve("lib"), out.resolve("ra"),
        out.resolve("rb"))) {
      Object g = TestSupport.call(TestSupport.staticMethod(cl.loadClass("app.MGrad"), "m",
          double.class), 0.5);
      assertThat((Double) TestSupport.component(g, "x")).isWithin(1e-15)
          .of(3 * 0.25 + Math.cos(0.5));
    }
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** Compiles module {@code name} from {@code src/name} into {@code out/name} with gradgen. */
  private static void compileModule(Path src, Path out, String name, String modulePath)
      throws Exception {
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    try (javax.tools.StandardJavaFileManager fm = javac.getStandardFileManager(null, null,
        null); Stream<Path> files = Files.walk(src.resolve(name))) {
      List<File> sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toFile)
          .toList();
      List<String> options = new ArrayList<>(List.of("-d", out.resolve(name).toString()));
      if (!modulePath.isEmpty()) {
        options.addAll(List.of("--module-path", modulePath));
      }
      java.io.StringWriter log = new java.io.StringWriter();
      javax.tools.JavaCompiler.CompilationTask task = javac.getTask(log, fm, null, options,
          null, fm.getJavaFileObjectsFromFiles(sources));
      task.setProcessors(List.of(new GradgenProcessor()));
      boolean ok = task.call();
      com.google.common.truth.Truth.assertWithMessage("compiling module %s: %s", name, log)
          .that(ok).isTrue();
    }
  }

  // ------------------------------------------------------------------ helpers

  private JavaFileObject ruleFile;
  /** The line of the first annotation in {@link #compileRule}'s source. */
  private static final int RULE_LINE = 9;

  /** Compiles class p.R with the given annotation, signature and body triples, against lib. */
  private Compilation compileRule(String... triples) throws Exception {
    Path lib = jar("lib", List.of(), false, List.of(source("lib.Special", SPECIAL)));
    List<String> lines = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Jvp;",
        "import dev.gradgen.Vjp;",
        "import lib.Special;", "",
        "public class R {",
        ""));
    for (int i = 0; i < triples.length; i += 3) {
      lines.add("  " + triples[i]);
      lines.add("  " + triples[i + 1]);
      lines.add("    " + triples[i + 2]);
      lines.add("  }");
    }
    lines.add("}");
    ruleFile = JavaFileObjects.forSourceLines("p.R", lines);
    Compilation c = TestSupport.compiler()
        .withClasspath(List.of(lib.toFile(), TestSupport.runtimeLocation())).compile(ruleFile);
    TestSupport.assertNoCrash(c);
    assertThat(c).failed();
    return c;
  }

  private static JavaFileObject source(String name, String text) {
    return JavaFileObjects.forSourceString(name, text);
  }

  private static URLClassLoader loader(Path... paths) throws Exception {
    URL[] urls = new URL[paths.length];
    for (int i = 0; i < paths.length; i++) {
      urls[i] = paths[i].toUri().toURL();
    }
    return new URLClassLoader(urls, AnnotationRulesTest.class.getClassLoader());
  }

  /** Compiles {@code sources} (with gradgen or without) against {@code classpath} into a jar. */
  private Path jar(String name, List<Path> classpath, boolean processor,
      List<JavaFileObject> sources) throws Exception {
    List<File> cp = new ArrayList<>();
    classpath.forEach(p -> cp.add(p.toFile()));
    cp.add(TestSupport.runtimeLocation());
    // -parameters, so that messages and generated code show the library's parameter names.
    com.google.testing.compile.Compiler compiler = processor ? TestSupport.compiler("-parameters")
        : com.google.testing.compile.Compiler.javac().withOptions("-parameters");
    Compilation c = compiler.withClasspath(cp).compile(sources);
    TestSupport.assertCompiled(c);
    return TestSupport.jar(TestSupport.writeClasses(c, temp.resolve(name)),
        temp.resolve(name + ".jar"));
  }
}
