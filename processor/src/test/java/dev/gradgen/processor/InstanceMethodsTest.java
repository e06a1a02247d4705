package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, part 7: {@code @Differentiable} instance methods read their object's fields as
 * constants and call each other on {@code this} and on other objects; the generated methods take
 * the receiver first ({@code ModelGrad.loss(Model self, ...)}). Checked against finite
 * differences through the record, and through static callers (the pullback path).
 */
class InstanceMethodsTest {
  @TempDir
  Path temp;

  static final String[] SOURCE = {
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "",
      "public final class Model {",
      "  final double[][] xs;",
      "  final double[] ys;",
      "  double scale = 0.5;",
      "  int rounds = 2;",
      "  static final Model SHARED = new Model(new double[][] {{1, 2}, {3, 4}},",
      "      new double[] {1, -1});",
      "",
      "  Model(double[][] xs, double[] ys) {",
      "    this.xs = xs;",
      "    this.ys = ys;",
      "  }",
      "",
      "  @Differentiable",
      "  double predict(double[] w, int i) {",
      "    double s = 0;",
      "    for (int j = 0; j < w.length; j++) {",
      "      s += w[j] * xs[i][j];",
      "    }",
      "    return Math.tanh(s * this.scale);",
      "  }",
      "",
      "  @Differentiable",
      "  double loss(double[] w, double lambda) {",
      "    double l = 0;",
      "    for (int r = 0; r < rounds; r++) {",
      "      for (int i = 0; i < ys.length; i++) {",
      "        double e = predict(w, i) - this.ys[i];",
      "        l += e * e;",
      "      }",
      "    }",
      "    return l + lambda * this.norm(w) + SHARED.norm(w) * 0.01;",
      "  }",
      "",
      "  @Differentiable",
      "  double norm(double[] w) {",
      "    double s = 0;",
      "    for (double v : w) {",
      "      s += v * v * scale;",
      "    }",
      "    return s;",
      "  }",
      "",
      "  @Differentiable",
      "  static double twice(Model m, double[] w, double lambda) {",
      "    return 2 * m.loss(w, lambda) + SHARED.predict(w, 1);",
      "  }",
      "}"};

  @Test
  void fieldsAreConstantsAndCallsWorkOnEveryReceiver() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceLines("p.Model", SOURCE));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> model = cl.loadClass("p.Model");
      Class<?> grad = cl.loadClass("p.ModelGrad");
      var constructor = model.getDeclaredConstructor(double[][].class, double[].class);
      constructor.setAccessible(true);
      Object m = constructor.newInstance(
          new double[][] {{0.5, -1}, {2, 0.3}, {-0.7, 0.2}}, new double[] {0.3, -0.2, 0.9});
      for (double[] w : new double[][] {{0.4, -0.6}, {-1.1, 0.2}}) {
        for (String name : new String[] {"loss", "norm"}) {
          Method original = TestSupport.byName(model, name, false);
          original.setAccessible(true);
          Method generated = TestSupport.byName(grad, name, true);
          assertWithMessage("%s takes the receiver first", name)
              .that(generated.getParameterTypes()[0]).isEqualTo(model);
          Object[] args = name.equals("loss") ? new Object[] {w.clone(), 0.3}
              : new Object[] {w.clone()};
          Object[] withSelf = new Object[args.length + 1];
          withSelf[0] = m;
          System.arraycopy(args, 0, withSelf, 1, args.length);
          Object record = TestSupport.call(generated, withSelf);
          double value = (Double) TestSupport.component(record, "value");
          assertWithMessage("%s value", name).that(value)
              .isWithin(1e-12).of((Double) original.invoke(m, args));
          double[] g = (double[]) TestSupport.component(record, "w");
          double[] fd = TestSupport.finiteDifferences(x -> {
            Object[] a = args.clone();
            a[0] = x;
            return (Double) original.invoke(m, a);
          }, w);
          TestSupport.assertClose(name + " d/dw", fd, g);
        }
        // Through a static caller: the instance methods' pullbacks on m and on SHARED.
        TestSupport.checkGradient(model, grad, "twice", new Object[] {m, w, 0.3}, 1, 2);
      }
      assertWithMessage("arguments untouched").that(Arrays.toString(new double[] {0.4, -0.6}))
          .isEqualTo("[0.4, -0.6]");
    }
  }

  @Test
  void anOverridableInstanceMethodIsAnError() {
    TestSupport.expectError("a @Differentiable instance method must be final (or its class"
        + " final)", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  double k = 2;",
        "",
        "  @Differentiable",
        "  double f(double x) { // <- error",
        "    return x * k;",
        "  }",
        "}");
  }

  @Test
  void writingIntoAFieldsArrayThroughALocalIsAnError() {
    TestSupport.expectError("'v' refers to a field's array; fields are constants", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public final class T {",
        "  final double[] w = {1, 2};",
        "",
        "  @Differentiable",
        "  double f(double x) {",
        "    double[] v = w;",
        "    v[0] = x; // <- error",
        "    return x * v[0];",
        "  }",
        "}");
  }

  @Test
  void writingAFieldIsAnError() {
    TestSupport.expectError("fields are constants in a @Differentiable method: writing field"
        + " 'total' is not supported; compute it in a local", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public final class T {",
        "  double total;",
        "",
        "  @Differentiable",
        "  double f(double x) {",
        "    this.total = x; // <- error",
        "    return x * total;",
        "  }",
        "}");
  }
}
