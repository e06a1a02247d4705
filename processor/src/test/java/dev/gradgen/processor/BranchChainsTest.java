package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 3: {@code else if} chains inside loops whose branches leave early used to
 * generate code exponential in the chain's length (each side's backward code again under every
 * exit guard; 12 branches gave 73,902 lines and "code too large"). Chains of up to 20 branches,
 * every exit kind, nested inside two loops: the gradients match finite differences and the
 * generated pullback grows linearly with the chain.
 */
class BranchChainsTest {
  @TempDir
  Path temp;

  /** The exits a branch can take, as written in the chain. */
  private static final List<String> EXITS = List.of("continue;", "break;", "return y;",
      "continue outer;", "break outer;");

  private static final int[] LENGTHS = {5, 10, 20};

  /** Generated lines per source line that the pullback may not exceed. */
  private static final double LINES_PER_SOURCE_LINE = 12;

  private static String name(int branches, int exit) {
    return "chain" + branches + "x" + exit;
  }

  /**
   * {@code branches} branches on the value of {@code s}, each updating y, every third (and the
   * last) leaving through {@code exit}; a second chain nested in one branch.
   */
  private static List<String> method(int branches, int exit) {
    List<String> m = new ArrayList<>();
    m.add("  @Differentiable");
    m.add("  static double " + name(branches, exit) + "(double x, double z) {");
    m.add("    double y = x;");
    m.add("    outer:");
    m.add("    for (int i = 0; i < 3; i++) {");
    m.add("      for (int j = 0; j < 3; j++) {");
    m.add("        double s = Math.sin(13 * y + i + 3 * j);");
    for (int k = 0; k < branches; k++) {
      m.add("        " + (k == 0 ? "if" : "} else if") + " (s < " + (-1 + 2.0 * (k + 1) / branches)
          + ") {");
      m.add("          y = y * " + (0.9 + 0.01 * k) + " + Math.sin(x * " + (k + 1) + ") * z;");
      if (k == branches / 2) {
        m.add("          if (y > 1) {");
        m.add("            y = y - z;");
        m.add("          } else if (y < -1) {");
        m.add("            y = y + x;");
        m.add("            " + EXITS.get(exit));
        m.add("          }");
      }
      if (k % 3 == 2 || k == branches - 1) {
        m.add("          " + EXITS.get(exit));
      }
    }
    m.add("        }");
    m.add("        y = Math.tanh(y) + x;");
    m.add("      }");
    m.add("      y = y * z;");
    m.add("    }");
    m.add("    return y;");
    m.add("  }");
    m.add("");
    return m;
  }

  @Test
  void longElseIfChainsWithEveryExitAreCorrectAndLinearInSize() throws Exception {
    List<String> src = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "", "public class C {"));
    Map<String, Integer> sourceLines = new LinkedHashMap<>();
    for (int n : LENGTHS) {
      for (int e = 0; e < EXITS.size(); e++) {
        List<String> m = method(n, e);
        sourceLines.put(name(n, e), m.size());
        src.addAll(m);
      }
    }
    src.add("}");
    Compilation c = TestSupport.compiler("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceLines("p.C", src));
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.CGrad");
    Map<String, Integer> pullbackLines = TestSupport.pullbackLines(generated);
    for (int e = 0; e < EXITS.size(); e++) {
      for (int n : LENGTHS) {
        String m = name(n, e);
        double ratio = (double) pullbackLines.get(m) / sourceLines.get(m);
        assertWithMessage("%s (exit %s): %s generated lines for %s source lines", m,
            EXITS.get(e), pullbackLines.get(m), sourceLines.get(m))
            .that(ratio).isAtMost(LINES_PER_SOURCE_LINE);
      }
      // Linear: doubling the chain from 10 to 20 branches adds about twice what 5 to 10 added.
      int a = pullbackLines.get(name(5, e));
      int b = pullbackLines.get(name(10, e));
      int d = pullbackLines.get(name(20, e));
      assertWithMessage("growth with the chain's length for exit %s: %s, %s, %s lines",
          EXITS.get(e), a, b, d).that((double) (d - b)).isAtMost(2.5 * (b - a));
    }
    try (URLClassLoader cl = TestSupport.loader(TestSupport.writeClasses(c, temp))) {
      Class<?> owner = cl.loadClass("p.C");
      Class<?> grad = cl.loadClass("p.CGrad");
      for (String m : sourceLines.keySet()) {
        for (double[] at : new double[][] {{0.7, 0.9}, {-0.4, 1.1}, {1.9, -0.6}, {0.05, 1.0}}) {
          TestSupport.checkGradient(owner, grad, m, new Object[] {at[0], at[1]}, 0, 1);
        }
      }
    }
  }
}
