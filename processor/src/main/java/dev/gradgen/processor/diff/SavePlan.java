package dev.gradgen.processor.diff;

import static dev.gradgen.processor.diff.LoopShape.countingStep;

import dev.gradgen.processor.diff.LoopShape.Bounds;
import dev.gradgen.processor.ir.Build;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pass 3 of reverse mode, the save plan (the to-be-recorded analysis): which assignments must save
 * the value they overwrite, because the adjoint code of a statement that ran before (or of the
 * assignment itself) reads it; which counted loops the backward sweep can drive from their own
 * bounds; and which top-level reduction loops are reversed one iteration at a time. The result
 * is fixed once computed; the sweeps only read it.
 */
final class SavePlan {
  private final DiffMethod method;
  private final Activity activity;
  private final Reads readSets;
  private final Expr dValue;
  private final Set<Stmt> saved = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Stmt, AdjointBlocks.Block> blocks;
  /**
   * Top-level reduction loops reversed one iteration at a time, inside the forward sweep: each
   * maps its accumulators to their adjoints, known before the loop runs.
   */
  private final Map<Stmt.Loop, Map<Var, Expr>> perIteration = new IdentityHashMap<>();
  /**
   * Counted loops whose backward sweep recomputes the counter's range from the loop's own bounds,
   * so the forward sweep records nothing for them.
   */
  private final Map<Stmt.Loop, Bounds> boundDriven = new IdentityHashMap<>();
  /** Loops whose element writes are saved as blocks: {@link #blockSaved}. */
  private final Map<Stmt.Loop, List<Stmt.Assign>> blockSaved = new IdentityHashMap<>();
  /** The block generator, settling the accumulators of the reductions reversed per iteration. */
  private AdjointBlocks generator;
  /** The values the backward sweep recomputes instead of restoring. */
  private final Recomputes recomputes;

  private SavePlan(DiffMethod method, Activity activity, Map<Stmt, AdjointBlocks.Block> blocks,
      AdjointBlocks generator, Expr dValue) {
    this.method = method;
    this.activity = activity;
    this.readSets = new Reads(activity::representative);
    this.blocks = new IdentityHashMap<>(blocks);
    this.generator = generator;
    this.dValue = dValue;
    this.recomputes = Recomputes.of(method, readSets);
    recorded(method.body(), new HashSet<>(), new ArrayDeque<>());
    Walk.walk(method.body(), st -> {
      if (st instanceof Stmt.Loop l) {
        planBlockSaves(l);
      }
    });
  }

  /**
   * The save plan of {@code method}, whose statements have the adjoint {@code blocks} made by
   * {@code generator}; {@code dValue} is the adjoint of the method's result.
   */
  static SavePlan of(DiffMethod method, Activity activity, Map<Stmt, AdjointBlocks.Block> blocks,
      AdjointBlocks generator, Expr dValue) {
    return new SavePlan(method, activity, blocks, generator, dValue);
  }

  /** Whether the forward sweep saves what {@code s} overwrites (for a step: undoes it). */
  boolean isSaved(Stmt s) {
    return saved.contains(s);
  }

  /**
   * The assignments of loop {@code l}'s body whose values the backward sweep recomputes, in
   * order, at the start of each iteration it runs back, instead of the forward sweep saving what
   * they overwrite: {@link Recomputes}.
   */
  List<Stmt.Assign> recomputed(Stmt.Loop l) {
    return recomputes.in(l);
  }

  /**
   * Every statement's adjoint block: a reduction reversed per iteration changes the block of the
   * final return, which no longer adds to the accumulators.
   */
  Map<Stmt, AdjointBlocks.Block> blocks() {
    return Collections.unmodifiableMap(blocks);
  }

  /** The generator of further blocks, which add nothing to the settled accumulators. */
  AdjointBlocks generator() {
    return generator;
  }

  /** The accumulators of reduction loop {@code l} with their adjoints, or null. */
  Map<Var, Expr> perIteration(Stmt.Loop l) {
    return perIteration.get(l);
  }

  boolean anyPerIteration() {
    return !perIteration.isEmpty();
  }

