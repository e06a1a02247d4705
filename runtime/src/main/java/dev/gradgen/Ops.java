package dev.gradgen;

/**
 * Array kernels over {@code double[]} vectors and {@code double[][]} matrices (arrays of rows,
 * rectangular), each followed by its backward function, the vector-Jacobian product, and its
 * forward rule, the Jacobian-vector product: both computed directly without ever forming a
 * Jacobian.
 *
 * <p>Kernels never modify their arguments and return freshly allocated results.
 *
 * <p><b>Backward convention.</b> For a kernel {@code R f(P1 p1, ..., Pn pn)} there is
 *
 * <pre>{@code
 * static X fBackward(P1 p1, ..., Pn pn, R result, R dResult, <accumulators>)
 * }</pre>
 *
 * <ul>
 *   <li>{@code result} is what {@code f} returned for these arguments (backward functions reuse it
 *       where it helps, e.g. the outputs of {@code exp}, {@code softmax}, {@code sigmoid});
 *       {@code dResult} is the adjoint of the result, of the result's type and shape.
 *   <li>There is one accumulator per parameter of type {@code double[]} or {@code double[][]}, of
 *       the same type, in parameter order. Each receives {@code +=} the vector-Jacobian product
 *       {@code dResult · ∂result/∂p} for its parameter. A {@code null} accumulator means the
 *       gradient is not needed and its work is skipped. Accumulators are only written, never read,
 *       so two parameters may share one accumulator (e.g. {@code mul(x, x)}).
 *   <li>If the kernel has exactly one {@code double} parameter ({@code scale}), the backward
 *       function returns that parameter's adjoint; otherwise it returns {@code void}. {@code int[]}
 *       parameters (labels) are constants and have no accumulator.
 * </ul>
 *
 * <p><b>Forward convention.</b> Beside the backward function of each kernel there is
 *
 * <pre>{@code
 * static R fJvp(P1 p1, ..., Pn pn, R result, <tangents>)
 * }</pre>
 *
 * <ul>
 *   <li>{@code result} is what {@code f} returned for these arguments (forward rules reuse it
 *       where it helps, like the backward functions).
 *   <li>There is one tangent per parameter of type {@code double}, {@code double[]} or {@code
 *       double[][]}, of the same type, in parameter order; {@code int[]} parameters (labels) are
 *       constants and have none. A {@code null} array tangent means the argument is constant (its
 *       tangent is zero) and its work is skipped; a {@code double} tangent is a number, 0 when
 *       the argument is constant. Tangents are only read, so they may be shared.
 *   <li>It returns the tangent of the result, the Jacobian-vector product {@code J·u} for the
 *       tangents {@code u}, of the result's type and shape, freshly allocated when that is an
 *       array. When every tangent is null or 0 it is the zero tangent (still a new array).
 *   <li>It keeps the backward function's conventions at kinks (e.g. {@code relu'(0) = 0}), so
 *       forward and reverse mode agree: {@code ⟨fJvp(u), v⟩ = Σ_p ⟨u_p, fBackward(v)_p⟩}.
 * </ul>
 *
 * <p><b>Shapes.</b> Every kernel, backward function and forward rule checks all its array
 * arguments (including {@code result}, {@code dResult}, non-null accumulators and non-null
 * tangents) before doing any work, and throws an {@link IllegalArgumentException} naming the
 * operation and the shapes involved, e.g. {@code "matmul: a is 3x4 but b is 5x2"} or {@code
 * "matmulJvp: da is 3x5 but a is 3x4"}. Ragged matrices and null arrays (other than accumulators
 * and tangents) are rejected the same way.
 *
 * <p><b>Allocation.</b> Kernels allocate only their results, forward rules only the tangents they
 * return; backward functions allocate nothing.
 *
 * <p><b>Stability.</b> {@code logSumExp}, {@code softmax}, {@code softmaxRows}, {@code logSoftmax},
 * {@code softmaxCrossEntropy} and {@code sigmoid} shift by the maximum (or branch on the sign), so
 * they give finite values, gradients and tangents for finite inputs of any size (the forward
 * rules of the first four and of {@code sigmoid} work from {@code result}). {@code relu'(0) = 0}.
 */
public final class Ops {
  private Ops() {}

  /** Reduction-dimension block of the matrix products (rows of the reused tile). */
  static final int BLOCK_K = 64;

  /** Column block of the matrix products: a tile of {@code BLOCK_K x BLOCK_J} doubles, 128 KiB. */
  static final int BLOCK_J = 256;

  /** Tile edge of the blocked transpose. */
  private static final int BLOCK_T = 32;

  // ---------------------------------------------------------------------------------------------
  // dot

  /**
   * {@code Σ_i a_i b_i}.
   *
   * @param a a vector
   * @param b a vector of the same length as {@code a}
   * @return the dot product of {@code a} and {@code b}
   */
  public static double dot(double[] a, double[] b) {
    int n = Shapes.sameLength("dot", "a", a, "b", b);
    return dotRange(a, b, 0, n);
  }

