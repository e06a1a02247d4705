package dev.gradgen.processor.diff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.gradgen.processor.emit.GradClassWriter;
import dev.gradgen.processor.ir.Callee;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.RuleRef;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Walk;
import dev.gradgen.processor.primitive.CustomRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * The custom rules gradgen writes from a primal's other rule, for a primal returning
 * {@code double} that has only one ({@link RuleRef#derived()}): private methods of the generated
 * class, called like the hand-written rule would be.
 *
 * <ul>
 *   <li>The forward rule from the backward one: with a unit adjoint the backward rule gives the
 *       gradient ∇f, and the tangent is ∇f · u, one call.
 *   <li>The backward rule from the forward one: the adjoint of each input is the result's adjoint
 *       times the tangent of the result in that input's unit direction, one call per
 *       {@code double} parameter and per element of an array parameter.
 * </ul>
 */
public final class DerivedRules {
  private DerivedRules() {}

  /** The derived rules the calls of {@code methods} use, each once, by name. */
  public static List<MethodSpec> of(List<DiffMethod> methods, Function<String, ClassName> classes) {
    Map<String, Callee> bySignature = new LinkedHashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (DiffMethod m : methods) {
      Walk.walk(m.body(), s -> Walk.forEachExpr(s, x -> {
        if (x instanceof Expr.Call c) {
          for (RuleRef r : new RuleRef[] {c.callee().backward(), c.callee().jvp()}) {
            if (r != null && r.derived()) {
              String owner = owners.putIfAbsent(r.name(), c.callee().ownerQualifiedName());
              if (owner != null && !owner.equals(c.callee().ownerQualifiedName())) {
                throw new IllegalStateException("two primals give the rule name " + r.name()
                    + ": " + owner + " and " + c.callee().ownerQualifiedName());
              }
              bySignature.putIfAbsent(r.name() + c.callee().parameterTypes(), c.callee());
            }
          }
        }
      }));
    }
    List<MethodSpec> out = new ArrayList<>();
    for (Callee c : bySignature.values()) {
      out.add(c.backward().derived() ? backward(c, classes) : forward(c, classes));
    }
    return out;
  }

  /** Names for the method's own variables that no parameter of the primal has. */
  private static final class Fresh {
    private final Set<String> taken;

    Fresh(List<String> parameters) {
      taken = new HashSet<>(parameters);
    }

    String name(String base) {
      String n = base;
      for (int k = 2; !taken.add(n); k++) {
        n = base + k;
      }
      return n;
    }
  }

  private static final ClassName GRADIENTS = ClassName.get("dev.gradgen", "Gradients");

  private static TypeName java(Type t) {
    return GradClassWriter.typeName(t);
  }

  private static String shown(Callee c) {
    return simple(c.ownerQualifiedName()) + "." + c.name();
  }

  private static String shown(RuleRef r) {
    return simple(r.ownerQualifiedName()) + "." + r.name();
  }

  private static String simple(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }

  /** {@code tangent = ∇f · u} from one call of the backward rule with a unit adjoint. */
  private static MethodSpec forward(Callee c, Function<String, ClassName> classes) {
    RuleRef rule = c.jvp();
    RuleRef from = rule.derivedFrom();
    List<Type> types = c.parameterTypes();
    List<String> names = c.parameterNames();
    Fresh fresh = new Fresh(names);
    String result = fresh.name("result");
    List<String> tangents = new ArrayList<>();
    for (int k = 0; k < types.size(); k++) {
      tangents.add(CustomRule.takesTangent(types.get(k))
          ? fresh.name(Names.tangentBase(names.get(k))) : null);
    }
    MethodSpec.Builder m = MethodSpec.methodBuilder(rule.name())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(TypeName.DOUBLE)
        .addJavadoc("The forward rule of {@code $L},\nfrom its backward rule {@code $L}: with a"
            + " unit adjoint the backward rule\ngives the gradient, and the tangent is the"
            + " gradient dotted with the tangents.\n", shown(c), shown(from));
    for (int k = 0; k < types.size(); k++) {
      m.addParameter(java(types.get(k)), names.get(k));
    }
    m.addParameter(TypeName.DOUBLE, result);
    for (int k = 0; k < types.size(); k++) {
      if (tangents.get(k) != null) {
        m.addParameter(java(types.get(k)), tangents.get(k));
      }
    }
    List<String> accumulators = new ArrayList<>();
    for (int k = 0; k < types.size(); k++) {
      String a = null;
      if (CustomRule.takesAccumulator(types.get(k))) {
        a = fresh.name(Names.adjointBase(names.get(k)));
        m.addStatement("$T $N = $N == null ? null : $T.zerosLike($N)", java(types.get(k)), a,
            tangents.get(k), GRADIENTS, names.get(k));
      }
      accumulators.add(a);
    }
    List<String> args = CustomRule.arguments(types, names, result, "1.0",
        k -> accumulators.get(k) == null ? "null" : accumulators.get(k));
    CodeBlock call = CodeBlock.of("$T.$N($L)", classes.apply(from.ownerQualifiedName()),
        from.name(), String.join(", ", args));
    List<Integer> scalars = new ArrayList<>();
    for (int k = 0; k < types.size(); k++) {
      if (CustomRule.returnsAdjoint(types.get(k))) {
        scalars.add(k);
      }
    }
    String tangent = fresh.name("tangent");
    switch (CustomRule.returns(types)) {
      case NOTHING -> {
        m.addStatement("$L", call);
        m.addStatement("double $N = 0.0", tangent);
      }
      case ONE -> {
        // The call always runs: it also fills the accumulators of the array parameters. A
        // direction that does not move x takes 0 from it, even where the partial is infinite.
        String t = tangents.get(scalars.get(0));
        String partial = fresh.name(Names.adjointBase(names.get(scalars.get(0))));
        m.addStatement("double $N = $L", partial, call);
        m.addStatement("double $N = $N == 0.0 ? 0.0 : $N * $N", tangent, t, partial, t);
      }
      case SEVERAL -> {
        String grad = fresh.name("gradient");
        m.addStatement("double[] $N = $L", grad, call);
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < scalars.size(); i++) {
          String t = tangents.get(scalars.get(i));
          terms.add("(" + t + " == 0.0 ? 0.0 : " + grad + "[" + i + "] * " + t + ")");
        }
        // A direction that does not move an input gives 0 for it, even where its partial is
        // infinite or NaN.
        m.addStatement("double $N = $L", tangent, String.join("\n+ ", terms));
      }
    }
    for (int k = 0; k < types.size(); k++) {
      if (accumulators.get(k) != null) {
        m.beginControlFlow("if ($N != null)", tangents.get(k));
        m.addStatement("$N += $T.inner($N, $N)", tangent, GRADIENTS,
            accumulators.get(k), tangents.get(k));
        m.endControlFlow();
      }
    }
    return m.addStatement("return $N", tangent).build();
  }

  /**
   * The adjoint of each input from the forward rule: {@code dResult} times the result's tangent
   * in the input's unit direction.
   */
  private static MethodSpec backward(Callee c, Function<String, ClassName> classes) {
    RuleRef rule = c.backward();
    RuleRef from = rule.derivedFrom();
    List<Type> types = c.parameterTypes();
    List<String> names = c.parameterNames();
    Fresh fresh = new Fresh(names);
    String result = fresh.name("result");
    String dResult = fresh.name("dResult");
    List<String> accumulators = new ArrayList<>();
    for (int k = 0; k < types.size(); k++) {
      accumulators.add(CustomRule.takesAccumulator(types.get(k))
          ? fresh.name(Names.adjointBase(names.get(k))) : null);
    }
    CustomRule.Returns returns = CustomRule.returns(types);
    MethodSpec.Builder m = MethodSpec.methodBuilder(rule.name())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(switch (returns) {
          case NOTHING -> TypeName.VOID;
          case ONE -> TypeName.DOUBLE;
          case SEVERAL -> java(Type.VECTOR);
        })
        .addJavadoc("The backward rule of {@code $L},\nfrom its forward rule {@code $L}: the"
            + " adjoint of each input is the\nresult's adjoint times the result's tangent in"
            + " that input's unit direction.\n", shown(c), shown(from));
    for (int k = 0; k < types.size(); k++) {
      m.addParameter(java(types.get(k)), names.get(k));
    }
    m.addParameter(TypeName.DOUBLE, result);
    m.addParameter(TypeName.DOUBLE, dResult);
    for (int k = 0; k < types.size(); k++) {
      if (accumulators.get(k) != null) {
        m.addParameter(java(types.get(k)), accumulators.get(k));
      }
    }
    // Tangent arguments: 0.0 and null (zero) but for the one direction being taken. A
    // @Differentiable forward rule cannot test for null: it gets zero arrays.
    List<String> zero = new ArrayList<>();
    for (int k = 0; k < types.size(); k++) {
      Type t = types.get(k);
      if (t.isArray() && CustomRule.takesTangent(t) && from.asCall() != null) {
        String z = fresh.name(names.get(k) + "Zero");
        m.addStatement("$T $N = $T.zerosLike($N)", java(t), z, GRADIENTS, names.get(k));
        zero.add(z);
      } else {
        zero.add(t == Type.DOUBLE ? "0.0" : "null");
      }
    }
    ClassName owner = classes.apply(from.ownerQualifiedName());
    List<String> adjoints = new ArrayList<>();
    for (int k = 0; k < types.size(); k++) {
      if (CustomRule.returnsAdjoint(types.get(k))) {
        List<String> direction = new ArrayList<>(zero);
        direction.set(k, "1.0");
        String a = fresh.name(Names.adjointBase(names.get(k)));
        m.addStatement("double $N = $N * $T.$N($L)", a, dResult, owner, from.name(),
            String.join(", ", jvpArguments(types, names, result, direction)));
        adjoints.add(a);
      }
    }
    for (int k = 0; k < types.size(); k++) {
      if (accumulators.get(k) == null) {
        continue;
      }
      String u = fresh.name(Names.tangentBase(names.get(k)));
      m.beginControlFlow("if ($N != null)", accumulators.get(k));
      m.addStatement("$T $N = $T.zerosLike($N)", java(types.get(k)), u,
          GRADIENTS, names.get(k));
      List<String> direction = new ArrayList<>(zero);
      direction.set(k, u);
      String element = u;
      String target = accumulators.get(k);
      List<String> indices = new ArrayList<>();
      for (int level = 0; level < types.get(k).rank(); level++) {
        String i = fresh.name(level == 0 ? "i" : level == 1 ? "j" : "l");
        m.beginControlFlow("for (int $N = 0; $N < $N.length; $N++)", i, i, element, i);
        element = element + "[" + i + "]";
        target = target + "[" + i + "]";
        indices.add(i);
      }
      m.addStatement("$L = 1.0", element);
      m.addStatement("$L += $N * $T.$N($L)", target, dResult, owner, from.name(),
          String.join(", ", jvpArguments(types, names, result, direction)));
      m.addStatement("$L = 0.0", element);
      for (int level = 0; level < indices.size(); level++) {
        m.endControlFlow();
      }
      m.endControlFlow();
    }
    switch (returns) {
      case NOTHING -> { }
      case ONE -> m.addStatement("return $N", adjoints.get(0));
      case SEVERAL -> m.addStatement("return new double[] {$L}", String.join(", ", adjoints));
    }
    return m.build();
  }

  private static List<String> jvpArguments(List<Type> types, List<String> names, String result,
      List<String> direction) {
    return CustomRule.jvpArguments(types, names, result, direction::get);
  }
}
