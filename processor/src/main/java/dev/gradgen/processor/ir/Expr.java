package dev.gradgen.processor.ir;

import java.util.List;

/**
 * Typed, side-effect-free expressions of the supported subset. Passes dispatch over them with a
 * {@link Visitor}, so that a new kind of expression fails to compile until every pass handles it.
 */
public sealed interface Expr {
  Type type();

  <R> R accept(Visitor<R> v);

  /** One method per kind of expression. */
  interface Visitor<R> {
    R literal(Literal e);

    R local(Local e);

    R synthetic(Synthetic e);

    R constant(Constant e);

    R index(Index e);

    R length(Length e);

    R unary(Unary e);

    R binary(Binary e);

    R conditional(Conditional e);

    R cast(Cast e);

    R mathCall(MathCall e);

    R call(Call e);

    R newArray(NewArray e);

    R arrayLiteral(ArrayLiteral e);

    R invoke(Invoke e);

    R pop(Pop e);
  }

  /**
   * A literal; {@code value} is a Double, Integer, Long or Boolean, or, of type {@link Type#OTHER},
   * null or a String (a case label).
   */
  record Literal(Type type, Object value) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.literal(this);
    }

    public static Literal of(double v) {
      return new Literal(Type.DOUBLE, v);
    }
  }

  /** A read of a parameter or local. */
  record Local(Var var) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.local(this);
    }

    @Override
    public Type type() {
      return var.type();
    }
  }

  /**
   * A variable introduced by the differentiator (adjoints, temporaries, tape); never a primal
   * variable, so it takes no part in the analyses.
   */
  record Synthetic(String name, Type type) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.synthetic(this);
    }
  }

  /**
   * A static constant ({@code Math.PI}, {@code Double.MAX_VALUE}, a user's static final), or,
   * with a {@code receiver} (the name of the parameter holding the object), a field an instance
   * method reads: constant while the method runs.
   */
  record Constant(String ownerQualifiedName, String name, Type type, String receiver)
      implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.constant(this);
    }

    public Constant(String ownerQualifiedName, String name, Type type) {
      this(ownerQualifiedName, name, type, null);
    }
  }

  /** {@code array[index]}. */
  record Index(Expr array, Expr index) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.index(this);
    }

    @Override
    public Type type() {
      return array.type().element();
    }
  }

  /** {@code array.length}. */
  record Length(Expr array) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.length(this);
    }

    @Override
    public Type type() {
      return Type.INT;
    }
  }

  enum UnaryOp { NEG("-"), NOT("!"), COMPLEMENT("~");
    public final String symbol;

    UnaryOp(String symbol) {
      this.symbol = symbol;
    }
  }

  record Unary(UnaryOp op, Expr operand, Type type) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.unary(this);
    }
  }

  enum BinaryOp {
    MUL("*", 12), DIV("/", 12), REM("%", 12),
    ADD("+", 11), SUB("-", 11),
    SHL("<<", 10), SHR(">>", 10), USHR(">>>", 10),
    LT("<", 9), GT(">", 9), LE("<=", 9), GE(">=", 9),
    EQ("==", 8), NE("!=", 8),
    AND("&", 7), XOR("^", 6), OR("|", 5),
    CAND("&&", 4), COR("||", 3);

    public final String symbol;
    public final int precedence;

    BinaryOp(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }

    public boolean isComparison() {
      return precedence == 9 || precedence == 8;
    }
  }

  record Binary(BinaryOp op, Expr left, Expr right, Type type) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.binary(this);
    }
  }

  /** {@code condition ? whenTrue : whenFalse}. */
  record Conditional(Expr condition, Expr whenTrue, Expr whenFalse, Type type) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.conditional(this);
    }
  }

  /** {@code (type) operand} between numeric types. */
  record Cast(Type type, Expr operand) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.cast(this);
    }
  }

  /** A call of {@code java.lang.Math} / {@code StrictMath} function {@code name}. */
  record MathCall(String owner, String name, List<Expr> args, Type type) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.mathCall(this);
    }
  }

  /** A call of a user's static method: differentiable (has a pullback) or a constant. */
  record Call(Callee callee, List<Expr> args) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.call(this);
    }

    @Override
    public Type type() {
      return callee.returnType();
    }
  }

  /** {@code new double[d0][d1]...}. */
  record NewArray(Type type, List<Expr> dimensions) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.newArray(this);
    }
  }

  /** {@code new double[] {e0, e1, ...}} or an initializer in a declaration. */
  record ArrayLiteral(Type type, List<Expr> elements) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.arrayLiteral(this);
    }
  }

  /**
   * Generated code only: a call of a static method that the differentiator generates or the
   * runtime provides (a kernel's backward function, another method's pullback, {@code
   * System.arraycopy}). It may write into the arrays it is given; a null argument is a
   * {@link Literal} of type {@link Type#OTHER} with value null.
   */
  record Invoke(String ownerQualifiedName, String name, List<Expr> args, Type type)
      implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.invoke(this);
    }
  }

  /** Generated code only: the value of {@code type} pushed last on {@code tape}, taken off it. */
  record Pop(Expr tape, Type type) implements Expr {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.pop(this);
    }
  }
}
