package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Mutation robustness: small, deterministic corruptions of valid {@code @Differentiable} sources
 * (loops, branches, arrays, calls, early exits) must never make the processor crash or pile
 * confusing errors on top of javac's.
 *
 * <p>Mutants of each seed source, all positions inside the class body after the first
 * {@code @Differentiable}: drop one token (every token); swap the two operands of a binary
 * operator (every operator with a simple operand on each side); delete one line that declares a
 * local; duplicate one line (every line); unbalance a brace (duplicate each brace, and add a
 * stray {@code {} at the end of each line). Token mutants blank the token out (or swap in place),
 * so line numbers of the mutant equal those of the seed.
 *
 * <p>Each mutant is compiled twice: once with {@code -proc:none} (J = javac's own errors) and
 * once with the processor (P). A gradgen diagnostic is one javac reports with code
 * {@code compiler.err.proc.messager} (Messager or Trees.printMessage). The rule:
 * <ol>
 *   <li><b>R1, no crash</b>: compiling with the processor does not throw, and no diagnostic of P
 *       contains "internal error", "threw an uncaught exception" or a Java stack frame
 *       ({@code at some.Class.method(File.java:12)}).
 *   <li><b>R2, no invented javac errors</b>: gradgen's diagnostics that mirror javac's own
 *       attribution (name resolution and typing, {@link #MIRRORS}: "cannot resolve", "cannot
 *       assign a", "must be a number", "needs boolean operands", ...) may only appear on a line
 *       of the mutant where J also has an error. Such an error on a line javac accepts is a
 *       gradgen misreading of valid Java, or a pile-on at a different line than javac's error.
 *       Subset diagnostics ("... is not supported", "has no derivative rule", "must be static",
 *       ...) are legitimate anywhere: they describe the code as written, whether or not javac
 *       also rejects something elsewhere.
 *   <li><b>R3, no errors in generated code</b>: no error of P is in a file other than the
 *       mutant (a generated {@code *Grad.java}). If the mutant is valid Java in the subset, the
 *       generated code must compile; if it is not, gradgen must report that instead of emitting
 *       code that javac then rejects at a line the user never wrote.
 *   <li><b>R4, failure is kept</b>: if J is non-empty, P fails too.
 * </ol>
 * The test runs every mutant, prints a summary (mutants, how many javac rejected, how many
 * gradgen rejected, violations per rule) and fails listing each violating mutant's source.
 */
class MutationTest {
  /** gradgen messages that restate what javac's attribution checks. */
  static final List<String> MIRRORS = List.of(
      "cannot resolve",
      "cannot assign a ",
      "must be a number",
      "needs boolean operands",
      "needs two booleans or two integers",
      "a condition must be boolean",
      "indexing a value that is not an array",
      "an array index must be an int",
      "array sizes must be ints",
      "both branches of ?: must have the same type",
      "~ needs an int or long",
      "shifts need integer operands",
      "return without a value",
      "break/continue outside a loop",
      "an array initializer needs an array type");

  private static final Pattern STACK_FRAME =
      Pattern.compile("(?m)^\\s*at [\\w$.<>]+\\([\\w$]+\\.java:\\d+\\)");

  private static final String HEADER = String.join("\n",
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;",
      "",
      "");

  /** Seed sources: each compiles cleanly with the processor. */
  static final Map<String, String> SEEDS = new LinkedHashMap<>();

  static {
    SEEDS.put("Poly", HEADER + String.join("\n",
        "public class Poly {",
        "  @Differentiable",
        "  static double poly(double x, double[] c) {",
        "    double y = 0.0;",
        "    for (int i = c.length - 1; i >= 0; i--) {",
        "      y = y * x + c[i];",
        "    }",
        "    return y;",
        "  }",
        "}",
        ""));
    SEEDS.put("Mat", HEADER + String.join("\n",
        "public class Mat {",
        "  static final double SCALE = 0.5;",
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
        "}",
        ""));
    SEEDS.put("Search", HEADER + String.join("\n",
        "public class Search {",
        "  @Differentiable",
        "  static double sq(double v) {",
        "    return v * v;",
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
        "    return sq(acc) + Math.pow(x, 3) + Math.max(x, acc);",
        "  }",
        "}",
        ""));
    SEEDS.put("Early", HEADER + String.join("\n",
        "public class Early {",
        "  @Differentiable",
        "  static double early(double x, double y) {",
        "    if (x > y) {",
        "      return x * y;",
        "    }",
        "    outer:",
        "    for (int i = 0; i < 3; i++) {",
        "      for (int j = 0; j < i; j++) {",
        "        x = x * y;",
        "        if (x > 10) {",
        "          break outer;",
        "        }",
        "      }",
        "    }",
        "    return x > 0 ? Math.log(x) : Math.exp(x);",
        "  }",
        "}",
        ""));
    SEEDS.put("Arrays", HEADER + String.join("\n",
        "public class Arrays {",
        "  @Differentiable",
        "  static double arrays(double x, double[] w, @NoGrad double[][] xs) {",
        "    double[] a = {x, 2 * x, 3.0};",
        "    double[][] m = new double[2][3];",
        "    m[1][2] = a[1] * a[0];",
        "    double[] row = m[1];",
        "    row[0] = row[2] + x;",
        "    double s = 0;",
        "    for (double[] r : xs) {",
        "      double z = 0;",
        "      int j = 0;",
        "      for (double v : r) {",
        "        z += v * w[j];",
        "        j++;",
        "      }",
        "      s += Math.tanh(z);",
        "    }",
        "    return s + a[0] * a[1] + m[1][0];",
        "  }",
        "}",
        ""));
    SEEDS.put("Calls", HEADER + String.join("\n",
        "public class Calls {",
        "  static final double K = 2.0;",
        "",
        "  @Differentiable",
        "  static double inner(double u, double[] v) {",
        "    return u * v[0] + Math.sin(v[1]);",
        "  }",
        "",
        "  @Differentiable",
        "  static double outer(double x, double[] v) {",
        "    double[] t = new double[2];",
        "    t[0] = x * K;",
        "    t[1] = v[1] - x;",
        "    double r = inner(x, t) + inner(t[0], v);",
        "    return r > 1 ? Math.sqrt(r) : r * r;",
        "  }",
        "}",
        ""));
  }

  // ------------------------------------------------------------------ mutants

  record Mutant(String seed, String kind, String text) {}

  private static final Pattern TOKEN = Pattern.compile(
      "//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'"
      + "|[\\p{L}_$][\\p{L}\\p{N}_$]*|\\d[\\w.]*|>>>=|<<=|>>=|>>>|\\+\\+|--|&&|\\|\\||->|::"
      + "|[+\\-*/%&|^<>=!]=|<<|\\.\\.\\.|\\S", Pattern.DOTALL);

  record Token(int start, int end, String text) {}

  static List<Token> tokens(String text) {
    List<Token> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      if (!m.group().startsWith("//") && !m.group().startsWith("/*")) {
        out.add(new Token(m.start(), m.end(), m.group()));
      }
    }
    return out;
  }

  private static boolean isOperand(String t) {
    return Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '_';
  }

  private static final Set<String> BINARY = Set.of("+", "-", "*", "/", "%", "<", ">", "<=",
      ">=", "==", "!=", "&&", "||");

  static List<Mutant> mutants(String seed, String text) {
    List<Mutant> out = new ArrayList<>();
    int from = text.indexOf("@Differentiable");
    List<Token> tokens = tokens(text);
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.start() < from) {
        continue;
      }
      // drop one token, keeping every line where it was
      out.add(new Mutant(seed, "drop token #" + i + " '" + t.text() + "'",
          text.substring(0, t.start()) + " ".repeat(t.text().length())
          + text.substring(t.end())));
      // swap the operands of a binary operator
      if (BINARY.contains(t.text()) && i > 0 && i + 1 < tokens.size()) {
        Token l = tokens.get(i - 1);
        Token r = tokens.get(i + 1);
        if (isOperand(l.text()) && isOperand(r.text()) && !l.text().equals(r.text())) {
          out.add(new Mutant(seed, "swap operands of #" + i + " '" + l.text() + " " + t.text()
              + " " + r.text() + "'", text.substring(0, l.start()) + r.text()
              + text.substring(l.end(), r.start()) + l.text() + text.substring(r.end())));
        }
      }
      // duplicate a brace
      if (t.text().equals("{") || t.text().equals("}")) {
        out.add(new Mutant(seed, "duplicate brace #" + i + " '" + t.text() + "'",
            text.substring(0, t.end()) + t.text() + text.substring(t.end())));
      }
    }
    String[] lines = text.split("\n", -1);
    int firstLine = text.substring(0, from).split("\n", -1).length - 1;
    Pattern declaration = Pattern.compile(
        "^\\s*(?:for \\()?(?:final )?(?:double|int|long|boolean|var)(?:\\[\\])*\\s+[\\p{L}_$]");
    for (int k = firstLine; k < lines.length; k++) {
      if (lines[k].isBlank()) {
        continue;
      }
      if (declaration.matcher(lines[k]).find()) {
        String[] copy = lines.clone();
        copy[k] = "";
        out.add(new Mutant(seed, "delete declaration line " + (k + 1), String.join("\n", copy)));
      }
      String[] dup = lines.clone();
      dup[k] = lines[k] + "\n" + lines[k];
      out.add(new Mutant(seed, "duplicate line " + (k + 1), String.join("\n", dup)));
      String[] open = lines.clone();
      open[k] = lines[k] + " {";
      out.add(new Mutant(seed, "stray '{' after line " + (k + 1), String.join("\n", open)));
    }
    return out;
  }

  // ------------------------------------------------------------------ checking

  private static boolean isGradgen(Diagnostic<? extends JavaFileObject> d) {
    return "compiler.err.proc.messager".equals(d.getCode());
  }

  private static boolean inFile(Diagnostic<? extends JavaFileObject> d, JavaFileObject file) {
    return d.getSource() != null && d.getSource().toUri().equals(file.toUri());
  }

  /** Checks one mutant; returns the violations found (empty if none). */
  static List<String> check(Mutant m, int[] stats, Map<String, Integer> gradgenMessages) {
    List<String> violations = new ArrayList<>();
    String className = "p." + m.seed();
    JavaFileObject file = JavaFileObjects.forSourceString(className, m.text());
    Compilation plain = Compiler.javac().withOptions("-proc:none").compile(file);
    Set<Long> javacLines = new LinkedHashSet<>();
    for (Diagnostic<? extends JavaFileObject> d : plain.errors()) {
      javacLines.add(inFile(d, file) ? d.getLineNumber() : -1L);
    }
    Compilation withProcessor;
    try {
      withProcessor = TestSupport.compile(file);
    } catch (RuntimeException | Error e) {
      violations.add("R1: compiling with the processor threw " + e);
      return violations;
    }
    if (!javacLines.isEmpty()) {
      stats[0]++;
    }
    boolean gradgenErrors = false;
    for (Diagnostic<? extends JavaFileObject> d : withProcessor.diagnostics()) {
      String msg = d.getMessage(Locale.ROOT);
      String lower = msg.toLowerCase(Locale.ROOT);
      String where = (d.getSource() == null ? "?" : d.getSource().getName()) + ":"
          + d.getLineNumber();
      for (String marker : TestSupport.CRASH_MARKERS) {
        if (lower.contains(marker)) {
          violations.add("R1: " + where + ": " + firstLine(msg));
        }
      }
      if (STACK_FRAME.matcher(msg).find() && !lower.contains("internal error")) {
        violations.add("R1 (stack trace): " + where + ": " + firstLine(msg));
      }
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      if (!inFile(d, file)) {
        violations.add("R3: error in generated code " + where + ": " + firstLine(msg));
        continue;
      }
      if (isGradgen(d)) {
        gradgenErrors = true;
        gradgenMessages.merge((javacLines.contains(d.getLineNumber()) ? "[javac line] "
            : javacLines.isEmpty() ? "[javac ok] " : "[other line] ")
            + firstLine(msg).replaceAll("'[^']*'", "'_'"), 1, Integer::sum);
        for (String mirror : MIRRORS) {
          if (msg.contains(mirror) && !javacLines.contains(d.getLineNumber())) {
            violations.add("R2: gradgen " + where + ": '" + firstLine(msg) + "' but javac's errors"
                + " are on lines " + javacLines + ": " + describeShort(plain));
            break;
          }
        }
      }
    }
    if (gradgenErrors) {
      stats[1]++;
    }
    if (!javacLines.isEmpty() && withProcessor.status() == Compilation.Status.SUCCESS) {
      violations.add("R4: javac rejects the mutant without the processor but accepts it with it");
    }
    return violations;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String describeShort(Compilation c) {
    List<String> out = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      out.add(d.getLineNumber() + ": " + firstLine(d.getMessage(Locale.ROOT)));
    }
    return out.toString();
  }

  private static String numbered(String text) {
    String[] lines = text.split("\n", -1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      b.append(String.format(Locale.ROOT, "%4d| %s%n", i + 1, lines[i]));
    }
    return b.toString();
  }

  @Test
  void seedsCompileCleanly() {
    for (Map.Entry<String, String> seed : SEEDS.entrySet()) {
      Compilation c = TestSupport.compile(
          JavaFileObjects.forSourceString("p." + seed.getKey(), seed.getValue()));
      TestSupport.assertNoCrash(c);
      assertWithMessage("seed %s: diagnostics:\n%s", seed.getKey(), TestSupport.describe(c))
          .that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    }
  }

  @Test
  void mutantsNeverCrashOrPileOnErrors() {
    List<Mutant> all = new ArrayList<>();
    for (Map.Entry<String, String> seed : SEEDS.entrySet()) {
      all.addAll(mutants(seed.getKey(), seed.getValue()));
    }
    int[] stats = new int[2];
    Map<String, Integer> gradgenMessages = new java.util.TreeMap<>();
    Map<String, Integer> byRule = new LinkedHashMap<>();
    StringBuilder report = new StringBuilder();
    int violating = 0;
    long start = System.nanoTime();
    for (Mutant m : all) {
      List<String> v = check(m, stats, gradgenMessages);
      if (v.isEmpty()) {
        continue;
      }
      violating++;
      for (String s : new LinkedHashSet<>(v)) {
        byRule.merge(s.substring(0, 2), 1, Integer::sum);
      }
      if (violating <= 40) {
        report.append("\n=== ").append(m.seed()).append(": ").append(m.kind()).append('\n');
        for (String s : new LinkedHashSet<>(v)) {
          report.append("  ").append(s).append('\n');
        }
        report.append(numbered(m.text()));
      }
    }
    System.out.printf(Locale.ROOT, "MutationTest: %d mutants of %d seeds in %.1f s; javac rejected"
        + " %d, gradgen reported errors for %d; %d mutants violate the rules %s%n", all.size(),
        SEEDS.size(), (System.nanoTime() - start) / 1e9, stats[0], stats[1], violating, byRule);
    gradgenMessages.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %4d x %s%n", v, k));
    if (violating > 0) {
      System.out.println(report);
    }
    assertWithMessage("%s of %s mutants violate the rules %s (first 40 shown):%s", violating,
        all.size(), byRule, report).that(violating).isEqualTo(0);
  }
}
