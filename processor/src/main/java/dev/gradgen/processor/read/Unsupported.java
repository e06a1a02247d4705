package dev.gradgen.processor.read;

import com.sun.source.tree.Tree;
import dev.gradgen.processor.diag.Diagnosis;
import dev.gradgen.processor.diag.Message;

/**
 * A construct the reader cannot handle: thrown out of the statement being read, which becomes
 * its {@link Problem}.
 */
public final class Unsupported extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What to report; null when the problem was reported already (a rejected parameter, say). */
  private final transient Problem problem;

  public Unsupported(Tree tree, Message message, Object... args) {
    this(new Problem(tree, message, args));
  }

  public Unsupported(Tree tree, Diagnosis diagnosis) {
    this(new Problem(tree, diagnosis));
  }

  private Unsupported(Problem problem) {
    super(null, null, false, false);
    this.problem = problem;
  }

  @Override
  public String getMessage() {
    return problem == null ? null : problem.diagnosis().text();
  }

  /** Leaves the statement without reporting anything more: its problem is already reported. */
  static Unsupported alreadyReported() {
    return new Unsupported((Problem) null);
  }

  /** The problem to report, or null (see {@link #alreadyReported()}). */
  public Problem problem() {
    return problem;
  }
}
