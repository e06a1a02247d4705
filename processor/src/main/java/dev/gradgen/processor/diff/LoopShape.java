package dev.gradgen.processor.diff;

import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What the shape of a loop alone tells: its counter, and bounds the backward sweep can evaluate
 * again.
 */
final class LoopShape {
  private LoopShape() {}

  /** The loop's update if it is one int step of a counter the body never assigns, else null. */
  static Stmt.Step countingStep(Stmt.Loop l) {
    if (l.update.size() != 1 || !(l.update.get(0) instanceof Stmt.Step st)
        || st.var().type() != Type.INT) {
      return null;
    }
    boolean[] assigned = {false};
    Walk.walk(l.body, s -> assigned[0] |= s instanceof Stmt.Step o && o.var() == st.var()
        || s instanceof Stmt.Assign a && a.target() instanceof Stmt.VarTarget vt
        && vt.var() == st.var());
    return assigned[0] ? null : st;
  }

  /**
   * A counted loop {@code for (v = from; v < to; v++)} ({@code <=}, or counting down with
   * {@code >} / {@code >=}; or {@code v + k < a.length} for literals {@code from, k >= 0},
   * which counts to {@code a.length - k}) whose bounds the backward sweep can evaluate again: {@code from} and
   * {@code to} are int arithmetic on variables and array lengths that the loop never assigns,
   * and no jump or return leaves the loop early. Its counter then ends at {@code max(from, to)}
   * (or the inclusive/downward equivalent) in every run, so nothing needs to be recorded.
   */
  record Bounds(Var counter, Expr from, Expr to, boolean up, boolean inclusive) {}

  static Bounds bounds(Stmt.Loop l) {
    Stmt.Step step = countingStep(l);
    if (l.kind != Stmt.LoopKind.FOR || step == null || !step.byOne() || l.init.size() != 1
        || !(l.init.get(0) instanceof Stmt.Assign init) || init.compound() != null
        || !(init.target() instanceof Stmt.VarTarget iv) || iv.var() != step.var()
        || !(l.condition instanceof Expr.Binary cond)) {
      return null;
    }
    Expr counted = cond.left();
    int offset = offset(cond.left());
    if (offset > 0) {
      // for (i = 0; i + k < a.length; i++): the counter ends at max(from, a.length - k), which
      // neither side can overflow with a start and an offset of at least 0
      if (!step.increment() || !(init.value() instanceof Expr.Literal start)
          || !(start.value() instanceof Integer first) || first < 0
          || !(cond.right() instanceof Expr.Length)) {
        return null;
      }
      counted = ((Expr.Binary) cond.left()).left();
    }
    if (!(counted instanceof Expr.Local cl) || cl.var() != step.var()) {
      return null;
    }
    boolean up = step.increment();
    Expr.BinaryOp op = cond.op();
    if (up ? op != Expr.BinaryOp.LT && op != Expr.BinaryOp.LE
        : op != Expr.BinaryOp.GT && op != Expr.BinaryOp.GE) {
      return null;
    }
    Var v = step.var();
    Set<Var> read = new HashSet<>();
    if (!recomputable(init.value(), read) || !recomputable(cond.right(), read)
        || read.contains(v)) {
      return null;
    }
    Set<Stmt.Loop> nested = Collections.newSetFromMap(new IdentityHashMap<>());
    nested.add(l);
    Walk.walk(l.body, st -> {
      if (st instanceof Stmt.Loop inner) {
        nested.add(inner);
      }
    });
    boolean[] ok = {true};
    Walk.walk(l.body, st -> {
      if (st instanceof Stmt.Return
          || st instanceof Stmt.Jump j && (!nested.contains(j.target())
          || j.target() == l && j.kind() == Stmt.JumpKind.BREAK)
          || st instanceof Stmt.Assign a && a.target() instanceof Stmt.VarTarget vt
          && read.contains(vt.var())
          || st instanceof Stmt.Step o && read.contains(o.var())) {
        ok[0] = false;
      }
    });
    Expr to = offset == 0 ? cond.right() : new Expr.Binary(Expr.BinaryOp.SUB, cond.right(),
        new Expr.Literal(Type.INT, offset), Type.INT);
    return ok[0] ? new Bounds(v, init.value(), to, up,
        op == Expr.BinaryOp.LE || op == Expr.BinaryOp.GE) : null;
  }

  /** {@code k} if {@code e} is {@code v + k} for a variable and an int literal k > 0, else 0. */
  private static int offset(Expr e) {
    if (e instanceof Expr.Binary sum && sum.op() == Expr.BinaryOp.ADD
        && sum.left() instanceof Expr.Local && sum.right() instanceof Expr.Literal k
        && k.type() == Type.INT && k.value() instanceof Integer n && n > 0) {
      return n;
    }
    return 0;
  }

  /**
   * Whether {@code e} is int arithmetic on literals, constants, int variables and lengths of
   * arrays (of a parameter's rows, which never change); adds the variables it reads to {@code
   * read}.
   */
  private static boolean recomputable(Expr e, Set<Var> read) {
    if (e.type() != Type.INT) {
      return false;
    }
    if (e instanceof Expr.Literal || e instanceof Expr.Constant) {
      return true;
    }
    if (e instanceof Expr.Local l) {
      read.add(l.var());
      return true;
    }
    if (e instanceof Expr.Binary b) {
      return (b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB
          || b.op() == Expr.BinaryOp.MUL) && recomputable(b.left(), read)
          && recomputable(b.right(), read);
    }
    if (e instanceof Expr.Length len) {
      if (len.array() instanceof Expr.Local a) {
        read.add(a.var());
        return true;
      }
      Expr root = len.array();
      while (root instanceof Expr.Index i) {
        if (!recomputable(i.index(), read)) {
          return false;
        }
        root = i.array();
      }
      if (root instanceof Expr.Local a && a.var().isParameter()) {
        read.add(a.var());
        return true;
      }
    }
    return false;
  }
}
