package dev.gradgen.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, part 8: {@code char}, {@code short}, {@code byte} and {@code float} parameters and
 * {@code char}/{@code float} literals are constant numbers in expressions (float arithmetic
 * stays float, as in the source); assigning them or computing in float is an error that says so.
 */
class NarrowTypesTest {
  @TempDir
  Path temp;

  @Test
  void narrowConstantsInExpressions() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(
        JavaFileObjects.forSourceLines("p.N",
            "package p;",
            "",
            "import dev.gradgen.Differentiable;",
            "",
            "public class N {",
            "  static int code(char c) {",
            "    return c - 'a';",
            "  }",
            "",
            "  @Differentiable",
            "  static double mix(double x, char c, short s, byte b, float f) {",
            "    double y = x * c + s * x * x + b + f * x + 0.1f * x + (f * 0.1f) * x * x;",
            "    if (c == 'b') {",
            "      y += Math.sin(x * code(c));",
            "    }",
            "    return y + switch (c) {",
            "      case 'a' -> x;",
            "      case 'b', 'c' -> 2 * x * s;",
            "      default -> 0;",
            "    };",
            "  }",
            "}"));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.N");
      Class<?> grad = cl.loadClass("p.NGrad");
      for (char ch : new char[] {'a', 'b', 'c', 'z'}) {
        for (double x : new double[] {0.3, -1.2}) {
          TestSupport.checkGradient(owner, grad, "mix",
              new Object[] {x, ch, (short) 3, (byte) -2, 0.7f}, 0);
        }
      }
    }
  }

  @Test
  void assigningACharParameterSaysWhatToDo() {
    TestSupport.expectError("parameter 'c' has type char, which gradgen reads as a constant"
        + " number but does not assign; copy it into an int local first", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, char c) {",
        "    c++; // <- error",
        "    return x * c;",
        "  }",
        "}");
  }

  @Test
  void aVarThatJavaMakesFloatIsAnError() {
    TestSupport.expectError("'var' makes 'y' a float here, which gradgen does not differentiate;"
        + " declare it double", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, float g) {",
        "    var y = g * 2; // <- error",
        "    return x * y;",
        "  }",
        "}");
  }

  @Test
  void aFloatValueTheReaderWouldKeepInALocalIsAnError() {
    TestSupport.expectError("this float value would have to be kept in a local", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, float g, boolean c) {",
        "    int k = 0;",
        "    return (c ? g : (k = 2)) * 0.3f * x; // <- error",
        "  }",
        "}");
  }

  @Test
  void computingInFloatSaysFloatIsNotDifferentiated() {
    TestSupport.expectError("float is not differentiated by gradgen", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double f(double x, float g) {",
        "    float y = (float) x * g; // <- error",
        "    return y;",
        "  }",
        "}");
  }
}
