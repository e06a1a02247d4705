package dev.gradgen.processor.diff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.emit.Printer;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Pass 6 of reverse mode, the forward sweep: the method as written, saving on the tape what the
 * save plan says, the side each recorded branch took, the trip counts and start values the loop
 * plan asks for, and the exit each early jump took. It writes code and decides nothing.
 */
final class ForwardSweep {
  private static final ClassName TAPE = ClassName.get("dev.gradgen", "Tape");
  private static final ClassName GRADIENTS = ClassName.get("dev.gradgen", "Gradients");

  private final Activity activity;
  private final Exits exits;
  private final SavePlan saves;
  private final LoopPlan loops;
  private final BackwardSweep backward;
  private final Printer printer;
  private final Map<Var, String> adjoints;
  private final String tapeName;
  private final String valueName;
  private final String forwardLabel;

  ForwardSweep(Activity activity, Exits exits, SavePlan saves, LoopPlan loops,
      BackwardSweep backward, Printer printer, Map<Var, String> adjoints, String tapeName,
      String valueName, String forwardLabel) {
    this.activity = activity;
    this.exits = exits;
    this.saves = saves;
    this.loops = loops;
    this.backward = backward;
    this.printer = printer;
    this.adjoints = adjoints;
    this.tapeName = tapeName;
    this.valueName = valueName;
    this.forwardLabel = forwardLabel;
  }

  /** The forward code of the method's body. */
  CodeBlock method(List<Stmt> body) {
    return forward(body, new ArrayDeque<>());
  }

