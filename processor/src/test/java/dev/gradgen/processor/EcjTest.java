package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.palantir.javapoet.JavaFile;
import dev.gradgen.Differentiable;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jdt.core.compiler.batch.BatchCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gradgen under Eclipse's compiler (ECJ, which Eclipse and VS Code's Java support use): ECJ has
 * no javac tree API, so gradgen cannot read method bodies. It must say so once per class, on the
 * class, and generate nothing.
 */
class EcjTest {
  @TempDir
  Path temp;

  private static String pathOf(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private Path write(String name, String... lines) throws Exception {
    Path file = temp.resolve("src/p/" + name);
    Files.createDirectories(file.getParent());
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void theTreeApiErrorComesOncePerClassOnTheClass() throws Exception {
    Path model = write("Model.java",
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class Model {",
        "  @Differentiable",
        "  static double loss(double[] w) {",
        "    return w[0] * w[1];",
        "  }",
        "",
        "  @Differentiable",
        "  static double reg(double[] w) {",
        "    return w[0] * w[0];",
        "  }",
        "}");
    Path other = write("Other.java",
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "class Other {",
        "  @Differentiable",
        "  static double sq(double x) {",
        "    return x * x;",
        "  }",
        "}");
    Path use = write("Train.java",
        "package p;",
        "",
        "class Train {",
        "  static double step(double[] w) {",
        "    return ModelGrad.loss(w).value() + OtherGrad.sq(1.0).x();",
        "  }",
        "}");
    String runtime = pathOf(Differentiable.class);
    String processorPath = String.join(File.pathSeparator, pathOf(GradgenProcessor.class),
        pathOf(JavaFile.class), runtime);
    Path generated = temp.resolve("generated");
    List<String> args = new ArrayList<>(List.of("-17", "-proceedOnError", "-cp", runtime,
        "-processorpath", processorPath, "-s", generated.toString(),
        "-d", temp.resolve("classes").toString()));
    args.addAll(List.of(model.toString(), other.toString(), use.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    boolean ok = BatchCompiler.compile(args.toArray(String[]::new), new PrintWriter(out),
        new PrintWriter(err), null);
    String log = out + "\n" + err;

    assertWithMessage("ECJ's output:\n%s", log).that(ok).isFalse();
    // ECJ prints each problem as "N. ERROR in <file> (at line L)", the source line, a caret
    // line and the message.
    Matcher problem = Pattern.compile("\\d+\\. ERROR in (\\S+) \\(at line (\\d+)\\)\\n"
        + "[^\\n]*\\n[^\\n]*\\n([^\\n]*)\\n").matcher(log);
    List<String> treeApiErrors = new ArrayList<>();
    while (problem.find()) {
      if (problem.group(3).contains("javac's tree API")) {
        treeApiErrors.add(Path.of(problem.group(1)).getFileName() + ":" + problem.group(2));
      }
    }
    // One per class with @Differentiable methods, on the line that declares the class.
    assertWithMessage("ECJ's output:\n%s", log).that(treeApiErrors)
        .containsExactly("Model.java:5", "Other.java:5");
    assertThat(log.split("\\[gradgen:GG090]", -1)).hasLength(3);
    assertThat(Files.exists(generated.resolve("p/ModelGrad.java"))).isFalse();
    assertThat(Files.exists(generated.resolve("p/OtherGrad.java"))).isFalse();
  }
}
