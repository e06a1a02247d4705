package dev.gradgen.processor.ir;

/**
 * The method a custom rule's call goes to: a hand-written one ({@code Ops.expBackward}, a user's
 * {@code fBackward} or {@code @Vjp} method), or one gradgen writes into the generated class from
 * the primal's other rule, for a primal returning {@code double} that has only one.
 *
 * @param ownerQualifiedName the class declaring the method, as written in generated code
 * @param name the method's name
 * @param derivedFrom for a rule gradgen writes: the hand-written rule it calls; else null
 * @param asCall for a hand-written rule that is itself {@code @Differentiable}: the rule as a
 *     callee with a pullback, so that the derivatives of code calling it (second order through
 *     a forward rule) go through it; else null
 */
public record RuleRef(String ownerQualifiedName, String name, RuleRef derivedFrom,
    Callee asCall) {
  /** A hand-written rule. */
  public static RuleRef of(String ownerQualifiedName, String name, Callee asCall) {
    return new RuleRef(ownerQualifiedName, name, null, asCall);
  }

  /** Whether gradgen writes this rule (into the generated class) from {@link #derivedFrom}. */
  public boolean derived() {
    return derivedFrom != null;
  }
}
