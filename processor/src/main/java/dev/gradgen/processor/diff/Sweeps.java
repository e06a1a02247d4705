package dev.gradgen.processor.diff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.emit.Printer;
import dev.gradgen.processor.emit.PullbackBody;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse mode for a whole method, as a pipeline of passes, each with one job and a result that
 * later passes only read:
 *
 * <ol>
 *   <li>adjoint blocks: the chain rule for each assignment and return ({@link AdjointBlocks});
 *   <li>exit numbering: ids for early exits and the loops they leave ({@link Exits});
 *   <li>the save plan: what the forward sweep saves, which loops are driven by their bounds, and
 *       which reductions are reversed per iteration ({@link SavePlan});
 *   <li>the loop plan: how each loop runs back, which branches record their side, which sums
 *       leave a loop ({@link LoopPlan});
 *   <li>the backward sweep ({@link BackwardSweep}) and the forward sweep ({@link ForwardSweep}),
 *       which write the code the plans describe.
 * </ol>
 *
 * <p>This class runs them in that order and writes what surrounds the two sweeps: the adjoint
 * declarations, the copies of arrays the method writes into, and the hand-back of the scalar
 * adjoints.
 */
public final class Sweeps {
  private final DiffMethod method;
  private final Activity activity;
  private final Printer printer;
  private final boolean explain;
  private final Names names;
  private final ClassName tapeClass = ClassName.get("dev.gradgen", "Tape");
  private final ClassName gradients = ClassName.get("dev.gradgen", "Gradients");

  private final Map<Var, String> adjoints = new LinkedHashMap<>();
  private final String valueName;
  private final String dValueName;
  private final String tapeName;
  private final String forwardLabel;
  private final String exitName;

  /**
   * Reverse mode for {@code method}, printed with {@code printer}; with {@code explain}, every
   * sub-expression's adjoint gets a named temporary commented with the sub-expression.
   */
  public Sweeps(DiffMethod method, Activity activity, Printer printer, boolean explain) {
    this.method = method;
    this.activity = activity;
    this.printer = printer;
    this.explain = explain;
    Set<String> taken = new HashSet<>(method.identifiersInSource());
    method.parameters().forEach(p -> taken.add(p.name()));
    method.locals().forEach(l -> taken.add(l.name()));
    this.names = new Names(taken);
    valueName = names.fresh("value");
    dValueName = names.fresh("dValue");
    tapeName = names.fresh("tape");
    forwardLabel = names.fresh("forward");
    exitName = names.fresh("exit");
    for (Var p : method.parameters()) {
      if (activity.isActive(p)) {
        adjoints.put(p, names.fresh(Names.adjointBase(p.name())));
      }
    }
    for (Var l : method.locals()) {
      if (activity.isActive(l)) {
        adjoints.put(l, names.fresh(Names.adjointBase(l.name())));
      }
    }
  }

