package dev.gradgen.processor.diff;

import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Walk;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pass 1 of reverse mode, exit numbering: every {@code break}, {@code continue} and non-final
 * {@code return} gets an id, and each knows the loops whose current iteration it ends. A loop
 * whose body can be left early records, per iteration, the id of the exit taken; so does the
 * method when it has early returns. Computed once from the method body; never changed after.
 */
final class Exits {
  /** The level of the method itself, beside the loops: where early returns are recorded. */
  static final Object METHOD = new Object();

  private final Map<Stmt, Integer> ids = new IdentityHashMap<>();
  /** For each coded jump: the loops whose current iteration it ends, innermost first. */
  private final Map<Stmt, List<Stmt.Loop>> exitedLoops = new IdentityHashMap<>();
  private final Set<Stmt> tailReturns = Collections.newSetFromMap(new IdentityHashMap<>());
  private final boolean codedReturns;
  /** A cache of {@link #maxCode}; it changes no result. */
  private final Map<Stmt, Map<Object, Integer>> maxCodeMemo = new IdentityHashMap<>();

  private Exits(List<Stmt> body) {
    markTail(body);
    number(body, new ArrayDeque<>());
    codedReturns = ids.keySet().stream().anyMatch(s -> s instanceof Stmt.Return);
  }

  static Exits of(List<Stmt> body) {
    return new Exits(body);
  }

  /** Whether the method has a return other than its last statement's (or a final branch's). */
  boolean hasCodedReturns() {
    return codedReturns;
  }

  /** Whether {@code r} ends the method by falling off its end: no id, no record. */
  boolean isTail(Stmt r) {
    return tailReturns.contains(r);
  }

  /** The id of jump or early return {@code s}. */
  int id(Stmt s) {
    return ids.get(s);
  }

  /** The loops whose current iteration jump {@code s} ends, innermost first. */
  List<Stmt.Loop> exitedLoops(Stmt s) {
    return exitedLoops.get(s);
  }

  private void markTail(List<Stmt> stmts) {
    if (stmts.isEmpty()) {
      return;
    }
    Stmt last = stmts.get(stmts.size() - 1);
    if (last instanceof Stmt.Return) {
      tailReturns.add(last);
    } else if (last instanceof Stmt.If i) {
      markTail(i.then());
      markTail(i.otherwise());
    }
  }

  private void number(List<Stmt> stmts, Deque<Stmt.Loop> loops) {
    for (Stmt s : stmts) {
      s.accept(new Stmt.Visitor<Void>() {
        @Override
        public Void jump(Stmt.Jump j) {
          List<Stmt.Loop> exited = new ArrayList<>();
          for (Stmt.Loop l : loops) {
            exited.add(l);
            if (l == j.target()) {
              break;
            }
          }
          ids.put(j, ids.size() + 1);
          exitedLoops.put(j, exited);
          return null;
        }

        @Override
        public Void returnStmt(Stmt.Return r) {
          if (!tailReturns.contains(r)) {
            ids.put(r, ids.size() + 1);
            exitedLoops.put(r, new ArrayList<>(loops));
          }
          return null;
        }

        @Override
        public Void ifStmt(Stmt.If i) {
          number(i.then(), loops);
          number(i.otherwise(), loops);
          return null;
        }

        @Override
        public Void loop(Stmt.Loop l) {
          // The initializer runs outside the loop (a switch expression there has jumps of its
          // own); the update, when it has jumps, was moved into the body by the reader.
          number(l.init, loops);
          loops.push(l);
          number(l.body, loops);
          number(l.update, loops);
          loops.pop();
          return null;
        }

        @Override
        public Void assign(Stmt.Assign a) {
          return null;
        }

        @Override
        public Void step(Stmt.Step st) {
          return null;
        }

        @Override
        public Void print(Stmt.Print p) {
          return null;
        }
      });
    }
  }

  /** Whether jump {@code s} is recorded at {@code level} (a loop, or {@link #METHOD}). */
  boolean codedAt(Stmt s, Object level) {
    if (!ids.containsKey(s)) {
      return false;
    }
    if (level == METHOD) {
      return s instanceof Stmt.Return;
    }
    return exitedLoops.get(s).contains(level);
  }

  /** The largest id of a jump inside {@code s} recorded at {@code level}, or 0. */
  int maxCode(Stmt s, Object level) {
    Map<Object, Integer> memo = maxCodeMemo.computeIfAbsent(s, k -> new HashMap<>());
    Integer known = memo.get(level);
    if (known != null) {
      return known;
    }
    int max = codedAt(s, level) ? ids.get(s) : 0;
    if (s instanceof Stmt.If i) {
      for (Stmt c : i.then()) {
        max = Math.max(max, maxCode(c, level));
      }
      for (Stmt c : i.otherwise()) {
        max = Math.max(max, maxCode(c, level));
      }
    } else if (s instanceof Stmt.Loop l) {
      for (Stmt c : l.body) {
        max = Math.max(max, maxCode(c, level));
      }
    }
    memo.put(level, max);
    return max;
  }

  /** The ids of the jumps in {@code stmts} recorded at {@code level}, in source order. */
  List<Integer> codesIn(List<Stmt> stmts, Object level) {
    List<Integer> codes = new ArrayList<>();
    Walk.walk(stmts, s -> {
      if (codedAt(s, level)) {
        codes.add(ids.get(s));
      }
    });
    return codes;
  }

  /** Whether loop {@code l}'s body can be left early. */
  boolean loopCoded(Stmt.Loop l) {
    return !codesIn(l.body, l).isEmpty();
  }

  /** Whether control can reach the end of {@code stmts} in the generated forward sweep. */
  boolean canComplete(List<Stmt> stmts) {
    if (stmts.isEmpty()) {
      return true;
    }
    Stmt last = stmts.get(stmts.size() - 1);
    if (last instanceof Stmt.Jump || last instanceof Stmt.Return && !tailReturns.contains(last)) {
      return false;
    }
    if (last instanceof Stmt.If i) {
      return canComplete(i.then()) || canComplete(i.otherwise());
    }
    if (last instanceof Stmt.Loop l) {
      return loopCanComplete(l);
    }
    return true;
  }

  /** Whether loop {@code l} can end other than by a jump out of it or a return. */
  static boolean loopCanComplete(Stmt.Loop l) {
    if (l.condition != null && !(l.condition instanceof Expr.Literal lit
        && Boolean.TRUE.equals(lit.value()))) {
      return true;
    }
    boolean[] breaks = {false};
    Walk.walk(l.body, s -> breaks[0] |= s instanceof Stmt.Jump j
        && j.kind() == Stmt.JumpKind.BREAK && j.target() == l);
    return breaks[0];
  }
}
