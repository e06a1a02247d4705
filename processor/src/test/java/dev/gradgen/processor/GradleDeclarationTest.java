package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The Gradle declaration in {@code META-INF/gradle/incremental.annotation.processors}: it names
 * no category for gradgen, and the reason it gives holds, namely that gradgen cannot run in the
 * wrapped processing environment Gradle gives isolating and aggregating processors.
 */
class GradleDeclarationTest {
  private static final String DECLARATION = "META-INF/gradle/incremental.annotation.processors";
  private static final String SERVICES = "META-INF/services/javax.annotation.processing.Processor";

  private static final JavaFileObject SOURCE = JavaFileObjects.forSourceLines("p.Sq",
      "package p;",
      "",
      "import dev.gradgen.Differentiable;",
      "",
      "public class Sq {",
      "  @Differentiable",
      "  static double sq(double x) {",
      "    return x * x;",
      "  }",
      "",
      "  @Differentiable",
      "  static double cube(double x) {",
      "    return x * x * x;",
      "  }",
      "}");

  /** The processor's own output folder (or jar), not another jar on the test classpath. */
  private static Path processorRoot() throws Exception {
    return Path.of(GradgenProcessor.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
  }

  /** The lines Gradle reads from a declaration file: '#' starts a comment, blanks are skipped. */
  private static List<String> gradleLines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(l -> l.indexOf('#') < 0 ? l : l.substring(0, l.indexOf('#')))
        .map(String::trim)
        .filter(l -> !l.isEmpty())
        .toList();
  }

  @Test
  void declaresNoIncrementalCategorySoGradleRunsItNonIncrementally() throws Exception {
    Path file = processorRoot().resolve(DECLARATION);
    assertWithMessage("%s is shipped with the processor", DECLARATION)
        .that(Files.isRegularFile(file)).isTrue();
    // Gradle takes a processor it finds no line for as non-incremental (category UNKNOWN).
    assertThat(gradleLines(file)).isEmpty();
    // The comment says why, naming the processor it is about.
    assertThat(Files.readString(file)).contains(GradgenProcessor.class.getName());
  }

  @Test
  void theProcessorIsRegisteredForDiscovery() throws Exception {
    // Gradle, like javac, finds processors through this service file (written by AutoService).
    Path services = processorRoot().resolve(SERVICES);
    assertThat(gradleLines(services)).containsExactly(GradgenProcessor.class.getName());
  }

  @Test
  void aWrappedProcessingEnvironmentStopsGradgenWithItsTreeApiError() {
    Compilation plain = TestSupport.compile(SOURCE);
    TestSupport.assertCompiled(plain);
    assertThat(plain.generatedSourceFile("p.SqGrad").isPresent()).isTrue();

    // What Gradle does for an isolating or aggregating processor: the processor sees a
    // ProcessingEnvironment of another class that forwards to javac's.
    Compilation wrapped = Compiler.javac().withProcessors(new Wrapping(new GradgenProcessor()))
        .compile(SOURCE);
    assertThat(wrapped.status()).isEqualTo(Compilation.Status.FAILURE);
    // One error for the class (line 5), not one per method.
    List<String> errors = wrapped.errors().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).contains("javac's tree API");
    assertThat(errors.get(0)).contains("[gradgen:GG090]");
    Diagnostic<? extends JavaFileObject> error = wrapped.errors().get(0);
    assertThat(error.getKind()).isEqualTo(Diagnostic.Kind.ERROR);
    assertThat(error.getLineNumber()).isEqualTo(5L);
  }

  /** Forwards to a processor, giving it a forwarding environment, as Gradle's wrappers do. */
  static final class Wrapping implements Processor {
    private final Processor delegate;

    Wrapping(Processor delegate) {
      this.delegate = delegate;
    }

    @Override
    public Set<String> getSupportedOptions() {
      return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment env) {
      ProcessingEnvironment forwarding = (ProcessingEnvironment) Proxy.newProxyInstance(
          ProcessingEnvironment.class.getClassLoader(), new Class<?>[] {ProcessingEnvironment.class},
          (proxy, method, args) -> {
            try {
              return method.invoke(env, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      delegate.init(forwarding);
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element,
        AnnotationMirror annotation, ExecutableElement member, String userText) {
      return delegate.getCompletions(element, annotation, member, userText);
    }
  }
}
