package dev.gradgen.processor.diff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.emit.Printer;
import dev.gradgen.processor.emit.StmtPrinter;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Prints forward mode's tangent program as the body of {@code mJvp}: the method as written, each
 * statement preceded by its tangent, returning the value and its tangent in one record.
 */
public final class TangentCode {
  private static final ClassName GRADIENTS = ClassName.get("dev.gradgen", "Gradients");

  private TangentCode() {}

  /**
   * The body of the JVP method of {@code original}.
   *
   * @param record the record the body returns ({@code new MJvp(value, tangent)})
   */
  public static CodeBlock jvpBody(DiffMethod original, Tangents.Program program, Printer printer,
      ClassName record) {
    DiffMethod m = program.method();
    Set<String> taken = new HashSet<>(m.identifiersInSource());
    Names names = new Names(taken);
    String value = names.fresh("value");
    String tangent = names.fresh("tangent");
    String label = names.fresh("jvp");
    boolean direct = singleTailReturn(m.body());

    CodeBlock.Builder b = CodeBlock.builder();
    List<Var> tangents = program.tangentParameters();
    for (Var t : tangents) {
      if (t.type().isArray()) {
        Var p = primalOf(original, program, t);
        b.beginControlFlow("if ($N == null)", t.name())
            .addStatement("$N = $T.zerosLike($N)", t.name(), GRADIENTS, p.name())
            .endControlFlow();
      }
    }
    List<Var> written = WrittenParameters.of(original);
    if (!written.isEmpty()) {
      List<Var> arrays = original.parameters().stream().filter(p -> p.type().isArray()).toList();
      b.add("// The method writes into copies of the arrays it writes into: they must not share\n"
          + "// storage.\n");
      b.addStatement("$T.requireUnshared($S,$Wnew String[] {$L},$Wnew Object[] {$L},"
          + "$Wnew boolean[] {$L})", GRADIENTS, original.name(),
          CodeBlock.join(arrays.stream().map(p -> CodeBlock.of("$S", p.name())).toList(), ", "),
          CodeBlock.join(arrays.stream().map(p -> CodeBlock.of("$N", p.name())).toList(), ", "),
          CodeBlock.join(arrays.stream().map(p -> CodeBlock.of("$L", written.contains(p)))
              .toList(), ", "));
      for (Var p : written) {
        b.add("// The method writes into $N: work on a copy, the caller's array stays as it was.\n",
            p.name());
        copy(b, p);
        int k = original.parameters().indexOf(p);
        Var t = tangentOfParameter(original, program, k);
        if (t != null) {
          copy(b, t);
        }
      }
    }
    for (Var l : m.locals()) {
      b.addStatement("$L $N = $L", l.type().java(), l.name(), l.type().zero());
    }
    // A vector method's result is new storage (GG520 refuses one that may share a parameter's),
    // and so is its tangent, which shares storage as the result does: no copies.
    java.util.function.Function<dev.gradgen.processor.ir.Expr, CodeBlock> out = printer::print;
    StmtPrinter statements = new StmtPrinter(printer, r -> direct
        ? CodeBlock.builder().addStatement("return new $T($L, $L)", record,
            out.apply(program.values().get(r)), out.apply(r.value())).build()
        : CodeBlock.builder()
            .addStatement("$N = $L", value, out.apply(program.values().get(r)))
            .addStatement("$N = $L", tangent, out.apply(r.value()))
            .addStatement("break $N", label).build());
    if (direct) {
      b.add(statements.print(m.body()));
      return b.build();
    }
    Type result = original.returnType();
    b.addStatement("$L $N = $L", result.java(), value, result.zero());
    b.addStatement("$L $N = $L", result.java(), tangent, result.zero());
    b.add("$N: {\n$>", label);
    b.add(statements.print(m.body()));
    b.add("$<}\n");
    b.addStatement("return new $T($N, $N)", record, value, tangent);
    return b.build();
  }

  /** Whether {@code method} writes into one of its array parameters. */
  public static boolean writesIntoParameters(DiffMethod method) {
    return !WrittenParameters.of(method).isEmpty();
  }

  private static void copy(CodeBlock.Builder b, Var p) {
    if (p.type() == Type.MATRIX || p.type() == Type.TENSOR) {
      b.addStatement("$N = $T.copyOf($N)", p.name(), GRADIENTS, p.name());
    } else {
      b.addStatement("$N = $N.clone()", p.name(), p.name());
    }
  }

  /** The tangent parameter of the method's parameter {@code k}, or null. */
  private static Var tangentOfParameter(DiffMethod original, Tangents.Program program, int k) {
    int j = 0;
    for (int i = 0; i < original.parameters().size(); i++) {
      if (original.parameters().get(i).isDifferentiableParameter()) {
        if (i == k) {
          return program.tangentParameters().get(j);
        }
        j++;
      }
    }
    return null;
  }

  private static Var primalOf(DiffMethod original, Tangents.Program program, Var tangent) {
    int j = program.tangentParameters().indexOf(tangent);
    return original.parameters().stream().filter(Var::isDifferentiableParameter).toList().get(j);
  }

  /** Whether the only return is the body's last statement. */
  private static boolean singleTailReturn(List<Stmt> body) {
    int[] count = {0};
    Walk.walk(body, s -> count[0] += s instanceof Stmt.Return ? 1 : 0);
    return count[0] == 1 && !body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Return;
  }
}
