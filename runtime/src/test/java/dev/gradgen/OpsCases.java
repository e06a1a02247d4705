package dev.gradgen;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Every {@link Ops} kernel of the fixed contract, with a generator of valid random arguments, and
 * reflection helpers that find its backward function by the naming and signature convention.
 */
final class OpsCases {
  private OpsCases() {}

  static final Class<?> D = double.class;
  static final Class<?> V = double[].class;
  static final Class<?> M = double[][].class;
  static final Class<?> L = int[].class;

  /** Arguments for dims (n, m, k); shapes are drawn from these as each kernel needs. */
  interface Gen {
    Object[] make(Random r, int n, int m, int k);
  }

  record Case(String name, Class<?>[] params, Gen gen) {
    Method forward() {
      try {
        return Ops.class.getMethod(name, params);
      } catch (NoSuchMethodException e) {
        throw new AssertionError("missing kernel " + this, e);
      }
    }

    /** The backward signature the convention prescribes. */
    Class<?>[] backwardParams() {
      List<Class<?>> types = new ArrayList<>(Arrays.asList(params));
      Class<?> r = forward().getReturnType();
      types.add(r);
      types.add(r);
      for (Class<?> p : params) {
        if (p == V || p == M) {
          types.add(p);
        }
      }
      return types.toArray(new Class<?>[0]);
    }

    Class<?> backwardReturn() {
      long scalars = Arrays.stream(params).filter(p -> p == D).count();
      return scalars == 1 ? double.class : void.class;
    }

    Method backward() {
      try {
        return Ops.class.getMethod(name + "Backward", backwardParams());
      } catch (NoSuchMethodException e) {
        throw new AssertionError("missing backward for " + this, e);
      }
    }

    /** Indices of the parameters that get accumulators, in order. */
    int[] arrayParams() {
      int[] idx = new int[params.length];
      int c = 0;
      for (int i = 0; i < params.length; i++) {
        if (params[i] == V || params[i] == M) {
          idx[c++] = i;
        }
      }
      return Arrays.copyOf(idx, c);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(name).append('(');
      for (int i = 0; i < params.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(params[i].getSimpleName());
      }
      return sb.append(')').toString();
    }
  }

  static Case c(String name, Gen gen, Class<?>... params) {
    return new Case(name, params, gen);
  }

