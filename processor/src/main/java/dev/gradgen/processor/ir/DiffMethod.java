package dev.gradgen.processor.ir;

import java.util.List;
import java.util.Set;

/**
 * A differentiable method after reading: its parameters, every local (hoisted), its body, every
 * identifier the source uses (generated names must avoid them), and what it returns: a
 * {@code double} (a scalar method, with a gradient) or a {@code double[]} (a vector method, with
 * a Jacobian).
 */
public record DiffMethod(
    String name,
    List<Var> parameters,
    List<Var> locals,
    List<Stmt> body,
    Set<String> identifiersInSource,
    Src declaration,
    Type returnType) {
  /** Whether the method returns a {@code double[]}. */
  public boolean isVector() {
    return returnType == Type.VECTOR;
  }
}