  /**
   * {@code da += dResult · b}, {@code db += dResult · a}.
   *
   * @param a {@code a} as passed to {@code dot}
   * @param b {@code b} as passed to {@code dot}
   * @param result what {@code dot} returned for these arguments
   * @param dResult the adjoint of the result
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void dotBackward(double[] a, double[] b, double result, double dResult,
      double[] da, double[] db) {
    String op = "dotBackward";
    Shapes.sameLength(op, "a", a, "b", b);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    if (da != null) {
      axpy(dResult, b, da, 0, b.length);
    }
    if (db != null) {
      axpy(dResult, a, db, 0, a.length);
    }
  }

  /**
   * {@code ⟨da, b⟩ + ⟨a, db⟩}.
   *
   * @param a {@code a} as passed to {@code dot}
   * @param b {@code b} as passed to {@code dot}
   * @param result what {@code dot} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return the tangent of the result
   */
  public static double dotJvp(double[] a, double[] b, double result, double[] da, double[] db) {
    String op = "dotJvp";
    int n = Shapes.sameLength(op, "a", a, "b", b);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    double t = 0.0;
    if (da != null) {
      t += dotRange(da, b, 0, n);
    }
    if (db != null) {
      t += dotRange(a, db, 0, n);
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // sum

  /**
   * {@code Σ_i a_i} (0 for an empty vector).
   *
   * @param a a vector
   * @return the sum of the entries of {@code a}
   */
  public static double sum(double[] a) {
    Shapes.length("sum", "a", a);
    return sumRow(a);
  }

  /**
   * {@code da_i += dResult}.
   *
   * @param a {@code a} as passed to {@code sum}
   * @param result what {@code sum} returned for these arguments
   * @param dResult the adjoint of the result
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void sumBackward(double[] a, double result, double dResult, double[] da) {
    Shapes.length("sumBackward", "a", a);
    Shapes.accumulator("sumBackward", "da", da, "a", a);
    if (da != null) {
      addConstant(dResult, da);
    }
  }

  /**
   * {@code Σ_i da_i}.
   *
   * @param a {@code a} as passed to {@code sum}
   * @param result what {@code sum} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return the tangent of the result
   */
  public static double sumJvp(double[] a, double result, double[] da) {
    Shapes.length("sumJvp", "a", a);
    Shapes.accumulator("sumJvp", "da", da, "a", a);
    return da == null ? 0.0 : sumRow(da);
  }

  /**
   * {@code Σ_ij a_ij} (0 for an empty matrix).
   *
   * @param a a rectangular matrix (an array of rows)
   * @return the sum of the entries of {@code a}
   */
  public static double sum(double[][] a) {
    int r = Shapes.rows("sum", "a", a);
    double s = 0.0;
    for (int i = 0; i < r; i++) {
      s += sumRow(a[i]);
    }
    return s;
  }

  /**
   * {@code da_ij += dResult}.
   *
   * @param a {@code a} as passed to {@code sum}
   * @param result what {@code sum} returned for these arguments
   * @param dResult the adjoint of the result
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void sumBackward(double[][] a, double result, double dResult, double[][] da) {
    int r = Shapes.rows("sumBackward", "a", a);
    Shapes.accumulator("sumBackward", "da", da, "a", a);
    if (da != null) {
      for (int i = 0; i < r; i++) {
        addConstant(dResult, da[i]);
      }
    }
  }

  /**
   * {@code Σ_ij da_ij}.
   *
   * @param a {@code a} as passed to {@code sum}
   * @param result what {@code sum} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return the tangent of the result
   */
  public static double sumJvp(double[][] a, double result, double[][] da) {
    int r = Shapes.rows("sumJvp", "a", a);
    Shapes.accumulator("sumJvp", "da", da, "a", a);
    double t = 0.0;
    if (da != null) {
      for (int i = 0; i < r; i++) {
        t += sumRow(da[i]);
      }
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // mean

  /**
   * {@code (1/n) Σ_i a_i}; NaN for an empty vector.
   *
   * @param a a vector
   * @return the mean of the entries of {@code a}
   */
  public static double mean(double[] a) {
    Shapes.length("mean", "a", a);
    return sumRow(a) / a.length;
  }

  /**
   * {@code da_i += dResult / n}.
   *
   * @param a {@code a} as passed to {@code mean}
   * @param result what {@code mean} returned for these arguments
   * @param dResult the adjoint of the result
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void meanBackward(double[] a, double result, double dResult, double[] da) {
    Shapes.length("meanBackward", "a", a);
    Shapes.accumulator("meanBackward", "da", da, "a", a);
    if (da != null) {
      addConstant(dResult / a.length, da);
    }
  }

  /**
   * {@code (1/n) Σ_i da_i}; 0 for an empty vector (an empty sum, as the backward function's
   * gradient is empty).
   *
   * @param a {@code a} as passed to {@code mean}
   * @param result what {@code mean} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return the tangent of the result
   */
  public static double meanJvp(double[] a, double result, double[] da) {
    Shapes.length("meanJvp", "a", a);
    Shapes.accumulator("meanJvp", "da", da, "a", a);
    if (da == null || a.length == 0) {
      return 0.0;
    }
    return sumRow(da) / a.length;
  }

  /**
   * {@code (1/(rows·cols)) Σ_ij a_ij}; NaN for an empty matrix.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return the mean of the entries of {@code a}
   */
  public static double mean(double[][] a) {
    int r = Shapes.rows("mean", "a", a);
    double s = 0.0;
    for (int i = 0; i < r; i++) {
      s += sumRow(a[i]);
    }
    return s / ((double) r * Shapes.cols(a));
  }

  /**
   * {@code da_ij += dResult / (rows·cols)}.
   *
   * @param a {@code a} as passed to {@code mean}
   * @param result what {@code mean} returned for these arguments
   * @param dResult the adjoint of the result
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void meanBackward(double[][] a, double result, double dResult, double[][] da) {
    int r = Shapes.rows("meanBackward", "a", a);
    Shapes.accumulator("meanBackward", "da", da, "a", a);
    if (da != null) {
      double g = dResult / ((double) r * Shapes.cols(a));
      for (int i = 0; i < r; i++) {
        addConstant(g, da[i]);
      }
    }
  }

  /**
   * {@code (1/(rows·cols)) Σ_ij da_ij}; 0 for an empty matrix.
   *
   * @param a {@code a} as passed to {@code mean}
   * @param result what {@code mean} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return the tangent of the result
   */
  public static double meanJvp(double[][] a, double result, double[][] da) {
    int r = Shapes.rows("meanJvp", "a", a);
    Shapes.accumulator("meanJvp", "da", da, "a", a);
    double count = (double) r * Shapes.cols(a);
    if (da == null || count == 0) {
      return 0.0;
    }
    double t = 0.0;
    for (int i = 0; i < r; i++) {
      t += sumRow(da[i]);
    }
    return t / count;
  }

  // ---------------------------------------------------------------------------------------------
  // sumOfSquares

  /**
   * {@code Σ_i a_i²}.
   *
   * @param a a vector
   * @return the sum of the squares of the entries of {@code a}
   */
  public static double sumOfSquares(double[] a) {
    int n = Shapes.length("sumOfSquares", "a", a);
    return dotRange(a, a, 0, n);
  }

  /**
   * {@code da_i += 2 a_i dResult}.
   *
   * @param a {@code a} as passed to {@code sumOfSquares}
   * @param result what {@code sumOfSquares} returned for these arguments
   * @param dResult the adjoint of the result
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void sumOfSquaresBackward(double[] a, double result, double dResult, double[] da) {
    Shapes.length("sumOfSquaresBackward", "a", a);
    Shapes.accumulator("sumOfSquaresBackward", "da", da, "a", a);
    if (da != null) {
      axpy(2.0 * dResult, a, da, 0, a.length);
    }
  }

  /**
   * {@code 2 ⟨a, da⟩}.
   *
   * @param a {@code a} as passed to {@code sumOfSquares}
   * @param result what {@code sumOfSquares} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return the tangent of the result
   */
  public static double sumOfSquaresJvp(double[] a, double result, double[] da) {
    int n = Shapes.length("sumOfSquaresJvp", "a", a);
    Shapes.accumulator("sumOfSquaresJvp", "da", da, "a", a);
    return da == null ? 0.0 : 2.0 * dotRange(a, da, 0, n);
  }

  // ---------------------------------------------------------------------------------------------
  // add

  /**
   * {@code a + b}, elementwise.
   *
   * @param a a vector
   * @param b a vector of the same length as {@code a}
   * @return a new vector of the entrywise sums
   */
  public static double[] add(double[] a, double[] b) {
    int n = Shapes.sameLength("add", "a", a, "b", b);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = a[i] + b[i];
    }
    return r;
  }

  /**
   * {@code da += dResult}, {@code db += dResult}.
   *
   * @param a {@code a} as passed to {@code add}
   * @param b {@code b} as passed to {@code add}
   * @param result what {@code add} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void addBackward(double[] a, double[] b, double[] result, double[] dResult,
      double[] da, double[] db) {
    checkBinaryBackward("addBackward", a, b, result, dResult, da, db);
    if (da != null) {
      axpy(1.0, dResult, da, 0, dResult.length);
    }
    if (db != null) {
      axpy(1.0, dResult, db, 0, dResult.length);
    }
  }

  /**
   * {@code da + db}, elementwise.
   *
   * @param a {@code a} as passed to {@code add}
   * @param b {@code b} as passed to {@code add}
   * @param result what {@code add} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] addJvp(double[] a, double[] b, double[] result, double[] da,
      double[] db) {
    int n = checkBinaryJvp("addJvp", a, b, result, da, db);
    double[] t = new double[n];
    if (da != null) {
      axpy(1.0, da, t, 0, n);
    }
    if (db != null) {
      axpy(1.0, db, t, 0, n);
    }
    return t;
  }

  /**
   * {@code a + b}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @param b a matrix of the same shape as {@code a}
   * @return a new matrix of the entrywise sums
   */
  public static double[][] add(double[][] a, double[][] b) {
    int r = Shapes.sameShape("add", "a", a, "b", b);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = add(a[i], b[i]);
    }
    return out;
  }

  /**
   * {@code da += dResult}, {@code db += dResult}.
   *
   * @param a {@code a} as passed to {@code add}
   * @param b {@code b} as passed to {@code add}
   * @param result what {@code add} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void addBackward(double[][] a, double[][] b, double[][] result,
      double[][] dResult, double[][] da, double[][] db) {
    int r = checkBinaryBackward("addBackward", a, b, result, dResult, da, db);
    for (int i = 0; i < r; i++) {
      double[] g = dResult[i];
      if (da != null) {
        axpy(1.0, g, da[i], 0, g.length);
      }
      if (db != null) {
        axpy(1.0, g, db[i], 0, g.length);
      }
    }
  }

  /**
   * {@code da + db}, elementwise.
   *
   * @param a {@code a} as passed to {@code add}
   * @param b {@code b} as passed to {@code add}
   * @param result what {@code add} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] addJvp(double[][] a, double[][] b, double[][] result,
      double[][] da, double[][] db) {
    int r = checkBinaryJvp("addJvp", a, b, result, da, db);
    int c = Shapes.cols(a);
    double[][] t = new double[r][c];
    for (int i = 0; i < r; i++) {
      if (da != null) {
        axpy(1.0, da[i], t[i], 0, c);
      }
      if (db != null) {
        axpy(1.0, db[i], t[i], 0, c);
      }
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // sub

  /**
   * {@code a - b}, elementwise.
   *
   * @param a a vector
   * @param b a vector of the same length as {@code a}
   * @return a new vector of the entrywise differences
   */
  public static double[] sub(double[] a, double[] b) {
    int n = Shapes.sameLength("sub", "a", a, "b", b);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = a[i] - b[i];
    }
    return r;
  }

  /**
   * {@code da += dResult}, {@code db -= dResult}.
   *
   * @param a {@code a} as passed to {@code sub}
   * @param b {@code b} as passed to {@code sub}
   * @param result what {@code sub} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void subBackward(double[] a, double[] b, double[] result, double[] dResult,
      double[] da, double[] db) {
    checkBinaryBackward("subBackward", a, b, result, dResult, da, db);
    if (da != null) {
      axpy(1.0, dResult, da, 0, dResult.length);
    }
    if (db != null) {
      axpy(-1.0, dResult, db, 0, dResult.length);
    }
  }

  /**
   * {@code da - db}, elementwise.
   *
   * @param a {@code a} as passed to {@code sub}
   * @param b {@code b} as passed to {@code sub}
   * @param result what {@code sub} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] subJvp(double[] a, double[] b, double[] result, double[] da,
      double[] db) {
    int n = checkBinaryJvp("subJvp", a, b, result, da, db);
    double[] t = new double[n];
    if (da != null) {
      axpy(1.0, da, t, 0, n);
    }
    if (db != null) {
      axpy(-1.0, db, t, 0, n);
    }
    return t;
  }

  /**
   * {@code a - b}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @param b a matrix of the same shape as {@code a}
   * @return a new matrix of the entrywise differences
   */
  public static double[][] sub(double[][] a, double[][] b) {
    int r = Shapes.sameShape("sub", "a", a, "b", b);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = sub(a[i], b[i]);
    }
    return out;
  }

