package dev.gradgen.processor.ir;

import java.util.List;

/**
 * A user method called from a differentiable method.
 *
 * @param ownerQualifiedName the class declaring it, as written in generated code
 * @param gradClassQualifiedName the generated class holding its pullback, when differentiable
 * @param differentiableParameters per parameter: does the pullback compute its adjoint
 * @param backward for a method with a custom rule (the kernels of {@code dev.gradgen.Ops}, a
 *     user's {@code fBackward}, a {@code @Vjp} method), its backward rule (vector-Jacobian
 *     product); else null
 * @param ruleMismatch when the method's class has a method named like its custom rule that does
 *     not fit the rule's signature: what is wrong with it, for the error message; else null
 * @param instance an instance method: the first argument is the receiver (parameter lists here
 *     start with it), printed as {@code receiver.name(...)}; its pullback takes it first too
 * @param writesIntoArguments per parameter: may the method write into the {@code int[]} passed
 *     there (true when its body is not at hand), so that a caller's backward sweep must hand its
 *     pullback the array as it was at the call
 * @param jvp for a method with a custom rule, its forward rule (Jacobian-vector product:
 *     {@code fJvp}, a {@code @Jvp} method) when it has one; else null
 */
public record Callee(
    String ownerQualifiedName,
    String name,
    List<Type> parameterTypes,
    Type returnType,
    boolean differentiable,
    String gradClassQualifiedName,
    List<String> parameterNames,
    List<Boolean> differentiableParameters,
    RuleRef backward,
    String ruleMismatch,
    List<Boolean> writesIntoArguments,
    boolean instance,
    RuleRef jvp) {

  /** The runtime class whose methods give a value as a constant ({@code StopGradient.of}). */
  public static final String STOP_GRADIENT = "dev.gradgen.StopGradient";

  /** A call of {@code StopGradient.of}: no derivative flows through it, on purpose. */
  public boolean stopsGradient() {
    return ownerQualifiedName.equals(STOP_GRADIENT);
  }

  /** A method whose derivative comes from a custom rule (its backward rule here). */
  public boolean hasBackward() {
    return backward != null;
  }

  /** Has a derivative at all: generated pullback or custom rule. */
  public boolean hasDerivative() {
    return differentiable || backward != null;
  }
}
