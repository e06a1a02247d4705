package dev.gradgen.processor.diff;

import static dev.gradgen.processor.ir.Build.div;
import static dev.gradgen.processor.ir.Build.mul;
import static dev.gradgen.processor.ir.Build.neg;

import dev.gradgen.processor.ir.Build;
import dev.gradgen.processor.ir.Code;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Expr.BinaryOp;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import dev.gradgen.processor.primitive.CustomRule;
import dev.gradgen.processor.primitive.Primitives;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Phase 3a, the chain rule for one statement: the adjoint code of an assignment or return, which
 * propagates the adjoint of what the statement wrote to everything its right-hand side read.
 * Values the derivatives need are recomputed from the primal variables, which the backward sweep
 * has restored to what they were when the statement ran.
 */
final class AdjointBlocks {
  /**
   * The adjoint code of one statement, as IR, and the primal state it reads.
   *
   * @param snapshots {@code int[]} arguments of calls whose callee may write into them: the
   *     forward code pushes a copy of each, in order, just before the statement, and the block
   *     pops them (last first) for the pullback, which must see the array as it was at the call
   */
  record Block(List<Code> beforeRestore, List<Code> lines, Set<Object> reads,
      Set<Object> readsAfter, Set<Expr> kept, Map<Var, Integer> shadowUses,
      Map<Expr, Var> accumulations, List<Expr> snapshots) {
    boolean isEmpty() {
      return lines.isEmpty();
    }
  }

  /** {@code null}, for an accumulator the callee must skip. */
  private static final Expr NULL = new Expr.Literal(Type.OTHER, null);

  private final Activity activity;
  private final Reads readSets;
  private final Names names;
  private final Map<Var, String> adjoints;
  private final Expr dValue;
  private final Expr tape;
  /** Variables whose adjoint is computed elsewhere: no statement adds to it. */
  private final Set<Var> settled;
  /** Array adjoint elements accumulated in a local instead (see {@link #promoting}). */
  private final Map<Expr, Expr> promoted;
  /**
   * Whether every sub-expression's adjoint gets a temporary of its own, commented with the
   * sub-expression, so that each local partial of the chain rule is visible.
   */
  private final boolean explain;

  AdjointBlocks(Activity activity, Names names, Map<Var, String> adjoints, Expr dValue,
      Expr tape, boolean explain) {
    this(activity, names, adjoints, dValue, tape, Set.of(), Map.of(), explain);
  }

  private AdjointBlocks(Activity activity, Names names, Map<Var, String> adjoints, Expr dValue,
      Expr tape, Set<Var> settled, Map<Expr, Expr> promoted, boolean explain) {
    this.activity = activity;
    this.readSets = new Reads(activity::representative);
    this.names = names;
    this.adjoints = adjoints;
    this.dValue = dValue;
    this.tape = tape;
    this.settled = settled;
    this.promoted = promoted;
    this.explain = explain;
  }

  /**
   * A generator whose blocks also add nothing to the adjoints of {@code vars} (the sweeps compute
   * those up front).
   */
  AdjointBlocks settling(Set<Var> vars) {
    Set<Var> all = new HashSet<>(settled);
    all.addAll(vars);
    return new AdjointBlocks(activity, names, adjoints, dValue, tape, Set.copyOf(all),
        promoted, explain);
  }

  /**
   * A generator whose blocks add to the local {@code sums.get(location)} what they would add to
   * the array adjoint element {@code location}.
   */
  AdjointBlocks promoting(Map<Expr, Expr> sums) {
    return new AdjointBlocks(activity, names, adjoints, dValue, tape, settled,
        Map.copyOf(sums), explain);
  }

  /** Lines being built for one statement. */
  private final class Out {
    final List<Code> lines = new ArrayList<>();
    final List<Code> beforeRestore = new ArrayList<>();
    /** What the adjoint code reads of the state right after the statement (its result). */
    final Set<Object> readsAfter = new HashSet<>();
    final Set<Object> reads;
    /**
     * How often the code uses each array adjoint (by alias representative) other than to add to
     * one of its elements.
     */
    final Map<Var, Integer> shadowUses;
    /** Array adjoint elements the code adds to ({@code da[i] += ...}), with their array. */
    final Map<Expr, Var> accumulations;
    final Names local;
    /** Function calls computed once at the top of the block, by value. */
    final Map<Expr, Expr> cached;
    /** How often each function call is printed (first pass only). */
    final Map<Expr, Integer> uses;
    /** {@code int[]} arguments copied at the call, and the locals the block pops them into. */
    List<Expr> snapshots = new ArrayList<>();
    List<Expr> snapshotLocals = new ArrayList<>();
    /**
     * The copies back into those arrays: they run first, after the statement's own restore and
     * whatever guard the adjoint code is under, since the call ran whatever its adjoint is.
     */
    List<Code> arrayRestores = new ArrayList<>();

