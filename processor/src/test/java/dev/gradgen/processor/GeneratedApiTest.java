package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API around each pullback, as a user meets it: gradient records with array components
 * compare, hash and print by content; a buffer's gradients read like the record's ({@code g.b()})
 * as well as through its fields; the generated javadoc documents every parameter and result.
 */
class GeneratedApiTest {
  @TempDir
  Path temp;

  private static final List<String> SOURCE = TestSupport.lines(
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;",
      "",
      "public class Api {",
      "  @Differentiable",
      "  static double loss(double[] w, double b, @NoGrad double[][] x) {",
      "    double s = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      double r = b;",
      "      for (int j = 0; j < w.length; j++) {",
      "        r += w[j] * x[i][j];",
      "      }",
      "      s += r * r;",
      "    }",
      "    return s;",
      "  }",
      "",
      "  @Differentiable",
      "  static double frob(double[][] m, double[][][] t) {",
      "    double s = 0;",
      "    for (int i = 0; i < m.length; i++) {",
      "      for (int j = 0; j < m[i].length; j++) {",
      "        s += m[i][j] * m[i][j] * t[0][i][j];",
      "      }",
      "    }",
      "    return s;",
      "  }",
      "",
      "  @Differentiable",
      "  static double scalars(double a, double other) {",
      "    return a * a * other;",
      "  }",
      "}");

  private static final double[] W = {0.5, -1.5};
  private static final double[][] X = {{1, 2}, {3, -1}};

  private Class<?> grad(URLClassLoader cl) throws ClassNotFoundException {
    return cl.loadClass("p.ApiGrad");
  }

  private static Object call(Class<?> g, String name, Object... args) throws Exception {
    return TestSupport.call(TestSupport.byName(g, name, true), args);
  }