  private CodeBlock forward(List<Stmt> stmts, Deque<Stmt.Loop> enclosing) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (Stmt s : stmts) {
      forward(s, enclosing, b);
    }
    return b.build();
  }

  private void forward(Stmt s, Deque<Stmt.Loop> enclosing, CodeBlock.Builder b) {
    s.accept(new Stmt.Visitor<Void>() {
      @Override
      public Void assign(Stmt.Assign a) {
        if (saves.isSaved(a)) {
          save(a, b);
        }
        pushSnapshots(a, b);
        b.addStatement("$L", assignment(a));
        if (a.target() instanceof Stmt.VarTarget vt && vt.var().type().isArray()
            && activity.isActive(vt.var())) {
          b.addStatement("$N = $L", adjoints.get(vt.var()),
              shadowInit(new Expr.Local(vt.var()), a.value()));
        } else if (a.target() instanceof Stmt.ElementTarget et && et.type().isArray()
            && activity.isActive(Walk.root(et.element()))) {
          // The row's adjoint is the adjoint of the array it now is.
          b.addStatement("$L = $L", printer.print(SweepCode.shadowExpr(et.element(), adjoints)),
              shadowInit(et.element(), a.value()));
        }
        return null;
      }

      @Override
      public Void step(Stmt.Step st) {
        b.addStatement("$L", SweepCode.step(st, false, printer));
        return null;
      }

      @Override
      public Void print(Stmt.Print p) {
        List<CodeBlock> args = new ArrayList<>();
        for (Expr a : p.args()) {
          args.add(printer.print(a));
        }
        b.addStatement("$T.$L.$L($L)", System.class, p.stream(), p.method(),
            CodeBlock.join(args, ", "));
        return null;
      }

      @Override
      public Void returnStmt(Stmt.Return r) {
        pushSnapshots(r, b);
        if (r.value().type().isArray() && !(r.value() instanceof Expr.ArrayLiteral)) {
          // A copy: the backward sweep puts the arrays back as they were before.
          b.addStatement("$N = ($L).clone()", valueName, forwardValue(r, r.value()));
        } else {
          b.addStatement("$N = $L", valueName, forwardValue(r, r.value()));
        }
        if (!exits.isTail(r)) {
          int id = exits.id(r);
          for (Stmt.Loop l : enclosing) {
            LoopPlan.Entry plan = loops.of(l);
            if (plan.reversed()) {
              b.addStatement("$N.pushInt($L)", tapeName, id);
              b.addStatement("$N.pushInt($N)", tapeName, plan.counted());
            }
          }
          b.addStatement("$N.pushInt($L)", tapeName, id);
          b.addStatement("break $N", forwardLabel);
        }
        return null;
      }

      @Override
      public Void jump(Stmt.Jump j) {
        int id = exits.id(j);
        for (Stmt.Loop l : exits.exitedLoops(j)) {
          LoopPlan.Entry plan = loops.of(l);
          if (!plan.reversed()) {
            continue;
          }
          if (l == j.target() && j.kind() == Stmt.JumpKind.CONTINUE && plan.updateInBody()) {
            forwardUpdate(l, enclosing, b);
          }
          b.addStatement("$N.pushInt($L)", tapeName, id);
          if (l != j.target()) {
            b.addStatement("$N.pushInt($N)", tapeName, plan.counted());
          }
        }
        String word = j.kind() == Stmt.JumpKind.BREAK ? "break" : "continue";
        if (j.label() != null) {
          b.addStatement("$L $L", word, j.label());
        } else {
          b.addStatement("$L", word);
        }
        return null;
      }

      @Override
      public Void ifStmt(Stmt.If i) {
        boolean record = loops.recordsBranch(i);
        b.beginControlFlow("if ($L)", printer.print(i.condition()));
        b.add(forward(i.then(), enclosing));
        if (record && exits.canComplete(i.then())) {
          b.addStatement("$N.pushBoolean(true)", tapeName);
        }
        if (!i.otherwise().isEmpty() || record) {
          b.nextControlFlow("else");
          b.add(forward(i.otherwise(), enclosing));
          if (record && exits.canComplete(i.otherwise())) {
            b.addStatement("$N.pushBoolean(false)", tapeName);
          }
        }
        b.endControlFlow();
        return null;
      }

      @Override
      public Void loop(Stmt.Loop l) {
        forwardLoop(l, enclosing, b);
        return null;
      }
    });
  }

  private void forwardLoop(Stmt.Loop l, Deque<Stmt.Loop> enclosing, CodeBlock.Builder b) {
    LoopPlan.Entry plan = loops.of(l);
    if (!saves.blockSaved(l).isEmpty()) {
      b.add("// what the loop overwrites, saved as a block\n");
    }
    for (Stmt.Assign a : saves.blockSaved(l)) {
      b.addStatement("$N.pushDoubles($L)", tapeName, blockRange(a, saves.bounds(l), printer));
    }
    // Bound-driven loops need no trip count: the backward sweep recomputes their range.
    String counted = plan.counted();
    boolean driven = plan.strategy() instanceof LoopPlan.IndexDriven;
    boolean initInHeader = !driven && l.kind == Stmt.LoopKind.FOR && l.init.stream().allMatch(s ->
        s instanceof Stmt.Assign a && !saves.isSaved(a) && !(a.target().type().isArray()
            && a.target() instanceof Stmt.VarTarget vt && activity.isActive(vt.var())));
    if (!initInHeader) {
      for (Stmt s : l.init) {
        forward(s, enclosing, b);
      }
    }
    if (plan.strategy() instanceof LoopPlan.IndexDriven d) {
      b.addStatement("int $N = $N", d.start(), d.counter().var().name());
    } else if (counted != null) {
      b.addStatement("int $N = 0", counted);
    }
    Map<Var, Expr> seeds = plan.strategy() instanceof LoopPlan.PerIteration p ? p.seeds() : null;
    if (seeds != null) {
      b.add("// The result is linear in $L: $L adjoint is known now, so each iteration's backward\n"
          + "// code runs right after the iteration, while what it needs is still in cache.\n",
          String.join(", ", seeds.keySet().stream().map(Var::name).toList()),
          seeds.size() == 1 ? "its" : "their");
      seeds.forEach((acc, seed) -> b.addStatement("$N = $L", adjoints.get(acc),
          printer.print(seed)));
    }
    boolean updateInHeader = !plan.updateInBody();
    String label = l.label == null ? "" : l.label + ": ";
    CodeBlock cond = l.condition == null ? CodeBlock.of("") : printer.print(l.condition);
    switch (l.kind) {
      case FOR -> {
        List<CodeBlock> init = new ArrayList<>();
        if (initInHeader) {
          for (Stmt s : l.init) {
            init.add(assignment((Stmt.Assign) s));
          }
        }
        List<CodeBlock> update = new ArrayList<>();
        if (updateInHeader) {
          for (Stmt s : l.update) {
            update.add(s instanceof Stmt.Step st ? SweepCode.step(st, false, printer)
                : assignment((Stmt.Assign) s));
          }
        }
        b.beginControlFlow("$Lfor ($L; $L; $L)", label, CodeBlock.join(init, ", "), cond,
            CodeBlock.join(update, ", "));
      }
      case WHILE -> b.beginControlFlow("$Lwhile ($L)", label, l.condition == null
          ? CodeBlock.of("true") : cond);
      case DO -> b.beginControlFlow("$Ldo", label);
    }
    if (counted != null && !driven) {
      b.addStatement("$N++", counted);
    }
    enclosing.push(l);
    boolean[] declares = {false};
    if (seeds != null) {
      // Trip counts and start values the body's loops declare would clash with the backward
      // code's own: keep them in a block of their own.
      Walk.walk(l.body, st -> declares[0] |= st instanceof Stmt.Loop inner
          && loops.of(inner).counted() != null);
    }
    if (declares[0]) {
      b.add("{\n$>").add(forward(l.body, enclosing)).add("$<}\n");
    } else {
      b.add(forward(l.body, enclosing));
    }
    enclosing.pop();
    if (seeds != null) {
      b.add("// Backward code of this iteration, last statement first.\n");
      b.add(backward.iteration(l));
    }
    if (exits.canComplete(l.body)) {
      if (!updateInHeader) {
        forwardUpdate(l, enclosing, b);
      }
      if (plan.reversed() && exits.loopCoded(l)) {
        b.addStatement("$N.pushInt($T.COMPLETED)", tapeName, TAPE);
      }
    }
    if (l.kind == Stmt.LoopKind.DO) {
      b.endControlFlow("while ($L)", cond);
    } else {
      b.endControlFlow();
    }
    if (counted != null && Exits.loopCanComplete(l)) {
      b.addStatement("$N.pushInt($N)", tapeName, counted);
    }
  }

  /**
   * {@code a, from, to}: the array {@code a[i] = ...} writes and the range of {@code i} its loop
   * covers, for {@code Tape.pushDoubles} and {@code popDoubles}.
   */
  static CodeBlock blockRange(Stmt.Assign write, LoopShape.Bounds bounds, Printer printer) {
    Expr.Index element = ((Stmt.ElementTarget) write.target()).element();
    CodeBlock to = printer.print(bounds.to());
    if (bounds.inclusive()) {
      to = CodeBlock.of("$L + 1", to);
    }
    return CodeBlock.of("$L, $L, $L", printer.print(element.array()), printer.print(bounds.from()),
        to);
  }

  private void forwardUpdate(Stmt.Loop l, Deque<Stmt.Loop> enclosing, CodeBlock.Builder b) {
    for (Stmt u : l.update) {
      forward(u, enclosing, b);
    }
  }

  private CodeBlock assignment(Stmt.Assign a) {
    CodeBlock target = a.target() instanceof Stmt.VarTarget vt ? CodeBlock.of("$N",
        vt.var().name()) : printer.print(((Stmt.ElementTarget) a.target()).element());
    if (a.compound() != null && a.value() instanceof Expr.Binary bin) {
      return CodeBlock.of("$L $L= $L", target, a.compound().symbol, forwardValue(a, bin.right()));
    }
    return CodeBlock.of("$L = $L", target, forwardValue(a, a.value()));
  }

  /** {@code e}, part of statement {@code s}, as forward code keeping what its block pops. */
  private CodeBlock forwardValue(Stmt s, Expr e) {
    AdjointBlocks.Block block = loops.block(s);
    return block == null || block.kept().isEmpty() ? printer.print(e)
        : printer.printKeeping(e, block.kept(), tapeName);
  }

  /**
   * Copies of the {@code int[]} arguments that the callees of {@code s} may write into, for their
   * pullbacks in the backward sweep (see {@link AdjointBlocks.Block#snapshots()}).
   */
  private void pushSnapshots(Stmt s, CodeBlock.Builder b) {
    AdjointBlocks.Block block = loops.block(s);
    if (block == null || block.isEmpty()) {
      return;
    }
    for (Expr array : block.snapshots()) {
      b.addStatement("$N.pushRef($L.clone())", tapeName, printer.print(array));
    }
  }

  /**
   * The adjoint of the array {@code value} just stored in {@code target}: the adjoint of the
   * array it is ({@code db} for {@code b}, {@code dm[i]} for {@code m[i]}), so that adjoints share
   * storage exactly as the arrays do; for a new matrix of existing rows a new matrix of their
   * adjoints; otherwise new zeros.
   */
  private CodeBlock shadowInit(Expr target, Expr value) {
    if (value instanceof Expr.Local || value instanceof Expr.Index) {
      Var root = Walk.root(value);
      Expr shadow = root != null && activity.isActive(root)
          ? SweepCode.shadowExpr(value, adjoints) : null;
      if (shadow != null) {
        return printer.print(shadow);
      }
    }
    if (value instanceof Expr.ArrayLiteral lit && lit.type().rank() > 1
        && !Walk.sharedBy(lit).isEmpty()) {
      return literalShadow(lit);
    }
    return CodeBlock.of("$T.zerosLike($L)", GRADIENTS, printer.print(target));
  }

  /** {@code new double[][] {dx, new double[2]}} for {@code new double[][] {x, {a, b}}}. */
  private CodeBlock literalShadow(Expr.ArrayLiteral lit) {
    List<CodeBlock> rows = new ArrayList<>();
    for (Expr e : lit.elements()) {
      if (e instanceof Expr.ArrayLiteral inner) {
        rows.add(inner.type().rank() > 1 ? literalShadow(inner)
            : CodeBlock.of("new double[$L]", inner.elements().size()));
      } else {
        rows.add(shadowInit(e, e));
      }
    }
    return CodeBlock.of("new $L {$L}", lit.type().java(), CodeBlock.join(rows, ", "));
  }

  private void save(Stmt.Assign a, CodeBlock.Builder b) {
    if (a.target() instanceof Stmt.VarTarget vt) {
      Var v = vt.var();
      switch (v.type()) {
        case DOUBLE -> b.addStatement("$N.pushDouble($N)", tapeName, v.name());
        case INT -> b.addStatement("$N.pushInt($N)", tapeName, v.name());
        case LONG -> b.addStatement("$N.pushLong($N)", tapeName, v.name());
        case BOOLEAN -> b.addStatement("$N.pushBoolean($N)", tapeName, v.name());
        default -> {
          b.addStatement("$N.pushRef($N)", tapeName, v.name());
          if (activity.isActive(v)) {
            b.addStatement("$N.pushRef($N)", tapeName, adjoints.get(v));
          }
        }
      }
    } else {
      Expr.Index e = ((Stmt.ElementTarget) a.target()).element();
      if (e.type().isArray()) {
        // A row: the reference it held, and the adjoint row that went with it.
        b.addStatement("$N.pushRef($L)", tapeName, printer.print(e));
        if (activity.isActive(Walk.root(e))) {
          b.addStatement("$N.pushRef($L)", tapeName,
              printer.print(SweepCode.shadowExpr(e, adjoints)));
        }
        return;
      }
      b.addStatement("$N.$L($L)", tapeName, e.type() == Type.INT ? "pushInt" : "pushDouble",
          printer.print(e));
    }
  }
}
