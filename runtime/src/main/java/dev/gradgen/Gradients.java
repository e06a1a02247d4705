package dev.gradgen;

import java.util.Arrays;

/**
 * Helpers the generated gradient code calls: shadow arrays and buffer checks.
 *
 * <p><b>For generated code.</b> These are not API to program against: they may change in any
 * minor release (generated code is recompiled with the runtime it runs on).
 */
public final class Gradients {
  private Gradients() {}

  /**
   * A zero array with the shape of {@code a}, or null for null.
   *
   * @param a the array whose length to copy, or null
   * @return a new zero array of {@code a}'s length, or null when {@code a} is null
   */
  public static double[] zerosLike(double[] a) {
    return a == null ? null : new double[a.length];
  }

  /**
   * A zero matrix with the shape (row by row) of {@code a}, or null for null.
   *
   * @param a the matrix whose shape to copy (rows may differ in length or be null), or null
   * @return a new zero matrix with {@code a}'s rows' lengths and null rows where {@code a} has
   *     them, or null when {@code a} is null
   */
  public static double[][] zerosLike(double[][] a) {
    if (a == null) {
      return null;
    }
    double[][] z = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      z[i] = a[i] == null ? null : new double[a[i].length];
    }
    return z;
  }

  /**
   * A zero array with the shape (plane by plane, row by row) of {@code a}, or null for null.
   *
   * @param a the array whose shape to copy, or null
   * @return a new zero array of {@code a}'s shape, or null when {@code a} is null
   */
  public static double[][][] zerosLike(double[][][] a) {
    if (a == null) {
      return null;
    }
    double[][][] z = new double[a.length][][];
    for (int i = 0; i < a.length; i++) {
      z[i] = zerosLike(a[i]);
    }
    return z;
  }

  /**
   * A copy of {@code a}, row by row: the generated code of a method that writes into its
   * {@code double[][]} parameter works on one, and the caller's matrix stays as it was.
   *
   * @param a the matrix to copy (not null; null rows stay null)
   * @return a new matrix whose rows are new arrays with {@code a}'s values
   */
  public static double[][] copyOf(double[][] a) {
    double[][] c = a.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] = c[i] == null ? null : c[i].clone();
    }
    return c;
  }

  /**
   * A copy of {@code a}, plane by plane and row by row, for a method that writes into its
   * {@code double[][][]} parameter.
   *
   * @param a the array to copy (not null; null planes and rows stay null)
   * @return a new array whose planes and rows are new arrays with {@code a}'s values
   */
  public static double[][][] copyOf(double[][][] a) {
    double[][][] c = a.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] = c[i] == null ? null : copyOf(c[i]);
    }
    return c;
  }

  /**
   * {@code into += add}, element by element.
   *
   * @param into the accumulator, changed in place (null rows are skipped)
   * @param add what to add, of {@code into}'s shape
   */
  public static void addInto(double[] into, double[] add) {
    for (int i = 0; i < into.length; i++) {
      into[i] += add[i];
    }
  }

  /**
   * {@code into += add}, element by element.
   *
   * @param into the accumulator, changed in place (null rows are skipped)
   * @param add what to add, of {@code into}'s shape
   */
  public static void addInto(double[][] into, double[][] add) {
    for (int i = 0; i < into.length; i++) {
      if (into[i] != null) { // a null row has no gradient
        addInto(into[i], add[i]);
      }
    }
  }

  /**
   * {@code into += add}, element by element.
   *
   * @param into the accumulator, changed in place (null rows are skipped)
   * @param add what to add, of {@code into}'s shape
   */
  public static void addInto(double[][][] into, double[][][] add) {
    for (int i = 0; i < into.length; i++) {
      if (into[i] != null) {
        addInto(into[i], add[i]);
      }
    }
  }

  /**
   * A copy of {@code a}'s shape, for sizing a gradient buffer.
   *
   * @param a the argument whose shape the buffer takes
   * @param name the parameter's name, for the message when {@code a} is null
   * @return a new zero array of {@code a}'s shape
   * @throws IllegalArgumentException if {@code a} is null
   */
  public static double[] shapeOf(double[] a, String name) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null; a gradient buffer needs its shape");
    }
    return new double[a.length];
  }

  /**
   * A copy of {@code a}'s shape, for sizing a gradient buffer.
   *
   * @param a the argument whose shape the buffer takes
   * @param name the parameter's name, for the message when {@code a} is null
   * @return a new zero array of {@code a}'s shape
   * @throws IllegalArgumentException if {@code a} is null
   */
  public static double[][] shapeOf(double[][] a, String name) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null; a gradient buffer needs its shape");
    }
    return zerosLike(a);
  }

  /**
   * A copy of {@code a}'s shape, for sizing a gradient buffer.
   *
   * @param a the argument whose shape the buffer takes
   * @param name the parameter's name, for the message when {@code a} is null
   * @return a new zero array of {@code a}'s shape
   * @throws IllegalArgumentException if {@code a} is null
   */
  public static double[][][] shapeOf(double[][][] a, String name) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null; a gradient buffer needs its shape");
    }
    return zerosLike(a);
  }

  /**
   * Zeroes {@code gradient} after checking it has the shape of {@code argument}.
   *
   * @param name the parameter's name, for the message
   * @param argument the argument the gradient belongs to
   * @param gradient the buffer's gradient array, zeroed in place
   * @throws IllegalArgumentException if the shapes differ or {@code argument} is null
   */
  public static void reset(String name, double[] argument, double[] gradient) {
    if (argument == null || argument.length != gradient.length) {
      throw new IllegalArgumentException("gradient buffer for " + name + " has length "
          + gradient.length + " but the argument has "
          + (argument == null ? "null" : "length " + argument.length));
    }
    Arrays.fill(gradient, 0.0);
  }

  /**
   * Zeroes {@code gradient} after checking it has the shape of {@code argument}.
   *
   * @param name the parameter's name, for the message
   * @param argument the argument the gradient belongs to
   * @param gradient the buffer's gradient array, zeroed in place
   * @throws IllegalArgumentException if the shapes differ or {@code argument} is null
   */
  public static void reset(String name, double[][] argument, double[][] gradient) {
    if (argument == null || argument.length != gradient.length) {
      throw new IllegalArgumentException("gradient buffer for " + name + " has "
          + gradient.length + " rows but the argument has "
          + (argument == null ? "null" : argument.length + " rows"));
    }
    for (int i = 0; i < gradient.length; i++) {
      if (argument[i] == null || argument[i].length != gradient[i].length) {
        throw new IllegalArgumentException("gradient buffer for " + name + " has row " + i
            + " of length " + gradient[i].length + " but the argument's row "
            + (argument[i] == null ? "is null" : "has length " + argument[i].length));
      }
      Arrays.fill(gradient[i], 0.0);
    }
  }

  /**
   * Zeroes {@code gradient} after checking it has the shape of {@code argument}.
   *
   * @param name the parameter's name, for the message
   * @param argument the argument the gradient belongs to
   * @param gradient the buffer's gradient array, zeroed in place
   * @throws IllegalArgumentException if the shapes differ or {@code argument} is null
   */
  public static void reset(String name, double[][][] argument, double[][][] gradient) {
    if (argument == null || argument.length != gradient.length) {
      throw new IllegalArgumentException("gradient buffer for " + name + " has "
          + gradient.length + " planes but the argument has "
          + (argument == null ? "null" : argument.length + " planes"));
    }
    for (int i = 0; i < gradient.length; i++) {
      reset(name + "[" + i + "]", argument[i], gradient[i]);
    }
  }

  /**
   * Throws when an array the method writes into is also reachable another way among its array
   * arguments (the same array passed twice, a row that is another argument, two rows that are
   * one array). The generated methods work on copies of the arrays a method writes into, so
   * the caller's arrays are left as they were; copies would no longer share storage as the
   * caller's arrays do, and the method would compute something else.
   *
   * @param method the method's name, for the message
   * @param names the array parameters' names, in order
   * @param arrays the array arguments ({@code double[]}, {@code double[][]}, {@code double[][][]},
   *     {@code int[]}), in the same order
   * @param written which of them the method writes into
   * @throws IllegalArgumentException naming the two arguments that share storage
   */
  public static void requireUnshared(String method, String[] names, Object[] arrays,
      boolean[] written) {
    if (!hasRows(arrays)) {
      // Vectors only (the common case, a recursion's index arrays): compare them pairwise,
      // without allocating.
      for (int p = 0; p < arrays.length; p++) {
        for (int q = p + 1; q < arrays.length; q++) {
          if (arrays[p] != null && arrays[p] == arrays[q] && (written[p] || written[q])) {
            throw shared(method, names[p], names[q], written[p] ? names[p] : names[q]);
          }
        }
      }
      return;
    }
    java.util.Map<Object, String> seen = new java.util.IdentityHashMap<>();
    java.util.Map<Object, Integer> owner = new java.util.IdentityHashMap<>();
    for (int p = 0; p < arrays.length; p++) {
      visit(method, arrays[p], names[p], p, names, written, seen, owner);
    }
  }

  private static void visit(String method, Object a, String path, int p, String[] names,
      boolean[] written, java.util.Map<Object, String> seen,
      java.util.Map<Object, Integer> owner) {
    if (a == null) {
      return;
    }
    String before = seen.putIfAbsent(a, path);
    if (before != null) {
      int first = owner.get(a);
      if (written[p] || written[first]) {
        throw shared(method, before, path, written[p] ? names[p] : names[first]);
      }
      return;
    }
    owner.put(a, p);
    if (a instanceof Object[] rows) {
      for (int i = 0; i < rows.length; i++) {
        visit(method, rows[i], path + "[" + i + "]", p, names, written, seen, owner);
      }
    }
  }

  private static boolean hasRows(Object[] arrays) {
    for (Object a : arrays) {
      if (a instanceof Object[]) {
        return true;
      }
    }
    return false;
  }

  private static IllegalArgumentException shared(String method, String first, String second,
      String into) {
    return new IllegalArgumentException(method + ": " + first + " and " + second + " are the"
        + " same array, and " + method + " writes into " + into + "; the generated methods work"
        + " on copies of the arrays it writes into, which would not share storage as these do:"
        + " pass arrays that do not share storage");
  }

  // ------------------------------------------------------------------ flat views (Hessians)

  /**
   * How many numbers an array holds, for the flat layout of Hessians: its elements, row by row.
   *
   * @param a a vector, matrix (possibly ragged) or rank-3 array
   * @return the number of doubles in it
   */
  public static int size(Object a) {
    if (a instanceof double[] v) {
      return v.length;
    }
    int n = 0;
    for (Object row : (Object[]) a) {
      n += size(row);
    }
    return n;
  }

  /**
   * Sets entry {@code k} of {@code a} in the flat layout (row by row) to {@code value}; does
   * nothing when {@code k} is outside it.
   *
   * @param a a vector, matrix or rank-3 array
   * @param k the flat index, possibly out of range
   * @param value the value to store
   */
  public static void setEntry(Object a, int k, double value) {
    if (k < 0) {
      return;
    }
    if (a instanceof double[] v) {
      if (k < v.length) {
        v[k] = value;
      }
      return;
    }
    for (Object row : (Object[]) a) {
      int n = size(row);
      if (k < n) {
        setEntry(row, k, value);
        return;
      }
      k -= n;
    }
  }

  /**
   * Copies the numbers of {@code a}, in the flat layout, into column {@code column} of
   * {@code matrix}, from row {@code row} down.
   *
   * @param a a vector, matrix or rank-3 array
   * @param matrix the matrix written into
   * @param row the first row written
   * @param column the column written
   * @return the row after the last one written
   */
  public static int copyToColumn(Object a, double[][] matrix, int row, int column) {
    if (a instanceof double[] v) {
      for (double x : v) {
        matrix[row++][column] = x;
      }
      return row;
    }
    for (Object r : (Object[]) a) {
      row = copyToColumn(r, matrix, row, column);
    }
    return row;
  }

  /**
   * Copies the numbers of {@code a}, in the flat layout, into {@code flat} from {@code offset}.
   *
   * @param a a vector, matrix or rank-3 array
   * @param flat the vector written into
   * @param offset the first index written
   * @return the index after the last one written
   */
  public static int copyInto(Object a, double[] flat, int offset) {
    if (a instanceof double[] v) {
      System.arraycopy(v, 0, flat, offset, v.length);
      return offset + v.length;
    }
    for (Object r : (Object[]) a) {
      offset = copyInto(r, flat, offset);
    }
    return offset;
  }

  /**
   * The inner product of two arrays of the same shape, in the flat layout: the sum of the
   * products of their numbers, where a term whose entry of {@code b} is 0 counts 0 (an
   * infinite or NaN entry of {@code a} included). Generated forward rules use it for the
   * tangent ∇f · u: a direction that does not move an input gives nothing for it.
   *
   * @param a a vector, matrix or rank-3 array
   * @param b an array of the same shape
   * @return the sum over the entries where {@code b[...]} is not 0 of {@code a[...] * b[...]}
   * @throws IllegalArgumentException when the shapes differ
   */
  public static double inner(Object a, Object b) {
    if (a instanceof double[] u && b instanceof double[] v) {
      if (u.length != v.length) {
        throw new IllegalArgumentException("inner: lengths " + u.length + " and " + v.length
            + " differ");
      }
      double s = 0;
      for (int i = 0; i < u.length; i++) {
        if (v[i] != 0.0) {
          s += u[i] * v[i];
        }
      }
      return s;
    }
    Object[] x = (Object[]) a;
    Object[] y = (Object[]) b;
    if (x.length != y.length) {
      throw new IllegalArgumentException("inner: lengths " + x.length + " and " + y.length
          + " differ");
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += inner(x[i], y[i]);
    }
    return s;
  }

  /**
   * Sets every number of {@code a} to zero.
   *
   * @param a a vector, matrix or rank-3 array
   */
  public static void clear(Object a) {
    if (a instanceof double[] v) {
      Arrays.fill(v, 0.0);
      return;
    }
    for (Object r : (Object[]) a) {
      clear(r);
    }
  }

  /**
   * Checks that the cotangent handed to a vector method's pullback is as long as its result.
   *
   * @param cotangent the cotangent (one entry per output)
   * @param length the length of the result
   * @throws IllegalArgumentException when the lengths differ, or the cotangent is null
   */
  public static void requireCotangent(double[] cotangent, int length) {
    if (cotangent == null) {
      throw new IllegalArgumentException("the cotangent is null; give one entry per output ("
          + length + ")");
    }
    if (cotangent.length != length) {
      throw new IllegalArgumentException("the cotangent has " + cotangent.length
          + " entries but the method returned " + length + " values");
    }
  }

  /**
   * Copies the numbers of {@code from} into {@code to}, which has its shape.
   *
   * @param from a vector, matrix or rank-3 array
   * @param to an array of the same shape, written into
   */
  public static void copy(Object from, Object to) {
    if (from instanceof double[] v) {
      System.arraycopy(v, 0, (double[]) to, 0, v.length);
      return;
    }
    Object[] rows = (Object[]) from;
    Object[] into = (Object[]) to;
    for (int i = 0; i < rows.length; i++) {
      copy(rows[i], into[i]);
    }
  }

  /**
   * Checks that a vector method returned as many values as the Jacobian buffer was sized for.
   *
   * @param method the method's name
   * @param outputs the buffer's number of outputs
   * @param value what the method returned
   * @throws IllegalArgumentException when the lengths differ
   */
  public static void requireOutputs(String method, int outputs, double[] value) {
    if (value.length != outputs) {
      throw new IllegalArgumentException(method + " returned " + value.length + " values, but the"
          + " Jacobian buffer was made for " + outputs + "; make a buffer for " + value.length);
    }
  }

  /**
   * Zero Jacobian blocks for a vector parameter: one zero vector per output.
   *
   * @param outputs the number of outputs
   * @param p the parameter (only its shape is read)
   * @return {@code outputs} zero arrays shaped like {@code p}
   */
  public static double[][] jacobianOf(int outputs, double[] p) {
    double[][] j = new double[outputs][];
    for (int i = 0; i < outputs; i++) {
      j[i] = zerosLike(p);
    }
    return j;
  }

  /**
   * Zero Jacobian blocks for a matrix parameter: one zero matrix per output.
   *
   * @param outputs the number of outputs
   * @param p the parameter (only its shape is read)
   * @return {@code outputs} zero matrices shaped like {@code p}
   */
  public static double[][][] jacobianOf(int outputs, double[][] p) {
    double[][][] j = new double[outputs][][];
    for (int i = 0; i < outputs; i++) {
      j[i] = zerosLike(p);
    }
    return j;
  }

  /**
   * Zero Jacobian blocks for a rank-3 parameter: one zero array per output.
   *
   * @param outputs the number of outputs
   * @param p the parameter (only its shape is read)
   * @return {@code outputs} zero arrays shaped like {@code p}
   */
  public static double[][][][] jacobianOf(int outputs, double[][][] p) {
    double[][][][] j = new double[outputs][][][];
    for (int i = 0; i < outputs; i++) {
      j[i] = zerosLike(p);
    }
    return j;
  }
}
