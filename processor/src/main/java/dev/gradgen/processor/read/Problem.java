package dev.gradgen.processor.read;

import com.sun.source.tree.Tree;
import dev.gradgen.processor.diag.Diagnosis;
import dev.gradgen.processor.diag.Message;

/** One compile error found while reading or analysing a method, to be reported on {@code tree}. */
public record Problem(Tree tree, Diagnosis diagnosis) {
  public Problem(Tree tree, Message message, Object... args) {
    this(tree, Diagnosis.of(message, args));
  }
}
