package dev.gradgen.processor.diff;

import dev.gradgen.processor.diag.Diagnosis;
import dev.gradgen.processor.diag.Message;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Stmt;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import dev.gradgen.processor.ir.Walk;
import dev.gradgen.processor.primitive.Primitives;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Phase 2, activity analysis: which variables can carry a derivative of a differentiable
 * parameter. Only active variables get adjoints; everything else costs nothing in the backward
 * sweep. The analysis is flow-insensitive (a variable is active if any assignment to it is), which
 * is sound: an inactive value simply has a zero adjoint.
 *
 * <p>Array variables that may share storage (one assigned from another, or a row taken from a
 * matrix) form an alias class that is active as a whole.
 */
public final class Activity {
  private final Map<Var, Var> parent = new HashMap<>();

  /** A problem found here: a call with active arguments to a method without a derivative. */
  public record CallProblem(Expr.Call call, Diagnosis diagnosis) {
    CallProblem(Expr.Call call, Message message, Object... args) {
      this(call, Diagnosis.of(message, args));
    }
  }

  private final List<CallProblem> problems = new ArrayList<>();
  /** The variables that may carry a derivative of a differentiable parameter. */
  private final Set<Var> active = Collections.newSetFromMap(new IdentityHashMap<>());

  public Activity(DiffMethod method) {
    for (Var p : method.parameters()) {
      if (p.isDifferentiableParameter()) {
        active.add(p);
      }
    }
    Walk.walk(method.body(), this::alias);
    // Alias classes containing an active array are active.
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Var v : parent.keySet()) {
        if (active.contains(v) && active.add(representative(v))) {
          changed = true;
        }
      }
      for (Var v : parent.keySet()) {
        if (active.contains(representative(v)) && active.add(v)) {
          changed = true;
        }
      }
      List<Stmt> all = new ArrayList<>();
      Walk.walk(method.body(), all::add);
      for (Stmt s : all) {
        if (s instanceof Stmt.Assign a && isActive(a.value())) {
          Var target = a.target() instanceof Stmt.VarTarget vt ? vt.var()
              : Walk.root(((Stmt.ElementTarget) a.target()).element());
          if (target != null && target.type().differentiable() && active.add(target)) {
            changed = true;
          }
        }
      }
    }
    List<Stmt> all = new ArrayList<>();
    Walk.walk(method.body(), all::add);
    for (Stmt s : all) {
      Walk.forEachExpr(s, this::checkCalls);
    }
  }

  public List<CallProblem> problems() {
    return problems;
  }

  /** The representative of {@code v}'s alias class (itself for non-arrays). */
  public Var representative(Var v) {
    Var p = parent.getOrDefault(v, v);
    if (p == v) {
      return v;
    }
    Var r = representative(p);
    parent.put(v, r);
    return r;
  }

  /** Joins the classes of {@code a} and {@code b}; a class with a parameter has one as its representative. */
  private void union(Var a, Var b) {
    parent.putIfAbsent(a, a);
    parent.putIfAbsent(b, b);
    Var ra = representative(a);
    Var rb = representative(b);
    if (ra == rb) {
      return;
    }
    if (ra.isParameter() && !rb.isParameter()) {
      parent.put(rb, ra);
    } else {
      parent.put(ra, rb);
    }
  }

  /** True when some parameter shares storage with {@code v}. */
  public boolean mayAliasParameter(Var v) {
    Var r = representative(v);
    if (v.isParameter()) {
      return true;
    }
    for (Var other : parent.keySet()) {
      if (other.isParameter() && representative(other) == r) {
        return true;
      }
    }
    return false;
  }

  private void alias(Stmt s) {
    if (!(s instanceof Stmt.Assign a) || !a.target().type().isArray()) {
      return;
    }
    // The variable written: the array itself, or the matrix a row is stored into.
    Var target = a.target() instanceof Stmt.VarTarget vt ? vt.var()
        : Walk.root(((Stmt.ElementTarget) a.target()).element());
    if (target == null) {
      return;
    }
    parent.putIfAbsent(target, target);
    for (Var source : Walk.sharedBy(a.value())) {
      union(target, source);
    }
  }

  /** Whether variable {@code v} may carry a derivative of a differentiable parameter. */
  public boolean isActive(Var v) {
    return active.contains(v);
  }

  /** Whether {@code e} may depend on a differentiable parameter. */
  public boolean isActive(Expr e) {
    if (e instanceof Expr.Local l) {
      return active.contains(l.var());
    }
    if (e instanceof Expr.Index i) {
      return isActive(i.array());
    }
    if (e instanceof Expr.Unary u) {
      return u.type() == Type.DOUBLE && isActive(u.operand());
    }
    if (e instanceof Expr.Binary b) {
      return b.type() == Type.DOUBLE && (isActive(b.left()) || isActive(b.right()));
    }
    if (e instanceof Expr.Conditional c) {
      return c.type().differentiable() && (isActive(c.whenTrue()) || isActive(c.whenFalse()));
    }
    if (e instanceof Expr.Cast c) {
      return c.type() == Type.DOUBLE && isActive(c.operand());
    }
    if (e instanceof Expr.MathCall m) {
      return m.type() == Type.DOUBLE && Primitives.of(m.name()).hasDerivative(m.args(), m)
          && m.args().stream().anyMatch(this::isActive);
    }
    if (e instanceof Expr.Call c) {
      return c.callee().hasDerivative() && activeArguments(c);
    }
    if (e instanceof Expr.ArrayLiteral a) {
      return a.elements().stream().anyMatch(this::isActive);
    }
    return false;
  }

  private boolean activeArguments(Expr.Call c) {
    for (int i = 0; i < c.args().size(); i++) {
      if (c.callee().differentiableParameters().get(i) && isActive(c.args().get(i))) {
        return true;
      }
    }
    return false;
  }

  private void checkCalls(Expr e) {
    if (e instanceof Expr.Call c) {
      if (!c.callee().hasDerivative() && !c.callee().stopsGradient()
          && c.args().stream().anyMatch(this::isActive)
          && c.callee().returnType().differentiable()) {
        String owner = simple(c.callee().ownerQualifiedName());
        problems.add(c.callee().ruleMismatch() != null
            ? new CallProblem(c, Message.NO_USABLE_DERIVATIVE, owner, c.callee().name(),
                c.callee().ruleMismatch())
            : c.callee().jvp() != null
            ? new CallProblem(c, Message.NO_BACKWARD_RULE, owner, c.callee().name(),
                simple(c.callee().jvp().ownerQualifiedName()) + "." + c.callee().jvp().name())
            : new CallProblem(c, Message.NO_DERIVATIVE, owner, c.callee().name()));
      }
      if (c.callee().differentiable() || c.callee().hasBackward()) {
        for (int i = 0; i < c.args().size(); i++) {
          Expr a = c.args().get(i);
          if (c.callee().differentiable() && !c.callee().differentiableParameters().get(i)
              && c.callee().parameterTypes().get(i).differentiable() && isActive(a)) {
            problems.add(new CallProblem(c, Message.ACTIVE_NO_GRAD_ARGUMENT, i + 1,
                c.callee().name(), c.callee().parameterNames().get(i)));
          }
          // (A kernel's backward rule adds into the argument's adjoint, which a literal lacks.)
          if (c.callee().differentiableParameters().get(i) && a.type().isArray() && isActive(a)
              && !(a instanceof Expr.Local) && !(a instanceof Expr.Index)) {
            problems.add(new CallProblem(c, Message.ARRAY_ARGUMENT_NOT_LOCAL, i + 1,
                c.callee().name()));
          }
        }
      }
    }
  }

  private static String simple(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }
}
