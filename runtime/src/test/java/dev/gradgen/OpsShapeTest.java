package dev.gradgen;

import static dev.gradgen.OpsCases.ALL;
import static dev.gradgen.OpsCases.M;
import static dev.gradgen.OpsCases.V;
import static dev.gradgen.OpsCases.backward;
import static dev.gradgen.OpsCases.deepCopy;
import static dev.gradgen.OpsCases.deepCopyAll;
import static dev.gradgen.OpsCases.invoke;
import static dev.gradgen.OpsCases.randomLike;
import static dev.gradgen.OpsCases.same;
import static dev.gradgen.OpsCases.zerosLike;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.OpsCases.Case;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Shape errors: clear messages naming the operation and both shapes, thrown before any work. */
class OpsShapeTest {

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  // --- exact messages ---

  @Test
  void matmulNamesBothShapes() {
    assertEquals("matmul: a is 3x4 but b is 5x2",
        message(() -> Ops.matmul(new double[3][4], new double[5][2])));
  }

  @Test
  void vectorLengthMismatch() {
    assertEquals("add: a has length 3 but b has length 4",
        message(() -> Ops.add(new double[3], new double[4])));
    assertEquals("dot: a has length 2 but b has length 1",
        message(() -> Ops.dot(new double[2], new double[1])));
  }

  @Test
  void matrixShapeMismatch() {
    assertEquals("mul: a is 2x3 but b is 3x2",
        message(() -> Ops.mul(new double[2][3], new double[3][2])));
    assertEquals("matvec: m is 2x3 but v has length 2",
        message(() -> Ops.matvec(new double[2][3], new double[2])));
    assertEquals("addRowVector: m is 4x3 but row has length 4",
        message(() -> Ops.addRowVector(new double[4][3], new double[4])));
  }

  @Test
  void raggedMatricesAreRejected() {
    double[][] ragged = {{1, 2}, {3, 4, 5}};
    assertEquals("matmul: a is ragged: row 0 has length 2 but row 1 has length 3",
        message(() -> Ops.matmul(ragged, new double[2][2])));
    assertEquals("exp: a is ragged: row 0 has length 2 but row 1 has length 3",
        message(() -> Ops.exp(ragged)));
    assertEquals("sum: a has a null row 1", message(() -> Ops.sum(new double[][] {{1}, null})));
    assertEquals("tanh: a is null", message(() -> Ops.tanh((double[][]) null)));
  }

  @Test
  void backwardAccumulatorMismatchNamesBothShapes() {
    double[][] a = new double[3][4];
    double[][] b = new double[4][2];
    double[][] c = Ops.matmul(a, b);
    assertEquals("matmulBackward: da is 3x3 but a is 3x4",
        message(() -> Ops.matmulBackward(a, b, c, c, new double[3][3], null)));
    assertEquals("matmulBackward: dResult is 2x3 but should be 3x2",
        message(() -> Ops.matmulBackward(a, b, c, new double[2][3], null, null)));
    assertEquals("matmulBackward: result is 3x3 but should be 3x2",
        message(() -> Ops.matmulBackward(a, b, new double[3][3], c, null, null)));
    assertEquals("softmaxBackward: dResult has length 2 but should have length 3",
        message(() -> Ops.softmaxBackward(new double[3], new double[3], new double[2], null)));
    assertEquals("addBackward: db has length 1 but b has length 2",
        message(() -> Ops.addBackward(new double[2], new double[2], new double[2],
            new double[2], null, new double[1])));
  }

  @Test
  void raggedBackwardArgumentsAreRejected() {
    double[][] a = {{1, 2}, {3, 4}};
    double[][] raggedGrad = {{1, 2}, {3}};
    assertEquals("tanhBackward: dResult is ragged: row 0 has length 2 but row 1 has length 1",
        message(() -> Ops.tanhBackward(a, Ops.tanh(a), raggedGrad, new double[2][2])));
    assertEquals("tanhBackward: da is ragged: row 0 has length 2 but row 1 has length 1",
        message(() -> Ops.tanhBackward(a, Ops.tanh(a), a, raggedGrad)));
  }

  @Test
  void matmulBackwardChecksEverythingBeforeWorking() {
    Random r = new Random(1);
    double[][] a = OpsCases.mat(r, 3, 4);
    double[][] b = OpsCases.mat(r, 4, 2);
    double[][] c = Ops.matmul(a, b);
    double[][] da = new double[3][4];
    // da is valid and comes first, db is wrong: da must still be untouched.
    message(() -> Ops.matmulBackward(a, b, c, c, da, new double[4][3]));
    assertTrue(same(new double[3][4], da));
  }

