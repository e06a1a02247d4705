package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractTest {
  private static final double[] V = {0.5, -1.5, 2.0};
  private static final double[][] M = {{1.0, 0.5}, {-0.5, 2.0, 0.25}, {3.0, 1.0}};
  private static final double[] CV = {2.0, 1.0, -1.0};
  private static final double[][] CM = {{0.5}, {1.5}, {-2.0}};
  private static final int[] IDX = {1, 2, 0};

  private static ContractGrad.MixedGradient mixed(double s) {
    return ContractGrad.mixed(s, V, M, 0.75, CV, CM, 3, 5L, true, IDX);
  }

  @Test
  void recordComponentsAreValueThenOnePerDifferentiableParameter() {
    RecordComponent[] components = ContractGrad.MixedGradient.class.getRecordComponents();
    assertEquals(List.of("value", "s", "v", "m"),
        Arrays.stream(components).map(RecordComponent::getName).toList());
    assertEquals(List.of(double.class, double.class, double[].class, double[][].class),
        Arrays.stream(components).map(RecordComponent::getType).toList());
    assertTrue(ContractGrad.MixedGradient.class.isRecord());
  }

  @Test
  void generatedMethodsHaveTheOriginalParametersPlusBuffer() throws Exception {
    Class<?>[] params = {double.class, double[].class, double[][].class, double.class,
        double[].class, double[][].class, int.class, long.class, boolean.class, int[].class};
    Method plain = ContractGrad.class.getDeclaredMethod("mixed", params);
    assertEquals(ContractGrad.MixedGradient.class, plain.getReturnType());
    assertTrue(Modifier.isStatic(plain.getModifiers()));
    Class<?>[] withBuffer = Arrays.copyOf(params, params.length + 1);
    withBuffer[params.length] = ContractGrad.MixedGradientBuffer.class;
    Method buffered = ContractGrad.class.getDeclaredMethod("mixed", withBuffer);
    assertEquals(double.class, buffered.getReturnType());
    assertEquals(double.class, ContractGrad.MixedGradientBuffer.class.getField("s").getType());
    assertEquals(double[].class, ContractGrad.MixedGradientBuffer.class.getField("v").getType());
    assertEquals(double[][].class, ContractGrad.MixedGradientBuffer.class.getField("m").getType());
  }

  @Test
  void mixedGradientIsRight() {
    double s = 1.25;
    var g = mixed(s);
    assertEquals(Contract.mixed(s, V, M, 0.75, CV, CM, 3, 5L, true, IDX), g.value(), 0.0);
    check(a -> Contract.mixed((double) a[0], (double[]) a[1], (double[][]) a[2], 0.75, CV, CM, 3,
        5L, true, IDX), args(s, V, M), g.s(), g.v(), g.m());
    // Closed form: r = 3 (0.75 s + sum_i v_i cv_i m_i,idx_i + cm_i0 m_i0) + s^2.
    close(3 * 0.75 + 2 * s, g.s());
    close(new double[] {3 * 2.0 * 0.5, 3 * 1.0 * 0.25, 3 * -1.0 * 3.0}, g.v(), "dv");
    close(new double[][] {{3 * 0.5, 3 * 0.5 * 2.0}, {3 * 1.5, 0.0, 3 * -1.5 * 1.0},
        {3 * 2.0 * -1.0 + 3 * -2.0, 0.0}}, g.m(), "dm");
    var other = ContractGrad.mixed(s, V, M, 0.75, CV, CM, 3, 5L, false, IDX);
    close(5 * 0.75 + 2 * s, other.s());
  }

  @Test
  void bufferFormOverwritesInsteadOfAccumulating() {
    var buffer = new ContractGrad.MixedGradientBuffer(V, M);
    double first = ContractGrad.mixed(-3.0, V, M, 0.75, CV, CM, 3, 5L, false, IDX, buffer);
    double second = ContractGrad.mixed(1.25, V, M, 0.75, CV, CM, 3, 5L, true, IDX, buffer);
    double third = ContractGrad.mixed(1.25, V, M, 0.75, CV, CM, 3, 5L, true, IDX, buffer);
    var fresh = mixed(1.25);
    assertEquals(fresh.value(), second, 0.0);
    assertEquals(fresh.value(), third, 0.0);
    assertEquals(Contract.mixed(-3.0, V, M, 0.75, CV, CM, 3, 5L, false, IDX), first, 0.0);
    assertEquals(fresh.s(), buffer.s, 0.0);
    assertArrayEquals(fresh.v(), buffer.v, 0.0);
    for (int i = 0; i < M.length; i++) {
      assertArrayEquals(fresh.m()[i], buffer.m[i], 0.0);
    }
  }

  @Test
  void bufferFormOverwritesForScalarOnlyAndLoopMethods() {
    var buffer = new LoopsGrad.LoopLocalGradientBuffer(new double[3]);
    LoopsGrad.loopLocal(new double[] {5.0, 6.0, 7.0}, buffer);
    double[] a = {0.9, -1.1, 0.6};
    LoopsGrad.loopLocal(a, buffer);
    assertArrayEquals(LoopsGrad.loopLocal(a).a(), buffer.a, 0.0);
    var sb = new ScalarsGrad.CompoundGradientBuffer();
    ScalarsGrad.compound(3.0, 4.0, sb);
    ScalarsGrad.compound(0.8, -1.7, sb);
    var fresh = ScalarsGrad.compound(0.8, -1.7);
    assertEquals(fresh.x(), sb.x, 0.0);
    assertEquals(fresh.y(), sb.y, 0.0);
  }

  @Test
  void freshArraysAreNotTheBuffersOrTheArguments() {
    var g1 = mixed(1.0);
    var g2 = mixed(1.0);
    assertNotSame(g1.v(), g2.v());
    assertNotSame(V, g1.v());
    assertNotSame(M, g1.m());
  }

  @Test
  void argumentsAreNeverModified() {
    double[] v = V.clone();
    double[][] m = deepCopy(M);
    double[] cv = CV.clone();
    double[][] cm = deepCopy(CM);
    int[] idx = IDX.clone();
    ContractGrad.mixed(1.25, v, m, 0.75, cv, cm, 3, 5L, true, idx);
    ContractGrad.mixed(1.25, v, m, 0.75, cv, cm, 3, 5L, true, idx,
        new ContractGrad.MixedGradientBuffer(v, m));
    assertArrayEquals(V, v, 0.0);
    assertArrayEquals(CV, cv, 0.0);
    assertArrayEquals(IDX, idx);
    for (int i = 0; i < M.length; i++) {
      assertArrayEquals(M[i], m[i], 0.0);
      assertArrayEquals(CM[i], cm[i], 0.0);
    }

    double[] w = {0.5, 0.25, -0.5};
    double[][] mm = {{1.0, 0, 0}, {0, 2.0, 0}, {0, 0, -1.0}};
    double[] w0 = w.clone();
    double[][] mm0 = deepCopy(mm);
    var g = ContractGrad.workOnCopies(0.9, w, mm);
    assertArrayEquals(w0, w, 0.0);
    for (int i = 0; i < mm.length; i++) assertArrayEquals(mm0[i], mm[i], 0.0);
    assertEquals(Contract.workOnCopies(0.9, w, mm), g.value(), 0.0);
    check(a -> Contract.workOnCopies((double) a[0], (double[]) a[1], (double[][]) a[2]),
        args(0.9, w, mm), g.x(), g.v(), g.m());

    double[] a = {0.7, -1.2, 1.5, 0.4};
    double[] a0 = a.clone();
    ArrayCodeGrad.localArrays(a);
    ArrayCodeGrad.gaussSeidel(a0.clone(), new double[][] {
        {4, 1, 0, 0}, {1, 4, 1, 0}, {0, 1, 4, 1}, {0, 0, 1, 4}});
    LoopsGrad.steps(a);
    CallsGrad.localArrayArgument(a, 2.0);
    assertArrayEquals(a0, a, 0.0);
  }

  @Test
  void valueIsExactlyTheOriginalResult() {
    double[] a = {0.3, -0.8, 1.4, 0.6, -1.1, 0.9};
    assertEquals(Loops.steps(a), LoopsGrad.steps(a).value(), 0.0);
    assertEquals(Loops.longRecurrence(1.7), LoopsGrad.longRecurrence(1.7).value(), 0.0);
    assertEquals(MathFns.composition(0.3, 0.2), MathFnsGrad.composition(0.3, 0.2).value(), 0.0);
    assertEquals(Calls.otherClass(0.3, a, new double[][] {a, a}),
        CallsGrad.otherClass(0.3, a, new double[][] {a, a}).value(), 0.0);
    assertEquals(ArrayCode.elementCompound(a), ArrayCodeGrad.elementCompound(a).value(), 0.0);
    var buffer = new ArrayCodeGrad.ElementCompoundGradientBuffer(a);
    assertEquals(ArrayCode.elementCompound(a), ArrayCodeGrad.elementCompound(a, buffer), 0.0);
  }

  @Test
  void nestedClassesGetUnderscoreNames() {
    var g = Contract_InnerGrad.f(2.0, new double[] {3.0, -1.5});
    close(6.0 + 2.25, g.value());
    close(3.0, g.x());
    close(new double[] {2.0, -3.0}, g.y(), "dy");
    var h = Contract_Inner_DeeperGrad.g(1.5);
    close(3 * 2.25, h.x());
  }

  @Test
  void bufferRejectsWrongShapes() {
    var buffer = new ContractGrad.MixedGradientBuffer(new double[2], M);
    try {
      ContractGrad.mixed(1.0, V, M, 0.75, CV, CM, 3, 5L, true, IDX, buffer);
    } catch (IllegalArgumentException expected) {
      return;
    }
    throw new AssertionError("a buffer sized for 2 entries accepted a 3-entry argument");
  }

  private static double[][] deepCopy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
    return c;
  }
}