    /** The block's code: the array restores, then the adjoint code. */
    List<Code> allLines() {
      List<Code> all = new ArrayList<>(arrayRestores);
      all.addAll(lines);
      return all;
    }

    /** The copy of {@code array} as it was at the call, popped at the top of the block. */
    Expr snapshot(Expr array) {
      Var root = Walk.root(array);
      Expr local = new Expr.Synthetic(this.local.fresh((root == null ? "array" : root.name())
          + "AtCall"), Type.INT_VECTOR);
      snapshots.add(array);
      snapshotLocals.add(local);
      return local;
    }

    /** The block's own pops come first; the copies were pushed before the statement ran. */
    List<Code> beforeRestoreWithSnapshots() {
      List<Code> all = new ArrayList<>(beforeRestore);
      for (int i = snapshotLocals.size() - 1; i >= 0; i--) {
        Expr.Synthetic local = (Expr.Synthetic) snapshotLocals.get(i);
        all.add(new Code.Declare(Type.INT_VECTOR, local.name(),
            new Expr.Pop(tape, Type.INT_VECTOR)));
      }
      return all;
    }

    Out(Set<Object> reads, Names local, Map<Expr, Expr> cached, Map<Expr, Integer> uses) {
      this(reads, new HashMap<>(), new LinkedHashMap<>(), local, cached, uses);
    }

    Out(Set<Object> reads, Map<Var, Integer> shadowUses, Map<Expr, Var> accumulations,
        Names local, Map<Expr, Expr> cached, Map<Expr, Integer> uses) {
      this.reads = reads;
      this.shadowUses = shadowUses;
      this.accumulations = accumulations;
      this.local = local;
      this.cached = cached;
      this.uses = uses;
    }

    /** {@code e} as the code uses it, the calls computed once read from their temporaries. */
    Expr x(Expr e) {
      readSets.collect(e, reads, cached, uses);
      return Walk.substitute(e, cached);
    }

    /** {@code double name = value;} */
    void declare(Expr.Synthetic name, Expr value) {
      lines.add(new Code.Declare(name.type(), name.name(), value));
    }

    void set(Expr target, Expr value) {
      lines.add(new Code.Set(target, value));
    }

    void addTo(Expr target, Expr value) {
      lines.add(new Code.AddTo(target, value));
    }

    Out branch() {
      Out b = new Out(reads, shadowUses, accumulations, local, cached, uses);
      // Copies are pushed before the statement whichever branch runs: one list for all.
      b.snapshots = snapshots;
      b.arrayRestores = arrayRestores;
      b.snapshotLocals = snapshotLocals;
      return b;
    }

    Expr.Synthetic temporary(String base) {
      return new Expr.Synthetic(local.fresh(base), Type.DOUBLE);
    }
  }

