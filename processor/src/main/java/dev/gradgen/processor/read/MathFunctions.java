package dev.gradgen.processor.read;

import com.sun.source.tree.Tree;
import dev.gradgen.processor.diag.Message;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.primitive.Primitive;
import dev.gradgen.processor.primitive.Primitives;
import java.util.List;

/** Types calls of {@code Math} / {@code StrictMath} functions from the {@link Primitives} table. */
final class MathFunctions {
  private MathFunctions() {}

  static Expr call(Tree where, String owner, String name, List<Expr> args) {
    for (Expr a : args) {
      if (!a.type().isNumeric()) {
        throw new Unsupported(where, Message.MATH_NEEDS_NUMBERS, owner, name);
      }
    }
    Primitive p = Primitives.of(name);
    if (p != null && p.integerOverload() && args.stream().allMatch(a -> a.type().isIntegral())) {
      return new Expr.MathCall(owner, name, args,
          p.integerResult(args.stream().map(Expr::type).toList()));
    }
    if (name.equals("random")) {
      throw new Unsupported(where, Message.MATH_RANDOM, owner);
    }
    if (p == null || !p.onDoubles()) {
      throw new Unsupported(where, Message.MATH_WITHOUT_RULE, owner, name,
          String.join(", ", Primitives.onDoubles()));
    }
    if (p.arity() != args.size()) {
      throw new Unsupported(where, Message.MATH_ARITY, owner, name, p.arity());
    }
    return new Expr.MathCall(owner, name, args, p.resultType());
  }
}
