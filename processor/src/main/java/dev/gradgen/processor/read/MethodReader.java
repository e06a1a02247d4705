package dev.gradgen.processor.read;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import dev.gradgen.processor.diag.Fragment;
import dev.gradgen.processor.diag.Message;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.RuleRef;
import dev.gradgen.processor.ir.Callee;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Expr.BinaryOp;
import dev.gradgen.processor.ir.Src;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.StorageReach;
import dev.gradgen.processor.ir.Walk;
import dev.gradgen.processor.primitive.CustomRule;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Phase 1, read and type: turns the javac tree of one {@code @Differentiable} method into the typed
 * IR ({@link DiffMethod}). javac has parsed but not attributed the body when processors run, so
 * types come from declarations plus the typing rules of the subset; names are resolved against the
 * method's scopes, the enclosing classes, the imports and the package.
 *
 * <p>Anything outside the subset becomes a {@link Problem} on the offending tree; reading goes on
 * with the next statement so that one compilation reports every problem.
 */
public final class MethodReader {
  public static final String DIFFERENTIABLE = "dev.gradgen.Differentiable";
  public static final String NO_GRAD = "dev.gradgen.NoGrad";

  private final Elements elements;
  private final Types types;
  private final CompilationUnitTree unit;
  private final SourcePositions positions;
  private final ExecutableElement method;
  private final MethodTree tree;
  private final TypeElement owner;
  private final CharSequence source;
  /** The tree of a method compiled now, or null (one in a class file). */
  private final java.util.function.Function<ExecutableElement, MethodTree> sources;
  /** The custom rules declared by annotation. */
  private final RuleIndex rules;

  private final List<Problem> problems = new ArrayList<>();
  private final Deque<Map<String, Var>> scopes = new ArrayDeque<>();
  private final Map<String, List<Var>> hoisted = new HashMap<>();
  private final List<Var> locals = new ArrayList<>();
  private final Set<String> identifiers = new LinkedHashSet<>();
  private final Deque<Stmt.Loop> loops = new ArrayDeque<>();
  /** Where each call came from, for errors found after reading. */
  private final Map<Expr, Tree> callSites = new IdentityHashMap<>();
  private final Map<Stmt, Tree> statementTrees = new IdentityHashMap<>();
  private String pendingLabel;
  /** Parameters already reported as unsupported: their uses are not reported again. */
  private final Set<Var> reportedParameters = new java.util.HashSet<>();
  /** The declared types of the parameters outside the subset ({@link Type#OTHER}). */
  private final Map<Var, TypeMirror> otherParameters = new HashMap<>();
  /** Parameters of type char, short, byte (read as int) or float (read as a double constant). */
  private final Map<Var, TypeMirror> narrowParameters = new HashMap<>();
  /** The receiver of an instance method, a parameter of the generated methods; else null. */
  private Var self;
  /** The Java type of each {@link Type#OTHER} expression read, for overload resolution. */
  private final Map<Expr, TypeMirror> referenceTypes = new IdentityHashMap<>();
  /** For calls of methods with a rule-like sibling that does not fit: that sibling. */
  private final Map<Expr, ExecutableElement> ruleCandidates = new IdentityHashMap<>();
  private final Census census = new Census();
  /** Parameters the body mentions. */
  private final Set<Var> usedParameters = new java.util.HashSet<>();
  /** Where statements that evaluate hoisted kernel calls go: just before the current statement. */
  private List<Stmt> pending = new ArrayList<>();
  /** Set while reading code that runs repeatedly or conditionally (loop conditions, updates). */
  private boolean hoistForbidden;

  public MethodReader(Elements elements, Types types, CompilationUnitTree unit,
      SourcePositions positions, ExecutableElement method, MethodTree tree,
      java.util.function.Function<ExecutableElement, MethodTree> sources, RuleIndex rules) {
    this.sources = sources;
    this.rules = rules;
    this.elements = elements;
    this.types = types;
    this.unit = unit;
    this.positions = positions;
    this.method = method;
    this.tree = tree;
    this.owner = (TypeElement) method.getEnclosingElement();
    CharSequence text;
    try {
      text = unit.getSourceFile().getCharContent(true);
    } catch (IOException e) {
      text = "";
    }
    this.source = text;
  }

  public List<Problem> problems() {
    return problems;
  }

  public Map<Expr, Tree> callSites() {
    return callSites;
  }

  /** What the reader accepted, by construct (complete once {@link #read()} succeeded). */
  public Census census() {
    return census;
  }

  /**
   * For calls of a method whose class has a method named like its custom rule that does not fit
   * the rule's signature: that method, so that an error about the call can point at it.
   */
  public Map<Expr, ExecutableElement> ruleCandidates() {
    return ruleCandidates;
  }

