package dev.gradgen.processor.diff;

import static dev.gradgen.processor.ir.Build.add;
import static dev.gradgen.processor.ir.Build.div;
import static dev.gradgen.processor.ir.Build.lit;
import static dev.gradgen.processor.ir.Build.mul;
import static dev.gradgen.processor.ir.Build.neg;
import static dev.gradgen.processor.ir.Build.sub;

import dev.gradgen.processor.ir.Build;
import dev.gradgen.processor.ir.Callee;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Expr.BinaryOp;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import dev.gradgen.processor.primitive.CustomRule;
import dev.gradgen.processor.primitive.Primitive;
import dev.gradgen.processor.primitive.Primitives;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forward mode: the tangent program of a method, as IR. Every active variable {@code x} gets a
 * tangent {@code xDot}, the derivative of its value along the direction given with the
 * differentiable parameters; each assignment {@code x = e} becomes {@code xDot = T(e); x = e;},
 * where {@code T(e)} is the sum over what {@code e} reads of its local partial times that
 * read's tangent (the partials are those of the primitive table, as in reverse mode). The
 * control flow, loops, branches and early exits are the method's own, so the program runs in one
 * pass with no tape; arrays' tangents are arrays of the same shape that share storage exactly as
 * the arrays do.
 *
 * <p>Calls and values a partial needs again are computed once into a temporary and its tangent
 * ({@code double exp = Math.exp(x); double expDot = exp * xDot;}). A call of another
 * {@code @Differentiable} method calls its tangent function; a kernel calls its forward rule
 * {@code fJvp}.
 *
 * <p>The result is a method in the same IR: its parameters are the method's followed by one
 * tangent per differentiable parameter, and each return gives the tangent of the value (the
 * value itself is kept beside it). So the reverse mode can differentiate it again, which gives
 * Hessian-vector products.
 */
public final class Tangents {
  /**
   * The tangent program.
   *
   * @param method the program as a method: returns give the tangent of the value
   * @param tangentParameters the tangent of each differentiable parameter, in order
   * @param values the value each return of {@code method} gives in the original method
   * @param zeroTangents tangents of active parameters that are not differentiable (a
   *     {@code @NoGrad} array that shares storage with an active one): they start at zero
   * @param gaps calls forward mode cannot go through (a kernel without a forward rule), each
   *     with the original call; empty when the program is complete
   * @param origins for each call of a kernel's forward rule or of another method's tangent
   *     function, the call of the original method it comes from
   */
  public record Program(DiffMethod method, List<Var> tangentParameters,
      Map<Stmt.Return, Expr> values, Map<Var, Var> zeroTangents, List<Expr.Call> gaps,
      Map<Expr.Call, Expr.Call> origins) {}

  /** {@code null}, for an array argument that has no tangent. */
  private static final Expr NULL = new Expr.Literal(Type.OTHER, null);

  private final DiffMethod method;
  private final Activity activity;
  private final Names names;
  private final Map<Var, Var> tangentOf = new IdentityHashMap<>();
  private final List<Var> newLocals = new ArrayList<>();
  private final Map<Stmt.Return, Expr> values = new IdentityHashMap<>();
  private final List<Expr.Call> gaps = new ArrayList<>();
  private final Map<Expr.Call, Expr.Call> origins = new IdentityHashMap<>();
  private final Map<Stmt.Loop, Stmt.Loop> loops = new IdentityHashMap<>();

  private Tangents(DiffMethod method, Activity activity) {
    this.method = method;
    this.activity = activity;
    Set<String> taken = new HashSet<>(method.identifiersInSource());
    method.parameters().forEach(p -> taken.add(p.name()));
    method.locals().forEach(l -> taken.add(l.name()));
    this.names = new Names(taken);
  }

  /** The tangent program of {@code method}, whose activity is {@code activity}. */
  public static Program of(DiffMethod method, Activity activity) {
    return new Tangents(method, activity).build();
  }

