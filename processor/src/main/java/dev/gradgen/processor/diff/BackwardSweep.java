package dev.gradgen.processor.diff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.diff.LoopShape.Bounds;
import dev.gradgen.processor.emit.CodePrinter;
import dev.gradgen.processor.emit.Printer;
import dev.gradgen.processor.ir.Code;
import dev.gradgen.processor.ir.Build;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Src;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pass 5 of reverse mode, the backward sweep: each statement's adjoint block, last statement
 * first, after restoring the values it overwrote; loops run back as their plan says, and a
 * statement after an early exit runs only if that exit was not taken. It writes code and decides
 * nothing: every decision is in the plans it reads.
 */
final class BackwardSweep {
  private final Exits exits;
  private final SavePlan saves;
  private final LoopPlan loops;
  private final Printer printer;
  private final CodePrinter codePrinter;
  private final Map<Var, String> adjoints;
  private final String tapeName;
  /** The local holding the exit the method took, if it has early returns. */
  private final String exitName;

  BackwardSweep(Exits exits, SavePlan saves, LoopPlan loops, Printer printer,
      Map<Var, String> adjoints, String tapeName, String exitName) {
    this.exits = exits;
    this.saves = saves;
    this.loops = loops;
    this.printer = printer;
    this.codePrinter = new CodePrinter(printer);
    this.adjoints = adjoints;
    this.tapeName = tapeName;
    this.exitName = exitName;
  }

  /** The backward code of the method's body. */
  CodeBlock method(List<Stmt> body) {
    return reverse(body, Exits.METHOD);
  }

  /**
   * The backward code of one iteration of reduction loop {@code l}, run inside the forward
   * sweep.
   */
  CodeBlock iteration(Stmt.Loop l) {
    return reverse(l.body, l);
  }

  private String exitVariable(Object level) {
    if (level == Exits.METHOD) {
      return exits.hasCodedReturns() ? exitName : null;
    }
    return loops.of((Stmt.Loop) level).exit();
  }

  private CodeBlock reverse(List<Stmt> stmts, Object level) {
    String exit = exitVariable(level);
    List<CodeBlock> parts = new ArrayList<>();
    int[] prefixMax = new int[stmts.size() + 1];
    for (int j = 0; j < stmts.size(); j++) {
      prefixMax[j + 1] = Math.max(prefixMax[j], exit == null ? 0
          : exits.maxCode(stmts.get(j), level));
    }
    for (int j = stmts.size() - 1; j >= 0; j--) {
      Stmt s = stmts.get(j);
      CodeBlock code = reverse(s, level);
      if (code.isEmpty()) {
        continue;
      }
      if (exit != null && prefixMax[j] > 0) {
        code = CodeBlock.builder()
            .add("// ran only if no earlier statement left " + (level == Exits.METHOD
                ? "the method" : "this iteration") + "\n")
            .beginControlFlow("if ($N > $L)", exit, prefixMax[j]).add(code).endControlFlow()
            .build();
      }
      parts.add(code);
    }
    return CodeBlock.join(parts, "");
  }

  private CodeBlock reverse(Stmt s, Object level) {
    return s.accept(new Stmt.Visitor<>() {
      @Override
      public CodeBlock assign(Stmt.Assign a) {
        return adjointBlock(a);
      }

      @Override
      public CodeBlock returnStmt(Stmt.Return r) {
        return adjointBlock(r);
      }

      @Override
      public CodeBlock print(Stmt.Print p) {
        return CodeBlock.of(""); // printed once, forward
      }

      @Override
      public CodeBlock jump(Stmt.Jump j) {
        return CodeBlock.of(""); // the exit it took is replayed by its loop and branches
      }

      @Override
      public CodeBlock step(Stmt.Step st) {
        if (!saves.isSaved(st)) {
          return CodeBlock.of("");
        }
        return commented(st.src(), CodeBlock.builder()
            .addStatement("$L", SweepCode.step(st, true, printer)).build());
      }

      @Override
      public CodeBlock ifStmt(Stmt.If i) {
        return reverseIf(i, level);
      }

      @Override
      public CodeBlock loop(Stmt.Loop l) {
        return reverseLoop(l, level);
      }
    });
  }

