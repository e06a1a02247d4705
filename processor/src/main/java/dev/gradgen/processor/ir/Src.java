package dev.gradgen.processor.ir;

/** Where a statement came from: its line and its source text squeezed onto one line. */
public record Src(long line, String text) {}
