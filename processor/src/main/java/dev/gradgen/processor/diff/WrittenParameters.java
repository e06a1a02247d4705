package dev.gradgen.processor.diff;

import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which array parameters a method writes into, through any name. Unlike the alias classes of
 * {@link Activity}, which join everything a name may ever hold, this follows each name's
 * possible targets one way and how deep they sit: after {@code r = c ? a : w} a write into
 * {@code w} does not write {@code a}, and after {@code h[0] = y[0]} only a write two indices
 * into {@code h} writes {@code y}. The generated code copies exactly these parameters, and only
 * these must not share storage with another argument.
 */
final class WrittenParameters {
  private WrittenParameters() {}

  /** The array parameters of {@code method} whose storage it may write into, in order. */
  static List<Var> of(DiffMethod method) {
    // For each variable, the parameters whose storage it may reach, with the fewest indices
    // into the variable that reach it (0: it is that storage; 1: its rows are; ...).
    Map<Var, Map<Var, Integer>> reach = new IdentityHashMap<>();
    for (Var p : method.parameters()) {
      if (p.type().isArray()) {
        reach.put(p, new HashMap<>(Map.of(p, 0)));
      }
    }
    for (boolean changed = true; changed; ) {
      boolean[] grew = {false};
      Walk.walk(method.body(), s -> {
        if (s instanceof Stmt.Assign a && a.target().type().isArray()) {
          Expr.Index element = a.target() instanceof Stmt.ElementTarget et ? et.element() : null;
          Var target = element == null ? ((Stmt.VarTarget) a.target()).var()
              : Walk.root(element);
          if (target != null) {
            int indices = indices(element);
            reaches(a.value(), reach).forEach((p, d) -> grew[0] |= add(reach, target, p,
                d + indices));
          }
        }
      });
      changed = grew[0];
    }
    Map<Var, Boolean> written = new IdentityHashMap<>();
    Walk.walk(method.body(), s -> {
      if (s instanceof Stmt.Assign a && a.target() instanceof Stmt.ElementTarget et) {
        Var root = Walk.root(et.element());
        int k = indices(et.element());
        reach.getOrDefault(root, Map.of()).forEach((p, d) -> {
          if (k > d) {
            written.put(p, true);
          }
        });
      }
      Walk.forEachExpr(s, e -> {
        if (e instanceof Expr.Call c) {
          for (int k = 0; k < c.args().size(); k++) {
            if (c.callee().writesIntoArguments().get(k)) {
              // The callee writes its elements: storage reached with no index left.
              reaches(c.args().get(k), reach).forEach((p, d) -> {
                if (d == 0) {
                  written.put(p, true);
                }
              });
            }
          }
        }
      });
    });
    List<Var> out = new ArrayList<>();
    for (Var p : method.parameters()) {
      if (written.containsKey(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The parameters an array value may reach, with the indices into the value that reach them. */
  private static Map<Var, Integer> reaches(Expr value, Map<Var, Map<Var, Integer>> reach) {
    Map<Var, Integer> out = new HashMap<>();
    if (value instanceof Expr.ArrayLiteral lit) {
      for (Expr e : lit.elements()) {
        reaches(e, reach).forEach((p, d) -> out.merge(p, d + 1, Math::min));
      }
      return out;
    }
    if (!value.type().isArray() || value instanceof Expr.NewArray) {
      return out;
    }
    Var root = Walk.root(value);
    int k = value instanceof Expr.Index i ? indices(i) : 0;
    reach.getOrDefault(root, Map.of()).forEach((p, d) -> out.merge(p, Math.max(0, d - k),
        Math::min));
    return out;
  }

  private static boolean add(Map<Var, Map<Var, Integer>> reach, Var v, Var p, int depth) {
    Map<Var, Integer> m = reach.computeIfAbsent(v, x -> new HashMap<>());
    Integer known = m.get(p);
    if (known != null && known <= depth) {
      return false;
    }
    m.put(p, depth);
    return true;
  }

  /** The number of indices of {@code m[i][j]}: 2; of null: 0. */
  private static int indices(Expr.Index element) {
    int n = 0;
    for (Expr e = element; e instanceof Expr.Index i; e = i.array()) {
      n++;
    }
    return n;
  }
}
