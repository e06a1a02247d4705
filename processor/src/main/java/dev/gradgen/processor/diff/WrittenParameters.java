package dev.gradgen.processor.diff;

import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.StorageReach;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which array parameters a method writes into, through any name ({@link StorageReach}, not the
 * alias classes of {@link Activity}, which join everything a name may ever hold). The generated
 * code copies exactly these parameters, and only these must not share storage with another
 * argument.
 */
final class WrittenParameters {
  private WrittenParameters() {}

  /** The array parameters of {@code method} whose storage it may write into, in order. */
  static List<Var> of(DiffMethod method) {
    StorageReach reach = StorageReach.of(method.parameters(), method.body());
    Set<Object> written = Collections.newSetFromMap(new IdentityHashMap<>());
    Walk.walk(method.body(), s -> {
      if (s instanceof Stmt.Assign a && a.target() instanceof Stmt.ElementTarget et) {
        written.addAll(reach.writtenBy(et.element()));
      }
      Walk.forEachExpr(s, e -> {
        if (e instanceof Expr.Call c) {
          for (int k = 0; k < c.args().size(); k++) {
            if (c.callee().writesIntoArguments().get(k)) {
              written.addAll(reach.writtenThrough(c.args().get(k)));
            }
          }
        }
      });
    });
    return method.parameters().stream().filter(written::contains).toList();
  }
}
