package dev.gradgen.processor.diff;

import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the dead stores of a method: assignments to scalar locals whose values nothing the
 * method returns, tests, writes into an array, prints or passes to a call ever depends on. In a
 * tangent program the method's own accumulator is such a local ({@code s += 100 * a * a + b * b}
 * when only {@code sDot} is returned); left in, the reverse pass over the program (the HVP)
 * would compute it, save it on every iteration and take its zero adjoint through the partials.
 *
 * <p>Only stores whose value cannot fail or act are removed (no call, no array access, no
 * integer division, no {@code Math} function of integers such as {@code addExact}), so that the method throws where it threw and prints what it printed.
 * Every other statement, and the statements of loops and branches, stay as they are.
 */
public final class DeadStores {
  private DeadStores() {}

  /** {@code m} without its dead stores; {@code m} itself when it has none. */
  public static DiffMethod prune(DiffMethod m) {
    Set<Var> candidates = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Var l : m.locals()) {
      if (!l.type().isArray()) {
        candidates.add(l);
      }
    }
    // What each candidate's stores read; and what is needed outright.
    Map<Var, List<Var>> deps = new IdentityHashMap<>();
    Set<Var> needed = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Var> work = new ArrayDeque<>();
    Walk.walk(m.body(), s -> {
      Var stored = store(s, candidates);
      List<Var> reads = reads(s);
      if (stored != null && removable(s)) {
        deps.computeIfAbsent(stored, k -> new ArrayList<>()).addAll(reads);
      } else {
        reads.forEach(work::add);
        if (stored != null) {
          work.add(stored);
        }
      }
    });
    while (!work.isEmpty()) {
      Var v = work.pop();
      if (needed.add(v)) {
        work.addAll(deps.getOrDefault(v, List.of()));
      }
    }
    Set<Var> dead = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Var v : deps.keySet()) {
      if (!needed.contains(v)) {
        dead.add(v);
      }
    }
    if (dead.isEmpty()) {
      return m;
    }
    Map<Stmt.Loop, Stmt.Loop> loops = new IdentityHashMap<>();
    List<Stmt> body = without(m.body(), dead, loops);
    List<Var> locals = m.locals().stream().filter(l -> !dead.contains(l)).toList();
    return new DiffMethod(m.name(), m.parameters(), locals, body, m.identifiersInSource(),
        m.declaration(), m.returnType());
  }

  /** The candidate {@code s} assigns (whole, not an element), or null. */
  private static Var store(Stmt s, Set<Var> candidates) {
    Var v = s instanceof Stmt.Assign a && a.target() instanceof Stmt.VarTarget t ? t.var()
        : s instanceof Stmt.Step st ? st.var() : null;
    return v != null && candidates.contains(v) ? v : null;
  }

  /** Whether evaluating the statement's value can neither fail nor act. */
  private static boolean removable(Stmt s) {
    boolean[] ok = {true};
    Walk.forEachExpr(s, e -> ok[0] &= !(e instanceof Expr.Call || e instanceof Expr.Invoke
        || e instanceof Expr.Index || e instanceof Expr.NewArray || e instanceof Expr.Pop
        || e instanceof Expr.Length
        || e instanceof Expr.MathCall c && c.type() != dev.gradgen.processor.ir.Type.DOUBLE
        || e instanceof Expr.Binary b && b.left().type().isIntegral()
            && (b.op() == Expr.BinaryOp.DIV || b.op() == Expr.BinaryOp.REM)));
    return ok[0];
  }

  /** The variables the expressions directly in {@code s} read (a step reads its variable). */
  private static List<Var> reads(Stmt s) {
    List<Var> out = new ArrayList<>();
    if (s instanceof Stmt.Step st) {
      out.add(st.var());
    }
    Walk.forEachExpr(s, e -> {
      if (e instanceof Expr.Local l) {
        out.add(l.var());
      }
    });
    return out;
  }

  private static List<Stmt> without(List<Stmt> stmts, Set<Var> dead,
      Map<Stmt.Loop, Stmt.Loop> loops) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      Var stored = s instanceof Stmt.Assign a && a.target() instanceof Stmt.VarTarget t ? t.var()
          : s instanceof Stmt.Step st ? st.var() : null;
      if (stored != null && dead.contains(stored)) {
        continue;
      }
      if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), without(i.then(), dead, loops),
            without(i.otherwise(), dead, loops), i.src()));
      } else if (s instanceof Stmt.Loop l) {
        // Jumps in the body name the new loop: it exists before its body is filled in.
        List<Stmt> body = new ArrayList<>();
        List<Stmt> update = new ArrayList<>();
        Stmt.Loop copy = new Stmt.Loop(l.kind, without(l.init, dead, loops), l.condition,
            Collections.unmodifiableList(update), Collections.unmodifiableList(body), l.label,
            l.nameHint, l.src());
        loops.put(l, copy);
        body.addAll(without(l.body, dead, loops));
        update.addAll(without(l.update, dead, loops));
        out.add(copy);
      } else if (s instanceof Stmt.Jump j) {
        Stmt.Loop target = loops.get(j.target());
        out.add(target == null ? j : new Stmt.Jump(j.kind(), target, j.label(), j.src()));
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