  private CodeBlock reverseIf(Stmt.If i, Object level) {
    if (!loops.recordsBranch(i)) {
      return CodeBlock.of("");
    }
    CodeBlock then = reverse(i.then(), level);
    CodeBlock otherwise = reverse(i.otherwise(), level);
    String exit = exitVariable(level);
    List<Integer> thenCodes = exit == null ? List.of() : exits.codesIn(i.then(), level);
    List<Integer> elseCodes = exit == null ? List.of() : exits.codesIn(i.otherwise(), level);
    CodeBlock.Builder b = CodeBlock.builder();
    // A side that completed pushed which side it was; a side left early did not, and the exit
    // taken tells the side. Each side's backward code is emitted once, so that generated code
    // stays linear in the source however deeply such branches nest.
    CodeBlock taken = CodeBlock.of("$N.popBoolean()", tapeName);
    if (!elseCodes.isEmpty()) {
      taken = CodeBlock.of("!($L) && $L", anyOf(exit, elseCodes), taken);
    }
    if (!thenCodes.isEmpty()) {
      taken = CodeBlock.of("$L || $L", anyOf(exit, thenCodes), taken);
    }
    b.beginControlFlow("if ($L)", taken);
    b.add(then);
    if (!otherwise.isEmpty()) {
      b.nextControlFlow("else");
      b.add(otherwise);
    }
    b.endControlFlow();
    return commented(i.src(), b.build());
  }

  /**
   * An assignment's or return's backward code, as the loop plan has it, in braces if it declares
   * temporaries.
   */
  private CodeBlock adjointBlock(Stmt s) {
    List<Code> code = loops.code(s);
    if (code.isEmpty()) {
      return CodeBlock.of("");
    }
    CodeBlock printed = codePrinter.print(code);
    if (code.stream().anyMatch(c -> c instanceof Code.Declare)) {
      printed = CodeBlock.builder().add("{\n$>").add(printed).add("$<}\n").build();
    }
    return commented(s.src(), printed);
  }

  private CodeBlock reverseLoop(Stmt.Loop l, Object level) {
    Map<Expr, Expr> sums = loops.of(l).sums();
    CodeBlock loop = reverseLoopAlone(l, level);
    List<Stmt.Assign> blocks = saves.blockSaved(l);
    if (!blocks.isEmpty()) {
      // The elements the loop overwrote, put back as the blocks the forward sweep saved.
      CodeBlock.Builder b = CodeBlock.builder().add(loop)
          .add("// what the loop overwrote, as it was before the loop\n");
      for (int k = blocks.size() - 1; k >= 0; k--) {
        b.addStatement("$N.popDoubles($L)", tapeName,
            ForwardSweep.blockRange(blocks.get(k), saves.bounds(l), printer));
      }
      loop = b.build();
    }
    if (sums.isEmpty()) {
      return loop;
    }
    CodeBlock.Builder b = CodeBlock.builder();
    b.add("// $L: the same element$L in every iteration, summed in a local and added once\n",
        CodeBlock.join(sums.keySet().stream().map(printer::print).toList(), ", "),
        sums.size() == 1 ? "" : "s");
    sums.forEach((loc, sum) -> b.addStatement("double $L = 0.0", printer.print(sum)));
    b.add(loop);
    sums.forEach((loc, sum) -> b.addStatement("$L += $L", printer.print(loc),
        printer.print(sum)));
    return b.build();
  }

