package dev.gradgen.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.gradgen.processor.diag.Diagnosis;
import dev.gradgen.processor.diag.Message;
import dev.gradgen.processor.diff.Activity;
import dev.gradgen.processor.diff.DeadStores;
import dev.gradgen.processor.diff.DerivedRules;
import dev.gradgen.processor.diff.Sweeps;
import dev.gradgen.processor.emit.GradClassWriter;
import dev.gradgen.processor.emit.Printer;
import dev.gradgen.processor.emit.ForwardBody;
import dev.gradgen.processor.emit.PullbackBody;
import dev.gradgen.processor.diff.TangentCode;
import dev.gradgen.processor.diff.Tangents;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.primitive.CustomRule;
import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Walk;
import dev.gradgen.processor.read.Census;
import dev.gradgen.processor.read.MethodReader;
import dev.gradgen.processor.read.Problem;
import dev.gradgen.processor.read.RuleIndex;
import dev.gradgen.processor.emit.RuleIndexClass;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;

/**
 * The gradgen annotation processor: for each class with {@code @Differentiable} methods, reads
 * each method (phase {@code read}), analyses and differentiates it (phase {@code diff}) and writes
 * the companion {@code <Class>Grad} (phase {@code emit}).
 *
 * <p>It never throws at javac: unsupported code is a compile error on the offending line, and an
 * internal failure is a compile error on the method, with the exception's trace for the report.
 *
 * <p>Use it from the processor path ({@code annotationProcessorPaths} in Maven,
 * {@code annotationProcessor} in Gradle, {@code -processorpath} for javac). Its one option is
 * {@code -Agradgen.explain}: every sub-expression's adjoint gets a named local, commented with the
 * sub-expression. The packages below {@code dev.gradgen.processor} are its implementation, not
 * API: they are not in the javadoc and change in any release.
 */
@AutoService(Processor.class)
@SupportedAnnotationTypes({MethodReader.DIFFERENTIABLE, MethodReader.NO_GRAD, RuleIndex.VJP,
    RuleIndex.JVP, GradgenProcessor.GENERATED})
public final class GradgenProcessor extends AbstractProcessor {
  static final String GENERATED = "javax.annotation.processing.Generated";

  /** Names a record component may not have (JLS 8.10.3). */
  private static final Set<String> FORBIDDEN_COMPONENTS = Set.of("clone", "finalize", "getClass",
      "hashCode", "notify", "notifyAll", "toString", "wait");

  /**
   * {@code -Agradgen.explain}: every sub-expression's adjoint gets a temporary of its own,
   * commented with the sub-expression, so that each local partial of the chain rule shows.
   */
  static final String EXPLAIN = "gradgen.explain";
  /** The options gradgen reads (README lists them). */
  private static final Set<String> OPTIONS = Set.of(EXPLAIN);

  /** The {@code gradgen.*} options given, known or not. */
  private final Set<String> givenOptions = new java.util.TreeSet<>();
  private boolean explain;
  private Trees trees;
  private String treesUnavailable;
  /** What the reader accepted in the methods this processor differentiated. */
  private final Census census = new Census();
  /** The custom rules declared by annotation, here and on the class path. */
  private RuleIndex rules;
  /** The rule names whose index class is written. */
  private final Set<String> indexed = new java.util.HashSet<>();

  /**
   * The processor as javac's service loader makes it (listed in {@code META-INF/services}); it is
   * set up by {@link #init}.
   */
  public GradgenProcessor() {}

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  /**
   * The known options, and every other {@code gradgen.*} option given: gradgen warns about those
   * itself (javac asks after {@link #init}), saying what the options are, instead of javac's
   * "not recognized by any processor".
   *
   * @return {@code gradgen.explain} and the other {@code gradgen.*} options given
   */
  @Override
  public Set<String> getSupportedOptions() {
    Set<String> all = new java.util.TreeSet<>(OPTIONS);
    all.addAll(givenOptions);
    return all;
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    readOptions(env.getOptions());
    rules = new RuleIndex(env.getElementUtils(), env.getTypeUtils());
    try {
      trees = Trees.instance(env);
    } catch (RuntimeException | LinkageError e) {
      treesUnavailable = e.toString();
      return;
    }
    try {
      // javac hands processors no methods of local and anonymous classes, nor are annotations
      // there "present" for processing, so an annotation on one would be silently ignored: look
      // for them in every compilation unit once javac has analysed it.
      JavacTask.instance(env).addTaskListener(new TaskListener() {
        private final Set<CompilationUnitTree> seen =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        @Override
        public void finished(TaskEvent e) {
          if (e.getKind() == TaskEvent.Kind.ANALYZE && e.getCompilationUnit() != null
              && seen.add(e.getCompilationUnit())) {
            try {
              reportLocalClasses(e.getCompilationUnit());
            } catch (RuntimeException | StackOverflowError failure) {
              // Only a diagnostic aid: never let it break the build.
            }
          }
        }
      });
    } catch (RuntimeException | LinkageError e) {
      // Not javac's own task: processing still works, only this check is lost.
    }
  }

