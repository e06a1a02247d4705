package dev.gradgen.processor.ir;

import java.util.List;

/**
 * Generated backward code of one statement, as IR: what the chain rule writes ({@code dx += g},
 * temporaries, calls of backward functions), and the restores that put overwritten values back
 * from the tape. The simplification pass rewrites it and the printer prints it; neither needs to
 * look inside a string.
 */
public sealed interface Code {
  /** Every pass over code handles every kind: a new kind fails to compile until it does. */
  interface Visitor<R> {
    R declare(Declare c);

    R set(Set c);

    R addTo(AddTo c);

    R run(Run c);

    R ifCode(If c);
  }

  <R> R accept(Visitor<R> v);

  /**
   * {@code type name = value;}: a temporary of the block, assigned once. {@code of}, if not null,
   * is the sub-expression of the statement whose adjoint the temporary is, printed beside it when
   * derivations are explained.
   */
  record Declare(Type type, String name, Expr value, Expr of) implements Code {
    public Declare(Type type, String name, Expr value) {
      this(type, name, value, null);
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.declare(this);
    }

    /** The temporary as an expression. */
    public Expr.Synthetic variable() {
      return new Expr.Synthetic(name, type);
    }
  }

  /** {@code target = value;}: an adjoint reset, or a restore from the tape. */
  record Set(Expr target, Expr value) implements Code {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.set(this);
    }
  }

  /** {@code target += value;}: one contribution to an adjoint. */
  record AddTo(Expr target, Expr value) implements Code {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.addTo(this);
    }
  }

  /** A call run for its effect on the arrays it is given: {@code Ops.matmulBackward(...)}. */
  record Run(Expr call) implements Code {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.run(this);
    }
  }

  /** {@code if (condition) { then } else { otherwise }}; an empty else is not printed. */
  record If(Expr condition, List<Code> then, List<Code> otherwise) implements Code {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.ifCode(this);
    }
  }
}
