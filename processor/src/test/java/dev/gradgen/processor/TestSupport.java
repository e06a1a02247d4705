package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.gradgen.Tape;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/** Shared helpers for the processor tests: compiling, loading generated classes, checking. */
public final class TestSupport {
  private TestSupport() {}

  /** Messages that mean an exception escaped into javac, or the processor reported a crash. */
  static final List<String> CRASH_MARKERS = List.of("threw an uncaught exception",
      "internal error");

  static Compiler compiler(String... options) {
    return Compiler.javac().withProcessors(new GradgenProcessor()).withOptions((Object[]) options);
  }

  static Compilation compile(JavaFileObject... files) {
    return compiler().compile(files);
  }

  /** Fails if any diagnostic of {@code c} shows a processor crash. */
  static void assertNoCrash(Compilation c) {
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      String m = d.getMessage(Locale.ROOT);
      for (String marker : CRASH_MARKERS) {
        assertWithMessage("processor crashed; diagnostic: %s", m)
            .that(m.toLowerCase(Locale.ROOT)).doesNotContain(marker);
      }
    }
  }

  /** Asserts that {@code c} succeeded (its diagnostics in the message) without a crash. */
  static void assertCompiled(Compilation c) {
    assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", describe(c)).that(c.status())
        .isEqualTo(Compilation.Status.SUCCESS);
  }

  /**
   * One {@code @Differentiable static double} method per entry of {@code bodies} (name to body,
   * which may span lines), all with the parameter list {@code parameters}, as source lines.
   */
  static List<String> methods(String parameters, Map<String, String> bodies) {
    List<String> out = new ArrayList<>();
    bodies.forEach((name, body) -> {
      out.add("  @Differentiable");
      out.add("  static double " + name + "(" + parameters + ") {");
      body.lines().forEach(l -> out.add("    " + l));
      out.add("  }");
    });
    return out;
  }

  /**
   * Compiles {@code source} (class {@code qualifiedName}) with the processor, lint on and warnings
   * as errors, asserts it compiled, and loads its classes and the generated ones.
   */
  static URLClassLoader compileAndLoad(Path temp, String qualifiedName, List<String> source)
      throws IOException {
    Compilation c = compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceLines(qualifiedName, source));
    assertCompiled(c);
    return loader(writeClasses(c, temp));
  }

  static String describe(Compilation c) {
    return c.diagnostics().stream().map(d -> d.getKind() + " "
        + (d.getSource() == null ? "" : d.getSource().getName() + ":") + d.getLineNumber() + ": "
        + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
  }

  /** The text of a generated source file, for printing in failure messages. */
  static String generatedSource(Compilation c, String qualifiedName) {
    if (c.status() != Compilation.Status.SUCCESS) {
      return "<not available: compile-testing keeps no generated files of a failed compilation>";
    }
    return c.generatedSourceFile(qualifiedName).map(f -> {
      try {
        return f.getCharContent(true).toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).orElse("<no generated source " + qualifiedName + ">");
  }

  /** Writes every class file {@code c} produced under {@code dir} and returns {@code dir}. */
  static Path writeClasses(Compilation c, Path dir) throws IOException {
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
    return dir;
  }

  /** Writes the class files under {@code classes} into the jar {@code jar}; returns it. */
  static Path jar(Path classes, Path jar) throws IOException {
    try (java.io.OutputStream out = Files.newOutputStream(jar);
        java.util.jar.JarOutputStream j = new java.util.jar.JarOutputStream(out);
        java.util.stream.Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        j.putNextEntry(new java.util.jar.JarEntry(
            classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
    }
    return jar;
  }

  /** A class loader over {@code dirs} whose parent sees the runtime (Tape, Gradients). */
  static URLClassLoader loader(Path... dirs) throws IOException {
    URL[] urls = new URL[dirs.length];
    for (int i = 0; i < dirs.length; i++) {
      urls[i] = dirs[i].toUri().toURL();
    }
    return new URLClassLoader(urls, TestSupport.class.getClassLoader());
  }

  /** Where the runtime classes (dev.gradgen.*) are, for an explicit compile classpath. */
  static File runtimeLocation() {
    try {
      return new File(Tape.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Method staticMethod(Class<?> type, String name, Class<?>... parameterTypes)
      throws NoSuchMethodException {
    Method m = type.getDeclaredMethod(name, parameterTypes);
    m.setAccessible(true);
    return m;
  }

  /** Calls a static method, unwrapping reflection's exceptions. */
  static Object call(Method m, Object... args) throws Exception {
    try {
      return m.invoke(null, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  /** A record component by accessor name. */
  static Object component(Object record, String name) throws Exception {
    Method m = record.getClass().getMethod(name);
    m.setAccessible(true);
    return m.invoke(record);
  }

  /** f(x) for a scalar function given as a reflective call with one varying double argument. */
  interface ScalarFunction {
    double at(double[] point) throws Exception;
  }

  /** Central finite differences of {@code f} at {@code x}. */
  static double[] finiteDifferences(ScalarFunction f, double[] x) throws Exception {
    double[] g = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double h = 1e-6 * Math.max(1.0, Math.abs(x[i]));
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[i] += h;
      minus[i] -= h;
      g[i] = (f.at(plus) - f.at(minus)) / (2 * h);
    }
    return g;
  }

  static void assertClose(String what, double[] expected, double[] actual) {
    assertWithMessage("%s: length", what).that(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      double tol = 1e-5 * Math.max(1.0, Math.abs(expected[i]));
      assertWithMessage("%s[%s]: expected %s, got %s (all: expected %s, got %s)", what, i,
          expected[i], actual[i], Arrays.toString(expected), Arrays.toString(actual))
          .that(Math.abs(actual[i] - expected[i]) <= tol).isTrue();
    }
  }

  static String read(String resource) throws IOException {
    try (InputStream in = TestSupport.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static List<String> lines(String... lines) {
    return new ArrayList<>(List.of(lines));
  }

  /** A copy of call arguments with every array copied deeply. */
  public static Object[] deepCopy(Object[] args) {
    Object[] c = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      c[i] = deepCopy(args[i]);
    }
    return c;
  }

  private static Object deepCopy(Object a) {
    if (a instanceof double[] v) {
      return v.clone();
    }
    if (a instanceof int[] k) {
      return k.clone(); // methods may write into int[] parameters
    }
    if (a instanceof Object[] rows) {
      Object[] copy = rows.clone();
      for (int r = 0; r < copy.length; r++) {
        copy[r] = deepCopy(copy[r]);
      }
      return copy;
    }
    return a;
  }

  // ------------------------------------------------------------------ gradients vs finite differences

  static Method byName(Class<?> type, String name, boolean wantRecord) {
    List<Method> found = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name) && (!wantRecord || m.getReturnType().isRecord())) {
        found.add(m);
      }
    }
    assertWithMessage("methods named %s in %s", name, type).that(found).hasSize(1);
    found.get(0).setAccessible(true);
    return found.get(0);
  }

  /** How many doubles a value holds: 1, its length, its elements; 0 for other values. */
  public static int size(Object a) {
    if (a instanceof Double) {
      return 1;
    }
    if (a instanceof double[] v) {
      return v.length;
    }
    if (a instanceof Object[] m) {
      return Arrays.stream(m).mapToInt(TestSupport::size).sum();
    }
    return 0;
  }

  /** Appends the doubles of a gradient component (double or an array of doubles) to out. */
  public static void flattenInto(Object a, List<Double> out) {
    if (a instanceof Double d) {
      out.add(d);
    } else if (a instanceof double[] v) {
      for (double d : v) {
        out.add(d);
      }
    } else if (a instanceof Object[] m) {
      for (Object r : m) {
        flattenInto(r, out);
      }
    }
  }

  /** {@link #unflatten}, for the fuzzer. */
  public static Object unflattenPublic(Object shape, double[] flat, int[] at) {
    return unflatten(shape, flat, at);
  }

  static Object unflatten(Object shape, double[] flat, int[] at) {
    if (shape instanceof Double) {
      return flat[at[0]++];
    }
    if (shape instanceof double[] v) {
      double[] r = new double[v.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = flat[at[0]++];
      }
      return r;
    }
    Object[] m = (Object[]) shape; // double[][] or double[][][]
    Object[] r = m.clone();
    for (int i = 0; i < m.length; i++) {
      r[i] = unflatten(m[i], flat, at);
    }
    return r;
  }

  /**
   * Checks {@code gradClass.method(args)} against central finite differences of
   * {@code owner.method} over the parameters at {@code diff} (in order; they are the record's
   * components after {@code value}). Also checks the arguments are not modified.
   */
  static void checkGradient(Class<?> owner, Class<?> gradClass, String method,
      Object[] args, int... diff) throws Exception {
    Object record = checkGradientOnly(owner, gradClass, method, args, diff);
    checkJvp(gradClass, method, args, record, diff);
    checkSecondOrder(gradClass, method, args, record, diff);
  }

  /** The flattened gradient of {@code gradient} (a gradient record), its value first. */
  public static double[] flatGradient(Object gradient) throws Exception {
    RecordComponent[] g = gradient.getClass().getRecordComponents();
    List<Double> flat = new ArrayList<>();
    for (int k = 1; k < g.length; k++) {
      g[k].getAccessor().setAccessible(true);
      flattenInto(g[k].getAccessor().invoke(gradient), flat);
    }
    return flat.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Checks second order: {@code methodHessian} gives the value and the gradient of the reverse
   * mode (itself checked against finite differences), a symmetric Hessian that matches central
   * differences of that gradient, and {@code methodHvp} along a fixed direction gives the Hessian
   * times it. A method whose second order goes through a kernel may instead throw, saying so.
   */
  static void checkSecondOrder(Class<?> gradClass, String method, Object[] args,
      Object gradient, int... diff) throws Exception {
    Method hessianMethod = byName(gradClass, method + "Hessian", true);
    Object result;
    try {
      result = call(hessianMethod, deepCopy(args));
    } catch (UnsupportedOperationException e) {
      assertWithMessage("why %sHessian throws", method).that(e.getMessage())
          .contains("second order through");
      return;
    }
    Method gradientMethod = byName(gradClass, method, true);
    double[] g = flatGradient(gradient);
    double[] hg = (double[]) component(result, "gradient");
    double[][] h = (double[][]) component(result, "hessian");
    assertWithMessage("%sHessian value", method).that((Double) component(result, "value"))
        .isEqualTo((Double) component(gradient, "value"));
    assertWithMessage("%sHessian gradient", method).that(hg).usingTolerance(1e-12).containsExactly(g)
        .inOrder();
    int n = g.length;
    assertWithMessage("%sHessian rows", method).that(h.length).isEqualTo(n);
    // Central differences of the generated gradient, column by column.
    for (int j = 0; j < n; j++) {
      int jj = j;
      double[] x0 = new double[n];
      Object[] flatArgs = new Object[diff.length];
      List<Double> flat = new ArrayList<>();
      for (int k = 0; k < diff.length; k++) {
        flattenInto(args[diff[k]], flat);
      }
      for (int i = 0; i < n; i++) {
        x0[i] = flat.get(i);
      }
      double step = 1e-6 * Math.max(1, Math.abs(x0[j]));
      double[][] at = new double[2][];
      for (int side = 0; side < 2; side++) {
        double[] x = x0.clone();
        x[jj] += side == 0 ? step : -step;
        Object[] a = deepCopy(args);
        int[] pos = {0};
        for (int k = 0; k < diff.length; k++) {
          a[diff[k]] = unflatten(args[diff[k]], x, pos);
        }
        at[side] = flatGradient(call(gradientMethod, a));
      }
      for (int i = 0; i < n; i++) {
        double fd = (at[0][i] - at[1][i]) / (2 * step);
        double tol = 1e-4 * Math.max(1, Math.abs(fd));
        assertWithMessage("%sHessian[%s][%s]: finite differences of the gradient give %s", method,
            i, j, fd).that(h[i][j]).isWithin(tol).of(fd);
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        assertWithMessage("%sHessian symmetry at [%s][%s]", method, i, j).that(h[i][j])
            .isWithin(1e-9 * Math.max(1, Math.abs(h[j][i]))).of(h[j][i]);
      }
    }
    // The HVP along the direction checkJvp uses.
    Method hvp = byName(gradClass, method + "Hvp", true);
    Object[] hvpArgs = new Object[args.length + diff.length];
    System.arraycopy(deepCopy(args), 0, hvpArgs, 0, args.length);
    int[] counter = {0};
    for (int k = 0; k < diff.length; k++) {
      hvpArgs[args.length + k] = direction(args[diff[k]], counter);
    }
    List<Double> u = new ArrayList<>();
    for (int k = 0; k < diff.length; k++) {
      flattenInto(hvpArgs[args.length + k], u);
    }
    Object[] before = deepCopy(hvpArgs);
    Object r = call(hvp, hvpArgs);
    assertWithMessage("%sHvp modified its arguments", method)
        .that(Arrays.deepEquals(hvpArgs, before)).isTrue();
    assertWithMessage("%sHvp value", method).that((Double) component(r, "value"))
        .isWithin(1e-12 * Math.max(1, Math.abs(g.length))).of((Double) component(gradient, "value"));
    List<Double> hu = new ArrayList<>();
    RecordComponent[] rc = r.getClass().getRecordComponents();
    for (int k = 1; k < rc.length; k++) {
      rc[k].getAccessor().setAccessible(true);
      flattenInto(rc[k].getAccessor().invoke(r), hu);
    }
    assertWithMessage("%sHvp size", method).that(hu.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      double expected = 0;
      double scale = 0;
      for (int j = 0; j < n; j++) {
        expected += h[i][j] * u.get(j);
        scale += Math.abs(h[i][j] * u.get(j));
      }
      assertWithMessage("%sHvp[%s] against the Hessian times the direction", method, i)
          .that(hu.get(i)).isWithin(1e-9 * Math.max(1, scale)).of(expected);
    }
  }

  /** {@link #checkGradient} without forward mode; returns the gradient record. */
  static Object checkGradientOnly(Class<?> owner, Class<?> gradClass, String method,
      Object[] args, int... diff) throws Exception {
    Method original = byName(owner, method, false);
    Method gradient = byName(gradClass, method, true);
    Object[] before = TestSupport.deepCopy(args);
    Object record = TestSupport.call(gradient, args);
    for (int i = 0; i < args.length; i++) {
      assertWithMessage("%s modified argument %s", method, i)
          .that(Arrays.deepEquals(new Object[] {args[i]}, new Object[] {before[i]})).isTrue();
    }
    double expectedValue = (Double) TestSupport.call(original, TestSupport.deepCopy(args));
    RecordComponent[] components = record.getClass().getRecordComponents();
    assertThat(components[0].getName()).isEqualTo("value");
    assertWithMessage("%s value", method).that((Double) components[0].getAccessor().invoke(record))
        .isWithin(1e-12 * Math.max(1, Math.abs(expectedValue))).of(expectedValue);
    assertWithMessage("%s record components", method).that(components.length - 1)
        .isEqualTo(diff.length);
    for (int k = 0; k < diff.length; k++) {
      int p = diff[k];
      components[k + 1].getAccessor().setAccessible(true);
      Object g = components[k + 1].getAccessor().invoke(record);
      List<Double> flatArg = new ArrayList<>();
      flattenInto(args[p], flatArg);
      double[] x0 = flatArg.stream().mapToDouble(Double::doubleValue).toArray();
      double[] fd = TestSupport.finiteDifferences(point -> {
        Object[] a = TestSupport.deepCopy(args);
        a[p] = unflatten(args[p], point, new int[1]);
        return (Double) TestSupport.call(original, a);
      }, x0);
      List<Double> flatGrad = new ArrayList<>();
      flattenInto(g, flatGrad);
      assertWithMessage("%s: gradient of %s has the argument's size", method, p)
          .that(flatGrad.size()).isEqualTo(size(args[p]));
      TestSupport.assertClose(method + " d/d(parameter " + p + ")", fd,
          flatGrad.stream().mapToDouble(Double::doubleValue).toArray());
    }
    return record;
  }

  /** A direction shaped like {@code shape} (a Double or an array of doubles), entries in (-1, 1). */
  static Object direction(Object shape, int[] counter) {
    if (shape instanceof Double) {
      return Math.sin(1.3 + 0.77 * counter[0]++);
    }
    if (shape instanceof double[] v) {
      double[] u = new double[v.length];
      for (int i = 0; i < u.length; i++) {
        u[i] = Math.sin(1.3 + 0.77 * counter[0]++);
      }
      return u;
    }
    Object[] m = (Object[]) shape;
    Object[] u = m.clone();
    for (int i = 0; i < m.length; i++) {
      u[i] = direction(m[i], counter);
    }
    return u;
  }

  /**
   * Checks forward mode against reverse mode: {@code gradClass.methodJvp(args, u)} gives the
   * method's value and the gradient (the record {@code gradient} the reverse mode returned, itself
   * checked against finite differences) times the direction {@code u}, for a fixed direction, and
   * modifies neither the arguments nor the direction.
   */
  static void checkJvp(Class<?> gradClass, String method, Object[] args, Object gradient,
      int... diff) throws Exception {
    Method jvp = byName(gradClass, method + "Jvp", true);
    Object[] jvpArgs = new Object[args.length + diff.length];
    System.arraycopy(TestSupport.deepCopy(args), 0, jvpArgs, 0, args.length);
    int[] counter = {0};
    for (int k = 0; k < diff.length; k++) {
      jvpArgs[args.length + k] = direction(args[diff[k]], counter);
    }
    Object[] before = TestSupport.deepCopy(jvpArgs);
    Object result = TestSupport.call(jvp, jvpArgs);
    assertWithMessage("%sJvp modified its arguments", method)
        .that(Arrays.deepEquals(jvpArgs, before)).isTrue();
    RecordComponent[] g = gradient.getClass().getRecordComponents();
    double value = (Double) g[0].getAccessor().invoke(gradient);
    double expected = 0;
    double scale = 0;
    for (int k = 0; k < diff.length; k++) {
      g[k + 1].getAccessor().setAccessible(true);
      List<Double> flatGrad = new ArrayList<>();
      flattenInto(g[k + 1].getAccessor().invoke(gradient), flatGrad);
      List<Double> flatU = new ArrayList<>();
      flattenInto(jvpArgs[args.length + k], flatU);
      for (int i = 0; i < flatU.size(); i++) {
        expected += flatGrad.get(i) * flatU.get(i);
        scale += Math.abs(flatGrad.get(i) * flatU.get(i));
      }
    }
    double tangent = (Double) component(result, "tangent");
    assertWithMessage("%sJvp value", method).that((Double) component(result, "value"))
        .isWithin(1e-12 * Math.max(1, Math.abs(value))).of(value);
    assertWithMessage("%sJvp tangent against the gradient times the direction", method)
        .that(tangent).isWithin(1e-9 * Math.max(1, scale)).of(expected);
  }


  /**
   * The number of lines of each generated pullback in the source of a generated class, by the
   * method's name: from its signature to the next member.
   */
  public static java.util.Map<String, Integer> pullbackLines(String generated) {
    java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
    java.util.regex.Pattern start = java.util.regex.Pattern.compile(
        "^    public static double (\\w+)Pullback(_[dn]+)?\\(");
    String[] lines = generated.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      java.util.regex.Matcher m = start.matcher(lines[i]);
      if (m.find()) {
        int end = i + 1;
        while (end < lines.length && !lines[end].equals("    }")) {
          end++;
        }
        out.put(m.group(1), end - i + 1);
      }
    }
    return out;
  }

  /** Marks the line a test expects an error on. */
  static final String ERROR_MARKER = "// <- error";

  /**
   * Compiles {@code p.T} from {@code lines}; asserts failure, no processor crash, and an error
   * containing {@code message} on the line marked {@link #ERROR_MARKER} (and, if {@code only},
   * no other error).
   */
  static Compilation expectError(String message, boolean only, String... lines) {
    int line = 0;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(ERROR_MARKER)) {
        assertWithMessage("test source has two %s markers", ERROR_MARKER).that(line)
            .isEqualTo(0);
        line = i + 1;
      }
    }
    assertWithMessage("test source has no %s marker", ERROR_MARKER).that(line).isGreaterThan(0);
    JavaFileObject file = com.google.testing.compile.JavaFileObjects.forSourceLines("p.T", lines);
    Compilation c = compile(file);
    assertNoCrash(c);
    assertWithMessage("diagnostics:\n%s", describe(c))
        .that(c.status()).isEqualTo(Compilation.Status.FAILURE);
    com.google.testing.compile.CompilationSubject.assertThat(c).hadErrorContaining(message)
        .inFile(file).onLine(line);
    if (only) {
      assertWithMessage("exactly one error expected (no follow-on or duplicate errors);"
          + " diagnostics:\n%s", describe(c)).that(c.errors()).hasSize(1);
    }
    return c;
  }
}
