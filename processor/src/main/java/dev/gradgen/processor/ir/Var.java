package dev.gradgen.processor.ir;

/**
 * A variable of the differentiated method: a parameter or a local. Locals are hoisted to method
 * scope in generated code, so each {@code Var} has one name for the whole method. Identity
 * matters: two sibling-scope locals with the same name and type share one {@code Var}.
 */
public final class Var {
  public enum Kind { PARAMETER, LOCAL }

  private final String name;
  private final Type type;
  private final Kind kind;
  private final boolean noGrad;
  /** Number of declarations merged into this variable. */
  public int declarations;
  /** Assigned anywhere after its declaration (including ++, compound assignment). */
  public boolean reassigned;

  public Var(String name, Type type, Kind kind, boolean noGrad) {
    this.name = name;
    this.type = type;
    this.kind = kind;
    this.noGrad = noGrad;
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isParameter() {
    return kind == Kind.PARAMETER;
  }

  /** A parameter the user gets a gradient for. */
  public boolean isDifferentiableParameter() {
    return kind == Kind.PARAMETER && type.differentiable() && !noGrad;
  }

  @Override
  public String toString() {
    return name;
  }
}
