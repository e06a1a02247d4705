package dev.gradgen;

import java.util.Arrays;

/** Helpers the generated gradient code calls: shadow arrays and buffer checks. */
public final class Gradients {
  private Gradients() {}

  /** A zero array with the shape of {@code a}, or null for null. */
  public static double[] zerosLike(double[] a) {
    return a == null ? null : new double[a.length];
  }

  /** A zero matrix with the shape (row by row) of {@code a}, or null for null. */
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

  /** A zero array with the shape (plane by plane, row by row) of {@code a}, or null for null. */
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
   */
  public static double[][][] copyOf(double[][][] a) {
    double[][][] c = a.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] = c[i] == null ? null : copyOf(c[i]);
    }
    return c;
  }

  /** {@code into += add}, element by element. */
  public static void addInto(double[] into, double[] add) {
    for (int i = 0; i < into.length; i++) {
      into[i] += add[i];
    }
  }

  /** {@code into += add}, element by element. */
  public static void addInto(double[][] into, double[][] add) {
    for (int i = 0; i < into.length; i++) {
      addInto(into[i], add[i]);
    }
  }

  /** {@code into += add}, element by element. */
  public static void addInto(double[][][] into, double[][][] add) {
    for (int i = 0; i < into.length; i++) {
      addInto(into[i], add[i]);
    }
  }

  /** A copy of {@code a}'s shape, for sizing a gradient buffer. */
  public static double[] shapeOf(double[] a, String name) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null; a gradient buffer needs its shape");
    }
    return new double[a.length];
  }

  /** A copy of {@code a}'s shape, for sizing a gradient buffer. */
  public static double[][] shapeOf(double[][] a, String name) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null; a gradient buffer needs its shape");
    }
    return zerosLike(a);
  }

  /** A copy of {@code a}'s shape, for sizing a gradient buffer. */
  public static double[][][] shapeOf(double[][][] a, String name) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null; a gradient buffer needs its shape");
    }
    return zerosLike(a);
  }

  /** Zeroes {@code gradient} after checking it has the shape of {@code argument}. */
  public static void reset(String name, double[] argument, double[] gradient) {
    if (argument == null || argument.length != gradient.length) {
      throw new IllegalArgumentException("gradient buffer for " + name + " has length "
          + gradient.length + " but the argument has "
          + (argument == null ? "null" : "length " + argument.length));
    }
    Arrays.fill(gradient, 0.0);
  }

  /** Zeroes {@code gradient} after checking it has the shape of {@code argument}. */
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

  /** Zeroes {@code gradient} after checking it has the shape of {@code argument}. */
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
}
