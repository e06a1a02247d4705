package dev.gradgen.processor.read;

import com.sun.source.tree.Tree;
import dev.gradgen.processor.diff.Rules;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Type;
import java.util.List;

/** Types calls of {@code Math} / {@code StrictMath} functions that have a rule in {@link Rules}. */
final class MathFunctions {
  private MathFunctions() {}

  /** Functions of integers, computed as written (integers carry no derivative). */
  static final java.util.Set<String> INTEGRAL = java.util.Set.of("abs", "max", "min",
      "floorDiv", "floorMod", "addExact", "subtractExact", "multiplyExact", "negateExact",
      "incrementExact", "decrementExact", "toIntExact", "absExact", "multiplyFull",
      "multiplyHigh");

  static Expr call(Tree where, String owner, String name, List<Expr> args) {
    for (Expr a : args) {
      if (!a.type().isNumeric()) {
        throw new Unsupported(where, owner + "." + name + " needs numeric arguments");
      }
    }
    boolean allIntegral = args.stream().allMatch(a -> a.type().isIntegral());
    if (allIntegral && INTEGRAL.contains(name)) {
      Type t = name.equals("toIntExact") ? Type.INT : name.equals("multiplyFull")
          || args.stream().anyMatch(a -> a.type() == Type.LONG) ? Type.LONG : Type.INT;
      return new Expr.MathCall(owner, name, args, t);
    }
    if (name.equals("random")) {
      throw new Unsupported(where, owner + ".random() is not supported: a @Differentiable method"
          + " must give the same value each time it runs (the backward sweep recomputes parts of"
          + " it); draw the random numbers outside and pass them in");
    }
    Rules.Rule rule = Rules.of(name);
    if (rule == null) {
      throw new Unsupported(where, owner + "." + name + " has no derivative rule in gradgen;"
          + " supported: " + String.join(", ", Rules.names())
          + ". Compute it in another @Differentiable method or pass the value as a @NoGrad parameter");
    }
    if (rule.arity() != args.size()) {
      throw new Unsupported(where, owner + "." + name + " takes " + rule.arity() + " argument(s)"
          + " here");
    }
    return new Expr.MathCall(owner, name, args, rule.resultType());
  }
}