  /**
   * Adjoint code of {@code s}.
   *
   * @param resetTarget whether the target's adjoint must be zeroed once consumed (it must unless
   *     the target is assigned exactly once)
   * @param inLoop whether {@code s} is in a loop: only there are expensive calls kept on the tape
   *     (elsewhere they run once, and the forward code stays as written)
   */
  Block of(Stmt s, boolean resetTarget, boolean inLoop) {
    // First pass: which function calls would the adjoint code evaluate more than once?
    Out trial = new Out(new HashSet<>(), names.child(), Map.of(), new HashMap<>());
    build(s, resetTarget, trial);
    List<Expr> repeated = new ArrayList<>();
    Expr value = s instanceof Stmt.Return r ? r.value()
        : s instanceof Stmt.Assign a ? a.value() : null;
    if (value != null) {
      postOrder(value, e -> {
        if (e.type() == Type.DOUBLE && trial.uses.getOrDefault(e, 0) > 1
            && !repeated.contains(e)) {
          repeated.add(e);
        }
      });
    }
    // Expensive calls the forward code evaluates exactly once each time the statement runs:
    // it keeps their values on the tape and the backward code pops them instead of recomputing.
    List<Expr> kept = new ArrayList<>();
    // A call that writes into its int[] arguments, or returns an array, is never kept: its
    // value is not needed backward, and the statement's other values are not kept around it.
    boolean[] calls = {false};
    if (value != null) {
      postOrder(value, e -> calls[0] |= e instanceof Expr.Call && !Reads.valueCall(e));
    }
    // The forward code of a compound assignment prints only its right-hand side with keep().
    Expr printed = s instanceof Stmt.Assign a && a.compound() != null
        && value instanceof Expr.Binary bin ? bin.right() : value;
    if (inLoop && printed != null && !calls[0]) {
      Map<Expr, Integer> occurrences = new HashMap<>();
      postOrder(printed, e -> occurrences.merge(e, 1, Integer::sum));
      alwaysEvaluated(printed, e -> {
        boolean expensive = e instanceof Expr.MathCall m && e.type() == Type.DOUBLE
            && !Primitives.of(m.name()).cheap() || Reads.valueCall(e);
        if (expensive && trial.uses.getOrDefault(e, 0) > 0 && occurrences.get(e) == 1) {
          kept.add(e);
        }
      });
    }
    repeated.removeAll(kept);
    restoreWrittenArrays(value, trial);
    if (repeated.isEmpty() && kept.isEmpty()) {
      return new Block(trial.beforeRestoreWithSnapshots(), trial.allLines(), trial.reads,
          trial.readsAfter, Set.of(), trial.shadowUses, trial.accumulations, trial.snapshots);
    }
    // Second pass: pop the kept values (last kept first), then compute each repeated call once,
    // inner ones first, at the top of the block.
    Out out = new Out(new HashSet<>(), names.child(), new HashMap<>(), null);
    for (int i = kept.size() - 1; i >= 0; i--) {
      Expr e = kept.get(i);
      Expr.Synthetic temp = out.temporary(calledName(e));
      out.beforeRestore.add(new Code.Declare(Type.DOUBLE, temp.name(),
          new Expr.Pop(out.x(tape), Type.DOUBLE)));
      out.cached.put(e, temp);
    }
    for (Expr e : repeated) {
      Expr.Synthetic temp = out.temporary(calledName(e));
      out.declare(temp, out.x(e));
      out.cached.put(e, temp);
    }
    build(s, resetTarget, out);
    restoreWrittenArrays(value, out);
    return new Block(out.beforeRestoreWithSnapshots(), out.allLines(), out.reads, out.readsAfter,
        new LinkedHashSet<>(kept), out.shadowUses, out.accumulations, out.snapshots);
  }

  /** The name a temporary holding the value of call {@code e} is named after. */
  private static String calledName(Expr e) {
    return e instanceof Expr.MathCall m ? m.name() : ((Expr.Call) e).callee().name();
  }

  /**
   * Visits, in evaluation order, the sub-expressions of {@code e} that are evaluated whenever
   * {@code e} is: not the branches of {@code ?:} nor the right operand of {@code &&}/{@code ||}.
   */
  private static void alwaysEvaluated(Expr e, java.util.function.Consumer<Expr> visit) {
    if (e instanceof Expr.Conditional c) {
      alwaysEvaluated(c.condition(), visit);
    } else if (e instanceof Expr.Binary b
        && (b.op() == Expr.BinaryOp.CAND || b.op() == Expr.BinaryOp.COR)) {
      alwaysEvaluated(b.left(), visit);
    } else {
      for (Expr child : Walk.children(e)) {
        alwaysEvaluated(child, visit);
      }
    }
    visit.accept(e);
  }

  private void build(Stmt s, boolean resetTarget, Out out) {
    s.accept(new Stmt.Default<Void>() {
      @Override
      protected Void otherwise(Stmt s) {
        throw new IllegalStateException("only assignments and returns have adjoint blocks: " + s);
      }

      @Override
      public Void returnStmt(Stmt.Return r) {
        if (r.value().type().isArray()) {
          arrayReturn(r.value(), out);
        } else {
          guardedBackprop(r.value(), dValue, out);
        }
        return null;
      }

      @Override
      public Void assign(Stmt.Assign a) {
        AdjointBlocks.this.assign(a, resetTarget, out);
        return null;
      }
    });
  }

  private static void postOrder(Expr e, java.util.function.Consumer<Expr> visit) {
    for (Expr child : Walk.children(e)) {
      postOrder(child, visit);
    }
    visit.accept(e);
  }

