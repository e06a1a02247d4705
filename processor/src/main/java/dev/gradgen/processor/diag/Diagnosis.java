package dev.gradgen.processor.diag;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.tools.Diagnostic;

/**
 * A problem found in the user's code, not yet reported: a {@link Message} and its arguments. The
 * phase that finds it pairs it with where it is (a javac tree, an IR call); the processor reports
 * it there.
 */
public record Diagnosis(Message message, List<Object> args) {
  public Diagnosis {
    if (args.size() != message.arity()) {
      throw new IllegalArgumentException(message + " takes " + message.arity() + " arguments, not "
          + args.size());
    }
    args = Collections.unmodifiableList(Arrays.asList(args.toArray()));
  }

  public static Diagnosis of(Message message, Object... args) {
    return new Diagnosis(message, Arrays.asList(args));
  }

  public Diagnostic.Kind kind() {
    return message.kind();
  }

  /** The text as reported, id included. */
  public String text() {
    return message.format(args.toArray());
  }
}
