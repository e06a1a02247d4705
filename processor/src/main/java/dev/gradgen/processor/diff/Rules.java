package dev.gradgen.processor.diff;

import static dev.gradgen.processor.diff.Build.add;
import static dev.gradgen.processor.diff.Build.choose;
import static dev.gradgen.processor.diff.Build.cmp;
import static dev.gradgen.processor.diff.Build.div;
import static dev.gradgen.processor.diff.Build.lit;
import static dev.gradgen.processor.diff.Build.math;
import static dev.gradgen.processor.diff.Build.mul;
import static dev.gradgen.processor.diff.Build.neg;
import static dev.gradgen.processor.diff.Build.sub;

import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Expr.BinaryOp;
import dev.gradgen.processor.ir.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The derivative rule of every supported {@code Math}/{@code StrictMath} function, one entry each.
 * A rule receives the argument expressions {@code a} and the call itself {@code y} (its value,
 * recomputed in the backward sweep) and returns the partial derivative with respect to each
 * argument. {@code null} means "zero": piecewise-constant functions cut the gradient.
 *
 * <p>Conventions at kinks: {@code abs'(0) = 0} (the sign function, as JAX); {@code max(a, b)} sends
 * the whole gradient to {@code a} when {@code a >= b}, {@code min(a, b)} to {@code a} when
 * {@code a <= b}; {@code sqrt'(0)} and {@code cbrt'(0)} are infinite and {@code hypot'} at the
 * origin is NaN, as the mathematics says.
 */
public final class Rules {
  /** Partial derivatives of one function. */
  @FunctionalInterface
  public interface Partials {
    List<Expr> of(List<Expr> a, Expr y);
  }

  public record Rule(String name, int arity, Type resultType, Partials partials) {}

  private static final Map<String, Rule> RULES = new LinkedHashMap<>();

  private static void rule(String name, Partials partials) {
    RULES.put(name, new Rule(name, 1, Type.DOUBLE, partials));
  }

  private static void rule2(String name, Partials partials) {
    RULES.put(name, new Rule(name, 2, Type.DOUBLE, partials));
  }

  private static void rule3(String name, Partials partials) {
    RULES.put(name, new Rule(name, 3, Type.DOUBLE, partials));
  }

  private static void constant(String name, Type resultType) {
    RULES.put(name, new Rule(name, 1, resultType, (a, y) -> Arrays.asList((Expr) null)));
  }

  private static List<Expr> one(Expr d) {
    return List.of(d);
  }

  static {
    rule("exp", (a, y) -> one(y));
    rule("expm1", (a, y) -> one(math("exp", a.get(0))));
    rule("log", (a, y) -> one(div(lit(1), a.get(0))));
    rule("log1p", (a, y) -> one(div(lit(1), add(lit(1), a.get(0)))));
    rule("log10", (a, y) -> one(div(lit(1), mul(a.get(0), lit(Math.log(10))))));
    rule("sqrt", (a, y) -> one(div(lit(0.5), y)));
    rule("cbrt", (a, y) -> one(div(lit(1), mul(lit(3), mul(y, y)))));
    // x^0 is constant in x and 0^y is constant (0) for y > 0: those partials are 0, not NaN.
    rule2("pow", (a, y) -> List.of(
        choose(cmp(BinaryOp.EQ, a.get(1), lit(0)), lit(0),
            mul(a.get(1), math("pow", a.get(0), sub(a.get(1), lit(1))))),
        choose(cmp(BinaryOp.EQ, a.get(0), lit(0)), lit(0), mul(y, math("log", a.get(0))))));
    rule("sin", (a, y) -> one(math("cos", a.get(0))));
    rule("cos", (a, y) -> one(neg(math("sin", a.get(0)))));
    rule("tan", (a, y) -> one(add(lit(1), mul(y, y))));
    rule("asin", (a, y) -> one(div(lit(1), math("sqrt", sub(lit(1), mul(a.get(0), a.get(0)))))));
    rule("acos", (a, y) -> one(div(lit(-1), math("sqrt", sub(lit(1), mul(a.get(0), a.get(0)))))));
    rule("atan", (a, y) -> one(div(lit(1), add(lit(1), mul(a.get(0), a.get(0))))));
    rule2("atan2", (a, y) -> {
      Expr r2 = add(mul(a.get(0), a.get(0)), mul(a.get(1), a.get(1)));
      return List.of(div(a.get(1), r2), neg(div(a.get(0), r2)));
    });
    rule("sinh", (a, y) -> one(math("cosh", a.get(0))));
    rule("cosh", (a, y) -> one(math("sinh", a.get(0))));
    rule("tanh", (a, y) -> one(sub(lit(1), mul(y, y))));
    rule2("hypot", (a, y) -> List.of(div(a.get(0), y), div(a.get(1), y)));
    rule("abs", (a, y) -> one(math("signum", a.get(0))));
    rule2("max", (a, y) -> List.of(
        choose(cmp(BinaryOp.GE, a.get(0), a.get(1)), lit(1), lit(0)),
        choose(cmp(BinaryOp.GE, a.get(0), a.get(1)), lit(0), lit(1))));
    rule2("min", (a, y) -> List.of(
        choose(cmp(BinaryOp.LE, a.get(0), a.get(1)), lit(1), lit(0)),
        choose(cmp(BinaryOp.LE, a.get(0), a.get(1)), lit(0), lit(1))));
    rule("toRadians", (a, y) -> one(lit(Math.PI / 180)));
    rule("toDegrees", (a, y) -> one(lit(180 / Math.PI)));
    rule3("fma", (a, y) -> List.of(a.get(1), a.get(0), lit(1)));
    // |m| with the sign of s: sign(m) sign(s) in m (0 at m = 0, as abs), constant in s.
    rule2("copySign", (a, y) -> Arrays.asList(
        mul(math("signum", a.get(0)), math("copySign", lit(1), a.get(1))), null));
    // x - n y with n the integer nearest x / y: 1 in x, -n in y (n recovered exactly).
    rule2("IEEEremainder", (a, y) -> List.of(lit(1),
        neg(math("rint", div(sub(a.get(0), y), a.get(1))))));
    // d 2^n: 2^n in d; n is an int.
    rule2("scalb", (a, y) -> Arrays.asList(math("scalb", lit(1), a.get(1)), null));
    // The neighbouring double: the identity almost everywhere.
    rule("nextUp", (a, y) -> one(lit(1)));
    rule("nextDown", (a, y) -> one(lit(1)));
    rule2("nextAfter", (a, y) -> Arrays.asList(lit(1), null));
    constant("ulp", Type.DOUBLE);
    constant("getExponent", Type.INT);
    constant("signum", Type.DOUBLE);
    constant("floor", Type.DOUBLE);
    constant("ceil", Type.DOUBLE);
    constant("rint", Type.DOUBLE);
    constant("round", Type.LONG);
  }

  private Rules() {}

  /** The rule for {@code name}, or null if gradgen cannot differentiate it. */
  public static Rule of(String name) {
    return RULES.get(name);
  }

  public static List<String> names() {
    return List.copyOf(RULES.keySet());
  }
}