  private void assign(Stmt.Assign a, boolean reset, Out out) {
    if (a.target() instanceof Stmt.ElementTarget et) {
      // Restoring the old element reads the array variable and the index expressions, but not
      // the array's contents: the write itself must not make the array look required.
      Expr e = et.element();
      while (e instanceof Expr.Index i) {
        readSets.collect(i.index(), out.reads);
        e = i.array();
      }
      readSets.collect(e, out.reads);
    }
    Type type = a.target().type();
    if (a.value() instanceof Expr.Call c && c.callee().hasBackward()
        && a.target() instanceof Stmt.VarTarget vt) {
      kernel(vt.var(), c, reset, out);
      return;
    }
    if (a.value() instanceof Expr.Call c && c.callee().differentiable() && c.type().isArray()
        && a.target() instanceof Stmt.VarTarget vt) {
      vectorCall(vt.var(), c, out);
      return;
    }
    if (type.isArray() && type.differentiable()) {
      // A fresh array literal: its elements' adjoints are the new shadow's entries.
      if (a.value() instanceof Expr.ArrayLiteral lit && a.target() instanceof Stmt.VarTarget vt
          && activity.isActive(vt.var()) && hasActiveNumber(lit)) {
        // Taken before the old array and its adjoint are restored: this reads the shadow the
        // statement created, so a later reassignment must save it.
        out.readsAfter.add(vt.var());
        String name = adjoints.get(vt.var());
        Expr.Synthetic seed = new Expr.Synthetic(out.local.fresh(name + "New"), type);
        out.beforeRestore.add(new Code.Declare(type, seed.name(), new Expr.Synthetic(name, type)));
        literalAdjoint(lit, seed, out);
      }
      return;
    }
    if (type != Type.DOUBLE || !targetActive(a.target())) {
      return;
    }
    Expr location = adjointLocation(a.target(), out);
    Expr value = a.value();
    boolean readsTarget = readsTarget(value, a.target());
    if (a.compound() != null && (a.compound() == BinaryOp.ADD || a.compound() == BinaryOp.SUB)
        && value instanceof Expr.Binary b && !readsTarget(b.right(), a.target())) {
      // x += e leaves x's adjoint as it is and hands it to e.
      guardedBackprop(b.right(), a.compound() == BinaryOp.ADD ? location : neg(location), out);
      return;
    }
    if (!readsTarget) {
      guardedBackprop(value, location, out);
      if (reset) {
        out.set(out.x(location), Build.lit(0));
      }
      return;
    }
    String base = (location instanceof Expr.Synthetic syn ? syn.name() : "dElement") + "New";
    Expr.Synthetic seed = out.temporary(base);
    out.declare(seed, out.x(location));
    out.set(out.x(location), Build.lit(0));
    guardedBackprop(value, seed, out);
  }

  private static boolean singular(Expr e) {
    boolean[] found = {false};
    Walk.visitExpr(e, x -> found[0] |= x instanceof Expr.MathCall m
        && Primitives.of(m.name()).singular() || x instanceof Expr.Binary b && b.op() == BinaryOp.DIV
        && b.type() == Type.DOUBLE);
    return found[0];
  }

  /**
   * Backpropagation that does nothing when the seed is zero. Mathematically it is a no-op then,
   * but an infinite derivative (sqrt at 0, division by 0) times the zero seed would turn the
   * gradient into NaN: a value that never reaches the result must not poison it.
   */
  private void guardedBackprop(Expr e, Expr seed, Out out) {
    if (!singular(e) || !activity.isActive(e)) {
      backprop(e, seed, out);
      return;
    }
    Out inner = out.branch();
    backprop(e, seed, inner);
    if (inner.lines.isEmpty()) {
      return;
    }
    out.lines.add(new Code.If(Build.cmp(BinaryOp.NE, out.x(seed), Build.lit(0)),
        List.copyOf(inner.lines), List.of()));
  }

