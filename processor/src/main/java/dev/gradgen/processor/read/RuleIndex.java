package dev.gradgen.processor.read;

import dev.gradgen.processor.diag.Diagnosis;
import dev.gradgen.processor.diag.Message;
import dev.gradgen.processor.primitive.CustomRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The custom rules declared by annotation ({@code @Vjp}, {@code @Jvp}): those of this compilation,
 * checked where they are declared, and those of the class path, found through the index classes
 * that gradgen wrote when it compiled them (package {@value #PACKAGE}, one class per rule name,
 * holding the rule's class and name as constants). The reader asks it for a primal's rules.
 */
public final class RuleIndex {
  public static final String VJP = "dev.gradgen.Vjp";
  public static final String JVP = "dev.gradgen.Jvp";
  /** The package of the index classes. */
  public static final String PACKAGE = "gradgen_rules";
  /** The index class's constant naming the rule's class. */
  public static final String RULE_CLASS = "RULE_CLASS";
  /** The index class's constant naming the rule. */
  public static final String RULE_METHOD = "RULE_METHOD";

  /** What a rule gives. */
  public enum Kind {
    VJP("@Vjp", "backward"), JVP("@Jvp", "forward");

    private final String annotation;
    private final String what;

    Kind(String annotation, String what) {
      this.annotation = annotation;
      this.what = what;
    }

    /** How the annotation is written. */
    public String annotation() {
      return annotation;
    }

    /** The rule's kind in words. */
    public String what() {
      return what;
    }
  }

  /** A usable rule: the method, what it gives, and the primal it is the rule of. */
  public record Rule(Kind kind, ExecutableElement method, ExecutableElement primal) {
    /** The class declaring the rule. */
    public String ownerQualifiedName() {
      return ((TypeElement) method.getEnclosingElement()).getQualifiedName().toString();
    }

    /** {@code Rules.erfVjp}, for messages. */
    public String shown() {
      return method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
    }
  }

  /** A primal's rules; either may be null. */
  public record Rules(Rule vjp, Rule jvp) {
    static final Rules NONE = new Rules(null, null);
  }

  /** A declaration that is no usable rule: the error, reported on the annotation. */
  public record Invalid(Element method, AnnotationMirror annotation, Diagnosis diagnosis) {}

  private final Elements elements;
  private final Types types;
  /** By primal ({@link #key}) and kind. */
  private final Map<String, Rule> rules = new HashMap<>();
  /** Rules of the class path that no longer fit their primal: primal class#name to the error. */
  private final Map<String, Diagnosis> stale = new HashMap<>();
  /** Rules of the class path that are a second rule of their kind: primal class#name. */
  private final Map<String, Diagnosis> conflicts = new HashMap<>();
  /** The rule methods seen, so that an index class of a rule compiled now is not read twice. */
  private final Set<ExecutableElement> seen = new HashSet<>();
  /** The usable rules declared in this compilation, in order. */
  private final List<Rule> declaredNow = new ArrayList<>();
  private boolean classPathRead;

  public RuleIndex(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /**
   * Takes in the rules declared in this round (reading the class path's first, once), and
   * returns the declarations that are not usable rules; {@link #declared} gives those that are.
   */
  public List<Invalid> declare(RoundEnvironment round) {
    // Rules compiled now are checked from their source, not from an index class a previous
    // build left in the output directory (which is on the class path).
    Set<Element> now = new HashSet<>(round.getRootElements());
    readClassPath(e -> {
      Element top = e;
      while (top.getEnclosingElement() instanceof TypeElement t) {
        top = t;
      }
      return now.contains(top);
    });
    List<Invalid> invalid = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      TypeElement annotation = annotation(kind);
      if (annotation == null) {
        continue;
      }
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        if (e instanceof ExecutableElement m && seen.add(m)) {
          AnnotationMirror a = mirror(m, annotation);
          Object found = resolve(kind, m, a);
          if (found instanceof Diagnosis d) {
            invalid.add(new Invalid(m, a, d));
          } else {
            declaredNow.add((Rule) found);
          }
        }
      }
    }
    return invalid;
  }

  /**
   * The usable rules declared in this compilation so far, each once: the processor writes an
   * index class for each.
   */
  public List<Rule> declared() {
    return List.copyOf(declaredNow);
  }

  /** The rules of {@code primal}. */
  public Rules of(ExecutableElement primal) {
    readClassPath(e -> false);
    Rule vjp = rules.get(key(primal, Kind.VJP));
    Rule jvp = rules.get(key(primal, Kind.JVP));
    return vjp == null && jvp == null ? Rules.NONE : new Rules(vjp, jvp);
  }

  /**
   * For a primal without rules: the error of a class path rule named for it that no longer fits
   * it (compiled against another version of its class), or null.
   */
  public Diagnosis staleRule(ExecutableElement primal) {
    return stale.get(((TypeElement) primal.getEnclosingElement()).getQualifiedName() + "#"
        + primal.getSimpleName());
  }

  /**
   * For a primal with two rules of one kind on the class path (from two jars): the error, which
   * each call reports; else null. Which of the two javac would list first is not a choice.
   */
  public Diagnosis conflict(ExecutableElement primal) {
    return conflicts.get(((TypeElement) primal.getEnclosingElement()).getQualifiedName() + "#"
        + primal.getSimpleName());
  }

  /** Reads the index classes of the class path, once, but for rules in classes {@code now}. */
  private void readClassPath(java.util.function.Predicate<TypeElement> now) {
    if (classPathRead) {
      return;
    }
    classPathRead = true;
    // The class path's index package, and each named module's own (see indexPackage).
    List<TypeElement> entries = new ArrayList<>();
    for (PackageElement index : elements.getAllPackageElements(PACKAGE)) {
      entries.addAll(ElementFilter.typesIn(index.getEnclosedElements()));
    }
    for (javax.lang.model.element.ModuleElement module : elements.getAllModuleElements()) {
      String name = module.getQualifiedName().toString();
      if (module.isUnnamed() || name.startsWith("java.") || name.startsWith("jdk.")) {
        continue; // (the JDK's own modules declare no rules)
      }
      // A rule's package is one the module exports (its generated callers call it), so its
      // index package is found beside one of those.
      for (PackageElement p : ElementFilter.packagesIn(module.getEnclosedElements())) {
        PackageElement index = elements.getPackageElement(module,
            p.getQualifiedName() + "." + PACKAGE);
        if (index != null) {
          entries.addAll(ElementFilter.typesIn(index.getEnclosedElements()));
        }
      }
    }
    for (TypeElement entry : entries) {
      String ruleClass = constant(entry, RULE_CLASS);
      String ruleMethod = constant(entry, RULE_METHOD);
      TypeElement owner = ruleClass == null ? null : elements.getTypeElement(ruleClass);
      if (owner == null || ruleMethod == null || now.test(owner)) {
        continue; // an index class whose rule is gone, or is compiled now: read from source
      }
      for (ExecutableElement m : ElementFilter.methodsIn(owner.getEnclosedElements())) {
        if (!m.getSimpleName().contentEquals(ruleMethod) || !seen.add(m)) {
          continue;
        }
        for (Kind kind : Kind.values()) {
          TypeElement annotation = annotation(kind);
          AnnotationMirror a = annotation == null ? null : mirror(m, annotation);
          if (a == null) {
            continue;
          }
          Object found = resolve(kind, m, a);
          if (found instanceof Diagnosis d) {
            TypeElement of = primalClass(a);
            if (of != null) {
              (d.message() == Message.RULE_DUPLICATE ? conflicts : stale).putIfAbsent(
                  of.getQualifiedName() + "#" + value(a, "method"),
                  Diagnosis.of(Message.RULE_FROM_CLASS_PATH, kind.annotation(),
                      owner.getSimpleName() + "." + ruleMethod, d.text()));
            }
          }
        }
      }
    }
  }

  /**
   * The rule {@code m} declares with annotation {@code a}, registered; or the error that keeps
   * it from being one.
   */
  private Object resolve(Kind kind, ExecutableElement m, AnnotationMirror a) {
    String shown = m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName();
    if (!m.getModifiers().contains(Modifier.STATIC) || !m.getModifiers().contains(Modifier.PUBLIC)
        || !publicClass(m.getEnclosingElement())
        || elements.getPackageOf(m).isUnnamed()) {
      return Diagnosis.of(Message.RULE_NOT_PUBLIC, kind.annotation(), shown);
    }
    TypeElement of = primalClass(a);
    Object methodName = value(a, "method");
    if (of == null || methodName == null) {
      return Diagnosis.of(Message.RULE_NO_PRIMAL, kind.annotation(), "?", methodName, "?");
    }
    String name = methodName.toString();
    List<ExecutableElement> overloads = ElementFilter.methodsIn(of.getEnclosedElements()).stream()
        .filter(p -> p.getSimpleName().contentEquals(name)
            && p.getModifiers().contains(Modifier.STATIC)
            && !p.getModifiers().contains(Modifier.PRIVATE))
        .toList();
    if (overloads.isEmpty()) {
      return Diagnosis.of(Message.RULE_NO_PRIMAL, kind.annotation(), of.getSimpleName(), name,
          of.getSimpleName());
    }
    String primalShown = of.getSimpleName() + "." + name;
    List<ExecutableElement> numeric = overloads.stream().filter(p ->
        MethodReader.typeOf(p.getReturnType()) != null
            && MethodReader.typeOf(p.getReturnType()).differentiable()).toList();
    if (numeric.isEmpty()) {
      return Diagnosis.of(Message.RULE_PRIMAL_RETURN, kind.annotation(), shown, primalShown,
          overloads.get(0).getReturnType());
    }
    overloads = numeric;
    ExecutableElement primal = null;
    List<String> wanted = new ArrayList<>();
    String problem = null;
    for (ExecutableElement p : overloads) {
      RuleSignature s = kind == Kind.VJP ? RuleSignature.backward(p) : RuleSignature.forward(p);
      String why = s.problem(m, types);
      if (why == null) {
        primal = p;
        break;
      }
      problem = problem == null ? why : problem;
      wanted.add(s.show(m.getSimpleName().toString()) + s.returnsWhat() + " for "
          + RuleSignature.show(p));
    }
    if (primal == null) {
      return Diagnosis.of(Message.RULE_SIGNATURE, kind.annotation(), shown, primalShown,
          RuleSignature.show(m), overloads.size() == 1 ? problem : "it fits no overload",
          String.join("; or ", wanted));
    }
    if (MethodReader.hasAnnotation(primal, MethodReader.DIFFERENTIABLE)) {
      return Diagnosis.of(Message.RULE_OF_DIFFERENTIABLE, kind.annotation(), shown, primalShown);
    }
    String conventional = kind == Kind.VJP ? CustomRule.name(name) : CustomRule.jvpName(name);
    RuleSignature beside = kind == Kind.VJP ? RuleSignature.backward(primal)
        : RuleSignature.forward(primal);
    for (ExecutableElement b : ElementFilter.methodsIn(of.getEnclosedElements())) {
      if (b.getSimpleName().contentEquals(conventional) && beside.problem(b, types) == null
          && !b.equals(m)) {
        return Diagnosis.of(Message.RULE_DUPLICATE, kind.annotation(), shown, kind.what(),
            primalShown, of.getSimpleName() + "." + conventional);
      }
    }
    String key = key(primal, kind);
    Rule other = rules.get(key);
    if (other != null && !other.method().equals(m)) {
      return Diagnosis.of(Message.RULE_DUPLICATE, kind.annotation(), shown, kind.what(),
          primalShown, other.shown());
    }
    Rule rule = new Rule(kind, m, primal);
    rules.put(key, rule);
    return rule;
  }

  private static boolean publicClass(Element e) {
    for (; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (!t.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  /** {@code p.Special#erf(double)#VJP}: the primal overload and the kind. */
  private String key(ExecutableElement primal, Kind kind) {
    List<String> params = new ArrayList<>();
    for (VariableElement p : primal.getParameters()) {
      params.add(types.erasure(p.asType()).toString());
    }
    return ((TypeElement) primal.getEnclosingElement()).getQualifiedName() + "#"
        + primal.getSimpleName() + "(" + String.join(",", params) + ")#" + kind;
  }

  /** The annotation type of {@code kind}, or null when the runtime is not on the class path. */
  private TypeElement annotation(Kind kind) {
    return elements.getTypeElement(kind == Kind.VJP ? VJP : JVP);
  }

  private static AnnotationMirror mirror(Element e, TypeElement annotation) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (a.getAnnotationType().asElement().equals(annotation)) {
        return a;
      }
    }
    return null;
  }

  private static Object value(AnnotationMirror a, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : a.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue().getValue();
      }
    }
    return null;
  }

  private static TypeElement primalClass(AnnotationMirror a) {
    Object of = value(a, "of");
    return of instanceof DeclaredType t && t.asElement().getKind() != ElementKind.OTHER
        ? (TypeElement) t.asElement() : null;
  }

  private static String constant(TypeElement entry, String name) {
    for (VariableElement f : ElementFilter.fieldsIn(entry.getEnclosedElements())) {
      if (f.getSimpleName().contentEquals(name) && f.getConstantValue() instanceof String s) {
        return s;
      }
    }
    return null;
  }

  /**
   * The package of the index class of a rule in class {@code owner}: {@value #PACKAGE} on the
   * class path, where every jar may have it; {@code <owner's package>.gradgen_rules} in a named
   * module, since two modules may not share a package.
   */
  public String indexPackage(TypeElement owner) {
    javax.lang.model.element.ModuleElement module = elements.getModuleOf(owner);
    return module == null || module.isUnnamed() ? PACKAGE
        : elements.getPackageOf(owner).getQualifiedName() + "." + PACKAGE;
  }

  /** The index class's simple name for rules named {@code method} of class {@code owner}. */
  public static String indexClassName(TypeElement owner, String method) {
    return owner.getQualifiedName().toString().replace('.', '_') + "__" + method;
  }
}
