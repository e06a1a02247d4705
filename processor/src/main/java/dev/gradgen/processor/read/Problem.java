package dev.gradgen.processor.read;

import com.sun.source.tree.Tree;

/** One compile error found while reading or analysing a method. */
public record Problem(Tree tree, String message) {}
