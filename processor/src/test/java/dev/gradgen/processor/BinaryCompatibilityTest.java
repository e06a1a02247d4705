package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 6: an application compiled against one version of a library's generated
 * pullback and run with a newer jar in which a parameter became {@code @NoGrad} used to read the
 * wrong adjoints from the tape (ArrayIndexOutOfBoundsException in Tape.popDouble, or silently
 * wrong values). The pullback's name now says which parameters are differentiable, so the
 * mismatch is a linkage error naming the pullback the application expected.
 */
class BinaryCompatibilityTest {
  @TempDir
  Path temp;

  private static String library(String yAnnotation, String wAnnotation) {
    return String.join("\n",
        "package lib;",
        "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.NoGrad;",
        "",
        "public class Lib {",
        "  @Differentiable",
        "  public static double f(double x, " + yAnnotation + "double y, " + wAnnotation
            + "double[] w) {",
        "    return x * y + w[0] * x + w[1] * y * y;",
        "  }",
        "}");
  }

  private static final String APP = String.join("\n",
      "package app;",
      "",
      "import dev.gradgen.Differentiable;",
      "",
      "public class App {",
      "  @Differentiable",
      "  public static double g(double x, double y, double[] w) {",
      "    return 2 * lib.Lib.f(x, y * 3, w) + x;",
      "  }",
      "}");

  /** Compiles {@code sources} with the processor against {@code classpath} into a jar. */
  private Path jar(String name, List<File> classpath, String qualifiedName, String text)
      throws Exception {
    Compilation c = TestSupport.compiler().withClasspath(classpath)
        .compile(JavaFileObjects.forSourceString(qualifiedName, text));
    TestSupport.assertCompiled(c);
    return TestSupport.jar(TestSupport.writeClasses(c, temp.resolve(name)),
        temp.resolve(name + ".jar"));
  }

  /** Runs {@code AppGrad.g} with the application jar and one library jar. */
  private static Object gradient(Path app, Path lib) throws Throwable {
    try (URLClassLoader cl = new URLClassLoader(new URL[] {app.toUri().toURL(),
        lib.toUri().toURL()}, BinaryCompatibilityTest.class.getClassLoader())) {
      Method g = cl.loadClass("app.AppGrad").getMethod("g", double.class, double.class,
          double[].class);
      try {
        Object record = g.invoke(null, 0.5, 2.0, new double[] {1.5, -1.0});
        return List.of(TestSupport.component(record, "value"), TestSupport.component(record, "x"),
            TestSupport.component(record, "y"));
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  @Test
  void changedDifferentiableParametersFailToLinkWithAClearMessage() throws Throwable {
    File runtime = TestSupport.runtimeLocation();
    Path v1 = jar("lib-1", List.of(runtime), "lib.Lib", library("", ""));
    Path v2 = jar("lib-2", List.of(runtime), "lib.Lib", library("@NoGrad ", ""));
    Path v3 = jar("lib-3", List.of(runtime), "lib.Lib", library("", "@NoGrad "));
    Path v1Again = jar("lib-1-rebuilt", List.of(runtime), "lib.Lib", library("", ""));
    Path app = jar("app", List.of(runtime, v1.toFile()), "app.App", APP);

    // g = 2 f(x, 3y, w) + x, f(x, y, w) = x y + w0 x + w1 y^2; at x = 0.5, y = 2, w = (1.5, -1).
    double x = 0.5;
    double y3 = 6;
    List<Double> expected = List.of(2 * (x * y3 + 1.5 * x - y3 * y3) + x,
        2 * (y3 + 1.5) + 1, 2 * 3 * (x - 2 * y3));
    for (Path lib : List.of(v1, v1Again)) {
      List<?> got = (List<?>) gradient(app, lib);
      for (int i = 0; i < expected.size(); i++) {
        assertThat((Double) got.get(i)).isWithin(1e-12).of(expected.get(i));
      }
    }

    // y became @NoGrad: the scalar adjoints on the tape would no longer line up.
    NoSuchMethodError scalar = assertThrows(NoSuchMethodError.class, () -> gradient(app, v2));
    assertThat(scalar).hasMessageThat().contains("lib.LibGrad.fPullback_ddd(");
    // w became @NoGrad: the array adjoint argument would no longer be expected.
    NoSuchMethodError array = assertThrows(NoSuchMethodError.class, () -> gradient(app, v3));
    assertThat(array).hasMessageThat().contains("lib.LibGrad.fPullback_ddd(");
  }
}