  /**
   * The element writes {@code a[i]} of loop {@code l} whose old values are saved as one block
   * of {@code a} before the loop and restored as one after its backward code, instead of one
   * element at a time; in order, empty for most loops.
   */
  List<Stmt.Assign> blockSaved(Stmt.Loop l) {
    return blockSaved.getOrDefault(l, List.of());
  }

  /**
   * Saves {@code a[i] = ...} as a block where that gives the backward sweep the same values:
   * {@code l} counts {@code i} up by one over bounds the backward sweep evaluates again, so its
   * writes {@code a[i]} (a statement of the body itself, {@code a} a local vector) touch each
   * element of the range once, in order; nothing else in the loop writes or passes on
   * {@code a}'s storage; and no backward code in the loop reads it, so that it makes no
   * difference whether an element is put back in its own iteration or after the loop. Not in
   * loops reversed per iteration, whose backward code runs inside the forward sweep. Where the
   * loop saved several elements per iteration, this replaces a push and a pop per element by one
   * copy each way (the ode eval's Runge–Kutta stages, gmm's centred vectors).
   */
  private void planBlockSaves(Stmt.Loop l) {
    Bounds bounds = boundDriven.get(l);
    if (bounds == null || !bounds.up() || insidePerIteration(l)) {
      return;
    }
    List<Stmt> all = new java.util.ArrayList<>();
    Walk.walk(List.of(l), all::add);
    List<Stmt.Assign> found = new java.util.ArrayList<>();
    for (Stmt st : l.body) {
      if (st instanceof Stmt.Assign a && saved.contains(a)
          && a.target() instanceof Stmt.ElementTarget et
          && et.element().array() instanceof Expr.Local array && array.type() == Type.VECTOR
          && et.element().index() instanceof Expr.Local index
          && index.var() == bounds.counter()) {
        Object storage = readSets.storage(array.var());
        if (onlyWriter(all, a, storage) && !readBackward(all, storage)) {
          found.add(a);
        }
      }
    }
    if (!found.isEmpty()) {
      saved.removeAll(found);
      blockSaved.put(l, List.copyOf(found));
    }
  }

  private boolean insidePerIteration(Stmt.Loop l) {
    for (Stmt.Loop p : perIteration.keySet()) {
      boolean[] inside = {p == l};
      Walk.walk(p.body, st -> inside[0] |= st == l);
      if (inside[0]) {
        return true;
      }
    }
    return false;
  }

