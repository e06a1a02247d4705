package dev.gradgen.processor.ir;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Hands out names for generated variables that clash with nothing the user wrote: a user variable
 * named like a generated one still compiles, the generated one just takes the next free name.
 */
public final class Names {
  private final Set<String> taken;
  /**
   * For a parent, the names its children handed out: a name the parent hands out later must not
   * be one of them, since a block's temporaries may end up inside the scope of a name the parent
   * hands out (a loop's trip count around the block). For a child, its parent's set.
   */
  private final Set<String> inChildren;
  private final boolean isChild;

  public Names(Set<String> taken) {
    this(taken, new HashSet<>(), false);
  }

  private Names(Set<String> taken, Set<String> inChildren, boolean isChild) {
    this.taken = new HashSet<>(taken);
    this.inChildren = inChildren;
    this.isChild = isChild;
  }

  /**
   * Names scoped to one block: they avoid every name taken here so far, and names handed out
   * here from now on avoid them. Sibling blocks may share names.
   */
  public Names child() {
    return new Names(taken, inChildren, true);
  }

  public String fresh(String base) {
    String name = base;
    for (int n = 2; taken.contains(name) || !isChild && inChildren.contains(name)
        || SourceVersion.isKeyword(name); n++) {
      name = base + n;
    }
    taken.add(name);
    if (isChild) {
      inChildren.add(name);
    }
    return name;
  }

  public void reserve(String name) {
    taken.add(name);
  }

  /**
   * The name of the generated pullback of {@code method}: {@code lossPullback_ddn} for {@code
   * loss(double[] w, double b, @NoGrad double[][] x)}, one letter per parameter, {@code d} for
   * differentiable and {@code n} for not. Callers compiled against a version of the method with
   * other differentiable parameters then fail to link (NoSuchMethodError naming the pullback they
   * expected) instead of reading the wrong adjoints from the tape.
   */
  public static String pullback(String method, List<Boolean> differentiable) {
    StringBuilder b = new StringBuilder(method).append("Pullback");
    if (!differentiable.isEmpty()) {
      b.append('_');
      differentiable.forEach(d -> b.append(d ? 'd' : 'n'));
    }
    return b.toString();
  }

  /**
   * The name of the generated tangent function of {@code method} (forward mode, one direction):
   * {@code lossTangent_ddn}, suffixed like {@link #pullback}.
   */
  public static String tangent(String method, List<Boolean> differentiable) {
    StringBuilder b = new StringBuilder(method).append("Tangent");
    if (!differentiable.isEmpty()) {
      b.append('_');
      differentiable.forEach(d -> b.append(d ? 'd' : 'n'));
    }
    return b.toString();
  }

  /**
   * The base name of the tangent of {@code name} in forward mode: {@code w} gives {@code wDot},
   * as the dot over a variable in the calculus of variations (its adjoint stays {@code dW}).
   */
  public static String tangentBase(String name) {
    return name + "Dot";
  }

  /** {@code w} gives {@code dw}, {@code pred} gives {@code dPred}. */
  public static String adjointBase(String name) {
    if (name.length() == 1 || !Character.isLetter(name.charAt(0))) {
      return "d" + name;
    }
    return "d" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