  private Program build() {
    List<Var> tangentParameters = new ArrayList<>();
    Map<Var, Var> zero = new LinkedHashMap<>();
    for (Var p : method.parameters()) {
      if (p.isDifferentiableParameter()) {
        // Differentiable in the tangent program: reverse mode over it gives, besides H u, the
        // adjoint of the direction (the gradient), and calls between tangent functions need it.
        Var t = new Var(names.fresh(Names.tangentBase(p.name())), p.type(), Var.Kind.PARAMETER,
            false);
        t.reassigned = p.reassigned;
        tangentOf.put(p, t);
        tangentParameters.add(t);
      }
    }
    for (Var p : method.parameters()) {
      if (!p.isDifferentiableParameter() && activity.isActive(p)) {
        Var t = local(Names.tangentBase(p.name()), p.type());
        t.declarations = 1;
        t.reassigned = p.reassigned;
        tangentOf.put(p, t);
        zero.put(p, t);
      }
    }
    for (Var l : method.locals()) {
      if (activity.isActive(l) && l.type().differentiable()) {
        Var t = local(Names.tangentBase(l.name()), l.type());
        t.declarations = l.declarations;
        t.reassigned = l.reassigned;
        tangentOf.put(l, t);
      }
    }
    List<Stmt> body = new ArrayList<>();
    for (Map.Entry<Var, Var> z : zero.entrySet()) {
      Expr start = z.getKey().type().isArray() ? zeros(new Expr.Local(z.getKey())) : lit(0);
      body.add(new Stmt.Assign(new Stmt.VarTarget(z.getValue()), start, true, null,
          method.declaration()));
    }
    body.addAll(stmts(method.body()));
    List<Var> parameters = new ArrayList<>(method.parameters());
    parameters.addAll(tangentParameters);
    List<Var> locals = new ArrayList<>(method.locals());
    locals.addAll(newLocals);
    Set<String> identifiers = new HashSet<>(method.identifiersInSource());
    parameters.forEach(p -> identifiers.add(p.name()));
    locals.forEach(l -> identifiers.add(l.name()));
    DiffMethod tangent = new DiffMethod(method.name(), List.copyOf(parameters),
        List.copyOf(locals), List.copyOf(body), Set.copyOf(identifiers), method.declaration(),
        method.returnType());
    return new Program(tangent, List.copyOf(tangentParameters),
        Collections.unmodifiableMap(values), Collections.unmodifiableMap(zero),
        List.copyOf(gaps), Collections.unmodifiableMap(origins));
  }

  private Var local(String base, Type type) {
    Var v = new Var(names.fresh(base), type, Var.Kind.LOCAL, false);
    newLocals.add(v);
    return v;
  }

  /** A temporary assigned at exactly one place. */
  private Var temporary(String base, Type type) {
    Var v = local(base, type);
    v.declarations = 1;
    return v;
  }

  // ------------------------------------------------------------ statements

