package dev.gradgen.processor.ir;

import java.util.List;
import java.util.Set;

/**
 * A differentiable method after reading: its parameters, every local (hoisted), its body, and
 * every identifier the source uses (generated names must avoid them).
 */
public record DiffMethod(
    String name,
    List<Var> parameters,
    List<Var> locals,
    List<Stmt> body,
    Set<String> identifiersInSource,
    Src declaration) {}
