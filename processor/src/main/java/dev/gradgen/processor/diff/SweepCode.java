package dev.gradgen.processor.diff;

import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.emit.Printer;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Var;
import java.util.Map;

/** Small pieces of code that both sweeps write. */
final class SweepCode {
  private SweepCode() {}

  /** {@code i++}, {@code i += 2}, or with {@code undo} the inverse. */
  static CodeBlock step(Stmt.Step st, boolean undo, Printer printer) {
    boolean up = st.increment() != undo;
    if (st.byOne()) {
      return CodeBlock.of("$N$L", st.var().name(), up ? "++" : "--");
    }
    return CodeBlock.of("$N $L= $L", st.var().name(), up ? "+" : "-", printer.print(st.amount()));
  }

  /** The adjoint of array expression {@code e} ({@code dm[i]} for {@code m[i]}), or null. */
  static Expr shadowExpr(Expr e, Map<Var, String> adjoints) {
    if (e instanceof Expr.Local l) {
      return adjoints.containsKey(l.var())
          ? new Expr.Synthetic(adjoints.get(l.var()), l.var().type()) : null;
    }
    if (e instanceof Expr.Index i) {
      Expr inner = shadowExpr(i.array(), adjoints);
      return inner == null ? null : new Expr.Index(inner, i.index());
    }
    return null;
  }
}