  /** The fixed contract: every kernel, once per overload. */
  static final List<Case> ALL = List.of(
      c("dot", (r, n, m, k) -> new Object[] {vec(r, n), vec(r, n)}, V, V),
      c("sum", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("sum", (r, n, m, k) -> new Object[] {mat(r, n, m)}, M),
      c("mean", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("mean", (r, n, m, k) -> new Object[] {mat(r, n, m)}, M),
      c("sumOfSquares", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("add", (r, n, m, k) -> new Object[] {vec(r, n), vec(r, n)}, V, V),
      c("sub", (r, n, m, k) -> new Object[] {vec(r, n), vec(r, n)}, V, V),
      c("mul", (r, n, m, k) -> new Object[] {vec(r, n), vec(r, n)}, V, V),
      c("add", (r, n, m, k) -> new Object[] {mat(r, n, m), mat(r, n, m)}, M, M),
      c("sub", (r, n, m, k) -> new Object[] {mat(r, n, m), mat(r, n, m)}, M, M),
      c("mul", (r, n, m, k) -> new Object[] {mat(r, n, m), mat(r, n, m)}, M, M),
      c("scale", (r, n, m, k) -> new Object[] {uniform(r), vec(r, n)}, D, V),
      c("scale", (r, n, m, k) -> new Object[] {uniform(r), mat(r, n, m)}, D, M),
      c("matvec", (r, n, m, k) -> new Object[] {mat(r, n, m), vec(r, m)}, M, V),
      c("matmul", (r, n, m, k) -> new Object[] {mat(r, n, k), mat(r, k, m)}, M, M),
      c("transpose", (r, n, m, k) -> new Object[] {mat(r, n, m)}, M),
      c("outer", (r, n, m, k) -> new Object[] {vec(r, n), vec(r, m)}, V, V),
      c("addRowVector", (r, n, m, k) -> new Object[] {mat(r, n, m), vec(r, m)}, M, V),
      c("exp", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("log", (r, n, m, k) -> new Object[] {positive(r, n)}, V),
      c("tanh", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("sigmoid", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("relu", (r, n, m, k) -> new Object[] {awayFromZero(r, n)}, V),
      c("square", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("exp", (r, n, m, k) -> new Object[] {mat(r, n, m)}, M),
      c("log", (r, n, m, k) -> new Object[] {rows(n, () -> positive(r, m))}, M),
      c("tanh", (r, n, m, k) -> new Object[] {mat(r, n, m)}, M),
      c("sigmoid", (r, n, m, k) -> new Object[] {mat(r, n, m)}, M),
      c("relu", (r, n, m, k) -> new Object[] {rows(n, () -> awayFromZero(r, m))}, M),
      c("square", (r, n, m, k) -> new Object[] {mat(r, n, m)}, M),
      c("logSumExp", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("softmax", (r, n, m, k) -> new Object[] {vec(r, n)}, V),
      c("softmaxRows", (r, n, m, k) -> new Object[] {mat(r, n, m)}, M),
      c("softmaxCrossEntropy", (r, n, m, k) -> new Object[] {mat(r, n, m), labels(r, n, m)}, M, L),
      c("logSoftmax", (r, n, m, k) -> new Object[] {vec(r, n)}, V));

  static double uniform(Random r) {
    return 4 * r.nextDouble() - 2;
  }

  static double[] vec(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = uniform(r);
    }
    return v;
  }

  static double[][] mat(Random r, int n, int m) {
    return rows(n, () -> vec(r, m));
  }

  static double[][] rows(int n, java.util.function.Supplier<double[]> row) {
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = row.get();
    }
    return a;
  }

  static double[] positive(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 0.5 + 1.5 * r.nextDouble();
    }
    return v;
  }

  /** Entries with |x| in [0.1, 1], so finite differences never straddle relu's kink. */
  static double[] awayFromZero(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (r.nextBoolean() ? 1 : -1) * (0.1 + 0.9 * r.nextDouble());
    }
    return v;
  }

  static int[] labels(Random r, int n, int classes) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(classes);
    }
    return y;
  }

  // --- reflection and value helpers ---

  static Object invoke(Method method, Object... args) {
    try {
      return method.invoke(null, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new AssertionError(e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /** Calls the backward function: {@code args..., result, dResult, accumulators...}. */
  static Object backward(Case c, Object[] args, Object result, Object dResult, Object[] accs) {
    Object[] all = new Object[args.length + 2 + accs.length];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = result;
    all[args.length + 1] = dResult;
    System.arraycopy(accs, 0, all, args.length + 2, accs.length);
    return invoke(c.backward(), all);
  }

  static Object deepCopy(Object o) {
    if (o instanceof double[] v) {
      return v.clone();
    }
    if (o instanceof double[][] m) {
      double[][] c = new double[m.length][];
      for (int i = 0; i < m.length; i++) {
        c[i] = m[i].clone();
      }
      return c;
    }
    if (o instanceof int[] v) {
      return v.clone();
    }
    if (o instanceof Object[] os) {
      return deepCopyAll(os);
    }
    return o;
  }

  static Object[] deepCopyAll(Object[] os) {
    Object[] c = new Object[os.length];
    for (int i = 0; i < os.length; i++) {
      c[i] = deepCopy(os[i]);
    }
    return c;
  }

  /** Bitwise equality of values (NaN equals NaN, 0.0 differs from -0.0). */
  static boolean same(Object a, Object b) {
    return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
  }

  /** A random value of the shape of {@code like}. */
  static Object randomLike(Random r, Object like) {
    if (like instanceof Double) {
      return uniform(r);
    }
    if (like instanceof double[] v) {
      return vec(r, v.length);
    }
    double[][] m = (double[][]) like;
    return rows(m.length, () -> vec(r, m[0].length));
  }

  static Object zerosLike(Object like) {
    if (like instanceof double[] v) {
      return new double[v.length];
    }
    double[][] m = (double[][]) like;
    return rows(m.length, () -> new double[m[0].length]);
  }

  /** {@code ⟨x, y⟩} for two values of one shape. */
  static double inner(Object x, Object y) {
    if (x instanceof Double a) {
      return a * (Double) y;
    }
    if (x instanceof double[] a) {
      double s = 0;
      for (int i = 0; i < a.length; i++) {
        s += a[i] * ((double[]) y)[i];
      }
      return s;
    }
    double[][] a = (double[][]) x;
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += inner(a[i], ((double[][]) y)[i]);
    }
    return s;
  }

  /** Flattens a double[] or double[][] into one array (row-major). */
  static double[] flat(Object o) {
    if (o instanceof double[] v) {
      return v;
    }
    return Arrays.stream((double[][]) o).flatMapToDouble(Arrays::stream).toArray();
  }
}
