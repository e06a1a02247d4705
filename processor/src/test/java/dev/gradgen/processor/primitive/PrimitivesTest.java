package dev.gradgen.processor.primitive;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Type;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every entry of the primitive table, checked against central finite differences of the real
 * {@code java.lang.Math} function at random points of its domain, as JAX checks its
 * {@code LAX_GRAD_OPS} table. An entry without a domain here fails the test: a new primitive
 * cannot land unchecked.
 */
class PrimitivesTest {
  /** Random arguments inside each function's domain, away from kinks and jumps. */
  private static final Map<String, Function<Random, double[]>> DOMAINS = Map.ofEntries(
      Map.entry("exp", r -> new double[] {u(r, -2, 2)}),
      Map.entry("expm1", r -> new double[] {u(r, -2, 2)}),
      Map.entry("log", r -> new double[] {u(r, 0.2, 3)}),
      Map.entry("log1p", r -> new double[] {u(r, -0.5, 3)}),
      Map.entry("log10", r -> new double[] {u(r, 0.2, 3)}),
      Map.entry("sqrt", r -> new double[] {u(r, 0.2, 3)}),
      Map.entry("cbrt", r -> new double[] {sign(r) * u(r, 0.2, 3)}),
      Map.entry("pow", r -> new double[] {u(r, 0.3, 2), u(r, -2, 2)}),
      Map.entry("sin", r -> new double[] {u(r, -3, 3)}),
      Map.entry("cos", r -> new double[] {u(r, -3, 3)}),
      Map.entry("tan", r -> new double[] {u(r, -1.2, 1.2)}),
      Map.entry("asin", r -> new double[] {u(r, -0.9, 0.9)}),
      Map.entry("acos", r -> new double[] {u(r, -0.9, 0.9)}),
      Map.entry("atan", r -> new double[] {u(r, -3, 3)}),
      Map.entry("atan2", r -> new double[] {sign(r) * u(r, 0.2, 2), sign(r) * u(r, 0.2, 2)}),
      Map.entry("sinh", r -> new double[] {u(r, -2, 2)}),
      Map.entry("cosh", r -> new double[] {u(r, -2, 2)}),
      Map.entry("tanh", r -> new double[] {u(r, -2, 2)}),
      Map.entry("hypot", r -> new double[] {sign(r) * u(r, 0.2, 2), sign(r) * u(r, 0.2, 2)}),
      Map.entry("abs", r -> new double[] {sign(r) * u(r, 0.2, 2)}),
      Map.entry("max", r -> apart(r)),
      Map.entry("min", r -> apart(r)),
      Map.entry("toRadians", r -> new double[] {u(r, -200, 200)}),
      Map.entry("toDegrees", r -> new double[] {u(r, -3, 3)}),
      Map.entry("fma", r -> new double[] {u(r, -2, 2), u(r, -2, 2), u(r, -2, 2)}),
      Map.entry("copySign", r -> new double[] {sign(r) * u(r, 0.2, 2), sign(r) * u(r, 0.2, 2)}),
      // x / y a quarter away from the half-integers where the nearest quotient jumps.
      Map.entry("IEEEremainder", r -> {
        double y = u(r, 0.5, 2);
        return new double[] {y * (r.nextInt(7) - 3 + u(r, -0.25, 0.25)), y};
      }),
      Map.entry("scalb", r -> new double[] {u(r, -2, 2), r.nextInt(7) - 3}),
      Map.entry("nextUp", r -> new double[] {u(r, -2, 2)}),
      Map.entry("nextDown", r -> new double[] {u(r, -2, 2)}),
      Map.entry("nextAfter", r -> new double[] {u(r, -2, 2), u(r, -2, 2)}),
      Map.entry("ulp", r -> new double[] {u(r, 1.1, 1.9)}),
      Map.entry("getExponent", r -> new double[] {u(r, 1.1, 1.9)}),
      Map.entry("signum", r -> new double[] {sign(r) * u(r, 0.2, 2)}),
      Map.entry("floor", r -> new double[] {r.nextInt(7) - 3 + u(r, 0.2, 0.8)}),
      Map.entry("ceil", r -> new double[] {r.nextInt(7) - 3 + u(r, 0.2, 0.8)}),
      Map.entry("rint", r -> new double[] {r.nextInt(7) - 3 + u(r, -0.3, 0.3)}),
      Map.entry("round", r -> new double[] {r.nextInt(7) - 3 + u(r, -0.3, 0.3)}));