  /**
   * {@code v = f(args)} where f has a hand-written backward function: call it with the result and
   * the result's adjoint, taken before {@code v} is restored, and the arguments' adjoints.
   */
  private void kernel(Var v, Expr.Call c, boolean reset, Out out) {
    var callee = c.callee();
    if (!activity.isActive(v)) {
      return;
    }
    if (!activity.isActive(c)) {
      if (v.type() == Type.DOUBLE && reset) {
        out.set(new Expr.Synthetic(adjoints.get(v), Type.DOUBLE), Build.lit(0));
      }
      return;
    }
    String adjoint = adjoints.get(v);
    Expr.Synthetic result = new Expr.Synthetic(out.local.fresh(v.name() + "Result"), v.type());
    out.readsAfter.add(v);
    if (v.type().isArray()) {
      out.readsAfter.add(readSets.storage(v));
    }
    // Taken before v is restored; the reads were recorded above.
    out.beforeRestore.add(new Code.Declare(v.type(), result.name(), new Expr.Local(v)));
    Expr.Synthetic dResult = new Expr.Synthetic(adjoint, v.type());
    if (v.type().isArray()) {
      dResult = new Expr.Synthetic(out.local.fresh(adjoint + "Result"), v.type());
      out.beforeRestore.add(new Code.Declare(v.type(), dResult.name(),
          new Expr.Synthetic(adjoint, v.type())));
    } else if (reset) {
      // v's adjoint is consumed here, and zeroed before the arguments' adjoints are added: one
      // of the arguments may read v itself (x = f(x, c)).
      dResult = out.temporary(adjoint + "New");
      out.declare(dResult, new Expr.Synthetic(adjoint, Type.DOUBLE));
      out.set(new Expr.Synthetic(adjoint, Type.DOUBLE), Build.lit(0));
    }
    List<Expr> printed = new ArrayList<>();
    List<Integer> scalars = new ArrayList<>();
    for (int k = 0; k < c.args().size(); k++) {
      Expr a = c.args().get(k);
      printed.add(out.x(a));
      Var root = Walk.root(a);
      if (a.type().isArray() && root != null) {
        out.reads.add(readSets.storage(root));
      }
      if (CustomRule.returnsAdjoint(callee.parameterTypes().get(k))) {
        scalars.add(k);
      }
    }
    List<Expr> args = CustomRule.arguments(callee.parameterTypes(), printed,
        result, dResult, k -> activity.isActive(c.args().get(k))
            ? out.x(shadowOf(c.args().get(k), out)) : NULL);
    boolean scalarsActive = scalars.stream().anyMatch(k -> activity.isActive(c.args().get(k)));
    Type returns = switch (CustomRule.returns(callee.parameterTypes())) {
      case NOTHING -> Type.OTHER;
      case ONE -> Type.DOUBLE;
      case SEVERAL -> Type.VECTOR;
    };
    Expr call = new Expr.Invoke(callee.backward().ownerQualifiedName(), callee.backward().name(), args,
        returns);
    if (scalars.size() == 1 && scalarsActive) {
      // The rule returns the adjoint of f's one double parameter.
      Expr.Synthetic t = out.temporary(
          Names.adjointBase(callee.parameterNames().get(scalars.get(0))));
      out.declare(t, call);
      backprop(c.args().get(scalars.get(0)), t, out);
    } else if (scalarsActive) {
      // The rule returns the adjoints of f's double parameters, in order, in an array.
      Expr.Synthetic t = new Expr.Synthetic(
          out.local.fresh("d" + capitalize(callee.name()) + "Arguments"), Type.VECTOR);
      out.declare(t, call);
      for (int j = 0; j < scalars.size(); j++) {
        backprop(c.args().get(scalars.get(j)), new Expr.Index(t, new Expr.Literal(Type.INT, j)),
            out);
      }
    } else {
      out.lines.add(new Code.Run(call));
    }
  }

  /**
   * {@code return r} of a vector method: the cotangent {@code dValue} (checked to be as long as
   * the result) is added into the adjoint of the array returned, or, for a literal, each of its
   * entries is backpropagated from its own.
   */
  private void arrayReturn(Expr value, Out out) {
    if (!activity.isActive(value)) {
      return;
    }
    Expr length = value instanceof Expr.ArrayLiteral lit
        ? new Expr.Literal(Type.INT, lit.elements().size()) : new Expr.Length(out.x(value));
    out.lines.add(new Code.Run(new Expr.Invoke("dev.gradgen.Gradients", "requireCotangent",
        List.of(out.x(dValue), length), Type.OTHER)));
    if (value instanceof Expr.ArrayLiteral lit) {
      // Each entry from its own seed, skipped when that is zero (a Jacobian's one-hot seeds).
      for (int k = 0; k < lit.elements().size(); k++) {
        guardedBackprop(lit.elements().get(k), new Expr.Index(out.x(dValue),
            new Expr.Literal(Type.INT, k)), out);
      }
      return;
    }
    out.lines.add(new Code.Run(new Expr.Invoke("dev.gradgen.Gradients", "addInto",
        List.of(out.x(shadowOf(value, out)), out.x(dValue)), Type.OTHER)));
  }

