package dev.gradgen;

/**
 * Argument checks for {@link Ops}: every failure is an {@link IllegalArgumentException} whose
 * message names the operation and the shapes involved, e.g. {@code "matmul: a is 3x4 but b is
 * 5x2"}. Nothing here allocates unless it throws.
 *
 * <p>A matrix is a non-null array of non-null rows of equal length. A matrix with no rows has no
 * column count of its own; it is compatible with any expected column count.
 */
final class Shapes {
  private Shapes() {}

  /** The length of vector {@code v}, which must not be null. */
  static int length(String op, String name, double[] v) {
    if (v == null) {
      throw new IllegalArgumentException(op + ": " + name + " is null");
    }
    return v.length;
  }

  /** The row count of {@code m}, after checking it is non-null and rectangular. */
  static int rows(String op, String name, double[][] m) {
    if (m == null) {
      throw new IllegalArgumentException(op + ": " + name + " is null");
    }
    int r = m.length;
    if (r == 0) {
      return 0;
    }
    if (m[0] == null) {
      throw new IllegalArgumentException(op + ": " + name + " has a null row 0");
    }
    int c = m[0].length;
    for (int i = 1; i < r; i++) {
      double[] row = m[i];
      if (row == null) {
        throw new IllegalArgumentException(op + ": " + name + " has a null row " + i);
      }
      if (row.length != c) {
        throw new IllegalArgumentException(op + ": " + name + " is ragged: row 0 has length " + c
            + " but row " + i + " has length " + row.length);
      }
    }
    return r;
  }

  /** The column count of a checked matrix (0 when it has no rows). */
  static int cols(double[][] m) {
    return m.length == 0 ? 0 : m[0].length;
  }

  /** {@code "3x4"}. */
  static String shape(double[][] m) {
    return m.length + "x" + cols(m);
  }

  /** Checks {@code a} and {@code b} are vectors of one length, and returns it. */
  static int sameLength(String op, String aName, double[] a, String bName, double[] b) {
    int n = length(op, aName, a);
    int nb = length(op, bName, b);
    if (n != nb) {
      throw new IllegalArgumentException(op + ": " + aName + " has length " + n + " but " + bName
          + " has length " + nb);
    }
    return n;
  }

  /** Checks {@code a} and {@code b} are rectangular matrices of one shape; returns the rows. */
  static int sameShape(String op, String aName, double[][] a, String bName, double[][] b) {
    int r = rows(op, aName, a);
    int rb = rows(op, bName, b);
    if (r != rb || (r > 0 && cols(a) != cols(b))) {
      throw new IllegalArgumentException(op + ": " + aName + " is " + shape(a) + " but " + bName
          + " is " + shape(b));
    }
    return r;
  }

  /** Checks that {@code v} is a vector of length {@code n}. */
  static void expectLength(String op, String name, double[] v, int n) {
    if (length(op, name, v) != n) {
      throw new IllegalArgumentException(op + ": " + name + " has length " + v.length
          + " but should have length " + n);
    }
  }

  /** Checks that {@code m} is a rectangular {@code r x c} matrix. */
  static void expectShape(String op, String name, double[][] m, int r, int c) {
    int mr = rows(op, name, m);
    if (mr != r || (r > 0 && cols(m) != c)) {
      throw new IllegalArgumentException(op + ": " + name + " is " + shape(m) + " but should be "
          + r + "x" + c);
    }
  }

  /** A null accumulator is allowed; otherwise it must have the shape of its argument. */
  static void accumulator(String op, String name, double[] acc, String argName, double[] arg) {
    if (acc != null) {
      sameLength(op, name, acc, argName, arg);
    }
  }

  /** A null accumulator is allowed; otherwise it must have the shape of its argument. */
  static void accumulator(String op, String name, double[][] acc, String argName, double[][] arg) {
    if (acc != null) {
      sameShape(op, name, acc, argName, arg);
    }
  }
}
