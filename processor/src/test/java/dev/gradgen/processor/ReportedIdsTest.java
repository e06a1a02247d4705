package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.gradgen.processor.diag.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * What the processor reports carries the id of its catalog entry, on the line after the text
 * (which javac indents as a detail of the message).
 */
class ReportedIdsTest {
  private static final Pattern ID_LINE = Pattern.compile("\n\\s*\\[gradgen:(GG[0-9]{3})\\]$");

  private static final Map<String, Message> BY_ID = java.util.Arrays.stream(Message.values())
      .collect(Collectors.toMap(Message::id, Function.identity()));

  /** The id on the last line of the message of {@code d}. */
  private static String idOf(Diagnostic<? extends JavaFileObject> d) {
    Matcher m = ID_LINE.matcher(d.getMessage(Locale.ROOT));
    assertWithMessage("id line of: %s", d.getMessage(Locale.ROOT)).that(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void readerErrorCarriesItsId() {
    Compilation c = TestSupport.expectError(Message.TRY.text(), true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double f(double x) {",
        "    try { // <- error",
        "      return x;",
        "    } finally {",
        "    }",
        "  }",
        "}");
    assertThat(idOf(c.errors().get(0))).isEqualTo(Message.TRY.id());
  }

  @Test
  void activityErrorAndItsNoteCarryTheirIds() {
    Compilation c = TestSupport.expectError("has no usable derivative", true,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  static double softclip(double x, double c) {",
        "    return c * Math.tanh(x / c);",
        "  }",
        "",
        "  static double softclipBackward(double x, double c) {",
        "    return 0;",
        "  }",
        "",
        "  @Differentiable",
        "  static double f(double x) {",
        "    return softclip(x, 2.0); // <- error",
        "  }",
        "}");
    assertThat(idOf(c.errors().get(0))).isEqualTo(Message.NO_USABLE_DERIVATIVE.id());
    List<Diagnostic<? extends JavaFileObject>> notes = c.notes().stream()
        .filter(n -> n.getCode().endsWith(".proc.messager")).collect(Collectors.toList());
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c)).that(notes).hasSize(1);
    assertThat(notes.get(0).getLineNumber()).isEqualTo(10);
    assertThat(notes.get(0).getMessage(Locale.ROOT))
        .startsWith(Message.RULE_CANDIDATE.text("softclip"));
    assertThat(idOf(notes.get(0))).isEqualTo(Message.RULE_CANDIDATE.id());
  }

  /** Errors of several phases in one compilation: each one ends with the id of its kind. */
  @Test
  void everyReportCarriesTheIdOfItsEntry() {
    JavaFileObject file = JavaFileObjects.forSourceLines("p.T",
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  static double helper(double v) {",
        "    return v;",
        "  }",
        "",
        "  @Differentiable",
        "  static int wrongReturn(double x) {",
        "    return 1;",
        "  }",
        "",
        "  @Differentiable",
        "  static double reader(double x) {",
        "    String s = \"a\";",
        "    return x % 2.0;",
        "  }",
        "",
        "  @Differentiable",
        "  static double activity(double x) {",
        "    return helper(x);",
        "  }",
        "",
        "  @Differentiable",
        "  static double value(double value) {",
        "    return value;",
        "  }",
        "}");
    Compilation c = TestSupport.compile(file);
    TestSupport.assertNoCrash(c);
    List<String> ids = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      if (!d.getCode().endsWith(".proc.messager")) {
        continue;
      }
      String text = d.getMessage(Locale.ROOT);
      Message entry = BY_ID.get(idOf(d));
      assertWithMessage("entry of %s", text).that(entry).isNotNull();
      assertWithMessage("kind of %s", text).that(d.getKind()).isEqualTo(entry.kind());
      ids.add(entry.id());
    }
    assertWithMessage("diagnostics:\n%s", TestSupport.describe(c)).that(ids).containsExactly(
        Message.RETURN_TYPE.id(), Message.STRING_LITERAL.id(), Message.REMAINDER_OF_DOUBLE.id(),
        Message.NO_DERIVATIVE.id(), Message.PARAMETER_NAMED_VALUE.id());
    assertThat(TestSupport.describe(c)).contains("string literals are not supported");
  }
}
