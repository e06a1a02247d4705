package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Agradgen.explain}: every sub-expression's adjoint gets a named temporary commented with
 * the sub-expression, and the gradients stay exactly the chain rule's; unknown {@code gradgen.*}
 * options and bad values are warned about, once.
 */
class ExplainTest {
  @TempDir
  Path temp;

  private static final Map<String, String> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("softplus", "return Math.log1p(Math.exp(-Math.abs(x))) * y + Math.max(x, 0.0);");
    METHODS.put("chain", "double s = Math.sin(x * y) / (1.0 + y * y);\nreturn Math.tanh(s) * x;");
    METHODS.put("fma", "return Math.fma(x, x, y) * Math.fma(y, y, x);");
    // A char literal in an explained sub-expression: its comment must not end early.
    METHODS.put("chars", "return Math.sin(x * '\\n' / 100.0) * y + Math.cos(y * '\\'' / 100.0);");
  }

  private static List<String> source() {
    List<String> src = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "", "public class E {"));
    src.addAll(TestSupport.methods("double x, double y", METHODS));
    src.add("}");
    return src;
  }

  private Compilation compile(String... options) {
    List<String> all = new ArrayList<>(List.of("-Xlint:all"));
    all.addAll(List.of(options));
    return TestSupport.compiler(all.toArray(String[]::new))
        .compile(JavaFileObjects.forSourceLines("p.E", source()));
  }

  @Test
  void explainedGradientsAreTheChainRulesAndNameEveryPartial() throws Exception {
    for (String option : new String[] {"-Agradgen.explain", "-Agradgen.explain=true"}) {
      Compilation c = compile(option, "-Werror");
      TestSupport.assertCompiled(c);
      String generated = TestSupport.generatedSource(c, "p.EGrad");
      // log1p(exp(-abs(x))): the adjoint of exp(...) and of abs(x) are named and commented.
      assertThat(generated).contains("// the adjoint of Math.exp(-Math.abs(x))");
      assertThat(generated).contains("// the adjoint of Math.abs(x)");
      assertThat(generated).contains("double dExp = ");
      assertThat(generated).contains("double dAbs = ");
      try (URLClassLoader cl = TestSupport.loader(
          TestSupport.writeClasses(c, Files.createTempDirectory(temp, "explained")))) {
        check(cl);
      }
    }
  }

  @Test
  void withoutTheOptionNothingIsExplained() throws Exception {
    Compilation c = compile("-Werror");
    TestSupport.assertCompiled(c);
    String generated = TestSupport.generatedSource(c, "p.EGrad");
    assertThat(generated).doesNotContain("// the adjoint of");
    // Math.fma(x, x, y): the two equal contributions to dx are one of twice the value.
    assertThat(generated).contains("dx += 2.0 * ");
    try (URLClassLoader cl = TestSupport.loader(
        TestSupport.writeClasses(c, Files.createTempDirectory(temp, "plain")))) {
      check(cl);
    }
  }

  private static void check(URLClassLoader cl) throws Exception {
    Class<?> owner = cl.loadClass("p.E");
    Class<?> grad = cl.loadClass("p.EGrad");
    for (String m : METHODS.keySet()) {
      for (double[] at : new double[][] {{0.7, 0.9}, {-0.45, 1.3}, {1.2, -0.6}}) {
        TestSupport.checkGradient(owner, grad, m, new Object[] {at[0], at[1]}, 0, 1);
      }
    }
  }

  @Test
  void anUnknownOptionIsOneWarningThatListsTheOptions() {
    Compilation c = compile("-Agradgen.explian");
    TestSupport.assertCompiled(c);
    List<String> warnings = c.warnings().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
    assertWithMessage("warnings").that(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("gradgen has no option -Agradgen.explian");
    assertThat(warnings.get(0)).contains("-Agradgen.explain");
    assertThat(warnings.get(0)).contains("[gradgen:GG093]");
    assertThat(TestSupport.generatedSource(c, "p.EGrad")).doesNotContain("// the adjoint of");
  }

  @Test
  void aBadValueIsAWarningAndLeavesTheOptionOff() {
    Compilation c = compile("-Agradgen.explain=yes");
    TestSupport.assertCompiled(c);
    List<Diagnostic<?>> warnings = new ArrayList<>(c.warnings());
    assertWithMessage("warnings").that(warnings).hasSize(1);
    assertThat(warnings.get(0).getMessage(Locale.ROOT))
        .contains("-Agradgen.explain takes true or false, not 'yes'");
    assertThat(TestSupport.generatedSource(c, "p.EGrad")).doesNotContain("// the adjoint of");
  }
}
