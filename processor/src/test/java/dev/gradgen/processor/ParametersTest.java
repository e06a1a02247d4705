package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameters of every kind (issue 10, defects 1 and 2): scalar parameters of each kind written in
 * each way at each position of the parameter list, a {@code @NoGrad} array that shares storage
 * with a differentiable one, and parameters of types outside the subset (String, enum, record,
 * List, functional interface, Object, other arrays; and char, read as an int), which are constants: unused, passed
 * to methods or compared with {@code ==}/{@code !=} they work; any other use is an error on its
 * line that names the parameter. Gradients are checked against central finite differences of the
 * original method, through the generated record (the buffer form) and through a caller (the
 * pullback).
 */
class ParametersTest {
  @TempDir
  Path temp;

  private URLClassLoader build(String dir, String qualifiedName, String text) throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString(qualifiedName, text));
    TestSupport.assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s\n\ngenerated:\n%s", TestSupport.describe(c),
        TestSupport.generatedSource(c, qualifiedName + "Grad")).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    return TestSupport.loader(TestSupport.writeClasses(c, temp.resolve(dir)));
  }

  // ------------------------------------------------------------------ scalar parameters written

  /** A parameter of the test methods: its declaration and its argument. */
  private record P(String declaration, String name, Object argument, boolean differentiable) {}

  private static final List<P> PARAMETERS = List.of(
      new P("double d1", "d1", 0.7, true),
      new P("@NoGrad double n", "n", 0.4, false),
      new P("int i", "i", 3, false),
      new P("long l", "l", 5L, false),
      new P("boolean b", "b", true, false),
      new P("double[] w", "w", new double[] {0.5, -0.25, 1.5}, true),
      new P("double d2", "d2", -1.3, true));

  /** Every way of writing each scalar parameter kind: =, compound assignments, ++ and --. */
  private static final Map<String, List<String>> WRITES = Map.of(
      "d1", List.of("d1 = 2 * d2 + n * d1;", "d1 += d2 * d2;", "d1 -= n * d2;",
          "d1 *= d2 + 2;", "d1 /= 1.5 + d2 * d2;", "d1++;", "d1--;", "++d1;", "--d1;"),
      "d2", List.of("d2 = Math.sin(d1) * d2;", "d2 += d1;", "d2 -= w[1] * d1;", "d2 *= d1;",
          "d2 /= 2 + d1 * d1;", "d2++;", "--d2;"),
      "n", List.of("n = 2 * d1 + d2;", "n += d1;", "n -= d2 * d1;", "n *= d1;",
          "n /= 2 + d2 * d2;", "n++;", "n--;", "++n;", "--n;", "n = w[0] * n;"),
      "i", List.of("i = i * 2 + 1;", "i += 3;", "i -= 1;", "i *= 2;", "i /= 2;", "i %= 2;",
          "i++;", "i--;", "++i;", "--i;", "i = (int) (d1 * 4);"),
      "l", List.of("l = l * 3 + 1;", "l += 2;", "l -= 4;", "l *= 3;", "l /= 2;", "l %= 3;",
          "l++;", "--l;", "l = Math.round(d2 * 4);"),
      "b", List.of("b = !b;", "b = d1 > d2;", "b = b && n > 0;"));

  private static final String RESULT = "d1 * 1.5 + d2 * d2 + n * d1 + i * 0.25 * d2"
      + " + l * 0.125 * d1 + (b ? d1 : -d2) + w[0] * d1 + w[2]";

  /**
   * Defect 1: a {@code @NoGrad} scalar parameter that is assigned a value depending on a
   * differentiable one used to shift every later gradient component. Each write of each kind
   * runs at three positions of the parameter list, alone and after a write of a {@code @NoGrad}
   * parameter; each method is also called from another differentiable method.
   */
  @Test
  void scalarParametersWrittenInEveryWayAndPosition() throws Exception {
    StringBuilder src = new StringBuilder("package p;\n\nimport dev.gradgen.Differentiable;\n"
        + "import dev.gradgen.NoGrad;\n\npublic class W {\n");
    record Case(String name, List<P> order, String body) {}
    List<Case> cases = new ArrayList<>();
    int k = 0;
    for (String target : List.of("d1", "d2", "n", "i", "l", "b")) {
      for (String write : WRITES.get(target)) {
        for (int shift = 0; shift < 3; shift++) {
          int rotation = (k + 2 * shift) % PARAMETERS.size();
          List<P> order = new ArrayList<>(PARAMETERS.subList(rotation, PARAMETERS.size()));
          order.addAll(PARAMETERS.subList(0, rotation));
          String body = shift == 2 ? "n = n * d2 + d1;\n    " + write : write;
          cases.add(new Case("m" + cases.size(), order, body));
        }
        k++;
      }
    }
    for (Case c : cases) {
      String declarations = String.join(", ", c.order().stream().map(P::declaration).toList());
      String names = String.join(", ", c.order().stream().map(P::name).toList());
      src.append("  @Differentiable\n  static double ").append(c.name()).append('(')
          .append(declarations).append(") {\n    ").append(c.body()).append("\n    return ")
          .append(RESULT).append(";\n  }\n\n");
      src.append("  @Differentiable\n  static double ").append(c.name()).append("Caller(")
          .append(declarations).append(") {\n    return 3 * ").append(c.name()).append('(')
          .append(names).append(") + d1 * d2;\n  }\n\n");
    }
    src.append("}\n");
    try (URLClassLoader cl = build("writes", "p.W", src.toString())) {
      Class<?> w = cl.loadClass("p.W");
      Class<?> g = cl.loadClass("p.WGrad");
      for (Case c : cases) {
        for (boolean flag : new boolean[] {true, false}) {
          Object[] args = new Object[c.order().size()];
          List<Integer> diff = new ArrayList<>();
          for (int j = 0; j < args.length; j++) {
            P p = c.order().get(j);
            args[j] = p.name().equals("b") ? flag : p.argument();
            if (p.differentiable()) {
              diff.add(j);
            }
          }
          int[] at = diff.stream().mapToInt(Integer::intValue).toArray();
          TestSupport.checkGradient(w, g, c.name(), TestSupport.deepCopy(args), at);
          TestSupport.checkGradient(w, g, c.name() + "Caller", TestSupport.deepCopy(args), at);
        }
      }
    }
  }

  /** The two examples of the issue, by value: (2) and (3, 2). */
  @Test
  void noGradScalarAssignedFromDifferentiableOnes() throws Exception {
    String src = String.join("\n",
        "package p;",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.NoGrad;",
        "public class A {",
        "  @Differentiable",
        "  static double f(double i, @NoGrad double j) {",
        "    j = 2 * i;",
        "    return j;",
        "  }",
        "  @Differentiable",
        "  static double g(double i, double j, @NoGrad double k) {",
        "    k = 2 * i + 2 * j;",
        "    k += i;",
        "    return k;",
        "  }",
        "}");
    try (URLClassLoader cl = build("issue", "p.A", src)) {
      Class<?> g = cl.loadClass("p.AGrad");
      Object f = TestSupport.call(TestSupport.byName(g, "f", true), 3.0, 5.0);
      assertThat((Double) TestSupport.component(f, "value")).isEqualTo(6.0);
      assertThat((Double) TestSupport.component(f, "i")).isEqualTo(2.0);
      Object r = TestSupport.call(TestSupport.byName(g, "g", true), 3.0, 5.0, 7.0);
      assertThat((Double) TestSupport.component(r, "value")).isEqualTo(19.0);
      assertThat((Double) TestSupport.component(r, "i")).isEqualTo(3.0);
      assertThat((Double) TestSupport.component(r, "j")).isEqualTo(2.0);
    }
  }

  /**
   * A {@code @NoGrad} array that may share storage with a differentiable one is active inside the
   * method, but its adjoint is a local: the pullback's signature and the record keep only the
   * differentiable parameters.
   */
  @Test
  void noGradArraySharingStorageWithDifferentiableOne() throws Exception {
    String src = String.join("\n",
        "package p;",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.NoGrad;",
        "public class S {",
        "  @Differentiable",
        "  static double f(double[] w, @NoGrad double[] c, @NoGrad double[][] m, boolean pick) {",
        "    double s = 0;",
        "    for (int i = 0; i < 2; i++) {",
        "      if (pick == (i == 0)) {",
        "        double[] a = w;",
        "        s += a[i] * a[i];",
        "      } else {",
        "        double[] a = c;",
        "        s += a[i] * w[i];",
        "      }",
        "    }",
        "    double[] row = m[0];",
        "    return s + row[1] * w[0];",
        "  }",
        "  @Differentiable",
        "  static double caller(double[] w, @NoGrad double[] c, @NoGrad double[][] m) {",
        "    return f(w, c, m, true) + 2 * f(w, c, m, false);",
        "  }",
        "}");
    try (URLClassLoader cl = build("alias", "p.S", src)) {
      Class<?> s = cl.loadClass("p.S");
      Class<?> g = cl.loadClass("p.SGrad");
      double[][] m = {{1, -2}, {3, 4}};
      for (boolean pick : new boolean[] {true, false}) {
        TestSupport.checkGradient(s, g, "f", new Object[] {new double[] {0.5, -1.5},
            new double[] {2, 3}, m, pick}, 0);
      }
      TestSupport.checkGradient(s, g, "caller", new Object[] {new double[] {0.5, -1.5},
          new double[] {2, 3}, m}, 0);
    }
  }

  // ------------------------------------------------------------------ constant objects

  private static final String OBJECTS = String.join("\n",
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;",
      "import java.util.List;",
      "import java.util.function.DoubleUnaryOperator;",
      "",
      "public class O {",
      "  enum Mode { FAST, SLOW }",
      "  record Pt(double x, double y) {}",
      "  static final Mode DEFAULT = Mode.SLOW;",
      "",
      "  static double weight(Mode m) {",
      "    return m == Mode.FAST ? 2 : 3;",
      "  }",
      "",
      "  static int letters(String s) {",
      "    return s == null ? 0 : s.length();",
      "  }",
      "",
      "  static int size(List<Double> l) {",
      "    return l.size();",
      "  }",
      "",
      "  static double apply(DoubleUnaryOperator f, double v) {",
      "    return f.applyAsDouble(v);",
      "  }",
      "",
      "  static double norm(Pt p) {",
      "    return Math.hypot(p.x(), p.y());",
      "  }",
      "",
      "  static Mode other(Mode m) {",
      "    return m == Mode.FAST ? Mode.SLOW : Mode.FAST;",
      "  }",
      "",
      "  static boolean isCode(char c, int code) {",
      "    return c == code;",
      "  }",
      "",
      "  @Differentiable",
      "  static double unused(double x, String s, Mode m, Pt p, List<Double> l,",
      "      DoubleUnaryOperator f, Object o, @NoGrad String t, char c, double[][][][] hyper,",
      "      String[] names, Boolean flag, short h) {",
      "    return x * x;",
      "  }",
      "",
      "  @Differentiable",
      "  static double passed(double x, String s, Mode m, Pt p, List<Double> l,",
      "      DoubleUnaryOperator f, char c) {",
      "    double y = x * letters(s) * weight(m) + norm(p) * x + size(l) + apply(f, 2.0) * x;",
      "    if (isCode(c, 97)) {",
      "      y = y * weight(other(m));",
      "    }",
      "    return y;",
      "  }",
      "",
      "  @Differentiable",
      "  static double compared(double x, Mode m, String s, Object o, Pt p) {",
      "    double y = x;",
      "    if (m == Mode.FAST) {",
      "      y = y * y;",
      "    }",
      "    if (s != null && m != DEFAULT) {",
      "      y += 1;",
      "    }",
      "    if (o == s) {",
      "      y *= 3;",
      "    }",
      "    y = p == null ? y : y * 2 + x;",
      "    while (m != Mode.SLOW && y < 100) {",
      "      y = y * 2;",
      "    }",
      "    boolean same = other(m) == Mode.SLOW;",
      "    return same ? y : -y;",
      "  }",
      "",
      "  @Differentiable",
      "  static double caller(double x, Mode m, String s, Pt p, List<Double> l,",
      "      DoubleUnaryOperator f, char c) {",
      "    return compared(x * 2, m, s, s, p) + passed(x, s, m, p, l, f, c);",
      "  }",
      "}");

  /** Defect 2: parameters of other types are constants; unused, passed or compared they work. */
  @Test
  void constantObjectParametersWork() throws Exception {
    try (URLClassLoader cl = build("objects", "p.O", OBJECTS)) {
      Class<?> o = cl.loadClass("p.O");
      Class<?> g = cl.loadClass("p.OGrad");
      @SuppressWarnings({"unchecked", "rawtypes"})
      Object fast = Enum.valueOf((Class) cl.loadClass("p.O$Mode"), "FAST");
      @SuppressWarnings({"unchecked", "rawtypes"})
      Object slow = Enum.valueOf((Class) cl.loadClass("p.O$Mode"), "SLOW");
      java.lang.reflect.Constructor<?> newPt = cl.loadClass("p.O$Pt").getDeclaredConstructors()[0];
      newPt.setAccessible(true);
      Object pt = newPt.newInstance(3.0, 4.0);
      java.util.function.DoubleUnaryOperator square = v -> v * v;
      TestSupport.checkGradient(o, g, "unused", new Object[] {1.5, "s", fast, pt, List.of(1.0),
          square, new Object(), null, 'c', new double[1][1][1][1], new String[] {"a"}, Boolean.TRUE,
          (short) 2}, 0);
      for (char c : new char[] {'a', 'b'}) {
        TestSupport.checkGradient(o, g, "passed", new Object[] {0.8, "abc", fast, pt,
            List.of(1.0, 2.0), square, c}, 0);
        TestSupport.checkGradient(o, g, "passed", new Object[] {-0.3, null, slow, pt, List.of(),
            square, c}, 0);
      }
      String s = "s";
      for (Object m : new Object[] {fast, slow}) {
        for (Object p : new Object[] {pt, null}) {
          TestSupport.checkGradient(o, g, "compared", new Object[] {1.7, m, s, s, p}, 0);
          TestSupport.checkGradient(o, g, "compared", new Object[] {1.7, m, null, "t", p}, 0);
        }
        for (char c : new char[] {'a', 'b'}) {
          TestSupport.checkGradient(o, g, "caller", new Object[] {0.9, m, s, pt, List.of(2.0),
              square, c}, 0);
        }
      }
    }
  }

  private static Compilation expectError(String message, String... body) {
    List<String> lines = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "import dev.gradgen.NoGrad;",
        "import java.util.List;", ""));
    lines.addAll(List.of(body));
    return TestSupport.expectError(message, true, lines.toArray(new String[0]));
  }

  private static final String CONSTANT = "which gradgen treats as a constant: it can only be"
      + " passed to a method or compared with == or !=";

  /** Defect 2: any other use is an error on its line naming the parameter. */
  @Test
  void otherUsesOfConstantObjectsAreErrorsOnTheirLine() {
    expectError("parameter 'p' has type p.T.Pt, " + CONSTANT + "; pass the record's components"
        + " as double parameters",
        "public class T {",
        "  record Pt(double x, double y) {}",
        "  @Differentiable",
        "  static double f(double x, Pt p) {",
        "    double y = x;",
        "    return y * p.x(); // <- error",
        "  }",
        "}");
    expectError("parameter 's' has type java.lang.String, " + CONSTANT,
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, String s) {",
        "    s = null; // <- error",
        "    return x;",
        "  }",
        "}");
    expectError("parameter 'l' has type java.util.List<java.lang.Double>, " + CONSTANT,
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, List<Double> l) {",
        "    double s = x;",
        "    for (double v : l) { // <- error",
        "      s += v;",
        "    }",
        "    return s;",
        "  }",
        "}");
    expectError("parameter 'o' has type java.lang.Object, " + CONSTANT,
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, Object o) {",
        "    var q = o; // <- error",
        "    return x;",
        "  }",
        "}");
    expectError("parameter 'flag' has type java.lang.Boolean, " + CONSTANT,
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, Boolean flag) {",
        "    if (flag) { // <- error",
        "      x = x * 2;",
        "    }",
        "    return x;",
        "  }",
        "}");
    expectError("parameter 'c' has type char, which gradgen reads as a constant number but"
        + " does not assign",
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, char c) {",
        "    c = 'b'; // <- error",
        "    return x * Math.abs(c);",
        "  }",
        "}");
    expectError("parameter 'hyper' has type double[][][][], " + CONSTANT + "; gradgen reads"
        + " double[], double[][], double[][][] and int[] arrays",
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, double[][][][] hyper) {",
        "    return x * hyper.length; // <- error",
        "  }",
        "}");
    expectError("parameter 'names' has type java.lang.String[], " + CONSTANT,
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, String[] names) {",
        "    double y = x;",
        "    return names[0] == null ? y : x; // <- error",
        "  }",
        "}");
    expectError("parameter 'm' has type p.T.Mode, " + CONSTANT,
        "public class T {",
        "  enum Mode { A, B }",
        "  @Differentiable",
        "  static double f(double x, Mode m) {",
        "    double y = x;",
        "    return m == x ? y : 2 * y; // <- error",
        "  }",
        "}");
    expectError("parameter 's' has type java.lang.String, " + CONSTANT,
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, boolean c, String s, String t) {",
        "    return x * (c ? s : t).length(); // <- error",
        "  }",
        "}");
    expectError("parameter 'h' has type p.T.Hidden, but class Hidden is private, so the"
        + " generated class cannot declare the parameter; make it package-private",
        "public class T {",
        "  private enum Hidden { A }",
        "  @Differentiable",
        "  static double f(double x,",
        "      Hidden h) { // <- error",
        "    return x;",
        "  }",
        "}");
  }
}
