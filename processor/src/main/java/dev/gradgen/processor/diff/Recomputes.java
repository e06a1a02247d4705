package dev.gradgen.processor.diff;

import dev.gradgen.processor.diff.LoopShape.Bounds;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Part of pass 3 of reverse mode, recompute versus save: the per-iteration values of counted
 * loops that the backward sweep computes again, at the start of each iteration it runs back,
 * instead of the forward sweep saving the value each iteration overwrites. The result is fixed
 * once computed; the save plan leaves these assignments unsaved and the backward sweep prints
 * them.
 *
 * <p>A value is recomputed when that is both possible and cheaper. Possible: it is a scalar
 * local whose only assignment in the method is {@code v = e}, a statement of the body of a
 * counted loop the backward sweep drives from its bounds, with no {@code continue} before it and
 * every read of {@code v} after it in that body; and everything {@code e} reads holds, when the
 * backward sweep starts running an iteration back, what it held when {@code e} ran: the loop's
 * counter and the counters of the counted loops around it (the backward loops set them), values
 * recomputed before it (in this loop or one around it), parameters and locals assigned once
 * outside every loop, and arrays nothing in the method writes or passes on. Cheaper: {@code e}
 * is arithmetic, comparisons, array reads and {@code Math.abs}, {@code min} or {@code max},
 * costing at most {@link #SAVE_COST} (an operation 1, a division 4, an array read 2), about
 * what the push and pop of a save cost. A call, or any other {@code Math} function, is
 * saved (or kept) instead: evaluating it again costs more than reading it back.
 */
final class Recomputes {
  /**
   * What saving a value costs in the units of {@link #cost}: the forward sweep's push (loads of
   * the tape's array, top and capacity, a compare, two stores) and the backward sweep's pop
   * (loads, a bounds check, a store of the top), about six each, and the tape's memory traffic.
   * Measured on Rosenbrock's gradient (DerivativesBenchmark, n = 1000): with 8, its {@code a =
   * x[i + 1] - x[i] * x[i]} (cost 9) was saved and the gradient took 5.2 µs; with 12 it is
   * recomputed and took 3.3 µs.
   */
  static final int SAVE_COST = 12;

  private final DiffMethod method;
  private final Reads readSets;
  /** The statements that assign each variable, anywhere in the method. */
  private final Map<Var, List<Stmt>> assigners = new HashMap<>();
  /** Variables assigned outside every loop. */
  private final Set<Var> assignedOutsideLoops = new HashSet<>();
  /** Array storage some statement writes or passes to a call. */
  private final Set<Object> writtenStorage = new HashSet<>();
  private final Map<Stmt.Loop, List<Stmt.Assign>> recomputed = new IdentityHashMap<>();
  private final Set<Stmt> all = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * An assignment {@code v = e} that could be recomputed: the {@code index}th statement of the
   * body of {@code loop}, inside the counted loops whose counters are {@code counters}.
   */
  private record Candidate(Stmt.Assign assign, Stmt.Loop loop, int index, List<Var> counters) {
    Var var() {
      return ((Stmt.VarTarget) assign.target()).var();
    }
  }

  private Recomputes(DiffMethod method, Reads readSets) {
    this.method = method;
    this.readSets = readSets;
    census(method.body(), false);
    List<Candidate> candidates = new ArrayList<>();
    collect(method.body(), List.of(), candidates);
    settle(candidates);
    for (Candidate c : candidates) {
      recomputed.computeIfAbsent(c.loop(), k -> new ArrayList<>()).add(c.assign());
      all.add(c.assign());
    }
    recomputed.replaceAll((l, list) -> List.copyOf(list));
  }

  /** The recomputed values of {@code method}, whose reads {@code readSets} computes. */
  static Recomputes of(DiffMethod method, Reads readSets) {
    return new Recomputes(method, readSets);
  }

  /** Whether the backward sweep recomputes what {@code s} assigns instead of restoring it. */
  boolean isRecomputed(Stmt s) {
    return all.contains(s);
  }

  /**
   * The assignments of loop {@code l}'s body that the backward sweep runs again, in order, at
   * the start of each iteration it runs back; empty for most loops.
   */
  List<Stmt.Assign> in(Stmt.Loop l) {
    return recomputed.getOrDefault(l, List.of());
  }

  private void census(List<Stmt> stmts, boolean inLoop) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign a) {
        if (a.target() instanceof Stmt.VarTarget vt) {
          assigners.computeIfAbsent(vt.var(), k -> new ArrayList<>()).add(a);
          if (!inLoop) {
            assignedOutsideLoops.add(vt.var());
          }
        } else {
          writtenStorage.add(readSets.storage(
              Walk.root(((Stmt.ElementTarget) a.target()).element())));
        }
      } else if (s instanceof Stmt.Step st) {
        assigners.computeIfAbsent(st.var(), k -> new ArrayList<>()).add(st);
      }
      Walk.forEachExpr(s, x -> {
        List<Expr> args = x instanceof Expr.Call c ? c.args()
            : x instanceof Expr.Invoke i ? i.args() : List.of();
        for (Expr arg : args) {
          Var root = Walk.root(arg);
          if (arg.type().isArray() && root != null) {
            writtenStorage.add(readSets.storage(root));
          }
        }
      });
      for (List<Stmt> nested : Walk.nested(s)) {
        census(nested, inLoop || s instanceof Stmt.Loop);
      }
    }
  }

  /**
   * Adds to {@code out} the assignments among {@code stmts}, nested ones included, that are
   * cheap, plain and at the top of the body of a counted loop; {@code counters} are the counters
   * of the counted loops around {@code stmts}.
   */
  private void collect(List<Stmt> stmts, List<Var> counters, List<Candidate> out) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Loop l) {
        Bounds bounds = LoopShape.bounds(l);
        List<Var> inner = counters;
        if (bounds != null) {
          inner = new ArrayList<>(counters);
          inner.add(bounds.counter());
          inner = List.copyOf(inner);
          boolean continued = false;
          for (int k = 0; k < l.body.size() && !continued; k++) {
            if (l.body.get(k) instanceof Stmt.Assign a && a.compound() == null
                && a.target() instanceof Stmt.VarTarget vt && !vt.var().type().isArray()
                && cost(a.value()) <= SAVE_COST) {
              out.add(new Candidate(a, l, k, inner));
            }
            boolean[] jumps = {false};
            Walk.walk(List.of(l.body.get(k)),
                st -> jumps[0] |= st instanceof Stmt.Jump j && j.target() == l);
            continued = jumps[0];
          }
        }
        collect(l.init, counters, out);
        collect(l.body, inner, out);
        collect(l.update, counters, out);
      } else {
        for (List<Stmt> nested : Walk.nested(s)) {
          collect(nested, counters, out);
        }
      }
    }
  }

  /**
   * Removes from {@code candidates}, until none is left to remove, each whose variable some
   * other statement assigns or some statement outside the candidates' bodies reads, and each
   * whose value reads something the backward sweep may not have as it was.
   */
  private void settle(List<Candidate> candidates) {
    boolean changed = true;
    while (changed) {
      Map<Var, List<Candidate>> byVar = new HashMap<>();
      for (Candidate c : candidates) {
        byVar.computeIfAbsent(c.var(), k -> new ArrayList<>()).add(c);
      }
      Set<Var> recomputable = new HashSet<>();
      for (Map.Entry<Var, List<Candidate>> e : byVar.entrySet()) {
        if (e.getValue().size() == assigners.get(e.getKey()).size()
            && readOnlyBelow(e.getKey(), e.getValue())) {
          recomputable.add(e.getKey());
        }
      }
      changed = candidates.removeIf(c -> !recomputable.contains(c.var())
          || !readsHeld(c.assign().value(), c.var(), c.counters(), recomputable));
    }
  }

  /**
   * Whether everything {@code e} reads holds the same value when the backward sweep starts an
   * iteration as when {@code e} ran (and {@code e} does not read {@code v} itself). A variable
   * in {@code recomputed} that {@code e} reads is, by Java's scoping, one declared earlier in
   * the same body or in the body of a loop around it, and recomputed before.
   */
  private boolean readsHeld(Expr e, Var v, List<Var> counters, Set<Var> recomputed) {
    Set<Object> reads = new LinkedHashSet<>();
    readSets.collect(e, reads);
    for (Object r : reads) {
      if (r instanceof Var u) {
        List<Stmt> assigned = assigners.getOrDefault(u, List.of());
        boolean invariant = u.isParameter() ? assigned.isEmpty()
            : assigned.size() == 1 && assignedOutsideLoops.contains(u);
        if (u == v || !(invariant || counters.contains(u) || recomputed.contains(u))) {
          return false;
        }
      } else if (writtenStorage.contains(r)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code v} is read only in the statements that follow one of its assignments
   * {@code cs} in that assignment's loop body, so that no read sees what an earlier iteration,
   * or another loop, left in {@code v}.
   */
  private boolean readOnlyBelow(Var v, List<Candidate> cs) {
    Set<Stmt> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Candidate c : cs) {
      Walk.walk(c.loop().body.subList(c.index() + 1, c.loop().body.size()), allowed::add);
    }
    boolean[] readElsewhere = {false};
    Walk.walk(method.body(), st -> {
      if (!allowed.contains(st)) {
        Walk.forEachExpr(st,
            x -> readElsewhere[0] |= x instanceof Expr.Local loc && loc.var() == v);
      }
    });
    return !readElsewhere[0];
  }

  /**
   * What evaluating {@code e} again costs, in the units of {@link #SAVE_COST}; more than it if
   * {@code e} is not plain arithmetic.
   */
  static int cost(Expr e) {
    int own;
    if (e instanceof Expr.Literal || e instanceof Expr.Constant || e instanceof Expr.Local) {
      own = 0;
    } else if (e instanceof Expr.Index || e instanceof Expr.Length) {
      own = e instanceof Expr.Index ? 2 : 1;
    } else if (e instanceof Expr.Binary b) {
      own = b.op() == Expr.BinaryOp.DIV || b.op() == Expr.BinaryOp.REM ? 4 : 1;
    } else if (e instanceof Expr.Unary || e instanceof Expr.Cast
        || e instanceof Expr.Conditional) {
      own = 1;
    } else if (e instanceof Expr.MathCall m && Set.of("abs", "min", "max").contains(m.name())) {
      own = 1;
    } else {
      return SAVE_COST + 1;
    }
    int total = own;
    for (Expr child : Walk.children(e)) {
      total += cost(child);
      if (total > SAVE_COST) {
        return SAVE_COST + 1;
      }
    }
    return total;
  }
}
