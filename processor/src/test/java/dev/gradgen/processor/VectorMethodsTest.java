package dev.gradgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gradgen.GradCheck;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vector methods ({@code double[] f(...)}): the Jacobian (rows are outputs) against closed forms
 * and central differences, by reverse passes (fewer outputs than inputs) and forward passes (more
 * outputs), the JVP and VJP against it and each other, the buffer form, and calls between vector
 * and scalar methods, whose gradients, JVPs and Hessians go through the pieces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorMethodsTest {
  @TempDir
  static Path temp;

  private URLClassLoader loader;
  private Class<?> owner;
  private Class<?> grad;

  static final List<String> SOURCE = List.of("package p;", "",
      "import dev.gradgen.Differentiable;",
      "import dev.gradgen.NoGrad;", "",
      "public class V {",
      "  /** f(x, y) = (x^2 + y, 2 x y). */",
      "  @Differentiable",
      "  static double[] f(double x, double y) {",
      "    return new double[] {x * x + y, 2 * x * y};",
      "  }",
      "",
      "  /** g(u, v) = (u + v, u^2, sin v). */",
      "  @Differentiable",
      "  static double[] g(double[] uv) {",
      "    double[] out = new double[3];",
      "    out[0] = uv[0] + uv[1];",
      "    out[1] = uv[0] * uv[0];",
      "    out[2] = Math.sin(uv[1]);",
      "    return out;",
      "  }",
      "",
      "  /** g(f(x, y)): a vector method calling vector methods. */",
      "  @Differentiable",
      "  static double[] gf(double x, double y) {",
      "    double[] inner = f(x, y);",
      "    return g(inner);",
      "  }",
      "",
      "  /** Kirby2's model: residuals y - (b1 + b2 x + b3 x^2) / (1 + b4 x + b5 x^2). */",
      "  @Differentiable",
      "  static double[] residuals(double[] b, @NoGrad double[] x, @NoGrad double[] y) {",
      "    double[] r = new double[x.length];",
      "    for (int i = 0; i < x.length; i++) {",
      "      double num = b[0] + b[1] * x[i] + b[2] * x[i] * x[i];",
      "      double den = 1 + b[3] * x[i] + b[4] * x[i] * x[i];",
      "      r[i] = y[i] - num / den;",
      "    }",
      "    return r;",
      "  }",
      "",
      "  /** A scalar method calling a vector one. */",
      "  @Differentiable",
      "  static double loss(double[] b, @NoGrad double[] x, @NoGrad double[] y) {",
      "    double[] r = residuals(b, x, y);",
      "    double s = 0;",
      "    for (int i = 0; i < r.length; i++) {",
      "      s += r[i] * r[i];",
      "    }",
      "    return 0.5 * s;",
      "  }",
      "",
      "  /** A loop softmax: its Jacobian is s_i (d_ij - s_j). */",
      "  @Differentiable",
      "  static double[] softmax(double[] z) {",
      "    double max = z[0];",
      "    for (int i = 1; i < z.length; i++) {",
      "      max = Math.max(max, z[i]);",
      "    }",
      "    double[] e = new double[z.length];",
      "    double sum = 0;",
      "    for (int i = 0; i < z.length; i++) {",
      "      e[i] = Math.exp(z[i] - max);",
      "      sum += e[i];",
      "    }",
      "    for (int i = 0; i < z.length; i++) {",
      "      e[i] = e[i] / sum;",
      "    }",
      "    return e;",
      "  }",
      "",
      "  /** Many outputs from a matrix and a scalar, an early exit and a branch. */",
      "  @Differentiable",
      "  static double[] wide(double[][] m, double s, int k) {",
      "    double[] out = new double[12];",
      "    for (int i = 0; i < 12; i++) {",
      "      double acc = s * i;",
      "      for (int r = 0; r < m.length; r++) {",
      "        for (int c = 0; c < m[r].length; c++) {",
      "          acc += Math.tanh(m[r][c] * (i + 1) * 0.1 + s);",
      "        }",
      "      }",
      "      out[i] = acc > 0 ? acc * acc : -acc;",
      "      if (i == k) {",
      "        return out;",
      "      }",
      "    }",
      "    return out;",
      "  }",
      "",
      "  /** A constant value on one path: no seed check in the pullback there. */",
      "  @Differentiable",
      "  static double[] guarded(double[] x) {",
      "    if (x[0] > 0) {",
      "      return new double[] {1, 2, 3};",
      "    }",
      "    return new double[] {x[0], x[1]};",
      "  }",
      "",
      "  /** A singular entry beside a regular one. */",
      "  @Differentiable",
      "  static double[] root(double x, double y) {",
      "    return new double[] {Math.sqrt(x), y};",
      "  }",
      "",
      "  /** Parameters named like the buffer's fields, and two that differ in case. */",
      "  @Differentiable",
      "  static double[] names(double[] outputs, double[] x, double[] X) {",
      "    return new double[] {outputs[0] * x[0], X[0]};",
      "  }",
      "",
      "  /** Writes into its parameter's copy; returns a new array. */",
      "  @Differentiable",
      "  static double[] scaled(double[] a, double c) {",
      "    for (int i = 0; i < a.length; i++) {",
      "      a[i] = a[i] * c + a[i] * a[i];",
      "    }",
      "    double[] out = new double[a.length];",
      "    for (int i = 0; i < a.length; i++) {",
      "      out[i] = a[i];",
      "    }",
      "    return out;",
      "  }",
      "}");

  @BeforeAll
  void compile() throws Exception {
    loader = TestSupport.compileAndLoad(temp, "p.V", SOURCE);
    owner = loader.loadClass("p.V");
    grad = loader.loadClass("p.VGrad");
  }

  @AfterAll
  void close() throws Exception {
    loader.close();
  }

  private Object call(String name, Object... args) throws Exception {
    return TestSupport.call(TestSupport.byName(grad, name, true), args);
  }

  @Test
  void theJacobianOfFIsTheTextbooksAndItsRowsAreOutputs() throws Exception {
    Object j = call("f", 1.0, 2.0);
    assertThat((double[]) TestSupport.component(j, "value")).usingExactEquality()
        .containsExactly(3.0, 4.0).inOrder();
    // J = (2x, 1; 2y, 2x) at (1, 2): the x column is (2, 4), the y column (1, 2).
    assertThat((double[]) TestSupport.component(j, "x")).usingExactEquality()
        .containsExactly(2.0, 4.0).inOrder();
    assertThat((double[]) TestSupport.component(j, "y")).usingExactEquality()
        .containsExactly(1.0, 2.0).inOrder();
  }

  @Test
  void theJacobianOfACompositionIsTheProductOfTheJacobians() throws Exception {
    // J(g o f) at (1, 2) = (6, 3; 12, 6; 4 cos 4, 2 cos 4).
    Object j = call("gf", 1.0, 2.0);
    double[] dx = (double[]) TestSupport.component(j, "x");
    double[] dy = (double[]) TestSupport.component(j, "y");
    assertThat(dx).usingTolerance(1e-12).containsExactly(6.0, 12.0, 4 * Math.cos(4)).inOrder();
    assertThat(dy).usingTolerance(1e-12).containsExactly(3.0, 6.0, 2 * Math.cos(4)).inOrder();
  }

  @Test
  void softmaxsJacobianIsSigmaDeltaMinusSigma() throws Exception {
    double[] z = {0.1, 0.5, -0.3, 2.0};
    Object j = call("softmax", z.clone());
    double[] s = (double[]) TestSupport.component(j, "value");
    double[][] jz = (double[][]) TestSupport.component(j, "z");
    for (int i = 0; i < 4; i++) {
      for (int k = 0; k < 4; k++) {
        assertWithMessage("J[%s][%s]", i, k).that(jz[i][k])
            .isWithin(1e-15).of(s[i] * ((i == k ? 1 : 0) - s[k]));
      }
    }
  }

  /** The flat Jacobian of a record whose components after value are per-parameter blocks. */
  private static double[][] flatJacobian(Object record, int outputs) throws Exception {
    var rc = record.getClass().getRecordComponents();
    double[][] j = new double[outputs][];
    for (int i = 0; i < outputs; i++) {
      List<Double> row = new ArrayList<>();
      for (int k = 1; k < rc.length; k++) {
        rc[k].getAccessor().setAccessible(true);
        Object block = rc[k].getAccessor().invoke(record);
        Object entry = block instanceof double[] v ? (Object) v[i] : ((Object[]) block)[i];
        TestSupport.flattenInto(entry, row);
      }
      j[i] = row.stream().mapToDouble(Double::doubleValue).toArray();
    }
    return j;
  }

  @Test
  void residualJacobianMatchesFiniteDifferencesByReversePasses() throws Exception {
    double[] x = {9.65, 10.74, 11.81};
    double[] y = {0.0082, 0.0112, 0.0149};
    double[] b = {1.5, -0.15, 0.0025, -0.0015, 0.00002};
    Object j = call("residuals", b.clone(), x, y);
    double[][] jac = flatJacobian(j, 3); // 3 outputs, 5 inputs: reverse passes
    Method original = TestSupport.byName(owner, "residuals", false);
    Function<double[], double[]> fn = p -> {
      try {
        return (double[]) TestSupport.call(original, p, x, y);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    GradCheck.jacobian(fn, b, jac).assertWithin(1e-6);
  }

  @Test
  void wideJacobianMatchesFiniteDifferencesByForwardPassesAndVjpAgreesWithJvp()
      throws Exception {
    double[][] m = {{0.3, -0.2}, {0.5, 0.1}};
    for (int k : new int[] {-1, 5}) {
      Object j = call("wide", TestSupport.deepCopy(new Object[] {m})[0], 0.7, k);
      double[] value = (double[]) TestSupport.component(j, "value");
      assertThat(value).hasLength(12);
      double[][] jac = flatJacobian(j, 12); // 12 outputs, 5 inputs: forward passes
      Method original = TestSupport.byName(owner, "wide", false);
      Function<double[], double[]> fn = p -> {
        try {
          return (double[]) TestSupport.call(original,
              new double[][] {{p[0], p[1]}, {p[2], p[3]}}, p[4], k);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      GradCheck.jacobian(fn, new double[] {0.3, -0.2, 0.5, 0.1, 0.7}, jac).assertWithin(1e-6);
      Method jvp = TestSupport.byName(grad, "wideJvp", true);
      Method vjp = TestSupport.byName(grad, "wideVjp", true);
      GradCheck.jvpVjp(u -> {
        try {
          return (double[]) TestSupport.component(TestSupport.call(jvp, m, 0.7, k,
              new double[][] {{u[0], u[1]}, {u[2], u[3]}}, u[4]), "tangent");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, v -> {
        try {
          Object r = TestSupport.call(vjp, m, 0.7, k, v);
          double[][] dm = (double[][]) TestSupport.component(r, "m");
          return new double[] {dm[0][0], dm[0][1], dm[1][0], dm[1][1],
              (Double) TestSupport.component(r, "s")};
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, 5, 12).assertWithin(1e-12);
      // J u and v J from the Jacobian itself.
      double[] u = {0.2, -0.4, 0.9, 0.3, -0.6};
      double[] tangent = (double[]) TestSupport.component(TestSupport.call(jvp, m, 0.7, k,
          new double[][] {{u[0], u[1]}, {u[2], u[3]}}, u[4]), "tangent");
      for (int i = 0; i < 12; i++) {
        double ju = 0;
        for (int q = 0; q < 5; q++) {
          ju += jac[i][q] * u[q];
        }
        assertWithMessage("(J u)[%s]", i).that(tangent[i]).isWithin(1e-12).of(ju);
      }
    }
  }

  @Test
  void theBufferFormOverwritesAndChecksTheNumberOfOutputs() throws Exception {
    Class<?> buffer = loader.loadClass("p.VGrad$ResidualsJacobianBuffer");
    double[] x = {9.65, 10.74, 11.81};
    double[] y = {0.0082, 0.0112, 0.0149};
    double[] b = {1.5, -0.15, 0.0025, -0.0015, 0.00002};
    Object buf = buffer.getConstructor(int.class, double[].class).newInstance(3, b);
    Method into = TestSupport.staticMethod(grad, "residuals", double[].class, double[].class,
        double[].class, buffer);
    double[][] expected = flatJacobian(call("residuals", b, x, y), 3);
    double[] value = (double[]) TestSupport.call(TestSupport.byName(owner, "residuals", false), b, x,
        y);
    for (int round = 0; round < 2; round++) {
      // the value comes from the first reverse pass: exactly the method's
      assertThat((double[]) TestSupport.call(into, b, x, y, buf)).usingExactEquality()
          .containsExactly(value).inOrder();
      double[][] got = (double[][]) buffer.getField("b").get(buf);
      for (int i = 0; i < 3; i++) {
        assertThat(got[i]).usingExactEquality().containsExactly(expected[i]).inOrder();
      }
    }
    Object small = buffer.getConstructor(int.class, double[].class).newInstance(2, b);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestSupport.call(into, b, x, y, small));
    assertThat(e).hasMessageThat().contains("V.residuals returned 3 values, but the Jacobian"
        + " buffer was made for 2");
  }

  @Test
  void theBufferFormByForwardPassesComputesTheValueAndChecksTheNumberOfOutputs()
      throws Exception {
    Class<?> buffer = loader.loadClass("p.VGrad$WideJacobianBuffer");
    double[][] m = {{0.3, -0.2}, {0.5, 0.1}};
    Method into = TestSupport.staticMethod(grad, "wide", double[][].class, double.class,
        int.class, buffer);
    Object record = call("wide", TestSupport.deepCopy(new Object[] {m})[0], 0.7, 5);
    double[] value = (double[]) TestSupport.component(record, "value");
    double[][][] expected = (double[][][]) TestSupport.component(record, "m");
    Object buf = buffer.getConstructor(int.class, double[][].class).newInstance(12, m);
    assertThat((double[]) TestSupport.call(into, m, 0.7, 5, buf)).usingExactEquality()
        .containsExactly(value).inOrder();
    double[][][] got = (double[][][]) buffer.getField("m").get(buf);
    for (int i = 0; i < 12; i++) {
      for (int r = 0; r < 2; r++) {
        assertThat(got[i][r]).usingExactEquality().containsExactly(expected[i][r]).inOrder();
      }
    }
    Object small = buffer.getConstructor(int.class, double[][].class).newInstance(11, m);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestSupport.call(into, m, 0.7, 5, small));
    assertThat(e).hasMessageThat().contains("V.wide returned 12 values, but the Jacobian"
        + " buffer was made for 11");
  }

  @Test
  void theBufferFormChecksTheNumberOfOutputsOfAConstantValue() throws Exception {
    Class<?> buffer = loader.loadClass("p.VGrad$GuardedJacobianBuffer");
    Method into = TestSupport.staticMethod(grad, "guarded", double[].class, buffer);
    Object buf = buffer.getConstructor(int.class, double[].class).newInstance(2,
        new double[2]);
    // the value's own path: 2 outputs, the identity
    assertThat((double[]) TestSupport.call(into, new double[] {-1, 5}, buf))
        .usingExactEquality().containsExactly(-1.0, 5.0).inOrder();
    double[][] j = (double[][]) buffer.getField("x").get(buf);
    assertThat(j[0]).usingExactEquality().containsExactly(1.0, 0.0).inOrder();
    assertThat(j[1]).usingExactEquality().containsExactly(0.0, 1.0).inOrder();
    // the constant path returns 3 values: the buffer made for 2 is refused, not filled
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestSupport.call(into, new double[] {1, 5}, buf));
    assertThat(e).hasMessageThat().contains("V.guarded returned 3 values, but the Jacobian"
        + " buffer was made for 2");
  }

  @Test
  void aZeroSeedDoesNotMeetAnInfinitePartial() throws Exception {
    // Two outputs, two inputs: reverse passes. d sqrt(x)/dx is infinite at 0, d y/dx is 0.
    Object j = call("root", 0.0, 2.0);
    double[] dx = (double[]) TestSupport.component(j, "x");
    double[] dy = (double[]) TestSupport.component(j, "y");
    assertThat(dx[0]).isPositiveInfinity();
    assertThat(dx[1]).isEqualTo(0.0);
    assertThat(dy).usingExactEquality().containsExactly(0.0, 1.0).inOrder();
  }

  @Test
  void parametersNamedLikeTheBuffersFieldsCompileAndWork() throws Exception {
    Object j = call("names", new double[] {2}, new double[] {3}, new double[] {5});
    assertThat(((double[][]) TestSupport.component(j, "outputs"))[0]).usingExactEquality()
        .containsExactly(3.0).inOrder();
    assertThat(((double[][]) TestSupport.component(j, "x"))[0]).usingExactEquality()
        .containsExactly(2.0).inOrder();
    assertThat(((double[][]) TestSupport.component(j, "X"))[1]).usingExactEquality()
        .containsExactly(1.0).inOrder();
  }

  @Test
  void aVectorMethodReturningItsParameterIsAnError() {
    // The row of m returned on line 10 is reported too.
    TestSupport.expectError("a method returning double[] must return a new array, but this one"
        + " may be parameter 'x'; copy it into a new array and return that", false,
        "package p;",
        "",
        "import dev.gradgen.Differentiable;",
        "",
        "public class T {",
        "  @Differentiable",
        "  static double[] same(double[] x, double[][] m) {",
        "    double[] y = m[0];",
        "    if (x.length > 2) {",
        "      return y;",
        "    }",
        "    return x; // <- error",
        "  }",
        "}");
  }

  /**
   * A vector method through a kernel with only a backward rule has no forward mode: its JVP
   * throws, and its Jacobian takes reverse passes even with more outputs than inputs.
   */
  @Test
  void withoutForwardModeTheJacobianTakesReversePasses() throws Exception {
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "public class K {",
        "  static double[] twice(double[] a) {",
        "    double[] r = new double[a.length];",
        "    for (int i = 0; i < a.length; i++) {",
        "      r[i] = 2 * a[i];",
        "    }",
        "    return r;",
        "  }",
        "",
        "  static void twiceBackward(double[] a, double[] result, double[] dResult,"
            + " double[] da) {",
        "    if (da != null) {",
        "      for (int i = 0; i < a.length; i++) {",
        "        da[i] += 2 * dResult[i];",
        "      }",
        "    }",
        "  }",
        "",
        "  @Differentiable",
        "  static double[] powers(double x) {",
        "    double[] a = new double[] {x, x * x, x * x * x};",
        "    return twice(a);",
        "  }",
        "}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp.resolve("k"), "p.K", src)) {
      Class<?> g = cl.loadClass("p.KGrad");
      Object j = TestSupport.call(TestSupport.byName(g, "powers", true), 1.5);
      // 2 (x, x^2, x^3)' = (2, 4x, 6x^2).
      assertThat((double[]) TestSupport.component(j, "x")).usingTolerance(1e-12)
          .containsExactly(2.0, 6.0, 13.5).inOrder();
      Method jvp = TestSupport.byName(g, "powersJvp", true);
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> TestSupport.call(jvp, 1.5, 1.0));
      assertThat(e).hasMessageThat().contains("forward mode through K.twice is not available");
    }
  }

  @Test
  void aCotangentOfTheWrongLengthIsRefused() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> call("fVjp", 1.0, 2.0, new double[] {1, 2, 3}));
    assertThat(e).hasMessageThat().contains("the cotangent has 3 entries but the method"
        + " returned 2 values");
  }

  @Test
  void aScalarMethodCallingAVectorOneHasItsGradientJvpAndHessian() throws Exception {
    double[] x = {9.65, 10.74, 11.81, 12.88};
    double[] y = {0.0082, 0.0112, 0.0149, 0.0198};
    double[] b = {1.5, -0.15, 0.0025, -0.0015, 0.00002};
    TestSupport.checkGradient(owner, grad, "loss", new Object[] {b, x, y}, 0);
    // Its gradient is J^T r.
    Object j = call("residuals", b, x, y);
    double[] r = (double[]) TestSupport.component(j, "value");
    double[][] jac = flatJacobian(j, 4);
    double[] g = (double[]) TestSupport.component(call("loss", b, x, y), "b");
    for (int k = 0; k < 5; k++) {
      double jtr = 0;
      for (int i = 0; i < 4; i++) {
        jtr += jac[i][k] * r[i];
      }
      assertWithMessage("(J^T r)[%s]", k).that(g[k]).isWithin(1e-9 * Math.abs(jtr)).of(jtr);
    }
  }

  @Test
  void aVectorMethodWritingIntoItsParameterWorksOnACopy() throws Exception {
    double[] a = {0.5, -1.5, 2.0};
    double[] before = a.clone();
    Object j = call("scaled", a, 3.0);
    assertThat(a).usingExactEquality().containsExactly(before).inOrder();
    double[][] jac = flatJacobian(j, 3);
    Method original = TestSupport.byName(owner, "scaled", false);
    GradCheck.jacobian(p -> {
      try {
        return (double[]) TestSupport.call(original, new double[] {p[0], p[1], p[2]}, p[3]);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, new double[] {0.5, -1.5, 2.0, 3.0}, jac).assertWithin(1e-6);
    Object jvp = call("scaledJvp", a, 3.0, new double[] {1, 0, 0}, 0.0);
    assertThat(a).usingExactEquality().containsExactly(before).inOrder();
    assertThat(((double[]) TestSupport.component(jvp, "tangent"))[0]).isWithin(1e-12)
        .of(3.0 + 2 * 0.5);
  }

  @Test
  void randomPointsAgreeWithFiniteDifferences() throws Exception {
    Random random = new Random(7);
    Method original = TestSupport.byName(owner, "gf", false);
    for (int t = 0; t < 5; t++) {
      double px = random.nextDouble() * 2 - 1;
      double py = random.nextDouble() * 2 - 1;
      double[][] jac = flatJacobian(call("gf", px, py), 3);
      GradCheck.jacobian(p -> {
        try {
          return (double[]) TestSupport.call(original, p[0], p[1]);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, new double[] {px, py}, jac).assertWithin(1e-6);
    }
  }

  @Test
  void callsInsideArrayLiteralsGetLocalsOfTheirOwn() throws Exception {
    // Found by the fuzzer: a vector method's call (and a kernel's) as an element of an array
    // literal was not given a local, and the processor failed on it.
    List<String> src = List.of("package p;", "",
        "import dev.gradgen.Differentiable;",
        "import dev.gradgen.Ops;", "",
        "public class L {",
        "  @Differentiable",
        "  static double[] f(double x, double y) {",
        "    return new double[] {x * y, Math.sin(x)};",
        "  }",
        "",
        "  @Differentiable",
        "  static double g(double x, double y, double[] v) {",
        "    double[] w = {f(x, y)[0] * 2, Ops.sum(v), x};",
        "    return w[0] + w[1] * w[2];",
        "  }",
        "",
        "  @Differentiable",
        "  static double[] h(double x, double y, double[] v) {",
        "    return new double[] {f(x, y)[1], Ops.sum(v) * x};",
        "  }",
        "}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.L", src)) {
      Class<?> grad = cl.loadClass("p.LGrad");
      TestSupport.checkGradient(cl.loadClass("p.L"), grad, "g",
          new Object[] {0.7, -1.3, new double[] {0.5, 2.0}}, 0, 1, 2);
      // h's Jacobian: row 0 is (cos x, 0, 0, 0), row 1 is (sum v, 0, x, x).
      Object j = TestSupport.call(TestSupport.staticMethod(grad, "h", double.class, double.class,
          double[].class), 0.7, -1.3, new double[] {0.5, 2.0});
      assertThat((double[]) TestSupport.component(j, "x")).usingTolerance(1e-15)
          .containsExactly(Math.cos(0.7), 2.5).inOrder();
      assertThat((double[]) TestSupport.component(j, "y")).usingTolerance(0)
          .containsExactly(0.0, 0.0).inOrder();
      assertThat(((double[][]) TestSupport.component(j, "v"))[1]).usingTolerance(1e-15)
          .containsExactly(0.7, 0.7).inOrder();
    }
  }
}