  /**
   * {@code v = f(args)} where f is a {@code @Differentiable} vector method: its pullback, given
   * the adjoint of the result (taken before {@code v} is restored) as the cotangent, adds the
   * vector-Jacobian product into the arguments' adjoints; scalar adjoints come back on the tape.
   */
  private void vectorCall(Var v, Expr.Call c, Out out) {
    if (!activity.isActive(v) || !activity.isActive(c)) {
      return;
    }
    String adjoint = adjoints.get(v);
    out.readsAfter.add(v);
    out.readsAfter.add(readSets.storage(v));
    Expr.Synthetic dResult = new Expr.Synthetic(out.local.fresh(adjoint + "Result"), v.type());
    out.beforeRestore.add(new Code.Declare(v.type(), dResult.name(),
        new Expr.Synthetic(adjoint, v.type())));
    pullback(c, dResult, out);
  }

  /** Whether a number written in the literal may carry a derivative (not just its array rows). */
  private boolean hasActiveNumber(Expr.ArrayLiteral lit) {
    return lit.elements().stream().anyMatch(e -> e instanceof Expr.ArrayLiteral inner
        ? hasActiveNumber(inner) : !e.type().isArray() && activity.isActive(e));
  }

  private void literalAdjoint(Expr.ArrayLiteral lit, Expr shadow, Out out) {
    for (int k = 0; k < lit.elements().size(); k++) {
      Expr element = lit.elements().get(k);
      Expr at = new Expr.Index(shadow, new Expr.Literal(Type.INT, k));
      if (element instanceof Expr.ArrayLiteral inner) {
        literalAdjoint(inner, at, out);
      } else if (element.type().isArray()) {
        continue; // an existing array as a row: its adjoint is the row's, storage shared
      } else {
        backprop(element, at, out);
      }
    }
  }

  private boolean targetActive(Stmt.Target t) {
    if (t instanceof Stmt.VarTarget vt) {
      return activity.isActive(vt.var());
    }
    Var root = Walk.root(((Stmt.ElementTarget) t).element());
    return root != null && activity.isActive(root);
  }

  private boolean readsTarget(Expr e, Stmt.Target t) {
    boolean[] found = {false};
    if (t instanceof Stmt.VarTarget vt) {
      Walk.visitExpr(e, x -> found[0] |= x instanceof Expr.Local l && l.var() == vt.var());
    } else {
      // Any read of the array's storage: an element, or the array itself handed to a call
      // whose pullback may add to the adjoint of the element written.
      Var rep = activity.representative(Walk.root(((Stmt.ElementTarget) t).element()));
      Walk.visitExpr(e, x -> found[0] |= (x instanceof Expr.Index
          || x instanceof Expr.Local l && l.type().isArray())
          && Walk.root(x) != null && activity.representative(Walk.root(x)) == rep);
    }
    return found[0];
  }

  /** Where the adjoint of an assignment target lives: {@code dx}, or {@code da[i]}. */
  private Expr adjointLocation(Stmt.Target t, Out out) {
    if (t instanceof Stmt.VarTarget vt) {
      return new Expr.Synthetic(adjoints.get(vt.var()), Type.DOUBLE);
    }
    return shadowOf(((Stmt.ElementTarget) t).element(), out);
  }

  /**
   * The adjoint of an array expression: {@code a} gives {@code da}, {@code m[i]} gives
   * {@code dm[i]}. Recorded as a read of {@code a}: the shadow belongs to the array {@code a} holds.
   */
  Expr shadowOf(Expr e, Out out) {
    if (e instanceof Expr.Local l) {
      out.reads.add(l.var());
      out.shadowUses.merge(activity.representative(l.var()), 1, Integer::sum);
      return new Expr.Synthetic(adjoints.get(l.var()), l.var().type());
    }
    if (e instanceof Expr.Index i) {
      readSets.collect(i.index(), out.reads);
      return new Expr.Index(shadowOf(i.array(), out), i.index());
    }
    throw new IllegalStateException("no shadow for " + e);
  }

  private static boolean simple(Expr e) {
    return e instanceof Expr.Literal || e instanceof Expr.Synthetic || e instanceof Expr.Local
        || e instanceof Expr.Unary u && simple(u.operand())
        || e instanceof Expr.Index i && simple(i.array()) && simple(i.index());
  }

  /**
   * Binds {@code g}, the adjoint of sub-expression {@code of}, to a temporary if it would
   * otherwise be computed {@code uses} times, or, when derivations are explained, if it is more
   * than a variable.
   */
  private Expr share(Expr g, int uses, String base, Expr of, Out out) {
    if (uses <= 1 && !explain || simple(g)) {
      return g;
    }
    Expr.Synthetic t = out.temporary(base);
    out.lines.add(new Code.Declare(Type.DOUBLE, t.name(), out.x(g), explain ? of : null));
    return t;
  }