  private List<Stmt> stmts(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : in) {
      stmt(s, out);
    }
    return out;
  }

  private void stmt(Stmt s, List<Stmt> out) {
    s.accept(new Stmt.Visitor<Void>() {
      @Override
      public Void assign(Stmt.Assign a) {
        Tangents.this.assign(a, out);
        return null;
      }

      @Override
      public Void step(Stmt.Step st) {
        out.add(st);
        return null;
      }

      @Override
      public Void ifStmt(Stmt.If i) {
        out.add(new Stmt.If(i.condition(), stmts(i.then()), stmts(i.otherwise()), i.src()));
        return null;
      }

      @Override
      public Void loop(Stmt.Loop l) {
        // Jumps in the body name the new loop: it exists before its body is filled in.
        List<Stmt> body = new ArrayList<>();
        List<Stmt> update = new ArrayList<>();
        Stmt.Loop copy = new Stmt.Loop(l.kind, stmts(l.init), l.condition,
            Collections.unmodifiableList(update), Collections.unmodifiableList(body), l.label,
            l.nameHint, l.src());
        loops.put(l, copy);
        body.addAll(stmts(l.body));
        update.addAll(stmts(l.update));
        out.add(copy);
        return null;
      }

      @Override
      public Void jump(Stmt.Jump j) {
        Stmt.Loop target = loops.get(j.target());
        if (target == null) {
          throw new IllegalStateException("a jump out of a loop not yet seen: " + j);
        }
        out.add(new Stmt.Jump(j.kind(), target, j.label(), j.src()));
        return null;
      }

      @Override
      public Void returnStmt(Stmt.Return r) {
        if (r.value().type().isArray()) {
          // A vector method: the tangent of the array returned.
          Stmt.Return ret = new Stmt.Return(arrayTangent(r.value()), r.src());
          values.put(ret, r.value());
          out.add(ret);
          return null;
        }
        Hoisted h = hoist(r.value(), r.src(), out);
        Expr t = tangent(r.value(), h);
        Stmt.Return ret = new Stmt.Return(t == null ? lit(0) : t, r.src());
        values.put(ret, h.value());
        out.add(ret);
        return null;
      }

      @Override
      public Void print(Stmt.Print p) {
        out.add(p);
        return null;
      }
    });
  }

  private void assign(Stmt.Assign a, List<Stmt> out) {
    Stmt.Target target = a.target();
    Type type = target.type();
    Expr tangentTarget = tangentTarget(target);
    if (tangentTarget == null) {
      out.add(a); // nothing active is written
      return;
    }
    if (a.value() instanceof Expr.Call c && c.callee().hasBackward()
        && target instanceof Stmt.VarTarget vt) {
      kernel(a, vt.var(), c, out);
      return;
    }
    if (a.value() instanceof Expr.Call c && c.callee().differentiable() && type.isArray()
        && target instanceof Stmt.VarTarget) {
      // A vector method: its tangent function first (it reads the arguments as the call does).
      Expr t = activity.isActive(c) ? call(c, Hoisted.NONE) : zeros(targetExpr(target));
      if (activity.isActive(c)) {
        out.add(new Stmt.Assign(targetOf(tangentTarget), t, a.declaration(), null, a.src()));
        out.add(a);
      } else {
        out.add(a);
        out.add(assignment(tangentTarget, t, a));
      }
      return;
    }
    if (type.isArray()) {
      // The tangent of an array is an array shaped like it, sharing storage as it does.
      Expr value = a.value();
      if (value instanceof Expr.Local || value instanceof Expr.Index
          || value instanceof Expr.ArrayLiteral || value instanceof Expr.NewArray) {
        out.add(assignment(tangentTarget, arrayTangent(value), a));
        out.add(a);
      } else {
        out.add(a);
        out.add(assignment(tangentTarget, zeros(targetExpr(target)), a));
      }
      return;
    }
    Expr.Index element = target instanceof Stmt.ElementTarget et ? et.element() : null;
    Hoisted h = hoist(a.value(), element, a.src(), out);
    if (element != null && !h.replaced().isEmpty()) {
      Expr.Index moved = (Expr.Index) Walk.substitute(element, h.replaced());
      target = new Stmt.ElementTarget(moved);
      tangentTarget = shadow(moved);
    }
    Expr t = tangent(a.value(), h);
    Expr primal = h.value();
    BinaryOp compound = null;
    if (a.compound() != null && t instanceof Expr.Binary b && b.op() == a.compound()
        && b.left().equals(tangentTarget) && primal instanceof Expr.Binary pb
        && pb.op() == a.compound()) {
      compound = a.compound(); // xDot += T(e) beside x += e
    }
    out.add(new Stmt.Assign(targetOf(tangentTarget), t == null ? lit(0) : t, a.declaration(),
        compound, a.src()));
    out.add(new Stmt.Assign(target, primal, a.declaration(),
        primal instanceof Expr.Binary pb && pb.op() == a.compound() ? a.compound() : null,
        a.src()));
  }

  private static Stmt.Assign assignment(Expr target, Expr value, Stmt.Assign like) {
    return new Stmt.Assign(targetOf(target), value, like.declaration(), null, like.src());
  }

  private static Stmt.Target targetOf(Expr e) {
    if (e instanceof Expr.Local l) {
      return new Stmt.VarTarget(l.var());
    }
    return new Stmt.ElementTarget((Expr.Index) e);
  }

  private static Expr targetExpr(Stmt.Target t) {
    return t instanceof Stmt.VarTarget vt ? new Expr.Local(vt.var())
        : ((Stmt.ElementTarget) t).element();
  }

  /** Where the tangent of what {@code t} writes lives, or null when it has none. */
  private Expr tangentTarget(Stmt.Target t) {
    if (!t.type().differentiable()) {
      return null;
    }
    if (t instanceof Stmt.VarTarget vt) {
      Var d = tangentOf.get(vt.var());
      return d == null ? null : new Expr.Local(d);
    }
    return shadow(((Stmt.ElementTarget) t).element());
  }

  /** The tangent of array expression {@code a} ({@code mDot[i]} for {@code m[i]}), or null. */
  private Expr shadow(Expr e) {
    if (e instanceof Expr.Local l) {
      Var d = tangentOf.get(l.var());
      return d == null ? null : new Expr.Local(d);
    }
    if (e instanceof Expr.Index i) {
      Expr inner = shadow(i.array());
      return inner == null ? null : new Expr.Index(inner, i.index());
    }
    return null;
  }

  /** The tangent of an array value: its shadow, a literal of tangents, or zeros like it. */
  private Expr arrayTangent(Expr value) {
    if (value instanceof Expr.ArrayLiteral lit) {
      List<Expr> elements = new ArrayList<>();
      for (Expr e : lit.elements()) {
        if (e.type().isArray()) {
          elements.add(arrayTangent(e));
        } else {
          Expr t = activity.isActive(e) ? tangent(e, Hoisted.NONE) : null;
          elements.add(t == null ? lit(0) : t);
        }
      }
      return new Expr.ArrayLiteral(lit.type(), elements);
    }
    if (value instanceof Expr.NewArray n) {
      return n;
    }
    Expr s = activity.isActive(value) ? shadow(value) : null;
    return s != null ? s : zeros(value);
  }

  /** A new zero array shaped like {@code array}. */
  private static Expr zeros(Expr array) {
    return new Expr.Invoke("dev.gradgen.Gradients", "zerosLike", List.of(array), array.type());
  }

  /**
   * {@code v = f(args)} for a kernel: the result first, then {@code vDot = fJvp(args, result,
   * tangents)}. The result goes through a temporary when the arguments read {@code v}.
   */
  private void kernel(Stmt.Assign a, Var v, Expr.Call c, List<Stmt> out) {
    Callee callee = c.callee();
    Var d = tangentOf.get(v);
    if (!activity.isActive(c)) {
      out.add(a);
      out.add(new Stmt.Assign(new Stmt.VarTarget(d), v.type().isArray()
          ? zeros(new Expr.Local(v)) : lit(0), a.declaration(), null, a.src()));
      return;
    }
    if (callee.jvp() == null) {
      gaps.add(c);
      out.add(a);
      return;
    }
    boolean readsTarget = c.args().stream().anyMatch(x -> reads(x, v));
    Expr result;
    if (readsTarget) {
      Var r = temporary(v.name() + "New", v.type());
      out.add(new Stmt.Assign(new Stmt.VarTarget(r), c, true, null, a.src()));
      result = new Expr.Local(r);
    } else {
      out.add(a);
      result = new Expr.Local(v);
    }
    // A @Differentiable forward rule is a call with a pullback, for second order: it gets zero
    // arrays, not null, where an argument is constant.
    Callee differentiableRule = callee.jvp().asCall();
    List<Expr> args = CustomRule.jvpArguments(callee.parameterTypes(), c.args(), result, k -> {
      Expr x = c.args().get(k);
      if (x.type().isArray()) {
        return activity.isActive(x) ? arrayTangent(x)
            : differentiableRule != null ? zeros(x) : NULL;
      }
      Expr t = activity.isActive(x) ? tangent(x, Hoisted.NONE) : null;
      return t == null ? lit(0) : t;
    });
    List<Type> types = new ArrayList<>();
    args.forEach(x -> types.add(x.type()));
    Callee rule = differentiableRule != null ? differentiableRule
        : new Callee(callee.jvp().ownerQualifiedName(), callee.jvp().name(), types, v.type(),
            false, null, Collections.nCopies(types.size(), "x"),
            Collections.nCopies(types.size(), false), null, null,
            Collections.nCopies(types.size(), false), false, null);
    Expr.Call jvp = new Expr.Call(rule, args);
    origins.put(jvp, c);
    out.add(new Stmt.Assign(new Stmt.VarTarget(d), jvp, a.declaration(), null, a.src()));
    if (readsTarget) {
      out.add(new Stmt.Assign(a.target(), result, a.declaration(), null, a.src()));
    }
  }

  private static boolean reads(Expr e, Var v) {
    boolean[] found = {false};
    Walk.visitExpr(e, x -> found[0] |= x instanceof Expr.Local l && l.var() == v);
    return found[0];
  }

  // ------------------------------------------------------------ expressions

  /**
   * The calls of an expression computed once before it: {@code value} is the expression reading
   * them from their temporaries; {@code replaced} maps each such call to its temporary and
   * {@code tangents} to its tangent's.
   */
  private record Hoisted(Expr value, Map<Expr, Expr> replaced, Map<Expr, Expr> tangents) {
    static final Hoisted NONE = new Hoisted(null, Map.of(), Map.of());
  }

  /**
   * Computes, before the statement, each active call of {@code e} that is evaluated whenever
   * {@code e} is and is not cheaper to evaluate again, into a temporary, and its tangent into
   * another: inner calls first, in evaluation order.
   */
  private Hoisted hoist(Expr e, dev.gradgen.processor.ir.Src src, List<Stmt> out) {
    return hoist(e, null, src, out);
  }

  /**
   * As {@link #hoist(Expr, dev.gradgen.processor.ir.Src, List)}; {@code element}, when the
   * statement writes an array element, is that element. When {@code e} calls a method that
   * writes into an {@code int[]} argument, the statement is sequenced: the element's indices, then
   * every {@code int[]} read and call, are taken into temporaries in Java's evaluation order, so
   * that each reads the array before or after the call exactly as Java does; the call's tangent
   * function runs on a copy of the array, before the call.
   */
  private Hoisted hoist(Expr e, Expr.Index element, dev.gradgen.processor.ir.Src src,
      List<Stmt> out) {
    Hoisted h = new Hoisted(null, new LinkedHashMap<>(), new java.util.HashMap<>());
    boolean sequenced = writesIntoArguments(e);
    if (sequenced) {
      for (Expr x = element; x instanceof Expr.Index i; x = i.array()) {
        hoistInto(i.index(), src, out, h, true);
      }
    }
    hoistInto(e, src, out, h, sequenced);
    return new Hoisted(Walk.substitute(e, h.replaced()), h.replaced(), h.tangents());
  }

  /** Whether {@code e} calls a method that may write into an {@code int[]} argument. */
  private static boolean writesIntoArguments(Expr e) {
    boolean[] found = {false};
    Walk.visitExpr(e, x -> found[0] |= x instanceof Expr.Call c && writes(c));
    return found[0];
  }

  private static boolean writes(Expr.Call c) {
    return c.callee().writesIntoArguments().stream().anyMatch(w -> w);
  }

  private void hoistInto(Expr e, dev.gradgen.processor.ir.Src src, List<Stmt> out, Hoisted h,
      boolean sequenced) {
    if (e instanceof Expr.Conditional c) {
      hoistInto(c.condition(), src, out, h, sequenced);
      lazy(c.whenTrue(), sequenced);
      lazy(c.whenFalse(), sequenced);
      return;
    }
    if (e instanceof Expr.Binary b && (b.op() == BinaryOp.CAND || b.op() == BinaryOp.COR)) {
      hoistInto(b.left(), src, out, h, sequenced);
      lazy(b.right(), sequenced);
      return;
    }
    for (Expr child : Walk.children(e)) {
      hoistInto(child, src, out, h, sequenced);
    }
    if (h.replaced().containsKey(e)) {
      return;
    }
    if (sequenced && !e.type().differentiable() && !e.type().isArray() && e.type().inSubset()
        && (e instanceof Expr.Index || e instanceof Expr.Call)) {
      // An int read or call: what it reads may change at a later call.
      Var t = temporary(e instanceof Expr.Call c ? c.callee().name() : "element", e.type());
      out.add(new Stmt.Assign(new Stmt.VarTarget(t), Walk.substitute(e, h.replaced()), true,
          null, src));
      h.replaced().put(e, new Expr.Local(t));
      return;
    }
    boolean expensive = e instanceof Expr.MathCall m && e.type() == Type.DOUBLE
        && !Primitives.of(m.name()).cheap()
        || e instanceof Expr.Call c && !c.callee().hasBackward() && e.type() == Type.DOUBLE;
    if (!expensive || !activity.isActive(e)) {
      if (e instanceof Expr.Call c && writes(c)) {
        Var t = temporary(c.callee().name(), e.type());
        out.add(new Stmt.Assign(new Stmt.VarTarget(t), Walk.substitute(e, h.replaced()), true,
            null, src));
        h.replaced().put(e, new Expr.Local(t));
      }
      return;
    }
    Expr value = Walk.substitute(e, h.replaced());
    String base = e instanceof Expr.MathCall m ? m.name() : ((Expr.Call) e).callee().name();
    Var t = temporary(base, Type.DOUBLE);
    Var dt = temporary(Names.tangentBase(t.name()), Type.DOUBLE);
    Expr local = new Expr.Local(t);
    if (e instanceof Expr.Call c && writes(c)) {
      // The tangent function first, on copies of the arrays the call writes into.
      out.add(new Stmt.Assign(new Stmt.VarTarget(dt), orZero(tangent(e, h)), true, null, src));
      out.add(new Stmt.Assign(new Stmt.VarTarget(t), value, true, null, src));
      h.replaced().put(e, local);
    } else {
      out.add(new Stmt.Assign(new Stmt.VarTarget(t), value, true, null, src));
      // Its own value, where a partial reads it (exp' = exp), is the temporary from now on.
      h.replaced().put(e, local);
      out.add(new Stmt.Assign(new Stmt.VarTarget(dt), orZero(tangent(e, h)), true, null, src));
    }
    h.tangents().put(e, new Expr.Local(dt));
  }

  /**
   * A part of a statement evaluated only sometimes ({@code ?:}, the right of {@code &&}): it
   * stays in place, so a call in it that writes into an array would run twice. Forward mode
   * does not go through that.
   */
  private void lazy(Expr e, boolean sequenced) {
    Walk.visitExpr(e, x -> {
      if (x instanceof Expr.Call c && writes(c) && !gaps.contains(c)) {
        gaps.add(c);
      }
    });
  }

  private static Expr orZero(Expr e) {
    return e == null ? lit(0) : e;
  }

  /**
   * The tangent of {@code e}, an expression of the original method, or null when it is zero;
   * the calls {@code h} computed before the statement are read from their temporaries.
   */
  private Expr tangent(Expr e, Hoisted h) {
    Expr t = rawTangent(e, h);
    return t == null ? null : Walk.substitute(t, h.replaced());
  }

  private Expr rawTangent(Expr e, Hoisted h) {
    Expr known = h.tangents().get(e);
    if (known != null) {
      return known;
    }
    if (!activity.isActive(e)) {
      return null;
    }
    if (e instanceof Expr.Local l) {
      Var d = tangentOf.get(l.var());
      return d == null ? null : new Expr.Local(d);
    }
    if (e instanceof Expr.Index i) {
      return shadow(i);
    }
    if (e instanceof Expr.Unary u) {
      Expr t = tangent(u.operand(), h);
      return t == null ? null : neg(t);
    }
    if (e instanceof Expr.Cast c) {
      return tangent(c.operand(), h);
    }
    if (e instanceof Expr.Conditional c) {
      Expr yes = tangent(c.whenTrue(), h);
      Expr no = tangent(c.whenFalse(), h);
      if (yes == null && no == null) {
        return null;
      }
      return new Expr.Conditional(c.condition(), yes == null ? lit(0) : yes,
          no == null ? lit(0) : no, Type.DOUBLE);
    }
    if (e instanceof Expr.Binary b) {
      return binary(b, h);
    }
    if (e instanceof Expr.MathCall m) {
      Primitive p = Primitives.of(m.name());
      List<Expr> partials = p.partials().of(m.args(), m);
      Expr sum = null;
      for (int k = 0; k < m.args().size(); k++) {
        if (partials.get(k) == null) {
          continue;
        }
        Expr t = tangent(m.args().get(k), h);
        if (t != null) {
          sum = plus(sum, p.singular() ? guarded(t, partials.get(k)) : mul(t, partials.get(k)));
        }
      }
      return sum;
    }
    if (e instanceof Expr.Call c) {
      return call(c, h);
    }
    throw new IllegalStateException("no tangent rule for " + e);
  }

  private static Expr plus(Expr sum, Expr term) {
    return sum == null ? term : add(sum, term);
  }

  /**
   * {@code t * partial} where the partial may be infinite: 0 when the tangent is 0 and the
   * partial infinite, so that a direction that does not move an argument gives no NaN. Only
   * there: a tangent that is 0 where the partial is finite still carries its own derivative,
   * which second order (reverse mode over this program) needs.
   */
  private static Expr guarded(Expr t, Expr partial) {
    if (Build.isLit(t, 0)) {
      return null;
    }
    Expr singular = new Expr.Binary(BinaryOp.CAND, Build.cmp(BinaryOp.EQ, t, lit(0)),
        Build.cmp(BinaryOp.EQ, Build.math("abs", partial), lit(Double.POSITIVE_INFINITY)),
        Type.BOOLEAN);
    return new Expr.Conditional(singular, lit(0), mul(t, partial), Type.DOUBLE);
  }

  private Expr binary(Expr.Binary b, Hoisted h) {
    Expr l = tangent(b.left(), h);
    Expr r = tangent(b.right(), h);
    return switch (b.op()) {
      case ADD -> l == null ? r : r == null ? l : add(l, r);
      case SUB -> l == null ? (r == null ? null : neg(r)) : r == null ? l : sub(l, r);
      case MUL -> {
        if (l != null && b.left().equals(b.right())) {
          yield mul(mul(lit(2), b.left()), l); // x * x: 2 x xDot
        }
        Expr left = l == null ? null : mul(l, b.right());
        Expr right = r == null ? null : mul(b.left(), r);
        yield left == null ? right : right == null ? left : add(left, right);
      }
      case DIV -> {
        // d(x / y) = xDot / y - (x / y) yDot / y; each term 0 when its tangent is (y may be 0).
        Expr left = l == null ? null : guarded(l, div(lit(1), b.right()));
        Expr right = r == null ? null : guarded(r, div(b, b.right()));
        yield left == null ? (right == null ? null : neg(right))
            : right == null ? left : sub(left, right);
      }
      default -> throw new IllegalStateException("no tangent rule for " + b.op());
    };
  }

  /** {@code f(args)} of a {@code @Differentiable} method: its tangent function. */
  private Expr call(Expr.Call c, Hoisted h) {
    Callee callee = c.callee();
    if (callee.hasBackward()) {
      throw new IllegalStateException("kernel call was not given a local: " + c);
    }
    List<Expr> args = new ArrayList<>();
    for (int k = 0; k < c.args().size(); k++) {
      Expr x = c.args().get(k);
      // The call itself writes into the array: its tangent function works on a copy.
      args.add(callee.writesIntoArguments().get(k) ? new Expr.Invoke("java.util.Arrays", "copyOf",
          List.of(x, new Expr.Length(x)), x.type()) : x);
    }
    List<Type> types = new ArrayList<>(callee.parameterTypes());
    List<String> paramNames = new ArrayList<>(callee.parameterNames());
    List<Boolean> diff = new ArrayList<>(callee.differentiableParameters());
    List<Boolean> writes = new ArrayList<>(callee.writesIntoArguments());
    for (int k = 0; k < c.args().size(); k++) {
      if (!callee.differentiableParameters().get(k)) {
        continue;
      }
      Expr x = c.args().get(k);
      Expr t;
      if (x.type().isArray()) {
        t = activity.isActive(x) ? arrayTangent(x) : zeros(x);
      } else {
        Expr tx = tangent(x, h);
        t = tx == null ? lit(0) : tx;
      }
      args.add(t);
      types.add(x.type());
      paramNames.add(Names.tangentBase(callee.parameterNames().get(k)));
      diff.add(true);
      writes.add(false);
    }
    Callee tangentFunction = new Callee(callee.gradClassQualifiedName(),
        Names.tangent(callee.name(), callee.differentiableParameters()), types,
        callee.returnType(), true,
        callee.gradClassQualifiedName(), paramNames, diff, null, null, writes, false, null);
    Expr.Call call = new Expr.Call(tangentFunction, args);
    origins.put(call, c);
    return call;
  }
}