  public PullbackBody generate() {
    Expr tape = new Expr.Synthetic(tapeName, Type.OTHER);
    AdjointBlocks generator = new AdjointBlocks(activity, names, adjoints,
        new Expr.Synthetic(dValueName, method.returnType()), tape, explain);
    Map<Stmt, AdjointBlocks.Block> blocks = new IdentityHashMap<>();
    prepare(method.body(), new ArrayDeque<>(), generator, blocks);
    Exits exits = Exits.of(method.body());
    SavePlan saves = SavePlan.of(method, activity, blocks, generator,
        new Expr.Synthetic(dValueName, method.returnType()));
    LoopPlan loops = LoopPlan.of(method, activity, exits, saves, names, adjoints, tape);
    BackwardSweep backwardSweep = new BackwardSweep(exits, saves, loops, printer, adjoints,
        tapeName, exitName);
    CodeBlock backward = backwardSweep.method(method.body());
    CodeBlock forward = new ForwardSweep(activity, exits, saves, loops, backwardSweep, printer,
        adjoints, tapeName, valueName, forwardLabel).method(method.body());
    boolean codedReturns = exits.hasCodedReturns();

    CodeBlock.Builder b = CodeBlock.builder();
    Map<Var, String> arrayParams = new LinkedHashMap<>();
    // The pullback's interface carries adjoints of the differentiable parameters only. A
    // @NoGrad parameter can still be active inside (assigned a value that depends on a
    // differentiable one, or sharing storage with one): its adjoint is a local.
    for (Var p : method.parameters()) {
      if (activity.isActive(p) && p.type().isArray() && p.isDifferentiableParameter()) {
        arrayParams.put(p, adjoints.get(p));
        b.beginControlFlow("if ($N == null)", adjoints.get(p))
            .addStatement("$N = $T.zerosLike($N)", adjoints.get(p), gradients, p.name())
            .endControlFlow();
      } else if (activity.isActive(p) && p.type().isArray()) {
        b.addStatement("$L $N = $T.zerosLike($N)", p.type().java(), adjoints.get(p), gradients,
            p.name());
      }
    }
    b.add("\n// Forward sweep: the method as written, saving what the backward sweep needs.\n");
    Map<Var, String> callersAdjoints = new LinkedHashMap<>();
    List<Var> written = WrittenParameters.of(method);
    if (!written.isEmpty()) {
      List<Var> arrays = method.parameters().stream().filter(p -> p.type().isArray()).toList();
      b.add("// This code writes into copies of the arrays the method writes into: they must not\n"
          + "// share storage.\n");
      b.addStatement("$T.requireUnshared($S,$Wnew String[] {$L},$Wnew Object[] {$L},"
          + "$Wnew boolean[] {$L})", gradients, method.name(),
          CodeBlock.join(arrays.stream().map(p -> CodeBlock.of("$S", p.name())).toList(), ", "),
          CodeBlock.join(arrays.stream().map(p -> CodeBlock.of("$N", p.name())).toList(), ", "),
          CodeBlock.join(arrays.stream().map(p -> CodeBlock.of("$L", written.contains(p)))
              .toList(), ", "));
    }
    for (Var p : written) {
      b.add("// The method writes into $N: work on a copy, the caller's array stays as it was.\n",
          p.name());
      if (p.type() == Type.MATRIX || p.type() == Type.TENSOR) {
        b.addStatement("$N = $T.copyOf($N)", p.name(), gradients, p.name());
      } else {
        b.addStatement("$N = $N.clone()", p.name(), p.name());
      }
      if (arrayParams.containsKey(p)) {
        // Its adjoint starts at zero here: the backward sweep clears an element's adjoint where
        // the element is overwritten, which must not clear what the caller accumulated.
        String given = names.fresh(adjoints.get(p) + "Caller");
        callersAdjoints.put(p, given);
        b.addStatement("$L $N = $N", p.type().java(), given, adjoints.get(p));
        b.addStatement("$N = $T.zerosLike($N)", adjoints.get(p), gradients, p.name());
      }
    }
    for (Var l : method.locals()) {
      b.addStatement("$L $N = $L", l.type().java(), l.name(), l.type().zero());
    }
    for (Var l : method.locals()) {
      if (activity.isActive(l) && l.type().isArray()) {
        b.addStatement("$L $N = null", l.type().java(), adjoints.get(l));
      }
    }
    CodeBlock.Builder scalarAdjoints = CodeBlock.builder();
    for (Var v : adjoints.keySet()) {
      if (v.type() == Type.DOUBLE) {
        scalarAdjoints.addStatement("double $N = 0.0", adjoints.get(v));
      }
    }
    if (saves.anyPerIteration()) {
      // Reduction loops run their iterations' backward sweeps inside the forward sweep.
      b.add(scalarAdjoints.build());
    }
    b.addStatement("$L $N = $L", method.returnType().java(), valueName,
        method.returnType().zero());
    if (codedReturns) {
      b.add("$N: {\n$>", forwardLabel);
    } else {
      b.add("{\n$>");
    }
    b.add(forward);
    if (codedReturns && exits.canComplete(method.body())) {
      b.addStatement("$N.pushInt($T.COMPLETED)", tapeName, tapeClass);
    }
    b.add("$<}\n");
    b.add("\n// Backward sweep: the adjoint of each statement, last statement first.\n");
    if (!saves.anyPerIteration()) {
      b.add(scalarAdjoints.build());
    }
    if (codedReturns) {
      b.addStatement("int $N = $N.popInt()", exitName, tapeName);
    }
    b.add(backward);
    if (!callersAdjoints.isEmpty()) {
      b.add("\n// The adjoints of the values the caller passed, added into the caller's arrays.\n");
      callersAdjoints.forEach((p, given) -> b.addStatement("$T.addInto($N, $N)", gradients, given,
          adjoints.get(p)));
    }
    List<Var> scalarParams = method.parameters().stream()
        .filter(p -> p.isDifferentiableParameter() && p.type() == Type.DOUBLE).toList();
    if (!scalarParams.isEmpty()) {
      b.add("\n// Hand the scalar parameters' adjoints to the caller on the tape.\n");
      for (Var p : scalarParams) {
        b.addStatement("$N.pushDouble($N)", tapeName, adjoints.get(p));
      }
    }
    b.addStatement("return $N", valueName);
    return new PullbackBody(b.build(), arrayParams, dValueName, tapeName, method.returnType());
  }

  // ------------------------------------------------------------ preparation

  /** Pass 1: every assignment's and return's adjoint block, into {@code blocks}. */
  private static void prepare(List<Stmt> stmts, Deque<Stmt.Loop> loops,
      AdjointBlocks adjointBlocks, Map<Stmt, AdjointBlocks.Block> blocks) {
    for (Stmt s : stmts) {
      s.accept(new Stmt.Visitor<Void>() {
        @Override
        public Void assign(Stmt.Assign a) {
          boolean once = a.target() instanceof Stmt.VarTarget vt && loops.isEmpty()
              && vt.var().declarations == 1 && !vt.var().reassigned && !vt.var().isParameter();
          blocks.put(a, adjointBlocks.of(a, !once, !loops.isEmpty()));
          return null;
        }

        @Override
        public Void returnStmt(Stmt.Return r) {
          blocks.put(r, adjointBlocks.of(r, false, !loops.isEmpty()));
          return null;
        }

        @Override
        public Void ifStmt(Stmt.If i) {
          prepare(i.then(), loops, adjointBlocks, blocks);
          prepare(i.otherwise(), loops, adjointBlocks, blocks);
          return null;
        }

        @Override
        public Void loop(Stmt.Loop l) {
          prepare(l.init, loops, adjointBlocks, blocks);
          loops.push(l);
          prepare(l.body, loops, adjointBlocks, blocks);
          prepare(l.update, loops, adjointBlocks, blocks);
          loops.pop();
          return null;
        }

        @Override
        public Void step(Stmt.Step st) {
          return null; // undone in place: no adjoint code
        }

        @Override
        public Void jump(Stmt.Jump j) {
          return null;
        }

        @Override
        public Void print(Stmt.Print p) {
          return null;
        }
      });
    }
  }
}
