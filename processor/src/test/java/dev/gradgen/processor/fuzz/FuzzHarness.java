package dev.gradgen.processor.fuzz;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.gradgen.processor.GradgenProcessor;
import dev.gradgen.processor.TestSupport;
import dev.gradgen.processor.fuzz.ProgramGenerator.Method;
import dev.gradgen.processor.fuzz.ProgramGenerator.Param;
import dev.gradgen.processor.fuzz.ProgramGenerator.T;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Runs generated batches: compiles them with gradgen under strict lint, checks determinism,
 * evaluates every method's generated gradient against the dual-number oracle, and collects
 * failures (with enough context to reproduce) and statistics.
 */
final class FuzzHarness {
  static final String PACKAGE = "fz";
  static final double MARGIN = 1e-6;
  static final double REL_TOL = 1e-7;
  static final String[] OPTIONS = {"-Xlint:all", "-Werror"};
  /**
   * Generated pullback lines per source line of the method (its own lines, not its callees';
   * a line counts as 80 characters at most)
   * that no method may exceed: generated code must stay linear in the source.
   */
  static final double MAX_LINES_PER_SOURCE_LINE = 25;

  /** One generated class: its methods (a prefix of the generator's) and which are excluded. */
  static final class GenClass {
    final String name;
    final long seed;
    final List<Method> methods;
    final Set<Integer> dropped = new HashSet<>();
    /** First line of each method in the last rendered Java text, by index. */
    final Map<Integer, Integer> firstLine = new TreeMap<>();

    GenClass(String name, long seed, List<Method> methods) {
      this.name = name;
      this.seed = seed;
      this.methods = methods;
    }

    String javaText() {
      firstLine.clear();
      StringBuilder b = new StringBuilder();
      b.append("package ").append(PACKAGE).append(";\n\n");
      b.append("import dev.gradgen.Differentiable;\n");
      b.append("import dev.gradgen.NoGrad;\n");
      b.append("import static fz.Support.S1;\n\n");
      // Generated switches fall through on purpose.
      b.append("@SuppressWarnings(\"fallthrough\")\n");
      b.append("public class ").append(name).append(" {\n");
      constants(b);
      object(b, name);
      for (int i = 0; i < methods.size(); i++) {
        if (dropped.contains(i)) {
          continue;
        }
        b.append('\n');
        firstLine.put(i, lines(b) + 1);
        b.append(methods.get(i).java);
        b.append('\n').append(vectorTwin(methods.get(i), i));
      }
      return b.append("}\n").toString();
    }

    String dualText() {
      StringBuilder b = new StringBuilder();
      b.append("package ").append(PACKAGE).append(";\n\n");
      b.append("import dev.gradgen.processor.fuzz.D;\n");
      b.append("import static fz.Support.S1;\n\n");
      b.append("@SuppressWarnings({\"cast\", \"fallthrough\"})\n");
      b.append("public final class ").append(name).append("Dual {\n");
      b.append("  private ").append(name).append("Dual() {}\n");
      constants(b);
      object(b, name + "Dual");
      for (int i = 0; i < methods.size(); i++) {
        if (!dropped.contains(i)) {
          b.append('\n').append(methods.get(i).dual);
        }
      }
      return b.append("}\n").toString();
    }

    private static int lines(StringBuilder b) {
      int n = 0;
      for (int i = 0; i < b.length(); i++) {
        if (b.charAt(i) == '\n') {
          n++;
        }
      }
      return n;
    }

    private static void constants(StringBuilder b) {
      for (int i = 0; i < ProgramGenerator.CONSTANTS.length; i++) {
        b.append("  static final double ").append(ProgramGenerator.CONSTANTS[i]).append(" = ")
            .append(ProgramGenerator.CONSTANT_VALUES[i]).append(";\n");
      }
      b.append("  private static final double ").append(ProgramGenerator.PRIVATE_CONSTANT)
          .append(" = ").append(ProgramGenerator.PRIVATE_CONSTANT_VALUE).append(";\n");
    }

    /**
     * What instance methods read and where static code finds an object: fields, and the class's
     * one instance {@code SELF}.
     */
    private static void object(StringBuilder b, String cls) {
      b.append("  final double ").append(ProgramGenerator.FIELD).append(" = ")
          .append(ProgramGenerator.FIELD_VALUE).append(";\n");
      b.append("  final double[] ").append(ProgramGenerator.FIELD_ARRAY)
          .append(" = {0.2, -0.4, 0.7};\n");
      b.append("  static final ").append(cls).append(" SELF = new ").append(cls).append("();\n");
    }

    /** The method at a 1-based line of the Java text, or -1. */
    int methodAt(long line) {
      int found = -1;
      for (Map.Entry<Integer, Integer> e : firstLine.entrySet()) {
        if (e.getValue() <= line) {
          found = e.getKey();
        }
      }
      return found;
    }

    /** The method and, transitively, what it calls: the reproducer's source. */
    String sourceWithCallees(int index) {
      Set<Integer> all = new LinkedHashSet<>();
      collect(index, all);
      StringBuilder b = new StringBuilder();
      b.append("// class ").append(PACKAGE).append('.').append(name).append(" (class seed ")
          .append(seed).append("); constants:");
      for (int i = 0; i < ProgramGenerator.CONSTANTS.length; i++) {
        b.append(' ').append(ProgramGenerator.CONSTANTS[i]).append(" = ")
            .append(ProgramGenerator.CONSTANT_VALUES[i]).append(';');
      }
      b.append('\n');
      List<Integer> order = new ArrayList<>(all);
      order.sort(null);
      for (int i : order) {
        b.append(methods.get(i).java);
      }
      return b.toString();
    }

    private void collect(int index, Set<Integer> out) {
      if (out.add(index)) {
        for (int c : methods.get(index).callees) {
          collect(c, out);
        }
      }
    }
  }

  /** A failure, printed with its reproducer. */
  record Failure(String kind, GenClass cls, int method, String detail) {
    String render() {
      String where = cls == null ? "" : PACKAGE + "." + cls.name
          + (method < 0 ? "" : "." + cls.methods.get(method).name);
      StringBuilder b = new StringBuilder();
      b.append("=== ").append(kind).append(": ").append(where).append('\n');
      if (cls != null) {
        b.append("class seed ").append(cls.seed);
        if (method >= 0) {
          b.append(" (reproduce: -Dgradgen.fuzz.seed=").append(cls.seed)
              .append(" -Dgradgen.fuzz.count=").append(method + 1).append(')');
        }
        b.append('\n');
      }
      b.append(detail).append('\n');
      if (cls != null && method >= 0) {
        b.append("--- source (method and what it calls):\n").append(cls.sourceWithCallees(method));
      }
      return b.toString();
    }
  }

  /** How each of {@link Stats#mechanisms} shows in generated code. */
  static final Map<String, java.util.regex.Pattern> MECHANISMS = Map.of(
      "kept call", java.util.regex.Pattern.compile("\\.keep\\((?!Math\\.)[\\w$.]+\\("),
      "pullback skipped for a zero seed",
      java.util.regex.Pattern.compile("if \\(\\w+ != 0\\.0\\) \\{\\s+[\\w$.]+Pullback_"),
      "block save", java.util.regex.Pattern.compile("\\.pushDoubles\\("),
      "recomputed instead of saved",
      java.util.regex.Pattern.compile("// recomputed, which is cheaper than saving"));

  /** Statistics over a run. */
  static final class Stats {
    int programs;
    int checked;
    long statements;
    long constructs;
    int resamples;
    int nearKinkAccepted;
    int singularNaN;
    int nonFinite;
    /** Methods whose Hessian was checked, and those whose second order goes through a rule. */
    int hessians;
    int secondOrderUnavailable;
    /** Vector twins whose Jacobian (record and buffer forms), JVP and VJP were checked. */
    int vectorTwins;
    /** Hessian entries whose differences at steps 1e-6 to 1e-10 disagree with each other. */
    int unresolvedHessians;
    /**
     * Issue 14's mechanisms in the generated code: values of calls of generated methods kept on
     * the tape, pullbacks run only for a nonzero seed, loops saving what they overwrite as
     * blocks.
     */
    final Map<String, Integer> mechanisms = new TreeMap<>();
    int compilations;
    long compileMillis;
    long runMillis;
    final Map<String, Integer> byConstruct = new TreeMap<>();
    /** What gradgen's reader accepted, over the methods of the successful compilations. */
    final dev.gradgen.processor.read.Census census = new dev.gradgen.processor.read.Census();
    long sourceLines;
    long pullbackLines;
    double worstLinesPerSourceLine;
    String worstMethod = "";

