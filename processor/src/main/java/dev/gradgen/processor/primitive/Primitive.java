package dev.gradgen.processor.primitive;

import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Type;
import java.util.List;

/**
 * Everything gradgen knows about one {@code java.lang.Math} / {@code StrictMath} function, in
 * one place: how many arguments it takes, the type of its {@code double} form, its partial
 * derivatives, whether it is cheaper to evaluate again than to keep, whether a derivative can be
 * infinite, and whether it has integer overloads that are computed as written.
 *
 * @param partials the partial derivative with respect to each argument, given the argument
 *     expressions and the call itself (its value, recomputed by the backward sweep); a null
 *     partial is zero. Null for a function of integers only ({@code floorDiv}, ...)
 * @param cheap evaluating it again costs less than a push and a pop on the tape
 * @param singular a partial can be infinite (or divides), so a zero seed must not be multiplied
 *     in: {@code 0 * inf} would be NaN
 * @param integerOverload on {@code int}/{@code long} arguments it is a function of integers,
 *     computed as written and carrying no derivative
 */
public record Primitive(String name, int arity, Type resultType, Partials partials,
    boolean cheap, boolean singular, boolean integerOverload) {
  /** The partial derivatives of one function. */
  @FunctionalInterface
  public interface Partials {
    List<Expr> of(List<Expr> arguments, Expr call);
  }

  /** Whether the {@code double} form exists (it has a rule, possibly all zero). */
  public boolean onDoubles() {
    return partials != null;
  }

  /** Whether some partial is not identically zero. */
  public boolean hasDerivative(List<Expr> arguments, Expr call) {
    return partials != null && partials.of(arguments, call).stream().anyMatch(p -> p != null);
  }

  /**
   * The result type of the integer form on these argument types: {@code long} if an argument is,
   * except {@code toIntExact}; {@code multiplyFull} always {@code long}.
   */
  public Type integerResult(List<Type> argumentTypes) {
    if (name.equals("toIntExact")) {
      return Type.INT;
    }
    return name.equals("multiplyFull") || argumentTypes.contains(Type.LONG) ? Type.LONG : Type.INT;
  }
}
