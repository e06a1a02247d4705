package dev.gradgen.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Prints IR expressions as Java with the fewest parentheses that keep the tree's meaning. The right
 * operand of a binary operator is parenthesised at equal precedence, so floating-point
 * association is never changed. It only prints: what printed code reads is computed on the IR.
 */
public final class Printer {
  private final Function<String, ClassName> classes;

  public Printer(Function<String, ClassName> classes) {
    this.classes = classes;
  }

  public CodeBlock print(Expr e) {
    return print(e, 0, new Ctx(null, null));
  }

  /**
   * Prints {@code e} as forward code that also pushes the value of each call in {@code kept} on
   * {@code tape}, as {@code tape.keep(call)}, for the backward code to pop.
   */
  public CodeBlock printKeeping(Expr e, Set<Expr> kept, String tape) {
    return print(e, 0, new Ctx(kept, tape));
  }

  private record Ctx(Set<Expr> kept, String tape) {}

  private static int precedence(Expr e) {
    if (e instanceof Expr.Binary b) {
      return b.op().precedence;
    }
    if (e instanceof Expr.Conditional) {
      return 2;
    }
    if (e instanceof Expr.Unary || e instanceof Expr.Cast) {
      return 14;
    }
    if (e instanceof Expr.Literal l && l.value() instanceof Number n && n.doubleValue() < 0) {
      return 14;
    }
    return 16;
  }

  private CodeBlock print(Expr e, int min, Ctx ctx) {
    if (ctx.kept() != null && ctx.kept().contains(e)) {
      return CodeBlock.of("$N.keep($L)", ctx.tape(), bare(e, ctx));
    }
    CodeBlock body = bare(e, ctx);
    return precedence(e) < min ? CodeBlock.of("($L)", body) : body;
  }

  private CodeBlock bare(Expr e, Ctx ctx) {
    if (e instanceof Expr.Literal l) {
      return literal(l);
    }
    if (e instanceof Expr.Local l) {
      return CodeBlock.of("$N", l.var().name());
    }
    if (e instanceof Expr.Synthetic s) {
      return CodeBlock.of("$N", s.name());
    }
    if (e instanceof Expr.Constant c) {
      return c.receiver() != null ? CodeBlock.of("$N.$N", c.receiver(), c.name())
          : CodeBlock.of("$T.$N", classes.apply(c.ownerQualifiedName()), c.name());
    }
    if (e instanceof Expr.Index i) {
      return CodeBlock.of("$L[$L]", print(i.array(), 16, ctx), print(i.index(), 0, ctx));
    }
    if (e instanceof Expr.Length l) {
      return CodeBlock.of("$L.length", print(l.array(), 16, ctx));
    }
    if (e instanceof Expr.Unary u) {
      Expr operand = u.operand();
      boolean wrap = u.op() == Expr.UnaryOp.NEG && (operand instanceof Expr.Unary
          || operand instanceof Expr.Literal l && l.value() instanceof Number n
          && n.doubleValue() < 0);
      CodeBlock inner = wrap ? CodeBlock.of("($L)", print(operand, 0, ctx))
          : print(operand, 14, ctx);
      return CodeBlock.of("$L$L", u.op().symbol, inner);
    }
    if (e instanceof Expr.Binary b) {
      return CodeBlock.of("$L $L $L", print(b.left(), b.op().precedence, ctx), b.op().symbol,
          print(b.right(), b.op().precedence + 1, ctx));
    }
    if (e instanceof Expr.Conditional c) {
      return CodeBlock.of("$L ? $L : $L", print(c.condition(), 3, ctx),
          print(c.whenTrue(), 3, ctx), print(c.whenFalse(), 2, ctx));
    }
    if (e instanceof Expr.Cast c) {
      return CodeBlock.of("($L) $L", c.type().java(), print(c.operand(), 14, ctx));
    }
    if (e instanceof Expr.MathCall m) {
      return CodeBlock.of("$T.$N($L)", ClassName.get("java.lang", m.owner()), m.name(),
          arguments(m.args(), ctx));
    }
    if (e instanceof Expr.Call c) {
      if (c.callee().instance()) {
        return CodeBlock.of("$L.$N($L)", print(c.args().get(0), 15, ctx), c.callee().name(),
            arguments(c.args().subList(1, c.args().size()), ctx));
      }
      return CodeBlock.of("$T.$N($L)", classes.apply(c.callee().ownerQualifiedName()),
          c.callee().name(), arguments(c.args(), ctx));
    }
    if (e instanceof Expr.NewArray n) {
      CodeBlock.Builder b = CodeBlock.builder().add("new $L", n.type() == Type.INT_VECTOR ? "int"
          : "double");
      for (Expr d : n.dimensions()) {
        b.add("[$L]", print(d, 0, ctx));
      }
      for (int k = n.dimensions().size(); k < n.type().rank(); k++) {
        b.add("[]");
      }
      return b.build();
    }
    if (e instanceof Expr.ArrayLiteral a) {
      return CodeBlock.of("new $L {$L}", a.type().java(), arguments(a.elements(), ctx));
    }
    if (e instanceof Expr.Invoke c) {
      return CodeBlock.of("$T.$N($L)", classes.apply(c.ownerQualifiedName()), c.name(),
          arguments(c.args(), ctx));
    }
    if (e instanceof Expr.Pop p) {
      return CodeBlock.of("$L.$N()", print(p.tape(), 16, ctx), popName(p.type()));
    }
    throw new IllegalStateException("cannot print " + e);
  }

  /** The tape's method that pops a value of {@code type}. */
  public static String popName(Type type) {
    return switch (type) {
      case DOUBLE -> "popDouble";
      case INT -> "popInt";
      case LONG -> "popLong";
      case BOOLEAN -> "popBoolean";
      case VECTOR -> "popVector";
      case MATRIX -> "popMatrix";
      case TENSOR -> "popTensor";
      case INT_VECTOR -> "popIntVector";
      default -> throw new IllegalStateException("no pop for " + type);
    };
  }

  private CodeBlock arguments(List<Expr> args, Ctx ctx) {
    List<CodeBlock> parts = new ArrayList<>();
    for (Expr a : args) {
      parts.add(print(a, 0, ctx));
    }
    return CodeBlock.join(parts, ", ");
  }

  /**
   * {@code c} as it goes between the quotes of a char literal. Never a unicode escape for a line
   * end, a quote or a backslash: javac decodes those before it reads the literal.
   */
  static String charEscape(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case '\'' -> "\\'";
      case '\\' -> "\\\\";
      default -> c >= ' ' && c < 127 ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    };
  }

  static CodeBlock literal(Expr.Literal l) {
    Object v = l.value();
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return CodeBlock.of("$T.NaN", Double.class);
      }
      if (d.isInfinite()) {
        return CodeBlock.of("$T.$L", Double.class, d > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY");
      }
      return CodeBlock.of("$L", Double.toString(d));
    }
    if (v instanceof Integer i) {
      return i == Integer.MIN_VALUE ? CodeBlock.of("$T.MIN_VALUE", Integer.class)
          : CodeBlock.of("$L", i);
    }
    if (v instanceof Long n) {
      return n == Long.MIN_VALUE ? CodeBlock.of("$T.MIN_VALUE", Long.class)
          : CodeBlock.of("$LL", n);
    }
    if (v instanceof Character c) {
      return CodeBlock.of("$L", "'" + charEscape(c) + "'");
    }
    if (v instanceof Float f) {
      return CodeBlock.of("$Lf", Float.toString(f));
    }
    if (v instanceof String text) {
      return CodeBlock.of("$S", text);
    }
    return CodeBlock.of("$L", v);
  }
}
