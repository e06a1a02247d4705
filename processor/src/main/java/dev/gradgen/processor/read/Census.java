package dev.gradgen.processor.read;

import dev.gradgen.processor.primitive.Primitives;
import dev.gradgen.processor.ir.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the reader accepted in one method, by construct name: the {@link Construct}s, every
 * {@code Math} function, and every parameter kind with every use the subset allows. {@link #all()}
 * is the complete list of names the reader can count; the fuzzer's coverage test compares it with
 * what its programs produced.
 */
public final class Census {
  /** A parameter as the user declared it. */
  public enum ParameterKind {
    DOUBLE, NO_GRAD_DOUBLE, VECTOR, NO_GRAD_VECTOR, MATRIX, NO_GRAD_MATRIX, TENSOR,
    NO_GRAD_TENSOR, INT, LONG, BOOLEAN, INT_VECTOR, OBJECT;

    static ParameterKind of(Var v) {
      boolean noGrad = !v.isDifferentiableParameter();
      return switch (v.type()) {
        case DOUBLE -> noGrad ? NO_GRAD_DOUBLE : DOUBLE;
        case VECTOR -> noGrad ? NO_GRAD_VECTOR : VECTOR;
        case MATRIX -> noGrad ? NO_GRAD_MATRIX : MATRIX;
        case TENSOR -> noGrad ? NO_GRAD_TENSOR : TENSOR;
        case INT -> INT;
        case LONG -> LONG;
        case BOOLEAN -> BOOLEAN;
        case INT_VECTOR -> INT_VECTOR;
        case OTHER -> OBJECT;
      };
    }

    /** The uses the subset accepts for this kind. */
    Set<ParameterUse> uses() {
      return switch (this) {
        case DOUBLE, NO_GRAD_DOUBLE, INT, LONG -> EnumSet.allOf(ParameterUse.class);
        case BOOLEAN -> EnumSet.of(ParameterUse.READ, ParameterUse.ASSIGNED, ParameterUse.PASSED,
            ParameterUse.COMPARED, ParameterUse.UNUSED);
        case VECTOR, NO_GRAD_VECTOR, MATRIX, NO_GRAD_MATRIX, TENSOR, NO_GRAD_TENSOR, INT_VECTOR ->
            EnumSet.of(ParameterUse.READ, ParameterUse.PASSED, ParameterUse.UNUSED);
        case OBJECT -> EnumSet.of(ParameterUse.PASSED, ParameterUse.COMPARED, ParameterUse.UNUSED);
      };
    }
  }

  /**
   * How the body uses a parameter: read in an expression, assigned, compound-assigned,
   * incremented or decremented, passed as an argument, an operand of a comparison, or not at all.
   */
  public enum ParameterUse { READ, ASSIGNED, COMPOUND_ASSIGNED, STEPPED, PASSED, COMPARED, UNUSED }

  private final Map<String, Integer> counts = new TreeMap<>();

  void add(Construct c) {
    add(c.name());
  }

  void addMath(String function) {
    add("Math." + function);
  }

  void addParameter(ParameterKind kind, ParameterUse use) {
    add(parameterKey(kind, use));
  }

  private void add(String key) {
    counts.merge(key, 1, Integer::sum);
  }

  /** Counts by name, sorted. */
  public Map<String, Integer> counts() {
    return Collections.unmodifiableMap(counts);
  }

  /** Adds another census's counts into this one. */
  public void addAll(Census other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Integer::sum));
  }

  private static String parameterKey(ParameterKind kind, ParameterUse use) {
    return "parameter " + kind + " " + use;
  }

  /** Every name the reader can count. */
  public static List<String> all() {
    List<String> out = new ArrayList<>();
    for (Construct c : Construct.values()) {
      out.add(c.name());
    }
    for (String f : Primitives.onDoubles()) {
      out.add("Math." + f);
    }
    for (ParameterKind k : ParameterKind.values()) {
      for (ParameterUse u : k.uses()) {
        out.add(parameterKey(k, u));
      }
    }
    return out;
  }
}
