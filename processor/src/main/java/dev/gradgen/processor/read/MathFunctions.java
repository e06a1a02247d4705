package dev.gradgen.processor.read;

import com.sun.source.tree.Tree;
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
        throw new Unsupported(where, owner + "." + name + " needs numeric arguments");
      }
    }
    Primitive p = Primitives.of(name);
    if (p != null && p.integerOverload() && args.stream().allMatch(a -> a.type().isIntegral())) {
      return new Expr.MathCall(owner, name, args,
          p.integerResult(args.stream().map(Expr::type).toList()));
    }
    if (name.equals("random")) {
      throw new Unsupported(where, owner + ".random() is not supported: a @Differentiable method"
          + " must give the same value each time it runs (the backward sweep recomputes parts of"
          + " it); draw the random numbers outside and pass them in");
    }
    if (p == null || !p.onDoubles()) {
      throw new Unsupported(where, owner + "." + name + " has no derivative rule in gradgen;"
          + " supported: " + String.join(", ", Primitives.onDoubles())
          + ". Compute it in another @Differentiable method or pass the value as a @NoGrad parameter");
    }
    if (p.arity() != args.size()) {
      throw new Unsupported(where, owner + "." + name + " takes " + p.arity() + " argument(s)"
          + " here");
    }
    return new Expr.MathCall(owner, name, args, p.resultType());
  }
}