  /** Reads the method, or returns null when it has problems (see {@link #problems()}). */
  public DiffMethod read() {
    collectIdentifiers();
    List<Var> parameters = new ArrayList<>();
    Map<String, Var> parameterScope = new LinkedHashMap<>();
    for (int i = 0; i < method.getParameters().size(); i++) {
      VariableElement p = method.getParameters().get(i);
      Tree where = tree.getParameters().get(i);
      TypeKind kind = p.asType().getKind();
      // char, short, byte and float are read as constant numbers (int and double); float is not
      // differentiated.
      boolean narrow = kind == TypeKind.CHAR || kind == TypeKind.SHORT || kind == TypeKind.BYTE
          || kind == TypeKind.FLOAT;
      Type subset = kind == TypeKind.FLOAT ? Type.DOUBLE : narrow ? Type.INT : typeOf(p.asType());
      Type type = subset == null ? Type.OTHER : subset;
      boolean noGrad = hasAnnotation(p, NO_GRAD);
      String name = p.getSimpleName().toString();
      Var v = new Var(name, type, Var.Kind.PARAMETER, noGrad || !type.differentiable() || narrow);
      if (narrow) {
        narrowParameters.put(v, p.asType());
      }
      if (isBoxed(p.asType())) {
        problems.add(new Problem(where, Message.BOXED_PARAMETER, name, p.asType()));
        reportedParameters.add(v);
      } else if (type == Type.OTHER) {
        otherParameters.put(v, p.asType());
        String hidden = inaccessible(p.asType());
        if (hidden != null) {
          problems.add(new Problem(where, Message.PRIVATE_PARAMETER_TYPE, name, p.asType(),
              hidden));
          reportedParameters.add(v);
        }
      }
      parameters.add(v);
      parameterScope.put(name, v);
    }
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      // An instance method: the receiver comes first, as a constant object the body reads
      // fields of and calls differentiable methods on.
      String name = "self";
      for (int n = 2; parameterScope.containsKey(name) || identifiers.contains(name); n++) {
        name = "self" + n;
      }
      identifiers.add(name);
      self = new Var(name, Type.OTHER, Var.Kind.PARAMETER, true);
      otherParameters.put(self, owner.asType());
      parameters.add(0, self);
      usedParameters.add(self);
      census.add(Construct.INSTANCE_METHOD);
      if (!method.getModifiers().contains(Modifier.FINAL)
          && !owner.getModifiers().contains(Modifier.FINAL)) {
        problems.add(new Problem(tree, Message.INSTANCE_METHOD_NOT_FINAL));
      }
      if (!owner.getTypeParameters().isEmpty()) {
        problems.add(new Problem(tree, Message.INSTANCE_METHOD_OF_GENERIC_CLASS));
      }
    }
    scopes.push(parameterScope);
    List<Stmt> body = new ArrayList<>();
    readStatements(tree.getBody().getStatements(), body);
    constantArrayWrites(parameters, body);
    if (returnType() == Type.VECTOR) {
      freshResults(parameters, body);
    }
    if (!problems.isEmpty()) {
      return null;
    }
    for (Var p : parameters) {
      if (p != self && !usedParameters.contains(p)) {
        census.addParameter(Census.ParameterKind.of(p), Census.ParameterUse.UNUSED);
      }
    }
    return new DiffMethod(method.getSimpleName().toString(), parameters, locals, body,
        identifiers, src(tree, tree.getBody()), returnType());
  }

  /**
   * A vector method returns new storage: a result that may be a parameter's array or a field's
   * would alias what the caller passed, which neither the callers' derivatives (they take a
   * call's result as fresh) nor its tangent (a copy) follow.
   */
  private void freshResults(List<Var> parameters, List<Stmt> body) {
    StorageReach reach = StorageReach.of(parameters, body);
    Walk.walk(body, s -> {
      if (s instanceof Stmt.Return r) {
        for (Map.Entry<Object, Integer> e : reach.of(r.value()).entrySet()) {
          if (e.getValue() == 0) {
            Tree where = statementTrees.getOrDefault(s, tree);
            problems.add(new Problem(where, Message.RESULT_SHARES_STORAGE,
                e.getKey() instanceof Var v ? "parameter '" + v.name() + "'" : e.getKey()));
            return;
          }
        }
      }
    });
  }

  /**
   * Element writes through a local that refers to a field's (or a static constant's) array:
   * fields are constants, and the caller's object would end differently in the generated code.
   */
  /** Element writes that may write into a field's array (through any name) are errors. */
  private void constantArrayWrites(List<Var> parameters, List<Stmt> body) {
    StorageReach reach = StorageReach.of(parameters, body);
    Walk.walk(body, s -> {
      if (s instanceof Stmt.Assign a && a.target() instanceof Stmt.ElementTarget et
          && reach.writtenBy(et.element()).contains(StorageReach.FIELD)) {
        Var root = Walk.root(et.element());
        Tree where = statementTrees.getOrDefault(s, tree);
        problems.add(new Problem(where, Message.FIELD_ARRAY_WRITE,
            root == null ? Fragment.UNNAMED_ARRAY.text() : root.name()));
      }
    });
  }



  // ---------------------------------------------------------------- statements

  private void readStatements(List<? extends StatementTree> trees, List<Stmt> out) {
    scopes.push(new HashMap<>());
    readStatementsInScope(trees, out);
    scopes.pop();
  }

  /** Reads {@code trees} in the current scope (a classic switch's groups share one). */
  private void readStatementsInScope(List<? extends StatementTree> trees, List<Stmt> out) {
    Tree previousType = null;
    for (StatementTree s : trees) {
      // javac gives the declarators of `double a = 1, b = 2;` one shared type tree.
      Tree type = s instanceof VariableTree v ? v.getType() : null;
      if (type != null && type == previousType) {
        census.add(Construct.SEVERAL_DECLARATORS);
      }
      previousType = type;
      try {
        readStatement(s, out);
      } catch (Unsupported u) {
        if (u.problem() != null) {
          problems.add(u.problem());
        }
        if (s instanceof VariableTree v
            && scopes.stream().noneMatch(m -> m.containsKey(v.getName().toString()))) {
          // Declared anyway, so later uses do not add "cannot resolve" on top of the real error.
          Var stand = POISONED;
          try {
            if (v.getType() != null) {
              stand = new Var(v.getName().toString(), declaredType(v.getType()), Var.Kind.LOCAL,
                  true);
            }
          } catch (Unsupported ignored) {
            // The type itself was the problem, already reported.
          }
          scopes.peek().put(v.getName().toString(), stand);
        }
      }
    }
  }

  /** Stands for a local whose declaration was rejected; uses of it are not reported again. */
  private static final Var POISONED = new Var("<rejected>", Type.DOUBLE, Var.Kind.LOCAL, true);

  /** A nested statement that is not a block still gets its own scope. */
  private List<Stmt> readBody(StatementTree s) {
    List<Stmt> out = new ArrayList<>();
    if (s instanceof BlockTree b) {
      readStatements(b.getStatements(), out);
    } else {
      readStatements(List.of(s), out);
    }
    return out;
  }

  private void readStatement(StatementTree s, List<Stmt> out) {
    List<Stmt> outerPending = pending;
    pending = out;
    try {
      readStatementInto(s, out);
    } finally {
      pending = outerPending;
    }
  }

  private void readStatementInto(StatementTree s, List<Stmt> out) {
    String label = pendingLabel;
    pendingLabel = null;
    if (label != null && !isLoop(s)) {
      throw new Unsupported(s, Message.LABEL_NOT_ON_LOOP);
    }
    if (label == null && isLoop(s) && s.getKind() != Tree.Kind.LABELED_STATEMENT
        && continuedFromSwitch(s)) {
      // A continue inside a switch of this loop is printed with a label (see readSwitch).
      label = freshName("loop");
    }
    switch (s.getKind()) {
      case BLOCK -> {
        census.add(Construct.BLOCK);
        List<Stmt> inner = new ArrayList<>();
        readStatements(((BlockTree) s).getStatements(), inner);
        out.addAll(inner);
      }
      case EMPTY_STATEMENT -> census.add(Construct.EMPTY_STATEMENT);
      case VARIABLE -> {
        Stmt d = declare((VariableTree) s, s);
        if (d != null) {
          out.add(d);
        }
      }
      case EXPRESSION_STATEMENT -> out.add(expressionStatement(((ExpressionStatementTree) s)
          .getExpression(), s));
      case IF -> {
        IfTree t = (IfTree) s;
        census.add(t.getElseStatement() == null ? Construct.IF : Construct.IF_ELSE);
        if (t.getElseStatement() instanceof IfTree) {
          census.add(Construct.ELSE_IF);
        }
        Expr cond = hoist(condition(t.getCondition()), false, src(s, s));
        List<Stmt> then = readBody(t.getThenStatement());
        List<Stmt> otherwise = t.getElseStatement() == null ? new ArrayList<>()
            : readBody(t.getElseStatement());
        out.add(remember(new Stmt.If(cond, then, otherwise, header(s, t.getThenStatement())), s));
      }
      case FOR_LOOP -> out.add(forLoop((ForLoopTree) s, label));
      case ENHANCED_FOR_LOOP -> out.addAll(enhancedFor((EnhancedForLoopTree) s, label));
      case WHILE_LOOP -> {
        census.add(Construct.WHILE);
        WhileLoopTree t = (WhileLoopTree) s;
        LoopTest test = loopCondition(t.getCondition());
        Stmt.Loop loop = new Stmt.Loop(Stmt.LoopKind.WHILE, List.of(), test.plain(),
            new ArrayList<>(), new ArrayList<>(), label, "loop", header(s, t.getStatement()));
        test.atTop(loop);
        loopBody(loop, t.getStatement());
        out.add(remember(loop, s));
      }
      case DO_WHILE_LOOP -> {
        census.add(Construct.DO_WHILE);
        DoWhileLoopTree t = (DoWhileLoopTree) s;
        // The condition is read after the body in source order but cannot see the body's locals.
        LoopTest test = loopCondition(t.getCondition());
        if (test.statements().isEmpty()) {
          Stmt.Loop loop = new Stmt.Loop(Stmt.LoopKind.DO, List.of(), test.value(),
              new ArrayList<>(), new ArrayList<>(), label, "loop", src(s, s));
          loopBody(loop, t.getStatement());
          out.add(remember(loop, s));
        } else if (endsInExpressionStatement(t.getStatement())
            && !continues(t.getStatement(), label)) {
          // do { ... } while (--k != 0) reads do { ...; k--; } while (k != 0).
          Stmt.Loop loop = new Stmt.Loop(Stmt.LoopKind.DO, List.of(), test.value(),
              new ArrayList<>(), new ArrayList<>(), label, "loop", src(s, s));
          loopBody(loop, t.getStatement());
          loop.body.addAll(test.statements());
          out.add(remember(loop, s));
        } else {
          // A continue must reach the condition's assignments, and they may not be reachable
          // after the body: the loop tests at its top from the second iteration on.
          Src src = src(s, s);
          Var again = newLocal("again", Type.BOOLEAN);
          again.reassigned = true;
          Stmt.Loop loop = new Stmt.Loop(Stmt.LoopKind.FOR, List.of(new Stmt.Assign(
              new Stmt.VarTarget(again), new Expr.Literal(Type.BOOLEAN, false), true, null, src)),
              null, new ArrayList<>(), new ArrayList<>(), label, "loop", src);
          List<Stmt> retest = new ArrayList<>(test.statements());
          retest.add(test.exit(loop));
          loop.body.add(new Stmt.If(new Expr.Local(again), retest, List.of(), src));
          loop.body.add(new Stmt.Assign(new Stmt.VarTarget(again),
              new Expr.Literal(Type.BOOLEAN, true), false, null, src));
          loopBody(loop, t.getStatement());
          out.add(remember(loop, s));
        }
      }
      case LABELED_STATEMENT -> {
        LabeledStatementTree t = (LabeledStatementTree) s;
        if (isLoop(t.getStatement())) {
          census.add(Construct.LABELED_LOOP);
        }
        pendingLabel = t.getLabel().toString();
        readStatement(t.getStatement(), out);
      }
      case BREAK -> {
        BreakTree t = (BreakTree) s;
        String l = t.getLabel() == null ? null : t.getLabel().toString();
        Stmt.Loop target = jumpTarget(s, l, false);
        census.add(l != null ? Construct.LABELED_BREAK : switchExits.contains(target)
            ? Construct.BREAK_FROM_SWITCH : Construct.BREAK);
        out.add(remember(new Stmt.Jump(Stmt.JumpKind.BREAK, target, l, src(s, s)), s));
      }
      case CONTINUE -> {
        ContinueTree t = (ContinueTree) s;
        String l = t.getLabel() == null ? null : t.getLabel().toString();
        census.add(l == null ? Construct.CONTINUE : Construct.LABELED_CONTINUE);
        Stmt.Loop target = jumpTarget(s, l, true);
        if (l == null && target != loops.peek()) {
          // Inside a switch, whose one-trip loop would take an unlabelled continue.
          census.add(Construct.CONTINUE_FROM_SWITCH);
          l = target.label;
          if (l == null) {
            throw new IllegalStateException("loop continued from a switch has no label");
          }
        }
        out.add(remember(new Stmt.Jump(Stmt.JumpKind.CONTINUE, target, l, src(s, s)), s));
      }
      case RETURN -> {
        ReturnTree t = (ReturnTree) s;
        if (t.getExpression() == null) {
          throw new Unsupported(s, Message.RETURN_WITHOUT_VALUE);
        }
        census.add(loops.isEmpty() ? Construct.RETURN : Construct.RETURN_INSIDE_LOOP);
        Expr value = hoist(expression(t.getExpression()), false, src(s, s));
        if (returnType() == Type.VECTOR) {
          if (value.type() != Type.VECTOR) {
            throw new Unsupported(t.getExpression(), Message.NOT_A_VECTOR, value.type().java());
          }
        } else {
          requireNumeric(t.getExpression(), value, Fragment.RETURNED_VALUE.text());
        }
        out.add(remember(new Stmt.Return(value, src(s, s)), s));
      }
      case SWITCH -> {
        SwitchTree t = (SwitchTree) s;
        readSwitch(t, t.getExpression(), t.getCases(), false, out);
      }
      case YIELD -> {
        YieldTree t = (YieldTree) s;
        SwitchFrame frame = null;
        for (SwitchFrame f : switches) {
          if (f.result != null) {
            frame = f;
            break;
          }
        }
        if (frame == null) {
          throw new Unsupported(s, Message.YIELD_OUTSIDE_SWITCH);
        }
        census.add(Construct.YIELD);
        out.addAll(yieldTo(frame, hoist(expression(t.getValue()), false, src(s, s)), src(s, s)));
      }
      case TRY -> throw new Unsupported(s, Message.TRY);
      case THROW -> throw new Unsupported(s, Message.THROW);
      case SYNCHRONIZED -> throw new Unsupported(s, Message.SYNCHRONIZED);
      case ASSERT -> throw new Unsupported(s, Message.ASSERT);
      case CLASS, INTERFACE, ENUM, RECORD -> throw new Unsupported(s, Message.LOCAL_CLASS);
      default -> throw new Unsupported(s, Message.STATEMENT, s.getKind().toString().toLowerCase()
          .replace('_', ' '));
    }
  }

  // ---------------------------------------------------------------- switch

  /** A switch being read: the one-trip loop its breaks leave, and a switch expression's values. */
  private static final class SwitchFrame {
    final Stmt.Loop exit;
    /** Stands for the switch expression's result until its type is known; null for statements. */
    final Var result;
    final List<Expr> values = new ArrayList<>();

    SwitchFrame(Stmt.Loop exit, Var result) {
      this.exit = exit;
      this.result = result;
    }

    Stmt.Assign give(Expr value, Src src) {
      values.add(value);
      return new Stmt.Assign(new Stmt.VarTarget(result), value, false, null, src);
    }
  }

  private final Deque<SwitchFrame> switches = new ArrayDeque<>();
  /** The one-trip loops standing for switches: a continue or a labelled jump passes them. */
  private final Set<Stmt.Loop> switchExits =
      java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  /** {@code yield value}: the switch expression's result, then out of the switch. */
  private List<Stmt> yieldTo(SwitchFrame frame, Expr value, Src src) {
    Stmt.Loop innermost = loops.peek();
    return List.of(frame.give(value, src), new Stmt.Jump(Stmt.JumpKind.BREAK, frame.exit,
        frame.exit == innermost ? null : frame.exit.label, src));
  }

  private enum SelectorKind { INT, STRING, ENUM }

  private static final Callee OBJECTS_EQUALS = new Callee("java.util.Objects", "equals",
      List.of(Type.OTHER, Type.OTHER), Type.BOOLEAN, false, null, List.of("a", "b"),
      List.of(false, false), null, null, List.of(false, false), false, null);
  private static final Callee REQUIRE_NON_NULL = new Callee("java.util.Objects",
      "requireNonNull", List.of(Type.OTHER), Type.OTHER, false, null, List.of("obj"),
      List.of(false), null, null, List.of(false), false, null);

  /** One group of a switch: the tests that enter it, and its statements. */
  private record Group(List<Expr> tests, boolean isDefault, List<Stmt> body,
      boolean fallsThrough) {}

  /**
   * A switch statement (into {@code out}) or, if {@code expression}, a switch expression (its
   * statements into {@code out}, its value returned). A switch whose groups never fall through
   * reads as an if / else if chain on the selector, with the default last; one where they do
   * computes the group it enters ({@code entry}) and runs every group from there on. Breaks
   * (and yields) that do not end their group leave a one-trip loop around it.
   */
  private Expr readSwitch(Tree sw, ExpressionTree selectorTree, List<? extends CaseTree> cases,
      boolean expression, List<Stmt> out) {
    Src src = src(sw, selectorTree);
    Expr selector = expressionOrObject(selectorTree);
    SelectorKind kind;
    TypeElement enumType = null;
    if (selector.type() == Type.INT) {
      kind = SelectorKind.INT;
      if (!(selector instanceof Expr.Local || selector instanceof Expr.Literal
          || selector instanceof Expr.Constant)) {
        Var held = newLocal("selected", Type.INT);
        out.add(new Stmt.Assign(new Stmt.VarTarget(held), hoist(selector, false, src), true, null,
            src));
        selector = new Expr.Local(held);
      }
    } else if (selector.type() == Type.OTHER && referenceTypes.get(selector) != null) {
      TypeMirror type = referenceTypes.get(selector);
      Element e = types.asElement(type);
      if (e instanceof TypeElement te && te.getQualifiedName().contentEquals("java.lang.String")) {
        kind = SelectorKind.STRING;
        census.add(Construct.SWITCH_ON_STRING);
      } else if (e != null && e.getKind() == ElementKind.ENUM) {
        kind = SelectorKind.ENUM;
        enumType = (TypeElement) e;
        census.add(Construct.SWITCH_ON_ENUM);
      } else {
        throw new Unsupported(selectorTree, Message.SWITCH_ON_TYPE, type);
      }
      if (!(selector instanceof Expr.Local || selector instanceof Expr.Constant)) {
        throw new Unsupported(selectorTree, Message.SWITCH_ON_CALL);
      }
    } else {
      throw new Unsupported(selectorTree, Message.SWITCH_SELECTOR);
    }
    Stmt.Loop exit = new Stmt.Loop(Stmt.LoopKind.DO, List.of(), new Expr.Literal(Type.BOOLEAN,
        false), new ArrayList<>(), new ArrayList<>(), freshName("cases"), "cases", src);
    SwitchFrame frame = new SwitchFrame(exit, expression
        ? new Var("<switch value>", Type.DOUBLE, Var.Kind.LOCAL, true) : null);
    List<Group> groups = new ArrayList<>();
    boolean[] first = {true};
    switches.push(frame);
    loops.push(exit);
    switchExits.add(exit);
    scopes.push(new HashMap<>());
    try {
      List<Expr> tests = new ArrayList<>();
      boolean isDefault = false;
      for (int c = 0; c < cases.size(); c++) {
        CaseTree ct = cases.get(c);
        isDefault |= caseLabels(ct, kind, enumType, selector, first, tests);
        if (ct.getCaseKind() == CaseTree.CaseKind.RULE) {
          census.add(Construct.SWITCH_ARROWS);
          List<Stmt> body = new ArrayList<>();
          Tree b = ct.getBody();
          if (b instanceof BlockTree block) {
            readStatements(block.getStatements(), body);
          } else if (b instanceof StatementTree st) {
            readStatements(List.of(st), body);
          } else if (b instanceof ExpressionTree et && expression) {
            Src at = src(b, b);
            Expr v = readInto(body, () -> hoist(expression(et), false, at));
            body.add(frame.give(v, at));
          } else if (b instanceof ExpressionTree et) {
            body.add(statementInto(body, et, b));
          } else {
            throw new Unsupported(b, Message.CASE_BODY);
          }
          groups.add(new Group(tests, isDefault, body, false));
        } else {
          List<? extends StatementTree> statements = ct.getStatements();
          if (statements.isEmpty() && c < cases.size() - 1) {
            continue; // case 1: case 2: ... shares the next group
          }
          census.add(Construct.SWITCH_STATEMENT);
          List<Stmt> body = new ArrayList<>();
          readStatementsInScope(statements, body);
          groups.add(new Group(tests, isDefault, body,
              c < cases.size() - 1 && canComplete(statements)));
        }
        tests = new ArrayList<>();
        isDefault = false;
      }
    } finally {
      scopes.pop();
      switchExits.remove(exit);
      loops.pop();
      switches.pop();
    }
    Var result = null;
    if (expression) {
      Type type = null;
      for (Expr v : frame.values) {
        if (type == null || v.type() == type) {
          type = v.type();
        } else if (type.isNumeric() && v.type().isNumeric()) {
          type = Type.promote(type, v.type());
        } else {
          throw new Unsupported(sw, Message.SWITCH_VALUES_DIFFER);
        }
      }
      if (type == null || !(type.isNumeric() || type == Type.BOOLEAN)) {
        throw new Unsupported(sw, Message.SWITCH_VALUE_TYPE);
      }
      if (frame.values.stream().allMatch(v -> isFloat(v) || v.type().isIntegral())
          && frame.values.stream().anyMatch(this::isFloat)) {
        noFloatLocal(sw, frame.values.get(0).type() == Type.DOUBLE ? frame.values.get(0)
            : frame.values.stream().filter(this::isFloat).findFirst().get());
      }
      result = newLocal("chosen", type);
      for (Group g : groups) {
        replaceTarget(g.body(), frame.result, result);
      }
    }
    boolean fallThrough = groups.stream().anyMatch(Group::fallsThrough);
    if (!fallThrough) {
      for (Group g : groups) {
        List<Stmt> body = g.body();
        if (!body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Jump j
            && j.target() == exit && j.kind() == Stmt.JumpKind.BREAK) {
          body.remove(body.size() - 1);
        }
      }
    }
    boolean[] leaves = {false};
    for (Group g : groups) {
      Walk.walk(g.body(), st -> leaves[0] |= st instanceof Stmt.Jump j
          && j.target() == exit);
    }
    List<Stmt> code = leaves[0] ? exit.body : out;
    if (fallThrough) {
      census.add(Construct.SWITCH_FALL_THROUGH);
      int otherwise = groups.size();
      for (int i = 0; i < groups.size(); i++) {
        if (groups.get(i).isDefault()) {
          otherwise = i;
        }
      }
      Expr choose = new Expr.Literal(Type.INT, otherwise);
      for (int i = groups.size() - 1; i >= 0; i--) {
        if (!groups.get(i).tests().isEmpty()) {
          choose = new Expr.Conditional(anyOf(groups.get(i).tests()),
              new Expr.Literal(Type.INT, i), choose, Type.INT);
        }
      }
      Var entry = newLocal("entry", Type.INT);
      out.add(new Stmt.Assign(new Stmt.VarTarget(entry), choose, true, null, src));
      for (int i = 0; i < groups.size(); i++) {
        code.add(new Stmt.If(new Expr.Binary(BinaryOp.LE, new Expr.Local(entry),
            new Expr.Literal(Type.INT, i), Type.BOOLEAN), groups.get(i).body(), List.of(), src));
      }
    } else {
      List<Stmt> otherwise = new ArrayList<>();
      for (Group g : groups) {
        if (g.isDefault()) {
          otherwise = g.body();
        }
      }
      for (int i = groups.size() - 1; i >= 0; i--) {
        Group g = groups.get(i);
        if (!g.isDefault()) {
          otherwise = new ArrayList<>(List.of(new Stmt.If(anyOf(g.tests()), g.body(), otherwise,
              src)));
        }
      }
      code.addAll(otherwise);
    }
    if (leaves[0]) {
      census.add(Construct.SWITCH_LEFT_EARLY);
      out.add(exit);
    }
    return result == null ? null : new Expr.Local(result);
  }

  private static Expr anyOf(List<Expr> tests) {
    Expr any = tests.get(0);
    for (int i = 1; i < tests.size(); i++) {
      any = new Expr.Binary(BinaryOp.COR, any, tests.get(i), Type.BOOLEAN);
    }
    return any;
  }

  /** Replaces, by identity, assignments to {@code from} in {@code stmts} with ones to {@code to}. */
  private static void replaceTarget(List<Stmt> stmts, Var from, Var to) {
    for (int i = 0; i < stmts.size(); i++) {
      Stmt s = stmts.get(i);
      if (s instanceof Stmt.Assign a && a.target() instanceof Stmt.VarTarget vt
          && vt.var() == from) {
        stmts.set(i, new Stmt.Assign(new Stmt.VarTarget(to), a.value(), false, null, a.src()));
      } else if (s instanceof Stmt.If f) {
        replaceTarget(f.then(), from, to);
        replaceTarget(f.otherwise(), from, to);
      } else if (s instanceof Stmt.Loop l) {
        replaceTarget(l.init, from, to);
        replaceTarget(l.body, from, to);
        replaceTarget(l.update, from, to);
      }
    }
  }

  /**
   * Adds to {@code tests} one test per constant label of {@code ct}; returns whether it is (or
   * includes) {@code default}. The first test built also checks the selector is not null, where
   * Java's switch throws.
   */
  private boolean caseLabels(CaseTree ct, SelectorKind kind, TypeElement enumType, Expr selector,
      boolean[] first, List<Expr> tests) {
    boolean isDefault = ct.getExpressions().isEmpty();
    try {
      // JDK 21 and later: labels of their own kinds (patterns, default among constants).
      Object labels = CaseTree.class.getMethod("getLabels").invoke(ct);
      for (Object label : (List<?>) labels) {
        String k = ((Tree) label).getKind().name();
        if (k.equals("DEFAULT_CASE_LABEL")) {
          isDefault = true;
        } else if (!k.equals("CONSTANT_CASE_LABEL") && !(label instanceof ExpressionTree)) {
          // JDK 17 gives a constant label as its expression, JDK 21 wraps it.
          throw new Unsupported((Tree) label, Message.PATTERN_LABEL);
        }
      }
    } catch (ReflectiveOperationException javac17) {
      // getExpressions() is all there is.
    }
    for (ExpressionTree e : ct.getExpressions()) {
      ExpressionTree label = unparen(e);
      if (label.getKind() == Tree.Kind.NULL_LITERAL) {
        throw new Unsupported(e, Message.CASE_NULL);
      }
      Expr on = selector;
      if (kind != SelectorKind.INT && first[0]) {
        on = new Expr.Call(REQUIRE_NON_NULL, List.of(selector));
      }
      first[0] = false;
      switch (kind) {
        case INT -> {
          Expr value = expression(label);
          boolean[] constant = {true};
          Walk.visitExpr(value, x -> constant[0] &= !(x
              instanceof Expr.Local || x instanceof Expr.Index || x instanceof Expr.Call));
          if (!constant[0] || !value.type().isIntegral()) {
            throw new Unsupported(e, Message.CASE_NOT_CONSTANT);
          }
          tests.add(new Expr.Binary(BinaryOp.EQ, on, value, Type.BOOLEAN));
        }
        case ENUM -> {
          String name = label instanceof MemberSelectTree ms ? ms.getIdentifier().toString()
              : label instanceof IdentifierTree id ? id.getName().toString() : null;
          boolean known = name != null && ElementFilter.fieldsIn(enumType.getEnclosedElements())
              .stream().anyMatch(f -> f.getKind() == ElementKind.ENUM_CONSTANT
                  && f.getSimpleName().contentEquals(name));
          if (!known) {
            throw new Unsupported(e, Message.CASE_NOT_ENUM_CONSTANT, enumType.getQualifiedName());
          }
          tests.add(new Expr.Binary(BinaryOp.EQ, on, new Expr.Constant(
              enumType.getQualifiedName().toString(), name, Type.OTHER), Type.BOOLEAN));
        }
        case STRING -> {
          if (label.getKind() != Tree.Kind.STRING_LITERAL) {
            throw new Unsupported(e, Message.CASE_NOT_STRING_LITERAL);
          }
          tests.add(new Expr.Call(OBJECTS_EQUALS, List.of(on, new Expr.Literal(Type.OTHER,
              ((LiteralTree) label).getValue()))));
        }
      }
    }
    return isDefault;
  }

  /** Whether the last of {@code statements} lets control fall through to what follows. */
  private static boolean canComplete(List<? extends StatementTree> statements) {
    if (statements.isEmpty()) {
      return true;
    }
    StatementTree last = statements.get(statements.size() - 1);
    if (last instanceof BlockTree b) {
      return canComplete(b.getStatements());
    }
    return switch (last.getKind()) {
      case BREAK, CONTINUE, RETURN, THROW, YIELD -> false;
      default -> true;
    };
  }

  /** Whether a switch inside loop {@code s} (not in a loop nested in it) continues {@code s}. */
  private static boolean continuedFromSwitch(StatementTree s) {
    boolean[] found = {false};
    new TreeScanner<Void, int[]>() {
      // state: {loops entered below s, switches entered at that depth}
      @Override
      public Void visitContinue(ContinueTree c, int[] at) {
        found[0] |= c.getLabel() == null && at[0] == 1 && at[1] > 0;
        return null;
      }

      private Void loop(Tree t, int[] at) {
        at[0]++;
        int switchesOutside = at[1];
        at[1] = 0;
        scanChildren(t, at);
        at[1] = switchesOutside;
        at[0]--;
        return null;
      }

      private void scanChildren(Tree t, int[] at) {
        if (t instanceof ForLoopTree f) {
          scan(f.getStatement(), at);
        } else if (t instanceof EnhancedForLoopTree f) {
          scan(f.getStatement(), at);
        } else if (t instanceof WhileLoopTree w) {
          scan(w.getStatement(), at);
        } else if (t instanceof DoWhileLoopTree d) {
          scan(d.getStatement(), at);
        }
      }

      @Override
      public Void visitForLoop(ForLoopTree t, int[] at) {
        return loop(t, at);
      }

      @Override
      public Void visitEnhancedForLoop(EnhancedForLoopTree t, int[] at) {
        return loop(t, at);
      }

      @Override
      public Void visitWhileLoop(WhileLoopTree t, int[] at) {
        return loop(t, at);
      }

      @Override
      public Void visitDoWhileLoop(DoWhileLoopTree t, int[] at) {
        return loop(t, at);
      }

      @Override
      public Void visitSwitch(SwitchTree t, int[] at) {
        at[1]++;
        super.visitSwitch(t, at);
        at[1]--;
        return null;
      }
    }.scan(s, new int[2]);
    return found[0];
  }

  /** A name no identifier of the source and no local uses, for a label. */
  private String freshName(String base) {
    String name = base;
    int n = 2;
    while (identifiers.contains(name) || hoisted.containsKey(name)) {
      name = base + n++;
    }
    identifiers.add(name);
    return name;
  }

  private static boolean isLoop(StatementTree s) {
    return switch (s.getKind()) {
      case FOR_LOOP, ENHANCED_FOR_LOOP, WHILE_LOOP, DO_WHILE_LOOP, LABELED_STATEMENT -> true;
      default -> false;
    };
  }

  private <S extends Stmt> S remember(S stmt, Tree t) {
    statementTrees.put(stmt, t);
    return stmt;
  }

  private Stmt.Loop jumpTarget(Tree s, String label, boolean isContinue) {
    for (Stmt.Loop l : loops) {
      if (switchExits.contains(l) && (isContinue || label != null)) {
        continue;
      }
      if (label == null || label.equals(l.label)) {
        return l;
      }
    }
    throw label == null ? new Unsupported(s, Message.JUMP_OUTSIDE_LOOP)
        : new Unsupported(s, Message.NO_SUCH_LABEL, label);
  }

  /**
   * A loop condition: {@code statements} are what its assignments became ({@code n-- > 0} reads
   * {@code nBefore = n; n--;}), run before {@code value} is tested.
   */
  private record LoopTest(List<Stmt> statements, Expr value, Src src) {
    /** The condition for the loop's header: null when it has statements to run first. */
    Expr plain() {
      return statements.isEmpty() ? value : null;
    }

    /** {@code if (!(value)) break;} for {@code loop}. */
    Stmt exit(Stmt.Loop loop) {
      return new Stmt.If(new Expr.Unary(Expr.UnaryOp.NOT, value, Type.BOOLEAN),
          List.of(new Stmt.Jump(Stmt.JumpKind.BREAK, loop, null, src)), List.of(), src);
    }

    /** A test with statements moves into the top of the body of {@code loop}. */
    void atTop(Stmt.Loop loop) {
      if (!statements.isEmpty()) {
        loop.body.addAll(statements);
        loop.body.add(exit(loop));
      }
    }
  }

  /** Whether a {@code continue} in {@code body} goes to the loop labelled {@code label} around it. */
  private static boolean continues(StatementTree body, String label) {
    boolean[] found = {false};
    new TreeScanner<Void, Integer>() {
      @Override
      public Void visitContinue(ContinueTree c, Integer depth) {
        found[0] |= c.getLabel() == null ? depth == 0 : c.getLabel().contentEquals(
            label == null ? "" : label);
        return null;
      }

      @Override
      public Void visitForLoop(com.sun.source.tree.ForLoopTree t, Integer depth) {
        return super.visitForLoop(t, depth + 1);
      }

      @Override
      public Void visitEnhancedForLoop(EnhancedForLoopTree t, Integer depth) {
        return super.visitEnhancedForLoop(t, depth + 1);
      }

      @Override
      public Void visitWhileLoop(WhileLoopTree t, Integer depth) {
        return super.visitWhileLoop(t, depth + 1);
      }

      @Override
      public Void visitDoWhileLoop(DoWhileLoopTree t, Integer depth) {
        return super.visitDoWhileLoop(t, depth + 1);
      }
    }.scan(body, 0);
    return found[0];
  }

  /** Whether {@code body} ends in an expression statement, so that it can complete normally. */
  private static boolean endsInExpressionStatement(StatementTree body) {
    StatementTree last = body;
    while (last instanceof BlockTree b && !b.getStatements().isEmpty()) {
      last = b.getStatements().get(b.getStatements().size() - 1);
    }
    return last instanceof ExpressionStatementTree;
  }

  private void loopBody(Stmt.Loop loop, StatementTree body) {
    loops.push(loop);
    try {
      loop.body.addAll(readBody(body));
    } finally {
      loops.pop();
    }
  }

  private Stmt.Loop forLoop(ForLoopTree t, String label) {
    scopes.push(new HashMap<>());
    try {
      List<Stmt> init = new ArrayList<>();
      String hint = "loop";
      for (StatementTree s : t.getInitializer()) {
        if (s instanceof VariableTree v) {
          Stmt d = declareInto(init, v, s);
          if (d != null) {
            init.add(d);
          }
          if (hint.equals("loop")) {
            hint = v.getName().toString();
          }
        } else if (s instanceof ExpressionStatementTree e) {
          Stmt st = statementInto(init, e.getExpression(), s);
          init.add(st);
          if (hint.equals("loop") && st instanceof Stmt.Assign a
              && a.target() instanceof Stmt.VarTarget vt) {
            hint = vt.var().name();
          }
        } else {
          throw new Unsupported(s, Message.FOR_INITIALIZER);
        }
      }
      census.add(t.getCondition() == null ? Construct.FOR_WITHOUT_CONDITION : Construct.FOR);
      LoopTest test = t.getCondition() == null ? null : loopCondition(t.getCondition());
      // The update is read before the body (it sees only the header's variables) so that the
      // loop's shape is known when the body's jumps are read.
      List<Stmt> update = new ArrayList<>();
      for (ExpressionStatementTree u : t.getUpdate()) {
        boolean outer = hoistForbidden;
        hoistForbidden = true;
        try {
          update.add(statementInto(update, u.getExpression(), u));
        } finally {
          hoistForbidden = outer;
        }
      }
      if (update.size() > t.getUpdate().size()) {
        census.add(Construct.ASSIGNMENT_IN_LOOP_UPDATE);
      }
      Src src = header(t, t.getStatement());
      Stmt.Loop loop;
      if (update.stream().allMatch(u -> u instanceof Stmt.Assign || u instanceof Stmt.Step)) {
        loop = new Stmt.Loop(Stmt.LoopKind.FOR, init, test == null ? null : test.plain(), update,
            new ArrayList<>(), label, hint, src);
        if (test != null) {
          test.atTop(loop);
        }
      } else {
        // An update with an if of its own (a && (k = ...)) runs at the top of every iteration
        // but the first, where a continue reaches it too; the condition is tested after it.
        Var again = newLocal("again", Type.BOOLEAN);
        again.reassigned = true;
        List<Stmt> start = new ArrayList<>(init);
        start.add(new Stmt.Assign(new Stmt.VarTarget(again), new Expr.Literal(Type.BOOLEAN,
            false), true, null, src));
        loop = new Stmt.Loop(Stmt.LoopKind.FOR, start, null, new ArrayList<>(), new ArrayList<>(),
            label, hint, src);
        loop.body.add(new Stmt.If(new Expr.Local(again), update, List.of(), src));
        loop.body.add(new Stmt.Assign(new Stmt.VarTarget(again),
            new Expr.Literal(Type.BOOLEAN, true), false, null, src));
        if (test != null) {
          loop.body.addAll(test.statements());
          loop.body.add(test.exit(loop));
        }
      }
      loopBody(loop, t.getStatement());
      remember(loop, t);
      return loop;
    } finally {
      scopes.pop();
    }
  }

  /** {@code for (double v : a) body} becomes a counted loop over a hidden index. */
  private List<Stmt> enhancedFor(EnhancedForLoopTree t, String label) {
    List<Stmt> out = new ArrayList<>();
    scopes.push(new HashMap<>());
    try {
      Src src = header(t, t.getStatement());
      Expr array = expression(t.getExpression());
      if (!array.type().isArray()) {
        throw new Unsupported(t.getExpression(), Message.ENHANCED_FOR_OVER);
      }
      census.add(switch (array.type()) {
        case VECTOR -> Construct.FOR_EACH_OVER_VECTOR;
        case MATRIX -> Construct.FOR_EACH_OVER_MATRIX;
        case TENSOR -> Construct.FOR_EACH_OVER_TENSOR;
        default -> Construct.FOR_EACH_OVER_INT_VECTOR;
      });
      VariableTree v = t.getVariable();
      String name = v.getName().toString();
      Type declared = v.getType() == null ? array.type().element() : declaredType(v.getType());
      if (declared != array.type().element()
          && !(declared == Type.DOUBLE && array.type().element().isNumeric())) {
        throw new Unsupported(v, Message.LOOP_VARIABLE_TYPE, name, array.type().element().java());
      }
      if (!(array instanceof Expr.Local l && l.var().isParameter())) {
        // Evaluate the array once, as Java does: the body may reassign a local array variable
        // (parameters cannot be reassigned).
        Var held = newLocal(name + "Array", array.type());
        out.add(new Stmt.Assign(new Stmt.VarTarget(held), array, true, null, src));
        array = new Expr.Local(held);
      }
      Var index = newLocal(name + "Index", Type.INT);
      Expr.Local i = new Expr.Local(index);
      List<Stmt> init = List.of(new Stmt.Assign(new Stmt.VarTarget(index),
          new Expr.Literal(Type.INT, 0), true, null, src));
      Expr cond = new Expr.Binary(BinaryOp.LT, i, new Expr.Length(array), Type.BOOLEAN);
      Stmt.Loop loop = new Stmt.Loop(Stmt.LoopKind.FOR, init, cond, new ArrayList<>(),
          new ArrayList<>(), label, name, src);
      loop.update.add(new Stmt.Step(index, true, new Expr.Literal(Type.INT, 1), src));
      Var element = declareVar(v, name, declared);
      loop.body.add(new Stmt.Assign(new Stmt.VarTarget(element), new Expr.Index(array, i), true,
          null, src));
      loops.push(loop);
      try {
        loop.body.addAll(readBody(t.getStatement()));
      } finally {
        loops.pop();
      }
      out.add(remember(loop, t));
      return out;
    } finally {
      scopes.pop();
    }
  }

  /** A declaration whose assignments inside its initializer go to {@code into} before it. */
  private Stmt declareInto(List<Stmt> into, VariableTree v, Tree where) {
    List<Stmt> outer = pending;
    pending = into;
    try {
      return declare(v, where);
    } finally {
      pending = outer;
    }
  }

  /** An expression statement whose inner assignments go to {@code into} before it. */
  private Stmt statementInto(List<Stmt> into, ExpressionTree e, Tree where) {
    List<Stmt> outer = pending;
    pending = into;
    try {
      return expressionStatement(e, where);
    } finally {
      pending = outer;
    }
  }

  private Stmt declare(VariableTree v, Tree where) {
    String name = v.getName().toString();
    if (v.getInitializer() == null) {
      // Java's definite assignment guarantees an assignment before any use.
      declareVar(v, name, declaredType(v.getType()));
      census.add(Construct.DECLARATION_WITHOUT_INITIALIZER);
      return null;
    }
    census.add(v.getType() == null ? Construct.VAR_DECLARATION : Construct.DECLARATION);
    Expr init;
    Type type;
    if (v.getInitializer() instanceof NewArrayTree na && na.getType() == null) {
      census.add(Construct.ARRAY_INITIALIZER_DECLARATION);
      type = declaredType(v.getType());
      init = arrayLiteral(na, type);
    } else {
      init = expression(v.getInitializer());
      type = v.getType() == null ? init.type() : declaredType(v.getType());
      if (v.getType() == null && isFloat(init)) {
        throw new Unsupported(v, Message.VAR_IS_FLOAT, name);
      }
    }
    init = hoist(init, true, src(where, where));
    checkAssignable(v.getInitializer(), type, init);
    Var var = declareVar(v, name, type);
    return remember(new Stmt.Assign(new Stmt.VarTarget(var), init, true, null, src(where, where)),
        where);
  }

  private Var declareVar(Tree where, String name, Type type) {
    if (!type.isArray() && type != Type.DOUBLE && type != Type.INT && type != Type.LONG
        && type != Type.BOOLEAN) {
      throw new Unsupported(where, Message.LOCAL_TYPE, type.java());
    }
    Var var = null;
    // Sibling scopes may reuse a name; same name and type share the hoisted variable.
    for (Var candidate : hoisted.getOrDefault(name, List.of())) {
      if (candidate.type() == type && !inScope(candidate)) {
        var = candidate;
        break;
      }
    }
    if (var == null) {
      // A new name where this one is taken: by a hoisted local of another type, by one still
      // in scope (javac reports that duplicate; the generated code must still compile), or by a
      // parameter.
      String unique = name;
      int n = 2;
      while (hoisted.containsKey(unique) || isParameterName(unique)
          || !unique.equals(name) && identifiers.contains(unique)) {
        unique = name + n++;
      }
      var = new Var(unique, type, Var.Kind.LOCAL, false);
      hoisted.computeIfAbsent(name, k -> new ArrayList<>()).add(var);
      if (!unique.equals(name)) {
        hoisted.computeIfAbsent(unique, k -> new ArrayList<>()).add(var);
        identifiers.add(unique);
      }
      locals.add(var);
    }
    var.declarations++;
    scopes.peek().put(name, var);
    return var;
  }

  private boolean isParameterName(String name) {
    return scopes.peekLast().containsKey(name);
  }

  private boolean inScope(Var v) {
    for (Map<String, Var> scope : scopes) {
      if (scope.containsValue(v)) {
        return true;
      }
    }
    return false;
  }

  private Var newLocal(String base, Type type) {
    String name = base;
    int n = 2;
    while (identifiers.contains(name) || hoisted.containsKey(name)) {
      name = base + n++;
    }
    identifiers.add(name);
    Var var = new Var(name, type, Var.Kind.LOCAL, false);
    var.declarations++;
    hoisted.computeIfAbsent(name, k -> new ArrayList<>()).add(var);
    locals.add(var);
    return var;
  }

  private Stmt expressionStatement(ExpressionTree e, Tree where) {
    Src src = src(where, where);
    switch (e.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree a = (AssignmentTree) e;
        Stmt.Target target = target(a.getVariable(), Census.ParameterUse.ASSIGNED, src);
        census.add(target instanceof Stmt.VarTarget ? Construct.ASSIGNMENT_TO_LOCAL
            : Construct.ASSIGNMENT_TO_ELEMENT);
        int targetEnd = pending.size();
        Stmt.Target written = target;
        Expr value = a.getExpression() instanceof NewArrayTree na && na.getType() == null
            ? arrayLiteral(na, written.type()) : expression(a.getExpression());
        target = keptTarget(target, targetEnd, a.getExpression());
        value = hoist(value, target instanceof Stmt.VarTarget, src);
        checkAssignable(a.getExpression(), target.type(), value);
        if (target instanceof Stmt.ElementTarget && value.type().isArray()) {
          value = sharedArray(value, a.getExpression(), src);
        }
        return remember(new Stmt.Assign(target, value, false, null, src), where);
      }
      case PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT -> {
        CompoundAssignmentTree a = (CompoundAssignmentTree) e;
        BinaryOp op = switch (e.getKind()) {
          case PLUS_ASSIGNMENT -> BinaryOp.ADD;
          case MINUS_ASSIGNMENT -> BinaryOp.SUB;
          case MULTIPLY_ASSIGNMENT -> BinaryOp.MUL;
          case DIVIDE_ASSIGNMENT -> BinaryOp.DIV;
          default -> BinaryOp.REM;
        };
        Stmt.Target target = target(a.getVariable(), Census.ParameterUse.COMPOUND_ASSIGNED,
            src);
        census.add(switch (op) {
          case ADD -> Construct.COMPOUND_ADD;
          case SUB -> Construct.COMPOUND_SUBTRACT;
          case MUL -> Construct.COMPOUND_MULTIPLY;
          case DIV -> Construct.COMPOUND_DIVIDE;
          default -> Construct.COMPOUND_REMAINDER;
        });
        int targetEnd = pending.size();
        Expr right = expression(a.getExpression());
        int before = pending.size();
        target = keptTarget(target, targetEnd, a.getExpression());
        // Java reads the variable's value before the right side runs; kept if the right side
        // assigns it (s += (s = 2) adds 2 to the old s).
        Expr current = currentValue(target);
        Expr read = keptFrom(current, targetEnd + pending.size() - before, a.getExpression());
        right = hoist(right, false, src);
        requireNumeric(a.getVariable(), current, Fragment.LEFT_SIDE.text(op.symbol + "="));
        requireNumeric(a.getExpression(), right, Fragment.RIGHT_SIDE.text(op.symbol + "="));
        if (op == BinaryOp.REM && (current.type() == Type.DOUBLE || right.type() == Type.DOUBLE)) {
          throw new Unsupported(e, Message.REMAINDER_OF_DOUBLE);
        }
        if (read != current) {
          Type wide = Type.promote(read.type(), right.type());
          Expr value = new Expr.Binary(op, read, right, wide);
          if (wide != target.type()) {
            value = new Expr.Cast(target.type(), value);
          }
          return remember(new Stmt.Assign(target, value, false, null, src), where);
        }
        if ((op == BinaryOp.ADD || op == BinaryOp.SUB) && target instanceof Stmt.VarTarget vt
            && vt.var().type().isIntegral() && right instanceof Expr.Literal lit
            && lit.type().isIntegral()) {
          census.add(Construct.INTEGER_STEP);
          return remember(new Stmt.Step(vt.var(), op == BinaryOp.ADD, lit, src), where);
        }
        Expr value = new Expr.Binary(op, current, right, Type.promote(current.type(), right.type()));
        return remember(new Stmt.Assign(target, value, false, op, src), where);
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
        UnaryTree u = (UnaryTree) e;
        boolean inc = e.getKind() == Tree.Kind.PREFIX_INCREMENT
            || e.getKind() == Tree.Kind.POSTFIX_INCREMENT;
        Stmt.Target target = target(u.getExpression(), Census.ParameterUse.STEPPED, src);
        if (target instanceof Stmt.VarTarget vt && vt.var().type().isIntegral()) {
          census.add(Construct.INTEGER_STEP);
          return remember(new Stmt.Step(vt.var(), inc, new Expr.Literal(Type.INT, 1), src), where);
        }
        census.add(Construct.INCREMENT_OF_VALUE);
        Expr current = target instanceof Stmt.VarTarget vt ? new Expr.Local(vt.var())
            : ((Stmt.ElementTarget) target).element();
        requireNumeric(u.getExpression(), current, Fragment.OPERAND.text(inc ? "++" : "--"));
        BinaryOp op = inc ? BinaryOp.ADD : BinaryOp.SUB;
        Expr one = current.type() == Type.DOUBLE ? Expr.Literal.of(1.0)
            : new Expr.Literal(Type.INT, 1);
        return remember(new Stmt.Assign(target, new Expr.Binary(op, current, one, current.type()),
            false, op, src), where);
      }
      case METHOD_INVOCATION -> {
        Stmt.Print print = print((MethodInvocationTree) e, src);
        if (print != null) {
          return remember(print, where);
        }
        throw new Unsupported(e, Message.UNUSED_RESULT);
      }
      default -> throw new Unsupported(e, Message.EXPRESSION_STATEMENT);
    }
  }

  /**
   * {@code target}, whose indices Java evaluated when {@link #pending} had {@code end} statements,
   * with those indices kept in locals if the right side (statements added since) changes them.
   */
  private Stmt.Target keptTarget(Stmt.Target target, int end, Tree where) {
    if (!(target instanceof Stmt.ElementTarget et)) {
      return target;
    }
    Expr.Index e = et.element();
    Expr index = keptFrom(e.index(), end, where);
    Expr array = keptFrom(e.array(), end, where);
    return array == e.array() && index == e.index() ? target
        : new Stmt.ElementTarget(new Expr.Index(array, index));
  }

  private static final Set<String> PRINTS = Set.of("print", "println", "printf", "format");

  /**
   * {@code System.out.println(...)} and its kin, which users write to debug a loss: printed in
   * the forward sweep with the original values. Null if {@code t} is another call.
   */
  private Stmt.Print print(MethodInvocationTree t, Src src) {
    if (!(t.getMethodSelect() instanceof MemberSelectTree call)
        || !(call.getExpression() instanceof MemberSelectTree stream)
        || !(stream.getExpression() instanceof IdentifierTree system)
        || !system.getName().contentEquals("System") || lookup("System") != null
        || !(stream.getIdentifier().contentEquals("out")
            || stream.getIdentifier().contentEquals("err"))
        || !PRINTS.contains(call.getIdentifier().toString())) {
      return null;
    }
    census.add(Construct.PRINT);
    List<Expr> args = new ArrayList<>();
    for (Expr a : inOrder(t.getArguments(), this::printed)) {
      args.add(hoist(a, false, src));
    }
    return new Stmt.Print(stream.getIdentifier().toString(), call.getIdentifier().toString(),
        args, src);
  }

  /** An argument of a print: a value, a constant object, or a string concatenation. */
  private Expr printed(ExpressionTree t) {
    ExpressionTree e = unparen(t);
    if (e.getKind() == Tree.Kind.STRING_LITERAL) {
      return new Expr.Literal(Type.OTHER, ((LiteralTree) e).getValue());
    }
    if (e.getKind() == Tree.Kind.PLUS && text((BinaryTree) e)) {
      BinaryTree b = (BinaryTree) e;
      Expr left = printed(b.getLeftOperand());
      int end = pending.size();
      Expr right = printed(b.getRightOperand());
      return new Expr.Binary(BinaryOp.ADD, keptFrom(left, end, b.getRightOperand()), right,
          Type.OTHER);
    }
    return expressionOrObject(t);
  }

  /** Whether {@code +} here joins text: one side is a string literal or joins text itself. */
  private static boolean text(BinaryTree b) {
    for (ExpressionTree side : List.of(b.getLeftOperand(), b.getRightOperand())) {
      ExpressionTree s = unparen(side);
      if (s.getKind() == Tree.Kind.STRING_LITERAL
          || s.getKind() == Tree.Kind.PLUS && text((BinaryTree) s)) {
        return true;
      }
    }
    return false;
  }

  /** A local the reader introduces cannot hold a float: it would compute in double. */
  private void noFloatLocal(Tree where, Expr e) {
    if (isFloat(e)) {
      throw new Unsupported(where, Message.FLOAT_LOCAL);
    }
  }

  /**
   * Whether Java types {@code e} as float (a float literal or parameter, arithmetic of floats
   * with no double): the IR reads it as a double.
   */
  private boolean isFloat(Expr e) {
    if (e instanceof Expr.Literal l) {
      return l.value() instanceof Float;
    }
    if (e instanceof Expr.Local l) {
      return narrowParameters.containsKey(l.var())
          && narrowParameters.get(l.var()).getKind() == TypeKind.FLOAT;
    }
    if (e instanceof Expr.Unary u) {
      return isFloat(u.operand());
    }
    if (e instanceof Expr.Conditional c) {
      return isFloat(c.whenTrue()) && (isFloat(c.whenFalse()) || c.whenFalse().type().isIntegral())
          || isFloat(c.whenFalse()) && c.whenTrue().type().isIntegral();
    }
    if (e instanceof Expr.Binary b && !b.op().isComparison() && b.type() == Type.DOUBLE) {
      return (isFloat(b.left()) || isFloat(b.right()))
          && (isFloat(b.left()) || b.left().type().isIntegral())
          && (isFloat(b.right()) || b.right().type().isIntegral());
    }
    if (e instanceof Expr.MathCall m && List.of("abs", "max", "min", "copySign", "scalb",
        "nextUp", "nextDown", "nextAfter", "ulp", "signum").contains(m.name())) {
      return isFloat(m.args().get(0));
    }
    return false;
  }

  /** An assignment's target; {@code use} is how a parameter target is used, for the census. */
  private Stmt.Target target(ExpressionTree t, Census.ParameterUse use, Src src) {
    ExpressionTree inner = unparen(t);
    if (inner instanceof IdentifierTree id) {
      Var v = lookup(id.getName().toString());
      if (v == null && isField(id.getName().toString())) {
        throw fieldWrite(t, id.getName().toString());
      }
      if (v == null) {
        throw new Unsupported(t, Message.ASSIGN_UNKNOWN, id.getName());
      }
      if (v.type() == Type.OTHER) {
        throw objectMisuse(t, v);
      }
      if (narrowParameters.containsKey(v)) {
        TypeMirror narrow = narrowParameters.get(v);
        throw new Unsupported(t, narrow.getKind() == TypeKind.FLOAT
            ? Message.FLOAT_PARAMETER_ASSIGNED : Message.NARROW_PARAMETER_ASSIGNED, v.name(),
            narrow);
      }
      if (v.isParameter() && v.type().isArray()) {
        throw new Unsupported(t, Message.ARRAY_PARAMETER_REASSIGNED, v.name());
      }
      if (v.isParameter()) {
        parameterUse(v, use);
      }
      v.reassigned = true;
      return new Stmt.VarTarget(v);
    }
    if (inner instanceof ArrayAccessTree) {
      Expr e = expression(inner);
      Expr.Index index = (Expr.Index) e;
      if (index.type().isArray()) {
        census.add(Construct.ROW_ASSIGNMENT);
      }
      Expr root = index.array();
      while (root instanceof Expr.Index i) {
        root = i.array();
      }
      if (root instanceof Expr.Local l && l.var().isParameter()) {
        // The original changes the caller's array; the generated methods work on a copy.
        census.add(l.var().type() == Type.INT_VECTOR ? Construct.WRITE_INTO_INT_PARAMETER
            : Construct.WRITE_INTO_ARRAY_PARAMETER);
      }
      if (root instanceof Expr.Constant c) {
        throw fieldWrite(t, c.name());
      }
      if (!(root instanceof Expr.Local)) {
        throw new Unsupported(t, Message.ASSIGN_ELEMENT);
      }
      return new Stmt.ElementTarget(indexedOnce(t, index, src));
    }
    if (inner instanceof MemberSelectTree ms && ms.getExpression() instanceof IdentifierTree id
        && id.getName().contentEquals("this")) {
      throw fieldWrite(t, ms.getIdentifier().toString());
    }
    throw new Unsupported(t, Message.ASSIGN_TARGET);
  }

  /** Whether {@code name} is a field this method can see (of its object or a static one). */
  private boolean isField(String name) {
    return ElementFilter.fieldsIn(elements.getAllMembers(owner)).stream()
        .anyMatch(f -> f.getSimpleName().contentEquals(name));
  }

  private static Unsupported fieldWrite(Tree t, String name) {
    return new Unsupported(t, Message.FIELD_WRITE, name);
  }

  /**
   * An array that becomes a row of another ({@code m[i] = value}, {@code new double[][] {x, y}}):
   * the row shares its storage. An array the statement creates ({@code new double[n]}, a call's
   * result) first gets a local of its own, so that every row is a variable or a row of one and
   * its adjoint is that variable's.
   */
  private Expr sharedArray(Expr value, Tree where, Src src) {
    if (value instanceof Expr.Local || value instanceof Expr.Index
        || value instanceof Expr.Constant) {
      return value;
    }
    Var held = newLocal(value instanceof Expr.Call c ? c.callee().name()
        : value.type() == Type.MATRIX ? "plane" : "row", value.type());
    pending.add(new Stmt.Assign(new Stmt.VarTarget(held), value, true, null, src));
    return new Expr.Local(held);
  }

  /**
   * An element target whose indices read array elements gets those indices computed once, into
   * int locals, before the statement, as Java computes them: the backward sweep restores the old
   * element through the same index, which it could not recompute once the write may have changed
   * what the index reads ({@code w[(int) w[k]] = ...} with k the element written).
   */
  private Expr.Index indexedOnce(Tree t, Expr.Index target, Src src) {
    Expr array = target.array() instanceof Expr.Index inner ? indexedOnce(t, inner, src)
        : target.array();
    Expr index = target.index();
    boolean[] readsElements = {false};
    Walk.visitExpr(index,
        x -> readsElements[0] |= x instanceof Expr.Index);
    if (readsElements[0]) {
      if (hoistForbidden) {
        throw new Unsupported(t, Message.INDEX_IN_LOOP_UPDATE);
      }
      Var held = newLocal("index", Type.INT);
      pending.add(new Stmt.Assign(new Stmt.VarTarget(held), index, true, null, src));
      index = new Expr.Local(held);
    }
    return new Expr.Index(array, index);
  }

  // ---------------------------------------------------------------- order of evaluation

  /**
   * An assignment or {@code ++}/{@code --} used as a value ({@code a = b = 0.0}, {@code x[i++]},
   * {@code while (n-- > 0)}) becomes a statement of its own, just before the statement it is part
   * of, and the expression reads the value Java gives it: the variable after the assignment, or,
   * for a postfix operator, the value before it, kept in a local. Operands to its left that it
   * could change are kept in locals first ({@link #keptFrom}), so the order stays Java's.
   */
  private Expr assignmentValue(ExpressionTree t) {
    boolean postfix = t.getKind() == Tree.Kind.POSTFIX_INCREMENT
        || t.getKind() == Tree.Kind.POSTFIX_DECREMENT;
    census.add(switch (t.getKind()) {
      case ASSIGNMENT -> Construct.ASSIGNMENT_AS_VALUE;
      case PREFIX_INCREMENT, PREFIX_DECREMENT -> Construct.PREFIX_STEP_AS_VALUE;
      case POSTFIX_INCREMENT, POSTFIX_DECREMENT -> Construct.POSTFIX_STEP_AS_VALUE;
      default -> Construct.COMPOUND_ASSIGNMENT_AS_VALUE;
    });
    Stmt write = expressionStatement(t, t);
    Expr current = write instanceof Stmt.Step st ? new Expr.Local(st.var())
        : currentValue(((Stmt.Assign) write).target());
    if (postfix) {
      Var before = newLocal(hint(current) + "Before", current.type());
      pending.add(new Stmt.Assign(new Stmt.VarTarget(before), current, true, null, src(t, t)));
      pending.add(write);
      return new Expr.Local(before);
    }
    pending.add(write);
    return current;
  }

  private static Expr currentValue(Stmt.Target target) {
    return target instanceof Stmt.VarTarget vt ? new Expr.Local(vt.var())
        : ((Stmt.ElementTarget) target).element();
  }

  /** A readable base for a local that keeps {@code e}'s value. */
  private static String hint(Expr e) {
    if (e instanceof Expr.Local l) {
      return l.var().name();
    }
    if (e instanceof Expr.Index i) {
      Var root = Walk.root(i);
      return root == null ? "element" : root.name();
    }
    if (e instanceof Expr.Call c) {
      return c.callee().name();
    }
    if (e instanceof Expr.MathCall m) {
      return m.name();
    }
    return "value";
  }

  /** Reads with {@code into} as the place for the statements the reading produces. */
  private Expr readInto(List<Stmt> into, java.util.function.Supplier<Expr> read) {
    List<Stmt> outer = pending;
    pending = into;
    try {
      return read.get();
    } finally {
      pending = outer;
    }
  }

  /** {@code v = value} as a statement of {@code into}, kernels in {@code value} hoisted there. */
  private Stmt.Assign assignTo(Var v, Expr value, List<Stmt> into, Src src) {
    Expr hoisted = readInto(into, () -> hoist(value, true, src));
    return new Stmt.Assign(new Stmt.VarTarget(v), hoisted, true, null, src);
  }

  /**
   * {@code e}, an operand whose reading ended when {@link #pending} had {@code end} statements:
   * if the statements added since (by operands to its right) may change what {@code e} reads,
   * {@code e} is evaluated into a local at {@code end}, where Java evaluates it.
   */
  private Expr keptFrom(Expr e, int end, Tree where) {
    List<Stmt> later = pending.subList(end, pending.size());
    if (e instanceof Expr.Index i && e.type().isArray()) {
      // A row: keep the indices that select it (m[idx[0]] with idx changed later); the matrix
      // variable itself must not change.
      Expr index = keptFrom(i.index(), end, where);
      Expr array = keptFrom(i.array(), end, where);
      return index == i.index() && array == i.array() ? e : new Expr.Index(array, index);
    }
    if (e instanceof Expr.ArrayLiteral a) {
      // A new array: its elements are what Java evaluates here.
      List<Expr> elements = new ArrayList<>();
      for (int k = a.elements().size() - 1; k >= 0; k--) {
        elements.add(0, keptFrom(a.elements().get(k), end, where));
      }
      return elements.equals(a.elements()) ? e : new Expr.ArrayLiteral(a.type(), elements);
    }
    if (e instanceof Expr.NewArray n) {
      List<Expr> dimensions = new ArrayList<>();
      for (int k = n.dimensions().size() - 1; k >= 0; k--) {
        dimensions.add(0, keptFrom(n.dimensions().get(k), end, where));
      }
      return dimensions.equals(n.dimensions()) ? e : new Expr.NewArray(n.type(), dimensions);
    }
    // Writing elements changes what an element read gives, and what a call computes from the
    // arrays it is given; for an array reference itself only a row write changes which array it
    // is.
    if (!changedBy(e, later, !e.type().isArray() || e instanceof Expr.Call)) {
      return e;
    }
    if (e.type().isArray() && !(e instanceof Expr.Call) || e.type() == Type.OTHER) {
      throw new Unsupported(where, Message.OPERAND_REASSIGNED, (e.type() == Type.OTHER
          ? Fragment.AN_OBJECT : Fragment.AN_ARRAY).text());
    }
    noFloatLocal(where, e);
    census.add(Construct.OPERAND_KEPT_BEFORE_ASSIGNMENT);
    Src src = src(where, where);
    Var kept = newLocal(hint(e) + "Before", e.type());
    List<Stmt> at = new ArrayList<>();
    at.add(assignTo(kept, e, at, src));
    pending.addAll(end, at);
    return new Expr.Local(kept);
  }

  /** Whether running {@code stmts} may change the value of {@code e}. */
  private static boolean changedBy(Expr e, List<Stmt> stmts, boolean elementsMatter) {
    if (stmts.isEmpty()) {
      return false;
    }
    Set<Var> written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    boolean[] elements = {false};
    boolean[] rows = {false};
    Walk.walk(stmts, s -> {
      if (s instanceof Stmt.Assign a) {
        if (a.target() instanceof Stmt.VarTarget vt) {
          written.add(vt.var());
        } else {
          elements[0] = true;
          rows[0] |= a.target().type().isArray();
        }
      } else if (s instanceof Stmt.Step st) {
        written.add(st.var());
      }
      Walk.forEachExpr(s, x -> {
        if (x instanceof Expr.Call c && c.callee().writesIntoArguments().contains(true)) {
          elements[0] = true; // a callee writes into an int[] argument
        }
      });
    });
    boolean[] changed = {false};
    Walk.visitExpr(e, x -> changed[0] |= x instanceof Expr.Local l
        && (written.contains(l.var()) || (elementsMatter && elements[0] || rows[0])
            && l.var().type().isArray()));
    return changed[0];
  }

  /** The operands {@code trees}, read left to right, each kept from what later ones assign. */
  private List<Expr> inOrder(List<? extends ExpressionTree> trees,
      java.util.function.Function<ExpressionTree, Expr> read) {
    List<Expr> values = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    for (ExpressionTree a : trees) {
      values.add(read.apply(a));
      ends.add(pending.size());
    }
    for (int i = values.size() - 2; i >= 0; i--) {
      values.set(i, keptFrom(values.get(i), ends.get(i), trees.get(i + 1)));
    }
    return values;
  }

  // ---------------------------------------------------------------- expressions

  private LoopTest loopCondition(ExpressionTree t) {
    List<Stmt> statements = new ArrayList<>();
    Expr cond = readInto(statements, () -> hoist(condition(t), false, src(t, t)));
    if (!statements.isEmpty()) {
      census.add(Construct.ASSIGNMENT_IN_LOOP_CONDITION);
    }
    return new LoopTest(statements, cond, src(t, t));
  }

  /**
   * Gives every call with a hand-written backward (the {@code Ops} kernels) a local of its own,
   * evaluated just before the statement, so that its result is kept for the backward function:
   * {@code return Ops.sum(Ops.mul(a, b))} reads {@code mul = Ops.mul(a, b); sum = Ops.sum(mul);
   * return sum;}. {@code root} leaves a call that is the whole right-hand side in place.
   */
  private Expr hoist(Expr e, boolean root, Src src) {
    if (e instanceof Expr.Call c && ownStatement(c)) {
      List<Expr> args = new ArrayList<>();
      for (Expr a : c.args()) {
        args.add(hoist(a, false, src));
      }
      Expr call = new Expr.Call(c.callee(), args);
      rebuilt(c, call);
      if (root) {
        return call;
      }
      if (hoistForbidden) {
        throw new Unsupported(callSites.get(c), Message.CALL_NEEDS_LOCAL, c.callee().name());
      }
      Var temp = newLocal(c.callee().name(), c.type());
      // Its backward code is commented with the sub-call it computes, not the whole line.
      Tree site = callSites.get(c);
      pending.add(new Stmt.Assign(new Stmt.VarTarget(temp), call, true, null,
          site == null ? src : src(site, site)));
      return new Expr.Local(temp);
    }
    if (e instanceof Expr.Conditional c) {
      forbidKernels(c.whenTrue(), Fragment.CONDITIONAL_BRANCH.text());
      forbidKernels(c.whenFalse(), Fragment.CONDITIONAL_BRANCH.text());
      return new Expr.Conditional(hoist(c.condition(), false, src), c.whenTrue(), c.whenFalse(),
          c.type());
    }
    if (e instanceof Expr.Binary b && (b.op() == BinaryOp.CAND || b.op() == BinaryOp.COR)) {
      forbidKernels(b.right(), Fragment.RIGHT_SIDE.text(b.op().symbol));
      return new Expr.Binary(b.op(), hoist(b.left(), false, src), b.right(), b.type());
    }
    if (e instanceof Expr.Index i) {
      return new Expr.Index(hoist(i.array(), false, src), hoist(i.index(), false, src));
    }
    if (e instanceof Expr.Length l) {
      return new Expr.Length(hoist(l.array(), false, src));
    }
    if (e instanceof Expr.Unary u) {
      return new Expr.Unary(u.op(), hoist(u.operand(), false, src), u.type());
    }
    if (e instanceof Expr.Binary b) {
      return new Expr.Binary(b.op(), hoist(b.left(), false, src), hoist(b.right(), false, src),
          b.type());
    }
    if (e instanceof Expr.Cast c) {
      return new Expr.Cast(c.type(), hoist(c.operand(), false, src));
    }
    if (e instanceof Expr.MathCall m) {
      List<Expr> args = new ArrayList<>();
      for (Expr a : m.args()) {
        args.add(hoist(a, false, src));
      }
      return new Expr.MathCall(m.owner(), m.name(), args, m.type());
    }
    if (e instanceof Expr.Call c) {
      List<Expr> args = new ArrayList<>();
      for (Expr a : c.args()) {
        args.add(hoist(a, false, src));
      }
      Expr call = new Expr.Call(c.callee(), args);
      rebuilt(c, call);
      return call;
    }
    if (e instanceof Expr.ArrayLiteral a) {
      // new double[] {Ops.sum(v), f(x)[0]}: the elements' calls too, in order.
      List<Expr> elements = new ArrayList<>();
      for (Expr x : a.elements()) {
        elements.add(hoist(x, false, src));
      }
      return new Expr.ArrayLiteral(a.type(), elements);
    }
    if (e instanceof Expr.NewArray n) {
      List<Expr> dimensions = new ArrayList<>();
      for (Expr x : n.dimensions()) {
        dimensions.add(hoist(x, false, src));
      }
      return new Expr.NewArray(n.type(), dimensions);
    }
    return e;
  }

  /** {@code rebuilt} replaces call {@code original}: it keeps what is known about where it is. */
  private void rebuilt(Expr original, Expr rebuilt) {
    callSites.put(rebuilt, callSites.get(original));
    if (ruleCandidates.containsKey(original)) {
      ruleCandidates.put(rebuilt, ruleCandidates.get(original));
    }
  }

  /**
   * Calls that get a statement of their own: those with a hand-written backward (their result is
   * kept for it), and those that may write into an int[] argument (the backward sweep hands
   * their pullback a copy of the array from the call, and must not run them again).
   */
  private static boolean ownStatement(Expr.Call c) {
    return c.callee().hasBackward() || c.callee().writesIntoArguments().contains(true)
        || c.callee().differentiable() && c.type().isArray();
  }

  /** What the method being read returns: {@code double} or {@code double[]}. */
  private Type returnType() {
    Type t = typeOf(method.getReturnType());
    return t == Type.VECTOR ? Type.VECTOR : Type.DOUBLE;
  }

  private void forbidKernels(Expr e, String where) {
    Walk.visitExpr(e, x -> {
      if (x instanceof Expr.Call c && ownStatement(c)) {
        throw new Unsupported(callSites.get(c), Message.CALL_NEEDS_LOCAL_IN, c.callee().name(),
            where);
      }
    });
  }

  private Expr condition(ExpressionTree t) {
    Expr e = expression(t);
    if (e.type() != Type.BOOLEAN) {
      throw new Unsupported(t, Message.CONDITION);
    }
    return e;
  }

  /** An expression of the subset proper: a constant object here is an error that names it. */
  private Expr expression(ExpressionTree t) {
    Expr e = expressionOrObject(t);
    if (e instanceof Expr.Literal l && l.value() == null) {
      // Where the subset takes a reference, it takes an array.
      throw new Unsupported(t, Message.NULL_ARRAY);
    }
    if (e.type() == Type.OTHER) {
      throw objectMisuse(t, e);
    }
    return e;
  }

  /**
   * An expression where a constant object may stand (an argument of a call, an operand of
   * {@code ==} or {@code !=}): a parameter outside the subset, a static constant of such a type,
   * {@code null}, or the result of a call returning one; or any expression of the subset.
   */
  private Expr expressionOrObject(ExpressionTree t) {
    switch (t.getKind()) {
      case PARENTHESIZED:
        return expressionOrObject(((ParenthesizedTree) t).getExpression());
      case INT_LITERAL:
        census.add(Construct.INT_LITERAL);
        return new Expr.Literal(Type.INT, ((LiteralTree) t).getValue());
      case LONG_LITERAL:
        census.add(Construct.LONG_LITERAL);
        return new Expr.Literal(Type.LONG, ((LiteralTree) t).getValue());
      case DOUBLE_LITERAL:
        census.add(Construct.DOUBLE_LITERAL);
        return new Expr.Literal(Type.DOUBLE, ((LiteralTree) t).getValue());
      case BOOLEAN_LITERAL:
        census.add(Construct.BOOLEAN_LITERAL);
        return new Expr.Literal(Type.BOOLEAN, ((LiteralTree) t).getValue());
      case NULL_LITERAL: {
        census.add(Construct.NULL_LITERAL);
        Expr e = new Expr.Literal(Type.OTHER, null);
        referenceTypes.put(e, types.getNullType());
        return e;
      }
      case FLOAT_LITERAL:
        // Kept as a float, so that float arithmetic (f * 0.1f) stays float as in the source.
        census.add(Construct.FLOAT_LITERAL);
        return new Expr.Literal(Type.DOUBLE, ((LiteralTree) t).getValue());
      case CHAR_LITERAL: {
        census.add(Construct.CHAR_LITERAL);
        // An int to the subset, printed as the char it is ('a' stays a char argument).
        Expr e = new Expr.Literal(Type.INT, ((LiteralTree) t).getValue());
        referenceTypes.put(e, types.getPrimitiveType(TypeKind.CHAR));
        return e;
      }
      case STRING_LITERAL:
        throw new Unsupported(t, Message.STRING_LITERAL);
      case IDENTIFIER:
        return identifier((IdentifierTree) t);
      case MEMBER_SELECT:
        return memberSelect((MemberSelectTree) t);
      case ARRAY_ACCESS: {
        ArrayAccessTree a = (ArrayAccessTree) t;
        Expr array = expression(a.getExpression());
        if (!array.type().isArray()) {
          throw new Unsupported(t, Message.INDEX_NOT_ARRAY);
        }
        int arrayEnd = pending.size();
        Expr index = expression(a.getIndex());
        array = keptFrom(array, arrayEnd, a.getIndex());
        if (index.type() != Type.INT) {
          throw new Unsupported(a.getIndex(), Message.INDEX_NOT_INT);
        }
        int depth = 0; // indices already applied to the variable
        for (Expr in = array; in instanceof Expr.Index i; in = i.array()) {
          depth++;
        }
        census.add(switch (array.type()) {
          case VECTOR -> depth == 0 ? Construct.VECTOR_ELEMENT
              : depth == 1 ? Construct.MATRIX_ELEMENT : Construct.TENSOR_ELEMENT;
          case INT_VECTOR -> Construct.INT_VECTOR_ELEMENT;
          case MATRIX -> depth == 0 ? Construct.MATRIX_ROW : Construct.TENSOR_ROW;
          default -> Construct.TENSOR_PLANE;
        });
        return new Expr.Index(array, index);
      }
      case UNARY_MINUS, UNARY_PLUS: {
        Expr operand = expression(((UnaryTree) t).getExpression());
        requireNumeric(t, operand, Fragment.UNARY_OPERAND.text(
            t.getKind() == Tree.Kind.UNARY_MINUS ? "-" : "+"));
        census.add(t.getKind() == Tree.Kind.UNARY_PLUS ? Construct.UNARY_PLUS
            : Construct.NEGATION);
        return t.getKind() == Tree.Kind.UNARY_PLUS ? operand
            : new Expr.Unary(Expr.UnaryOp.NEG, operand, operand.type());
      }
      case LOGICAL_COMPLEMENT: {
        Expr operand = condition(((UnaryTree) t).getExpression());
        census.add(Construct.LOGICAL_NOT);
        return new Expr.Unary(Expr.UnaryOp.NOT, operand, Type.BOOLEAN);
      }
      case BITWISE_COMPLEMENT: {
        Expr operand = expression(((UnaryTree) t).getExpression());
        if (!operand.type().isIntegral()) {
          throw new Unsupported(t, Message.COMPLEMENT);
        }
        census.add(Construct.BITWISE_COMPLEMENT);
        return new Expr.Unary(Expr.UnaryOp.COMPLEMENT, operand, operand.type());
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT, ASSIGNMENT,
          PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT:
        return assignmentValue(t);
      case CONDITIONAL_EXPRESSION: {
        ConditionalExpressionTree c = (ConditionalExpressionTree) t;
        Expr cond = condition(c.getCondition());
        List<Stmt> whenTrue = new ArrayList<>();
        List<Stmt> whenFalse = new ArrayList<>();
        Expr a = readInto(whenTrue, () -> hoist(expression(c.getTrueExpression()), false,
            src(t, t)));
        Expr b = readInto(whenFalse, () -> hoist(expression(c.getFalseExpression()), false,
            src(t, t)));
        Type type;
        if (a.type() == b.type()) {
          type = a.type();
        } else if (a.type().isNumeric() && b.type().isNumeric()) {
          type = Type.promote(a.type(), b.type());
        } else {
          throw new Unsupported(t, Message.CONDITIONAL_TYPES);
        }
        census.add(Construct.CONDITIONAL_EXPRESSION);
        if (whenTrue.isEmpty() && whenFalse.isEmpty() && !type.isArray()) {
          return new Expr.Conditional(cond, a, b, type);
        }
        // An assignment inside a branch runs only when its branch is taken: an if of its own.
        // So does a choice between arrays: the array chosen is a local, its adjoint the chosen
        // array's.
        if (!whenTrue.isEmpty() || !whenFalse.isEmpty()) {
          census.add(Construct.ASSIGNMENT_UNDER_CONDITION);
        }
        if (type.isArray()) {
          census.add(Construct.ARRAY_CONDITIONAL);
        }
        Src src = src(t, t);
        noFloatLocal(t, new Expr.Conditional(cond, a, b, type));
        Var chosen = newLocal("chosen", type);
        whenTrue.add(assignTo(chosen, a, whenTrue, src));
        whenFalse.add(assignTo(chosen, b, whenFalse, src));
        pending.add(new Stmt.If(hoist(cond, false, src), whenTrue, whenFalse, src));
        return new Expr.Local(chosen);
      }
      case TYPE_CAST: {
        TypeCastTree c = (TypeCastTree) t;
        Type to = declaredType(c.getType());
        Expr operand = expression(c.getExpression());
        if (to.isNumeric()) {
          census.add(to == Type.DOUBLE ? Construct.CAST_TO_DOUBLE : to == Type.INT
              ? Construct.CAST_TO_INT : Construct.CAST_TO_LONG);
        }
        if (to == operand.type()) {
          return operand;
        }
        if (!to.isNumeric() || !operand.type().isNumeric()) {
          throw new Unsupported(t, Message.CAST);
        }
        return new Expr.Cast(to, operand);
      }
      case METHOD_INVOCATION:
        return call((MethodInvocationTree) t);
      case NEW_ARRAY:
        return newArray((NewArrayTree) t);
      case NEW_CLASS:
        throw new Unsupported(t, Message.NEW_OBJECT);
      case LAMBDA_EXPRESSION:
        throw new Unsupported(t, Message.LAMBDA);
      case MEMBER_REFERENCE:
        throw new Unsupported(t, Message.METHOD_REFERENCE);
      case INSTANCE_OF:
        throw new Unsupported(t, Message.INSTANCEOF);
      case SWITCH_EXPRESSION: {
        SwitchExpressionTree sw = (SwitchExpressionTree) t;
        census.add(Construct.SWITCH_EXPRESSION);
        return readSwitch(sw, sw.getExpression(), sw.getCases(), true, pending);
      }
      default:
        if (t instanceof BinaryTree b) {
          return binary(b);
        }
        throw new Unsupported(t, Message.EXPRESSION, t.getKind().toString().toLowerCase()
            .replace('_', ' '));
    }
  }

  private Expr binary(BinaryTree t) {
    BinaryOp op = switch (t.getKind()) {
      case MULTIPLY -> BinaryOp.MUL;
      case DIVIDE -> BinaryOp.DIV;
      case REMAINDER -> BinaryOp.REM;
      case PLUS -> BinaryOp.ADD;
      case MINUS -> BinaryOp.SUB;
      case LEFT_SHIFT -> BinaryOp.SHL;
      case RIGHT_SHIFT -> BinaryOp.SHR;
      case UNSIGNED_RIGHT_SHIFT -> BinaryOp.USHR;
      case LESS_THAN -> BinaryOp.LT;
      case GREATER_THAN -> BinaryOp.GT;
      case LESS_THAN_EQUAL -> BinaryOp.LE;
      case GREATER_THAN_EQUAL -> BinaryOp.GE;
      case EQUAL_TO -> BinaryOp.EQ;
      case NOT_EQUAL_TO -> BinaryOp.NE;
      case AND -> BinaryOp.AND;
      case XOR -> BinaryOp.XOR;
      case OR -> BinaryOp.OR;
      case CONDITIONAL_AND -> BinaryOp.CAND;
      case CONDITIONAL_OR -> BinaryOp.COR;
      default -> throw new Unsupported(t, Message.OPERATOR, t.getKind());
    };
    Census.ParameterUse use = op.isComparison() ? Census.ParameterUse.COMPARED
        : Census.ParameterUse.READ;
    boolean references = op == BinaryOp.EQ || op == BinaryOp.NE;
    Expr l = operand(t.getLeftOperand(), use, references);
    if (op == BinaryOp.CAND || op == BinaryOp.COR) {
      List<Stmt> rightStatements = new ArrayList<>();
      // Calls that need a statement of their own get one here, run only when Java runs them.
      Expr r = readInto(rightStatements, () -> hoist(operand(t.getRightOperand(), use, false),
          false, src(t, t)));
      if (l.type() != Type.BOOLEAN || r.type() != Type.BOOLEAN) {
        throw new Unsupported(t, Message.BOOLEAN_OPERANDS, op.symbol);
      }
      census.add(op == BinaryOp.CAND ? Construct.CONDITIONAL_AND : Construct.CONDITIONAL_OR);
      if (rightStatements.isEmpty()) {
        return new Expr.Binary(op, l, r, Type.BOOLEAN);
      }
      // The right side assigns, so it runs only when Java evaluates it: an if of its own.
      census.add(Construct.ASSIGNMENT_UNDER_CONDITION);
      Src src = src(t, t);
      Var result = newLocal(op == BinaryOp.CAND ? "both" : "either", Type.BOOLEAN);
      result.reassigned = true;
      pending.add(assignTo(result, l, pending, src));
      Stmt.Assign right = assignTo(result, r, rightStatements, src);
      rightStatements.add(new Stmt.Assign(right.target(), right.value(), false, null, src));
      Expr test = new Expr.Local(result);
      pending.add(new Stmt.If(op == BinaryOp.CAND ? test
          : new Expr.Unary(Expr.UnaryOp.NOT, test, Type.BOOLEAN), rightStatements, List.of(), src));
      return new Expr.Local(result);
    }
    int leftEnd = pending.size();
    Expr r = operand(t.getRightOperand(), use, references);
    l = keptFrom(l, leftEnd, t.getRightOperand());
    switch (op) {
      case CAND, COR -> throw new AssertionError(op);
      case AND, OR, XOR -> {
        if (l.type() == Type.BOOLEAN && r.type() == Type.BOOLEAN) {
          census.add(Construct.BITWISE_ON_BOOLEANS);
          return new Expr.Binary(op, l, r, Type.BOOLEAN);
        }
        if (l.type().isIntegral() && r.type().isIntegral()) {
          census.add(Construct.BITWISE_ON_INTEGERS);
          return new Expr.Binary(op, l, r, Type.promote(l.type(), r.type()));
        }
        throw new Unsupported(t, Message.BITWISE_OPERANDS, op.symbol);
      }
      case SHL, SHR, USHR -> {
        if (!l.type().isIntegral() || !r.type().isIntegral()) {
          throw new Unsupported(t, Message.SHIFT_OPERANDS);
        }
        census.add(Construct.SHIFT);
        return new Expr.Binary(op, l, r, l.type());
      }
      case EQ, NE -> {
        if (l.type() == Type.OTHER || r.type() == Type.OTHER) {
          // Reference comparison of constants: an enum constant, null, the same object.
          if (l.type() != r.type()) {
            throw objectMisuse(l.type() == Type.OTHER ? t.getLeftOperand() : t.getRightOperand(),
                l.type() == Type.OTHER ? l : r);
          }
          census.add(Construct.REFERENCE_EQUALITY);
          return new Expr.Binary(op, l, r, Type.BOOLEAN);
        }
        census.add(Construct.EQUALITY);
        if (l.type() == Type.BOOLEAN && r.type() == Type.BOOLEAN) {
          return new Expr.Binary(op, l, r, Type.BOOLEAN);
        }
        requireNumeric(t.getLeftOperand(), l, Fragment.LEFT_SIDE.text(op.symbol));
        requireNumeric(t.getRightOperand(), r, Fragment.RIGHT_SIDE.text(op.symbol));
        return new Expr.Binary(op, l, r, Type.BOOLEAN);
      }
      default -> {
        requireNumeric(t.getLeftOperand(), l, Fragment.LEFT_SIDE.text(op.symbol));
        requireNumeric(t.getRightOperand(), r, Fragment.RIGHT_SIDE.text(op.symbol));
        if (op.isComparison()) {
          census.add(Construct.ORDER_COMPARISON);
          return new Expr.Binary(op, l, r, Type.BOOLEAN);
        }
        Type type = Type.promote(l.type(), r.type());
        if (op == BinaryOp.REM && type == Type.DOUBLE) {
          throw new Unsupported(t, Message.REMAINDER_OF_DOUBLE);
        }
        census.add(switch (op) {
          case ADD -> Construct.ADDITION;
          case SUB -> Construct.SUBTRACTION;
          case MUL -> Construct.MULTIPLICATION;
          case DIV -> type == Type.DOUBLE ? Construct.DIVISION : Construct.INTEGER_DIVISION;
          default -> Construct.INTEGER_REMAINDER;
        });
        return new Expr.Binary(op, l, r, type);
      }
    }
  }

  /**
   * An operand read directly in role {@code use} (for the census of parameter uses); constant
   * objects allowed if {@code objects}.
   */
  private Expr operand(ExpressionTree t, Census.ParameterUse use, boolean objects) {
    if (unparen(t) instanceof IdentifierTree id) {
      Var v = lookup(id.getName().toString());
      if (v != null && v.isParameter()) {
        Expr e = parameter(id, v, use);
        if (e.type() == Type.OTHER && !objects) {
          throw objectMisuse(t, e);
        }
        return e;
      }
    }
    return objects ? expressionOrObject(t) : expression(t);
  }

  /** A read of parameter {@code v}, counted as {@code use}. */
  private Expr parameter(IdentifierTree id, Var v, Census.ParameterUse use) {
    if (reportedParameters.contains(v)) {
      throw Unsupported.alreadyReported();
    }
    parameterUse(v, use);
    Expr e = new Expr.Local(v);
    if (v.type() == Type.OTHER) {
      referenceTypes.put(e, otherParameters.get(v));
    }
    if (narrowParameters.containsKey(v)) {
      census.add(narrowParameters.get(v).getKind() == TypeKind.FLOAT ? Construct.FLOAT_PARAMETER
          : Construct.CHAR_SHORT_BYTE_PARAMETER);
      referenceTypes.put(e, narrowParameters.get(v)); // so that it fits a char parameter
    }
    return e;
  }

  private void parameterUse(Var v, Census.ParameterUse use) {
    usedParameters.add(v);
    census.addParameter(Census.ParameterKind.of(v), use);
  }

  /**
   * The error for a constant object ({@link Type#OTHER}) where the subset needs a number, a
   * boolean or an array, or where it would be assigned: it names the value and says what works.
   */
  private Unsupported objectMisuse(Tree where, Expr e) {
    if (e instanceof Expr.Local l) {
      return objectMisuse(where, l.var());
    }
    String what = e instanceof Expr.Constant c ? Fragment.CONSTANT.text(c.name())
        : (e instanceof Expr.Literal ? Fragment.NULL : Fragment.THIS_VALUE).text();
    TypeMirror type = referenceTypes.get(e);
    return type == null || e instanceof Expr.Literal
        ? new Unsupported(where, Message.UNTYPED_OBJECT_AS_VALUE, what)
        : new Unsupported(where, Message.OBJECT_AS_VALUE, what, type);
  }

  private Unsupported objectMisuse(Tree where, Var v) {
    if (reportedParameters.contains(v)) {
      return Unsupported.alreadyReported();
    }
    TypeMirror type = otherParameters.get(v);
    Fragment advice;
    Element e = types.asElement(type);
    if (e != null && e.getKind() == ElementKind.RECORD) {
      advice = Fragment.PASS_RECORD_COMPONENTS;
    } else if (type.getKind() == TypeKind.ARRAY) {
      advice = Fragment.PASS_SUPPORTED_ARRAY;
    } else {
      advice = Fragment.PASS_NUMBERS;
    }
    return new Unsupported(where, Message.OBJECT_PARAMETER_AS_VALUE, v.name(), type,
        advice.text());
  }

  private void requireNumeric(Tree t, Expr e, String what) {
    if (!e.type().isNumeric()) {
      throw new Unsupported(t, Message.NOT_A_NUMBER, what, e.type().java());
    }
  }

  private void checkAssignable(Tree t, Type to, Expr value) {
    Type from = value.type();
    boolean ok = from == to
        || to == Type.DOUBLE && from.isNumeric()
        || to == Type.LONG && from == Type.INT;
    if (!ok) {
      throw new Unsupported(t, Message.CANNOT_ASSIGN, from.java(), to.java());
    }
    if (to.isArray() && !(value instanceof Expr.NewArray || value instanceof Expr.ArrayLiteral
        || value instanceof Expr.Index || value instanceof Expr.Local
        || value instanceof Expr.Constant || value instanceof Expr.Call)) {
      throw new Unsupported(t, Message.ARRAY_VARIABLE_VALUE);
    }
  }

  private Expr identifier(IdentifierTree id) {
    String name = id.getName().toString();
    Var v = lookup(name);
    if (v != null) {
      return v.isParameter() ? parameter(id, v, Census.ParameterUse.READ) : new Expr.Local(v);
    }
    if (name.equals("this") && self != null) {
      Expr e = new Expr.Local(self);
      referenceTypes.put(e, owner.asType());
      return e;
    }
    if (self != null) {
      // A field of this object (declared here or inherited).
      for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(owner))) {
        if (f.getSimpleName().contentEquals(name) && !f.getModifiers().contains(Modifier.STATIC)) {
          return instanceField(id, f);
        }
      }
    }
    // A field of this class or an enclosing one.
    for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
      for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
        if (f.getSimpleName().contentEquals(name)) {
          return constantField(id, type, f);
        }
      }
    }
    // A static import.
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic()) {
        continue;
      }
      MemberSelectTree q = (MemberSelectTree) imp.getQualifiedIdentifier();
      String member = q.getIdentifier().toString();
      if (member.equals(name) || member.equals("*")) {
        TypeElement type = elements.getTypeElement(dotted(q.getExpression()));
        if (type != null) {
          Expr c = fieldOf(id, type, name);
          if (c != null) {
            census.add(Construct.STATIC_IMPORT);
            return c;
          }
        }
      }
    }
    throw new Unsupported(id, Message.CANNOT_RESOLVE, name);
  }

  private Expr memberSelect(MemberSelectTree t) {
    String name = t.getIdentifier().toString();
    if (self != null && t.getExpression() instanceof IdentifierTree id
        && id.getName().contentEquals("this")) {
      for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(owner))) {
        if (f.getSimpleName().contentEquals(name) && !f.getModifiers().contains(Modifier.STATIC)) {
          return instanceField(t, f);
        }
      }
    }
    TypeElement type = resolveType(t.getExpression());
    if (type == null) {
      Expr target = expression(t.getExpression());
      if (name.equals("length") && target.type().isArray()) {
        census.add(Construct.LENGTH);
        return new Expr.Length(target);
      }
      throw new Unsupported(t, Message.SELECT, name);
    }
    Expr c = fieldOf(t, type, name);
    if (c == null) {
      throw new Unsupported(t, Message.CANNOT_RESOLVE_IN, name, type.getQualifiedName());
    }
    return c;
  }

  private Expr fieldOf(Tree t, TypeElement type, String name) {
    for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(type))) {
      if (f.getSimpleName().contentEquals(name)) {
        return constantField(t, type, f);
      }
    }
    return null;
  }

  /**
   * A field of the receiver, read as a constant: the data a model object holds. The generated
   * methods read it through their receiver parameter.
   */
  private Expr instanceField(Tree t, VariableElement f) {
    String name = f.getSimpleName().toString();
    if (f.getModifiers().contains(Modifier.PRIVATE)) {
      throw new Unsupported(t, Message.PRIVATE_FIELD, name);
    }
    Type ft = typeOf(f.asType());
    if (ft == null && (f.asType().getKind().isPrimitive() || isBoxed(f.asType()))) {
      throw new Unsupported(t, Message.FIELD_TYPE, name, f.asType());
    }
    census.add(Construct.FIELD_READ);
    Expr c = new Expr.Constant(owner.getQualifiedName().toString(), name,
        ft == null ? Type.OTHER : ft, self.name());
    if (ft == null) {
      referenceTypes.put(c, f.asType());
    }
    return c;
  }

  private Expr constantField(Tree t, TypeElement type, VariableElement f) {
    String name = f.getSimpleName().toString();
    Set<Modifier> mods = f.getModifiers();
    if (!mods.contains(Modifier.STATIC)) {
      throw new Unsupported(t, Message.INSTANCE_FIELD_IN_STATIC_METHOD, name);
    }
    if (!mods.contains(Modifier.FINAL)) {
      throw new Unsupported(t, Message.STATIC_FIELD_NOT_FINAL, name);
    }
    Type ft = typeOf(f.asType());
    if (ft == null && (f.asType().getKind().isPrimitive() || isBoxed(f.asType()))) {
      throw new Unsupported(t, Message.FIELD_TYPE, name, f.asType());
    }
    Object constant = f.getConstantValue();
    if (mods.contains(Modifier.PRIVATE)) {
      if (ft != null && (constant instanceof Number || constant instanceof Boolean)) {
        census.add(Construct.INLINED_PRIVATE_CONSTANT);
        return new Expr.Literal(ft, ft == Type.DOUBLE ? ((Number) constant).doubleValue()
            : ft == Type.INT ? ((Number) constant).intValue()
            : ft == Type.LONG ? ((Number) constant).longValue() : constant);
      }
      throw new Unsupported(t, Message.PRIVATE_FIELD, name);
    }
    TypeElement declaring = (TypeElement) f.getEnclosingElement();
    if (ft == null) {
      // An enum constant or another static final object: a constant to pass on or compare.
      census.add(Construct.CONSTANT_OBJECT);
      Expr c = new Expr.Constant(declaring.getQualifiedName().toString(), name, Type.OTHER);
      referenceTypes.put(c, f.asType());
      return c;
    }
    census.add(Construct.STATIC_CONSTANT);
    return new Expr.Constant(declaring.getQualifiedName().toString(), name, ft);
  }

  private Expr call(MethodInvocationTree t) {
    ExpressionTree select = t.getMethodSelect();
    String name;
    List<TypeElement> owners = new ArrayList<>();
    if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
      for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
        if (ElementFilter.methodsIn(type.getEnclosedElements()).stream()
            .anyMatch(m -> m.getSimpleName().contentEquals(name))) {
          owners.add(type);
          break;
        }
      }
      if (owners.isEmpty()) {
        for (ImportTree imp : unit.getImports()) {
          if (imp.isStatic()) {
            MemberSelectTree q = (MemberSelectTree) imp.getQualifiedIdentifier();
            String member = q.getIdentifier().toString();
            if (member.equals(name) || member.equals("*")) {
              TypeElement type = elements.getTypeElement(dotted(q.getExpression()));
              if (type != null && ElementFilter.methodsIn(elements.getAllMembers(type)).stream()
                  .anyMatch(m -> m.getSimpleName().contentEquals(name))) {
                owners.add(type);
                break;
              }
            }
          }
        }
      }
    } else if (select instanceof MemberSelectTree ms) {
      name = ms.getIdentifier().toString();
      TypeElement type = resolveType(ms.getExpression());
      if (type == null) {
        Expr receiver = expressionOrObject(ms.getExpression());
        TypeMirror rt = referenceTypes.get(receiver);
        if (receiver.type() == Type.OTHER && rt != null
            && types.asElement(rt) instanceof TypeElement re
            && ElementFilter.methodsIn(elements.getAllMembers(re)).stream().anyMatch(m ->
                m.getSimpleName().contentEquals(name) && !m.getModifiers().contains(Modifier.STATIC)
                && hasAnnotation(m, DIFFERENTIABLE))) {
          // A @Differentiable instance method called on an object: this.f(x), model.f(x).
          census.add(receiver instanceof Expr.Local l && l.var() == self
              ? Construct.CALL_ON_THIS : Construct.CALL_ON_OTHER_OBJECT);
          List<Expr> args = inOrder(t.getArguments(),
              a -> operand(a, Census.ParameterUse.PASSED, true));
          Expr result = userCall(t, re, name, args, receiver);
          callSites.put(result, t);
          return whereJavaCallsIt(result, t);
        }
        if (receiver.type() == Type.OTHER) {
          throw objectMisuse(t, receiver);
        }
        throw new Unsupported(t, Message.CALL_ON_VALUE, name);
      }
      owners.add(type);
    } else {
      throw new Unsupported(t, Message.CALL);
    }
    if (owners.isEmpty()) {
      throw new Unsupported(t, Message.CANNOT_RESOLVE_METHOD, name);
    }
    List<Expr> args = inOrder(t.getArguments(), a -> operand(a, Census.ParameterUse.PASSED, true));
    TypeElement type = owners.get(0);
    String qualified = type.getQualifiedName().toString();
    Expr result;
    if (qualified.equals("java.lang.Math") || qualified.equals("java.lang.StrictMath")) {
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).type() == Type.OTHER) {
          throw objectMisuse(t.getArguments().get(i), args.get(i));
        }
      }
      result = MathFunctions.call(t, type.getSimpleName().toString(), name, args);
      if (qualified.equals("java.lang.StrictMath")) {
        census.add(Construct.STRICT_MATH);
      }
      if (!dev.gradgen.processor.primitive.Primitives.of(name).onDoubles()
          || result.type().isIntegral()
          && dev.gradgen.processor.primitive.Primitives.of(name).integerOverload()) {
        census.add(Construct.INTEGER_MATH);
      } else {
        census.addMath(name);
      }
    } else {
      result = userCall(t, type, name, args, null);
    }
    callSites.put(result, t);
    return whereJavaCallsIt(result, t);
  }

  /**
   * A call that may write into an {@code int[]} argument runs where Java calls it: it becomes a
   * statement of {@link #pending} as soon as it is read, so that operands to its left that read
   * the array are kept from before it ({@code x[idx[0]] * pick(x, idx)}).
   */
  private Expr whereJavaCallsIt(Expr result, MethodInvocationTree t) {
    if (!(result instanceof Expr.Call c) || !c.callee().writesIntoArguments().contains(true)
        || hoistForbidden || !c.type().isNumeric() && c.type() != Type.BOOLEAN) {
      return result; // (in a loop update, hoist reports it)
    }
    Src src = src(t, t);
    Var temp = newLocal(c.callee().name(), c.type());
    pending.add(assignTo(temp, c, pending, src));
    return new Expr.Local(temp);
  }

  private Expr userCall(MethodInvocationTree t, TypeElement type, String name,
      List<Expr> arguments, Expr receiver) {
    List<Expr> args = arguments;
    List<ExecutableElement> matches = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (!m.getSimpleName().contentEquals(name) || m.getParameters().size() != args.size()) {
        continue;
      }
      boolean ok = true;
      for (int i = 0; i < args.size() && ok; i++) {
        ok = fits(m.getParameters().get(i).asType(), args.get(i), false);
      }
      if (ok) {
        matches.add(m);
      }
    }
    if (matches.size() > 1) {
      // Prefer an exact match, as Java's overload resolution would.
      List<ExecutableElement> exact = matches.stream().filter(m -> {
        for (int i = 0; i < args.size(); i++) {
          if (!fits(m.getParameters().get(i).asType(), args.get(i), true)) {
            return false;
          }
        }
        return true;
      }).toList();
      if (exact.size() == 1) {
        matches = exact;
      }
    }
    if (matches.size() != 1) {
      throw matches.isEmpty()
          ? new Unsupported(t, Message.NO_MATCHING_METHOD, type.getSimpleName(), name)
          : new Unsupported(t, Message.AMBIGUOUS_CALL, name);
    }
    ExecutableElement m = matches.get(0);
    boolean instance = !m.getModifiers().contains(Modifier.STATIC);
    if (instance && !hasAnnotation(m, DIFFERENTIABLE)) {
      throw new Unsupported(t, Message.INSTANCE_METHOD_WITHOUT_DERIVATIVE, name);
    }
    if (instance && receiver == null) {
      if (self == null || !types.isSubtype(owner.asType(), types.erasure(type.asType()))) {
        throw new Unsupported(t, Message.INSTANCE_METHOD_WITHOUT_OBJECT, name);
      }
      census.add(Construct.CALL_ON_THIS);
      receiver = new Expr.Local(self);
      referenceTypes.put(receiver, owner.asType());
    }
    if (!instance && receiver != null) {
      throw new Unsupported(t, Message.STATIC_METHOD_ON_OBJECT, name);
    }
    if (m.getModifiers().contains(Modifier.PRIVATE)) {
      throw new Unsupported(t, Message.PRIVATE_METHOD, name);
    }
    Type ret = typeOf(m.getReturnType());
    boolean differentiable = hasAnnotation(m, DIFFERENTIABLE);
    if (ret == null && (differentiable || m.getReturnType().getKind() == TypeKind.VOID
        || isBoxed(m.getReturnType()) || m.getReturnType().getKind() == TypeKind.FLOAT)) {
      throw new Unsupported(t, Message.CALLEE_RETURN_TYPE, name, m.getReturnType());
    }
    if (ret == null) {
      ret = Type.OTHER;
    }
    TypeElement declaring = (TypeElement) m.getEnclosingElement();
    RuleLookup rule = differentiable ? RuleLookup.NONE : customRule(declaring, m, ret);
    RuleIndex.Rules declared = differentiable || !ret.differentiable()
        ? new RuleIndex.Rules(null, null) : rules.of(m);
    ExecutableElement conventionalJvp = differentiable || !ret.differentiable() ? null
        : jvpRule(declaring, m);
    RuleRef backward = rule.name() != null
        ? RuleRef.of(declaring.getQualifiedName().toString(), rule.name(), null)
        : declared.vjp() != null ? ruleRef(declared.vjp().method()) : null;
    RuleRef jvp = conventionalJvp != null ? ruleRef(conventionalJvp)
        : declared.jvp() != null ? ruleRef(declared.jvp().method()) : null;
    if (!differentiable && ret.differentiable() && rules.conflict(m) != null) {
      throw new Unsupported(t, rules.conflict(m));
    }
    if (backward == null && jvp == null && !differentiable && rules.staleRule(m) != null) {
      throw new Unsupported(t, rules.staleRule(m));
    }
    // A method named like a conventional rule that does not fit is reported, not replaced.
    boolean mistypedRule = backward == null ? rule.mismatch() != null
        : jvp == null && ElementFilter.methodsIn(declaring.getEnclosedElements()).stream()
            .anyMatch(b -> b.getSimpleName().contentEquals(CustomRule.jvpName(name)));
    if (ret == Type.DOUBLE && (backward == null) != (jvp == null) && !mistypedRule
        && m.getParameters().stream().allMatch(p -> typeOf(p.asType()) != null)) {
      // For a primal returning double, either rule gives the other; gradgen writes it, named
      // after the primal's qualified name (two classes Special may meet in one caller).
      String helper = declaring.getQualifiedName().toString().replace('.', '_') + "_" + name
          + (backward == null ? "Backward" : "Forward");
      RuleRef derived = new RuleRef(gradClassName(owner), helper, backward == null ? jvp : backward,
          null);
      if (backward == null) {
        backward = derived;
      } else {
        jvp = derived;
      }
    }
    RuleLookup mismatch = backward == null ? rule : RuleLookup.NONE;
    List<Type> paramTypes = new ArrayList<>();
    List<String> paramNames = new ArrayList<>();
    List<Boolean> diff = new ArrayList<>();
    for (VariableElement p : m.getParameters()) {
      Type pt = typeOf(p.asType());
      pt = pt == null ? Type.OTHER : pt;
      paramTypes.add(pt);
      paramNames.add(p.getSimpleName().toString());
      diff.add(differentiable && pt.differentiable() && !hasAnnotation(p, NO_GRAD)
          || backward != null && pt.differentiable());
    }
    List<Boolean> writes = new ArrayList<>();
    MethodTree calleeTree = m.equals(method) ? tree : sources.apply(m);
    for (int i = 0; i < paramTypes.size(); i++) {
      // A method from a class file is taken not to write into its int[] parameters (README).
      boolean w = paramTypes.get(i) == Type.INT_VECTOR && calleeTree != null
          && writesInto(calleeTree, m.getParameters().get(i).getSimpleName().toString(), true);
      if (w && !differentiable) {
        throw new Unsupported(t, Message.WRITES_INT_ARGUMENT, name,
            m.getParameters().get(i).getSimpleName());
      }
      writes.add(w);
    }
    if (differentiable && calleeTree != null) {
      for (int i = 0; i < paramTypes.size(); i++) {
        String pn = m.getParameters().get(i).getSimpleName().toString();
        if (paramTypes.get(i).isArray() && paramTypes.get(i).differentiable()
            && writesInto(calleeTree, pn, false)) {
          throw new Unsupported(t, Message.WRITES_ARRAY_ARGUMENT, name, pn);
        }
      }
    }
    if (instance) {
      // The receiver is the first argument, of the callee's pullback too.
      paramTypes.add(0, Type.OTHER);
      paramNames.add(0, "self");
      diff.add(0, false);
      writes.add(0, false);
    }
    List<Expr> callArgs = new ArrayList<>();
    if (instance) {
      callArgs.add(receiver);
    }
    callArgs.addAll(args);
    Callee callee = new Callee(declaring.getQualifiedName().toString(), name, paramTypes, ret,
        differentiable, differentiable ? gradClassName(declaring) : null, paramNames, diff,
        backward, mismatch.mismatch(), writes, instance, jvp);
    if (differentiable && m.equals(method)) {
      census.add(Construct.RECURSION);
    }
    census.add(callee.stopsGradient() ? Construct.STOP_GRADIENT
        : differentiable ? Construct.CALL_OF_DIFFERENTIABLE_METHOD : backward != null
        ? Construct.CALL_WITH_CUSTOM_RULE : Construct.CALL_WITHOUT_DERIVATIVE);
    if (declared.vjp() != null || declared.jvp() != null) {
      census.add(Construct.CALL_WITH_DECLARED_RULE);
    }
    if (backward != null && backward.derived() || jvp != null && jvp.derived()) {
      census.add(Construct.CALL_WITH_DERIVED_RULE);
    }
    Expr call = new Expr.Call(callee, callArgs);
    if (ret == Type.OTHER) {
      referenceTypes.put(call, m.getReturnType());
    }
    if (mismatch.candidate() != null) {
      ruleCandidates.put(call, mismatch.candidate());
    }
    return call;
  }

  /**
   * Whether the body of {@code m} may write into the array its parameter {@code name} refers to:
   * it writes an element of it, or lets another name refer to it, or ({@code viaCalls}) passes
   * it on to a method, which may. (A double array passed on is checked where it is passed: a
   * call of a method that writes into it is an error there.)
   */
  private static boolean writesInto(MethodTree m, String name, boolean viaCalls) {
    // For each name that may lead to the parameter's storage, how many indices into it reach
    // that storage: 0 for the parameter and its aliases (writing r[i] writes it), 1 for a local
    // matrix given its rows (h[0] = y[0]: writing h[0][j] writes it, h[0] = ... does not), ...
    Map<String, Integer> depths = new HashMap<>(Map.of(name, 0));
    // How many indices each array variable takes, as declared (the largest, for a name reused).
    Map<String, Integer> ranks = new HashMap<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree d, Void v) {
        int rank = 0;
        for (Tree t = d.getType(); t instanceof ArrayTypeTree at; t = at.getType()) {
          rank++;
        }
        if (d.getType() == null || d.getType().getKind() == Tree.Kind.IDENTIFIER) {
          rank = Integer.MAX_VALUE; // var: unknown here, so possibly a matrix
        }
        ranks.merge(d.getName().toString(), rank, Math::max);
        return super.visitVariable(d, v);
      }
    }.scan(m, null);
    for (Map<String, Integer> before = Map.of(); !before.equals(depths); ) {
      before = Map.copyOf(depths);
      new TreeScanner<Void, Void>() {
        private void reaches(String n, Integer depth) {
          if (depth != null) {
            depths.merge(n, depth, Math::min);
          }
        }

        @Override
        public Void visitVariable(VariableTree d, Void v) {
          if (d.getInitializer() != null) {
            reaches(d.getName().toString(), depthOf(d.getInitializer(), depths));
          }
          return super.visitVariable(d, v);
        }

        @Override
        public Void visitAssignment(AssignmentTree a, Void v) {
          // b = a, and m[i] = a with m[i] a row: m's rows now include a.
          ExpressionTree written = unparen(a.getVariable());
          int indices = 0;
          while (written instanceof ArrayAccessTree element) {
            written = unparen(element.getExpression());
            indices++;
          }
          Integer d = depthOf(a.getExpression(), depths);
          if (written instanceof IdentifierTree id && d != null
              && indices < ranks.getOrDefault(id.getName().toString(), 0)) {
            reaches(id.getName().toString(), d + indices);
          }
          return super.visitAssignment(a, v);
        }

        @Override
        public Void visitEnhancedForLoop(EnhancedForLoopTree f, Void v) {
          Integer d = depthOf(f.getExpression(), depths);
          reaches(f.getVariable().getName().toString(), d == null ? null : Math.max(0, d - 1));
          return super.visitEnhancedForLoop(f, v);
        }
      }.scan(m.getBody(), null);
    }
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      /** Whether writing {@code e} (an element, a row) writes into the parameter's storage. */
      private void target(ExpressionTree e) {
        ExpressionTree base = unparen(e);
        int indices = 0;
        while (base instanceof ArrayAccessTree element) {
          base = unparen(element.getExpression());
          indices++;
        }
        Integer d = depthOf(base, depths);
        found[0] |= indices > 0 && d != null && indices > d;
      }

      @Override
      public Void visitAssignment(AssignmentTree a, Void v) {
        target(a.getVariable());
        return super.visitAssignment(a, v);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree a, Void v) {
        target(a.getVariable());
        return super.visitCompoundAssignment(a, v);
      }

      @Override
      public Void visitUnary(UnaryTree u, Void v) {
        switch (u.getKind()) {
          case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
              target(u.getExpression());
          default -> { } // -a[i], !b[i] only read
        }
        return super.visitUnary(u, v);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree c, Void v) {
        for (ExpressionTree a : c.getArguments()) {
          found[0] |= viaCalls && depthOf(a, depths) != null
              && !(unparen(a) instanceof ArrayAccessTree);
        }
        return super.visitMethodInvocation(c, v);
      }
    }.scan(m.getBody(), null);
    return found[0];
  }

  /**
   * How many indices into the value of {@code e} reach the storage {@code depths} tracks (see
   * {@link #writesInto}), or null when it cannot reach it: a name's depth less the indices
   * applied, a new matrix of rows one more than its rows'.
   */
  private static Integer depthOf(ExpressionTree e, Map<String, Integer> depths) {
    ExpressionTree t = unparen(e);
    int indices = 0;
    while (t instanceof ArrayAccessTree a) {
      t = unparen(a.getExpression());
      indices++;
    }
    Integer d = null;
    if (t instanceof ConditionalExpressionTree c) {
      d = least(depthOf(c.getTrueExpression(), depths), depthOf(c.getFalseExpression(), depths));
    } else if (t instanceof AssignmentTree a) {
      d = depthOf(a.getExpression(), depths); // (j = k)[0] = 1
    } else if (t instanceof NewArrayTree n && n.getInitializers() != null) {
      // new double[][] {a, ...} has a as a row
      for (ExpressionTree row : n.getInitializers()) {
        Integer r = depthOf(row, depths);
        d = least(d, r == null ? null : r + 1);
      }
    } else if (t instanceof IdentifierTree id) {
      d = depths.get(id.getName().toString());
    }
    return d == null ? null : Math.max(0, d - indices);
  }

  private static Integer least(Integer a, Integer b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return Math.min(a, b);
  }

  /** Whether {@code arg} can be passed to a parameter of type {@code p} ({@code exact}ly). */
  private boolean fits(TypeMirror p, Expr arg, boolean exact) {
    Type pt = typeOf(p);
    Type a = arg.type();
    if (pt == null) {
      // An object, or a char / short / byte / float value passed to a parameter of its type.
      TypeMirror at = referenceTypes.get(arg);
      return at != null && (exact ? types.isSameType(at, p) : types.isAssignable(at, p));
    }
    return pt == a || !exact && (pt == Type.DOUBLE && a.isNumeric()
        || pt == Type.LONG && a == Type.INT);
  }

  /**
   * A custom rule looked up: its name if one fits, else null and, when a method of the rule's
   * name exists but does not fit, what is wrong with it and that method.
   */
  private record RuleLookup(String name, String mismatch, ExecutableElement candidate) {
    static final RuleLookup NONE = new RuleLookup(null, null, null);
  }

  /**
   * The custom rule of {@code m}, if its class has one: {@code static fBackward(the parameters of
   * f, R result, R dResult, one accumulator per double[] / double[][] parameter)}, returning void
   * when f has no {@code double} parameter, the adjoint of that parameter when it has one, and a
   * {@code double[]} of their adjoints, in order, when it has several.
   */
  private RuleLookup customRule(TypeElement owner, ExecutableElement m, Type ret) {
    if (!ret.differentiable()) {
      return RuleLookup.NONE;
    }
    String name = CustomRule.name(m.getSimpleName().toString());
    RuleSignature wanted = RuleSignature.backward(m);
    List<ExecutableElement> candidates = ElementFilter.methodsIn(owner.getEnclosedElements())
        .stream().filter(b -> b.getSimpleName().contentEquals(name)).toList();
    for (ExecutableElement b : candidates) {
      if (wanted.problem(b, types) == null) {
        return new RuleLookup(name, null, null);
      }
    }
    if (candidates.isEmpty()) {
      return RuleLookup.NONE;
    }
    ExecutableElement b = candidates.get(0);
    return new RuleLookup(null, Fragment.RULE_MISMATCH.text(RuleSignature.show(b),
        m.getSimpleName(), wanted.problem(b, types), RuleSignature.show(m), wanted.show(name),
        wanted.returnsWhat()), b);
  }

  /**
   * The forward rule of a method {@code m} that has a backward rule, if its class has one that
   * fits: {@code static R fJvp(the parameters of f, R result, one tangent per double, double[],
   * double[][] or double[][][] parameter)}, returning the result's tangent. Null when there is
   * none; forward mode then reports the call (a rule of the wrong shape is named there).
   */
  private ExecutableElement jvpRule(TypeElement owner, ExecutableElement m) {
    String name = CustomRule.jvpName(m.getSimpleName().toString());
    RuleSignature wanted = RuleSignature.forward(m);
    for (ExecutableElement b : ElementFilter.methodsIn(owner.getEnclosedElements())) {
      if (b.getSimpleName().contentEquals(name) && wanted.problem(b, types) == null) {
        return b;
      }
    }
    return null;
  }

  /**
   * A hand-written rule; when it is {@code @Differentiable} itself, with the rule as a callee
   * whose pullback its callers' derivatives use (second order through a forward rule).
   */
  private RuleRef ruleRef(ExecutableElement rule) {
    TypeElement declaring = (TypeElement) rule.getEnclosingElement();
    String owner = declaring.getQualifiedName().toString();
    String name = rule.getSimpleName().toString();
    if (!hasAnnotation(rule, DIFFERENTIABLE)) {
      return RuleRef.of(owner, name, null);
    }
    List<Type> paramTypes = new ArrayList<>();
    List<String> paramNames = new ArrayList<>();
    List<Boolean> diff = new ArrayList<>();
    List<Boolean> writes = new ArrayList<>();
    MethodTree ruleTree = sources.apply(rule);
    for (VariableElement p : rule.getParameters()) {
      Type pt = typeOf(p.asType());
      pt = pt == null ? Type.OTHER : pt;
      paramTypes.add(pt);
      paramNames.add(p.getSimpleName().toString());
      diff.add(pt.differentiable() && !hasAnnotation(p, NO_GRAD));
      writes.add(pt == Type.INT_VECTOR && ruleTree != null
          && writesInto(ruleTree, p.getSimpleName().toString(), true));
    }
    return RuleRef.of(owner, name, new Callee(owner, name, paramTypes,
        typeOf(rule.getReturnType()), true, gradClassName(declaring), paramNames, diff, null, null,
        writes, false, null));
  }

  private Expr newArray(NewArrayTree t) {
    if (t.getType() == null) {
      throw new Unsupported(t, Message.ARRAY_INITIALIZER_UNTYPED);
    }
    Type elem = declaredType(t.getType());
    if (!t.getDimensions().isEmpty()) {
      List<Expr> dims = inOrder(t.getDimensions(), d -> {
        Expr e = expression(d);
        if (e.type() != Type.INT) {
          throw new Unsupported(d, Message.ARRAY_SIZE);
        }
        return e;
      });
      Type type = arrayOf(t, elem, dims.size());
      if (dims.size() < type.rank()) {
        // new double[n][]: rows still null, to be assigned whole.
        census.add(Construct.NEW_ARRAY_OF_ROWS);
      } else {
        census.add(switch (type) {
          case VECTOR -> Construct.NEW_VECTOR;
          case MATRIX -> Construct.NEW_MATRIX;
          case TENSOR -> Construct.NEW_TENSOR;
          default -> Construct.NEW_INT_VECTOR;
        });
      }
      return new Expr.NewArray(type, dims);
    }
    return arrayLiteral(t, arrayOf(t, elem, 1));
  }

  private Type arrayOf(Tree t, Type elem, int dims) {
    // new double[a][b] has element type double and two dimensions; new double[a][] has element
    // type double[] and one.
    Type type = elem;
    for (int k = 0; k < dims; k++) {
      if (type != Type.DOUBLE && type != Type.VECTOR && type != Type.MATRIX
          && !(type == Type.INT && k == 0)) {
        throw new Unsupported(t, Message.ARRAY_TYPE);
      }
      type = type.arrayOf();
    }
    return type;
  }

  private Expr arrayLiteral(NewArrayTree t, Type type) {
    if (!type.isArray()) {
      throw new Unsupported(t, Message.ARRAY_INITIALIZER_TYPE);
    }
    List<Expr> elems = inOrder(t.getInitializers(), e -> {
      Expr v = e instanceof NewArrayTree inner && inner.getType() == null
          ? arrayLiteral(inner, type.element()) : expression(e);
      checkAssignable(e, type.element(), v);
      if (v.type().isArray() && !(v instanceof Expr.ArrayLiteral)) {
        // {x, m[1]}: the new matrix's rows are those arrays, storage shared.
        census.add(Construct.ROW_INITIALIZER_FROM_ARRAY);
        v = sharedArray(hoist(v, false, src(e, e)), e, src(e, e));
      }
      return v;
    });
    census.add(switch (type) {
      case VECTOR -> Construct.VECTOR_LITERAL;
      case MATRIX -> Construct.MATRIX_LITERAL;
      case TENSOR -> Construct.TENSOR_LITERAL;
      default -> Construct.INT_VECTOR_LITERAL;
    });
    return new Expr.ArrayLiteral(type, elems);
  }

  // ---------------------------------------------------------------- names and types

  private Var lookup(String name) {
    for (Map<String, Var> scope : scopes) {
      Var v = scope.get(name);
      if (v == POISONED) {
        throw Unsupported.alreadyReported();
      }
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** Resolves a type name as javac would, or returns null when the tree names a value. */
  private TypeElement resolveType(ExpressionTree t) {
    if (t instanceof IdentifierTree id) {
      String name = id.getName().toString();
      if (lookup(name) != null) {
        return null;
      }
      for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
        if (type.getSimpleName().contentEquals(name)) {
          return type;
        }
        for (TypeElement member : ElementFilter.typesIn(type.getEnclosedElements())) {
          if (member.getSimpleName().contentEquals(name)) {
            return member;
          }
        }
      }
      for (ImportTree imp : unit.getImports()) {
        if (!imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree q
            && q.getIdentifier().contentEquals(name)) {
          TypeElement type = elements.getTypeElement(dotted(q));
          if (type != null) {
            return type;
          }
        }
      }
      String pkg = unit.getPackageName() == null ? "" : dotted(unit.getPackageName()) + ".";
      TypeElement same = elements.getTypeElement(pkg + name);
      if (same != null) {
        return same;
      }
      for (ImportTree imp : unit.getImports()) {
        if (!imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree q
            && q.getIdentifier().contentEquals("*")) {
          TypeElement type = elements.getTypeElement(dotted(q.getExpression()) + "." + name);
          if (type != null) {
            return type;
          }
        }
      }
      return elements.getTypeElement("java.lang." + name);
    }
    if (t instanceof MemberSelectTree ms) {
      String full = dotted(ms);
      if (full != null) {
        if (ms.getExpression() instanceof IdentifierTree first
            && lookup(first.getName().toString()) != null) {
          return null;
        }
        TypeElement type = elements.getTypeElement(full);
        if (type != null) {
          return type;
        }
        TypeElement outer = resolveType(ms.getExpression());
        if (outer != null) {
          for (TypeElement member : ElementFilter.typesIn(outer.getEnclosedElements())) {
            if (member.getSimpleName().contentEquals(ms.getIdentifier())) {
              return member;
            }
          }
        }
      }
    }
    return null;
  }

  /** {@code a.b.C} as a string, or null if the tree is not a plain dotted name. */
  private static String dotted(Tree t) {
    if (t instanceof IdentifierTree id) {
      return id.getName().toString();
    }
    if (t instanceof MemberSelectTree ms) {
      String left = dotted(ms.getExpression());
      return left == null ? null : left + "." + ms.getIdentifier();
    }
    return null;
  }

  private Type declaredType(Tree t) {
    if (t instanceof PrimitiveTypeTree p) {
      return switch (p.getPrimitiveTypeKind()) {
        case DOUBLE -> Type.DOUBLE;
        case INT -> Type.INT;
        case LONG -> Type.LONG;
        case BOOLEAN -> Type.BOOLEAN;
        case FLOAT -> throw new Unsupported(t, Message.FLOAT_TYPE);
        default -> throw new Unsupported(t, Message.NARROW_TYPE,
            p.getPrimitiveTypeKind().toString().toLowerCase());
      };
    }
    if (t instanceof ArrayTypeTree a) {
      Type elem = declaredType(a.getType());
      return switch (elem) {
        case DOUBLE -> Type.VECTOR;
        case VECTOR -> Type.MATRIX;
        case MATRIX -> Type.TENSOR;
        case INT -> Type.INT_VECTOR;
        default -> throw new Unsupported(t, Message.ARRAY_TYPE);
      };
    }
    throw new Unsupported(t, Message.TYPE, t == null ? "var" : typeText(t));
  }

  private String typeText(Tree t) {
    long start = positions.getStartPosition(unit, t);
    long end = positions.getEndPosition(unit, t);
    if (start >= 0 && end > start && end <= source.length()) {
      return source.subSequence((int) start, (int) end).toString();
    }
    return t.getKind().toString().toLowerCase();
  }

  /** Maps a declared type to the subset, or null if it is outside it. */
  public static Type typeOf(TypeMirror t) {
    switch (t.getKind()) {
      case DOUBLE:
        return Type.DOUBLE;
      case INT:
        return Type.INT;
      case LONG:
        return Type.LONG;
      case BOOLEAN:
        return Type.BOOLEAN;
      case ARRAY:
        TypeMirror c = ((ArrayType) t).getComponentType();
        if (c.getKind() == TypeKind.DOUBLE) {
          return Type.VECTOR;
        }
        if (c.getKind() == TypeKind.INT) {
          return Type.INT_VECTOR;
        }
        if (c.getKind() == TypeKind.ARRAY) {
          Type inner = typeOf(c);
          return inner == Type.VECTOR ? Type.MATRIX : inner == Type.MATRIX ? Type.TENSOR : null;
        }
        return null;
      default:
        return null;
    }
  }

  /**
   * The simple name of the private class that {@code t} names or mentions in its type arguments
   * or element type, so that generated code could not name {@code t}; or null.
   */
  private static String inaccessible(TypeMirror t) {
    if (t instanceof ArrayType a) {
      return inaccessible(a.getComponentType());
    }
    if (t instanceof javax.lang.model.type.DeclaredType d) {
      for (Element e = d.asElement(); e instanceof TypeElement te; e = e.getEnclosingElement()) {
        if (te.getModifiers().contains(Modifier.PRIVATE)) {
          return te.getSimpleName().toString();
        }
      }
      for (TypeMirror arg : d.getTypeArguments()) {
        String hidden = inaccessible(arg);
        if (hidden != null) {
          return hidden;
        }
      }
    }
    return null;
  }

  private static boolean isBoxed(TypeMirror t) {
    String s = t.toString();
    return s.equals("java.lang.Double") || s.equals("java.lang.Float");
  }

  public static boolean hasAnnotation(Element e, String qualifiedName) {
    return e.getAnnotationMirrors().stream().anyMatch(a -> ((TypeElement) a.getAnnotationType()
        .asElement()).getQualifiedName().contentEquals(qualifiedName));
  }

  /** {@code p.Foo} gives {@code p.FooGrad}; a nested {@code p.Outer.Inner} gives {@code p.Outer_InnerGrad}. */
  public static String gradClassName(TypeElement type) {
    StringBuilder simple = new StringBuilder(type.getSimpleName());
    Element e = type.getEnclosingElement();
    while (e.getKind().isClass() || e.getKind().isInterface() || e.getKind() == ElementKind.ENUM
        || e.getKind() == ElementKind.RECORD) {
      simple.insert(0, ((TypeElement) e).getSimpleName() + "_");
      e = e.getEnclosingElement();
    }
    String pkg = e.getKind() == ElementKind.PACKAGE
        ? ((javax.lang.model.element.PackageElement) e).getQualifiedName().toString() : "";
    return pkg.isEmpty() ? simple + "Grad" : pkg + "." + simple + "Grad";
  }

  private static ExpressionTree unparen(ExpressionTree t) {
    while (t instanceof ParenthesizedTree p) {
      t = p.getExpression();
    }
    return t;
  }

  // ---------------------------------------------------------------- source text

  private Src src(Tree where, Tree through) {
    long start = positions.getStartPosition(unit, where);
    long end = positions.getEndPosition(unit, through);
    long line = start < 0 ? -1 : unit.getLineMap().getLineNumber(start);
    return new Src(line, squeeze(start, end));
  }

  /** The header of a compound statement: its text up to where its body starts. */
  private Src header(Tree where, StatementTree body) {
    long start = positions.getStartPosition(unit, where);
    long end = positions.getStartPosition(unit, body);
    long line = start < 0 ? -1 : unit.getLineMap().getLineNumber(start);
    String text = squeeze(start, end);
    if (text.endsWith("{")) {
      text = text.substring(0, text.length() - 1).trim();
    }
    return new Src(line, text);
  }

  private String squeeze(long start, long end) {
    if (start < 0 || end <= start || end > source.length()) {
      return "";
    }
    // Only the start is shown, so only the start is cleaned up (a loop's text can be long).
    String text = source.subSequence((int) start, (int) Math.min(end, start + 600)).toString()
        .replaceAll("//[^\n]*", " ").replaceAll("/\\*.*?\\*/", " ").replaceAll("\\s+", " ").trim();
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }

  private void collectIdentifiers() {
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree node, Void p) {
        identifiers.add(node.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree node, Void p) {
        identifiers.add(node.getName().toString());
        return super.visitVariable(node, p);
      }

    }.scan(tree, null);
    identifiers.add(method.getSimpleName().toString());
  }
}