  /** Adds {@code g} times the derivative of {@code e} to the adjoints of what {@code e} reads. */
  private void backprop(Expr e, Expr g, Out out) {
    if (!activity.isActive(e)) {
      return;
    }
    if (e instanceof Expr.Local l) {
      if (!settled.contains(l.var())) {
        out.addTo(new Expr.Synthetic(adjoints.get(l.var()), Type.DOUBLE), out.x(g));
      }
    } else if (e instanceof Expr.Index i) {
      Expr location = new Expr.Index(shadowOf(i.array(), out), i.index());
      Var root = activity.representative(Walk.root(i));
      out.accumulations.put(location, root);
      out.shadowUses.merge(root, -1, Integer::sum); // counted apart from the other uses
      out.addTo(out.x(promoted.getOrDefault(location, location)), out.x(g));
    } else if (e instanceof Expr.Unary u) {
      backprop(u.operand(), neg(g), out);
    } else if (e instanceof Expr.Cast c) {
      backprop(c.operand(), g, out);
    } else if (e instanceof Expr.Binary b) {
      binary(b, g, out);
    } else if (e instanceof Expr.Conditional c) {
      Expr shared = share(g, activity.isActive(c.whenTrue()) && activity.isActive(c.whenFalse())
          ? 2 : 1, "dChoice", c, out);
      Out yes = out.branch();
      Out no = out.branch();
      backprop(c.whenTrue(), shared, yes);
      backprop(c.whenFalse(), shared, no);
      out.lines.add(new Code.If(out.x(c.condition()), List.copyOf(yes.lines),
          List.copyOf(no.lines)));
    } else if (e instanceof Expr.MathCall m) {
      List<Expr> partials = Primitives.of(m.name()).partials().of(m.args(), m);
      int uses = 0;
      for (int k = 0; k < m.args().size(); k++) {
        if (partials.get(k) != null && activity.isActive(m.args().get(k))) {
          uses++;
        }
      }
      Expr shared = share(g, uses, "d" + capitalize(m.name()), m, out);
      for (int k = 0; k < m.args().size(); k++) {
        if (partials.get(k) != null && activity.isActive(m.args().get(k))) {
          backprop(m.args().get(k), mul(shared, partials.get(k)), out);
        }
      }
    } else if (e instanceof Expr.Call c) {
      if (c.callee().hasBackward()) {
        throw new IllegalStateException("kernel call was not given a local: " + c);
      }
      call(c, g, out);
    } else {
      throw new IllegalStateException("no adjoint rule for " + e);
    }
  }

  private void binary(Expr.Binary b, Expr g, Out out) {
    boolean l = activity.isActive(b.left());
    boolean r = activity.isActive(b.right());
    int uses = (l ? 1 : 0) + (r ? 1 : 0);
    switch (b.op()) {
      case ADD -> {
        Expr s = share(g, uses, "dSum", b, out);
        backprop(b.left(), s, out);
        backprop(b.right(), s, out);
      }
      case SUB -> {
        Expr s = share(g, uses, "dDifference", b, out);
        backprop(b.left(), s, out);
        backprop(b.right(), neg(s), out);
      }
      case MUL -> {
        if (l && b.left().equals(b.right())) {
          // x * x: one contribution of 2 x instead of two of x.
          backprop(b.left(), mul(mul(Build.lit(2), g), b.left()), out);
          return;
        }
        Expr s = share(g, uses, "dProduct", b, out);
        backprop(b.left(), mul(s, b.right()), out);
        backprop(b.right(), mul(s, b.left()), out);
      }
      case DIV -> {
        Expr s = share(g, uses, "dQuotient", b, out);
        backprop(b.left(), div(s, b.right()), out);
        // d(l/r)/dr = -(l/r)/r
        backprop(b.right(), neg(div(mul(s, b), b.right())), out);
      }
      default -> throw new IllegalStateException("no adjoint rule for " + b.op());
    }
  }

