package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's packages follow the pipeline and depend one way: the IR on nothing, the
 * primitive table on the IR, reading on those, emission and simplification on the IR,
 * differentiation on the IR, the primitives, simplification and emission. The diagnostics catalog depends on nothing; reading,
 * differentiation and the processor report through it. A new import against the arrows fails
 * here.
 */
class PackageArrowsTest {
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "diag", Set.of("diag"),
      "ir", Set.of("ir"),
      "primitive", Set.of("ir", "primitive"),
      "read", Set.of("ir", "primitive", "diag", "read"),
      "emit", Set.of("ir", "emit"),
      "simplify", Set.of("ir", "simplify"),
      "diff", Set.of("ir", "primitive", "emit", "simplify", "diag", "diff"));

  /** An import or a qualified name of a processor package (not the file's package line). */
  private static final Pattern IMPORT =
      Pattern.compile("(?<!package )dev\\.gradgen\\.processor\\.(\\w+)\\.[A-Za-z]");

  @Test
  void packagesDependOneWay() throws IOException {
    Path root = Path.of("src/main/java/dev/gradgen/processor");
    Set<String> seen = new TreeSet<>();
    for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
      List<Path> files;
      try (Stream<Path> s = Files.list(root.resolve(e.getKey()))) {
        files = s.filter(f -> f.toString().endsWith(".java")).toList();
      }
      assertWithMessage("sources of %s", e.getKey()).that(files).isNotEmpty();
      for (Path f : files) {
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          seen.add(e.getKey() + " -> " + m.group(1));
          assertWithMessage("%s imports dev.gradgen.processor.%s", root.relativize(f), m.group(1))
              .that(e.getValue()).contains(m.group(1));
        }
      }
    }
    // The arrows that exist today, so that the test cannot pass by reading nothing.
    assertWithMessage("arrows").that(seen).containsAtLeast("read -> ir", "read -> primitive",
        "read -> diag", "diff -> ir", "diff -> emit", "diff -> simplify", "simplify -> ir",
        "primitive -> ir", "emit -> ir");
  }
}
