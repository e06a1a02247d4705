package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The three drivers of {@link Minimizers} on small functions with known minima. */
class MinimizersTest {
  /** Rosenbrock's {@code (1 - x)^2 + 100 (y - x^2)^2}, minimum 0 at (1, 1). */
  private static final Minimizers.Objective ROSENBROCK =
      p -> (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]);
  private static final Minimizers.Gradient ROSENBROCK_GRADIENT = p -> new double[] {
    -2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] * p[0]), 200 * (p[1] - p[0] * p[0])};
  private static final Minimizers.Hessian ROSENBROCK_HESSIAN = p -> new double[][] {
    {2 - 400 * p[1] + 1200 * p[0] * p[0], -400 * p[0]}, {-400 * p[0], 200}};

  /** {@code 1/2 (x^2 + 10 y^2) - x - y}, minimum at (1, 0.1). */
  private static final Minimizers.Objective QUADRATIC =
      p -> 0.5 * (p[0] * p[0] + 10 * p[1] * p[1]) - p[0] - p[1];
  private static final Minimizers.Gradient QUADRATIC_GRADIENT =
      p -> new double[] {p[0] - 1, 10 * p[1] - 1};

  @Test
  void newtonSolvesRosenbrockFromTheClassicStart() {
    Minimizers.Result r = Minimizers.newton(ROSENBROCK, ROSENBROCK_GRADIENT, ROSENBROCK_HESSIAN,
        new double[] {-1.2, 1}, 1e-10, 100);
    assertTrue(r.converged(), "gradient norm " + r.gradientNorm());
    assertArrayEquals(new double[] {1, 1}, r.point(), 1e-9);
    assertTrue(r.iterations() < 40, r.iterations() + " iterations");
    assertEquals(r.iterations(), r.hessians());
    assertTrue(r.nanos() > 0);
  }

  @Test
  void gradientDescentAndConjugateGradientsSolveAQuadratic() {
    for (Minimizers.Result r : new Minimizers.Result[] {
        Minimizers.gradientDescent(QUADRATIC, QUADRATIC_GRADIENT, new double[2], 1e-10, 10_000),
        Minimizers.conjugateGradients(QUADRATIC, QUADRATIC_GRADIENT, new double[2], 1e-10,
            10_000)}) {
      assertTrue(r.converged(), r.method() + ": gradient norm " + r.gradientNorm());
      assertArrayEquals(new double[] {1, 0.1}, r.point(), 1e-9, r.method());
      assertEquals(0, r.hessians());
      assertEquals(QUADRATIC.at(r.point()), r.value());
    }
  }

  @Test
  void newtonFallsBackToTheGradientWhereTheHessianIsIndefinite() {
    // x^4 - x^2 + y^2: at (0.1, 0) the Hessian is diag(-1.88, 2), its Newton step points uphill.
    Minimizers.Objective f = p -> Math.pow(p[0], 4) - p[0] * p[0] + p[1] * p[1];
    Minimizers.Gradient g = p -> new double[] {4 * Math.pow(p[0], 3) - 2 * p[0], 2 * p[1]};
    Minimizers.Hessian h = p -> new double[][] {{12 * p[0] * p[0] - 2, 0}, {0, 2}};
    Minimizers.Result r = Minimizers.newton(f, g, h, new double[] {0.1, 0}, 1e-12, 100);
    assertTrue(r.converged());
    assertArrayEquals(new double[] {Math.sqrt(0.5), 0}, r.point(), 1e-12);
  }

  @Test
  void theNewtonDirectionToleratesRoundingAsymmetry() {
    double[][] h = {{4, 1 + 1e-14}, {1, 3}};
    double[] p = Minimizers.newtonDirection(h, new double[] {1, 2});
    // Solves [[4, 1], [1, 3]] p = -(1, 2): p = (-1/11, -7/11).
    assertArrayEquals(new double[] {-1.0 / 11, -7.0 / 11}, p, 1e-13);
  }

  @Test
  void theIterationCapIsReportedAsNotConverged() {
    Minimizers.Result gd = Minimizers.gradientDescent(ROSENBROCK, ROSENBROCK_GRADIENT,
        new double[] {-1.2, 1}, 1e-10, 5);
    assertFalse(gd.converged());
    assertEquals(5, gd.iterations());
    Minimizers.Result cg = Minimizers.conjugateGradients(ROSENBROCK, ROSENBROCK_GRADIENT,
        new double[] {-1.2, 1}, 1e-10, 5);
    assertFalse(cg.converged());
    assertTrue(Double.isFinite(cg.value()) && cg.value() < ROSENBROCK.at(new double[] {-1.2, 1}),
        "the last point the optimizer reached, not the start");
  }
}