  /**
   * A call of another {@code @Differentiable} method: its generated pullback recomputes it and
   * adds {@code g} times its gradient into the arrays' adjoints; scalar adjoints come back on the
   * tape, last parameter on top.
   */
  private void call(Expr.Call c, Expr g, Out out) {
    var callee = c.callee();
    Expr seed = share(g, 2, "d" + capitalize(callee.name()), c, out);
    // The callee changed these int[]s: first back to them as they were at the call, so that the
    // other arguments (m[idx[0]]) and their adjoints are the ones the call was given. Its
    // pullback works on a copy.
    restoreWrittenArrays(c, out);
    pullback(c, seed, out);
  }

  /**
   * Calls the pullback of {@code c}'s callee with {@code seed} (a number, or a vector method's
   * cotangent): it adds into the array arguments' adjoints, and the scalar arguments' adjoints
   * come back on the tape, last parameter on top, to be backpropagated.
   */
  private void pullback(Expr.Call c, Expr seed, Out out) {
    var callee = c.callee();
    List<Expr> args = new ArrayList<>();
    for (int k = 0; k < c.args().size(); k++) {
      Expr a = c.args().get(k);
      args.add(out.x(a));
      Var root = Walk.root(a);
      if (a.type().isArray() && root != null) {
        out.reads.add(readSets.storage(root));
      }
    }
    args.add(out.x(seed));
    for (int k = 0; k < c.args().size(); k++) {
      if (callee.differentiableParameters().get(k) && callee.parameterTypes().get(k).isArray()) {
        Expr a = c.args().get(k);
        args.add(activity.isActive(a) ? out.x(shadowOf(a, out)) : NULL);
      }
    }
    args.add(out.x(tape));
    // A zero seed (a number) adds nothing: the pullback, which runs the callee again, is skipped
    // and the scalar adjoints are 0. Its terms would be 0 times finite partials, and an infinite
    // or NaN partial times an exactly-zero seed counts 0, as in Gradients.inner.
    boolean guarded = seed.type() == Type.DOUBLE && !(seed instanceof Expr.Literal);
    Out run = guarded ? out.branch() : out;
    run.lines.add(new Code.Run(new Expr.Invoke(callee.gradClassQualifiedName(),
        Names.pullback(callee.name(), callee.differentiableParameters()), args, Type.OTHER)));
    List<Integer> scalars = new ArrayList<>();
    for (int k = 0; k < c.args().size(); k++) {
      if (callee.differentiableParameters().get(k) && !callee.parameterTypes().get(k).isArray()) {
        scalars.add(k);
      }
    }
    List<Expr> popped = new ArrayList<>();
    for (int j = scalars.size() - 1; j >= 0; j--) {
      int k = scalars.get(j);
      Expr.Synthetic t = out.temporary(Names.adjointBase(callee.parameterNames().get(k)));
      if (guarded) {
        out.declare(t, Build.lit(0));
        run.set(t, new Expr.Pop(out.x(tape), Type.DOUBLE));
      } else {
        out.declare(t, new Expr.Pop(out.x(tape), Type.DOUBLE));
      }
      popped.add(0, t);
    }
    if (guarded) {
      out.lines.add(new Code.If(Build.cmp(Expr.BinaryOp.NE, out.x(seed), Build.lit(0)),
          List.copyOf(run.lines), List.of()));
    }
    for (int j = 0; j < scalars.size(); j++) {
      backprop(c.args().get(scalars.get(j)), popped.get(j), out);
    }
  }

  /**
   * A call in {@code value} that may write into an int[] argument and carries no derivative
   * (its pullback is not called): the block still puts the array back as it was before the call,
   * for the backward code of the statements before it.
   */
  private void restoreWrittenArrays(Expr value, Out out) {
    if (value == null) {
      return;
    }
    postOrder(value, e -> {
      if (e instanceof Expr.Call c) {
        restoreWrittenArrays(c, out);
      }
    });
  }

  /**
   * Puts each int[] argument {@code c} may write into back as it was at the call (and before it,
   * for the statements before), from the copy the forward sweep pushed; once per array a block.
   * The copy runs at the top of the block, outside any guard: the call ran whatever its adjoint.
   */
  private void restoreWrittenArrays(Expr.Call c, Out out) {
    for (int k = 0; k < c.args().size(); k++) {
      Expr array = c.args().get(k);
      if (c.callee().writesIntoArguments().get(k) && !out.snapshots.contains(array)) {
        Expr copy = out.snapshot(array);
        Expr zero = new Expr.Literal(Type.INT, 0);
        out.arrayRestores.add(new Code.Run(new Expr.Invoke("java.lang.System", "arraycopy",
            List.of(out.x(copy), zero, out.x(array), zero, new Expr.Length(out.x(copy))),
            Type.OTHER)));
      }
    }
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
