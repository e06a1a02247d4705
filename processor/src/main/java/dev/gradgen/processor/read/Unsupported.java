package dev.gradgen.processor.read;

import com.sun.source.tree.Tree;

/** A construct the differentiator cannot handle, reported as a compile error on {@code tree}. */
public final class Unsupported extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Tree tree;

  public Unsupported(Tree tree, String message) {
    super(message, null, false, false);
    this.tree = tree;
  }

  public Tree tree() {
    return tree;
  }
}
