package dev.gradgen.processor.simplify;

import dev.gradgen.processor.ir.Code;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Walk;
import java.util.List;

/** What backward code reads and assigns, by variable (see {@link Simplify#key}). */
final class Effects {
  private Effects() {}

  /** Whether evaluating {@code e} can change anything: a call or a pop. */
  static boolean pure(Expr e) {
    boolean[] effect = {false};
    Walk.visitExpr(e, x -> effect[0] |= x instanceof Expr.Invoke || x instanceof Expr.Pop
        || x instanceof Expr.Call);
    return !effect[0];
  }

  /** Whether {@code code} reads variable {@code key} anywhere. */
  static boolean reads(List<Code> code, Object key) {
    for (Code c : code) {
      if (reads(c, key)) {
        return true;
      }
    }
    return false;
  }

  private static boolean reads(Code c, Object key) {
    return c.accept(new Code.Visitor<Boolean>() {
      @Override
      public Boolean declare(Code.Declare d) {
        return readsIn(d.value(), key);
      }

      @Override
      public Boolean set(Code.Set s) {
        // Assigning the variable itself reads nothing of it; an element's target reads it.
        return !(s.target() instanceof Expr.Local || s.target() instanceof Expr.Synthetic)
            && readsIn(s.target(), key) || readsIn(s.value(), key);
      }

      @Override
      public Boolean addTo(Code.AddTo a) {
        return readsIn(a.target(), key) || readsIn(a.value(), key);
      }

      @Override
      public Boolean run(Code.Run r) {
        return readsIn(r.call(), key);
      }

      @Override
      public Boolean ifCode(Code.If f) {
        return readsIn(f.condition(), key) || reads(f.then(), key) || reads(f.otherwise(), key);
      }
    });
  }

  private static boolean readsIn(Expr e, Object key) {
    boolean[] found = {false};
    Walk.visitExpr(e, x -> found[0] |= key.equals(Simplify.key(x)));
    return found[0];
  }

  /** Whether {@code code} assigns variable {@code key} itself (not an element of it). */
  static boolean assigns(List<Code> code, Object key) {
    for (Code c : code) {
      boolean hit = c.accept(new Code.Visitor<Boolean>() {
        @Override
        public Boolean declare(Code.Declare d) {
          return key.equals(d.name());
        }

        @Override
        public Boolean set(Code.Set s) {
          return key.equals(Simplify.key(s.target()));
        }

        @Override
        public Boolean addTo(Code.AddTo a) {
          return key.equals(Simplify.key(a.target()));
        }

        @Override
        public Boolean run(Code.Run r) {
          return false; // a call can change an array's elements, never a variable
        }

        @Override
        public Boolean ifCode(Code.If f) {
          return assigns(f.then(), key) || assigns(f.otherwise(), key);
        }
      });
      if (hit) {
        return true;
      }
    }
    return false;
  }
}
