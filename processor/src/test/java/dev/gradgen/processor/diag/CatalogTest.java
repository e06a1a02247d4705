package dev.gradgen.processor.diag;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics catalog: ids unique, well-formed and never reused; every entry in use; and no
 * message text left outside it where the reader and the processor report.
 */
class CatalogTest {
  private static final Path MAIN = Path.of("src/main/java/dev/gradgen/processor");

  @Test
  void idsAreUniqueWellFormedAndInOrder() {
    Set<String> seen = new HashSet<>();
    String previous = "";
    for (Message m : Message.values()) {
      assertWithMessage("id of %s", m).that(m.id()).matches("GG[0-9]{3}");
      assertWithMessage("id of %s is taken", m).that(seen.add(m.id())).isTrue();
      assertWithMessage("id of %s is retired", m).that(Message.RETIRED_IDS).doesNotContain(m.id());
      // In order, so that the next free id of a group is plain to see.
      assertWithMessage("%s after %s", m.id(), previous).that(m.id().compareTo(previous))
          .isGreaterThan(0);
      previous = m.id();
    }
    for (String retired : Message.RETIRED_IDS) {
      assertWithMessage("retired id").that(retired).matches("GG[0-9]{3}");
    }
  }

  @Test
  void formatEndsWithTheIdOnALineOfItsOwn() {
    for (Message m : Message.values()) {
      Object[] args = new Object[m.arity()];
      Arrays.fill(args, "ARG");
      String text = m.format(args);
      assertWithMessage("%s", m).that(text).isEqualTo(m.text(args) + "\n[gradgen:" + m.id() + "]");
      assertWithMessage("%s: every argument printed", m).that(countOf(m.text(args), "ARG"))
          .isAtLeast(m.arity());
      assertWithMessage("%s: a one-line message", m).that(m.text(args)).doesNotContain("\n");
      assertWithMessage("%s: no leftover specifier", m).that(m.text(args)).doesNotContainMatch(
          "%[0-9s$]");
    }
    assertThat(Message.REMAINDER_OF_DOUBLE.text()).isEqualTo("% on double values is not supported");
    assertThat(Message.NARROW_TYPE.text("short")).isEqualTo("short locals and casts are not"
        + " supported (short parameters and char literals are read as int); use int or long");
    // A trace ends with a line break already: no empty line before the id.
    assertThat(Message.INTERNAL_ERROR.format("trace\n")).endsWith("trace\n[gradgen:GG099]");
  }

  @Test
  void wrongNumberOfArgumentsFails() {
    assertThrows(IllegalArgumentException.class, () -> Message.CANNOT_RESOLVE.format());
    assertThrows(IllegalArgumentException.class, () -> Message.TRY.format("extra"));
    assertThrows(IllegalArgumentException.class, () -> Diagnosis.of(Message.CANNOT_ASSIGN, "int"));
    assertThrows(IllegalArgumentException.class, () -> Fragment.LEFT_SIDE.text());
    assertThrows(IllegalArgumentException.class, () -> Message.arity("%d apples"));
  }

  @Test
  void diagnosisKeepsItsArguments() {
    Object[] args = {"x", null};
    Diagnosis d = Diagnosis.of(Message.BOXED_PARAMETER, args);
    args[0] = "y";
    assertThat(d.text()).startsWith("parameter 'x' has type null,");
    assertThat(d.kind()).isEqualTo(javax.tools.Diagnostic.Kind.ERROR);
    assertThat(Diagnosis.of(Message.RULE_CANDIDATE, "f").kind())
        .isEqualTo(javax.tools.Diagnostic.Kind.NOTE);
  }

  @Test
  void fragmentsFormat() {
    for (Fragment f : Fragment.values()) {
      Object[] args = new Object[f.arity()];
      Arrays.fill(args, "ARG");
      assertWithMessage("%s", f).that(f.text(args)).doesNotContainMatch("%[0-9s$]");
    }
  }

