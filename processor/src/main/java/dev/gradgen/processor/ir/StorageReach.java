package dev.gradgen.processor.ir;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whose storage each array variable of a method may reach, followed one way: the array
 * parameters, and {@link #FIELD} for arrays held by fields. With each origin comes the fewest
 * indices into the variable that reach it: 0 when the variable may be that storage ({@code r =
 * a}, {@code r = m[i]}), 1 when its rows may be ({@code h[0] = y[0]}, {@code {x, y}}), and so on.
 * So after {@code r = c ? a : own} a write into {@code own} does not write {@code a}, and after
 * {@code h[0] = y[0]} only a write two indices into {@code h} writes {@code y}.
 */
public final class StorageReach {
  /** The origin of arrays held by fields (constants of the method). */
  public static final Object FIELD = new Object() {
    @Override
    public String toString() {
      return "a field's array";
    }
  };

  private final Map<Var, Map<Object, Integer>> reach = new IdentityHashMap<>();

  private StorageReach() {}

  /** The reach of every variable of a method with these parameters and body. */
  public static StorageReach of(List<Var> parameters, List<Stmt> body) {
    StorageReach r = new StorageReach();
    for (Var p : parameters) {
      if (p.type().isArray()) {
        r.reach.put(p, new HashMap<>(Map.of(p, 0)));
      }
    }
    for (boolean changed = true; changed; ) {
      boolean[] grew = {false};
      Walk.walk(body, s -> {
        if (s instanceof Stmt.Assign a && a.target().type().isArray()) {
          // The array written, or the matrix given a row, now reaches what the value does.
          Expr.Index element = a.target() instanceof Stmt.ElementTarget et ? et.element() : null;
          Var target = element == null ? ((Stmt.VarTarget) a.target()).var()
              : Walk.root(element);
          if (target != null) {
            int k = indices(element);
            r.of(a.value()).forEach((o, d) -> grew[0] |= r.add(target, o, d + k));
          }
        }
      });
      changed = grew[0];
    }
    return r;
  }

  /** The origins the array value {@code value} may reach, with the indices into it that do. */
  public Map<Object, Integer> of(Expr value) {
    Map<Object, Integer> out = new HashMap<>();
    if (value instanceof Expr.ArrayLiteral lit) {
      for (Expr e : lit.elements()) {
        of(e).forEach((o, d) -> out.merge(o, d + 1, Math::min));
      }
      return out;
    }
    if (!value.type().isArray() || value instanceof Expr.NewArray) {
      return out; // a new array, or a call's result, is fresh storage
    }
    int k = 0;
    Expr base = value;
    while (base instanceof Expr.Index i) {
      base = i.array();
      k++;
    }
    Map<Object, Integer> from = base instanceof Expr.Constant ? Map.of(FIELD, 0)
        : base instanceof Expr.Local l ? reach.getOrDefault(l.var(), Map.of()) : Map.of();
    int indices = k;
    from.forEach((o, d) -> out.merge(o, Math.max(0, d - indices), Math::min));
    return out;
  }

  /** The origins a write of the element (or row) {@code element} may write into. */
  public Set<Object> writtenBy(Expr.Index element) {
    Set<Object> out = new HashSet<>();
    int k = indices(element);
    Expr base = element;
    while (base instanceof Expr.Index i) {
      base = i.array();
    }
    Map<Object, Integer> from = base instanceof Expr.Constant ? Map.of(FIELD, 0)
        : base instanceof Expr.Local l ? reach.getOrDefault(l.var(), Map.of()) : Map.of();
    from.forEach((o, d) -> {
      if (k > d) {
        out.add(o);
      }
    });
    return out;
  }

  /** The origins whose elements a callee writes when it writes into the array {@code argument}. */
  public Set<Object> writtenThrough(Expr argument) {
    Set<Object> out = new HashSet<>();
    of(argument).forEach((o, d) -> {
      if (d == 0) {
        out.add(o);
      }
    });
    return out;
  }

  private boolean add(Var v, Object origin, int depth) {
    Map<Object, Integer> m = reach.computeIfAbsent(v, x -> new HashMap<>());
    Integer known = m.get(origin);
    if (known != null && known <= depth) {
      return false;
    }
    m.put(origin, depth);
    return true;
  }

  /** The number of indices of {@code m[i][j]}: 2; of null: 0. */
  private static int indices(Expr.Index element) {
    int n = 0;
    for (Expr e = element; e instanceof Expr.Index i; e = i.array()) {
      n++;
    }
    return n;
  }
}