  @Test
  void recordsFromEqualInputsAreEqualAndHashAlike() throws Exception {
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.Api", SOURCE)) {
      Class<?> g = grad(cl);
      Object first = call(g, "loss", W.clone(), 0.25, X);
      Object second = call(g, "loss", W.clone(), 0.25, X);
      assertThat(TestSupport.component(first, "w"))
          .isNotSameInstanceAs(TestSupport.component(second, "w"));
      assertThat(first).isEqualTo(second);
      assertThat(first.hashCode()).isEqualTo(second.hashCode());

      Object other = call(g, "loss", new double[] {0.5, -1.25}, 0.25, X);
      assertThat(first).isNotEqualTo(other);
      assertThat(first).isNotEqualTo(null);
      assertThat(first).isNotEqualTo("a string");

      // Matrices and rank-3 arrays compare by their elements too.
      double[][] m = {{1, 2}, {-3, 0.5}};
      double[][][] t = {{{1, 2}, {3, 4}}};
      Object f1 = call(g, "frob", m, t);
      Object f2 = call(g, "frob", new double[][] {{1, 2}, {-3, 0.5}}, t);
      assertThat(f1).isEqualTo(f2);
      assertThat(f1.hashCode()).isEqualTo(f2.hashCode());
      Object f3 = call(g, "frob", m, new double[][][] {{{1, 2}, {3, 4.5}}});
      assertThat(f1).isNotEqualTo(f3);
    }
  }

  @Test
  void equalsFollowsTheRecordContractForTheValue() throws Exception {
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.Api", SOURCE)) {
      Class<?> record = cl.loadClass("p.ApiGrad$LossGradient");
      Constructor<?> make = record.getDeclaredConstructor(double.class, double[].class,
          double.class);
      Object nan1 = make.newInstance(Double.NaN, new double[] {1, Double.NaN}, 2.0);
      Object nan2 = make.newInstance(Double.NaN, new double[] {1, Double.NaN}, 2.0);
      // As a record's double component: compared like Double.compare, so NaN equals NaN.
      assertThat(nan1).isEqualTo(nan2);
      Object base = make.newInstance(1.0, new double[] {1, 2}, 2.0);
      assertThat(base).isNotEqualTo(make.newInstance(1.0, new double[] {1, 2}, 2.5));
      assertThat(base).isNotEqualTo(make.newInstance(1.5, new double[] {1, 2}, 2.0));
      // 0.0 and -0.0 differ, as for a record's double component and Arrays.equals.
      assertThat(make.newInstance(0.0, new double[] {0.0}, 0.0))
          .isNotEqualTo(make.newInstance(0.0, new double[] {-0.0}, 0.0));
    }
  }

  @Test
  void toStringShowsTheNumbers() throws Exception {
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.Api", SOURCE)) {
      Class<?> record = cl.loadClass("p.ApiGrad$LossGradient");
      Object r = record.getDeclaredConstructor(double.class, double[].class, double.class)
          .newInstance(1.5, new double[] {0.25, -2.0}, 3.0);
      assertThat(r.toString()).isEqualTo("LossGradient[value=1.5, w=[0.25, -2.0], b=3.0]");

      Class<?> frob = cl.loadClass("p.ApiGrad$FrobGradient");
      Object f = frob.getDeclaredConstructor(double.class, double[][].class, double[][][].class)
          .newInstance(2.0, new double[][] {{1, 2}, {3, 4}}, new double[][][] {{{5}}});
      assertThat(f.toString())
          .isEqualTo("FrobGradient[value=2.0, m=[[1.0, 2.0], [3.0, 4.0]], t=[[[5.0]]]]");
    }
  }

  @Test
  void recordsWithOnlyScalarsKeepTheRecordMethods() throws Exception {
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.Api", SOURCE));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.ApiGrad");
    // The record declares nothing of its own (javac supplies equals, hashCode, toString) ...
    assertThat(generated).containsMatch(
        "public record ScalarsGradient\\(double value, double a, double other\\) \\{\\s*\\}");
    // ... while a record with an array component declares all three.
    int loss = generated.indexOf("public record LossGradient(");
    int lossEnd = generated.indexOf("\n    }\n", loss);
    for (String m : List.of("public boolean equals(", "public int hashCode()",
        "public String toString()")) {
      assertWithMessage("%s in LossGradient", m).that(generated.substring(loss, lossEnd))
          .contains(m);
    }
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.Api", SOURCE)) {
      Object r = call(grad(cl), "scalars", 3.0, 2.0);
      assertThat(r.toString()).isEqualTo("ScalarsGradient[value=18.0, a=12.0, other=9.0]");
      assertThat(r).isEqualTo(call(grad(cl), "scalars", 3.0, 2.0));
    }
  }

  @Test
  void bufferReadsLikeTheRecord() throws Exception {
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.Api", SOURCE)) {
      Class<?> g = grad(cl);
      Class<?> bufferType = cl.loadClass("p.ApiGrad$LossGradientBuffer");
      Object buffer = bufferType.getConstructor(double[].class).newInstance((Object) W);
      Method bufferForm = g.getDeclaredMethod("loss", double[].class, double.class,
          double[][].class, bufferType);
      double value = (Double) bufferForm.invoke(null, W, 0.25, X, buffer);
      Object record = call(g, "loss", W, 0.25, X);

      Method w = bufferType.getMethod("w");
      Method b = bufferType.getMethod("b");
      Field wField = bufferType.getField("w");
      Field bField = bufferType.getField("b");
      assertThat(w.getReturnType()).isEqualTo(double[].class);
      assertThat(b.getReturnType()).isEqualTo(double.class);
      // The accessor returns the field's own array, which the next call overwrites.
      assertThat(w.invoke(buffer)).isSameInstanceAs(wField.get(buffer));
      assertThat((double[]) w.invoke(buffer))
          .isEqualTo((double[]) TestSupport.component(record, "w"));
      assertThat((Double) b.invoke(buffer)).isEqualTo(bField.getDouble(buffer));
      assertThat((Double) b.invoke(buffer))
          .isEqualTo((Double) TestSupport.component(record, "b"));
      assertThat(value).isEqualTo((Double) TestSupport.component(record, "value"));
      // r_i = 0.25 + w . x_i: r_0 = -2.25, r_1 = 3.25; db = 2 (r_0 + r_1) = 2.0.
      assertThat((Double) b.invoke(buffer)).isWithin(1e-12).of(2.0);

      double[] before = (double[]) w.invoke(buffer);
      bufferForm.invoke(null, new double[] {1.0, 1.0}, 0.0, X, buffer);
      assertThat(w.invoke(buffer)).isSameInstanceAs(before);
      // r = (3, 2): dw = 2 (3 x_0 + 2 x_1) = (18, 8).
      assertThat(before).usingTolerance(1e-12).containsExactly(18.0, 8.0).inOrder();
    }
  }

  @Test
  void javadocDocumentsParametersAndResults() {
    Compilation c = TestSupport.compile(JavaFileObjects.forSourceLines("p.Api", SOURCE));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.ApiGrad");
    // The buffer of a method with only scalar gradients has a no-argument constructor, whose
    // javadoc must not speak of sizing arrays like arguments it does not take.
    int scalarsBuffer = generated.indexOf("class ScalarsGradientBuffer");
    assertThat(scalarsBuffer).isGreaterThan(0);
    String scalarsCtor = generated.substring(generated.lastIndexOf("/**",
        generated.indexOf("public ScalarsGradientBuffer()")),
        generated.indexOf("public ScalarsGradientBuffer()"));
    assertThat(scalarsCtor).doesNotContain("Sizes the gradient arrays");
    assertThat(scalarsCtor).contains("scalars");
    String lossCtor = generated.substring(generated.lastIndexOf("/**",
        generated.indexOf("public LossGradientBuffer(double[] w)")),
        generated.indexOf("public LossGradientBuffer(double[] w)"));
    assertThat(lossCtor).contains("Sizes the gradient arrays");
    assertThat(lossCtor).contains("@param w ");

    // Every generated method and constructor with parameters documents each of them, and every
    // non-void one its result.
    java.util.regex.Matcher member = java.util.regex.Pattern.compile(
        "(?s)/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@\\w+\\s*)*public [^(=;{]*?(\\w+)\\(([^)]*)\\)")
        .matcher(generated);
    int checked = 0;
    while (member.find()) {
      String doc = member.group(1);
      String declared = member.group(0);
      if (declared.contains(" record ")) {
        continue;
      }
      String parameters = member.group(3).trim();
      if (!parameters.isEmpty()) {
        for (String p : parameters.split(",")) {
          String name = p.trim().substring(p.trim().lastIndexOf(' ') + 1);
          assertWithMessage("@param %s in the javadoc of %s", name, member.group(2))
              .that(doc).contains("@param " + name + " ");
        }
      }
      boolean returnsSomething = !declared.matches("(?s).*public\\s+\\w+\\(.*")
          && !declared.contains(" void ");
      if (returnsSomething) {
        assertWithMessage("@return in the javadoc of %s", member.group(2)).that(doc)
            .contains("@return ");
      }
      checked++;
    }
    // 3 methods x (allocating form, buffer form, pullback, JVP, tangent function, its pullback,
    // HVP, Hessian), 3 buffer constructors, 6 buffer accessors (w, b; m, t; a, other), and
    // equals/hashCode/toString of the 2 gradient records and 2 HVP records with arrays.
    assertWithMessage("members checked in:\n%s", generated).that(checked)
        .isEqualTo(3 * 8 + 3 + 6 + 4 * 3);
    // The record documents its components.
    assertThat(generated).contains("@param value the value of {@code Api.loss}");
    assertThat(generated).contains("@param b the gradient with respect to {@code b}");
  }
}
