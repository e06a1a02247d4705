package dev.gradgen;

import static dev.gradgen.OpsCases.ALL;
import static dev.gradgen.OpsCases.D;
import static dev.gradgen.OpsCases.M;
import static dev.gradgen.OpsCases.V;
import static dev.gradgen.OpsCases.backward;
import static dev.gradgen.OpsCases.deepCopy;
import static dev.gradgen.OpsCases.deepCopyAll;
import static dev.gradgen.OpsCases.flat;
import static dev.gradgen.OpsCases.inner;
import static dev.gradgen.OpsCases.invoke;
import static dev.gradgen.OpsCases.randomLike;
import static dev.gradgen.OpsCases.same;
import static dev.gradgen.OpsCases.zerosLike;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gradgen.OpsCases.Case;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forward-mode rules {@code fJvp}: against central finite differences of the kernel along a
 * random direction, against the backward function through {@code ⟨J u, v⟩ = ⟨u, Jᵀ v⟩}, null
 * tangents, shape errors, closed forms at extreme inputs and kinks, the blocked products against
 * naive loops, and allocation.
 */
class OpsJvpTest {
  private static final double H = 1e-5;

  /** (n, m, k) as in {@link OpsCases}: 1x1, 1xn, nx1, non-square, and a few random shapes. */
  static final int[][] DIMS = dims();

  private static int[][] dims() {
    List<int[]> d = new ArrayList<>(List.of(
        new int[] {1, 1, 1}, new int[] {1, 5, 1}, new int[] {5, 1, 1}, new int[] {1, 1, 5},
        new int[] {1, 4, 3}, new int[] {4, 1, 3}, new int[] {3, 4, 2}, new int[] {2, 3, 5}));
    Random r = new Random(4242);
    for (int i = 0; i < 3; i++) {
      d.add(new int[] {1 + r.nextInt(6), 1 + r.nextInt(6), 1 + r.nextInt(6)});
    }
    return d.toArray(new int[0][]);
  }

  static Stream<Arguments> casesAndDims() {
    return ALL.stream().flatMap(c -> Stream.of(DIMS).map(d -> Arguments.of(c, d[0], d[1], d[2])));
  }

  static Stream<Case> cases() {
    return ALL.stream();
  }

  private static Random random(Case c, int n, int m, int k) {
    return new Random(c.toString().hashCode() * 7919L + n * 961L + m * 31L + k + 17);
  }

  // --- the convention, by reflection ---

  /** Indices of the parameters that get a tangent ({@code double}, {@code double[]}, ...). */
  static int[] tangentParams(Case c) {
    return java.util.stream.IntStream.range(0, c.params().length)
        .filter(i -> c.params()[i] == D || c.params()[i] == V || c.params()[i] == M).toArray();
  }

  /** The forward-rule signature the convention prescribes. */
  static Class<?>[] jvpParams(Case c) {
    List<Class<?>> types = new ArrayList<>(Arrays.asList(c.params()));
    types.add(c.forward().getReturnType());
    for (int p : tangentParams(c)) {
      types.add(c.params()[p]);
    }
    return types.toArray(new Class<?>[0]);
  }

  static Method jvp(Case c) {
    try {
      return Ops.class.getMethod(c.name() + "Jvp", jvpParams(c));
    } catch (NoSuchMethodException e) {
      throw new AssertionError("missing forward rule for " + c, e);
    }
  }

  /** Calls the forward rule: {@code args..., result, tangents...}. */
  static Object callJvp(Case c, Object[] args, Object result, Object[] tangents) {
    Object[] all = new Object[args.length + 1 + tangents.length];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = result;
    System.arraycopy(tangents, 0, all, args.length + 1, tangents.length);
    return invoke(jvp(c), all);
  }

  static Object[] randomTangents(Random r, Case c, Object[] args) {
    int[] ps = tangentParams(c);
    Object[] u = new Object[ps.length];
    for (int t = 0; t < ps.length; t++) {
      u[t] = randomLike(r, args[ps[t]]);
    }
    return u;
  }

  /** The constant tangent of each parameter: {@code null} for arrays, 0 for numbers. */
  static Object[] constantTangents(Case c) {
    int[] ps = tangentParams(c);
    Object[] u = new Object[ps.length];
    for (int t = 0; t < ps.length; t++) {
      u[t] = c.params()[ps[t]] == D ? (Object) 0.0 : null;
    }
    return u;
  }

  static Object zeroTangent(Object like) {
    return like instanceof Double ? (Object) 0.0 : zerosLike(like);
  }

