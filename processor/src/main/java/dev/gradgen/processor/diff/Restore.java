package dev.gradgen.processor.diff;

import dev.gradgen.processor.ir.Code;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The restore of what an assignment overwrote, in the backward sweep: the old value popped back
 * from the tape, where the forward sweep pushed it (for an array or a row, its adjoint too).
 */
final class Restore {
  private Restore() {}

  static List<Code> of(Stmt.Assign a, Activity activity, Map<Var, String> adjoints,
      Expr tape) {
    List<Code> out = new ArrayList<>();
    if (a.target() instanceof Stmt.VarTarget vt) {
      Var v = vt.var();
      if (v.type().isArray() && activity.isActive(v)) {
        out.add(new Code.Set(new Expr.Synthetic(adjoints.get(v), v.type()),
            new Expr.Pop(tape, v.type())));
      }
      out.add(new Code.Set(new Expr.Local(v), new Expr.Pop(tape, v.type())));
      return out;
    }
    Expr.Index e = ((Stmt.ElementTarget) a.target()).element();
    if (e.type().isArray() && activity.isActive(Walk.root(e))) {
      out.add(new Code.Set(SweepCode.shadowExpr(e, adjoints), new Expr.Pop(tape, e.type())));
    }
    out.add(new Code.Set(e, new Expr.Pop(tape, e.type() == Type.INT ? Type.INT
        : e.type().isArray() ? e.type() : Type.DOUBLE)));
    return out;
  }
}