  private void readOptions(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (key.startsWith("gradgen.")) {
        givenOptions.add(key);
        if (!OPTIONS.contains(key)) {
          report(Message.UNKNOWN_OPTION, key, String.join(", ", new java.util.TreeSet<>(OPTIONS)
              .stream().map(o -> "-A" + o).toList()));
        }
      }
    }
    if (options.containsKey(EXPLAIN)) {
      String value = options.get(EXPLAIN);
      explain = value == null || value.equals("true");
      if (value != null && !value.equals("true") && !value.equals("false")) {
        report(Message.OPTION_VALUE, EXPLAIN, value);
      }
    }
  }

  /**
   * What the reader accepted in the methods this processor differentiated, by construct.
   *
   * @return the census of this processor's compilation so far (the fuzz tests read it)
   */
  public Census census() {
    return census;
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    TypeElement annotation = processingEnv.getElementUtils()
        .getTypeElement(MethodReader.DIFFERENTIABLE);
    if (annotation == null) {
      return false;
    }
    declareRules(round);
    Map<TypeElement, List<ExecutableElement>> byOwner = new LinkedHashMap<>();
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (e.getKind() != ElementKind.METHOD) {
        report(e, Message.NOT_A_METHOD);
        continue;
      }
      byOwner.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>())
          .add((ExecutableElement) e);
    }
    for (Map.Entry<TypeElement, List<ExecutableElement>> entry : byOwner.entrySet()) {
      try {
        onLargeStack(() -> processClass(entry.getKey(), entry.getValue()));
      } catch (RuntimeException | Error e) {
        internalError(entry.getKey(), e);
      }
    }
    return claims(round);
  }

  /**
   * Takes in the custom rules declared in this round: reports those that are not usable, on
   * their annotation, and writes the index class of each new usable one, for other compilations.
   */
  private void declareRules(RoundEnvironment round) {
    try {
      for (RuleIndex.Invalid i : rules.declare(round)) {
        processingEnv.getMessager().printMessage(i.diagnosis().kind(), i.diagnosis().text(),
            i.method(), i.annotation());
      }
      boolean generated = processingEnv.getElementUtils().getTypeElement(GENERATED) != null;
      for (RuleIndex.Rule r : rules.declared()) {
        TypeElement owner = (TypeElement) r.method().getEnclosingElement();
        String name = RuleIndex.indexClassName(owner, r.method().getSimpleName().toString());
        if (indexed.add(name)) {
          try {
            RuleIndexClass.of(owner, r.method().getSimpleName().toString(),
                rules.indexPackage(owner), name,
                RuleIndex.RULE_CLASS, RuleIndex.RULE_METHOD, generated)
                .writeTo(processingEnv.getFiler());
          } catch (IOException e) {
            report(r.method(), Message.WRITE_FAILED, rules.indexPackage(owner) + "." + name,
                e.getMessage());
          }
        }
      }
    } catch (RuntimeException | Error e) {
      internalError(round.getRootElements().stream().findFirst().orElse(null), e);
    }
  }

  /**
   * Whether to claim this round's annotations, so that -Xlint:processing has none to warn about:
   * gradgen's own always, and {@code @Generated} when only classes gradgen generated carry it
   * (another processor's generated classes are left to that processor).
   */
  private boolean claims(RoundEnvironment round) {
    TypeElement generated = processingEnv.getElementUtils().getTypeElement(GENERATED);
    if (generated == null) {
      return true;
    }
    for (Element e : round.getElementsAnnotatedWith(generated)) {
      boolean ours = e.getAnnotationMirrors().stream().anyMatch(a ->
          a.getAnnotationType().asElement().equals(generated)
              && a.getElementValues().values().stream().anyMatch(v ->
                  v.getValue().toString().contains(GradClassWriter.PROCESSOR)));
      if (!ours) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs {@code work} on a thread with a large stack: reading, differentiating and printing recurse
   * over expression trees, which users may nest hundreds deep (javac itself copes with that).
   * The calling thread waits, so javac is never used from two threads at once.
   */
  private static void onLargeStack(Runnable work) {
    Throwable[] failure = new Throwable[1];
    Thread thread = new Thread(null, () -> {
      try {
        work.run();
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "gradgen", 1L << 30);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while differentiating", e);
    }
    if (failure[0] instanceof RuntimeException r) {
      throw r;
    }
    if (failure[0] instanceof Error err) {
      throw err;
    }
    if (failure[0] != null) {
      throw new IllegalStateException(failure[0]);
    }
  }

  /** Reports every {@code @Differentiable} method of a local or anonymous class in {@code unit}. */
  private void reportLocalClasses(CompilationUnitTree unit) {
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      /** How many method bodies or variable initialisers enclose the current tree. */
      private int depth;

      @Override
      public Void visitMethod(MethodTree node, Void p) {
        if (depth > 0 && isDifferentiable(node)) {
          report(node, unit, Diagnosis.of(Message.IN_LOCAL_CLASS));
        }
        depth++;
        try {
          return super.visitMethod(node, p);
        } finally {
          depth--;
        }
      }

      @Override
      public Void visitVariable(com.sun.source.tree.VariableTree node, Void p) {
        // Field initialisers can hold anonymous classes too.
        depth++;
        try {
          return super.visitVariable(node, p);
        } finally {
          depth--;
        }
      }

      private boolean isDifferentiable(MethodTree node) {
        Element e = trees.getElement(getCurrentPath());
        if (e != null) {
          return MethodReader.hasAnnotation(e, MethodReader.DIFFERENTIABLE);
        }
        return node.getModifiers().getAnnotations().stream().anyMatch(a ->
            a.getAnnotationType().toString().equals("Differentiable")
                || a.getAnnotationType().toString().equals(MethodReader.DIFFERENTIABLE));
      }
    }.scan(unit, null);
  }

  private void processClass(TypeElement owner, List<ExecutableElement> methods) {
    if (trees == null) {
      // Once per class, on the class: the compiler is the problem, not any one method.
      report(owner, Message.NO_TREE_API, treesUnavailable);
      return;
    }
    if (owner.getNestingKind() == NestingKind.LOCAL
        || owner.getNestingKind() == NestingKind.ANONYMOUS) {
      for (ExecutableElement m : methods) {
        report(m, Message.IN_LOCAL_CLASS);
      }
      return;
    }
    for (Element e = owner; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        for (ExecutableElement m : methods) {
          report(m, Message.PRIVATE_CLASS, t.getSimpleName(), MethodReader.gradClassName(owner));
        }
        return;
      }
    }
    Map<String, ExecutableElement> seen = new HashMap<>();
    List<GradClassWriter.Differentiated> done = new ArrayList<>();
    boolean clashes = false;
    for (ExecutableElement m : methods) {
      boolean vector = MethodReader.typeOf(m.getReturnType()) == dev.gradgen.processor.ir.Type.VECTOR;
      for (String generated : GradClassWriter.generatedMethodNames(m.getSimpleName().toString(),
          vector)) {
        for (Element other : owner.getEnclosedElements()) {
          if (other.getKind() == ElementKind.METHOD && other.getSimpleName().contentEquals(generated)) {
            report(other, Message.GENERATED_NAME_TAKEN, gradClass(owner).simpleName(), generated,
                m.getSimpleName(), owner.getSimpleName(), generated);
            clashes = true;
          }
        }
      }
    }
    for (ExecutableElement m : methods) {
      String record = GradClassWriter.recordName(m.getSimpleName().toString());
      ExecutableElement clash = seen.putIfAbsent(record, m);
      if (clash != null) {
        report(m, clash.getSimpleName().equals(m.getSimpleName()) ? Message.OVERLOADED
            : Message.RECORD_NAME_TAKEN, owner.getSimpleName(), record);
        continue;
      }
      try {
        GradClassWriter.Differentiated d = differentiate(m);
        if (d != null) {
          done.add(d);
        }
      } catch (RuntimeException | Error e) {
        internalError(m, e);
      }
    }
    if (done.size() != methods.size() || clashes) {
      return;
    }
    String qualified = MethodReader.gradClassName(owner);
    int dot = qualified.lastIndexOf('.');
    String pkg = dot < 0 ? "" : qualified.substring(0, dot);
    String simple = qualified.substring(dot + 1);
    boolean generated = processingEnv.getElementUtils()
        .getTypeElement(GENERATED) != null;
    List<com.palantir.javapoet.MethodSpec> derived = DerivedRules.of(
        done.stream().map(GradClassWriter.Differentiated::method).toList(), classNames());
    JavaFile file = new GradClassWriter(generated).write(owner, pkg, simple, done, derived);
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      report(owner, Message.WRITE_FAILED, qualified, e.getMessage());
    }
  }

  private GradClassWriter.Differentiated differentiate(ExecutableElement m) {
    if (!signatureOk(m)) {
      return null;
    }
    TreePath path = trees.getPath(m);
    if (path == null || !(path.getLeaf() instanceof MethodTree tree)) {
      report(m, Message.NO_METHOD_TREE);
      return null;
    }
    if (tree.getBody() == null) {
      report(m, Message.NO_BODY);
      return null;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    Elements elements = processingEnv.getElementUtils();
    MethodReader reader = new MethodReader(elements, processingEnv.getTypeUtils(), unit,
        trees.getSourcePositions(), m, tree, callee -> trees.getTree(callee), rules);
    DiffMethod method = reader.read();
    if (method == null) {
      for (Problem p : reader.problems()) {
        report(p.tree(), unit, p.diagnosis());
      }
      return null;
    }
    long estimate = estimatedPullbackBytes(method);
    if (estimate > MAX_METHOD_BYTES) {
      report(m, Message.TOO_LARGE, estimate / 1024);
      return null;
    }
    Activity activity = new Activity(method);
    if (!activity.problems().isEmpty()) {
      for (Activity.CallProblem p : activity.problems()) {
        Tree where = reader.callSites().get(p.call());
        report(where == null ? tree : where, unit, p.diagnosis());
        Element rule = reader.ruleCandidates().get(p.call());
        if (rule != null) {
          report(rule, Message.RULE_CANDIDATE, p.call().callee().name());
        }
      }
      return null;
    }
    Printer printer = new Printer(classNames());
    PullbackBody result = new Sweeps(method, activity, printer, explain).generate();
    ForwardBody forward = forward(m, method, activity, reader, unit, printer);
    census.addAll(reader.census());
    return new GradClassWriter.Differentiated(m, method, result, forward);
  }

  /**
   * Forward mode: the tangent program, printed as the body of {@code mJvp}. A call forward mode
   * cannot go through (a kernel with a backward rule only) makes the body throw, saying which,
   * and is noted on its line: the gradient is still there.
   */
  private ForwardBody forward(ExecutableElement m, DiffMethod method, Activity activity,
      MethodReader reader, CompilationUnitTree unit, Printer printer) {
    Tangents.Program program = Tangents.of(method, activity);
    TypeElement owner = (TypeElement) m.getEnclosingElement();
    ClassName grad = gradClass(owner);
    ClassName record = grad.nestedClass(GradClassWriter.jvpRecordName(method.name()));
    String where = owner.getSimpleName() + "." + method.name();
    List<Boolean> flags = program.method().parameters().stream()
        .map(dev.gradgen.processor.ir.Var::isDifferentiableParameter).toList();
    boolean writes = TangentCode.writesIntoParameters(method);
    if (!program.gaps().isEmpty()) {
      List<String> missing = new ArrayList<>();
      for (Expr.Call c : program.gaps()) {
        String rule = "static " + c.callee().returnType().java() + " "
            + CustomRule.jvpName(c.callee().name()) + "(...) beside it, or a @Jvp rule";
        String what = String.join(", ", GradClassWriter.forwardMethodNames(method.name(),
            method.isVector()));
        Tree at = reader.callSites().get(c);
        report(at == null ? trees.getTree(m) : at, unit, Diagnosis.of(Message.NO_FORWARD_RULE,
            simpleName(c.callee().ownerQualifiedName()), c.callee().name(), what, where, rule));
        missing.add(simpleName(c.callee().ownerQualifiedName()) + "." + c.callee().name());
      }
      String why = "forward mode through " + String.join(", ", missing) + " is not available: "
          + (missing.size() == 1 ? "it has" : "they have") + " a backward rule but no forward"
          + " rule (see gradgen's note GG806 on " + where + ")";
      return new ForwardBody(throwing(why), program.tangentParameters(), null, why, flags,
          writes, false);
    }
    CodeBlock jvp = TangentCode.jvpBody(method, program, printer, record);
    // The reverse pass over the tangent program needs only what reaches the tangent.
    DiffMethod tangent = DeadStores.prune(program.method());
    Activity second = new Activity(tangent);
    if (!second.problems().isEmpty()) {
      List<String> missing = new ArrayList<>();
      for (Activity.CallProblem p : second.problems()) {
        Expr.Call original = program.origins().get(p.call());
        Expr.Call c = original != null ? original : p.call();
        String name = simpleName(c.callee().ownerQualifiedName()) + "." + c.callee().name();
        if (missing.contains(name)) {
          continue;
        }
        missing.add(name);
        Tree at = reader.callSites().get(c);
        report(at == null ? trees.getTree(m) : at, unit, Diagnosis.of(Message.NO_SECOND_ORDER,
            name, GradClassWriter.hvpName(method.name()) + " and "
                + GradClassWriter.hessianName(method.name()), where));
      }
      String why = "second order through " + String.join(", ", missing) + " is not available"
          + " yet (see gradgen's note GG807 on " + where + "); the gradient and "
          + GradClassWriter.jvpName(method.name()) + " are";
      return new ForwardBody(jvp, program.tangentParameters(), null, why, flags, writes, true);
    }
    PullbackBody hvp = new Sweeps(tangent, second, printer, explain).generate();
    return new ForwardBody(jvp, program.tangentParameters(), hvp, null, flags, writes, true);
  }

  private static CodeBlock throwing(String why) {
    return CodeBlock.builder().addStatement("throw new $T($S)",
        UnsupportedOperationException.class, why).build();
  }

  private static String simpleName(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }

  /** The generated class of {@code owner}. */
  /** The class a qualified name names, in generated code (a class not yet generated too). */
  private Function<String, ClassName> classNames() {
    Elements elements = processingEnv.getElementUtils();
    return qualified -> {
      TypeElement t = elements.getTypeElement(qualified);
      if (t != null) {
        return ClassName.get(t);
      }
      int dot = qualified.lastIndexOf('.');
      return dot < 0 ? ClassName.get("", qualified)
          : ClassName.get(qualified.substring(0, dot), qualified.substring(dot + 1));
    };
  }

  private static ClassName gradClass(TypeElement owner) {
    String qualified = MethodReader.gradClassName(owner);
    int dot = qualified.lastIndexOf('.');
    return ClassName.get(dot < 0 ? "" : qualified.substring(0, dot),
        qualified.substring(dot + 1));
  }

  private static final long MAX_METHOD_BYTES = 60_000;

  /**
   * A rough size of the generated pullback: about 1.5 bytes of bytecode per expression node and
   * one per statement for the primal, and 2.5 times that for forward plus backward sweep.
   */
  static long estimatedPullbackBytes(DiffMethod method) {
    long[] nodes = {0, 0};
    Walk.walk(method.body(), s -> {
      nodes[1]++;
      Walk.forEachExpr(s, e -> nodes[0]++);
    });
    return (long) ((1.5 * nodes[0] + nodes[1]) * 2.5);
  }

  private boolean signatureOk(ExecutableElement m) {
    boolean ok = true;

    if (m.getReturnType().getKind() != TypeKind.DOUBLE
        && MethodReader.typeOf(m.getReturnType()) != dev.gradgen.processor.ir.Type.VECTOR) {
      report(m, Message.RETURN_TYPE, m.getReturnType());
      ok = false;
    }
    if (m.getModifiers().contains(Modifier.ABSTRACT) || m.getModifiers().contains(Modifier.NATIVE)) {
      report(m, Message.NO_BODY);
      ok = false;
    }
    if (!m.getTypeParameters().isEmpty()) {
      report(m, Message.GENERIC_METHOD);
      ok = false;
    }
    if (m.isVarArgs()) {
      report(m, Message.VARARGS);
      ok = false;
    }
    for (VariableElement p : m.getParameters()) {
      if (FORBIDDEN_COMPONENTS.contains(p.getSimpleName().toString())
          && MethodReader.typeOf(p.asType()) != null
          && MethodReader.typeOf(p.asType()).differentiable()
          && !MethodReader.hasAnnotation(p, MethodReader.NO_GRAD)) {
        report(p, Message.FORBIDDEN_COMPONENT_NAME, p.getSimpleName());
        ok = false;
      }
      if (p.getSimpleName().contentEquals("value") && MethodReader.typeOf(p.asType()) != null
          && MethodReader.typeOf(p.asType()).differentiable()
          && !MethodReader.hasAnnotation(p, MethodReader.NO_GRAD)) {
        report(p, Message.PARAMETER_NAMED_VALUE);
        ok = false;
      }
    }
    return ok;
  }

  /** Reports {@code message} on element {@code e}. */
  private void report(Message message, Object... args) {
    processingEnv.getMessager().printMessage(message.kind(), message.format(args));
  }

  private void report(Element e, Message message, Object... args) {
    processingEnv.getMessager().printMessage(message.kind(), message.format(args), e);
  }

  /** Reports {@code d} on {@code tree} of {@code unit}. */
  private void report(Tree tree, CompilationUnitTree unit, Diagnosis d) {
    trees.printMessage(d.kind(), d.text(), tree, unit);
  }

  private void internalError(Element e, Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    report(e, Message.INTERNAL_ERROR, trace);
  }
}