  private CodeBlock reverseLoopAlone(Stmt.Loop l, Object level) {
    LoopPlan.Entry plan = loops.of(l);
    if (!plan.reversed()) {
      // Per iteration, each iteration's backward code runs inside the forward sweep.
      return reverse(l.init, level);
    }
    CodeBlock body = reverse(l.body, l);
    CodeBlock update = reverse(l.update, l);
    CodeBlock init = reverse(l.init, level);
    if (body.isEmpty() && update.isEmpty()) {
      throw new IllegalStateException("the loop plan runs back a loop without backward code");
    }
    CodeBlock.Builder b = CodeBlock.builder();
    if (plan.strategy() instanceof LoopPlan.BoundDriven driven) {
      // The counter runs back over the range the bounds give; the forward sweep recorded nothing.
      Bounds bounds = driven.bounds();
      String v = bounds.counter().name();
      CodeBlock from = printer.print(bounds.from());
      if (driven.from() != null) {
        b.addStatement("int $N = $L", driven.from(), from);
        from = CodeBlock.of("$N", driven.from());
      }
      CodeBlock to = printer.print(bounds.to());
      if (bounds.inclusive()) {
        to = CodeBlock.of("$L $L 1", to, bounds.up() ? "+" : "-");
      }
      if (bounds.up() && !bounds.inclusive() && Build.isLit(bounds.from(), 0)
          && bounds.to() instanceof Expr.Length) {
        // An array's length is never negative: the range ends at the length.
        b.beginControlFlow("for ($N = $L; $N > $L; )", v, to, v, from);
      } else {
        b.beginControlFlow("for ($N = $T.$L($L, $L); $N $L $L; )", v,
            ClassName.get("java.lang", "Math"), bounds.up() ? "max" : "min", from, to, v,
            bounds.up() ? ">" : "<", from);
      }
      b.addStatement("$N$L", v, bounds.up() ? "--" : "++");
      if (plan.exit() != null) {
        b.addStatement("int $N = $N.popInt()", plan.exit(), tapeName);
      }
      List<Stmt.Assign> again = saves.recomputed(l);
      if (!again.isEmpty()) {
        b.add("// recomputed, which is cheaper than saving: $L\n", again.size() == 1
            ? "the value this iteration had" : "the values this iteration had");
        List<Code> sets = new ArrayList<>();
        for (Stmt.Assign a : again) {
          sets.add(new Code.Set(new Expr.Local(((Stmt.VarTarget) a.target()).var()),
              a.value()));
        }
        b.add(codePrinter.print(sets));
      }
      b.add(body);
      b.endControlFlow();
      b.add(init);
      return commented(l.src(), b.build());
    }
    if (plan.strategy() instanceof LoopPlan.IndexDriven driven) {
      // The counter itself drives the loop, which the JIT optimises far better than a second
      // induction variable: every iteration ran the update, so the counter runs back to the
      // value it started from, which the forward sweep recorded instead of a trip count.
      b.beginControlFlow("for (int $N = $N.popInt(); $N $L $N; )", driven.stop(), tapeName,
          driven.counter().var().name(), driven.counter().increment() ? ">" : "<",
          driven.stop());
    } else {
      String count = ((LoopPlan.TripCounted) plan.strategy()).count();
      b.beginControlFlow("for (int $N = $N.popInt(); $N > 0; $N--)", count, tapeName, count,
          count);
    }
    if (plan.exit() != null) {
      b.addStatement("int $N = $N.popInt()", plan.exit(), tapeName);
    }
    if (!update.isEmpty()) {
      if (plan.stops().isEmpty()) {
        b.add(update);
      } else {
        b.add("// the update ran unless the iteration left the loop\n");
        b.beginControlFlow("if (!($L))", anyOf(plan.exit(), plan.stops())).add(update)
            .endControlFlow();
      }
    }
    b.add(body);
    b.endControlFlow();
    b.add(init);
    return commented(l.src(), b.build());
  }

  static CodeBlock anyOf(String variable, List<Integer> codes) {
    List<CodeBlock> tests = new ArrayList<>();
    for (int c : codes) {
      tests.add(CodeBlock.of("$N == $L", variable, c));
    }
    return CodeBlock.join(tests, " || ");
  }

  private static CodeBlock commented(Src src, CodeBlock code) {
    if (code.isEmpty()) {
      return code;
    }
    return CodeBlock.builder().add("// $L\n", comment(src)).add(code).build();
  }

  static String comment(Src src) {
    // Backslashes are doubled so that no unicode escape in user text is decoded in the comment.
    String text = src.text().replace("\\", "\\\\");
    return src.line() > 0 ? "line " + src.line() + ": " + text : text;
  }
}
