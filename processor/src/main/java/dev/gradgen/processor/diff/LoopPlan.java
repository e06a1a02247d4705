package dev.gradgen.processor.diff;

import static dev.gradgen.processor.diff.LoopShape.countingStep;

import dev.gradgen.processor.diff.LoopShape.Bounds;
import dev.gradgen.processor.ir.Code;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import dev.gradgen.processor.simplify.Simplify;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pass 4 of reverse mode, the loop plan: how the backward sweep runs each loop back, and which
 * branches record the side they took. It visits the statements in the backward sweep's order
 * (last first), so that the names it hands out are the ones the backward code declares in that
 * order. The result is fixed once computed; both sweeps only read it.
 */
final class LoopPlan {
  /** How a loop runs backwards. */
  sealed interface Strategy {}

  /** Nothing in the body or update has backward code: only the initializer's runs. */
  record NotReversed() implements Strategy {}

  /**
   * A top-level reduction: each iteration's backward code runs inside the forward sweep, right
   * after the iteration, from accumulator adjoints known before the loop ({@code seeds}).
   */
  record PerIteration(Map<Var, Expr> seeds) implements Strategy {}

  /**
   * The counter runs back over the range the loop's own bounds give, which the backward sweep
   * evaluates again (into the local {@code from} when the start is not a literal or a variable);
   * the forward sweep records nothing.
   */
  record BoundDriven(Bounds bounds, String from) implements Strategy {}

  /**
   * The counter itself drives the backward loop, back to the value it started from, which the
   * forward sweep records into {@code start}; {@code stop} holds it in the backward sweep.
   */
  record IndexDriven(Stmt.Step counter, String start, String stop) implements Strategy {}

  /** The forward sweep counts the iterations into {@code count} and records the count. */
  record TripCounted(String count) implements Strategy {}

  /**
   * The plan of one loop.
   *
   * @param exit the backward sweep's local for the exit each iteration took, or null when the
   *     body cannot be left early or the loop is not run back
   * @param stops the ids of the exits that leave the loop (not continues of it)
   * @param updateInBody whether the forward sweep runs the update at the end of the body (it
   *     saves before overwriting), not in the {@code for} header
   * @param sums array adjoint elements that every iteration adds to, mapped to the local that
   *     sums them instead
   */
  record Entry(Strategy strategy, String exit, List<Integer> stops, boolean updateInBody,
      Map<Expr, Expr> sums) {
    /** Whether the backward sweep has a loop of its own for this loop. */
    boolean reversed() {
      return strategy instanceof BoundDriven || strategy instanceof IndexDriven
          || strategy instanceof TripCounted;
    }

    /**
     * The forward sweep's local the loop records at each exit: the trip count, or the counter's
     * start value; null if it records neither.
     */
    String counted() {
      if (strategy instanceof TripCounted t) {
        return t.count();
      }
      return strategy instanceof IndexDriven d ? d.start() : null;
    }
  }

  private final DiffMethod method;
  private final Activity activity;
  private final Reads readSets;
  private final Exits exits;
  private final SavePlan saves;
  private final Names names;
  private final Map<Var, String> adjoints;
  private final Map<Stmt, AdjointBlocks.Block> blocks;
  private final Expr tape;
  /** The backward code of each assignment and return: restore and adjoint block, simplified. */
  private final Map<Stmt, List<Code>> code = new IdentityHashMap<>();
  private final Map<Stmt.Loop, Entry> loops = new IdentityHashMap<>();
  private final Set<Stmt.If> recordedBranches = Collections.newSetFromMap(new IdentityHashMap<>());

  private LoopPlan(DiffMethod method, Activity activity, Exits exits, SavePlan saves,
      Names names, Map<Var, String> adjoints, Expr tape) {
    this.method = method;
    this.activity = activity;
    this.readSets = new Reads(activity::representative);
    this.exits = exits;
    this.saves = saves;
    this.names = names;
    this.adjoints = adjoints;
    this.blocks = new IdentityHashMap<>(saves.blocks());
    this.tape = tape;
    plan(method.body(), Exits.METHOD);
  }

