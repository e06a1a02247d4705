package dev.gradgen.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Walks over the IR that every pass shares: statements nested in statements, the expressions of
 * a statement, the sub-expressions of an expression, and the variable an array expression reads.
 * Written with the visitors, so a new kind of statement or expression must be handled here.
 */
public final class Walk {
  private Walk() {}

  /** Visits every statement, nested ones included, each before the statements inside it. */
  public static void walk(List<Stmt> stmts, Consumer<Stmt> visit) {
    for (Stmt s : stmts) {
      visit.accept(s);
      for (List<Stmt> nested : nested(s)) {
        walk(nested, visit);
      }
    }
  }

  /** The statement lists directly inside {@code s}: a branch's sides, a loop's parts. */
  public static List<List<Stmt>> nested(Stmt s) {
    return s.accept(new Stmt.Default<>() {
      @Override
      protected List<List<Stmt>> otherwise(Stmt s) {
        return List.of();
      }

      @Override
      public List<List<Stmt>> ifStmt(Stmt.If i) {
        return List.of(i.then(), i.otherwise());
      }

      @Override
      public List<List<Stmt>> loop(Stmt.Loop l) {
        return List.of(l.init, l.body, l.update);
      }
    });
  }

  /** The expressions directly in {@code s} (not in statements nested in it), in source order. */
  public static List<Expr> expressions(Stmt s) {
    return s.accept(new Stmt.Visitor<>() {
      @Override
      public List<Expr> assign(Stmt.Assign a) {
        return a.target() instanceof Stmt.ElementTarget et ? List.of(et.element(), a.value())
            : List.of(a.value());
      }

      @Override
      public List<Expr> step(Stmt.Step st) {
        return List.of();
      }

      @Override
      public List<Expr> ifStmt(Stmt.If i) {
        return List.of(i.condition());
      }

      @Override
      public List<Expr> loop(Stmt.Loop l) {
        return l.condition == null ? List.of() : List.of(l.condition);
      }

      @Override
      public List<Expr> jump(Stmt.Jump j) {
        return List.of();
      }

      @Override
      public List<Expr> returnStmt(Stmt.Return r) {
        return List.of(r.value());
      }

      @Override
      public List<Expr> print(Stmt.Print p) {
        return p.args();
      }
    });
  }

  /** Visits every expression (and sub-expression) directly in {@code s}. */
  public static void forEachExpr(Stmt s, Consumer<Expr> visit) {
    for (Expr e : expressions(s)) {
      visitExpr(e, visit);
    }
  }

  /** Visits {@code e} and then its sub-expressions, depth first. */
  public static void visitExpr(Expr e, Consumer<Expr> visit) {
    visit.accept(e);
    for (Expr child : children(e)) {
      visitExpr(child, visit);
    }
  }

  /** The direct sub-expressions of {@code e}, in evaluation order. */
  public static List<Expr> children(Expr e) {
    return e.accept(CHILDREN);
  }

  private static final Expr.Visitor<List<Expr>> CHILDREN = new Expr.Visitor<>() {
    @Override
    public List<Expr> literal(Expr.Literal e) {
      return List.of();
    }

    @Override
    public List<Expr> local(Expr.Local e) {
      return List.of();
    }

    @Override
    public List<Expr> synthetic(Expr.Synthetic e) {
      return List.of();
    }

    @Override
    public List<Expr> constant(Expr.Constant e) {
      return List.of();
    }

    @Override
    public List<Expr> index(Expr.Index e) {
      return List.of(e.array(), e.index());
    }

    @Override
    public List<Expr> length(Expr.Length e) {
      return List.of(e.array());
    }

    @Override
    public List<Expr> unary(Expr.Unary e) {
      return List.of(e.operand());
    }

    @Override
    public List<Expr> binary(Expr.Binary e) {
      return List.of(e.left(), e.right());
    }

    @Override
    public List<Expr> conditional(Expr.Conditional e) {
      return List.of(e.condition(), e.whenTrue(), e.whenFalse());
    }

    @Override
    public List<Expr> cast(Expr.Cast e) {
      return List.of(e.operand());
    }

    @Override
    public List<Expr> mathCall(Expr.MathCall e) {
      return e.args();
    }

    @Override
    public List<Expr> call(Expr.Call e) {
      return e.args();
    }

    @Override
    public List<Expr> newArray(Expr.NewArray e) {
      return e.dimensions();
    }

    @Override
    public List<Expr> arrayLiteral(Expr.ArrayLiteral e) {
      return e.elements();
    }

    @Override
    public List<Expr> invoke(Expr.Invoke e) {
      return e.args();
    }

    @Override
    public List<Expr> pop(Expr.Pop e) {
      return List.of(e.tape());
    }
  };

