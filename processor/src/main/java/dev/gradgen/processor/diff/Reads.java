package dev.gradgen.processor.diff;

import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What code evaluating an expression reads of the primal state, computed on the IR: the
 * variables, and the array storage by alias class. This is what the save analysis works on; the
 * printer only prints.
 */
final class Reads {
  /** Array contents read, by alias class representative. */
  record Storage(Var representative) {}

  private final Function<Var, Var> representative;

  Reads(Function<Var, Var> representative) {
    this.representative = representative;
  }

  /** Adds what evaluating {@code e} reads to {@code reads}. */
  void collect(Expr e, Set<Object> reads) {
    collect(e, reads, null, null);
  }

  /**
   * As {@link #collect(Expr, Set)} for code where the sub-expressions in {@code cached} are read
   * from the temporaries they map to (so read nothing), counting in {@code uses} how often each
   * {@code Math} call and each {@link #valueCall value call} is evaluated. Either map, and
   * {@code reads}, may be null.
   */
  void collect(Expr e, Set<Object> reads, Map<Expr, Expr> cached, Map<Expr, Integer> uses) {
    if (cached != null && cached.containsKey(e)) {
      return;
    }
    if (uses != null && (e instanceof Expr.MathCall || valueCall(e))) {
      uses.merge(e, 1, Integer::sum);
    }
    if (reads != null) {
      if (e instanceof Expr.Local l) {
        reads.add(l.var());
      } else if (e instanceof Expr.Index i && Walk.root(i) != null) {
        reads.add(storage(Walk.root(i)));
      } else if (e instanceof Expr.Call c) {
        // A call reads the elements of the arrays it is given: code that recomputes it must see
        // them as they were (the sweeps then save elements written later).
        for (Expr a : c.args()) {
          if (a.type().isArray() && Walk.root(a) != null) {
            reads.add(storage(Walk.root(a)));
          }
        }
      }
    }
    for (Expr child : Walk.children(e)) {
      collect(child, reads, cached, uses);
    }
  }

  /**
   * A call of a {@code @Differentiable} method returning {@code double} that writes into none
   * of its arguments: its value can be computed once and reused, or kept on the tape, like a
   * {@code Math} call's (it is a pure function of what it reads).
   */
  static boolean valueCall(Expr e) {
    return e instanceof Expr.Call c && c.type() == dev.gradgen.processor.ir.Type.DOUBLE
        && c.callee().differentiable() && !c.callee().hasBackward()
        && !c.callee().writesIntoArguments().contains(true);
  }

  Storage storage(Var v) {
    return new Storage(representative.apply(v));
  }
}