  /**
   * The loop plan of {@code method}; the names of the backward sweep's locals come from {@code
   * names}, the adjoints of variables are {@code adjoints}, and {@code tape} is the tape.
   */
  static LoopPlan of(DiffMethod method, Activity activity, Exits exits, SavePlan saves,
      Names names, Map<Var, String> adjoints, Expr tape) {
    return new LoopPlan(method, activity, exits, saves, names, adjoints, tape);
  }

  Entry of(Stmt.Loop l) {
    return loops.get(l);
  }

  /** Whether branch {@code i} records the side it took: some side has backward code. */
  boolean recordsBranch(Stmt.If i) {
    return recordedBranches.contains(i);
  }

  /** Every statement's final adjoint block (a loop with promoted sums has its body's rebuilt). */
  AdjointBlocks.Block block(Stmt s) {
    return blocks.get(s);
  }

  /**
   * The backward code of assignment or return {@code s}: what its block takes before the
   * restore, the restore of what it overwrote, then the adjoint block; simplified.
   */
  List<Code> code(Stmt s) {
    return code.get(s);
  }

  // ------------------------------------------------------------ the walk, last statement first

  /** Plans {@code stmts}; whether any of them has backward code. */
  private boolean plan(List<Stmt> stmts, Object level) {
    boolean any = false;
    for (int j = stmts.size() - 1; j >= 0; j--) {
      any |= plan(stmts.get(j), level);
    }
    return any;
  }

  private boolean plan(Stmt s, Object level) {
    return s.accept(new Stmt.Visitor<>() {
      @Override
      public Boolean assign(Stmt.Assign a) {
        return hasCode(a);
      }

      @Override
      public Boolean returnStmt(Stmt.Return r) {
        return hasCode(r);
      }

      @Override
      public Boolean print(Stmt.Print p) {
        return false; // printed once, forward
      }

      @Override
      public Boolean jump(Stmt.Jump j) {
        return false; // the exit it took is replayed by its loop and branches
      }

      @Override
      public Boolean step(Stmt.Step st) {
        return saves.isSaved(st); // undone in place
      }

      @Override
      public Boolean ifStmt(Stmt.If i) {
        boolean then = plan(i.then(), level);
        boolean otherwise = plan(i.otherwise(), level);
        if (then || otherwise) {
          recordedBranches.add(i);
        }
        return then || otherwise;
      }

      @Override
      public Boolean loop(Stmt.Loop l) {
        return planLoop(l, level);
      }
    });
  }

  /** Computes the backward code of {@code s}; whether there is any. */
  private boolean hasCode(Stmt s) {
    AdjointBlocks.Block block = blocks.get(s);
    List<Code> all = new ArrayList<>(block.beforeRestore());
    if (s instanceof Stmt.Assign a && saves.isSaved(a)) {
      all.addAll(Restore.of(a, activity, adjoints, tape));
    }
    all.addAll(block.lines());
    List<Code> simplified = Simplify.block(all);
    code.put(s, simplified);
    return !simplified.isEmpty();
  }

  private boolean planLoop(Stmt.Loop l, Object level) {
    Map<Var, Expr> seeds = saves.perIteration(l);
    if (seeds != null) {
      plan(l.body, l);
      boolean init = plan(l.init, level);
      loops.put(l, new Entry(new PerIteration(seeds), null, List.of(), false, Map.of()));
      return init;
    }
    Map<Expr, Expr> sums = promoteSums(l);
    String exit = exits.loopCoded(l) ? names.fresh(l.nameHint + "Exit") : null;
    boolean body = plan(l.body, l);
    boolean update = plan(l.update, l);
    boolean init = plan(l.init, level);
    if (!body && !update) {
      loops.put(l, new Entry(new NotReversed(), null, List.of(), false, sums));
      return init;
    }
    boolean updateInBody = false;
    for (Stmt u : l.update) {
      updateInBody |= saves.isSaved(u) && !(u instanceof Stmt.Step);
    }
    List<Integer> stops = new ArrayList<>();
    Walk.walk(l.body, s -> {
      if (exits.codedAt(s, l) && !(s instanceof Stmt.Jump j
          && j.kind() == Stmt.JumpKind.CONTINUE && j.target() == l)) {
        stops.add(exits.id(s));
      }
    });
    Bounds bounds = saves.bounds(l);
    Strategy strategy;
    if (bounds != null) {
      if (!body) {
        loops.put(l, new Entry(new NotReversed(), null, List.of(), updateInBody, sums));
        return init;
      }
      String from = bounds.from() instanceof Expr.Literal || bounds.from() instanceof Expr.Local
          ? null : names.fresh(l.nameHint + "From");
      strategy = new BoundDriven(bounds, from);
    } else {
      Stmt.Step counter = countingStep(l);
      if (counter != null && stops.isEmpty() && saves.isSaved(counter)) {
        String start = names.fresh(l.nameHint + "Start");
        strategy = new IndexDriven(counter, start, names.fresh(l.nameHint + "Stop"));
      } else {
        strategy = new TripCounted(names.fresh(l.nameHint + "Count"));
      }
    }
    loops.put(l, new Entry(strategy, exit, List.copyOf(stops), updateInBody, sums));
    return true;
  }