  @Test
  void labelsAreChecked() {
    double[][] logits = new double[2][3];
    assertEquals("softmaxCrossEntropy: logits is 2x3 but labels has length 3",
        message(() -> Ops.softmaxCrossEntropy(logits, new int[3])));
    assertEquals("softmaxCrossEntropy: logits is 2x3 but labels[1] is 3, not in [0, 3)",
        message(() -> Ops.softmaxCrossEntropy(logits, new int[] {0, 3})));
    assertEquals("softmaxCrossEntropyBackward: logits is 2x3 but labels[0] is -1, not in [0, 3)",
        message(() -> Ops.softmaxCrossEntropyBackward(logits, new int[] {-1, 0}, 0, 1,
            new double[2][3])));
  }

  // --- every kernel ---

  static Stream<Case> cases() {
    return ALL.stream();
  }

  static Stream<Case> casesWithMatrices() {
    return ALL.stream().filter(c -> Stream.of(c.params()).anyMatch(p -> p == M));
  }

  /** A wrong-shaped last accumulator: IAE naming the backward; the others stay untouched. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wrongAccumulatorIsRejectedBeforeAnyWork(Case c) {
    int[] arrays = c.arrayParams();
    Random r = new Random(3);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    Object dResult = randomLike(r, result);
    Object[] accs = new Object[arrays.length];
    for (int a = 0; a < arrays.length; a++) {
      accs[a] = zerosLike(args[arrays[a]]);
    }
    Object[] untouched = deepCopyAll(accs);
    int last = arrays.length - 1;
    accs[last] = accs[last] instanceof double[] v ? new double[v.length + 1]
        : new double[((double[][]) accs[last]).length + 1][4];
    String msg = message(() -> backward(c, args, result, dResult, accs));
    assertTrue(msg.startsWith(c.name() + "Backward: "), msg);
    for (int a = 0; a < last; a++) {
      assertTrue(same(untouched[a], accs[a]), "accumulator " + a + " was touched: " + msg);
    }
  }

  /** A ragged matrix argument is rejected by the kernel and by its backward. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("casesWithMatrices")
  void raggedArgumentsAreRejected(Case c) {
    Random r = new Random(4);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    Object dResult = randomLike(r, result);
    Object[] accs = new Object[c.arrayParams().length];
    for (int p = 0; p < args.length; p++) {
      if (c.params()[p] != M) {
        continue;
      }
      Object[] bad = deepCopyAll(args);
      double[][] m = (double[][]) bad[p];
      m[m.length - 1] = new double[m[0].length + 1];
      String forward = message(() -> invoke(c.forward(), bad));
      assertTrue(forward.startsWith(c.name() + ": ") && forward.contains("ragged"), forward);
      String back = message(() -> backward(c, bad, result, dResult, accs));
      assertTrue(back.startsWith(c.name() + "Backward: ") && back.contains("ragged"), back);
    }
  }

  /** A wrong-shaped dResult is rejected. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wrongDResultIsRejected(Case c) {
    Random r = new Random(6);
    Object[] args = c.gen().make(r, 3, 4, 2);
    Object result = invoke(c.forward(), args);
    if (result instanceof Double) {
      return;
    }
    Object bad = result instanceof double[] v ? new double[v.length + 1]
        : new double[((double[][]) result).length + 1][1];
    Object[] accs = new Object[c.arrayParams().length];
    String msg = message(() -> backward(c, args, result, bad, accs));
    assertTrue(msg.startsWith(c.name() + "Backward: dResult "), msg);
  }

  @Test
  void emptyShapesWork() {
    double[][] a = new double[2][0];
    double[][] b = new double[0][3];
    double[][] c = Ops.matmul(a, b);
    // A matrix without rows has no column count: b reads as 0x0, so the product is 2x0.
    assertEquals(2, c.length);
    assertEquals(0, c[0].length);
    Ops.matmulBackward(a, b, c, c, new double[2][0], new double[0][0]);
    double[][] t = Ops.transpose(a);
    assertEquals(0, t.length);
    Ops.transposeBackward(a, t, t, new double[2][0]);
    assertEquals(0.0, Ops.sum(new double[0]));
    assertEquals(Double.NEGATIVE_INFINITY, Ops.logSumExp(new double[0]));
  }

  @Test
  void nonArrayVectorsUseTheirNamesToo() {
    assertEquals("outer: b is null", message(() -> Ops.outer(new double[1], null)));
    assertEquals("scale: a is null", message(() -> Ops.scale(2.0, (double[]) null)));
    assertEquals("square: a is null", message(() -> Ops.square((double[]) null)));
    assertEquals("softmaxCrossEntropy: labels is null",
        message(() -> Ops.softmaxCrossEntropy(new double[1][1], null)));
  }

  /** Silence unused warnings for the shared imports used only via reflection. */
  @SuppressWarnings("unused")
  private static final Class<?> VECTOR = V;
}