  @Test
  void everyPublicMethodIsAKernelItsBackwardOrItsForwardRule() {
    Set<Method> expected = new HashSet<>();
    for (Case c : ALL) {
      expected.add(c.forward());
      expected.add(c.backward());
      expected.add(jvp(c));
    }
    for (Method method : Ops.class.getDeclaredMethods()) {
      if (Modifier.isPublic(method.getModifiers())) {
        assertTrue(expected.contains(method), "not in the contract: " + method);
      }
    }
    assertEquals(3 * ALL.size(), expected.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardRuleFollowsTheConvention(Case c) {
    Method j = jvp(c);
    assertTrue(Modifier.isStatic(j.getModifiers()) && Modifier.isPublic(j.getModifiers()), j
        .toString());
    assertEquals(c.forward().getReturnType(), j.getReturnType(), "return type of " + j);
  }

  // --- 1. against finite differences of the kernel ---

  @ParameterizedTest(name = "{0} n={1} m={2} k={3}")
  @MethodSource("casesAndDims")
  void jvpMatchesFiniteDifferences(Case c, int n, int m, int k) {
    Random r = random(c, n, m, k);
    Object[] args = c.gen().make(r, n, m, k);
    Method f = c.forward();
    Object result = invoke(f, args);
    Object[] u = randomTangents(r, c, args);
    Object[] before = deepCopyAll(new Object[] {args, result, u});
    Object t = callJvp(c, args, result, u);
    assertTrue(same(before, new Object[] {args, result, u}),
        c + ": the forward rule modified an argument, result or a tangent");
    assertSameShape(result, t, c.toString());
    assertFresh(t, args, result, u);

    Object plus = invoke(f, step(c, args, u, H));
    Object minus = invoke(f, step(c, args, u, -H));
    double[] fp = values(plus);
    double[] fm = values(minus);
    double[] got = values(t);
    for (int i = 0; i < got.length; i++) {
      double fd = (fp[i] - fm[i]) / (2 * H);
      double tol = 1e-6 * (1 + Math.abs(fd));
      if (!(Math.abs(fd - got[i]) <= tol)) {
        fail(c + " n=" + n + " m=" + m + " k=" + k + ": entry " + i + ": finite difference "
            + fd + " but the forward rule gave " + got[i]);
      }
    }
  }

  /** {@code args + h·u}, the tangent-carrying arguments moved along their tangents. */
  private static Object[] step(Case c, Object[] args, Object[] u, double h) {
    Object[] x = deepCopyAll(args);
    int[] ps = tangentParams(c);
    for (int t = 0; t < ps.length; t++) {
      int p = ps[t];
      if (x[p] instanceof Double s) {
        x[p] = s + h * (Double) u[t];
      } else if (x[p] instanceof double[] v) {
        double[] d = (double[]) u[t];
        for (int i = 0; i < v.length; i++) {
          v[i] += h * d[i];
        }
      } else {
        double[][] a = (double[][]) x[p];
        double[][] d = (double[][]) u[t];
        for (int i = 0; i < a.length; i++) {
          for (int j = 0; j < a[i].length; j++) {
            a[i][j] += h * d[i][j];
          }
        }
      }
    }
    return x;
  }

  private static double[] values(Object o) {
    return o instanceof Double d ? new double[] {d} : flat(o);
  }

  private static void assertSameShape(Object expected, Object actual, String what) {
    if (expected instanceof Double) {
      assertTrue(actual instanceof Double, what + ": not a double");
    } else if (expected instanceof double[] e) {
      assertEquals(e.length, ((double[]) actual).length, what + ": length");
    } else {
      double[][] e = (double[][]) expected;
      double[][] a = (double[][]) actual;
      assertEquals(e.length, a.length, what + ": rows");
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i].length, a[i].length, what + ": length of row " + i);
      }
    }
  }

  /** {@code t}, and each of its rows, is none of the arrays (or rows) reachable from others. */
  private static void assertFresh(Object t, Object... others) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(others, seen);
    if (t instanceof double[] v) {
      assertTrue(!seen.contains(v), "the tangent is not a new array");
    } else if (t instanceof double[][] m) {
      assertTrue(!seen.contains(m), "the tangent is not a new array");
      Set<Object> rows = Collections.newSetFromMap(new IdentityHashMap<>());
      for (double[] row : m) {
        assertTrue(!seen.contains(row) && rows.add(row), "a row of the tangent is shared");
      }
    }
  }

  private static void collect(Object o, Set<Object> seen) {
    if (o instanceof Object[] os) {
      seen.add(o);
      for (Object x : os) {
        collect(x, seen);
      }
    } else if (o != null && !(o instanceof Double)) {
      seen.add(o);
    }
  }

  // --- 2. forward against reverse: ⟨J u, v⟩ = Σ_p ⟨u_p, (Jᵀ v)_p⟩ ---

  @ParameterizedTest(name = "{0} n={1} m={2} k={3}")
  @MethodSource("casesAndDims")
  void jvpIsTheTransposeOfTheBackwardFunction(Case c, int n, int m, int k) {
    Random r = random(c, n, m, k);
    Object[] args = c.gen().make(r, n, m, k);
    Object result = invoke(c.forward(), args);
    Object[] u = randomTangents(r, c, args);
    Object v = randomLike(r, result);

    Object t = callJvp(c, args, result, u);
    double lhs = inner(t, v);
    double scale = absInner(t, v);

    int[] arrays = c.arrayParams();
    Object[] accs = new Object[arrays.length];
    for (int a = 0; a < arrays.length; a++) {
      accs[a] = zerosLike(args[arrays[a]]);
    }
    Object scalarAdjoint = backward(c, args, result, v, accs);
    double rhs = 0.0;
    int[] ps = tangentParams(c);
    int acc = 0;
    for (int q = 0; q < ps.length; q++) {
      Object g = c.params()[ps[q]] == D ? scalarAdjoint : accs[acc++];
      rhs += inner(u[q], g);
      scale += absInner(u[q], g);
    }
    double tol = 1e-12 * scale;
    if (!(Math.abs(lhs - rhs) <= tol)) {
      fail(c + " n=" + n + " m=" + m + " k=" + k + ": <J u, v> = " + lhs + " but <u, J^T v> = "
          + rhs + " (tolerance " + tol + ")");
    }
  }

  /** {@code Σ |x_i| |y_i|}: the size of the terms of {@code ⟨x, y⟩}, for relative tolerances. */
  private static double absInner(Object x, Object y) {
    double[] a = values(x);
    double[] b = values(y);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i]) * Math.abs(b[i]);
    }
    return s;
  }

  // --- 3. null tangents ---

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void allConstantTangentsGiveAFreshZeroTangent(Case c) {
    Random r = new Random(21);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    Object t = callJvp(c, args, result, constantTangents(c));
    assertSameShape(result, t, c.toString());
    assertFresh(t, args, result);
    for (double x : values(t)) {
      assertEquals(0.0, x, 0.0, c + ": all tangents null but the result's tangent is not zero");
    }
    Object[] zeros = constantTangents(c);
    int[] ps = tangentParams(c);
    for (int q = 0; q < ps.length; q++) {
      zeros[q] = zeroTangent(args[ps[q]]);
    }
    for (double x : values(callJvp(c, args, result, zeros))) {
      assertEquals(0.0, x, 0.0, c + ": all tangents zero but the result's tangent is not zero");
    }
  }

  /** Each array tangent in turn: null gives what explicit zeros give (the others random). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aNullTangentIsAZeroTangent(Case c) {
    Random r = new Random(22);
    Object[] args = c.gen().make(r, 4, 3, 5);
    Object result = invoke(c.forward(), args);
    int[] ps = tangentParams(c);
    for (int q = 0; q < ps.length; q++) {
      if (c.params()[ps[q]] == D) {
        continue;
      }
      Object[] u = randomTangents(r, c, args);
      u[q] = zeroTangent(args[ps[q]]);
      double[] withZeros = values(callJvp(c, args, result, u));
      u[q] = null;
      Object t = callJvp(c, args, result, u);
      assertFresh(t, args, result, u);
      double[] withNull = values(t);
      // Adding an exact zero changes nothing: equal as numbers (0.0 and -0.0 alike).
      assertArrayEquals(withZeros, withNull, 0.0, c + ": tangent " + q + " null vs zeros");
    }
  }

  /** {@code J(u_1, ..., u_n) = Σ_p J(0, ..., u_p, ..., 0)}, and J is linear in u. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void contributionsOfTheTangentsAddUpLinearly(Case c) {
    Random r = new Random(23);
    Object[] args = c.gen().make(r, 3, 5, 4);
    Object result = invoke(c.forward(), args);
    Object[] u = randomTangents(r, c, args);
    double[] whole = values(callJvp(c, args, result, u));
    double[] parts = new double[whole.length];
    int[] ps = tangentParams(c);
    for (int q = 0; q < ps.length; q++) {
      Object[] only = constantTangents(c);
      only[q] = u[q];
      double[] part = values(callJvp(c, args, result, only));
      for (int i = 0; i < parts.length; i++) {
        parts[i] += part[i];
      }
    }
    assertArrayEquals(whole, parts, 1e-12 * (1 + max(whole)), c + ": sum of contributions");

    Object[] twice = new Object[u.length];
    for (int q = 0; q < u.length; q++) {
      twice[q] = times(-2.5, u[q]);
    }
    double[] scaled = values(callJvp(c, args, result, twice));
    for (int i = 0; i < whole.length; i++) {
      assertEquals(-2.5 * whole[i], scaled[i], 1e-12 * (1 + Math.abs(whole[i])),
          c + ": J(-2.5 u) entry " + i);
    }
  }

  private static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static Object times(double s, Object x) {
    if (x instanceof Double d) {
      return s * d;
    }
    if (x instanceof double[] v) {
      double[] o = v.clone();
      for (int i = 0; i < o.length; i++) {
        o[i] *= s;
      }
      return o;
    }
    double[][] m = (double[][]) x;
    double[][] o = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      o[i] = (double[]) times(s, m[i]);
    }
    return o;
  }

  @Test
  void tangentsMayBeSharedAndAliasTheArguments() {
    Random r = new Random(24);
    double[] x = OpsCases.vec(r, 6);
    double[] dx = OpsCases.vec(r, 6);
    double[] t = Ops.mulJvp(x, x, Ops.mul(x, x), dx, dx);
    double[] self = Ops.mulJvp(x, x, Ops.mul(x, x), x, x);
    for (int i = 0; i < 6; i++) {
      assertEquals(2 * x[i] * dx[i], t[i], 1e-15);
      assertEquals(2 * x[i] * x[i], self[i], 1e-15);
    }
  }

  // --- 4. shape errors ---

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  /** Each array tangent in turn of the wrong shape (the others valid): IAE naming the rule. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aWrongTangentIsRejected(Case c) {
    Random r = new Random(31);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    Object[] u = randomTangents(r, c, args);
    int checked = 0;
    for (int q = 0; q < u.length; q++) {
      if (u[q] instanceof Double) {
        continue;
      }
      Object[] bad = u.clone();
      bad[q] = u[q] instanceof double[] v ? new double[v.length + 1]
          : new double[((double[][]) u[q]).length + 1][4];
      String msg = message(() -> callJvp(c, args, result, bad));
      assertTrue(msg.startsWith(c.name() + "Jvp: d") && msg.contains(" but "), msg);
      Object[] alone = constantTangents(c);
      alone[q] = bad[q];
      String msgAlone = message(() -> callJvp(c, args, result, alone));
      assertEquals(msg, msgAlone);
      checked++;
    }
    assertTrue(checked > 0);
  }

  /** A ragged matrix tangent is rejected. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aRaggedTangentIsRejected(Case c) {
    Random r = new Random(32);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    int[] ps = tangentParams(c);
    for (int q = 0; q < ps.length; q++) {
      if (c.params()[ps[q]] != M) {
        continue;
      }
      Object[] u = randomTangents(r, c, args);
      double[][] m = (double[][]) u[q];
      m[m.length - 1] = new double[m[0].length + 1];
      String msg = message(() -> callJvp(c, args, result, u));
      assertTrue(msg.startsWith(c.name() + "Jvp: d") && msg.contains("ragged"), msg);
    }
  }

  /** A result of the wrong shape (or null) is rejected even with all tangents null. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aWrongResultIsRejected(Case c) {
    Random r = new Random(33);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    if (result instanceof Double) {
      return;
    }
    Object bad = result instanceof double[] v ? new double[v.length + 1]
        : new double[((double[][]) result).length + 1][1];
    String msg = message(() -> callJvp(c, args, bad, constantTangents(c)));
    assertTrue(msg.startsWith(c.name() + "Jvp: result "), msg);
    String nul = message(() -> callJvp(c, args, null, constantTangents(c)));
    assertEquals(c.name() + "Jvp: result is null", nul);
  }

  /** A wrong or ragged argument is rejected by the forward rule as by the kernel. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aWrongArgumentIsRejected(Case c) {
    Random r = new Random(34);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    for (int p = 0; p < args.length; p++) {
      if (c.params()[p] != V && c.params()[p] != M) {
        continue;
      }
      Object[] bad = deepCopyAll(args);
      bad[p] = null;
      String msg = message(() -> callJvp(c, bad, result, constantTangents(c)));
      assertTrue(msg.startsWith(c.name() + "Jvp: ") && msg.endsWith(" is null"), msg);
      if (c.params()[p] == M) {
        Object[] ragged = deepCopyAll(args);
        double[][] m = (double[][]) ragged[p];
        m[m.length - 1] = new double[m[0].length + 1];
        String rag = message(() -> callJvp(c, ragged, result, constantTangents(c)));
        assertTrue(rag.startsWith(c.name() + "Jvp: ") && rag.contains("ragged"), rag);
      }
    }
  }

  @Test
  void exactMessages() {
    double[][] a = new double[3][4];
    double[][] b = new double[4][2];
    double[][] c = Ops.matmul(a, b);
    assertEquals("matmulJvp: da is 3x5 but a is 3x4",
        message(() -> Ops.matmulJvp(a, b, c, new double[3][5], null)));
    assertEquals("matmulJvp: db is 2x4 but b is 4x2",
        message(() -> Ops.matmulJvp(a, b, c, null, new double[2][4])));
    assertEquals("matmulJvp: result is 3x3 but should be 3x2",
        message(() -> Ops.matmulJvp(a, b, new double[3][3], null, null)));
    assertEquals("matmulJvp: a is 3x4 but b is 5x2",
        message(() -> Ops.matmulJvp(a, new double[5][2], c, null, null)));
    assertEquals("addJvp: db has length 1 but b has length 2",
        message(() -> Ops.addJvp(new double[2], new double[2], new double[2], null,
            new double[1])));
    assertEquals("dotJvp: da has length 3 but a has length 2",
        message(() -> Ops.dotJvp(new double[2], new double[2], 0.0, new double[3], null)));
    assertEquals("softmaxJvp: result has length 2 but should have length 3",
        message(() -> Ops.softmaxJvp(new double[3], new double[2], null)));
    assertEquals("matvecJvp: dv has length 4 but v has length 3",
        message(() -> Ops.matvecJvp(new double[2][3], new double[3], new double[2], null,
            new double[4])));
    assertEquals("addRowVectorJvp: drow has length 2 but row has length 3",
        message(() -> Ops.addRowVectorJvp(new double[2][3], new double[3], new double[2][3],
            null, new double[2])));
    assertEquals("transposeJvp: result is 2x3 but should be 3x2",
        message(() -> Ops.transposeJvp(new double[2][3], new double[2][3], null)));
    assertEquals("outerJvp: da has length 1 but a has length 2",
        message(() -> Ops.outerJvp(new double[2], new double[3], new double[2][3],
            new double[1], null)));
    assertEquals("scaleJvp: da is 3x2 but a is 2x3",
        message(() -> Ops.scaleJvp(1.0, new double[2][3], new double[2][3], 1.0,
            new double[3][2])));
    assertEquals("tanhJvp: da is ragged: row 0 has length 2 but row 1 has length 1",
        message(() -> Ops.tanhJvp(new double[2][2], new double[2][2],
            new double[][] {{1, 2}, {3}})));
    double[][] logits = new double[2][3];
    assertEquals("softmaxCrossEntropyJvp: logits is 2x3 but labels has length 3",
        message(() -> Ops.softmaxCrossEntropyJvp(logits, new int[3], 0.0, null)));
    assertEquals("softmaxCrossEntropyJvp: logits is 2x3 but labels[1] is 3, not in [0, 3)",
        message(() -> Ops.softmaxCrossEntropyJvp(logits, new int[] {0, 3}, 0.0, null)));
    assertEquals("softmaxCrossEntropyJvp: dlogits is 3x2 but logits is 2x3",
        message(() -> Ops.softmaxCrossEntropyJvp(logits, new int[2], 0.0, new double[3][2])));
  }

  // --- closed forms: kinks, extreme inputs, empty shapes ---

  @Test
  void reluTangentAtZeroIsZero() {
    double[] a = {0.0, -0.0, 1.0, -1.0, Double.NaN};
    double[] t = Ops.reluJvp(a, Ops.relu(a), new double[] {5, 6, 7, 8, 9});
    assertArrayEquals(new double[] {0, 0, 7, 0, 0}, t, 0);
    double[][] m = {{0.0, 2.0}, {-3.0, 0.0}};
    double[][] tm = Ops.reluJvp(m, Ops.relu(m), new double[][] {{1, 2}, {3, 4}});
    assertArrayEquals(new double[] {0, 2}, tm[0], 0);
    assertArrayEquals(new double[] {0, 0}, tm[1], 0);
  }

  @Test
  void softmaxFamilyAtPlusMinus1000() {
    double[] a = {1000, -1000, 0};
    double[] u = {1.5, -2, 0.25};
    // softmax(a) = (1, 0, 0): t = s ⊙ (u - u_0) = 0.
    assertArrayEquals(new double[] {0, 0, 0}, Ops.softmaxJvp(a, Ops.softmax(a), u), 0);
    // logSoftmax: t = u - ⟨softmax, u⟩ = u - u_0.
    assertArrayEquals(new double[] {0, -3.5, -1.25}, Ops.logSoftmaxJvp(a, Ops.logSoftmax(a), u),
        1e-12);
    // logSumExp of (1000, 1000): the mean of the tangents.
    double[] big = {1000, 1000};
    assertEquals(0.5 * (1.5 - 2), Ops.logSumExpJvp(big, Ops.logSumExp(big), new double[] {1.5,
        -2}), 1e-12);
    double[] small = {-1000, -1000};
    assertEquals(0.5 * (1.5 - 2), Ops.logSumExpJvp(small, Ops.logSumExp(small),
        new double[] {1.5, -2}), 1e-12);
    double[][] m = {{1000, 1000}, {-1000, -1000}, {1000, -1000}};
    double[][] du = {{1, 3}, {2, -2}, {5, 6}};
    double[][] tm = Ops.softmaxRowsJvp(m, Ops.softmaxRows(m), du);
    // Rows 0 and 1: s = (1/2, 1/2), t = s ⊙ (u - mean u); row 2: s = (1, 0), t = 0.
    assertArrayEquals(new double[] {-0.5, 0.5}, tm[0], 1e-15);
    assertArrayEquals(new double[] {1, -1}, tm[1], 1e-15);
    assertArrayEquals(new double[] {0, 0}, tm[2], 0);
  }

  @Test
  void softmaxCrossEntropyAtPlusMinus1000() {
    double[][] logits = {{1000, -1000}, {-1000, 1000}, {1000, 1000}};
    int[] labels = {1, 1, 0};
    double loss = Ops.softmaxCrossEntropy(logits, labels);
    double[][] d = {{1, 2}, {3, 4}, {5, 7}};
    // Row i: ⟨softmax(logits_i), d_i⟩ - d_i[label]: (1 - 2) + (4 - 4) + (6 - 5), over 3 rows.
    assertEquals(0.0, Ops.softmaxCrossEntropyJvp(logits, labels, loss, d), 1e-12);
    d[0][0] = 4; // row 0 becomes 4 - 2
    assertEquals(1.0, Ops.softmaxCrossEntropyJvp(logits, labels, loss, d), 1e-12);
  }

  @Test
  void sigmoidAndTanhAtPlusMinus1000() {
    double[] a = {1000, -1000, 0, 40, -40};
    double[] u = {1, 2, 3, 4, 5};
    double[] ts = Ops.sigmoidJvp(a, Ops.sigmoid(a), u);
    assertEquals(0.0, ts[0]);
    assertEquals(0.0, ts[1]);
    assertEquals(0.75, ts[2]);
    for (double x : ts) {
      assertTrue(Double.isFinite(x));
    }
    double[] tt = Ops.tanhJvp(a, Ops.tanh(a), u);
    assertArrayEquals(new double[] {0, 0, 3, 0, 0}, tt, 1e-12);
  }

  /** Shift invariance: tangents at inputs near +1000 and -1000 equal those near 0. */
  @Test
  void shiftedInputsGiveTheSameTangents() {
    Random r = new Random(35);
    double[] x = OpsCases.vec(r, 5);
    double[] u = OpsCases.vec(r, 5);
    for (double shift : new double[] {1000, -1000}) {
      double[] xs = x.clone();
      for (int i = 0; i < xs.length; i++) {
        xs[i] += shift;
      }
      assertArrayEquals(Ops.softmaxJvp(x, Ops.softmax(x), u),
          Ops.softmaxJvp(xs, Ops.softmax(xs), u), 1e-10);
      assertArrayEquals(Ops.logSoftmaxJvp(x, Ops.logSoftmax(x), u),
          Ops.logSoftmaxJvp(xs, Ops.logSoftmax(xs), u), 1e-10);
      assertEquals(Ops.logSumExpJvp(x, Ops.logSumExp(x), u),
          Ops.logSumExpJvp(xs, Ops.logSumExp(xs), u), 1e-10);
    }
  }

  @Test
  void closedFormsOfTheLinearKernels() {
    double[] a = {1, 2, 3};
    double[] b = {-1, 0.5, 4};
    double[] da = {0.5, -1, 2};
    double[] db = {3, 1, -2};
    // ⟨da, b⟩ + ⟨a, db⟩ = (-0.5 - 0.5 + 8) + (3 + 2 - 6)
    assertEquals(6.0, Ops.dotJvp(a, b, Ops.dot(a, b), da, db), 1e-15);
    assertEquals(1.5, Ops.sumJvp(a, Ops.sum(a), da), 1e-15);
    assertEquals(0.5, Ops.meanJvp(a, Ops.mean(a), da), 1e-15);
    assertEquals(2 * (0.5 - 2 + 6), Ops.sumOfSquaresJvp(a, Ops.sumOfSquares(a), da), 1e-15);
    assertArrayEquals(new double[] {-2.5, -2, 4}, Ops.subJvp(a, b, Ops.sub(a, b), da, db), 0);
    assertArrayEquals(new double[] {2.5, 1.5, 2},
        Ops.mulJvp(a, b, Ops.mul(a, b), da, db), 0); // da ⊙ b + a ⊙ db
    // ds · a + s · da with s = 2, ds = -1
    assertArrayEquals(new double[] {0, -4, 1}, Ops.scaleJvp(2, a, Ops.scale(2, a), -1, da), 0);
    double[][] m = {{1, 2}, {3, 4}};
    double[][] dm = {{0, 1}, {1, 0}};
    assertEquals(0.5, Ops.meanJvp(m, Ops.mean(m), dm), 1e-15);
    assertEquals(2.0, Ops.sumJvp(m, Ops.sum(m), dm), 1e-15);
    double[][] outer = Ops.outerJvp(new double[] {1, 2}, new double[] {3}, new double[2][1],
        new double[] {1, 0}, new double[] {-1});
    assertArrayEquals(new double[] {3 - 1}, outer[0], 0);
    assertArrayEquals(new double[] {-2}, outer[1], 0);
    double[][] biased = Ops.addRowVectorJvp(m, new double[] {1, 1}, new double[2][2], dm,
        new double[] {10, 20});
    assertArrayEquals(new double[] {10, 21}, biased[0], 0);
    assertArrayEquals(new double[] {11, 20}, biased[1], 0);
    double[] mv = Ops.matvecJvp(m, new double[] {1, -1}, new double[2], dm, new double[] {1, 1});
    assertArrayEquals(new double[] {-1 + 3, 1 + 7}, mv, 0);
  }

  @Test
  void closedFormsOfTheElementwiseKernels() {
    double[] a = {0.5, 1, 2};
    double[] u = {1, -2, 3};
    assertArrayEquals(new double[] {Math.exp(0.5), -2 * Math.E, 3 * Math.exp(2)},
        Ops.expJvp(a, Ops.exp(a), u), 1e-12);
    assertArrayEquals(new double[] {2, -2, 1.5}, Ops.logJvp(a, Ops.log(a), u), 1e-15);
    assertArrayEquals(new double[] {1, -4, 12}, Ops.squareJvp(a, Ops.square(a), u), 1e-15);
    double s1 = 1 / (1 + Math.exp(-1));
    assertEquals(-2 * s1 * (1 - s1), Ops.sigmoidJvp(a, Ops.sigmoid(a), u)[1], 1e-15);
    double c2 = Math.cosh(2);
    assertEquals(3 / (c2 * c2), Ops.tanhJvp(a, Ops.tanh(a), u)[2], 1e-14);
  }

  @Test
  void mulJvpMatrixWithNullSecondTangent() {
    double[][] m = {{1, 2}, {3, 4}};
    double[][] dm = {{0, 1}, {1, 0}};
    double[][] t = Ops.mulJvp(m, m, Ops.mul(m, m), dm, null); // dm ⊙ m
    assertArrayEquals(new double[] {0, 2}, t[0], 0);
    assertArrayEquals(new double[] {3, 0}, t[1], 0);
  }

  @Test
  void emptyShapes() {
    double[][] a = new double[2][0];
    double[][] b = new double[0][3];
    double[][] c = Ops.matmul(a, b);
    double[][] t = Ops.matmulJvp(a, b, c, new double[2][0], new double[0][0]);
    assertEquals(2, t.length);
    assertEquals(0, t[0].length);
    assertEquals(0, Ops.transposeJvp(a, Ops.transpose(a), new double[2][0]).length);
    assertEquals(0.0, Ops.sumJvp(new double[0], 0.0, new double[0]));
    // An empty mean is NaN, but J is 1x0 and J·u the empty sum: 0, as ⟨gradient, u⟩ is.
    assertEquals(0.0, Ops.meanJvp(new double[0], Double.NaN, new double[0]));
    assertEquals(0.0, Ops.meanJvp(new double[3][0], Double.NaN, new double[3][0]));
    assertEquals(0.0, Ops.softmaxCrossEntropyJvp(new double[0][0], new int[0], Double.NaN,
        new double[0][0]));
    assertEquals(0.0, Ops.logSumExpJvp(new double[0], Double.NEGATIVE_INFINITY, new double[0]));
    assertEquals(0, Ops.softmaxJvp(new double[0], new double[0], new double[0]).length);
  }

  // --- blocked products against naive loops ---

  static Stream<Arguments> blockSizes() {
    // Across BLOCK_K = 64 and BLOCK_J = 256, and odd remainders of the four-way unrolling.
    return Stream.of(Arguments.of(1, 1, 1), Arguments.of(7, 65, 3), Arguments.of(65, 130, 257),
        Arguments.of(3, 200, 600), Arguments.of(130, 63, 7));
  }

  private static double[][] naive(double[][] a, double[][] b) {
    int n = a.length;
    int k = b.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[i][p] * b[p][j];
        }
        c[i][j] = s;
      }
    }
    return c;
  }

  @ParameterizedTest(name = "{0}x{1} times {1}x{2}")
  @MethodSource("blockSizes")
  void matmulJvpMatchesNaiveLoops(int n, int k, int m) {
    Random r = new Random(n * 1_000_003L + k * 1009L + m + 5);
    double[][] a = OpsCases.mat(r, n, k);
    double[][] b = OpsCases.mat(r, k, m);
    double[][] da = OpsCases.mat(r, n, k);
    double[][] db = OpsCases.mat(r, k, m);
    double[][] c = Ops.matmul(a, b);
    double[][] t = Ops.matmulJvp(a, b, c, da, db);
    double[][] x = naive(da, b);
    double[][] y = naive(a, db);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        assertEquals(x[i][j] + y[i][j], t[i][j], 1e-12 * (k + 1), "entry " + i + "," + j);
      }
    }
    double[][] onlyB = Ops.matmulJvp(a, b, c, null, db);
    for (int i = 0; i < n; i++) {
      // Same summation order as the naive loop: bitwise equal.
      assertArrayEquals(y[i], onlyB[i], 0.0, "row " + i);
    }
  }

  @Test
  void transposeJvpAcrossTiles() {
    Random r = new Random(36);
    double[][] a = OpsCases.mat(r, 70, 33);
    double[][] da = OpsCases.mat(r, 70, 33);
    double[][] t = Ops.transposeJvp(a, Ops.transpose(a), da);
    assertEquals(33, t.length);
    for (int j = 0; j < 33; j++) {
      for (int i = 0; i < 70; i++) {
        assertEquals(da[i][j], t[j][i], 0.0);
      }
    }
  }

  // --- allocation ---

  /** Where the results go, so that the JIT cannot drop their allocation. */
  private static final Object[] SINK = new Object[16];

  private static final double[] NUMBERS = new double[2];

  /** The forward rules allocate exactly as much as allocating their results alone does. */
  @Test
  void forwardRulesAllocateOnlyTheirResults() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());

    Random r = new Random(37);
    double[][] a = OpsCases.mat(r, 20, 30);
    double[][] b = OpsCases.mat(r, 30, 10);
    double[][] c = Ops.matmul(a, b);
    double[][] g = OpsCases.mat(r, 20, 10);
    double[] v = OpsCases.vec(r, 10);
    double[][] biased = Ops.addRowVector(g, v);
    double[][] sm = Ops.softmaxRows(g);
    int[] labels = OpsCases.labels(r, 20, 10);
    double loss = Ops.softmaxCrossEntropy(g, labels);
    double[] x = OpsCases.vec(r, 30);
    double[] s = Ops.softmax(x);
    double[] ls = Ops.logSoftmax(x);
    double[] mv = Ops.matvec(a, x);
    double[] dx = OpsCases.vec(r, 30);
    double[][] at = Ops.transpose(a);
    double[] w = OpsCases.vec(r, 20);

    Runnable jvps = () -> {
      SINK[0] = Ops.matmulJvp(a, b, c, a, b);
      SINK[1] = Ops.addRowVectorJvp(g, v, biased, g, v);
      SINK[2] = Ops.softmaxRowsJvp(g, sm, g);
      NUMBERS[0] = Ops.softmaxCrossEntropyJvp(g, labels, loss, g);
      SINK[4] = Ops.softmaxJvp(x, s, dx);
      SINK[5] = Ops.matvecJvp(a, x, mv, a, dx);
      SINK[6] = Ops.scaleJvp(2.0, g, g, 0.5, g);
      SINK[7] = Ops.sigmoidJvp(x, s, dx);
      SINK[8] = Ops.logSoftmaxJvp(x, ls, dx);
      SINK[9] = Ops.transposeJvp(a, at, a);
      SINK[10] = Ops.outerJvp(w, x, a, w, x);
      NUMBERS[1] = Ops.logSumExpJvp(x, 1.0, dx);
    };
    Runnable results = () -> {
      SINK[0] = new double[20][10];
      SINK[1] = new double[20][10];
      SINK[2] = new double[20][10];
      NUMBERS[0] = 0.0;
      SINK[4] = new double[30];
      SINK[5] = new double[20];
      SINK[6] = new double[20][10];
      SINK[7] = new double[30];
      SINK[8] = new double[30];
      SINK[9] = new double[30][20];
      SINK[10] = new double[20][30];
      NUMBERS[1] = 0.0;
    };
    for (int i = 0; i < 20_000; i++) {
      jvps.run(); // warm up (JIT-compiled code allocates differently from the interpreter)
      results.run();
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000; i++) {
      results.run();
    }
    long baseline = mx.getCurrentThreadAllocatedBytes() - before;
    before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000; i++) {
      jvps.run();
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    // Any extra array per call would cost at least 16 bytes x 1000 calls.
    assertTrue(allocated < baseline + 8_000,
        "forward rules allocated " + allocated + " bytes, their results alone " + baseline);
  }
}
