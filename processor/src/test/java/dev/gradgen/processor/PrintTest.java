package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, part 9: {@code System.out.println(...)} and its kin inside a {@code @Differentiable}
 * method run once, in the forward sweep, printing what the original method prints; the
 * gradient is unaffected.
 */
class PrintTest {
  @TempDir
  Path temp;

  @Test
  void theGradientPrintsWhatTheMethodPrintsOnce() throws Exception {
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror").compile(
        JavaFileObjects.forSourceLines("p.C",
            "package p;",
            "",
            "import dev.gradgen.Differentiable;",
            "",
            "public class C {",
            "  enum Phase { WARM, HOT }",
            "",
            "  @Differentiable",
            "  static double loss(double x, double[] w, int steps, Phase phase, String tag) {",
            "    double s = 0;",
            "    System.out.println(\"start \" + tag + \" \" + phase);",
            "    for (int i = 0; i < steps; i++) {",
            "      s += w[i % w.length] * Math.sin(x * i);",
            "      System.out.printf(\"%d: s = %.6f%n\", i, s);",
            "      if (s > 1) {",
            "        System.err.println(\"big: \" + s + \" at \" + (i + 1) + \" \" + (s > 2));",
            "      }",
            "    }",
            "    System.out.print(s * x);",
            "    System.out.println();",
            "    int k = 0;",
            "    System.out.println(\"k \" + k++ + \" then \" + k);",
            "    return s * x + k;",
            "  }",
            "}"));
    TestSupport.assertCompiled(c);
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.C");
      Class<?> grad = cl.loadClass("p.CGrad");
      Object hot = cl.loadClass("p.C$Phase").getEnumConstants()[1];
      Object[] args = {0.8, new double[] {0.9, 1.4, -0.3}, 5, hot, "run1"};
      String[] original = captured(TestSupport.byName(owner, "loss", false), args);
      String[] generated = captured(TestSupport.byName(grad, "loss", true), args);
      assertWithMessage("stdout").that(generated[0]).isEqualTo(original[0]);
      assertWithMessage("stderr").that(generated[1]).isEqualTo(original[1]);
      assertWithMessage("the method prints").that(original[0]).contains("start run1 HOT");
      assertWithMessage("the method prints").that(original[1]).contains("big: ");
      PrintStream out = System.out;
      PrintStream err = System.err;
      try {
        // Finite differences call the method many times: keep the test's log readable.
        System.setOut(new PrintStream(PrintStream.nullOutputStream()));
        System.setErr(new PrintStream(PrintStream.nullOutputStream()));
        TestSupport.checkGradient(owner, grad, "loss", args, 0, 1);
      } finally {
        System.setOut(out);
        System.setErr(err);
      }
    }
  }

  /** What calling {@code m} prints on {@code System.out} and {@code System.err}. */
  private static String[] captured(Method m, Object[] args) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      TestSupport.call(m, TestSupport.deepCopy(args));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new String[] {o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
  }
}