    void add(Method m) {
      programs++;
      statements += m.statements;
      for (Map.Entry<String, Integer> e : m.constructs.entrySet()) {
        constructs += e.getValue();
        byConstruct.merge(e.getKey(), e.getValue(), Integer::sum);
      }
    }

    String render() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT,
          "programs generated: %d, gradients checked: %d%n"
              + "average per program: %.1f statements, %.1f constructs%n"
              + "input resamples (near a kink): %d, accepted near a kink after retries: %d, "
              + "non-finite values skipped: %d, NaN entries at structurally singular points: %d%n"
              + "compilations: %d (%.1f s incl. the determinism re-compiles), evaluation: %.1f s%n",
          programs, checked, programs == 0 ? 0.0 : (double) statements / programs,
          programs == 0 ? 0.0 : (double) constructs / programs, resamples, nearKinkAccepted,
          nonFinite, singularNaN, compilations, compileMillis / 1000.0, runMillis / 1000.0));
      b.append(String.format(Locale.ROOT, "Hessians checked: %d, second order through a custom"
          + " rule (not available): %d, vector twins checked: %d, Hessian columns the"
          + " differences cannot resolve: %d%n", hessians, secondOrderUnavailable, vectorTwins,
          unresolvedHessians));
      b.append("mechanisms in the generated code: ").append(mechanisms).append('\n');
      b.append(String.format(Locale.ROOT, "generated pullback lines per source line: %.1f"
          + " overall, worst %.1f (%s)%n", sourceLines == 0 ? 0.0
          : (double) pullbackLines / sourceLines, worstLinesPerSourceLine, worstMethod));
      b.append("constructs (total occurrences):");
      int col = 0;
      for (Map.Entry<String, Integer> e : byConstruct.entrySet()) {
        b.append(col++ % 6 == 0 ? "\n  " : ", ").append(e.getKey()).append('=')
            .append(e.getValue());
      }
      return b.append('\n').toString();
    }
  }

  final Stats stats = new Stats();
  /** The processor of the last compilation. */
  private GradgenProcessor lastProcessor;
  final List<Failure> failures = new ArrayList<>();
  private final Path work;

  /** Private copies of the runtime and of {@link D}: the compile classpath. */
  private final List<java.io.File> classpath;

  FuzzHarness(Path work) throws IOException {
    this.work = work;
    this.classpath = isolatedClasspath(work.resolve("cp"));
  }

  /**
   * Copies the runtime (the annotations, Tape, Gradients) and {@link D} into {@code dir} and
   * loads them now, so that a concurrent rebuild of the module directories cannot break a long
   * fuzz run half way.
   */
  private static List<java.io.File> isolatedClasspath(Path dir) throws IOException {
    Class<?>[] keep = {dev.gradgen.Tape.class, dev.gradgen.Gradients.class,
        dev.gradgen.Differentiable.class, dev.gradgen.NoGrad.class, D.class};
    for (Class<?> k : keep) {
      try {
        Class.forName(k.getName(), true, k.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    Path runtime;
    try {
      runtime = Path.of(dev.gradgen.Tape.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path rt = dir.resolve("runtime");
    if (Files.isDirectory(runtime)) {
      try (var files = Files.walk(runtime)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path to = rt.resolve(runtime.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
          }
        }
      }
    } else {
      Files.createDirectories(dir);
      rt = dir.resolve("runtime.jar");
      Files.copy(runtime, rt);
    }
    Path oracle = dir.resolve("oracle");
    Path dClass = oracle.resolve("dev/gradgen/processor/fuzz/D.class");
    Files.createDirectories(dClass.getParent());
    try (InputStream in = D.class.getResourceAsStream("D.class")) {
      Files.write(dClass, in.readAllBytes());
    }
    return List.of(rt.toFile(), oracle.toFile());
  }

  /**
   * What the generated programs call besides each other: functions without a derivative,
   * functions with custom rules (and their twins over dual numbers for the oracle), a constant
   * to import statically, and an enum for constant object parameters.
   */
  /**
   * Functions of a class gradgen is not told about, whose rules are declared by annotation in
   * {@link #LIB_RULES}: as for a library one does not own. {@code bump} has only a forward rule
   * and {@code norm2} only a backward one (gradgen writes the other), {@code wave} both. The
   * forward rules of {@code bump} and {@code wave} are {@code @Differentiable}, which gives
   * second order through them; {@code norm2} has none.
   */
  static final String LIB = String.join("\n",
      "package " + PACKAGE + ";",
      "",
      "import dev.gradgen.processor.fuzz.D;",
      "",
      "public final class Lib {",
      "  private Lib() {}",
      "",
      "  public static double bump(double x, double c) {",
      "    return x * Math.exp(-c * c) + c;",
      "  }",
      "",
      "  public static D bump(D x, D c) {",
      "    return D.add(D.mul(x, D.exp(D.neg(D.mul(c, c)))), c);",
      "  }",
      "",
      "  public static double wave(double x) {",
      "    return Math.sin(x) + 0.5 * x;",
      "  }",
      "",
      "  public static D wave(D x) {",
      "    return D.add(D.sin(x), D.mul(D.c(0.5), x));",
      "  }",
      "",
      "  public static double norm2(double[] a, double s) {",
      "    double t = 1;",
      "    for (double v : a) {",
      "      t += v * v;",
      "    }",
      "    return s * Math.sqrt(t);",
      "  }",
      "",
      "  public static D norm2(D[] a, D s) {",
      "    D t = D.c(1);",
      "    for (D v : a) {",
      "      t = D.add(t, D.mul(v, v));",
      "    }",
      "    return D.mul(s, D.sqrt(t));",
      "  }",
      "}",
      "");

  /** The annotation rules of {@link #LIB}. */
  static final String LIB_RULES = String.join("\n",
      "package " + PACKAGE + ";",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.Jvp;",
      "import dev.gradgen.Vjp;",
      "",
      "public final class LibRules {",
      "  private LibRules() {}",
      "",
      "  @Jvp(of = Lib.class, method = \"bump\")",
      "  @Differentiable",
      "  public static double bumpJvp(double x, double c, double result, double xDot,",
      "      double cDot) {",
      "    double e = Math.exp(-c * c);",
      "    return e * xDot + (1 - 2 * c * x * e) * cDot;",
      "  }",
      "",
      "  @Vjp(of = Lib.class, method = \"wave\")",
      "  public static double waveVjp(double x, double result, double dResult) {",
      "    return dResult * (Math.cos(x) + 0.5);",
      "  }",
      "",
      "  @Jvp(of = Lib.class, method = \"wave\")",
      "  @Differentiable",
      "  public static double waveJvp(double x, double result, double xDot) {",
      "    return (Math.cos(x) + 0.5) * xDot;",
      "  }",
      "",
      "  @Vjp(of = Lib.class, method = \"norm2\")",
      "  public static double norm2Vjp(double[] a, double s, double result, double dResult,",
      "      double[] da) {",
      "    double t = 1;",
      "    for (double v : a) {",
      "      t += v * v;",
      "    }",
      "    double n = Math.sqrt(t);",
      "    if (da != null) {",
      "      for (int i = 0; i < a.length; i++) {",
      "        da[i] += dResult * s * a[i] / n;",
      "      }",
      "    }",
      "    return dResult * n;",
      "  }",
      "}",
      "");

  static final String SUPPORT = String.join("\n",
      "package fz;",
      "",
      "import dev.gradgen.processor.fuzz.D;",
      "",
      "public final class Support {",
      "  private Support() {}",
      "",
      "  public enum Mode { FAST, SLOW, EXACT }",
      "",
      "  public static final double S1 = 0.45;",
      "",
      "  public static double weight(Mode m) {",
      "    return m == null ? 0.25 : m.ordinal() * 0.5 + 0.75;",
      "  }",
      "",
      "  public static int letters(String s) {",
      "    return s == null ? 0 : s.length() % 4;",
      "  }",
      "",
      "  public static int table(int k) {",
      "    return (k * 7 + 3) % 5;",
      "  }",
      "",
      "  public static double softclip(double x, double c) {",
      "    double cc = 1.5 + c * c;",
      "    return cc * Math.tanh(x / cc);",
      "  }",
      "",
      "  public static double[] softclipBackward(double x, double c, double result,",
      "      double dResult) {",
      "    double cc = 1.5 + c * c;",
      "    double t = Math.tanh(x / cc);",
      "    double dt = 1 - t * t;",
      "    return new double[] {dResult * dt, dResult * (t - x / cc * dt) * 2 * c};",
      "  }",
      "",
      "  public static double softclipJvp(double x, double c, double result, double dx,",
      "      double dc) {",
      "    double cc = 1.5 + c * c;",
      "    double t = Math.tanh(x / cc);",
      "    double dt = 1 - t * t;",
      "    return dx * dt + dc * (t - x / cc * dt) * 2 * c;",
      "  }",
      "",
      "  public static D softclip(D x, D c) {",
      "    D cc = D.add(D.c(1.5), D.mul(c, c));",
      "    return D.mul(cc, D.tanh(D.div(x, cc)));",
      "  }",
      "",
      "  public static double cube(double x) {",
      "    return x * x * x / 3;",
      "  }",
      "",
      "  public static double cubeBackward(double x, double result, double dResult) {",
      "    return dResult * x * x;",
      "  }",
      "",
      "  @dev.gradgen.Differentiable",
      "  public static double cubeJvp(double x, double result, double dx) {",
      "    return x * x * dx;",
      "  }",
      "",
      "  public static D cube(D x) {",
      "    return D.div(D.mul(D.mul(x, x), x), D.c(3));",
      "  }",
      "",
      "  public static double sumsq(double[] a) {",
      "    double s = 0;",
      "    for (double v : a) {",
      "      s += v * v;",
      "    }",
      "    return s;",
      "  }",
      "",
      "  public static void sumsqBackward(double[] a, double result, double dResult,",
      "      double[] da) {",
      "    if (da != null) {",
      "      for (int i = 0; i < a.length; i++) {",
      "        da[i] += 2 * a[i] * dResult;",
      "      }",
      "    }",
      "  }",
      "",
      "  public static double sumsqJvp(double[] a, double result, double[] da) {",
      "    double t = 0;",
      "    if (da != null) {",
      "      for (int i = 0; i < a.length; i++) {",
      "        t += 2 * a[i] * da[i];",
      "      }",
      "    }",
      "    return t;",
      "  }",
      "",
      "  public static D sumsq(D[] a) {",
      "    D s = D.c(0);",
      "    for (D v : a) {",
      "      s = D.add(s, D.mul(v, v));",
      "    }",
      "    return s;",
      "  }",
      "",
      "  public static double[] spread(double x) {",
      "    return new double[] {x, Math.sin(x), x * x};",
      "  }",
      "",
      "  public static double spreadBackward(double x, double[] result, double[] dResult) {",
      "    return dResult[0] + Math.cos(x) * dResult[1] + 2 * x * dResult[2];",
      "  }",
      "",
      "  public static double[] spreadJvp(double x, double[] result, double dx) {",
      "    return new double[] {dx, Math.cos(x) * dx, 2 * x * dx};",
      "  }",
      "",
      "  public static double[] scaled(double s, double[] a) {",
      "    double[] r = new double[a.length];",
      "    for (int i = 0; i < a.length; i++) {",
      "      r[i] = s * a[i];",
      "    }",
      "    return r;",
      "  }",
      "",
      "  public static double scaledBackward(double s, double[] a, double[] result,",
      "      double[] dResult, double[] da) {",
      "    double ds = 0;",
      "    for (int i = 0; i < a.length; i++) {",
      "      ds += dResult[i] * a[i];",
      "      if (da != null) {",
      "        da[i] += dResult[i] * s;",
      "      }",
      "    }",
      "    return ds;",
      "  }",
      "",
      "  public static double[] scaledJvp(double s, double[] a, double[] result, double ds,",
      "      double[] da) {",
      "    double[] t = new double[a.length];",
      "    for (int i = 0; i < a.length; i++) {",
      "      t[i] = ds * a[i] + (da == null ? 0 : s * da[i]);",
      "    }",
      "    return t;",
      "  }",
      "",
      "  public static D[] scaled(D s, D[] a) {",
      "    D[] r = new D[a.length];",
      "    for (int i = 0; i < a.length; i++) {",
      "      r[i] = D.mul(s, a[i]);",
      "    }",
      "    return r;",
      "  }",
      "}",
      "");

  /**
   * The vector twin of a generated method {@code m}: {@code mVec}, the same body returning a
   * {@code double[]} whose first entry is what {@code m} returns, as an array literal (one method
   * in two) or through the custom vector rule {@code Support.spread}. Its Jacobian's first row is
   * then {@code m}'s gradient, which the dual numbers check.
   */
  static String vectorTwin(Method m, int index) {
    String header = "double " + m.name + "(";
    int at = m.java.indexOf(header);
    String java = m.java.substring(0, at) + "double[] " + m.name + "Vec("
        + m.java.substring(at + header.length());
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher r = RETURN.matcher(java);
    int done = 0;
    while (r.find(done)) {
      int start = r.end();
      int end = statementEnd(java, start);
      String value = java.substring(start, end);
      out.append(java, done, start);
      out.append(index % 2 == 0 ? "new double[] {" + value + ", 2.0}"
          : "Support.spread(" + value + ")");
      done = end;
    }
    return out.append(java.substring(done)).toString();
  }

  /** The index of the {@code ;} that ends the statement from {@code i}, outside brackets. */
  private static int statementEnd(String s, int i) {
    int depth = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'') {
        for (i++; s.charAt(i) != c; i++) {
          if (s.charAt(i) == '\\') {
            i++;
          }
        }
      } else if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      } else if (c == ';' && depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("no end of statement");
  }

  private static final Pattern RETURN = Pattern.compile("(?m)^\\s*return ");

  /** Generates {@code count} methods in classes of {@code perClass}, {@code classesPerBatch}. */
  void run(long baseSeed, int count, int perClass, int classesPerBatch) throws Exception {
    int classIndex = 0;
    int remaining = count;
    int batch = 0;
    while (remaining > 0) {
      List<GenClass> classes = new ArrayList<>();
      for (int c = 0; c < classesPerBatch && remaining > 0; c++) {
        int n = Math.min(perClass, remaining);
        long seed = baseSeed + classIndex;
        ProgramGenerator g = new ProgramGenerator(seed);
        for (int i = 0; i < n; i++) {
          stats.add(g.nextMethod());
        }
        classes.add(new GenClass("Fz" + classIndex, seed, new ArrayList<>(g.methods())));
        classIndex++;
        remaining -= n;
      }
      runBatch(batch++, classes);
    }
  }

  /** Compiles, re-compiles to check determinism, and evaluates one batch. */
  void runBatch(int batch, List<GenClass> classes) throws Exception {
    Compilation c = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      c = compile(classes);
      if (c.status() == Compilation.Status.SUCCESS) {
        break;
      }
      if (!attributeErrors(classes, c)) {
        return;
      }
    }
    if (c.status() != Compilation.Status.SUCCESS) {
      failures.add(new Failure("compilation still failing after dropping methods", null, -1,
          describe(c)));
      return;
    }
    stats.census.addAll(lastProcessor.census());
    Map<String, String> first = generatedSources(c);
    for (String text : first.values()) {
      MECHANISMS.forEach((name, pattern) -> {
        java.util.regex.Matcher m = pattern.matcher(text);
        while (m.find()) {
          stats.mechanisms.merge(name, 1, Integer::sum);
        }
      });
    }
    checkSizes(classes, first);
    Compilation again = compile(classes, false, "-proc:only");
    Map<String, String> second = again.status() == Compilation.Status.SUCCESS
        ? generatedSources(again) : Map.of();
    if (!first.equals(second)) {
      StringBuilder d = new StringBuilder("generated sources differ between two compilations "
          + "of the same batch " + batch + ":");
      for (String k : first.keySet()) {
        if (!first.get(k).equals(second.get(k))) {
          d.append("\n  ").append(k).append(firstDifference(first.get(k), second.get(k)));
        }
      }
      failures.add(new Failure("non-deterministic output", null, -1, d.toString()));
    }
    Path dir = Files.createDirectories(work.resolve("batch" + batch));
    writeClasses(c, dir);
    long t0 = System.nanoTime();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        FuzzHarness.class.getClassLoader())) {
      for (GenClass g : classes) {
        Class<?> prim = cl.loadClass(PACKAGE + "." + g.name);
        Class<?> grad = cl.loadClass(PACKAGE + "." + g.name + "Grad");
        Class<?> dual = cl.loadClass(PACKAGE + "." + g.name + "Dual");
        for (int i = 0; i < g.methods.size(); i++) {
          if (!g.dropped.contains(i)) {
            check(g, i, prim, grad, dual);
          }
        }
      }
    }
    stats.runMillis += (System.nanoTime() - t0) / 1_000_000;
  }

  /** Records generated size per source line, and a failure where it exceeds the bound. */
  private void checkSizes(List<GenClass> classes, Map<String, String> generated) {
    for (GenClass g : classes) {
      String text = generated.entrySet().stream()
          .filter(e -> e.getKey().endsWith("/" + g.name + "Grad.java")).map(Map.Entry::getValue)
          .findFirst().orElse("");
      Map<String, Integer> lines = dev.gradgen.processor.TestSupport.pullbackLines(text);
      for (int i = 0; i < g.methods.size(); i++) {
        if (g.dropped.contains(i)) {
          continue;
        }
        Method m = g.methods.get(i);
        // Lines, or for methods of very long lines (an expression with many calls and
        // assignments inside, each a statement of its own after reading) 80 characters a line.
        int source = (int) Math.max(m.java.lines().count(), m.java.length() / 80);
        Integer pullback = lines.get(m.name);
        if (pullback == null) {
          failures.add(new Failure("no pullback generated", g, i, ""));
          continue;
        }
        stats.sourceLines += source;
        stats.pullbackLines += pullback;
        double ratio = (double) pullback / source;
        if (ratio > stats.worstLinesPerSourceLine) {
          stats.worstLinesPerSourceLine = ratio;
          stats.worstMethod = g.name + "." + m.name;
        }
        if (ratio > MAX_LINES_PER_SOURCE_LINE) {
          failures.add(new Failure("generated code too large", g, i, pullback
              + " generated pullback lines for " + source + " source lines (bound "
              + MAX_LINES_PER_SOURCE_LINE + " per line)"));
        }
      }
    }
  }

  private static String firstDifference(String a, String b) {
    if (b == null) {
      return ": missing in the second compilation";
    }
    String[] la = a.split("\n", -1);
    String[] lb = b.split("\n", -1);
    for (int i = 0; i < Math.min(la.length, lb.length); i++) {
      if (!la[i].equals(lb[i])) {
        return ": line " + (i + 1) + "\n    first:  " + la[i] + "\n    second: " + lb[i];
      }
    }
    return ": lengths " + la.length + " vs " + lb.length + " lines";
  }

  Compilation compile(List<GenClass> classes) {
    return compile(classes, true);
  }

  /** Compiles the batch; the dual twins only if {@code withDual}; extra javac options. */
  Compilation compile(List<GenClass> classes, boolean withDual, String... extra) {
    List<JavaFileObject> files = new ArrayList<>();
    for (GenClass g : classes) {
      files.add(JavaFileObjects.forSourceString(PACKAGE + "." + g.name, g.javaText()));
      if (files.size() == 1) {
        files.add(JavaFileObjects.forSourceString(PACKAGE + ".Support", SUPPORT));
        files.add(JavaFileObjects.forSourceString(PACKAGE + ".Lib", LIB));
        files.add(JavaFileObjects.forSourceString(PACKAGE + ".LibRules", LIB_RULES));
      }
      if (withDual) {
        files.add(JavaFileObjects.forSourceString(PACKAGE + "." + g.name + "Dual",
            g.dualText()));
      }
    }
    List<Object> options = new ArrayList<>(Arrays.asList((Object[]) OPTIONS));
    options.addAll(Arrays.asList((Object[]) extra));
    if (!classes.isEmpty() && Math.floorMod(classes.get(0).seed, 4) == 3) {
      // A batch in four, by its first class's seed (so a reproduction compiles it the same
      // way), with every partial named: the explained code must be as right.
      options.add("-Agradgen.explain");
    }
    String dump = System.getProperty("gradgen.fuzz.dump");
    if (dump != null) {
      try {
        // One folder per compilation: batches reuse class names.
        Path d = Files.createDirectories(Path.of(dump, "batch" + stats.compilations));
        for (GenClass g : classes) {
          Files.writeString(d.resolve(g.name + ".java"), g.javaText());
          Files.writeString(d.resolve(g.name + "Dual.java"), g.dualText());
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    long t0 = System.nanoTime();
    lastProcessor = new GradgenProcessor();
    Compilation c = Compiler.javac().withProcessors(lastProcessor)
        .withOptions(options).withClasspath(classpath).compile(files);
    stats.compileMillis += (System.nanoTime() - t0) / 1_000_000;
    stats.compilations++;
    return c;
  }

  static String describe(Compilation c) {
    StringBuilder b = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) {
        continue;
      }
      b.append(d.getKind()).append(' ')
          .append(d.getSource() == null ? "" : d.getSource().getName() + ":")
          .append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
    }
    return b.toString();
  }

  private static final Pattern LINE_COMMENT = Pattern.compile("//\\s*line (\\d+):");

  /**
   * Records a failure for every error / warning of a failed compilation, attributed to a
   * generated method (by line in the source, or via the generated code's {@code // line N}
   * comments), and drops those methods and their callers so the rest of the batch still runs.
   * Returns false if some diagnostic could not be attributed.
   */
  private boolean attributeErrors(List<GenClass> classes, Compilation c) throws IOException {
    boolean any = false;
    Map<String, List<String>> perMethod = new LinkedHashMap<>();
    Map<String, GenClass> owners = new LinkedHashMap<>();
    Map<String, Integer> indexes = new LinkedHashMap<>();
    StringBuilder unattributed = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) {
        continue;
      }
      String message = d.getKind() + " " + (d.getSource() == null ? ""
          : d.getSource().getName() + ":") + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT);
      GenClass owner = null;
      int method = -1;
      String extra = "";
      if (d.getSource() != null) {
        String file = d.getSource().getName();
        for (GenClass g : classes) {
          if (file.endsWith("/" + g.name + ".java")) {
            owner = g;
            method = g.methodAt(d.getLineNumber());
          } else if (file.endsWith("/" + g.name + "Grad.java")) {
            owner = g;
            String text = d.getSource().getCharContent(true).toString();
            String[] ls = text.split("\n", -1);
            int line = (int) d.getLineNumber() - 1;
            extra = "\n  generated line: " + (line >= 0 && line < ls.length ? ls[line].trim()
                : "?");
            for (int i = Math.min(line, ls.length - 1); i >= 0; i--) {
              Matcher mm = LINE_COMMENT.matcher(ls[i]);
              if (mm.find()) {
                method = g.methodAt(Long.parseLong(mm.group(1)));
                break;
              }
            }
          }
        }
      }
      if (owner == null || method < 0) {
        if (!message.contains("warnings found and -Werror specified")) {
          unattributed.append(message).append('\n');
        }
        continue;
      }
      String key = owner.name + "." + method;
      perMethod.computeIfAbsent(key, k -> new ArrayList<>()).add(message + extra);
      owners.put(key, owner);
      indexes.put(key, method);
      any = true;
    }
    for (String key : perMethod.keySet()) {
      GenClass g = owners.get(key);
      int i = indexes.get(key);
      failures.add(new Failure("compile error", g, i, String.join("\n", perMethod.get(key))));
      dropWithCallers(g, i);
    }
    if (unattributed.length() > 0) {
      failures.add(new Failure("unattributed diagnostics", null, -1, unattributed.toString()));
      return any;
    }
    return any;
  }

  private static void dropWithCallers(GenClass g, int index) {
    if (!g.dropped.add(index)) {
      return;
    }
    for (int i = index + 1; i < g.methods.size(); i++) {
      if (g.methods.get(i).callees.contains(index)) {
        dropWithCallers(g, i);
      }
    }
  }

  private static Map<String, String> generatedSources(Compilation c) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (JavaFileObject f : c.generatedSourceFiles()) {
      out.put(f.toUri().toString(), f.getCharContent(true).toString());
    }
    return out;
  }

  private static void writeClasses(Compilation c, Path dir) throws IOException {
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String uri = f.toUri().getPath();
      int at = uri.indexOf("CLASS_OUTPUT/");
      String relative = at >= 0 ? uri.substring(at + "CLASS_OUTPUT/".length())
          : uri.replaceFirst("^/+", "");
      Path out = dir.resolve(relative);
      Files.createDirectories(out.getParent());
      try (InputStream in = f.openInputStream()) {
        Files.write(out, in.readAllBytes());
      }
    }
  }

  // ------------------------------------------------------------------ evaluation

  private static java.lang.reflect.Method find(Class<?> type, String name, boolean record) {
    for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name) && (!record || m.getReturnType().isRecord())) {
        m.setAccessible(true);
        return m;
      }
    }
    throw new IllegalStateException("no method " + name + " in " + type);
  }

  private static Object invoke(java.lang.reflect.Method m, Object[] args) throws Throwable {
    return invoke(m, null, args);
  }

  /** Calls {@code m} on {@code receiver} (null for a static method). */
  private static Object invoke(java.lang.reflect.Method m, Object receiver, Object[] args)
      throws Throwable {
    try {
      return m.invoke(receiver, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The instance {@code SELF} of a generated class (primal or dual). */
  private static Object self(Class<?> type) {
    try {
      java.lang.reflect.Field f = type.getDeclaredField("SELF");
      f.setAccessible(true);
      return f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The generated methods of an instance method take the receiver first. */
  private static Object[] withReceiver(Object receiver, Object[] args) {
    Object[] all = new Object[args.length + 1];
    all[0] = receiver;
    System.arraycopy(args, 0, all, 1, args.length);
    return all;
  }

  /** Random inputs for a parameter list. */
  static Object[] inputs(List<Param> params, Random r, Object[] modes) {
    Object[] args = new Object[params.size()];
    for (int i = 0; i < args.length; i++) {
      Param p = params.get(i);
      args[i] = switch (p.t()) {
        case DBL -> r.nextDouble() * 3 - 1.5;
        case INT -> r.nextInt(5);
        case ARR -> {
          double[] a = new double[1 + r.nextInt(5)];
          for (int k = 0; k < a.length; k++) {
            a[k] = r.nextDouble() * 3 - 1.5;
          }
          yield a;
        }
        case MAT -> {
          int rows = 1 + r.nextInt(3);
          int cols = 1 + r.nextInt(4);
          double[][] m = new double[rows][cols];
          for (double[] row : m) {
            for (int k = 0; k < cols; k++) {
              row[k] = r.nextDouble() * 3 - 1.5;
            }
          }
          yield m;
        }
        case TEN -> {
          int planes = 1 + r.nextInt(3);
          int rows = 1 + r.nextInt(3);
          int cols = 1 + r.nextInt(3);
          double[][][] t = new double[planes][rows][cols];
          for (double[][] plane : t) {
            for (double[] row : plane) {
              for (int k = 0; k < cols; k++) {
                row[k] = r.nextDouble() * 3 - 1.5;
              }
            }
          }
          yield t;
        }
        case LONG -> (long) r.nextInt(5);
        case BOOL -> r.nextBoolean();
        case INTS -> {
          int[] a = new int[1 + r.nextInt(4)];
          for (int k = 0; k < a.length; k++) {
            a[k] = r.nextInt(5);
          }
          yield a;
        }
        case MODE -> r.nextInt(5) == 0 ? null : modes[r.nextInt(modes.length)];
        case STR -> new String[] {null, "a", "ab", "abc", "abcde"}[r.nextInt(5)];
        case CHR -> (char) ('a' + r.nextInt(3));
        case FLT -> (float) r.nextGaussian();
      };
    }
    return args;
  }

  /** The dual twin's arguments: unit tangents on every differentiable entry, in order. */
  static Object[] dualInputs(List<Param> params, Object[] args) {
    int dims = 0;
    for (int i = 0; i < args.length; i++) {
      if (!params.get(i).noGrad()) {
        dims += dev.gradgen.processor.TestSupport.size(args[i]);
      }
    }
    D.reset(dims);
    int dir = 0;
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      boolean active = params.get(i).differentiable();
      Object a = args[i];
      if (a instanceof Double v) {
        out[i] = active ? D.seed(v, dir++) : D.c(v);
      } else if (a instanceof double[] v) {
        D[] d = new D[v.length];
        for (int k = 0; k < v.length; k++) {
          d[k] = active ? D.seed(v[k], dir++) : D.c(v[k]);
        }
        out[i] = d;
      } else if (a instanceof double[][] m) {
        D[][] d = new D[m.length][];
        for (int k = 0; k < m.length; k++) {
          d[k] = new D[m[k].length];
          for (int l = 0; l < m[k].length; l++) {
            d[k][l] = active ? D.seed(m[k][l], dir++) : D.c(m[k][l]);
          }
        }
        out[i] = d;
      } else if (a instanceof double[][][] t) {
        D[][][] d = new D[t.length][][];
        for (int p = 0; p < t.length; p++) {
          d[p] = new D[t[p].length][];
          for (int k = 0; k < t[p].length; k++) {
            d[p][k] = new D[t[p][k].length];
            for (int l = 0; l < t[p][k].length; l++) {
              d[p][k][l] = active ? D.seed(t[p][k][l], dir++) : D.c(t[p][k][l]);
            }
          }
        }
        out[i] = d;
      } else if (a instanceof int[] k) {
        out[i] = k.clone(); // the method may write into it; the others get their own copies
      } else {
        out[i] = a;
      }
    }
    return out;
  }

  /** Names of the flattened gradient entries, for messages: x0, a1[2], m0[1][0]. */
  static List<String> entryNames(List<Param> params, Object[] args) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      Param p = params.get(i);
      if (!p.differentiable()) {
        continue;
      }
      if (args[i] instanceof Double) {
        names.add(p.name());
      } else if (args[i] instanceof double[] v) {
        for (int k = 0; k < v.length; k++) {
          names.add(p.name() + "[" + k + "]");
        }
      } else if (args[i] instanceof double[][] m) {
        for (int k = 0; k < m.length; k++) {
          for (int l = 0; l < m[k].length; l++) {
            names.add(p.name() + "[" + k + "][" + l + "]");
          }
        }
      } else if (args[i] instanceof double[][][] t) {
        for (int q = 0; q < t.length; q++) {
          for (int k = 0; k < t[q].length; k++) {
            for (int l = 0; l < t[q][k].length; l++) {
              names.add(p.name() + "[" + q + "][" + k + "][" + l + "]");
            }
          }
        }
      }
    }
    return names;
  }

  static String show(Object[] args) {
    StringBuilder b = new StringBuilder();
    for (Object a : args) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(a instanceof double[] v ? Arrays.toString(v) : a instanceof int[] k
          ? Arrays.toString(k) : a instanceof Object[] m ? Arrays.deepToString(m)
          : a instanceof String text ? '"' + text + '"' : String.valueOf(a));
    }
    return b.toString();
  }

  private static String stack(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    String[] ls = w.toString().split("\n");
    return String.join("\n", Arrays.asList(ls).subList(0, Math.min(ls.length, 8)));
  }

  private static boolean close(double expected, double actual, double scale) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    return Math.abs(expected - actual) <= REL_TOL * Math.max(1.0, scale);
  }

  private void check(GenClass g, int index, Class<?> prim, Class<?> grad, Class<?> dual)
      throws ClassNotFoundException {
    Method m = g.methods.get(index);
    java.lang.reflect.Method pm = find(prim, m.name, false);
    java.lang.reflect.Method gm = find(grad, m.name, true);
    java.lang.reflect.Method dm = find(dual, m.name, false);
    int rounds = 2;
    for (int round = 0; round < rounds; round++) {
      Random r = new Random(g.seed * 1_000_003L + index * 7919L + round);
      Object[] args = null;
      D result = null;
      double margin = 0;
      for (int attempt = 0; attempt < 25; attempt++) {
        args = inputs(m.params, r, prim.getClassLoader().loadClass(PACKAGE + ".Support$Mode")
            .getEnumConstants());
        try {
          result = (D) invoke(dm, m.instance ? self(dual) : null, dualInputs(m.params, args));
        } catch (Throwable t) {
          failures.add(new Failure("oracle (dual twin) threw", g, index,
              "inputs: " + show(args) + "\n" + stack(t)));
          return;
        }
        margin = D.margin;
        if (margin >= MARGIN) {
          break;
        }
        stats.resamples++;
      }
      if (margin < MARGIN) {
        stats.nearKinkAccepted++;
      }
      if (!checkAt(g, index, m, pm, gm, args, result, margin)) {
        return;
      }
    }
    stats.checked++;
  }

  /** One evaluation; false after recording a failure. */
  private boolean checkAt(GenClass g, int index, Method m, java.lang.reflect.Method pm,
      java.lang.reflect.Method gm, Object[] args, D result, double margin) {
    String inputs = "inputs: " + show(args);
    double primal;
    try {
      primal = (Double) invoke(pm, m.instance ? self(pm.getDeclaringClass()) : null,
          TestSupport.deepCopy(args));
    } catch (Throwable t) {
      failures.add(new Failure("generator produced a method that throws", g, index,
          inputs + "\n" + stack(t)));
      return false;
    }
    if (!Double.isFinite(primal) || !Double.isFinite(result.v)) {
      stats.nonFinite++;
      return true;
    }
    if (!close(primal, result.v, Math.abs(primal) * 1e3)) {
      failures.add(new Failure("oracle value differs from the method (fuzzer bug)", g, index,
          inputs + "\nmethod: " + primal + ", dual twin: " + result.v));
      return false;
    }
    Object[] before = TestSupport.deepCopy(args);
    Object record;
    try {
      record = invoke(gm, m.instance ? withReceiver(self(pm.getDeclaringClass()), args) : args);
    } catch (Throwable t) {
      failures.add(new Failure("generated gradient threw", g, index, inputs + "\n" + stack(t)));
      return false;
    }
    for (int i = 0; i < args.length; i++) {
      if (!Arrays.deepEquals(new Object[] {args[i]}, new Object[] {before[i]})) {
        failures.add(new Failure("generated gradient modified its argument", g, index,
            inputs + "\nargument " + i + " (" + m.params.get(i).name() + ") after: "
                + show(new Object[] {args[i]})));
        return false;
      }
    }
    List<Double> grads = new ArrayList<>();
    double value;
    try {
      RecordComponent[] rc = record.getClass().getRecordComponents();
      rc[0].getAccessor().setAccessible(true);
      value = (Double) rc[0].getAccessor().invoke(record);
      for (int i = 1; i < rc.length; i++) {
        rc[i].getAccessor().setAccessible(true);
        dev.gradgen.processor.TestSupport.flattenInto(rc[i].getAccessor().invoke(record),
            grads);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    if (Double.doubleToLongBits(value) != Double.doubleToLongBits(primal)
        && !close(primal, value, Math.abs(primal) * 1e-3)) {
      failures.add(new Failure("value differs", g, index,
          inputs + "\nexpected (method) " + primal + ", actual (gradient record) " + value));
      return false;
    }
    List<String> names = entryNames(m.params, args);
    if (grads.size() != names.size()) {
      failures.add(new Failure("gradient has the wrong size", g, index,
          inputs + "\nexpected " + names.size() + " entries, got " + grads.size()));
      return false;
    }
    for (int k = 0; k < names.size(); k++) {
      double expected = result.tangent(k);
      double actual = grads.get(k);
      if (margin < MARGIN && Double.isNaN(actual) && !Double.isNaN(expected)) {
        // Documented convention: through a point where a derivative is infinite (sqrt or cbrt
        // at 0, hypot at the origin) the chain rule's infinity * 0 is NaN, as in JAX and PyTorch.
        // The dual numbers may get a finite value there; only such structurally singular points
        // (no input away from them exists) are exempt, and only for NaN.
        stats.singularNaN++;
        continue;
      }
      if (!close(expected, actual, Math.abs(expected))) {
        StringBuilder all = new StringBuilder();
        for (int l = 0; l < names.size(); l++) {
          all.append("\n    ").append(names.get(l)).append(": expected ")
              .append(result.tangent(l)).append(", actual ").append(grads.get(l));
        }
        failures.add(new Failure(margin < MARGIN
            ? "gradient mismatch at a kink/singular point (no input away from it found)"
            : "gradient mismatch", g, index, inputs
            + (margin < MARGIN ? "\nsmallest distance to a kink or singular point: " + margin
                : "")
            + "\nfirst differing entry: d/d" + names.get(k) + " expected (dual numbers) "
            + expected + ", actual (gradgen) " + actual + "\nvalue " + primal
            + "\nall entries:" + all));
        return false;
      }
    }
    return checkJvp(g, index, m, pm.getDeclaringClass(), gm.getDeclaringClass(), args, result,
        margin, names);
  }

  /**
   * Forward mode against the dual numbers: {@code mJvp} along a random direction gives the value
   * and the oracle's gradient times the direction, and modifies neither arguments nor direction.
   */
  private boolean checkJvp(GenClass g, int index, Method m, Class<?> prim, Class<?> grad,
      Object[] args, D result, double margin, List<String> names) {
    java.lang.reflect.Method jm = find(grad, m.name + "Jvp", true);
    Random r = new Random(g.seed * 31L + index);
    List<Object> directions = new ArrayList<>();
    List<Double> flatU = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (m.params.get(i).differentiable()) {
        Object u = direction(args[i], r);
        directions.add(u);
        dev.gradgen.processor.TestSupport.flattenInto(u, flatU);
      }
    }
    double expected = 0;
    double scale = 0;
    for (int k = 0; k < names.size(); k++) {
      double t = result.tangent(k);
      if (flatU.get(k) == 0) {
        continue;
      }
      if (!Double.isFinite(t)) {
        stats.singularNaN++;
        return true; // the oracle's derivative is not a number here: nothing to compare with
      }
      expected += t * flatU.get(k);
      scale += Math.abs(t * flatU.get(k));
    }
    Object[] all = new Object[args.length + directions.size()];
    Object[] copy = TestSupport.deepCopy(args);
    System.arraycopy(copy, 0, all, 0, args.length);
    for (int k = 0; k < directions.size(); k++) {
      all[args.length + k] = directions.get(k);
    }
    Object[] before = TestSupport.deepCopy(all);
    Object record;
    try {
      record = invoke(jm, m.instance ? withReceiver(self(prim), all) : all);
    } catch (Throwable t) {
      failures.add(new Failure("generated JVP threw", g, index, "inputs: " + show(args)
          + "\n" + stack(t)));
      return false;
    }
    if (!Arrays.deepEquals(all, before)) {
      failures.add(new Failure("generated JVP modified its arguments", g, index,
          "inputs: " + show(args)));
      return false;
    }
    double tangent;
    try {
      java.lang.reflect.Method acc = record.getClass().getMethod("tangent");
      acc.setAccessible(true);
      tangent = (Double) acc.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    if (margin < MARGIN && Double.isNaN(tangent)) {
      stats.singularNaN++;
      return true;
    }
    if (!close(expected, tangent, scale)) {
      failures.add(new Failure(margin < MARGIN
          ? "JVP mismatch at a kink/singular point (no input away from it found)"
          : "JVP mismatch", g, index, "inputs: " + show(args) + "\ndirection: "
          + show(directions.toArray()) + "\nexpected (dual numbers) " + expected
          + ", actual (gradgen mJvp) " + tangent));
      return false;
    }
    return checkHessian(g, index, m, prim, grad, args, margin, before, flatU)
        && checkVectorTwin(g, index, m, prim, grad, args);
  }

  /**
   * Second order: {@code mHessian} is symmetric, its gradient is the reverse mode's, it matches
   * central differences of the generated gradient (away from kinks), and {@code mHvp} along the
   * JVP's direction is the Hessian times it. A method calling a custom rule may throw instead,
   * saying second order is not available there.
   */
  private boolean checkHessian(GenClass g, int index, Method m, Class<?> prim, Class<?> grad,
      Object[] args, double margin, Object[] withDirections, List<Double> u) {
    java.lang.reflect.Method hm = find(grad, m.name + "Hessian", true);
    java.lang.reflect.Method gm = find(grad, m.name, true);
    java.lang.reflect.Method vm = find(grad, m.name + "Hvp", true);
    Object receiver = m.instance ? self(prim) : null;
    String inputs = "inputs: " + show(args);
    Object result;
    try {
      result = invoke(hm, m.instance ? withReceiver(receiver, TestSupport.deepCopy(args))
          : TestSupport.deepCopy(args));
    } catch (UnsupportedOperationException e) {
      if (e.getMessage() != null && (e.getMessage().startsWith("second order through Support.")
          || e.getMessage().startsWith("second order through Lib."))) {
        stats.secondOrderUnavailable++;
        return true;
      }
      failures.add(new Failure("generated Hessian threw", g, index, inputs + "\n" + stack(e)));
      return false;
    } catch (Throwable t) {
      failures.add(new Failure("generated Hessian threw", g, index, inputs + "\n" + stack(t)));
      return false;
    }
    double[][] h;
    double[] hg;
    double[] grad0;
    try {
      h = (double[][]) accessor(result, "hessian");
      hg = (double[]) accessor(result, "gradient");
      grad0 = flatGradient(invoke(gm, m.instance ? withReceiver(receiver, args) : args));
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    int n = grad0.length;
    if (h.length != n || hg.length != n) {
      failures.add(new Failure("Hessian has the wrong size", g, index, inputs + "\nexpected "
          + n + " rows, got " + h.length));
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (Double.doubleToLongBits(hg[i]) != Double.doubleToLongBits(grad0[i])) {
        failures.add(new Failure("Hessian record's gradient differs from the gradient", g, index,
            inputs + "\nentry " + i + ": " + hg[i] + " vs " + grad0[i]));
        return false;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (!Double.isFinite(h[i][j])) {
          stats.nonFinite++;
          return true;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double scale = Math.max(Math.abs(h[i][j]), Math.abs(h[j][i]));
        if (Math.abs(h[i][j] - h[j][i]) > 1e-8 * Math.max(1, scale) && !stopsGradient(g, index)) {
          failures.add(new Failure("Hessian not symmetric", g, index, inputs + "\nH[" + i + "]["
              + j + "] = " + h[i][j] + ", H[" + j + "][" + i + "] = " + h[j][i]));
          return false;
        }
      }
    }
    // H u from mHvp.
    Object hvp;
    try {
      hvp = invoke(vm, m.instance ? withReceiver(receiver, TestSupport.deepCopy(withDirections))
          : TestSupport.deepCopy(withDirections));
    } catch (Throwable t) {
      failures.add(new Failure("generated HVP threw", g, index, inputs + "\n" + stack(t)));
      return false;
    }
    double[] hu = flatGradient(hvp);
    for (int i = 0; i < n; i++) {
      double expected = 0;
      double scale = 0;
      for (int j = 0; j < n; j++) {
        expected += h[i][j] * u.get(j);
        scale += Math.abs(h[i][j] * u.get(j));
      }
      if (Math.abs(hu[i] - expected) > 1e-9 * Math.max(1, scale)) {
        failures.add(new Failure("HVP differs from the Hessian times the direction", g, index,
            inputs + "\nentry " + i + ": mHvp " + hu[i] + ", H u " + expected));
        return false;
      }
    }
    // Central differences of the generated gradient, away from kinks. Not through StopGradient:
    // there the gradient is not the gradient of the method's value, so neither is its derivative.
    if (margin >= 1e-3 && !stopsGradient(g, index)) {
      List<Double> flat = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        if (m.params.get(i).differentiable()) {
          TestSupport.flattenInto(args[i], flat);
        }
      }
      for (int j = 0; j < n; j++) {
        // Step 1e-6, and where that disagrees, 1e-7 down to 1e-10: a curvature of 1e10 near a
        // near-singularity makes the truncation error of the first step alone 1 % (seed
        // 11110041: -9.749e9 at 1e-6, -9.6535e9 at 1e-7, -9.65248e9 at 1e-8, H = -9.65247e9),
        // and a gradient oscillating with a period of 1.5e-8 needs a step below that (seed
        // 16160041, H = -3.39e17: the differences scatter from 1e-6 to 1e-8, agree below).
        String mismatch = null;
        // The differences of entry i at each step, to tell a wrong Hessian (the differences
        // agree with each other, not with H) from a function the steps cannot resolve.
        List<double[]> differences = new ArrayList<>();
        for (double shrink : new double[] {1, 0.1, 0.01, 1e-3, 1e-4}) {
          double step = 1e-6 * shrink * Math.max(1, Math.abs(flat.get(j)));
          double[][] at = new double[2][];
          for (int side = 0; side < 2; side++) {
            double[] x = flat.stream().mapToDouble(Double::doubleValue).toArray();
            x[j] += side == 0 ? step : -step;
            Object[] a = TestSupport.deepCopy(args);
            int[] pos = {0};
            for (int i = 0; i < args.length; i++) {
              if (m.params.get(i).differentiable()) {
                a[i] = TestSupport.unflattenPublic(args[i], x, pos);
              }
            }
            try {
              at[side] = flatGradient(invoke(gm, m.instance ? withReceiver(receiver, a) : a));
            } catch (Throwable t) {
              throw new IllegalStateException(t);
            }
          }
          String wrong = null;
          double[] fds = new double[n];
          differences.add(fds);
          for (int i = 0; i < n; i++) {
            fds[i] = (at[0][i] - at[1][i]) / (2 * step);
          }
          for (int i = 0; i < n && wrong == null; i++) {
            double fd = fds[i];
            double scale = Math.max(1, Math.max(Math.abs(fd), Math.abs(grad0[i])));
            if (!Double.isFinite(fd)) {
              return true;
            }
            if (Math.abs(h[i][j] - fd) > 1e-4 * scale) {
              wrong = "H[" + i + "][" + j + "] = " + h[i][j] + ", central differences of the"
                  + " generated gradient " + fd + " (step " + step + ")";
            }
          }
          if (wrong == null) {
            mismatch = null;
            break;
          }
          mismatch = mismatch == null ? wrong : mismatch + "; " + wrong;
        }
        if (mismatch != null && unresolved(differences)) {
          // From 1e-6 to 1e-10 the differences disagree with each other by more than 10 %: the
          // gradient changes faster than the steps resolve, or roundoff swamps them. No step
          // checks the entry; counted, not failed. A wrong Hessian shows as differences that
          // agree with each other and not with H.
          stats.unresolvedHessians++;
          mismatch = null;
        }
        if (mismatch != null) {
          failures.add(new Failure("Hessian differs from finite differences of the gradient",
              g, index, inputs + "\n" + mismatch));
          return false;
        }
      }
    }
    stats.hessians++;
    return true;
  }

  /** Whether some entry's differences at the successive steps differ by more than 10 %. */
  private static boolean unresolved(List<double[]> differences) {
    for (int i = 0; i < differences.get(0).length; i++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double[] d : differences) {
        lo = Math.min(lo, d[i]);
        hi = Math.max(hi, d[i]);
      }
      if (hi - lo > 0.1 * Math.max(1, Math.max(Math.abs(lo), Math.abs(hi)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The vector twin {@code mVec}: its value starts with {@code m}'s, its Jacobian's first row is
   * {@code m}'s gradient (checked against the dual numbers), its JVP is the Jacobian times a
   * direction, and its JVP and VJP satisfy the dot-product identity.
   */
  private boolean checkVectorTwin(GenClass g, int index, Method m, Class<?> prim,
      Class<?> grad, Object[] args) {
    String inputs = "inputs: " + show(args);
    String twin = m.name + "Vec";
    Object receiver = m.instance ? self(prim) : null;
    java.lang.reflect.Method jm = find(grad, twin, true);
    java.lang.reflect.Method gm = find(grad, m.name, true);
    java.lang.reflect.Method fm = find(grad, twin + "Jvp", true);
    java.lang.reflect.Method vm = find(grad, twin + "Vjp", true);
    Object jac;
    double[] gradient;
    double value;
    try {
      jac = invoke(jm, m.instance ? withReceiver(receiver, TestSupport.deepCopy(args))
          : TestSupport.deepCopy(args));
      Object gr = invoke(gm, m.instance ? withReceiver(receiver, TestSupport.deepCopy(args))
          : TestSupport.deepCopy(args));
      gradient = flatGradient(gr);
      value = (Double) accessor(gr, "value");
    } catch (Throwable t) {
      failures.add(new Failure("vector twin's Jacobian threw", g, index, inputs + "\n"
          + stack(t)));
      return false;
    }
    double[] v0;
    double[][] rows;
    try {
      v0 = (double[]) accessor(jac, "value");
      rows = jacobianRows(jac, v0.length);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    int outputs = v0.length;
    int n = gradient.length;
    if (Double.doubleToLongBits(v0[0]) != Double.doubleToLongBits(value)) {
      failures.add(new Failure("vector twin's value differs", g, index, inputs + "\n" + v0[0]
          + " vs " + value));
      return false;
    }
    String bufferProblem = checkJacobianBuffer(m, grad, twin, receiver, args, v0, rows);
    if (bufferProblem != null) {
      failures.add(new Failure("vector twin's buffer form differs from its record form", g,
          index, inputs + "\n" + bufferProblem));
      return false;
    }
    for (double gk : gradient) {
      if (Double.isNaN(gk)) {
        // The gradient check accepted a NaN at a structurally singular point (infinity * 0 by
        // the chain rule): the twin's sweeps may get the finite value there or NaN, each by its
        // own order of products (seed 15150022: cbrt(x0 * 0), 0.0 by forward passes, NaN by
        // reverse mode), so neither its Jacobian row nor its JVP-VJP identity is checked here.
        stats.singularNaN++;
        return true;
      }
    }
    for (int k = 0; k < n; k++) {
      if (!close(gradient[k], rows[0][k], Math.abs(gradient[k]))) {
        failures.add(new Failure("vector twin's Jacobian row 0 is not the gradient", g, index,
            inputs + "\nentry " + k + ": " + rows[0][k] + " vs " + gradient[k]));
        return false;
      }
    }
    for (double[] row : rows) {
      for (double x : row) {
        if (!Double.isFinite(x)) {
          stats.nonFinite++;
          return true;
        }
      }
    }
    List<Object> shapes = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (m.params.get(i).differentiable()) {
        shapes.add(args[i]);
        positions.add(i);
      }
    }
    java.util.function.Function<double[], double[]> jvp = u -> {
      Object[] all = new Object[args.length + shapes.size()];
      System.arraycopy(TestSupport.deepCopy(args), 0, all, 0, args.length);
      int[] pos = {0};
      for (int k = 0; k < shapes.size(); k++) {
        all[args.length + k] = TestSupport.unflattenPublic(shapes.get(k), u, pos);
      }
      try {
        return (double[]) accessor(invoke(fm, m.instance ? withReceiver(receiver, all) : all),
            "tangent");
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    };
    java.util.function.Function<double[], double[]> vjp = c -> {
      Object[] all = new Object[args.length + 1];
      System.arraycopy(TestSupport.deepCopy(args), 0, all, 0, args.length);
      all[args.length] = c;
      try {
        return flatGradient(invoke(vm, m.instance ? withReceiver(receiver, all) : all));
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    };
    try {
      dev.gradgen.GradCheck.Report identity = dev.gradgen.GradCheck.jvpVjp(jvp, vjp, n, outputs,
          3, g.seed * 17 + index);
      if (identity.maxRelativeError() > 1e-9) {
        failures.add(new Failure("vector twin's JVP and VJP disagree", g, index, inputs + "\n"
            + identity));
        return false;
      }
      double[] u = new double[n];
      Random r = new Random(g.seed + index);
      for (int k = 0; k < n; k++) {
        u[k] = 2 * r.nextDouble() - 1;
      }
      double[] ju = jvp.apply(u);
      for (int i = 0; i < outputs; i++) {
        double expected = 0;
        double scale = 0;
        for (int k = 0; k < n; k++) {
          expected += rows[i][k] * u[k];
          scale += Math.abs(rows[i][k] * u[k]);
        }
        if (Math.abs(ju[i] - expected) > 1e-9 * Math.max(1, scale)) {
          failures.add(new Failure("vector twin's JVP is not the Jacobian times the direction",
              g, index, inputs + "\noutput " + i + ": " + ju[i] + " vs " + expected));
          return false;
        }
      }
    } catch (IllegalStateException e) {
      failures.add(new Failure("vector twin's JVP or VJP threw", g, index, inputs + "\n"
          + stack(e)));
      return false;
    }
    stats.vectorTwins++;
    return true;
  }

  /**
   * The buffer form of the twin's Jacobian ({@code twin(args, buffer)}, whose value comes from
   * its first reverse pass, or from the method when forward passes run) against the record form:
   * the same value and the same rows, bit for bit. Returns what differs, or null.
   */
  private static String checkJacobianBuffer(Method m, Class<?> grad, String twin,
      Object receiver, Object[] args, double[] value, double[][] rows) {
    try {
      String bufferName = grad.getName() + "$" + Character.toUpperCase(twin.charAt(0))
          + twin.substring(1) + "JacobianBuffer";
      Class<?> buffer = Class.forName(bufferName, true, grad.getClassLoader());
      List<Object> shapes = new ArrayList<>();
      shapes.add(value.length);
      for (int i = 0; i < args.length; i++) {
        if (m.params.get(i).differentiable() && args[i] != null && args[i].getClass().isArray()) {
          shapes.add(TestSupport.deepCopy(new Object[] {args[i]})[0]);
        }
      }
      java.lang.reflect.Constructor<?> make = buffer.getConstructors()[0];
      Object buf = make.newInstance(shapes.toArray());
      java.lang.reflect.Method form = null;
      for (java.lang.reflect.Method f : grad.getDeclaredMethods()) {
        Class<?>[] types = f.getParameterTypes();
        if (f.getName().equals(twin) && types.length > 0 && types[types.length - 1] == buffer) {
          form = f;
        }
      }
      if (form == null) {
        return "no buffer form " + twin + "(..., " + buffer.getSimpleName() + ")";
      }
      form.setAccessible(true);
      // twice through the same buffer: it is overwritten, not accumulated into
      for (int round = 0; round < 2; round++) {
        String problem = compareBuffer(m, form, receiver, args, buf, buffer, twin, grad, value,
            rows);
        if (problem != null) {
          return (round == 0 ? "" : "reused buffer: ") + problem;
        }
      }
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String compareBuffer(Method m, java.lang.reflect.Method form, Object receiver,
      Object[] args, Object buf, Class<?> buffer, String twin, Class<?> grad, double[] value,
      double[][] rows) {
    try {
      Object[] copied = TestSupport.deepCopy(args);
      Object[] all = java.util.Arrays.copyOf(copied, copied.length + 1);
      all[copied.length] = buf;
      double[] got;
      try {
        got = (double[]) invoke(form, m.instance ? withReceiver(receiver, all) : all);
      } catch (Throwable t) {
        return "the buffer form threw: " + stack(t);
      }
      if (got.length != value.length) {
        return "value length " + got.length + " vs " + value.length;
      }
      for (int i = 0; i < value.length; i++) {
        if (Double.doubleToLongBits(got[i]) != Double.doubleToLongBits(value[i])) {
          return "value[" + i + "]: " + got[i] + " vs " + value[i];
        }
      }
      // the buffer's public blocks, named like the record's components, in the same order
      RecordComponent[] rc = null;
      for (Class<?> c : grad.getDeclaredClasses()) {
        if (c.getSimpleName().equalsIgnoreCase(twin + "Jacobian") && c.isRecord()) {
          rc = c.getRecordComponents();
        }
      }
      if (rc == null) {
        return "no Jacobian record for " + twin;
      }
      for (int i = 0; i < value.length; i++) {
        List<Double> row = new ArrayList<>();
        for (int k = 1; k < rc.length; k++) {
          Object block = buffer.getField(rc[k].getName()).get(buf);
          TestSupport.flattenInto(block instanceof double[] v ? (Object) v[i]
              : ((Object[]) block)[i], row);
        }
        if (row.size() != rows[i].length) {
          return "row " + i + " has " + row.size() + " entries vs " + rows[i].length;
        }
        for (int k = 0; k < row.size(); k++) {
          if (Double.doubleToLongBits(row.get(k)) != Double.doubleToLongBits(rows[i][k])) {
            return "row " + i + " entry " + k + ": " + row.get(k) + " vs " + rows[i][k];
          }
        }
      }
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Jacobian record's rows, flattened over the parameters in order. */
  private static double[][] jacobianRows(Object jac, int outputs)
      throws ReflectiveOperationException {
    RecordComponent[] rc = jac.getClass().getRecordComponents();
    double[][] rows = new double[outputs][];
    for (int i = 0; i < outputs; i++) {
      List<Double> row = new ArrayList<>();
      for (int k = 1; k < rc.length; k++) {
        rc[k].getAccessor().setAccessible(true);
        Object block = rc[k].getAccessor().invoke(jac);
        TestSupport.flattenInto(block instanceof double[] v ? (Object) v[i]
            : ((Object[]) block)[i], row);
      }
      rows[i] = row.stream().mapToDouble(Double::doubleValue).toArray();
    }
    return rows;
  }

  /** Whether method {@code index} of {@code g} or a method it calls uses StopGradient. */
  private static boolean stopsGradient(GenClass g, int index) {
    Method m = g.methods.get(index);
    if (m.java.contains("StopGradient")) {
      return true;
    }
    for (int callee : m.callees) {
      if (stopsGradient(g, callee)) {
        return true;
      }
    }
    return false;
  }

  private static Object accessor(Object record, String name) throws ReflectiveOperationException {
    java.lang.reflect.Method a = record.getClass().getMethod(name);
    a.setAccessible(true);
    return a.invoke(record);
  }

  private static double[] flatGradient(Object record) {
    try {
      return TestSupport.flatGradient(record);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A direction shaped like {@code shape}, entries uniform in [-1, 1), a few exactly 0. */
  private static Object direction(Object shape, Random r) {
    if (shape instanceof Double) {
      return r.nextInt(8) == 0 ? 0.0 : 2 * r.nextDouble() - 1;
    }
    if (shape instanceof double[] v) {
      double[] u = new double[v.length];
      for (int i = 0; i < u.length; i++) {
        u[i] = r.nextInt(8) == 0 ? 0.0 : 2 * r.nextDouble() - 1;
      }
      return u;
    }
    Object[] m = (Object[]) shape;
    Object[] u = m.clone();
    for (int i = 0; i < m.length; i++) {
      u[i] = direction(m[i], r);
    }
    return u;
  }
}
