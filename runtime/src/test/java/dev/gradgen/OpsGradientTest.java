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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gradgen.OpsCases.Case;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel's backward function against central finite differences of {@code ⟨dResult,
 * f(x)⟩}, perturbing every input entry, on shapes including 1x1, 1xn and nx1; plus the signature
 * convention, null accumulators, and accumulation.
 */
class OpsGradientTest {
  private static final double H = 1e-5;

  /** (n, m, k): vectors have length n (outer's b: m), matrices n x m, matmul n x k times k x m. */
  static final int[][] DIMS = dims();

  private static int[][] dims() {
    List<int[]> d = new ArrayList<>(List.of(
        new int[] {1, 1, 1}, new int[] {1, 5, 1}, new int[] {5, 1, 1}, new int[] {1, 1, 5},
        new int[] {1, 4, 3}, new int[] {4, 1, 3}, new int[] {3, 4, 2}, new int[] {2, 3, 5}));
    Random r = new Random(2024);
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
    return new Random(c.toString().hashCode() * 31L + n * 961L + m * 31L + k);
  }

  // --- the signature convention ---

  // The guard that every public method of Ops is a kernel, its backward or its forward rule is
  // OpsJvpTest.everyPublicMethodIsAKernelItsBackwardOrItsForwardRule.

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void backwardFollowsTheConvention(Case c) {
    Method f = c.forward();
    Method b = c.backward();
    assertTrue(Modifier.isStatic(f.getModifiers()) && Modifier.isStatic(b.getModifiers()));
    assertEquals(c.backwardReturn(), b.getReturnType(), "return type of " + b);
  }

  // --- gradients ---

  @ParameterizedTest(name = "{0} n={1} m={2} k={3}")
  @MethodSource("casesAndDims")
  void backwardMatchesFiniteDifferences(Case c, int n, int m, int k) {
    Random r = random(c, n, m, k);
    Object[] args = c.gen().make(r, n, m, k);
    Object[] pristine = deepCopyAll(args);
    Method f = c.forward();
    Object result = invoke(f, args);
    assertTrue(same(pristine, args), "forward modified its arguments");
    Object dResult = randomLike(r, result);
    int[] arrays = c.arrayParams();
    Object[] accs = new Object[arrays.length];
    for (int a = 0; a < arrays.length; a++) {
      accs[a] = zerosLike(args[arrays[a]]);
    }
    Object resultCopy = deepCopy(result);
    Object dResultCopy = deepCopy(dResult);
    Object scalarAdjoint = backward(c, args, result, dResult, accs);
    assertTrue(same(pristine, args), "backward modified its arguments");
    assertTrue(same(resultCopy, result), "backward modified result");
    assertTrue(same(dResultCopy, dResult), "backward modified dResult");

    int acc = 0;
    for (int p = 0; p < args.length; p++) {
      Class<?> type = c.params()[p];
      if (type == D) {
        double fd = finiteDifference(f, args, dResult, p, -1, -1);
        assertClose(fd, (Double) scalarAdjoint, c + ": d/d" + p);
      } else if (type == V) {
        double[] g = (double[]) accs[acc++];
        for (int i = 0; i < g.length; i++) {
          assertClose(finiteDifference(f, args, dResult, p, i, -1), g[i],
              c + ": d/d arg" + p + "[" + i + "]");
        }
      } else if (type == M) {
        double[][] g = (double[][]) accs[acc++];
        for (int i = 0; i < g.length; i++) {
          for (int j = 0; j < g[i].length; j++) {
            assertClose(finiteDifference(f, args, dResult, p, i, j), g[i][j],
                c + ": d/d arg" + p + "[" + i + "][" + j + "]");
          }
        }
      }
    }
    if (c.backwardReturn() == void.class) {
      assertNull(scalarAdjoint);
    } else {
      assertNotNull(scalarAdjoint);
    }
  }

  /** Central difference of {@code ⟨dResult, f(args)⟩} in one entry of argument {@code p}. */
  private static double finiteDifference(Method f, Object[] args, Object dResult, int p, int i,
      int j) {
    Object[] x = deepCopyAll(args);
    double plus = probe(f, x, dResult, p, i, j, H);
    double minus = probe(f, x, dResult, p, i, j, -H);
    return (plus - minus) / (2 * H);
  }

