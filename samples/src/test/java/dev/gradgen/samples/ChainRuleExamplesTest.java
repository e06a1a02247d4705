package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gradgen.GradCheck;
import org.junit.jupiter.api.Test;

/** The {@link ChainRuleExamples}, worked by hand here and compared with the generated code. */
class ChainRuleExamplesTest {
  private static final double E = Math.E;
  private static final double TOL = 1e-12;

  /**
   * {@code phi = (a w1 + b1)^2}. With the inner function {@code s = a w1 + b1}, {@code phi = s^2},
   * so {@code dphi/dw1 = dphi/ds * ds/dw1 = 2s * a = 2a (a w1 + b1)} and {@code dphi/db1 = 2s *
   * 1 = 2 (a w1 + b1)}. At {@code a = 3, w1 = 0.5, b1 = -1}: {@code s = 0.5}, so {@code dphi/dw1
   * = 3} and {@code dphi/db1 = 1}.
   */
  @Test
  void squaredNeuron() {
    ChainRuleExamplesGrad.PhiGradient g = ChainRuleExamplesGrad.phi(0.5, -1.0, 3.0);
    assertEquals(0.25, g.value(), TOL);
    assertEquals(3.0, g.w1(), TOL);
    assertEquals(1.0, g.b1(), TOL);
    for (double a : new double[] {-2.0, 0.7, 4.0}) {
      for (double w1 : new double[] {-1.5, 0.0, 2.0}) {
        double b1 = 0.25;
        ChainRuleExamplesGrad.PhiGradient h = ChainRuleExamplesGrad.phi(w1, b1, a);
        assertEquals(2 * a * (a * w1 + b1), h.w1(), TOL);
        assertEquals(2 * (a * w1 + b1), h.b1(), TOL);
      }
    }
  }

  /** {@code f(x) = 1 - x + x^2}, {@code f'(x) = -1 + 2x}: {@code f'(0) = -1, f'(1) = 1, f'(2) = 3}. */
  @Test
  void polynomial() {
    assertEquals(-1.0, ChainRuleExamplesGrad.poly(0.0).x(), TOL);
    assertEquals(1.0, ChainRuleExamplesGrad.poly(1.0).x(), TOL);
    assertEquals(3.0, ChainRuleExamplesGrad.poly(2.0).x(), TOL);
    assertEquals(3.0, ChainRuleExamplesGrad.poly(2.0).value(), TOL);
  }

  /**
   * {@code f(x, y) = (u, v) = (e^x + y, x^2 y)} and {@code g(u, v) = (u v, u + v^2)}.
   *
   * <pre>
   * J_f = [ e^x   1  ]      J_g = [ v   u  ]
   *       [ 2xy  x^2 ]            [ 1   2v ]
   * </pre>
   *
   * <p>At {@code (x, y) = (1, 2)}: {@code u = e + 2, v = 2},
   *
   * <pre>
   * J_g J_f = [ 2  e+2 ] [ e  1 ] = [ 2e + 4(e+2)   2 + (e+2) ] = [ 6e + 8   e + 4 ]
   *           [ 1   4  ] [ 4  1 ]   [ e + 16        1 + 4     ]   [ e + 16   5     ]
   * </pre>
   *
   * <p>At {@code (x, y) = (1, 1)}: {@code u = e + 1, v = 1},
   *
   * <pre>
   * J_g J_f = [ 1  e+1 ] [ e  1 ] = [ e + 2(e+1)   1 + (e+1) ] = [ 3e + 2   e + 2 ]
   *           [ 1   2  ] [ 2  1 ]   [ e + 4        1 + 2     ]   [ e + 4    3     ]
   * </pre>
   *
   * <p>Check by expanding {@code g o f = ((e^x + y) x^2 y, e^x + y + x^4 y^2)}: e.g. the top-left
   * entry {@code d/dx [(e^x + y) x^2 y] = e^x x^2 y + (e^x + y) 2xy}, which is {@code 2e + 4(e +
   * 2) = 6e + 8} at (1, 2).
   */
  @Test
  void jacobianOfAComposition() {
    double[][] at12 = {{6 * E + 8, E + 4}, {E + 16, 5}};
    double[][] at11 = {{3 * E + 2, E + 2}, {E + 4, 3}};
    assertMatrix(at12, ChainRuleExamples.jacobianOfComposition(1, 2));
    assertMatrix(at11, ChainRuleExamples.jacobianOfComposition(1, 1));

    // The same, assembled as J_g(f(x, y)) J_f(x, y) from the generated rows of f and g.
    assertMatrix(at12, ChainRuleExamples.multiply(
        ChainRuleExamples.jacobianOfG(E + 2, 2), ChainRuleExamples.jacobianOfF(1, 2)));
    assertMatrix(at11, ChainRuleExamples.multiply(
        ChainRuleExamples.jacobianOfG(E + 1, 1), ChainRuleExamples.jacobianOfF(1, 1)));
    assertMatrix(new double[][] {{E, 1}, {4, 1}}, ChainRuleExamples.jacobianOfF(1, 2));
    assertMatrix(new double[][] {{2, E + 2}, {1, 4}}, ChainRuleExamples.jacobianOfG(E + 2, 2));
  }

  /** Every row also passes a finite-difference check away from the textbook points. */
  @Test
  void rowsPassGradCheck() {
    double x = 0.3;
    double y = -1.7;
    GradCheck.Layout layout = GradCheck.layout("x", x, "y", y);
    ChainRuleExamplesGrad.H1Gradient h1 = ChainRuleExamplesGrad.h1(x, y);
    ChainRuleExamplesGrad.H2Gradient h2 = ChainRuleExamplesGrad.h2(x, y);
    GradCheck.check(layout, a -> ChainRuleExamples.h1(a.scalar(0), a.scalar(1)), h1.x(), h1.y())
        .assertWithin(1e-8);
    GradCheck.check(layout, a -> ChainRuleExamples.h2(a.scalar(0), a.scalar(1)), h2.x(), h2.y())
        .assertWithin(1e-8);
  }

  @Test
  void runReportsSuccess() {
    assertEquals(0, ChainRuleExamples.run(new String[0]));
  }

  private static void assertMatrix(double[][] expected, double[][] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], actual[i], TOL, "row " + i);
    }
  }
}