  /** Every entry is reported somewhere: an entry no code uses is a dead message. */
  @Test
  void everyEntryIsUsed() throws IOException {
    String code = mainSourcesOutsideTheCatalog();
    List<String> unused = new ArrayList<>();
    for (Message m : Message.values()) {
      if (!Pattern.compile("\\bMessage\\." + m.name() + "\\b").matcher(code).find()) {
        unused.add("Message." + m.name());
      }
    }
    for (Fragment f : Fragment.values()) {
      if (!Pattern.compile("\\bFragment\\." + f.name() + "\\b").matcher(code).find()) {
        unused.add("Fragment." + f.name());
      }
    }
    assertWithMessage("catalog entries no code in src/main/java uses").that(unused).isEmpty();
  }

  private static String mainSourcesOutsideTheCatalog() throws IOException {
    try (Stream<Path> s = Files.walk(MAIN)) {
      List<Path> files = s.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.startsWith(MAIN.resolve("diag"))).toList();
      assertWithMessage("sources").that(files.size()).isGreaterThan(20);
      StringBuilder all = new StringBuilder();
      for (Path f : files) {
        all.append(Files.readString(f)).append('\n');
      }
      return all.toString();
    }
  }

  /** The calls that carry a message, and which argument (from 0) is the message. */
  private static final List<String> CARRIERS = List.of("new Unsupported(", "new Problem(",
      "new CallProblem(", "printMessage(");

  /**
   * Where the reader, the activity analysis and the processor report, the message argument is
   * never text: no string literal in it (names and fragments passed as further arguments are
   * fine).
   */
  @Test
  void noMessageTextOutsideTheCatalog() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(MAIN.resolve("read"))) {
      s.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
    }
    files.add(MAIN.resolve("GradgenProcessor.java"));
    files.add(MAIN.resolve("diff/Activity.java"));
    List<String> literal = new ArrayList<>();
    int calls = 0;
    for (Path f : files) {
      String text = withoutComments(Files.readString(f));
      for (String carrier : CARRIERS) {
        for (int at = text.indexOf(carrier); at >= 0; at = text.indexOf(carrier, at + 1)) {
          List<String> args = arguments(text, at + carrier.length());
          calls++;
          if (args.size() >= 2 && args.get(1).contains("\"")) {
            literal.add(f.getFileName() + ": " + carrier + String.join(",", args) + ")");
          }
        }
      }
    }
    assertWithMessage("calls found").that(calls).isGreaterThan(100);
    assertWithMessage("message arguments with text in them (put the text in Message)")
        .that(literal).isEmpty();
  }

  @Test
  void theScanSeesALiteral() {
    String code = "throw new Unsupported(t, \"a (b\" + x, y);";
    List<String> args = arguments(code, code.indexOf('(') + 1);
    assertThat(args).containsExactly("t", " \"a (b\" + x", " y").inOrder();
    assertThat(arguments("f(g(a, b), c)", 2)).containsExactly("g(a, b)", " c").inOrder();
  }

  /** The top-level arguments of a call whose argument list starts at {@code from}. */
  static List<String> arguments(String text, int from) {
    List<String> args = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        int end = i + 1;
        while (text.charAt(end) != c) {
          end += text.charAt(end) == '\\' ? 2 : 1;
        }
        current.append(text, i, end + 1);
        i = end;
        continue;
      }
      if (depth == 0 && (c == ',' || c == ')')) {
        args.add(current.toString());
        current.setLength(0);
        if (c == ')') {
          return args;
        }
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
      current.append(c);
    }
    throw new IllegalArgumentException("unclosed call at " + from);
  }

  /** {@code text} with its comments blanked (string literals kept). */
  private static String withoutComments(String text) {
    return Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|//[^\n]*|/\\*(?s:.*?)\\*/").matcher(text)
        .replaceAll(r -> r.group().startsWith("\"") ? Matcher.quoteReplacement(r.group()) : "");
  }

  private static int countOf(String text, String part) {
    return (text.length() - text.replace(part, "").length()) / part.length();
  }
}