  /** No statement of {@code all} but {@code writer} writes {@code storage} or passes it on. */
  private boolean onlyWriter(List<Stmt> all, Stmt.Assign writer, Object storage) {
    for (Stmt st : all) {
      if (st instanceof Stmt.Assign a && a != writer) {
        Var root = a.target() instanceof Stmt.VarTarget vt ? vt.var()
            : Walk.root(((Stmt.ElementTarget) a.target()).element());
        if (root != null && readSets.storage(root).equals(storage)) {
          return false;
        }
      }
      boolean[] passed = {false};
      for (Expr e : Walk.expressions(st)) {
        Walk.visitExpr(e, x -> {
          if (x instanceof Expr.Call c) {
            for (Expr arg : c.args()) {
              Var root = Walk.root(arg);
              passed[0] |= arg.type().isArray() && root != null
                  && readSets.storage(root).equals(storage);
            }
          }
        });
      }
      if (passed[0]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the backward code of a statement of {@code all} reads {@code storage}. */
  private boolean readBackward(List<Stmt> all, Object storage) {
    for (Stmt st : all) {
      AdjointBlocks.Block block = blocks.get(st);
      if (block != null && (block.reads().contains(storage)
          || block.readsAfter().contains(storage))) {
        return true;
      }
    }
    return false;
  }

  /** The bounds the backward sweep of loop {@code l} re-evaluates, or null. */
  Bounds bounds(Stmt.Loop l) {
    return boundDriven.get(l);
  }

  /** Jumps seen while analysing a loop body. */
  private static final class LoopFlow {
    final Stmt.Loop loop;
    final Set<Object> atBreaks = new HashSet<>();
    final Set<Object> atContinues = new HashSet<>();

    LoopFlow(Stmt.Loop loop) {
      this.loop = loop;
    }
  }

  /**
   * Forward data flow of the set of primal values that the adjoint code of statements executed so
   * far reads and that have not been saved since: an assignment to such a value must save it.
   */
  private Set<Object> recorded(List<Stmt> stmts, Set<Object> required, Deque<LoopFlow> loops) {
    Set<Object> req = required;
    for (int j = 0; j < stmts.size(); j++) {
      Stmt s = stmts.get(j);
      if (stmts == method.body() && s instanceof Stmt.Loop l) {
        Map<Var, Expr> seeds = reductionSeeds(l, stmts.subList(j + 1, stmts.size()), req);
        if (seeds != null) {
          // Analysed the usual way first: what that would save decides which way pays.
          Set<Stmt> before = new HashSet<>(saved);
          Set<Object> usual = recorded(s, req, loops);
          if (worthReversingPerIteration(l, before)) {
            saved.retainAll(before);
            req = recordedPerIteration(l, seeds, req, loops);
          } else {
            req = usual;
          }
          continue;
        }
      }
      req = recorded(s, req, loops);
    }
    return req;
  }

  /**
   * Whether reversing reduction loop {@code l} one iteration at a time pays: when the usual sweeps
   * would save values in an inner loop, or several per iteration, the tape outgrows the caches
   * and the backward sweep waits on memory (GMM, bundle adjustment). With a value or two per
   * iteration the tape stays in cache, and HotSpot runs the two separate sweeps faster than one
   * fused loop (measured on the MSE: 85 against 140 microseconds).
   */
  private boolean worthReversingPerIteration(Stmt.Loop l, Set<Stmt> savedBefore) {
    return saves(l.body, savedBefore, 1) >= 4;
  }

  /** Values saved or kept by one run of {@code stmts}, an inner loop's counting several times. */
  private int saves(List<Stmt> stmts, Set<Stmt> savedBefore, int weight) {
    int n = 0;
    for (Stmt st : stmts) {
      if (st instanceof Stmt.Assign && saved.contains(st) && !savedBefore.contains(st)) {
        n += weight; // (a saved Step is undone in place: no tape)
      }
      if (blocks.containsKey(st)) {
        n += weight * blocks.get(st).kept().size();
      }
      if (st instanceof Stmt.If i) {
        n += saves(i.then(), savedBefore, weight) + saves(i.otherwise(), savedBefore, weight);
      } else if (st instanceof Stmt.Loop inner) {
        int w = weight * INNER_LOOP_WEIGHT;
        n += saves(inner.init, savedBefore, weight) + saves(inner.body, savedBefore, w)
            + saves(inner.update, savedBefore, w);
      }
    }
    return n;
  }

  /** How many saves per iteration a save in an inner loop stands for. */
  private static final int INNER_LOOP_WEIGHT = 8;

  /**
   * A reduction loop's iterations are reversed one at a time, right after each runs: what one
   * iteration's backward sweep reads is needed by that iteration only, so the body is analysed
   * once, from what the statements before the loop need (which the loop does not write).
   */
  private Set<Object> recordedPerIteration(Stmt.Loop l, Map<Var, Expr> seeds,
      Set<Object> required, Deque<LoopFlow> loops) {
    perIteration.put(l, seeds);
    generator = generator.settling(seeds.keySet());
    Stmt tail = method.body().get(method.body().size() - 1);
    blocks.put(tail, generator.of(tail, false, false));
    Set<Object> head = recorded(l.init, required, loops);
    loops.push(new LoopFlow(l));
    recorded(l.body, head, loops);
    loops.pop();
    return head;
  }

  private Set<Object> recorded(Stmt s, Set<Object> required, Deque<LoopFlow> loops) {
    return s.accept(new Stmt.Visitor<Set<Object>>() {
      @Override
      public Set<Object> assign(Stmt.Assign a) {
        Set<Object> all = new HashSet<>(required);
        all.addAll(blocks.get(a).reads());
        if (a.target() instanceof Stmt.VarTarget vt) {
          Var v = vt.var();
          if (all.contains(v) && !recomputes.isRecomputed(a)) {
            saved.add(a);
          }
          all.remove(v);
          if (v.type().isArray() && (a.value() instanceof Expr.NewArray
              || a.value() instanceof Expr.ArrayLiteral || a.value() instanceof Expr.Call)
              && activity.representative(v) == v
              && !sharesStorage(v)) {
            all.remove(new Reads.Storage(v));
          }
        } else {
          Var root = Walk.root(((Stmt.ElementTarget) a.target()).element());
          if (all.contains(readSets.storage(root))
              || a.target().type().isArray() && activity.isActive(root)) {
            // A row write always puts the old row's adjoint back: reads before it add to that.
            saved.add(a);
          }
        }
        all.addAll(blocks.get(a).readsAfter());
        return all;
      }

      @Override
      public Set<Object> step(Stmt.Step st) {
        // Undoing i++ with i-- needs i itself to be right afterwards: i stays required.
        if (required.contains(st.var())) {
          saved.add(st);
        }
        return required;
      }

      @Override
      public Set<Object> returnStmt(Stmt.Return r) {
        Set<Object> out = new HashSet<>(required);
        out.addAll(blocks.get(r).reads());
        return out;
      }

      @Override
      public Set<Object> jump(Stmt.Jump j) {
        for (LoopFlow f : loops) {
          if (f.loop == j.target()) {
            (j.kind() == Stmt.JumpKind.BREAK ? f.atBreaks : f.atContinues).addAll(required);
          }
        }
        return required;
      }

      @Override
      public Set<Object> ifStmt(Stmt.If i) {
        Set<Object> out = new HashSet<>(recorded(i.then(), required, loops));
        out.addAll(recorded(i.otherwise(), required, loops));
        return out;
      }

      @Override
      public Set<Object> loop(Stmt.Loop l) {
        Set<Object> head = recorded(l.init, required, loops);
        LoopFlow flow = new LoopFlow(l);
        loops.push(flow);
        while (true) {
          Set<Object> afterBody = new HashSet<>(recorded(l.body, head, loops));
          afterBody.addAll(flow.atContinues);
          Set<Object> next = new HashSet<>(head);
          next.addAll(recorded(l.update, afterBody, loops));
          if (next.equals(head)) {
            break;
          }
          head = next;
        }
        loops.pop();
        Set<Object> out = new HashSet<>(head);
        out.addAll(flow.atBreaks);
        Bounds bounds = LoopShape.bounds(l);
        if (bounds != null) {
          // The backward loop sets the counter itself before anything in it reads the counter, and
          // recomputes the range from the bounds: those are read, the counter's final value is not.
          boundDriven.put(l, bounds);
          out.remove(bounds.counter());
          readSets.collect(bounds.from(), out);
          readSets.collect(bounds.to(), out);
        }
        Var rewritten = rewritesEveryElement(l);
        if (rewritten != null) {
          // Every element was overwritten (and saved where needed) by this loop, so the backward
          // sweep restores the whole array before reaching any earlier reader: later writes need
          // not save for them.
          out.remove(new Reads.Storage(rewritten));
        }
        return out;
      }

      @Override
      public Set<Object> print(Stmt.Print print) {
        return required; // a print reads in the forward sweep only
      }
    });
  }

  /**
   * If top-level loop {@code l} is a reduction whose iterations can be reversed one at a time,
   * its accumulators mapped to their adjoints (expressions valid before the loop), else null.
   *
   * <p>Conditions: a counted loop with no jump leaving it and no continue of it; the statements
   * before it need (in their backward code) nothing it writes; it carries nothing from one
   * iteration to the next except its counter and accumulators (scalar locals only updated by
   * {@code acc += e} or {@code acc -= e}, never otherwise read in it); after it nothing it wrote
   * is read except the counter and, in the final {@code return}, the accumulators, which enter
   * the result linearly with coefficients fixed before the loop. Then every accumulator's
   * adjoint is known before the loop and no iteration's adjoint flows into another.
   */
  private Map<Var, Expr> reductionSeeds(Stmt.Loop l, List<Stmt> after, Set<Object> required) {
    if (method.isVector()) {
      return null; // the seed of a vector result is an array: no scalar reduction to reverse early
    }
    Stmt.Step step = countingStep(l);
    if (l.kind != Stmt.LoopKind.FOR || step == null || after.isEmpty()
        || !(after.get(after.size() - 1) instanceof Stmt.Return ret)) {
      return null;
    }
    Set<Stmt.Loop> nested = Collections.newSetFromMap(new IdentityHashMap<>());
    Walk.walk(l.body, st -> {
      if (st instanceof Stmt.Loop inner) {
        nested.add(inner);
      }
    });
    boolean[] leaves = {false};
    Walk.walk(l.body, st -> leaves[0] |= st instanceof Stmt.Return
        || st instanceof Stmt.Jump j && !nested.contains(j.target()));
    Set<Object> written = written(List.of(l));
    if (leaves[0] || !Collections.disjoint(written, required)) {
      return null;
    }
    Set<Var> accumulators = new LinkedHashSet<>();
    for (Object w : written) {
      if (w instanceof Var v && v.type() == Type.DOUBLE && activity.isActive(v) && !v.isParameter()
          && v != step.var() && onlyAccumulated(l, v)) {
        accumulators.add(v);
      }
    }
    if (accumulators.isEmpty()) {
      return null;
    }
    for (Var acc : accumulators) {
      boolean[] mixed = {false};
      Walk.walk(List.of(l), st -> {
        if (st instanceof Stmt.Assign a && a.target() instanceof Stmt.VarTarget vt
            && accumulators.contains(vt.var())) {
          Set<Object> reads = new HashSet<>();
          readSets.collect(((Expr.Binary) a.value()).right(), reads);
          mixed[0] |= !Collections.disjoint(reads, accumulators);
        }
      });
      if (mixed[0]) {
        return null;
      }
    }
    Set<Object> carried = new HashSet<>(written);
    carried.removeAll(accumulators);
    carried.remove(step.var());
    if (exposed(l.body, new HashSet<>(), carried)) {
      return null;
    }
    List<Stmt> between = after.subList(0, after.size() - 1);
    Set<Object> wrote = new HashSet<>(written);
    wrote.remove(step.var());
    Set<Object> defined = new HashSet<>();
    if (exposed(between, defined, wrote)) {
      return null;
    }
    Set<Object> returnReads = new HashSet<>();
    readSets.collect(ret.value(), returnReads);
    for (Object r : returnReads) {
      if (carried.contains(r) && !defined.contains(r)) {
        return null;
      }
    }
    Set<Object> writtenAfter = written(between);
    Set<Object> changing = new HashSet<>(written);
    changing.addAll(writtenAfter);
    Map<Var, Expr> seeds = new LinkedHashMap<>();
    for (Var acc : accumulators) {
      if (writtenAfter.contains(acc)) {
        return null;
      }
      Expr seed = seed(ret.value(), acc, dValue, changing);
      if (seed == null) {
        return null;
      }
      seeds.put(acc, seed);
    }
    return seeds;
  }

  /**
   * Whether every write of {@code v} in {@code l} is {@code v += e} or {@code v -= e} and no other
   * expression reads it.
   */
  private static boolean onlyAccumulated(Stmt.Loop l, Var v) {
    int[] updates = {0};
    int[] reads = {0};
    boolean[] other = {false};
    Walk.walk(List.of(l), st -> {
      if (st instanceof Stmt.Assign a && a.target() instanceof Stmt.VarTarget vt
          && vt.var() == v) {
        if ((a.compound() == Expr.BinaryOp.ADD || a.compound() == Expr.BinaryOp.SUB)
            && a.value() instanceof Expr.Binary bin && bin.left() instanceof Expr.Local t
            && t.var() == v) {
          updates[0]++;
        } else {
          other[0] = true;
        }
      }
      if (st instanceof Stmt.Step o && o.var() == v) {
        other[0] = true;
      }
      Walk.forEachExpr(st, e -> {
        if (e instanceof Expr.Local x && x.var() == v) {
          reads[0]++;
        }
      });
    });
    return !other[0] && updates[0] > 0 && reads[0] == updates[0];
  }

  /**
   * The adjoint that {@code g}, flowing into {@code e}, gives {@code acc}, if {@code e} is linear
   * in {@code acc} with a coefficient that reads nothing in {@code changing}; else null.
   */
  private Expr seed(Expr e, Var acc, Expr g, Set<Object> changing) {
    if (e instanceof Expr.Local l && l.var() == acc) {
      return g;
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return seed(u.operand(), acc, Build.neg(g), changing);
    }
    if (!(e instanceof Expr.Binary b) || b.type() != Type.DOUBLE) {
      return null;
    }
    boolean inLeft = reads(b.left(), acc);
    boolean inRight = reads(b.right(), acc);
    if (inLeft == inRight) {
      return null;
    }
    Expr side = inLeft ? b.left() : b.right();
    Expr other = inLeft ? b.right() : b.left();
    switch (b.op()) {
      case ADD:
        return seed(side, acc, g, changing);
      case SUB:
        return seed(side, acc, inLeft ? g : Build.neg(g), changing);
      case MUL:
        return fixed(other, changing) ? seed(side, acc, Build.mul(g, other), changing) : null;
      case DIV:
        return inLeft && fixed(other, changing)
            ? seed(side, acc, Build.div(g, other), changing) : null;
      default:
        return null;
    }
  }

  private boolean reads(Expr e, Var v) {
    Set<Object> reads = new HashSet<>();
    readSets.collect(e, reads);
    return reads.contains(v);
  }

  /** Whether {@code e} is plain arithmetic whose value cannot change with {@code changing}. */
  private boolean fixed(Expr e, Set<Object> changing) {
    boolean[] plain = {true};
    Walk.visitExpr(e, x -> plain[0] &= !(x instanceof Expr.Call));
    Set<Object> reads = new HashSet<>();
    readSets.collect(e, reads);
    return plain[0] && Collections.disjoint(reads, changing);
  }

  /** The variables and array storage that {@code stmts} assign. */
  private Set<Object> written(List<Stmt> stmts) {
    return written(stmts, readSets);
  }

  /** The variables and array storage that {@code stmts} assign. */
  static Set<Object> written(List<Stmt> stmts, Reads readSets) {
    Set<Object> out = new HashSet<>();
    Walk.walk(stmts, st -> {
      if (st instanceof Stmt.Assign a) {
        if (a.target() instanceof Stmt.VarTarget vt) {
          out.add(vt.var());
        } else {
          Var root = Walk.root(((Stmt.ElementTarget) a.target()).element());
          out.add(readSets.storage(root));
        }
      } else if (st instanceof Stmt.Step o) {
        out.add(o.var());
      }
    });
    return out;
  }

  /**
   * Whether running {@code stmts} reads a value in {@code candidates} before assigning it, given
   * what is {@code defined} already (updated to what is defined afterwards). Array storage counts
   * as defined only after a loop that rewrites every element.
   */
  private boolean exposed(List<Stmt> stmts, Set<Object> defined, Set<Object> candidates) {
    for (Stmt s : stmts) {
      if (exposed(s, defined, candidates)) {
        return true;
      }
    }
    return false;
  }

  private boolean exposed(Stmt s, Set<Object> defined, Set<Object> candidates) {
    Set<Object> reads = new HashSet<>();
    return s.accept(new Stmt.Visitor<Boolean>() {
      @Override
      public Boolean assign(Stmt.Assign a) {
        readSets.collect(a.value(), reads);
        if (a.target() instanceof Stmt.ElementTarget et) {
          readSets.collect(et.element().array(), reads);
          readSets.collect(et.element().index(), reads);
        }
        if (hits(reads, defined, candidates)) {
          return true;
        }
        if (a.target() instanceof Stmt.VarTarget vt) {
          defined.add(vt.var());
        }
        return false;
      }

      @Override
      public Boolean step(Stmt.Step st) {
        return candidates.contains(st.var()) && !defined.contains(st.var());
      }

      @Override
      public Boolean returnStmt(Stmt.Return r) {
        readSets.collect(r.value(), reads);
        return hits(reads, defined, candidates);
      }

      @Override
      public Boolean ifStmt(Stmt.If i) {
        readSets.collect(i.condition(), reads);
        Set<Object> inThen = new HashSet<>(defined);
        Set<Object> inElse = new HashSet<>(defined);
        if (hits(reads, defined, candidates) || exposed(i.then(), inThen, candidates)
            || exposed(i.otherwise(), inElse, candidates)) {
          return true;
        }
        inThen.retainAll(inElse);
        defined.addAll(inThen);
        return false;
      }

      @Override
      public Boolean loop(Stmt.Loop l) {
        if (exposed(l.init, defined, candidates)) {
          return true;
        }
        if (l.condition != null) {
          readSets.collect(l.condition, reads);
        }
        Set<Object> inBody = new HashSet<>(defined);
        if (hits(reads, defined, candidates) || exposed(l.body, inBody, candidates)
            || exposed(l.update, inBody, candidates)) {
          return true;
        }
        Var rewritten = rewritesEveryElement(l);
        if (rewritten != null) {
          defined.add(new Reads.Storage(rewritten));
        }
        return false;
      }

      @Override
      public Boolean jump(Stmt.Jump jump) {
        return false;
      }

      @Override
      public Boolean print(Stmt.Print print) {
        // What a print shows must be the values the original method has there.
        for (Expr a : print.args()) {
          readSets.collect(a, reads);
        }
        return hits(reads, defined, candidates);
      }
    });
  }

  private static boolean hits(Set<Object> reads, Set<Object> defined, Set<Object> candidates) {
    for (Object r : reads) {
      if (candidates.contains(r) && !defined.contains(r)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The local vector that loop {@code l} provably overwrites entirely, or null: {@code for (int
   * i = 0; i < a.length (or the n of a = new double[n]); i++) { ...; a[i] = ...; ... }} (the
   * write a statement of the body itself, so every iteration runs it) with no jumps
   * in the body, the counter and {@code n} never reassigned, and {@code a} assigned once and
   * sharing its storage with no other variable.
   */
  private Var rewritesEveryElement(Stmt.Loop l) {
    Stmt.Step step = countingStep(l);
    if (l.kind != Stmt.LoopKind.FOR || step == null || !step.increment() || !step.byOne()
        || l.init.size() != 1 || !(l.init.get(0) instanceof Stmt.Assign init)
        || !(init.target() instanceof Stmt.VarTarget iv) || iv.var() != step.var()
        || !Build.isLit(init.value(), 0) || l.body.isEmpty()
        || !(l.condition instanceof Expr.Binary cond) || cond.op() != Expr.BinaryOp.LT
        || !(cond.left() instanceof Expr.Local cl) || cl.var() != step.var()) {
      return null;
    }
    Var a = writtenEveryIteration(l.body, step.var());
    if (a == null) {
      return null;
    }
    if (a.type() != Type.VECTOR || a.isParameter() || a.declarations != 1 || a.reassigned
        || activity.representative(a) != a || sharesStorage(a)) {
      return null;
    }
    boolean[] jumps = {false};
    Walk.walk(l.body, st -> jumps[0] |= st instanceof Stmt.Jump || st instanceof Stmt.Return);
    if (jumps[0]) {
      return null;
    }
    Expr bound = cond.right();
    if (bound instanceof Expr.Length len && len.array() instanceof Expr.Local la
        && la.var() == a) {
      return a;
    }
    if (!(bound instanceof Expr.Local bl) || bl.var().reassigned || bl.var().type() != Type.INT
        || !bl.var().isParameter() && bl.var().declarations != 1) {
      return null;
    }
    // The bound must be the size a was created with.
    boolean[] sized = {false};
    Walk.walk(method.body(), st -> sized[0] |= st instanceof Stmt.Assign d
        && d.target() instanceof Stmt.VarTarget dv && dv.var() == a
        && d.value() instanceof Expr.NewArray na && na.dimensions().size() == 1
        && na.dimensions().get(0) instanceof Expr.Local nl && nl.var() == bl.var());
    return sized[0] ? a : null;
  }

  /**
   * The array {@code a} of an element write {@code a[i] = ...} that is a statement of {@code
   * body}.
   */
  private static Var writtenEveryIteration(List<Stmt> body, Var i) {
    for (Stmt st : body) {
      // Not a row: a row stored may be another row of the same array, which a later write
      // then changes under the readers before the loop.
      if (st instanceof Stmt.Assign w && w.compound() == null
          && w.target() instanceof Stmt.ElementTarget et && !et.type().isArray()
          && et.element().array() instanceof Expr.Local al
          && et.element().index() instanceof Expr.Local il && il.var() == i) {
        return al.var();
      }
    }
    return null;
  }

  /** Whether another variable, a local or a parameter, may share {@code v}'s storage. */
  private boolean sharesStorage(Var v) {
    for (List<Var> vars : List.of(method.locals(), method.parameters())) {
      for (Var l : vars) {
        if (l != v && l.type().isArray() && activity.representative(l) == v) {
          return true;
        }
      }
    }
    return false;
  }
}