  /**
   * {@code e} with every sub-expression found in {@code replacements} (outermost first) replaced
   * by what it maps to.
   */
  public static Expr substitute(Expr e, Map<Expr, Expr> replacements) {
    if (replacements.isEmpty()) {
      return e;
    }
    Expr known = replacements.get(e);
    if (known != null) {
      return known;
    }
    java.util.function.Function<List<Expr>, List<Expr>> all =
        list -> list.stream().map(x -> substitute(x, replacements)).toList();
    return e.accept(new Expr.Visitor<Expr>() {
      @Override
      public Expr literal(Expr.Literal x) {
        return x;
      }

      @Override
      public Expr local(Expr.Local x) {
        return x;
      }

      @Override
      public Expr synthetic(Expr.Synthetic x) {
        return x;
      }

      @Override
      public Expr constant(Expr.Constant x) {
        return x;
      }

      @Override
      public Expr index(Expr.Index x) {
        return new Expr.Index(substitute(x.array(), replacements),
            substitute(x.index(), replacements));
      }

      @Override
      public Expr length(Expr.Length x) {
        return new Expr.Length(substitute(x.array(), replacements));
      }

      @Override
      public Expr unary(Expr.Unary x) {
        return new Expr.Unary(x.op(), substitute(x.operand(), replacements), x.type());
      }

      @Override
      public Expr binary(Expr.Binary x) {
        return new Expr.Binary(x.op(), substitute(x.left(), replacements),
            substitute(x.right(), replacements), x.type());
      }

      @Override
      public Expr conditional(Expr.Conditional x) {
        return new Expr.Conditional(substitute(x.condition(), replacements),
            substitute(x.whenTrue(), replacements), substitute(x.whenFalse(), replacements),
            x.type());
      }

      @Override
      public Expr cast(Expr.Cast x) {
        return new Expr.Cast(x.type(), substitute(x.operand(), replacements));
      }

      @Override
      public Expr mathCall(Expr.MathCall x) {
        return new Expr.MathCall(x.owner(), x.name(), all.apply(x.args()), x.type());
      }

      @Override
      public Expr call(Expr.Call x) {
        return new Expr.Call(x.callee(), all.apply(x.args()));
      }

      @Override
      public Expr newArray(Expr.NewArray x) {
        return new Expr.NewArray(x.type(), all.apply(x.dimensions()));
      }

      @Override
      public Expr arrayLiteral(Expr.ArrayLiteral x) {
        return new Expr.ArrayLiteral(x.type(), all.apply(x.elements()));
      }

      @Override
      public Expr invoke(Expr.Invoke x) {
        return new Expr.Invoke(x.ownerQualifiedName(), x.name(), all.apply(x.args()), x.type());
      }

      @Override
      public Expr pop(Expr.Pop x) {
        return new Expr.Pop(substitute(x.tape(), replacements), x.type());
      }
    });
  }

  /** The variable whose storage an array expression reads ({@code m} for {@code m[i]}), if any. */
  public static Var root(Expr e) {
    while (e instanceof Expr.Index i) {
      e = i.array();
    }
    return e instanceof Expr.Local l ? l.var() : null;
  }

  /**
   * The variables whose storage an array value shares: {@code b} and {@code m} for
   * {@code b} and {@code m[i]}, the variables given as rows of a new matrix
   * ({@code new double[][] {x, y}}), none for a new array or a call's result.
   */
  public static List<Var> sharedBy(Expr value) {
    List<Var> out = new ArrayList<>();
    if (value instanceof Expr.ArrayLiteral lit) {
      for (Expr e : lit.elements()) {
        out.addAll(sharedBy(e));
      }
    } else if (value.type().isArray() && !(value instanceof Expr.NewArray)) {
      Var source = root(value);
      if (source != null) {
        out.add(source);
      }
    }
    return out;
  }
}
