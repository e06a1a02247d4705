package dev.gradgen.processor.simplify;

import dev.gradgen.processor.ir.Build;
import dev.gradgen.processor.ir.Code;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Walk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The simplification pass over the backward code of one statement, in the spirit of Tangent's
 * clean-up of generated code:
 *
 * <ul>
 *   <li>copy propagation: a temporary that only copies a variable ({@code double[][]
 *       squareResult = square;}) is replaced by the variable, when neither is assigned again in
 *       the block;
 *   <li>dead temporaries: a temporary that nothing reads, and whose value has no effect, goes
 *       ({@code double abs = Math.abs(z);} once the only use of it was kept on the tape);
 *   <li>empty branches: an {@code if} with nothing in it goes;
 *   <li>repeated contributions: the same {@code t += e} twice in a row is {@code t += 2.0 * e},
 *       as the chain rule writes {@code x * x} ({@code 2.0 * e} is exactly {@code e + e}; the
 *       sum into {@code t} then rounds once instead of twice).
 * </ul>
 *
 * <p>It changes no value otherwise. Constants are folded where expressions are built
 * ({@code Build.mul(1, g)} is {@code g}).
 */
public final class Simplify {
  private Simplify() {}

  /** {@code code}, simplified until nothing more changes. */
  public static List<Code> block(List<Code> code) {
    List<Code> current = List.copyOf(code);
    while (true) {
      List<Code> next = once(current);
      if (next.equals(current)) {
        return current;
      }
      current = next;
    }
  }

  private static List<Code> once(List<Code> code) {
    List<Code> out = new ArrayList<>(code.size());
    for (int i = 0; i < code.size(); i++) {
      Code c = code.get(i);
      List<Code> rest = code.subList(i + 1, code.size());
      if (c instanceof Code.Declare d) {
        Object temp = key(d.variable());
        if (!Effects.reads(rest, temp) && !Effects.assigns(rest, temp)
            && Effects.pure(d.value())) {
          continue; // dead (a variable assigned later, even if never read, stays declared)
        }
        Object source = key(d.value());
        if (source != null && !Effects.assigns(rest, temp) && !Effects.assigns(rest, source)) {
          Map<Expr, Expr> copy = Map.of(d.variable(), d.value());
          out.addAll(substitute(rest, copy));
          return out; // the rest is the copy's: simplified on the next round
        }
      }
      if (c instanceof Code.AddTo a && !rest.isEmpty() && rest.get(0).equals(a)
          && Effects.pure(a.value()) && Effects.pure(a.target())) {
        // The same contribution twice in a row (Math.fma(s, s, b) gives ds two of dFma * s).
        out.add(new Code.AddTo(a.target(), Build.mul(Build.lit(2), a.value())));
        i++;
        continue;
      }
      if (c instanceof Code.If f) {
        List<Code> then = block(f.then());
        List<Code> otherwise = block(f.otherwise());
        if (then.isEmpty() && otherwise.isEmpty() && Effects.pure(f.condition())) {
          continue;
        }
        c = new Code.If(f.condition(), then, otherwise);
      }
      out.add(c);
    }
    return out;
  }

  /** The variable {@code e} is, as a key: a primal variable or a generated name; else null. */
  static Object key(Expr e) {
    if (e instanceof Expr.Local l) {
      return l.var();
    }
    if (e instanceof Expr.Synthetic s) {
      return s.name();
    }
    return null;
  }

  static List<Code> substitute(List<Code> code, Map<Expr, Expr> map) {
    List<Code> out = new ArrayList<>(code.size());
    for (Code c : code) {
      out.add(c.accept(new Code.Visitor<Code>() {
        @Override
        public Code declare(Code.Declare d) {
          return new Code.Declare(d.type(), d.name(), Walk.substitute(d.value(), map), d.of());
        }

        @Override
        public Code set(Code.Set s) {
          return new Code.Set(Walk.substitute(s.target(), map), Walk.substitute(s.value(), map));
        }

        @Override
        public Code addTo(Code.AddTo a) {
          return new Code.AddTo(Walk.substitute(a.target(), map),
              Walk.substitute(a.value(), map));
        }

        @Override
        public Code run(Code.Run r) {
          return new Code.Run(Walk.substitute(r.call(), map));
        }

        @Override
        public Code ifCode(Code.If f) {
          return new Code.If(Walk.substitute(f.condition(), map), substitute(f.then(), map),
              substitute(f.otherwise(), map));
        }
      }));
    }
    return out;
  }
}