  // ------------------------------------------------------------ sums promoted out of a loop

  /**
   * In a loop whose body is straight-line assignments: the array adjoint elements its backward
   * code only adds to, at an index the loop does not change, mapped to a local sum that replaces
   * them inside the loop ({@code dx[i] += ...} for every j becomes one add after the loop, not a
   * load and store per iteration). The blocks of the body are rebuilt to use the sums.
   */
  private Map<Expr, Expr> promoteSums(Stmt.Loop l) {
    if (l.body.isEmpty() || !l.body.stream().allMatch(st -> st instanceof Stmt.Assign
        || st instanceof Stmt.Step)) {
      return Map.of();
    }
    Set<Object> changing = SavePlan.written(List.of(l), readSets);
    // What the body's backward code reads is restored where it runs, and so still is after the
    // loop's backward code; a location may read only that (a value the block keeps on the tape
    // instead, Math.tanh(-v0), leaves v0 unrestored).
    Set<Object> restored = new HashSet<>();
    for (Stmt st : l.body) {
      if (blocks.containsKey(st)) {
        restored.addAll(blocks.get(st).reads());
      }
    }
    Map<Var, Expr> location = new LinkedHashMap<>();
    Set<Var> rejected = new HashSet<>();
    for (Stmt st : l.body) {
      AdjointBlocks.Block block = blocks.get(st);
      if (block == null) {
        continue;
      }
      block.shadowUses().forEach((root, uses) -> {
        if (uses != 0) {
          rejected.add(root);
        }
      });
      block.accumulations().forEach((loc, root) -> {
        Expr known = location.putIfAbsent(root, loc);
        if (known != null && !known.equals(loc) || !invariant(loc, changing, restored)) {
          rejected.add(root);
        }
      });
    }
    for (Var v : method.locals()) {
      if (changing.contains(v) && v.type().isArray()) {
        rejected.add(activity.representative(v));
      }
    }
    for (List<Stmt> part : List.of(l.body, l.update)) {
      for (Stmt st : part) {
        if (st instanceof Stmt.Assign a && a.target() instanceof Stmt.ElementTarget et
            && et.type().isArray()) {
          rejected.add(activity.representative(Walk.root(et.element()))); // rows change
        }
      }
    }
    Map<Expr, Expr> sums = new LinkedHashMap<>();
    location.forEach((root, loc) -> {
      if (!rejected.contains(root)) {
        sums.put(loc, new Expr.Synthetic(names.fresh(adjoints.get(root) + "Sum"), Type.DOUBLE));
      }
    });
    if (!sums.isEmpty()) {
      AdjointBlocks promoting = saves.generator().promoting(sums);
      for (Stmt st : l.body) {
        if (st instanceof Stmt.Assign a && blocks.containsKey(a)) {
          // In a loop: the target's adjoint is always reset, and expensive calls are kept.
          blocks.put(a, promoting.of(a, true, true));
        }
      }
    }
    return Collections.unmodifiableMap(sums);
  }

  /**
   * Whether the array adjoint element {@code location} stays the same element in the loop, and
   * is still that element after it (it reads only variables in {@code restored}).
   */
  private boolean invariant(Expr location, Set<Object> changing, Set<Object> restored) {
    Expr e = location;
    while (e instanceof Expr.Index i) {
      Set<Object> reads = new HashSet<>();
      readSets.collect(i.index(), reads);
      for (Object r : reads) {
        if (!(r instanceof Var) || changing.contains(r) || !restored.contains(r)) {
          return false;
        }
      }
      e = i.array();
    }
    return true;
  }
}