  private static double u(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  private static double sign(Random r) {
    return r.nextBoolean() ? 1 : -1;
  }

  /** Two arguments at least 0.2 apart, either order. */
  private static double[] apart(Random r) {
    double a = u(r, -2, 2);
    return new double[] {a, a + sign(r) * u(r, 0.2, 1)};
  }

  @Test
  void everyPartialMatchesFiniteDifferencesOfTheRealFunction() throws Exception {
    Random random = new Random(20261201);
    int checked = 0;
    for (Primitive p : Primitives.all()) {
      if (!p.onDoubles()) {
        assertWithMessage("%s: a function of integers only has integer overloads", p.name())
            .that(p.integerOverload()).isTrue();
        continue;
      }
      assertWithMessage("no domain for %s in this test", p.name()).that(DOMAINS)
          .containsKey(p.name());
      List<Expr> args = new ArrayList<>();
      for (int k = 0; k < p.arity(); k++) {
        args.add(new Expr.Synthetic("a" + k, k == 1 && p.name().equals("scalb") ? Type.INT
            : Type.DOUBLE));
      }
      Expr call = new Expr.MathCall("Math", p.name(), args, p.resultType());
      List<Expr> partials = p.partials().of(args, call);
      assertWithMessage("%s: one partial per argument", p.name()).that(partials)
          .hasSize(p.arity());
      for (int trial = 0; trial < 20; trial++) {
        double[] at = DOMAINS.get(p.name()).apply(random);
        for (int k = 0; k < p.arity(); k++) {
          if (args.get(k).type() == Type.INT) {
            assertWithMessage("%s: an int argument has no partial", p.name())
                .that(partials.get(k)).isNull();
            continue;
          }
          double h = 1e-6 * Math.max(1, Math.abs(at[k]));
          double[] plus = at.clone();
          plus[k] += h;
          double[] minus = at.clone();
          minus[k] -= h;
          double numeric = (apply(p.name(), plus) - apply(p.name(), minus)) / (2 * h);
          double analytic = partials.get(k) == null ? 0 : eval(partials.get(k), at);
          assertWithMessage("d %s / d argument %s at %s", p.name(), k,
              java.util.Arrays.toString(at))
              .that(analytic).isWithin(1e-6 * Math.max(1, Math.abs(numeric))).of(numeric);
          checked++;
        }
      }
    }
    assertThat(checked).isAtLeast(20 * Primitives.onDoubles().size());
    assertThat(DOMAINS.keySet()).containsExactlyElementsIn(Primitives.onDoubles());
  }

  @Test
  void theTableKnowsCostsSingularitiesAndIntegerForms() {
    assertThat(Primitives.of("sqrt").singular()).isTrue();
    assertThat(Primitives.of("exp").singular()).isFalse();
    assertThat(Primitives.of("abs").cheap()).isTrue();
    assertThat(Primitives.of("exp").cheap()).isFalse();
    assertThat(Primitives.of("max").integerOverload()).isTrue();
    assertThat(Primitives.of("floorMod").onDoubles()).isFalse();
    assertThat(Primitives.of("multiplyFull").integerResult(List.of(Type.INT, Type.INT)))
        .isEqualTo(Type.LONG);
    assertThat(Primitives.of("toIntExact").integerResult(List.of(Type.LONG))).isEqualTo(Type.INT);
    assertThat(Primitives.of("random")).isNull();
  }

  /** The real function, through reflection on java.lang.Math. */
  private static double apply(String name, double[] x) throws Exception {
    for (Method m : Math.class.getMethods()) {
      if (!m.getName().equals(name) || m.getParameterCount() != x.length) {
        continue;
      }
      Class<?>[] types = m.getParameterTypes();
      boolean doubles = true;
      for (int i = 0; i < types.length; i++) {
        doubles &= types[i] == double.class || name.equals("scalb") && i == 1
            && types[i] == int.class;
      }
      if (!doubles) {
        continue;
      }
      Object[] args = new Object[x.length];
      for (int i = 0; i < x.length; i++) {
        args[i] = types[i] == int.class ? (Object) (int) x[i] : (Object) x[i];
      }
      return ((Number) m.invoke(null, args)).doubleValue();
    }
    throw new IllegalStateException("no Math." + name + " of " + x.length + " doubles");
  }

  /** Evaluates a partial derivative expression with a_k bound to x[k]. */
  private static double eval(Expr e, double[] x) throws Exception {
    if (e instanceof Expr.Literal l) {
      return l.value() instanceof Boolean b ? (b ? 1 : 0) : ((Number) l.value()).doubleValue();
    }
    if (e instanceof Expr.Synthetic s) {
      return x[Integer.parseInt(s.name().substring(1))];
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return -eval(u.operand(), x);
    }
    if (e instanceof Expr.Conditional c) {
      return eval(c.condition(), x) != 0 ? eval(c.whenTrue(), x) : eval(c.whenFalse(), x);
    }
    if (e instanceof Expr.MathCall m) {
      double[] args = new double[m.args().size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = eval(m.args().get(i), x);
      }
      return apply(m.name(), args);
    }
    if (e instanceof Expr.Binary b) {
      double l = eval(b.left(), x);
      double r = eval(b.right(), x);
      return switch (b.op()) {
        case ADD -> l + r;
        case SUB -> l - r;
        case MUL -> l * r;
        case DIV -> l / r;
        case EQ -> l == r ? 1 : 0;
        case GE -> l >= r ? 1 : 0;
        case LE -> l <= r ? 1 : 0;
        default -> throw new IllegalStateException("unexpected " + b.op());
      };
    }
    throw new IllegalStateException("unexpected " + e);
  }
}
