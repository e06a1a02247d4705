package dev.gradgen.processor.read;

import dev.gradgen.processor.diag.Fragment;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.primitive.CustomRule;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * The signature a custom rule of a primal must have, by {@link CustomRule}'s conventions, in
 * javac's types; and what keeps a given method from having it. Both the rules found by name
 * beside a kernel ({@code fBackward}, {@code fJvp}) and those declared by annotation are checked
 * with it.
 *
 * @param returns the return type, as Java spells it
 * @param parameters the parameter types in order
 * @param names names for the parameters, for showing the signature
 * @param returnsWhat for a backward rule, what its return value holds (a {@link Fragment}), or ""
 */
record RuleSignature(String returns, List<TypeMirror> parameters, List<String> names,
    String returnsWhat) {

  /** The backward rule (vector-Jacobian product) of {@code primal}. */
  static RuleSignature backward(ExecutableElement primal) {
    List<? extends VariableElement> ps = primal.getParameters();
    List<Type> types = ps.stream().map(p -> typeOrOther(p.asType())).toList();
    List<String> names = ps.stream().map(p -> p.getSimpleName().toString()).toList();
    List<String> scalars = new ArrayList<>();
    for (int k = 0; k < ps.size(); k++) {
      if (CustomRule.returnsAdjoint(types.get(k))) {
        scalars.add(names.get(k));
      }
    }
    String what = scalars.isEmpty() ? "" : scalars.size() == 1
        ? Fragment.RULE_RETURNS_ADJOINT.text(scalars.get(0))
        : Fragment.RULE_RETURNS_ADJOINTS.text(String.join(", ", scalars));
    return new RuleSignature(CustomRule.returns(types).java(),
        CustomRule.arguments(types, ps.stream().map(VariableElement::asType).toList(),
            primal.getReturnType(), primal.getReturnType(), k -> ps.get(k).asType()),
        CustomRule.arguments(types, names, "result", "dResult",
            k -> Names.adjointBase(names.get(k))), what);
  }

  /** The forward rule (Jacobian-vector product) of {@code primal}. */
  static RuleSignature forward(ExecutableElement primal) {
    List<? extends VariableElement> ps = primal.getParameters();
    List<Type> types = ps.stream().map(p -> typeOrOther(p.asType())).toList();
    List<String> names = ps.stream().map(p -> p.getSimpleName().toString()).toList();
    return new RuleSignature(primal.getReturnType().toString(),
        CustomRule.jvpArguments(types, ps.stream().map(VariableElement::asType).toList(),
            primal.getReturnType(), k -> ps.get(k).asType()),
        CustomRule.jvpArguments(types, names, "result", k -> Names.tangentBase(names.get(k))),
        "");
  }

  private static Type typeOrOther(TypeMirror t) {
    Type type = MethodReader.typeOf(t);
    return type == null ? Type.OTHER : type;
  }

  /** What keeps {@code b} from having this signature (static, callable), or null. */
  String problem(ExecutableElement b, Types types) {
    if (!b.getModifiers().contains(Modifier.STATIC)) {
      return Fragment.RULE_NOT_STATIC.text();
    }
    if (b.getModifiers().contains(Modifier.PRIVATE)) {
      return Fragment.RULE_PRIVATE.text();
    }
    if (b.getParameters().size() != parameters.size()) {
      return b.getParameters().size() == 1
          ? Fragment.RULE_TAKES_ONE_PARAMETER.text(parameters.size())
          : Fragment.RULE_TAKES_PARAMETERS.text(b.getParameters().size(), parameters.size());
    }
    for (int i = 0; i < parameters.size(); i++) {
      if (!types.isSameType(b.getParameters().get(i).asType(), parameters.get(i))) {
        return Fragment.RULE_PARAMETER_TYPE.text(i + 1, b.getParameters().get(i).asType(),
            parameters.get(i));
      }
    }
    if (!b.getReturnType().toString().equals(returns)) {
      return Fragment.RULE_RETURN_TYPE.text(b.getReturnType(), returns);
    }
    return null;
  }

  /** The signature as a declaration: {@code static R name(T a, ...)}. */
  String show(String name) {
    List<String> params = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      params.add(parameters.get(i) + " " + names.get(i));
    }
    return "static " + returns + " " + name + "(" + String.join(", ", params) + ")";
  }

  /** {@code m} as {@code name(T a, ...)}. */
  static String show(ExecutableElement m) {
    List<String> params = new ArrayList<>();
    for (VariableElement p : m.getParameters()) {
      params.add(p.asType() + " " + p.getSimpleName());
    }
    return m.getSimpleName() + "(" + String.join(", ", params) + ")";
  }
}
