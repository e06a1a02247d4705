package dev.gradgen.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Prints statements of the IR as plain Java, structure for structure: the code of a program
 * that runs in one pass, such as forward mode's tangent program. Locals are declared by the
 * caller (they are hoisted); each return is printed by {@code returns}.
 */
public final class StmtPrinter {
  private final Printer printer;
  private final Function<Stmt.Return, CodeBlock> returns;

  public StmtPrinter(Printer printer, Function<Stmt.Return, CodeBlock> returns) {
    this.printer = printer;
    this.returns = returns;
  }

  public CodeBlock print(List<Stmt> stmts) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (Stmt s : stmts) {
      print(s, b);
    }
    return b.build();
  }

  private void print(Stmt s, CodeBlock.Builder b) {
    s.accept(new Stmt.Visitor<Void>() {
      @Override
      public Void assign(Stmt.Assign a) {
        b.addStatement("$L", assignment(a));
        return null;
      }

      @Override
      public Void step(Stmt.Step st) {
        b.addStatement("$L", StmtPrinter.this.step(st));
        return null;
      }

      @Override
      public Void ifStmt(Stmt.If i) {
        b.beginControlFlow("if ($L)", printer.print(i.condition()));
        b.add(StmtPrinter.this.print(i.then()));
        if (!i.otherwise().isEmpty()) {
          b.nextControlFlow("else");
          b.add(StmtPrinter.this.print(i.otherwise()));
        }
        b.endControlFlow();
        return null;
      }

      @Override
      public Void loop(Stmt.Loop l) {
        StmtPrinter.this.loop(l, b);
        return null;
      }

      @Override
      public Void jump(Stmt.Jump j) {
        String word = j.kind() == Stmt.JumpKind.BREAK ? "break" : "continue";
        if (j.label() != null) {
          b.addStatement("$L $L", word, j.label());
        } else {
          b.addStatement("$L", word);
        }
        return null;
      }

      @Override
      public Void returnStmt(Stmt.Return r) {
        b.add(returns.apply(r));
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
    });
  }

  private void loop(Stmt.Loop l, CodeBlock.Builder b) {
    if (l.kind != Stmt.LoopKind.FOR && !l.update.isEmpty()) {
      throw new IllegalStateException("a " + l.kind + " loop with an update: " + l.update);
    }
    boolean initInHeader = l.kind == Stmt.LoopKind.FOR
        && l.init.stream().allMatch(s -> s instanceof Stmt.Assign);
    if (!initInHeader) {
      b.add(print(l.init));
    }
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
        for (Stmt s : l.update) {
          update.add(s instanceof Stmt.Step st ? step(st) : assignment((Stmt.Assign) s));
        }
        b.beginControlFlow("$Lfor ($L; $L; $L)", label, CodeBlock.join(init, ", "), cond,
            CodeBlock.join(update, ", "));
      }
      case WHILE -> b.beginControlFlow("$Lwhile ($L)", label,
          l.condition == null ? CodeBlock.of("true") : cond);
      case DO -> b.beginControlFlow("$Ldo", label);
    }
    b.add(print(l.body));
    if (l.kind == Stmt.LoopKind.DO) {
      b.endControlFlow("while ($L)", l.condition == null ? CodeBlock.of("true") : cond);
    } else {
      b.endControlFlow();
    }
  }

  /** {@code target = value}, or {@code target op= right} for a compound assignment. */
  public CodeBlock assignment(Stmt.Assign a) {
    CodeBlock target = a.target() instanceof Stmt.VarTarget vt ? CodeBlock.of("$N",
        vt.var().name()) : printer.print(((Stmt.ElementTarget) a.target()).element());
    if (a.compound() != null && a.value() instanceof Expr.Binary bin) {
      return CodeBlock.of("$L $L= $L", target, a.compound().symbol, printer.print(bin.right()));
    }
    return CodeBlock.of("$L = $L", target, printer.print(a.value()));
  }

  private CodeBlock step(Stmt.Step st) {
    if (st.byOne()) {
      return CodeBlock.of("$N$L", st.var().name(), st.increment() ? "++" : "--");
    }
    return CodeBlock.of("$N $L= $L", st.var().name(), st.increment() ? "+" : "-",
        printer.print(st.amount()));
  }
}
