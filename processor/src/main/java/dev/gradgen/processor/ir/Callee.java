package dev.gradgen.processor.ir;

import java.util.List;

/**
 * A user method called from a differentiable method.
 *
 * @param ownerQualifiedName the class declaring it, as written in generated code
 * @param gradClassQualifiedName the generated class holding its pullback, when differentiable
 * @param differentiableParameters per parameter: does the pullback compute its adjoint
 */
public record Callee(
    String ownerQualifiedName,
    String name,
    List<Type> parameterTypes,
    Type returnType,
    boolean differentiable,
    String gradClassQualifiedName,
    List<String> parameterNames,
    List<Boolean> differentiableParameters) {}