  /**
   * {@code da += dResult}, {@code db -= dResult}.
   *
   * @param a {@code a} as passed to {@code sub}
   * @param b {@code b} as passed to {@code sub}
   * @param result what {@code sub} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void subBackward(double[][] a, double[][] b, double[][] result,
      double[][] dResult, double[][] da, double[][] db) {
    int r = checkBinaryBackward("subBackward", a, b, result, dResult, da, db);
    for (int i = 0; i < r; i++) {
      double[] g = dResult[i];
      if (da != null) {
        axpy(1.0, g, da[i], 0, g.length);
      }
      if (db != null) {
        axpy(-1.0, g, db[i], 0, g.length);
      }
    }
  }

  /**
   * {@code da - db}, elementwise.
   *
   * @param a {@code a} as passed to {@code sub}
   * @param b {@code b} as passed to {@code sub}
   * @param result what {@code sub} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] subJvp(double[][] a, double[][] b, double[][] result,
      double[][] da, double[][] db) {
    int r = checkBinaryJvp("subJvp", a, b, result, da, db);
    int c = Shapes.cols(a);
    double[][] t = new double[r][c];
    for (int i = 0; i < r; i++) {
      if (da != null) {
        axpy(1.0, da[i], t[i], 0, c);
      }
      if (db != null) {
        axpy(-1.0, db[i], t[i], 0, c);
      }
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // mul (elementwise)

  /**
   * {@code a ⊙ b}, elementwise.
   *
   * @param a a vector
   * @param b a vector of the same length as {@code a}
   * @return a new vector of the entrywise products
   */
  public static double[] mul(double[] a, double[] b) {
    int n = Shapes.sameLength("mul", "a", a, "b", b);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = a[i] * b[i];
    }
    return r;
  }

  /**
   * {@code da += dResult ⊙ b}, {@code db += dResult ⊙ a}.
   *
   * @param a {@code a} as passed to {@code mul}
   * @param b {@code b} as passed to {@code mul}
   * @param result what {@code mul} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void mulBackward(double[] a, double[] b, double[] result, double[] dResult,
      double[] da, double[] db) {
    checkBinaryBackward("mulBackward", a, b, result, dResult, da, db);
    mulBackwardRow(a, b, dResult, da, db);
  }

  /**
   * {@code da ⊙ b + a ⊙ db}.
   *
   * @param a {@code a} as passed to {@code mul}
   * @param b {@code b} as passed to {@code mul}
   * @param result what {@code mul} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] mulJvp(double[] a, double[] b, double[] result, double[] da,
      double[] db) {
    int n = checkBinaryJvp("mulJvp", a, b, result, da, db);
    double[] t = new double[n];
    mulJvpRow(a, b, da, db, t);
    return t;
  }

  /**
   * {@code a ⊙ b}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @param b a matrix of the same shape as {@code a}
   * @return a new matrix of the entrywise products
   */
  public static double[][] mul(double[][] a, double[][] b) {
    int r = Shapes.sameShape("mul", "a", a, "b", b);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = mul(a[i], b[i]);
    }
    return out;
  }

  /**
   * {@code da += dResult ⊙ b}, {@code db += dResult ⊙ a}.
   *
   * @param a {@code a} as passed to {@code mul}
   * @param b {@code b} as passed to {@code mul}
   * @param result what {@code mul} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void mulBackward(double[][] a, double[][] b, double[][] result,
      double[][] dResult, double[][] da, double[][] db) {
    int r = checkBinaryBackward("mulBackward", a, b, result, dResult, da, db);
    for (int i = 0; i < r; i++) {
      mulBackwardRow(a[i], b[i], dResult[i], da == null ? null : da[i], db == null ? null : db[i]);
    }
  }

  /**
   * {@code da ⊙ b + a ⊙ db}.
   *
   * @param a {@code a} as passed to {@code mul}
   * @param b {@code b} as passed to {@code mul}
   * @param result what {@code mul} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] mulJvp(double[][] a, double[][] b, double[][] result,
      double[][] da, double[][] db) {
    int r = checkBinaryJvp("mulJvp", a, b, result, da, db);
    double[][] t = new double[r][Shapes.cols(a)];
    for (int i = 0; i < r; i++) {
      mulJvpRow(a[i], b[i], da == null ? null : da[i], db == null ? null : db[i], t[i]);
    }
    return t;
  }

  private static void mulJvpRow(double[] a, double[] b, double[] da, double[] db, double[] t) {
    int n = t.length;
    if (da != null) {
      for (int j = 0; j < n; j++) {
        t[j] += da[j] * b[j];
      }
    }
    if (db != null) {
      for (int j = 0; j < n; j++) {
        t[j] += a[j] * db[j];
      }
    }
  }

  private static void mulBackwardRow(double[] a, double[] b, double[] g, double[] da,
      double[] db) {
    int n = g.length;
    if (da != null) {
      for (int j = 0; j < n; j++) {
        da[j] += g[j] * b[j];
      }
    }
    if (db != null) {
      for (int j = 0; j < n; j++) {
        db[j] += g[j] * a[j];
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // scale

  /**
   * {@code s · a}.
   *
   * @param s the factor
   * @param a a vector
   * @return a new vector, {@code a} times {@code s}
   */
  public static double[] scale(double s, double[] a) {
    int n = Shapes.length("scale", "a", a);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = s * a[i];
    }
    return r;
  }

  /**
   * {@code da += s · dResult}; returns {@code ds = ⟨dResult, a⟩}.
   *
   * @param s {@code s} as passed to {@code scale}
   * @param a {@code a} as passed to {@code scale}
   * @param result what {@code scale} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @return {@code ds}, the adjoint of {@code s}
   */
  public static double scaleBackward(double s, double[] a, double[] result, double[] dResult,
      double[] da) {
    int n = checkUnaryBackward("scaleBackward", a, result, dResult, da);
    if (da != null) {
      axpy(s, dResult, da, 0, n);
    }
    return dotRange(dResult, a, 0, n);
  }

  /**
   * {@code ds · a + s · da}.
   *
   * @param s {@code s} as passed to {@code scale}
   * @param a {@code a} as passed to {@code scale}
   * @param result what {@code scale} returned for these arguments
   * @param ds the tangent of {@code s} (0 if {@code s} is constant)
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] scaleJvp(double s, double[] a, double[] result, double ds,
      double[] da) {
    int n = checkUnaryJvp("scaleJvp", a, result, da);
    double[] t = new double[n];
    scaleJvpRow(s, a, ds, da, t);
    return t;
  }

  /**
   * {@code s · a}.
   *
   * @param s the factor
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix, {@code a} times {@code s}
   */
  public static double[][] scale(double s, double[][] a) {
    int r = Shapes.rows("scale", "a", a);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = scale(s, a[i]);
    }
    return out;
  }

  /**
   * {@code da += s · dResult}; returns {@code ds = Σ_ij dResult_ij a_ij}.
   *
   * @param s {@code s} as passed to {@code scale}
   * @param a {@code a} as passed to {@code scale}
   * @param result what {@code scale} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @return {@code ds}, the adjoint of {@code s}
   */
  public static double scaleBackward(double s, double[][] a, double[][] result,
      double[][] dResult, double[][] da) {
    int r = checkUnaryBackward("scaleBackward", a, result, dResult, da);
    double ds = 0.0;
    for (int i = 0; i < r; i++) {
      double[] g = dResult[i];
      if (da != null) {
        axpy(s, g, da[i], 0, g.length);
      }
      ds += dotRange(g, a[i], 0, g.length);
    }
    return ds;
  }

  /**
   * {@code ds · a + s · da}.
   *
   * @param s {@code s} as passed to {@code scale}
   * @param a {@code a} as passed to {@code scale}
   * @param result what {@code scale} returned for these arguments
   * @param ds the tangent of {@code s} (0 if {@code s} is constant)
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] scaleJvp(double s, double[][] a, double[][] result, double ds,
      double[][] da) {
    int r = checkUnaryJvp("scaleJvp", a, result, da);
    double[][] t = new double[r][Shapes.cols(a)];
    for (int i = 0; i < r; i++) {
      scaleJvpRow(s, a[i], ds, da == null ? null : da[i], t[i]);
    }
    return t;
  }

  /** {@code t += ds · a + s · da}, skipping a zero {@code ds} and a null {@code da}. */
  private static void scaleJvpRow(double s, double[] a, double ds, double[] da, double[] t) {
    if (ds != 0.0) {
      axpy(ds, a, t, 0, t.length);
    }
    if (da != null) {
      axpy(s, da, t, 0, t.length);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // matvec

  /**
   * {@code m · v}: {@code result_i = Σ_j m_ij v_j} = {@code ⟨m_i, v⟩}, for {@code m} r x c and
   * {@code v} of length c.
   *
   * @param m an r x c rectangular matrix (an array of rows)
   * @param v a vector of length c
   * @return a new vector of length r, the product {@code m · v}
   */
  public static double[] matvec(double[][] m, double[] v) {
    int r = checkMatvec("matvec", m, v);
    double[] out = new double[r];
    for (int i = 0; i < r; i++) {
      out[i] = dotRange(m[i], v, 0, v.length);
    }
    return out;
  }

  /**
   * {@code dm += dResult ⊗ v} ({@code dm_ij += dResult_i v_j}), {@code dv += mᵀ · dResult}
   * ({@code dv_j += Σ_i dResult_i m_ij}, accumulated row by row).
   *
   * @param m {@code m} as passed to {@code matvec}
   * @param v {@code v} as passed to {@code matvec}
   * @param result what {@code matvec} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param dm receives {@code +=} the adjoint of {@code m}; {@code null} if it is not needed
   * @param dv receives {@code +=} the adjoint of {@code v}; {@code null} if it is not needed
   */
  public static void matvecBackward(double[][] m, double[] v, double[] result, double[] dResult,
      double[][] dm, double[] dv) {
    String op = "matvecBackward";
    int r = checkMatvec(op, m, v);
    Shapes.expectLength(op, "result", result, r);
    Shapes.expectLength(op, "dResult", dResult, r);
    Shapes.accumulator(op, "dm", dm, "m", m);
    Shapes.accumulator(op, "dv", dv, "v", v);
    int c = v.length;
    for (int i = 0; i < r; i++) {
      double g = dResult[i];
      if (dm != null) {
        axpy(g, v, dm[i], 0, c);
      }
      if (dv != null) {
        axpy(g, m[i], dv, 0, c);
      }
    }
  }

  /**
   * {@code dm · v + m · dv}: {@code t_i = ⟨dm_i, v⟩ + ⟨m_i, dv⟩}.
   *
   * @param m {@code m} as passed to {@code matvec}
   * @param v {@code v} as passed to {@code matvec}
   * @param result what {@code matvec} returned for these arguments
   * @param dm the tangent of {@code m}; {@code null} if {@code m} is constant
   * @param dv the tangent of {@code v}; {@code null} if {@code v} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] matvecJvp(double[][] m, double[] v, double[] result, double[][] dm,
      double[] dv) {
    String op = "matvecJvp";
    int r = checkMatvec(op, m, v);
    Shapes.expectLength(op, "result", result, r);
    Shapes.accumulator(op, "dm", dm, "m", m);
    Shapes.accumulator(op, "dv", dv, "v", v);
    int c = v.length;
    double[] t = new double[r];
    for (int i = 0; i < r; i++) {
      double ti = 0.0;
      if (dm != null) {
        ti += dotRange(dm[i], v, 0, c);
      }
      if (dv != null) {
        ti += dotRange(m[i], dv, 0, c);
      }
      t[i] = ti;
    }
    return t;
  }

  private static int checkMatvec(String op, double[][] m, double[] v) {
    int r = Shapes.rows(op, "m", m);
    int c = Shapes.length(op, "v", v);
    if (r > 0 && Shapes.cols(m) != c) {
      throw new IllegalArgumentException(op + ": m is " + Shapes.shape(m) + " but v has length "
          + c);
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // matmul

  /**
   * {@code a · b} for {@code a} n x k and {@code b} k x m: {@code result_ij = Σ_p a_ip b_pj}.
   *
   * <p>Loop order i-p-j, so the innermost loop is an axpy over a row of {@code b} into a row of
   * the result (which the JIT vectorises), blocked over p and j so that a {@code BLOCK_K x
   * BLOCK_J} tile of {@code b} stays in cache while i runs over all rows. Each entry sums its
   * terms in order p = 0, 1, ..., k-1, exactly as the naive triple loop does.
   *
   * @param a an n x k rectangular matrix (an array of rows)
   * @param b a k x m rectangular matrix: as many rows as {@code a} has columns
   * @return a new n x m matrix, the product {@code a · b}
   */
  public static double[][] matmul(double[][] a, double[][] b) {
    int n = checkMatmul("matmul", a, b);
    int k = b.length;
    int m = Shapes.cols(b);
    double[][] c = new double[n][m];
    addMul(a, b, c, n, k, m);
    return c;
  }

  /**
   * {@code da += dResult · bᵀ} ({@code da_ip += Σ_j dResult_ij b_pj}) and {@code db += aᵀ ·
   * dResult} ({@code db_pj += Σ_i a_ip dResult_ij}), both computed in place from the row arrays
   * without transposed copies, and cache-blocked like {@link #matmul}.
   *
   * @param a {@code a} as passed to {@code matmul}
   * @param b {@code b} as passed to {@code matmul}
   * @param result what {@code matmul} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void matmulBackward(double[][] a, double[][] b, double[][] result,
      double[][] dResult, double[][] da, double[][] db) {
    String op = "matmulBackward";
    int n = checkMatmul(op, a, b);
    int k = b.length;
    int m = Shapes.cols(b);
    Shapes.expectShape(op, "result", result, n, m);
    Shapes.expectShape(op, "dResult", dResult, n, m);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    if (da != null) {
      addMulTransposed(dResult, b, da, n, k, m);
    }
    if (db != null) {
      addTransposedMul(a, dResult, db, n, k, m);
    }
  }

  /**
   * {@code da · b + a · db}, both products accumulated into the new result by the blocked loop of
   * {@link #matmul}.
   *
   * @param a {@code a} as passed to {@code matmul}
   * @param b {@code b} as passed to {@code matmul}
   * @param result what {@code matmul} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] matmulJvp(double[][] a, double[][] b, double[][] result,
      double[][] da, double[][] db) {
    String op = "matmulJvp";
    int n = checkMatmul(op, a, b);
    int k = b.length;
    int m = Shapes.cols(b);
    Shapes.expectShape(op, "result", result, n, m);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    double[][] t = new double[n][m];
    if (da != null) {
      addMul(da, b, t, n, k, m);
    }
    if (db != null) {
      addMul(a, db, t, n, k, m);
    }
    return t;
  }

  private static int checkMatmul(String op, double[][] a, double[][] b) {
    int n = Shapes.rows(op, "a", a);
    int k = Shapes.rows(op, "b", b);
    if (n > 0 && Shapes.cols(a) != k) {
      throw new IllegalArgumentException(op + ": a is " + Shapes.shape(a) + " but b is "
          + Shapes.shape(b));
    }
    return n;
  }

  /**
   * {@code c += a · b}: a n x k, b k x m, c n x m; i-p-j order, blocked over p and j, four rows of
   * b per pass over a row of c (one load and store of c per four products).
   */
  private static void addMul(double[][] a, double[][] b, double[][] c, int n, int k, int m) {
    for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
      int p1 = Math.min(p0 + BLOCK_K, k);
      for (int j0 = 0; j0 < m; j0 += BLOCK_J) {
        int j1 = Math.min(j0 + BLOCK_J, m);
        for (int i = 0; i < n; i++) {
          double[] ai = a[i];
          double[] ci = c[i];
          int p = p0;
          for (; p + 3 < p1; p += 4) {
            axpy4(ai[p], b[p], ai[p + 1], b[p + 1], ai[p + 2], b[p + 2], ai[p + 3], b[p + 3], ci,
                j0, j1);
          }
          for (; p < p1; p++) {
            axpy(ai[p], b[p], ci, j0, j1);
          }
        }
      }
    }
  }

  /**
   * {@code c += g · yᵀ}: g n x m, y k x m, c n x k, i.e. {@code c_ip += ⟨g_i, y_p⟩}. Each entry
   * is a dot product of two rows. Register-blocked: two rows of g against four rows of y at once
   * (eight independent sums, six loads per eight products); cache-blocked over p and j so a
   * {@code BLOCK_K x BLOCK_J} tile of y stays in cache while i runs over all rows.
   */
  private static void addMulTransposed(double[][] g, double[][] y, double[][] c, int n, int k,
      int m) {
    for (int j0 = 0; j0 < m; j0 += BLOCK_J) {
      int j1 = Math.min(j0 + BLOCK_J, m);
      for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
        int p1 = Math.min(p0 + BLOCK_K, k);
        int i = 0;
        for (; i + 1 < n; i += 2) {
          double[] g0 = g[i];
          double[] g1 = g[i + 1];
          double[] c0 = c[i];
          double[] c1 = c[i + 1];
          int p = p0;
          for (; p + 3 < p1; p += 4) {
            double[] y0 = y[p];
            double[] y1 = y[p + 1];
            double[] y2 = y[p + 2];
            double[] y3 = y[p + 3];
            double s00 = 0.0;
            double s01 = 0.0;
            double s02 = 0.0;
            double s03 = 0.0;
            double s10 = 0.0;
            double s11 = 0.0;
            double s12 = 0.0;
            double s13 = 0.0;
            for (int j = j0; j < j1; j++) {
              double u = g0[j];
              double v = g1[j];
              double w0 = y0[j];
              double w1 = y1[j];
              double w2 = y2[j];
              double w3 = y3[j];
              s00 += u * w0;
              s01 += u * w1;
              s02 += u * w2;
              s03 += u * w3;
              s10 += v * w0;
              s11 += v * w1;
              s12 += v * w2;
              s13 += v * w3;
            }
            c0[p] += s00;
            c0[p + 1] += s01;
            c0[p + 2] += s02;
            c0[p + 3] += s03;
            c1[p] += s10;
            c1[p + 1] += s11;
            c1[p + 2] += s12;
            c1[p + 3] += s13;
          }
          for (; p < p1; p++) {
            c0[p] += dotRange(g0, y[p], j0, j1);
            c1[p] += dotRange(g1, y[p], j0, j1);
          }
        }
        if (i < n) {
          double[] gi = g[i];
          double[] ci = c[i];
          for (int p = p0; p < p1; p++) {
            ci[p] += dotRange(gi, y[p], j0, j1);
          }
        }
      }
    }
  }

  /**
   * {@code c += xᵀ · g}: x n x k, g n x m, c k x m, i.e. {@code c_pj += Σ_i x_ip g_ij}. Loop order
   * i-p-j (axpy of four rows of g at once into a row of c), blocked over p and j so the {@code
   * BLOCK_K x BLOCK_J} tile of c being accumulated stays in cache while i runs over all rows.
   */
  private static void addTransposedMul(double[][] x, double[][] g, double[][] c, int n, int k,
      int m) {
    for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
      int p1 = Math.min(p0 + BLOCK_K, k);
      for (int j0 = 0; j0 < m; j0 += BLOCK_J) {
        int j1 = Math.min(j0 + BLOCK_J, m);
        int i = 0;
        for (; i + 3 < n; i += 4) {
          double[] x0 = x[i];
          double[] x1 = x[i + 1];
          double[] x2 = x[i + 2];
          double[] x3 = x[i + 3];
          double[] g0 = g[i];
          double[] g1 = g[i + 1];
          double[] g2 = g[i + 2];
          double[] g3 = g[i + 3];
          for (int p = p0; p < p1; p++) {
            axpy4(x0[p], g0, x1[p], g1, x2[p], g2, x3[p], g3, c[p], j0, j1);
          }
        }
        for (; i < n; i++) {
          double[] xi = x[i];
          double[] gi = g[i];
          for (int p = p0; p < p1; p++) {
            axpy(xi[p], gi, c[p], j0, j1);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // transpose

  /**
   * {@code aᵀ}: {@code result_ji = a_ij}; blocked in square tiles.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix, the transpose of {@code a}
   */
  public static double[][] transpose(double[][] a) {
    int r = Shapes.rows("transpose", "a", a);
    int c = Shapes.cols(a);
    double[][] t = new double[c][r];
    addTransposed(a, t, r, c, false);
    return t;
  }

  /**
   * {@code da += dResultᵀ}: {@code da_ij += dResult_ji}.
   *
   * @param a {@code a} as passed to {@code transpose}
   * @param result what {@code transpose} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void transposeBackward(double[][] a, double[][] result, double[][] dResult,
      double[][] da) {
    String op = "transposeBackward";
    int r = Shapes.rows(op, "a", a);
    int c = Shapes.cols(a);
    Shapes.expectShape(op, "result", result, c, r);
    Shapes.expectShape(op, "dResult", dResult, c, r);
    Shapes.accumulator(op, "da", da, "a", a);
    if (da != null) {
      addTransposed(dResult, da, c, r, true);
    }
  }

  /**
   * {@code daᵀ}.
   *
   * @param a {@code a} as passed to {@code transpose}
   * @param result what {@code transpose} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] transposeJvp(double[][] a, double[][] result, double[][] da) {
    String op = "transposeJvp";
    int r = Shapes.rows(op, "a", a);
    int c = Shapes.cols(a);
    Shapes.expectShape(op, "result", result, c, r);
    Shapes.accumulator(op, "da", da, "a", a);
    double[][] t = new double[c][r];
    if (da != null) {
      addTransposed(da, t, r, c, false);
    }
    return t;
  }

  /** {@code t = xᵀ} (or {@code t += xᵀ}) for x r x c, in {@code BLOCK_T}-square tiles. */
  private static void addTransposed(double[][] x, double[][] t, int r, int c, boolean add) {
    for (int i0 = 0; i0 < r; i0 += BLOCK_T) {
      int i1 = Math.min(i0 + BLOCK_T, r);
      for (int j0 = 0; j0 < c; j0 += BLOCK_T) {
        int j1 = Math.min(j0 + BLOCK_T, c);
        for (int i = i0; i < i1; i++) {
          double[] xi = x[i];
          for (int j = j0; j < j1; j++) {
            if (add) {
              t[j][i] += xi[j];
            } else {
              t[j][i] = xi[j];
            }
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // outer

  /**
   * {@code a ⊗ b}: {@code result_ij = a_i b_j}.
   *
   * @param a a vector
   * @param b a vector, of any length
   * @return a new matrix with one row per entry of {@code a} and one column per entry of {@code b}
   */
  public static double[][] outer(double[] a, double[] b) {
    int n = Shapes.length("outer", "a", a);
    int m = Shapes.length("outer", "b", b);
    double[][] out = new double[n][m];
    for (int i = 0; i < n; i++) {
      axpy(a[i], b, out[i], 0, m);
    }
    return out;
  }

  /**
   * {@code da += dResult · b} ({@code da_i += ⟨dResult_i, b⟩}), {@code db += dResultᵀ · a}
   * ({@code db_j += Σ_i a_i dResult_ij}).
   *
   * @param a {@code a} as passed to {@code outer}
   * @param b {@code b} as passed to {@code outer}
   * @param result what {@code outer} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   * @param db receives {@code +=} the adjoint of {@code b}; {@code null} if it is not needed
   */
  public static void outerBackward(double[] a, double[] b, double[][] result, double[][] dResult,
      double[] da, double[] db) {
    String op = "outerBackward";
    int n = Shapes.length(op, "a", a);
    int m = Shapes.length(op, "b", b);
    Shapes.expectShape(op, "result", result, n, m);
    Shapes.expectShape(op, "dResult", dResult, n, m);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    for (int i = 0; i < n; i++) {
      double[] g = dResult[i];
      if (da != null) {
        da[i] += dotRange(g, b, 0, m);
      }
      if (db != null) {
        axpy(a[i], g, db, 0, m);
      }
    }
  }

  /**
   * {@code da ⊗ b + a ⊗ db}: {@code t_ij = da_i b_j + a_i db_j}.
   *
   * @param a {@code a} as passed to {@code outer}
   * @param b {@code b} as passed to {@code outer}
   * @param result what {@code outer} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @param db the tangent of {@code b}; {@code null} if {@code b} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] outerJvp(double[] a, double[] b, double[][] result, double[] da,
      double[] db) {
    String op = "outerJvp";
    int n = Shapes.length(op, "a", a);
    int m = Shapes.length(op, "b", b);
    Shapes.expectShape(op, "result", result, n, m);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    double[][] t = new double[n][m];
    for (int i = 0; i < n; i++) {
      if (da != null) {
        axpy(da[i], b, t[i], 0, m);
      }
      if (db != null) {
        axpy(a[i], db, t[i], 0, m);
      }
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // addRowVector

  /**
   * {@code m + 1 ⊗ row}: adds {@code row} to every row of {@code m} (a bias).
   *
   * @param m a rectangular matrix (an array of rows)
   * @param row a vector with one entry per column of {@code m}
   * @return a new matrix of the shape of {@code m}
   */
  public static double[][] addRowVector(double[][] m, double[] row) {
    int r = checkRowVector("addRowVector", m, row);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = add(m[i], row);
    }
    return out;
  }

  /**
   * {@code dm += dResult}, {@code drow_j += Σ_i dResult_ij} (column sums).
   *
   * @param m {@code m} as passed to {@code addRowVector}
   * @param row {@code row} as passed to {@code addRowVector}
   * @param result what {@code addRowVector} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param dm receives {@code +=} the adjoint of {@code m}; {@code null} if it is not needed
   * @param drow receives {@code +=} the adjoint of {@code row}; {@code null} if it is not needed
   */
  public static void addRowVectorBackward(double[][] m, double[] row, double[][] result,
      double[][] dResult, double[][] dm, double[] drow) {
    String op = "addRowVectorBackward";
    int r = checkRowVector(op, m, row);
    int c = row.length;
    Shapes.expectShape(op, "result", result, r, c);
    Shapes.expectShape(op, "dResult", dResult, r, c);
    Shapes.accumulator(op, "dm", dm, "m", m);
    Shapes.accumulator(op, "drow", drow, "row", row);
    for (int i = 0; i < r; i++) {
      double[] g = dResult[i];
      if (dm != null) {
        axpy(1.0, g, dm[i], 0, c);
      }
      if (drow != null) {
        axpy(1.0, g, drow, 0, c);
      }
    }
  }

  /**
   * {@code dm + 1 ⊗ drow}.
   *
   * @param m {@code m} as passed to {@code addRowVector}
   * @param row {@code row} as passed to {@code addRowVector}
   * @param result what {@code addRowVector} returned for these arguments
   * @param dm the tangent of {@code m}; {@code null} if {@code m} is constant
   * @param drow the tangent of {@code row}; {@code null} if {@code row} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] addRowVectorJvp(double[][] m, double[] row, double[][] result,
      double[][] dm, double[] drow) {
    String op = "addRowVectorJvp";
    int r = checkRowVector(op, m, row);
    int c = row.length;
    Shapes.expectShape(op, "result", result, r, c);
    Shapes.accumulator(op, "dm", dm, "m", m);
    Shapes.accumulator(op, "drow", drow, "row", row);
    double[][] t = new double[r][c];
    for (int i = 0; i < r; i++) {
      if (dm != null) {
        axpy(1.0, dm[i], t[i], 0, c);
      }
      if (drow != null) {
        axpy(1.0, drow, t[i], 0, c);
      }
    }
    return t;
  }

  private static int checkRowVector(String op, double[][] m, double[] row) {
    int r = Shapes.rows(op, "m", m);
    int c = Shapes.length(op, "row", row);
    if (r > 0 && Shapes.cols(m) != c) {
      throw new IllegalArgumentException(op + ": m is " + Shapes.shape(m) + " but row has length "
          + c);
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // exp

  /**
   * {@code e^a}, elementwise.
   *
   * @param a a vector
   * @return a new vector of the exponentials
   */
  public static double[] exp(double[] a) {
    Shapes.length("exp", "a", a);
    double[] r = new double[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.exp(a[i]);
    }
    return r;
  }

  /**
   * {@code da += dResult ⊙ result} (exp is its own derivative).
   *
   * @param a {@code a} as passed to {@code exp}
   * @param result what {@code exp} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void expBackward(double[] a, double[] result, double[] dResult, double[] da) {
    checkUnaryBackward("expBackward", a, result, dResult, da);
    if (da != null) {
      expBackwardRow(result, dResult, da);
    }
  }

  /**
   * {@code da ⊙ result} (exp is its own derivative).
   *
   * @param a {@code a} as passed to {@code exp}
   * @param result what {@code exp} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] expJvp(double[] a, double[] result, double[] da) {
    int n = checkUnaryJvp("expJvp", a, result, da);
    double[] t = new double[n];
    if (da != null) {
      expJvpRow(result, da, t);
    }
    return t;
  }

  /**
   * {@code e^a}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix of the exponentials
   */
  public static double[][] exp(double[][] a) {
    int r = Shapes.rows("exp", "a", a);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = exp(a[i]);
    }
    return out;
  }

  /**
   * {@code da += dResult ⊙ result}.
   *
   * @param a {@code a} as passed to {@code exp}
   * @param result what {@code exp} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void expBackward(double[][] a, double[][] result, double[][] dResult,
      double[][] da) {
    int r = checkUnaryBackward("expBackward", a, result, dResult, da);
    if (da != null) {
      for (int i = 0; i < r; i++) {
        expBackwardRow(result[i], dResult[i], da[i]);
      }
    }
  }

  /**
   * {@code da ⊙ result}.
   *
   * @param a {@code a} as passed to {@code exp}
   * @param result what {@code exp} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] expJvp(double[][] a, double[][] result, double[][] da) {
    int r = checkUnaryJvp("expJvp", a, result, da);
    double[][] t = new double[r][Shapes.cols(a)];
    if (da != null) {
      for (int i = 0; i < r; i++) {
        expJvpRow(result[i], da[i], t[i]);
      }
    }
    return t;
  }

  private static void expJvpRow(double[] y, double[] da, double[] t) {
    for (int j = 0; j < t.length; j++) {
      t[j] = da[j] * y[j];
    }
  }

  private static void expBackwardRow(double[] y, double[] g, double[] da) {
    for (int j = 0; j < g.length; j++) {
      da[j] += g[j] * y[j];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // log

  /**
   * {@code ln a}, elementwise.
   *
   * @param a a vector
   * @return a new vector of the natural logarithms
   */
  public static double[] log(double[] a) {
    Shapes.length("log", "a", a);
    double[] r = new double[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.log(a[i]);
    }
    return r;
  }

  /**
   * {@code da += dResult / a}.
   *
   * @param a {@code a} as passed to {@code log}
   * @param result what {@code log} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void logBackward(double[] a, double[] result, double[] dResult, double[] da) {
    checkUnaryBackward("logBackward", a, result, dResult, da);
    if (da != null) {
      logBackwardRow(a, dResult, da);
    }
  }

  /**
   * {@code da / a}.
   *
   * @param a {@code a} as passed to {@code log}
   * @param result what {@code log} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] logJvp(double[] a, double[] result, double[] da) {
    int n = checkUnaryJvp("logJvp", a, result, da);
    double[] t = new double[n];
    if (da != null) {
      logJvpRow(a, da, t);
    }
    return t;
  }

  /**
   * {@code ln a}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix of the natural logarithms
   */
  public static double[][] log(double[][] a) {
    int r = Shapes.rows("log", "a", a);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = log(a[i]);
    }
    return out;
  }

  /**
   * {@code da += dResult / a}.
   *
   * @param a {@code a} as passed to {@code log}
   * @param result what {@code log} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void logBackward(double[][] a, double[][] result, double[][] dResult,
      double[][] da) {
    int r = checkUnaryBackward("logBackward", a, result, dResult, da);
    if (da != null) {
      for (int i = 0; i < r; i++) {
        logBackwardRow(a[i], dResult[i], da[i]);
      }
    }
  }

  /**
   * {@code da / a}.
   *
   * @param a {@code a} as passed to {@code log}
   * @param result what {@code log} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] logJvp(double[][] a, double[][] result, double[][] da) {
    int r = checkUnaryJvp("logJvp", a, result, da);
    double[][] t = new double[r][Shapes.cols(a)];
    if (da != null) {
      for (int i = 0; i < r; i++) {
        logJvpRow(a[i], da[i], t[i]);
      }
    }
    return t;
  }

  private static void logJvpRow(double[] a, double[] da, double[] t) {
    for (int j = 0; j < t.length; j++) {
      t[j] = da[j] / a[j];
    }
  }

  private static void logBackwardRow(double[] a, double[] g, double[] da) {
    for (int j = 0; j < g.length; j++) {
      da[j] += g[j] / a[j];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // tanh

  /**
   * {@code tanh a}, elementwise.
   *
   * @param a a vector
   * @return a new vector of the hyperbolic tangents
   */
  public static double[] tanh(double[] a) {
    Shapes.length("tanh", "a", a);
    double[] r = new double[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.tanh(a[i]);
    }
    return r;
  }

  /**
   * {@code da += dResult ⊙ (1 - result²)}.
   *
   * @param a {@code a} as passed to {@code tanh}
   * @param result what {@code tanh} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void tanhBackward(double[] a, double[] result, double[] dResult, double[] da) {
    checkUnaryBackward("tanhBackward", a, result, dResult, da);
    if (da != null) {
      tanhBackwardRow(result, dResult, da);
    }
  }

  /**
   * {@code da ⊙ (1 - result²)}.
   *
   * @param a {@code a} as passed to {@code tanh}
   * @param result what {@code tanh} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] tanhJvp(double[] a, double[] result, double[] da) {
    int n = checkUnaryJvp("tanhJvp", a, result, da);
    double[] t = new double[n];
    if (da != null) {
      tanhJvpRow(result, da, t);
    }
    return t;
  }

  /**
   * {@code tanh a}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix of the hyperbolic tangents
   */
  public static double[][] tanh(double[][] a) {
    int r = Shapes.rows("tanh", "a", a);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = tanh(a[i]);
    }
    return out;
  }

  /**
   * {@code da += dResult ⊙ (1 - result²)}.
   *
   * @param a {@code a} as passed to {@code tanh}
   * @param result what {@code tanh} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void tanhBackward(double[][] a, double[][] result, double[][] dResult,
      double[][] da) {
    int r = checkUnaryBackward("tanhBackward", a, result, dResult, da);
    if (da != null) {
      for (int i = 0; i < r; i++) {
        tanhBackwardRow(result[i], dResult[i], da[i]);
      }
    }
  }

  /**
   * {@code da ⊙ (1 - result²)}.
   *
   * @param a {@code a} as passed to {@code tanh}
   * @param result what {@code tanh} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] tanhJvp(double[][] a, double[][] result, double[][] da) {
    int r = checkUnaryJvp("tanhJvp", a, result, da);
    double[][] t = new double[r][Shapes.cols(a)];
    if (da != null) {
      for (int i = 0; i < r; i++) {
        tanhJvpRow(result[i], da[i], t[i]);
      }
    }
    return t;
  }

  private static void tanhJvpRow(double[] y, double[] da, double[] t) {
    for (int j = 0; j < t.length; j++) {
      t[j] = da[j] * (1.0 - y[j] * y[j]);
    }
  }

  private static void tanhBackwardRow(double[] t, double[] g, double[] da) {
    for (int j = 0; j < g.length; j++) {
      da[j] += g[j] * (1.0 - t[j] * t[j]);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // sigmoid

  /**
   * {@code σ(a) = 1 / (1 + e^-a)}, elementwise; computed as {@code e^a / (1 + e^a)} for negative
   * {@code a} so that no intermediate overflows.
   *
   * @param a a vector
   * @return a new vector of the logistic sigmoids
   */
  public static double[] sigmoid(double[] a) {
    Shapes.length("sigmoid", "a", a);
    double[] r = new double[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = sigmoid(a[i]);
    }
    return r;
  }

  /**
   * {@code da += dResult ⊙ result ⊙ (1 - result)}.
   *
   * @param a {@code a} as passed to {@code sigmoid}
   * @param result what {@code sigmoid} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void sigmoidBackward(double[] a, double[] result, double[] dResult, double[] da) {
    checkUnaryBackward("sigmoidBackward", a, result, dResult, da);
    if (da != null) {
      sigmoidBackwardRow(result, dResult, da);
    }
  }

  /**
   * {@code da ⊙ result ⊙ (1 - result)}.
   *
   * @param a {@code a} as passed to {@code sigmoid}
   * @param result what {@code sigmoid} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] sigmoidJvp(double[] a, double[] result, double[] da) {
    int n = checkUnaryJvp("sigmoidJvp", a, result, da);
    double[] t = new double[n];
    if (da != null) {
      sigmoidJvpRow(result, da, t);
    }
    return t;
  }

  /**
   * {@code σ(a)}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix of the logistic sigmoids
   */
  public static double[][] sigmoid(double[][] a) {
    int r = Shapes.rows("sigmoid", "a", a);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = sigmoid(a[i]);
    }
    return out;
  }

  /**
   * {@code da += dResult ⊙ result ⊙ (1 - result)}.
   *
   * @param a {@code a} as passed to {@code sigmoid}
   * @param result what {@code sigmoid} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void sigmoidBackward(double[][] a, double[][] result, double[][] dResult,
      double[][] da) {
    int r = checkUnaryBackward("sigmoidBackward", a, result, dResult, da);
    if (da != null) {
      for (int i = 0; i < r; i++) {
        sigmoidBackwardRow(result[i], dResult[i], da[i]);
      }
    }
  }

  /**
   * {@code da ⊙ result ⊙ (1 - result)}.
   *
   * @param a {@code a} as passed to {@code sigmoid}
   * @param result what {@code sigmoid} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] sigmoidJvp(double[][] a, double[][] result, double[][] da) {
    int r = checkUnaryJvp("sigmoidJvp", a, result, da);
    double[][] t = new double[r][Shapes.cols(a)];
    if (da != null) {
      for (int i = 0; i < r; i++) {
        sigmoidJvpRow(result[i], da[i], t[i]);
      }
    }
    return t;
  }

  private static void sigmoidJvpRow(double[] y, double[] da, double[] t) {
    for (int j = 0; j < t.length; j++) {
      t[j] = da[j] * y[j] * (1.0 - y[j]);
    }
  }

  private static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  private static void sigmoidBackwardRow(double[] s, double[] g, double[] da) {
    for (int j = 0; j < g.length; j++) {
      da[j] += g[j] * s[j] * (1.0 - s[j]);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // relu

  /**
   * {@code max(a, 0)}, elementwise (NaN stays NaN).
   *
   * @param a a vector
   * @return a new vector of the rectified entries
   */
  public static double[] relu(double[] a) {
    Shapes.length("relu", "a", a);
    double[] r = new double[a.length];
    for (int i = 0; i < r.length; i++) {
      double x = a[i];
      r[i] = x <= 0.0 ? 0.0 : x;
    }
    return r;
  }

  /**
   * {@code da_i += dResult_i} where {@code a_i > 0}, else nothing ({@code relu'(0) = 0}).
   *
   * @param a {@code a} as passed to {@code relu}
   * @param result what {@code relu} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void reluBackward(double[] a, double[] result, double[] dResult, double[] da) {
    checkUnaryBackward("reluBackward", a, result, dResult, da);
    if (da != null) {
      reluBackwardRow(a, dResult, da);
    }
  }

  /**
   * {@code da_i} where {@code a_i > 0}, else 0 ({@code relu'(0) = 0}, as in the backward
   * function).
   *
   * @param a {@code a} as passed to {@code relu}
   * @param result what {@code relu} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] reluJvp(double[] a, double[] result, double[] da) {
    int n = checkUnaryJvp("reluJvp", a, result, da);
    double[] t = new double[n];
    if (da != null) {
      reluJvpRow(a, da, t);
    }
    return t;
  }

  /**
   * {@code max(a, 0)}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix of the rectified entries
   */
  public static double[][] relu(double[][] a) {
    int r = Shapes.rows("relu", "a", a);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = relu(a[i]);
    }
    return out;
  }

  /**
   * {@code da_ij += dResult_ij} where {@code a_ij > 0}.
   *
   * @param a {@code a} as passed to {@code relu}
   * @param result what {@code relu} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void reluBackward(double[][] a, double[][] result, double[][] dResult,
      double[][] da) {
    int r = checkUnaryBackward("reluBackward", a, result, dResult, da);
    if (da != null) {
      for (int i = 0; i < r; i++) {
        reluBackwardRow(a[i], dResult[i], da[i]);
      }
    }
  }

  /**
   * {@code da_ij} where {@code a_ij > 0}, else 0.
   *
   * @param a {@code a} as passed to {@code relu}
   * @param result what {@code relu} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] reluJvp(double[][] a, double[][] result, double[][] da) {
    int r = checkUnaryJvp("reluJvp", a, result, da);
    double[][] t = new double[r][Shapes.cols(a)];
    if (da != null) {
      for (int i = 0; i < r; i++) {
        reluJvpRow(a[i], da[i], t[i]);
      }
    }
    return t;
  }

  private static void reluJvpRow(double[] a, double[] da, double[] t) {
    for (int j = 0; j < t.length; j++) {
      t[j] = a[j] > 0.0 ? da[j] : 0.0;
    }
  }

  private static void reluBackwardRow(double[] a, double[] g, double[] da) {
    for (int j = 0; j < g.length; j++) {
      da[j] += a[j] > 0.0 ? g[j] : 0.0;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // square

  /**
   * {@code a²}, elementwise.
   *
   * @param a a vector
   * @return a new vector of the squares
   */
  public static double[] square(double[] a) {
    Shapes.length("square", "a", a);
    return mul(a, a);
  }

  /**
   * {@code da += 2 a ⊙ dResult}.
   *
   * @param a {@code a} as passed to {@code square}
   * @param result what {@code square} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void squareBackward(double[] a, double[] result, double[] dResult, double[] da) {
    checkUnaryBackward("squareBackward", a, result, dResult, da);
    if (da != null) {
      squareBackwardRow(a, dResult, da);
    }
  }

  /**
   * {@code 2 a ⊙ da}.
   *
   * @param a {@code a} as passed to {@code square}
   * @param result what {@code square} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] squareJvp(double[] a, double[] result, double[] da) {
    int n = checkUnaryJvp("squareJvp", a, result, da);
    double[] t = new double[n];
    if (da != null) {
      squareJvpRow(a, da, t);
    }
    return t;
  }

  /**
   * {@code a²}, elementwise.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix of the squares
   */
  public static double[][] square(double[][] a) {
    int r = Shapes.rows("square", "a", a);
    double[][] out = new double[r][];
    for (int i = 0; i < r; i++) {
      out[i] = mul(a[i], a[i]);
    }
    return out;
  }

  /**
   * {@code da += 2 a ⊙ dResult}.
   *
   * @param a {@code a} as passed to {@code square}
   * @param result what {@code square} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void squareBackward(double[][] a, double[][] result, double[][] dResult,
      double[][] da) {
    int r = checkUnaryBackward("squareBackward", a, result, dResult, da);
    if (da != null) {
      for (int i = 0; i < r; i++) {
        squareBackwardRow(a[i], dResult[i], da[i]);
      }
    }
  }

  /**
   * {@code 2 a ⊙ da}.
   *
   * @param a {@code a} as passed to {@code square}
   * @param result what {@code square} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] squareJvp(double[][] a, double[][] result, double[][] da) {
    int r = checkUnaryJvp("squareJvp", a, result, da);
    double[][] t = new double[r][Shapes.cols(a)];
    if (da != null) {
      for (int i = 0; i < r; i++) {
        squareJvpRow(a[i], da[i], t[i]);
      }
    }
    return t;
  }

  private static void squareJvpRow(double[] a, double[] da, double[] t) {
    for (int j = 0; j < t.length; j++) {
      t[j] = 2.0 * a[j] * da[j];
    }
  }

  private static void squareBackwardRow(double[] a, double[] g, double[] da) {
    for (int j = 0; j < g.length; j++) {
      da[j] += 2.0 * a[j] * g[j];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // logSumExp

  /**
   * {@code log Σ_i e^(a_i)}, computed as {@code m + log Σ_i e^(a_i - m)} with {@code m = max a}:
   * finite for any finite input. {@code -∞} for an empty vector.
   *
   * @param a a vector
   * @return the log of the sum of the exponentials of the entries of {@code a}
   */
  public static double logSumExp(double[] a) {
    Shapes.length("logSumExp", "a", a);
    return logSumExpRow(a);
  }

  /**
   * {@code da += dResult · softmax(a)}, with {@code softmax(a)_i = e^(a_i - result)}.
   *
   * @param a {@code a} as passed to {@code logSumExp}
   * @param result what {@code logSumExp} returned for these arguments
   * @param dResult the adjoint of the result
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void logSumExpBackward(double[] a, double result, double dResult, double[] da) {
    Shapes.length("logSumExpBackward", "a", a);
    Shapes.accumulator("logSumExpBackward", "da", da, "a", a);
    if (da != null) {
      for (int i = 0; i < a.length; i++) {
        da[i] += dResult * Math.exp(a[i] - result);
      }
    }
  }

  /**
   * {@code ⟨softmax(a), da⟩}, with {@code softmax(a)_i = e^(a_i - result)}.
   *
   * @param a {@code a} as passed to {@code logSumExp}
   * @param result what {@code logSumExp} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return the tangent of the result
   */
  public static double logSumExpJvp(double[] a, double result, double[] da) {
    Shapes.length("logSumExpJvp", "a", a);
    Shapes.accumulator("logSumExpJvp", "da", da, "a", a);
    double t = 0.0;
    if (da != null) {
      for (int i = 0; i < a.length; i++) {
        t += da[i] * Math.exp(a[i] - result);
      }
    }
    return t;
  }

  private static double logSumExpRow(double[] a) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : a) {
      max = Math.max(max, x);
    }
    if (Double.isInfinite(max)) {
      return max; // empty, all -∞, or some +∞
    }
    double s = 0.0;
    for (double x : a) {
      s += Math.exp(x - max);
    }
    return max + Math.log(s);
  }

  // ---------------------------------------------------------------------------------------------
  // softmax

  /**
   * {@code s_i = e^(a_i - m) / Σ_j e^(a_j - m)}, {@code m = max a} (the shift cancels).
   *
   * @param a a vector
   * @return a new vector of probabilities that sum to 1
   */
  public static double[] softmax(double[] a) {
    Shapes.length("softmax", "a", a);
    double[] s = new double[a.length];
    softmaxRow(a, s);
    return s;
  }

  /**
   * {@code da += s ⊙ (dy - ⟨dy, s⟩)} with {@code s = result}, {@code dy = dResult} (the product
   * of {@code dy} with the Jacobian {@code diag(s) - s sᵀ}).
   *
   * @param a {@code a} as passed to {@code softmax}
   * @param result what {@code softmax} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void softmaxBackward(double[] a, double[] result, double[] dResult, double[] da) {
    checkUnaryBackward("softmaxBackward", a, result, dResult, da);
    if (da != null) {
      softmaxBackwardRow(result, dResult, da);
    }
  }

  /**
   * {@code s ⊙ (da - ⟨da, s⟩)} with {@code s = result} (the product of the symmetric Jacobian
   * {@code diag(s) - s sᵀ} with {@code da}).
   *
   * @param a {@code a} as passed to {@code softmax}
   * @param result what {@code softmax} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] softmaxJvp(double[] a, double[] result, double[] da) {
    int n = checkUnaryJvp("softmaxJvp", a, result, da);
    double[] t = new double[n];
    if (da != null) {
      softmaxJvpRow(result, da, t);
    }
    return t;
  }

  private static void softmaxJvpRow(double[] s, double[] da, double[] t) {
    double inner = dotRange(da, s, 0, s.length);
    for (int j = 0; j < s.length; j++) {
      t[j] = s[j] * (da[j] - inner);
    }
  }

  private static void softmaxRow(double[] a, double[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : a) {
      max = Math.max(max, x);
    }
    double total = 0.0;
    for (int j = 0; j < a.length; j++) {
      double e = Math.exp(a[j] - max);
      s[j] = e;
      total += e;
    }
    double inv = 1.0 / total;
    for (int j = 0; j < s.length; j++) {
      s[j] *= inv;
    }
  }

  private static void softmaxBackwardRow(double[] s, double[] dy, double[] da) {
    double inner = dotRange(dy, s, 0, s.length);
    for (int j = 0; j < s.length; j++) {
      da[j] += s[j] * (dy[j] - inner);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // softmaxRows

  /**
   * {@link #softmax(double[])} of every row.
   *
   * @param a a rectangular matrix (an array of rows)
   * @return a new matrix whose every row is the softmax of the row of {@code a}
   */
  public static double[][] softmaxRows(double[][] a) {
    int r = Shapes.rows("softmaxRows", "a", a);
    double[][] out = new double[r][Shapes.cols(a)];
    for (int i = 0; i < r; i++) {
      softmaxRow(a[i], out[i]);
    }
    return out;
  }

  /**
   * Row by row: {@code da_i += s_i ⊙ (dy_i - ⟨dy_i, s_i⟩)}, {@code s = result}.
   *
   * @param a {@code a} as passed to {@code softmaxRows}
   * @param result what {@code softmaxRows} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void softmaxRowsBackward(double[][] a, double[][] result, double[][] dResult,
      double[][] da) {
    int r = checkUnaryBackward("softmaxRowsBackward", a, result, dResult, da);
    if (da != null) {
      for (int i = 0; i < r; i++) {
        softmaxBackwardRow(result[i], dResult[i], da[i]);
      }
    }
  }

  /**
   * Row by row: {@code t_i = s_i ⊙ (da_i - ⟨da_i, s_i⟩)}, {@code s = result}.
   *
   * @param a {@code a} as passed to {@code softmaxRows}
   * @param result what {@code softmaxRows} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new matrix, the tangent of the result
   */
  public static double[][] softmaxRowsJvp(double[][] a, double[][] result, double[][] da) {
    int r = checkUnaryJvp("softmaxRowsJvp", a, result, da);
    double[][] t = new double[r][Shapes.cols(a)];
    if (da != null) {
      for (int i = 0; i < r; i++) {
        softmaxJvpRow(result[i], da[i], t[i]);
      }
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // logSoftmax

  /**
   * {@code y_i = a_i - logSumExp(a)}.
   *
   * @param a a vector
   * @return a new vector of the log-probabilities
   */
  public static double[] logSoftmax(double[] a) {
    Shapes.length("logSoftmax", "a", a);
    double lse = logSumExpRow(a);
    double[] y = new double[a.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = a[i] - lse;
    }
    return y;
  }

  /**
   * {@code da += dy - e^y · Σ_j dy_j} with {@code y = result}, {@code dy = dResult}.
   *
   * @param a {@code a} as passed to {@code logSoftmax}
   * @param result what {@code logSoftmax} returned for these arguments
   * @param dResult the adjoint of the result, of the shape of {@code result}
   * @param da receives {@code +=} the adjoint of {@code a}; {@code null} if it is not needed
   */
  public static void logSoftmaxBackward(double[] a, double[] result, double[] dResult,
      double[] da) {
    int n = checkUnaryBackward("logSoftmaxBackward", a, result, dResult, da);
    if (da != null) {
      double total = sumRow(dResult);
      for (int i = 0; i < n; i++) {
        da[i] += dResult[i] - Math.exp(result[i]) * total;
      }
    }
  }

  /**
   * {@code da - ⟨e^y, da⟩} with {@code y = result} ({@code e^y} is the softmax).
   *
   * @param a {@code a} as passed to {@code logSoftmax}
   * @param result what {@code logSoftmax} returned for these arguments
   * @param da the tangent of {@code a}; {@code null} if {@code a} is constant
   * @return a new vector, the tangent of the result
   */
  public static double[] logSoftmaxJvp(double[] a, double[] result, double[] da) {
    int n = checkUnaryJvp("logSoftmaxJvp", a, result, da);
    double[] t = new double[n];
    if (da != null) {
      double inner = 0.0;
      for (int i = 0; i < n; i++) {
        inner += Math.exp(result[i]) * da[i];
      }
      for (int i = 0; i < n; i++) {
        t[i] = da[i] - inner;
      }
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // softmaxCrossEntropy

  /**
   * Mean over rows of the cross-entropy between {@code softmax(logits_i)} and the one-hot label:
   * {@code (1/n) Σ_i (logSumExp(logits_i) - logits_i[labels_i])}. NaN when there are no rows.
   *
   * @param logits the scores, one row per example and one column per class
   * @param labels the class of each row of {@code logits}, from 0 to the number of columns - 1
   * @return the mean cross-entropy loss over the rows
   */
  public static double softmaxCrossEntropy(double[][] logits, int[] labels) {
    int n = checkLabels("softmaxCrossEntropy", logits, labels);
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      total += logSumExpRow(logits[i]) - logits[i][labels[i]];
    }
    return total / n;
  }

  /**
   * {@code dlogits_i += (dResult / n) · (softmax(logits_i) - onehot(labels_i))}; the softmax is
   * recomputed row by row (stably) without allocating.
   *
   * @param logits {@code logits} as passed to {@code softmaxCrossEntropy}
   * @param labels {@code labels} as passed to {@code softmaxCrossEntropy} (constants: no
   *     accumulator)
   * @param result what {@code softmaxCrossEntropy} returned for these arguments
   * @param dResult the adjoint of the result
   * @param dlogits receives {@code +=} the adjoint of {@code logits}; {@code null} if it is not
   *     needed
   */
  public static void softmaxCrossEntropyBackward(double[][] logits, int[] labels, double result,
      double dResult, double[][] dlogits) {
    String op = "softmaxCrossEntropyBackward";
    int n = checkLabels(op, logits, labels);
    Shapes.accumulator(op, "dlogits", dlogits, "logits", logits);
    if (dlogits == null) {
      return;
    }
    double g = dResult / n;
    for (int i = 0; i < n; i++) {
      double[] x = logits[i];
      double[] d = dlogits[i];
      double lse = logSumExpRow(x);
      for (int j = 0; j < x.length; j++) {
        d[j] += g * Math.exp(x[j] - lse);
      }
      d[labels[i]] -= g;
    }
  }

  /**
   * {@code (1/n) Σ_i (⟨softmax(logits_i), dlogits_i⟩ - dlogits_i[labels_i])}; the softmax is
   * recomputed row by row (stably) without allocating. 0 when there are no rows.
   *
   * @param logits {@code logits} as passed to {@code softmaxCrossEntropy}
   * @param labels {@code labels} as passed to {@code softmaxCrossEntropy} (constants: no tangent)
   * @param result what {@code softmaxCrossEntropy} returned for these arguments
   * @param dlogits the tangent of {@code logits}; {@code null} if {@code logits} is constant
   * @return the tangent of the result
   */
  public static double softmaxCrossEntropyJvp(double[][] logits, int[] labels, double result,
      double[][] dlogits) {
    String op = "softmaxCrossEntropyJvp";
    int n = checkLabels(op, logits, labels);
    Shapes.accumulator(op, "dlogits", dlogits, "logits", logits);
    if (dlogits == null || n == 0) {
      return 0.0;
    }
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double[] x = logits[i];
      double[] d = dlogits[i];
      double lse = logSumExpRow(x);
      double row = 0.0;
      for (int j = 0; j < x.length; j++) {
        row += d[j] * Math.exp(x[j] - lse);
      }
      total += row - d[labels[i]];
    }
    return total / n;
  }

  private static int checkLabels(String op, double[][] logits, int[] labels) {
    int n = Shapes.rows(op, "logits", logits);
    if (labels == null) {
      throw new IllegalArgumentException(op + ": labels is null");
    }
    if (labels.length != n) {
      throw new IllegalArgumentException(op + ": logits is " + Shapes.shape(logits)
          + " but labels has length " + labels.length);
    }
    int classes = Shapes.cols(logits);
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(op + ": logits is " + Shapes.shape(logits)
            + " but labels[" + i + "] is " + labels[i] + ", not in [0, " + classes + ")");
      }
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // shared checks and loops

  /** Checks a, result, dResult (all of a's length) and da; returns the length. */
  private static int checkUnaryBackward(String op, double[] a, double[] result, double[] dResult,
      double[] da) {
    int n = Shapes.length(op, "a", a);
    Shapes.expectLength(op, "result", result, n);
    Shapes.expectLength(op, "dResult", dResult, n);
    Shapes.accumulator(op, "da", da, "a", a);
    return n;
  }

  /** Checks a, result, dResult (all of a's shape) and da; returns the row count. */
  private static int checkUnaryBackward(String op, double[][] a, double[][] result,
      double[][] dResult, double[][] da) {
    int r = Shapes.rows(op, "a", a);
    int c = Shapes.cols(a);
    Shapes.expectShape(op, "result", result, r, c);
    Shapes.expectShape(op, "dResult", dResult, r, c);
    Shapes.accumulator(op, "da", da, "a", a);
    return r;
  }

  /** Checks a, b, result, dResult (all one length), da and db; returns the length. */
  private static int checkBinaryBackward(String op, double[] a, double[] b, double[] result,
      double[] dResult, double[] da, double[] db) {
    int n = Shapes.sameLength(op, "a", a, "b", b);
    Shapes.expectLength(op, "result", result, n);
    Shapes.expectLength(op, "dResult", dResult, n);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    return n;
  }

  /** Checks a, b, result, dResult (all one shape), da and db; returns the row count. */
  private static int checkBinaryBackward(String op, double[][] a, double[][] b,
      double[][] result, double[][] dResult, double[][] da, double[][] db) {
    int r = Shapes.sameShape(op, "a", a, "b", b);
    int c = Shapes.cols(a);
    Shapes.expectShape(op, "result", result, r, c);
    Shapes.expectShape(op, "dResult", dResult, r, c);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    return r;
  }

  /** Checks a, result (of a's length) and the tangent da; returns the length. */
  private static int checkUnaryJvp(String op, double[] a, double[] result, double[] da) {
    int n = Shapes.length(op, "a", a);
    Shapes.expectLength(op, "result", result, n);
    Shapes.accumulator(op, "da", da, "a", a); // a tangent, like an accumulator, may be null
    return n;
  }

  /** Checks a, result (of a's shape) and the tangent da; returns the row count. */
  private static int checkUnaryJvp(String op, double[][] a, double[][] result, double[][] da) {
    int r = Shapes.rows(op, "a", a);
    Shapes.expectShape(op, "result", result, r, Shapes.cols(a));
    Shapes.accumulator(op, "da", da, "a", a);
    return r;
  }

  /** Checks a, b, result (all one length) and the tangents da, db; returns the length. */
  private static int checkBinaryJvp(String op, double[] a, double[] b, double[] result,
      double[] da, double[] db) {
    int n = Shapes.sameLength(op, "a", a, "b", b);
    Shapes.expectLength(op, "result", result, n);
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    return n;
  }

  /** Checks a, b, result (all one shape) and the tangents da, db; returns the row count. */
  private static int checkBinaryJvp(String op, double[][] a, double[][] b, double[][] result,
      double[][] da, double[][] db) {
    int r = Shapes.sameShape(op, "a", a, "b", b);
    Shapes.expectShape(op, "result", result, r, Shapes.cols(a));
    Shapes.accumulator(op, "da", da, "a", a);
    Shapes.accumulator(op, "db", db, "b", b);
    return r;
  }

  /** {@code y[from..to) += alpha · x[from..to)}; the loop the JIT vectorises. */
  private static void axpy(double alpha, double[] x, double[] y, int from, int to) {
    for (int j = from; j < to; j++) {
      y[j] += alpha * x[j];
    }
  }

  /**
   * Four axpys, {@code y += a0 x0}, then {@code a1 x1}, {@code a2 x2}, {@code a3 x3}, in one pass
   * over y: y is loaded and stored once per four products, and each element is summed in the same
   * order as by four separate axpys (so results stay bitwise equal to the naive loops).
   */
  private static void axpy4(double a0, double[] x0, double a1, double[] x1, double a2,
      double[] x2, double a3, double[] x3, double[] y, int from, int to) {
    for (int j = from; j < to; j++) {
      double t = y[j] + a0 * x0[j];
      t += a1 * x1[j];
      t += a2 * x2[j];
      y[j] = t + a3 * x3[j];
    }
  }

  /** {@code y += alpha} elementwise. */
  private static void addConstant(double alpha, double[] y) {
    for (int j = 0; j < y.length; j++) {
      y[j] += alpha;
    }
  }

  /** {@code Σ x[from..to) y[from..to)} with four independent partial sums. */
  private static double dotRange(double[] x, double[] y, int from, int to) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int j = from;
    for (; j + 3 < to; j += 4) {
      s0 += x[j] * y[j];
      s1 += x[j + 1] * y[j + 1];
      s2 += x[j + 2] * y[j + 2];
      s3 += x[j + 3] * y[j + 3];
    }
    for (; j < to; j++) {
      s0 += x[j] * y[j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code Σ x} with four independent partial sums. */
  private static double sumRow(double[] x) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int j = 0;
    for (; j + 3 < x.length; j += 4) {
      s0 += x[j];
      s1 += x[j + 1];
      s2 += x[j + 2];
      s3 += x[j + 3];
    }
    for (; j < x.length; j++) {
      s0 += x[j];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
