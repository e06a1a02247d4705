package dev.gradgen.processor.ir;

/** The value types a differentiable method body may use. */
public enum Type {
  DOUBLE("double", true),
  INT("int", false),
  LONG("long", false),
  BOOLEAN("boolean", false),
  VECTOR("double[]", true),
  MATRIX("double[][]", true),
  /** Rank 3, for batched sequences and images: planes of rows. */
  TENSOR("double[][][]", true),
  INT_VECTOR("int[]", false),
  /**
   * A parameter (or static constant, or null) of a type outside the subset: a String, an enum, a
   * record, a List, ... The method can only pass it on to calls or compare it with {@code ==} /
   * {@code !=}; it is a constant that may decide control flow.
   */
  OTHER("Object", false);

  private final String java;
  private final boolean differentiable;

  Type(String java, boolean differentiable) {
    this.java = java;
    this.differentiable = differentiable;
  }

  /** The Java spelling of the type. */
  public String java() {
    return java;
  }

  /** Whether values of this type can carry a derivative. */
  public boolean differentiable() {
    return differentiable;
  }

  /** A type of the subset proper (everything but {@link #OTHER}). */
  public boolean inSubset() {
    return this != OTHER;
  }

  public boolean isArray() {
    return this == VECTOR || this == MATRIX || this == TENSOR || this == INT_VECTOR;
  }

  public boolean isNumeric() {
    return this == DOUBLE || this == INT || this == LONG;
  }

  public boolean isIntegral() {
    return this == INT || this == LONG;
  }

  /** The number of indices an element takes: 0 for a scalar. */
  public int rank() {
    return switch (this) {
      case VECTOR, INT_VECTOR -> 1;
      case MATRIX -> 2;
      case TENSOR -> 3;
      default -> 0;
    };
  }

  /** The element type of an array type. */
  public Type element() {
    return switch (this) {
      case VECTOR -> DOUBLE;
      case MATRIX -> VECTOR;
      case TENSOR -> MATRIX;
      case INT_VECTOR -> INT;
      default -> throw new IllegalStateException(this + " is not an array");
    };
  }

  /** The array type whose elements are of this type. */
  public Type arrayOf() {
    return switch (this) {
      case DOUBLE -> VECTOR;
      case VECTOR -> MATRIX;
      case MATRIX -> TENSOR;
      case INT -> INT_VECTOR;
      default -> throw new IllegalStateException("no arrays of " + this);
    };
  }

  /** Binary numeric promotion (JLS 5.6.2) restricted to our types. */
  public static Type promote(Type a, Type b) {
    if (a == DOUBLE || b == DOUBLE) {
      return DOUBLE;
    }
    if (a == LONG || b == LONG) {
      return LONG;
    }
    return INT;
  }

  /** The zero a hoisted variable of this type starts with. */
  public String zero() {
    return switch (this) {
      case DOUBLE -> "0.0";
      case INT -> "0";
      case LONG -> "0L";
      case BOOLEAN -> "false";
      default -> "null";
    };
  }
}
