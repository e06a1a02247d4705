package dev.gradgen.processor.ir;

import dev.gradgen.processor.ir.Expr.BinaryOp;
import java.util.List;

/** Small constructors for derivative expressions, with the obvious simplifications. */
public final class Build {
  private Build() {}

  public static Expr lit(double v) {
    return Expr.Literal.of(v);
  }

  public static boolean isLit(Expr e, double v) {
    return e instanceof Expr.Literal l && l.value() instanceof Number n
        && n.doubleValue() == v;
  }

  public static Expr mul(Expr a, Expr b) {
    if (isLit(a, 1)) {
      return b;
    }
    if (isLit(b, 1)) {
      return a;
    }
    if (isLit(a, -1)) {
      return neg(b);
    }
    if (isLit(b, -1)) {
      return neg(a);
    }
    return new Expr.Binary(BinaryOp.MUL, a, b, Type.DOUBLE);
  }

  public static Expr div(Expr a, Expr b) {
    if (isLit(b, 1)) {
      return a;
    }
    return new Expr.Binary(BinaryOp.DIV, a, b, Type.DOUBLE);
  }

  public static Expr add(Expr a, Expr b) {
    return new Expr.Binary(BinaryOp.ADD, a, b, Type.DOUBLE);
  }

  public static Expr sub(Expr a, Expr b) {
    return new Expr.Binary(BinaryOp.SUB, a, b, Type.DOUBLE);
  }

  public static Expr neg(Expr a) {
    if (a instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return u.operand();
    }
    return new Expr.Unary(Expr.UnaryOp.NEG, a, Type.DOUBLE);
  }

  public static Expr math(String name, Expr... args) {
    return new Expr.MathCall("Math", name, List.of(args), Type.DOUBLE);
  }

  public static Expr cmp(BinaryOp op, Expr a, Expr b) {
    return new Expr.Binary(op, a, b, Type.BOOLEAN);
  }

  public static Expr choose(Expr condition, Expr a, Expr b) {
    return new Expr.Conditional(condition, a, b, Type.DOUBLE);
  }
}
