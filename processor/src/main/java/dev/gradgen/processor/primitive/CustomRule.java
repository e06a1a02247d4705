package dev.gradgen.processor.primitive;

import dev.gradgen.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The custom-rule convention, in one place. A static method {@code f} has a custom rule when its
 * class also has
 *
 * <pre>{@code static R' fBackward(f's parameters, R result, R dResult,
 *     one accumulator per double[] / double[][] / double[][][] parameter of f)}</pre>
 *
 * which adds the vector-Jacobian product into the accumulators (skipping null ones) and returns
 * the adjoints of f's {@code double} parameters: nothing when it has none, a {@code double} when
 * it has one, a {@code double[]} of them in parameter order when it has several. The reader looks
 * rules up with it and the adjoint code calls them with it.
 */
public final class CustomRule {
  private CustomRule() {}

  /** What a rule returns, by how many {@code double} parameters its function has. */
  public enum Returns {
    NOTHING("void"), ONE("double"), SEVERAL("double[]");

    private final String java;

    Returns(String java) {
      this.java = java;
    }

    /** The Java spelling of the return type. */
    public String java() {
      return java;
    }
  }

  /** The rule's name for function {@code f}: {@code fBackward}. */
  public static String name(String function) {
    return function + "Backward";
  }

  /** Whether a parameter of this type gets an accumulator argument. */
  public static boolean takesAccumulator(Type parameterType) {
    return parameterType != null && parameterType.isArray() && parameterType.differentiable();
  }

  /** Whether a parameter of this type has its adjoint returned. */
  public static boolean returnsAdjoint(Type parameterType) {
    return parameterType == Type.DOUBLE;
  }

  /** What the rule of a function with these parameter types returns. */
  public static Returns returns(List<Type> parameterTypes) {
    long scalars = parameterTypes.stream().filter(CustomRule::returnsAdjoint).count();
    return scalars == 0 ? Returns.NOTHING : scalars == 1 ? Returns.ONE : Returns.SEVERAL;
  }

  /**
   * The rule's arguments in order: the function's arguments, its result, the result's adjoint,
   * then an accumulator for each parameter that takes one ({@code accumulator.get(k)} for
   * parameter k, consulted only for those).
   */
  public static <T> List<T> arguments(List<Type> parameterTypes, List<T> arguments, T result,
      T dResult, java.util.function.IntFunction<T> accumulator) {
    List<T> out = new ArrayList<>(arguments);
    out.add(result);
    out.add(dResult);
    for (int k = 0; k < parameterTypes.size(); k++) {
      if (takesAccumulator(parameterTypes.get(k))) {
        out.add(accumulator.apply(k));
      }
    }
    return out;
  }

  /** The forward rule's name for function {@code f}: {@code fJvp}. */
  public static String jvpName(String function) {
    return function + "Jvp";
  }

  /** Whether a parameter of this type gets a tangent argument in the forward rule. */
  public static boolean takesTangent(Type parameterType) {
    return parameterType != null && parameterType.differentiable();
  }

  /**
   * The forward rule's arguments in order: the function's arguments, its result, then a tangent
   * for each parameter that takes one ({@code tangent.get(k)} for parameter k, consulted only for
   * those). The rule returns the result's tangent, of the result's type.
   */
  public static <T> List<T> jvpArguments(List<Type> parameterTypes, List<T> arguments, T result,
      java.util.function.IntFunction<T> tangent) {
    List<T> out = new ArrayList<>(arguments);
    out.add(result);
    for (int k = 0; k < parameterTypes.size(); k++) {
      if (takesTangent(parameterTypes.get(k))) {
        out.add(tangent.apply(k));
      }
    }
    return out;
  }
}
