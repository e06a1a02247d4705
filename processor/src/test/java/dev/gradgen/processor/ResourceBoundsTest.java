package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large inputs: a depth-500 nested expression and a 10,000-statement method must compile with
 * the processor, on the calling thread's default stack (as in a Maven build), without
 * StackOverflowError, within a generous time bound, and give correct gradients.
 *
 * <p>These compile with the system javac into real directories (not compile-testing's in-memory
 * file manager), so the generated source stays on disk for measuring even when the compilation
 * fails. Each test prints the time of the same compilation without ({@code -proc:none}) and with
 * the processor.
 */
class ResourceBoundsTest {
  private static final double TIME_BOUND_SECONDS = 60;

  @TempDir
  Path temp;

  record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics,
      double seconds, Path classes, Path generated) {
    List<Diagnostic<? extends JavaFileObject>> errors() {
      return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .collect(Collectors.toList());
    }

    String describe() {
      return diagnostics.stream().map(d -> d.getKind() + " "
          + (d.getSource() == null ? "" : d.getSource().getName() + ":") + d.getLineNumber()
          + ": " + firstLines(d.getMessage(Locale.ROOT), 8)).collect(Collectors.joining("\n"));
    }
  }

  private static String firstLines(String s, int n) {
    return s.lines().limit(n).collect(Collectors.joining("\n"));
  }

  static Result compile(Path dir, String className, String text, boolean withProcessor)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path generated = Files.createDirectories(dir.resolve("generated"));
    List<String> options = new ArrayList<>(List.of("-d", classes.toString(), "-s",
        generated.toString(), "-classpath", TestSupport.runtimeLocation().toString(),
        "-encoding", "UTF-8"));
    if (!withProcessor) {
      options.add("-proc:none");
    }
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, options, null,
          List.of(JavaFileObjects.forSourceString(className, text)));
      if (withProcessor) {
        task.setProcessors(List.of(new GradgenProcessor()));
      }
      long start = System.nanoTime();
      boolean ok = task.call();
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(ok, diagnostics.getDiagnostics(), seconds, classes, generated);
    }
  }

  /** Fails on any sign of a processor crash, including a StackOverflowError. */
  private static void assertNoCrash(Result r) {
    for (Diagnostic<? extends JavaFileObject> d : r.diagnostics()) {
      String m = d.getMessage(Locale.ROOT);
      for (String marker : TestSupport.CRASH_MARKERS) {
        assertWithMessage("processor crashed; diagnostic: %s", firstLines(m, 12))
            .that(m.toLowerCase(Locale.ROOT)).doesNotContain(marker);
      }
      assertWithMessage("diagnostic: %s", firstLines(m, 12)).that(m)
          .doesNotContain("StackOverflowError");
    }
  }

  /** Compiles without and with the processor; prints both times; returns the second. */
  private Result timed(String what, String className, String text) throws IOException {
    Result plain = compile(temp.resolve(what + "-plain"), className, text, false);
    Result with = compile(temp.resolve(what + "-gradgen"), className, text, true);
    long generatedBytes = size(with.generated());
    System.out.printf(Locale.ROOT, "ResourceBoundsTest %s: source %d chars; javac alone %.2f s"
        + " (%s); with gradgen %.2f s (%s, processor overhead %.2f s); generated source %d"
        + " bytes%n", what, text.length(), plain.seconds(),
        plain.success() ? "ok" : "failed: " + firstError(plain), with.seconds(),
        with.success() ? "ok" : "failed: " + firstError(with), with.seconds() - plain.seconds(),
        generatedBytes);
    return with;
  }

  private static String firstError(Result r) {
    return r.errors().isEmpty() ? "no error" : firstLines(r.errors().get(0).getMessage(
        Locale.ROOT), 1);
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** For an error in generated code: the file, its size, and the enclosing method's header. */
  private static String whereInGenerated(Result r) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : r.errors()) {
      if (d.getSource() == null || !d.getSource().getName().endsWith("Grad.java")) {
        continue;
      }
      Path file = Path.of(d.getSource().toUri());
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String line = d.getLineNumber() > 0 ? lines.get((int) d.getLineNumber() - 1).trim() : "?";
      b.append(String.format(Locale.ROOT, "%n  %s in generated %s (%d bytes, %d lines), line %d:"
          + " %s", firstLines(d.getMessage(Locale.ROOT), 1), file.getFileName(),
          Files.size(file), lines.size(), d.getLineNumber(), line));
    }
    return b.toString();
  }

  @BeforeAll
  static void warmUp(@TempDir Path dir) throws IOException {
    // The first javac run in a JVM pays for class loading and JIT; keep it out of the timings.
    String text = "package p;\nimport dev.gradgen.Differentiable;\npublic class W {\n"
        + "  @Differentiable\n  static double f(double x) {\n    return x * x;\n  }\n}\n";
    for (int i = 0; i < 3; i++) {
      compile(dir.resolve("w" + i), "p.W", text, true);
      compile(dir.resolve("v" + i), "p.W", text, false);
    }
  }

  private static Method method(ClassLoader cl, String type, String name, Class<?>... params)
      throws Exception {
    return TestSupport.staticMethod(cl.loadClass(type), name, params);
  }

  // ------------------------------------------------------------------ deep expression

  static String deepExpression(int depth) {
    StringBuilder e = new StringBuilder("x");
    for (int i = 0; i < depth; i++) {
      e.insert(0, '(').append(" * 1.0001 + 0.1)");
    }
    return "package p;\n\nimport dev.gradgen.Differentiable;\n\npublic class Deep {\n"
        + "  @Differentiable\n  static double f(double x) {\n    return " + e + ";\n  }\n}\n";
  }

  /**
   * ((((x * 1.0001 + 0.1) * 1.0001 + 0.1) ...) 500 deep: f'(x) = 1.0001^500 for every x. javac
   * alone compiles it on the same thread in well under a second.
   */
  @Test
  void depth500Expression() throws Exception {
    checkDeepExpression(500);
  }

  private void checkDeepExpression(int depth) throws Exception {
    Result r = timed("depth" + depth, "p.Deep", deepExpression(depth));
    assertNoCrash(r);
    assertWithMessage("diagnostics:\n%s", r.describe()).that(r.success()).isTrue();
    assertThat(r.seconds()).isLessThan(TIME_BOUND_SECONDS);
    try (URLClassLoader cl = TestSupport.loader(r.classes())) {
      Method f = method(cl, "p.Deep", "f", double.class);
      Method g = method(cl, "p.DeepGrad", "f", double.class);
      for (double x : new double[] {0.3, -2.0}) {
        Object record = TestSupport.call(g, x);
        double value = (Double) TestSupport.component(record, "value");
        assertThat(value).isWithin(1e-9 * Math.abs(value)).of((Double) TestSupport.call(f, x));
        double dx = (Double) TestSupport.component(record, "x");
        double[] fd = TestSupport.finiteDifferences(p -> (Double) TestSupport.call(f, p[0]),
            new double[] {x});
        TestSupport.assertClose("d/dx of the depth-" + depth + " expression", fd,
            new double[] {dx});
        assertThat(dx).isWithin(1e-9).of(Math.pow(1.0001, depth));
      }
    }
  }

  /** Nested if/for 150 deep around one statement. */
  @Test
  void depth150NestedStatements() throws Exception {
    StringBuilder b = new StringBuilder("package p;\n\nimport dev.gradgen.Differentiable;\n\n"
        + "public class Nest {\n  @Differentiable\n  static double f(double x) {\n"
        + "    double s = x;\n");
    int depth = 150;
    for (int i = 0; i < depth; i++) {
      b.append(i % 3 == 2 ? "for (int i" + i + " = 0; i" + i + " < 1; i" + i + "++) {\n"
          : "if (s > -1e300) {\n");
    }
    b.append("s = s * 1.01 + x * x;\n");
    b.append("}\n".repeat(depth));
    b.append("    return s;\n  }\n}\n");
    Result r = timed("nested150", "p.Nest", b.toString());
    assertNoCrash(r);
    assertWithMessage("diagnostics:\n%s", r.describe()).that(r.success()).isTrue();
    assertThat(r.seconds()).isLessThan(TIME_BOUND_SECONDS);
    try (URLClassLoader cl = TestSupport.loader(r.classes())) {
      Object record = TestSupport.call(method(cl, "p.NestGrad", "f", double.class), 0.7);
      assertThat((Double) TestSupport.component(record, "x")).isWithin(1e-12)
          .of(1.01 + 2 * 0.7);
    }
  }

  // ------------------------------------------------------------------ many statements

  /**
   * 10,000 statements, alternating {@code s += x;} and {@code s *= 0.999;} (the user's method is
   * about 50 KB of bytecode, inside the JVM's 64 KB limit; the plain
   * {@code s = s * 0.999 + x * 1e-4;} form is not, see below). The generated pullback must fit
   * too: a "code too large" in generated code is a failure the user cannot fix in their source.
   */
  @Test
  void tenThousandStatements() throws Exception {
    int n = 10_000;
    StringBuilder b = new StringBuilder("package p;\n\nimport dev.gradgen.Differentiable;\n\n"
        + "public class Many {\n  @Differentiable\n  static double f(double x) {\n"
        + "    double s = 0;\n");
    for (int i = 0; i < n - 2; i++) {
      b.append(i % 2 == 0 ? "    s += x;\n" : "    s *= 0.999;\n");
    }
    b.append("    return s;\n  }\n}\n");
    Result r = timed("statements10k", "p.Many", b.toString());
    assertNoCrash(r);
    assertThat(r.seconds()).isLessThan(TIME_BOUND_SECONDS);
    // Decided: the method itself fits in 64 KB of bytecode, but forward plus backward sweep in one
    // generated method cannot. gradgen says so on the method instead of letting javac fail with
    // "code too large" inside generated code the user cannot change.
    assertWithMessage("diagnostics:\n%s", r.describe()).that(lines(r)).hasSize(1);
    assertThat(lines(r).get(0)).startsWith("Many.java:7: this method is too large to"
        + " differentiate in one piece: its gradient would exceed the JVM's limit of 64 KB");
    assertThat(lines(r).get(0)).endsWith("split it into several @Differentiable methods that"
        + " call each other");
  }

  /**
   * 10,000 statements {@code s = s * 0.999 + x * 1e-4;} exceed the 64 KB limit in the user's own
   * method (javac: "code too large"). With the processor the result must be exactly javac's
   * errors: no crash, nothing added, and still in bounded time.
   */
  @Test
  void methodTooLargeForJavacGetsOnlyJavacsError() throws Exception {
    StringBuilder b = new StringBuilder("package p;\n\nimport dev.gradgen.Differentiable;\n\n"
        + "public class Huge {\n  @Differentiable\n  static double f(double x) {\n"
        + "    double s = 0;\n");
    for (int i = 0; i < 10_000; i++) {
      b.append("    s = s * 0.999 + x * 1e-4;\n");
    }
    b.append("    return s;\n  }\n}\n");
    String text = b.toString();
    Result plain = compile(temp.resolve("huge-plain"), "p.Huge", text, false);
    assertWithMessage("javac alone: %s", plain.describe()).that(plain.success()).isFalse();
    Result with = timed("huge", "p.Huge", text);
    assertNoCrash(with);
    assertThat(with.seconds()).isLessThan(TIME_BOUND_SECONDS);
    // With the processor, exactly one error on the method: gradgen's size error stops javac before
    // it would report "code too large" itself; both tell the user to split the method.
    assertWithMessage("with gradgen:\n%s\njavac alone:\n%s", with.describe(), plain.describe())
        .that(lines(with)).hasSize(1);
    assertThat(lines(with).get(0)).startsWith("Huge.java:7: this method is too large to"
        + " differentiate in one piece");
  }

  private static List<String> lines(Result r) {
    return r.errors().stream().map(d -> (d.getSource() == null ? "" : new File(
        d.getSource().getName()).getName()) + ":" + d.getLineNumber() + ": "
        + firstLines(d.getMessage(Locale.ROOT), 1)).collect(Collectors.toList());
  }
}
