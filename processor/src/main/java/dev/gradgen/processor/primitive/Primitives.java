package dev.gradgen.processor.primitive;

import static dev.gradgen.processor.ir.Build.add;
import static dev.gradgen.processor.ir.Build.choose;
import static dev.gradgen.processor.ir.Build.cmp;
import static dev.gradgen.processor.ir.Build.div;
import static dev.gradgen.processor.ir.Build.lit;
import static dev.gradgen.processor.ir.Build.math;
import static dev.gradgen.processor.ir.Build.mul;
import static dev.gradgen.processor.ir.Build.neg;
import static dev.gradgen.processor.ir.Build.sub;

import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Expr.BinaryOp;
import dev.gradgen.processor.ir.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of every supported {@code Math}/{@code StrictMath} function, one {@link Primitive}
 * entry each. Reading takes arities and result types from it, differentiation the partials, the
 * cost and the singular points; nothing about a function is written anywhere else.
 *
 * <p>Conventions at kinks: {@code abs'(0) = 0} (the sign function, as JAX); {@code max(a, b)} sends
 * the whole gradient to {@code a} when {@code a >= b}, {@code min(a, b)} to {@code a} when
 * {@code a <= b}; {@code sqrt'(0)} and {@code cbrt'(0)} are infinite and {@code hypot'} at the
 * origin is NaN, as the mathematics says.
 */
public final class Primitives {
  private static final Map<String, Primitive> TABLE = new LinkedHashMap<>();

  /** A smooth (or piecewise smooth) function of doubles. */
  private static void smooth(String name, int arity, Primitive.Partials partials) {
    enter(new Primitive(name, arity, Type.DOUBLE, partials, false, false, false));
  }

  /** One whose derivative can be infinite: backpropagation skips a zero seed. */
  private static void singular(String name, int arity, Primitive.Partials partials) {
    enter(new Primitive(name, arity, Type.DOUBLE, partials, false, true, false));
  }

  /** One cheaper to evaluate again than to keep on the tape. */
  private static void cheap(String name, int arity, Primitive.Partials partials,
      boolean integerOverload) {
    enter(new Primitive(name, arity, Type.DOUBLE, partials, true, false, integerOverload));
  }

  /** Piecewise constant: derivative 0 almost everywhere. */
  private static void constant(String name, Type resultType, boolean cheap) {
    enter(new Primitive(name, 1, resultType, (a, y) -> Arrays.asList((Expr) null), cheap, false,
        false));
  }

  /** A function of integers only, computed as written. */
  private static void integer(String name, int arity) {
    enter(new Primitive(name, arity, Type.INT, null, true, false, true));
  }

  private static void enter(Primitive p) {
    if (TABLE.put(p.name(), p) != null) {
      throw new IllegalStateException("two entries for " + p.name());
    }
  }

  private static List<Expr> one(Expr d) {
    return List.of(d);
  }

  static {
    smooth("exp", 1, (a, y) -> one(y));
    smooth("expm1", 1, (a, y) -> one(math("exp", a.get(0))));
    singular("log", 1, (a, y) -> one(div(lit(1), a.get(0))));
    singular("log1p", 1, (a, y) -> one(div(lit(1), add(lit(1), a.get(0)))));
    singular("log10", 1, (a, y) -> one(div(lit(1), mul(a.get(0), lit(Math.log(10))))));
    singular("sqrt", 1, (a, y) -> one(div(lit(0.5), y)));
    singular("cbrt", 1, (a, y) -> one(div(lit(1), mul(lit(3), mul(y, y)))));
    // x^0 is constant in x and 0^y is constant (0) for y > 0: those partials are 0, not NaN.
    singular("pow", 2, (a, y) -> List.of(
        choose(cmp(BinaryOp.EQ, a.get(1), lit(0)), lit(0),
            mul(a.get(1), math("pow", a.get(0), sub(a.get(1), lit(1))))),
        choose(cmp(BinaryOp.EQ, a.get(0), lit(0)), lit(0), mul(y, math("log", a.get(0))))));
    smooth("sin", 1, (a, y) -> one(math("cos", a.get(0))));
    smooth("cos", 1, (a, y) -> one(neg(math("sin", a.get(0)))));
    smooth("tan", 1, (a, y) -> one(add(lit(1), mul(y, y))));
    singular("asin", 1, (a, y) -> one(div(lit(1),
        math("sqrt", sub(lit(1), mul(a.get(0), a.get(0)))))));
    singular("acos", 1, (a, y) -> one(div(lit(-1),
        math("sqrt", sub(lit(1), mul(a.get(0), a.get(0)))))));
    smooth("atan", 1, (a, y) -> one(div(lit(1), add(lit(1), mul(a.get(0), a.get(0))))));
    singular("atan2", 2, (a, y) -> {
      Expr r2 = add(mul(a.get(0), a.get(0)), mul(a.get(1), a.get(1)));
      return List.of(div(a.get(1), r2), neg(div(a.get(0), r2)));
    });
    smooth("sinh", 1, (a, y) -> one(math("cosh", a.get(0))));
    smooth("cosh", 1, (a, y) -> one(math("sinh", a.get(0))));
    smooth("tanh", 1, (a, y) -> one(sub(lit(1), mul(y, y))));
    singular("hypot", 2, (a, y) -> List.of(div(a.get(0), y), div(a.get(1), y)));
    cheap("abs", 1, (a, y) -> one(math("signum", a.get(0))), true);
    cheap("max", 2, (a, y) -> List.of(
        choose(cmp(BinaryOp.GE, a.get(0), a.get(1)), lit(1), lit(0)),
        choose(cmp(BinaryOp.GE, a.get(0), a.get(1)), lit(0), lit(1))), true);
    cheap("min", 2, (a, y) -> List.of(
        choose(cmp(BinaryOp.LE, a.get(0), a.get(1)), lit(1), lit(0)),
        choose(cmp(BinaryOp.LE, a.get(0), a.get(1)), lit(0), lit(1))), true);
    cheap("toRadians", 1, (a, y) -> one(lit(Math.PI / 180)), false);
    cheap("toDegrees", 1, (a, y) -> one(lit(180 / Math.PI)), false);
    smooth("fma", 3, (a, y) -> List.of(a.get(1), a.get(0), lit(1)));
    // |m| with the sign of s: sign(m) sign(s) in m (0 at m = 0, as abs), constant in s.
    smooth("copySign", 2, (a, y) -> Arrays.asList(
        mul(math("signum", a.get(0)), math("copySign", lit(1), a.get(1))), null));
    // x - n y with n the integer nearest x / y: 1 in x, -n in y (n recovered exactly).
    smooth("IEEEremainder", 2, (a, y) -> List.of(lit(1),
        neg(math("rint", div(sub(a.get(0), y), a.get(1))))));
    // d 2^n: 2^n in d; n is an int.
    smooth("scalb", 2, (a, y) -> Arrays.asList(math("scalb", lit(1), a.get(1)), null));
    // The neighbouring double: the identity almost everywhere.
    smooth("nextUp", 1, (a, y) -> one(lit(1)));
    smooth("nextDown", 1, (a, y) -> one(lit(1)));
    smooth("nextAfter", 2, (a, y) -> Arrays.asList(lit(1), null));
    constant("ulp", Type.DOUBLE, false);
    constant("getExponent", Type.INT, false);
    constant("signum", Type.DOUBLE, true);
    constant("floor", Type.DOUBLE, true);
    constant("ceil", Type.DOUBLE, true);
    constant("rint", Type.DOUBLE, true);
    constant("round", Type.LONG, true);
    for (String f : List.of("floorDiv", "floorMod", "addExact", "subtractExact",
        "multiplyExact", "multiplyFull", "multiplyHigh")) {
      integer(f, 2);
    }
    for (String f : List.of("negateExact", "incrementExact", "decrementExact", "toIntExact",
        "absExact")) {
      integer(f, 1);
    }
  }

  private Primitives() {}

  /** The entry for {@code name}, or null if gradgen does not know the function. */
  public static Primitive of(String name) {
    return TABLE.get(name);
  }

  /** Every entry, in table order. */
  public static List<Primitive> all() {
    return List.copyOf(TABLE.values());
  }

  /** The names of the functions with a {@code double} form, in table order. */
  public static List<String> onDoubles() {
    return TABLE.values().stream().filter(Primitive::onDoubles).map(Primitive::name).toList();
  }
}