  private static double probe(Method f, Object[] x, Object dResult, int p, int i, int j,
      double h) {
    Object saved = deepCopy(x[p]);
    if (x[p] instanceof Double s) {
      x[p] = s + h;
    } else if (x[p] instanceof double[] v) {
      v[i] += h;
    } else {
      ((double[][]) x[p])[i][j] += h;
    }
    double value = inner(dResult, invoke(f, x));
    x[p] = saved;
    return value;
  }

  private static void assertClose(double expected, double actual, String what) {
    double tol = 1e-6 * (1 + Math.abs(expected));
    if (!(Math.abs(expected - actual) <= tol)) {
      fail(what + ": finite difference " + expected + " but backward gave " + actual);
    }
  }

  // --- null accumulators and accumulation ---

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nullAccumulatorsTouchNothingAndSkipOnlyTheirOwnWork(Case c) {
    Random r = random(c, 3, 4, 2);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    Object dResult = randomLike(r, result);
    int[] arrays = c.arrayParams();
    Object[] before = deepCopyAll(new Object[] {args, result, dResult});

    Object[] all = new Object[arrays.length];
    for (int a = 0; a < arrays.length; a++) {
      all[a] = zerosLike(args[arrays[a]]);
    }
    Object fullScalar = backward(c, args, result, dResult, all);

    Object noneScalar = backward(c, args, result, dResult, new Object[arrays.length]);
    assertTrue(same(before, new Object[] {args, result, dResult}), "something was modified");
    assertTrue(same(fullScalar, noneScalar), "the scalar adjoint depends on the accumulators");

    for (int only = 0; only < arrays.length; only++) {
      Object[] one = new Object[arrays.length];
      one[only] = zerosLike(args[arrays[only]]);
      backward(c, args, result, dResult, one);
      assertTrue(same(all[only], one[only]),
          c + ": accumulator " + only + " differs when the others are null");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void accumulatorsAccumulate(Case c) {
    Random r = random(c, 4, 3, 5);
    Object[] args = c.gen().make(r, 4, 3, 5);
    Object result = invoke(c.forward(), args);
    Object dResult = randomLike(r, result);
    int[] arrays = c.arrayParams();
    Object[] start = new Object[arrays.length];
    Object[] once = new Object[arrays.length];
    for (int a = 0; a < arrays.length; a++) {
      start[a] = randomLike(r, args[arrays[a]]);
      once[a] = deepCopy(start[a]);
    }
    Object[] twice = deepCopyAll(once);
    backward(c, args, result, dResult, once);
    backward(c, args, result, dResult, twice);
    backward(c, args, result, dResult, twice);
    for (int a = 0; a < arrays.length; a++) {
      double[] s = flat(start[a]);
      double[] o = flat(once[a]);
      double[] t = flat(twice[a]);
      for (int i = 0; i < s.length; i++) {
        double g = o[i] - s[i];
        assertEquals(s[i] + 2 * g, t[i], 1e-12 * (1 + Math.abs(t[i])),
            c + ": accumulator " + a + " entry " + i);
      }
    }
  }

  @Test
  void oneAccumulatorMayServeTwoParameters() {
    Random r = new Random(5);
    double[] x = OpsCases.vec(r, 6);
    double[] dy = OpsCases.vec(r, 6);
    double[] dx = new double[6];
    Ops.mulBackward(x, x, Ops.mul(x, x), dy, dx, dx);
    for (int i = 0; i < 6; i++) {
      assertEquals(2 * x[i] * dy[i], dx[i], 1e-15);
    }

    double[][] a = OpsCases.mat(r, 5, 5);
    double[][] g = OpsCases.mat(r, 5, 5);
    double[][] shared = new double[5][5];
    double[][] da = new double[5][5];
    double[][] db = new double[5][5];
    Ops.matmulBackward(a, a, Ops.matmul(a, a), g, shared, shared);
    Ops.matmulBackward(a, a, Ops.matmul(a, a), g, da, db);
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(da[i][j] + db[i][j], shared[i][j], 1e-12);
      }
    }
  }
}
