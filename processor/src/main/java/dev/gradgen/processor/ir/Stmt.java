package dev.gradgen.processor.ir;

import java.util.List;

/**
 * Statements of the supported subset after reading: declarations are assignments (locals are
 * hoisted), compound assignments are expanded, enhanced for loops are counted loops.
 */
public sealed interface Stmt {
  Src src();

  <R> R accept(Visitor<R> v);

  /**
   * One method per kind of statement: a pass that dispatches with it fails to compile when a new
   * kind is added, instead of silently skipping it.
   */
  interface Visitor<R> {
    R assign(Assign s);

    R step(Step s);

    R ifStmt(If s);

    R loop(Loop s);

    R jump(Jump s);

    R returnStmt(Return s);

    R print(Print s);
  }

  /** A visitor whose every method gives {@code otherwise(s)} unless overridden. */
  abstract class Default<R> implements Visitor<R> {
    protected abstract R otherwise(Stmt s);

    @Override
    public R assign(Assign s) {
      return otherwise(s);
    }

    @Override
    public R step(Step s) {
      return otherwise(s);
    }

    @Override
    public R ifStmt(If s) {
      return otherwise(s);
    }

    @Override
    public R loop(Loop s) {
      return otherwise(s);
    }

    @Override
    public R jump(Jump s) {
      return otherwise(s);
    }

    @Override
    public R returnStmt(Return s) {
      return otherwise(s);
    }

    @Override
    public R print(Print s) {
      return otherwise(s);
    }
  }

  /** Something that can be assigned: a variable or an array element. */
  sealed interface Target permits VarTarget, ElementTarget {
    Type type();
  }

  record VarTarget(Var var) implements Target {
    @Override
    public Type type() {
      return var.type();
    }
  }

  record ElementTarget(Expr.Index element) implements Target {
    @Override
    public Type type() {
      return element.type();
    }
  }

  /**
   * {@code target = value}. {@code declaration} marks a local's declaration; {@code compound} is the
   * operator of a compound assignment ({@code +=} keeps reading nicely in the forward sweep), or
   * null.
   */
  record Assign(Target target, Expr value, boolean declaration, Expr.BinaryOp compound, Src src)
      implements Stmt {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.assign(this);
    }
  }

  /**
   * {@code v++}, {@code v--}, {@code v += k} or {@code v -= k} on an int or long, where {@code k}
   * is a literal: exactly invertible, so the backward sweep undoes it instead of saving {@code v}.
   */
  record Step(Var var, boolean increment, Expr.Literal amount, Src src) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.step(this);
    }

    public boolean byOne() {
      return amount.value() instanceof Number n && n.longValue() == 1;
    }
  }

  record If(Expr condition, List<Stmt> then, List<Stmt> otherwise, Src src) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.ifStmt(this);
    }
  }

  enum LoopKind { FOR, WHILE, DO }

  /**
   * A loop. {@code init} runs once before it; {@code condition} may be null (always true);
   * {@code update} runs after each iteration that completes or continues.
   */
  final class Loop implements Stmt {
    public final LoopKind kind;
    public final List<Stmt> init;
    public final Expr condition;
    public final List<Stmt> update;
    public final List<Stmt> body;
    public final String label;
    /** A readable base for generated names: the counter variable's name, or "loop". */
    public final String nameHint;
    private final Src src;

    public Loop(LoopKind kind, List<Stmt> init, Expr condition, List<Stmt> update, List<Stmt> body,
        String label, String nameHint, Src src) {
      this.kind = kind;
      this.init = init;
      this.condition = condition;
      this.update = update;
      this.body = body;
      this.label = label;
      this.nameHint = nameHint;
      this.src = src;
    }

    @Override
    public Src src() {
      return src;
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.loop(this);
    }
  }

  enum JumpKind { BREAK, CONTINUE }

  /** {@code break} or {@code continue} of {@code target}; {@code label} as written, or null. */
  record Jump(JumpKind kind, Loop target, String label, Src src) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.jump(this);
    }
  }

  record Return(Expr value, Src src) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.returnStmt(this);
    }
  }

  /**
   * {@code System.out.println(args)} and its kin ({@code stream} is {@code out} or {@code err},
   * {@code method} one of {@code print println printf format}): run where it stands in the
   * forward sweep, with the values the original method prints; nothing in the backward sweep.
   * An argument of type {@link Type#OTHER} that is a {@link Expr.Binary} is a string
   * concatenation.
   */
  record Print(String stream, String method, List<Expr> args, Src src) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.print(this);
    }
  }
}
