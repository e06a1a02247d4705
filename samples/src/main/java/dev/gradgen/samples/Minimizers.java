package dev.gradgen.samples;

import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.ConvergenceChecker;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.hipparchus.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * Three ways to minimize a smooth function {@code f} of a parameter vector until {@code |grad f|
 * <= tolerance}: Newton's method (needs the Hessian), gradient descent, and Hipparchus' nonlinear
 * conjugate gradients. The drivers take {@code f}, its gradient and its Hessian as plain
 * functional interfaces ({@link Objective}, {@link Gradient}, {@link Hessian}) and know nothing
 * about where they come from.
 *
 * <p>Newton's method and gradient descent share one backtracking line search: starting from a
 * trial step it halves the step until the sufficient-decrease (Armijo) condition holds, {@code
 * f(x + t p) <= f(x) + c t g.p} with {@code c = 1e-4}. Close to the minimum that test is decided
 * by rounding: once the decrease a step can buy, about {@code t |g.p|}, is as small as the
 * rounding error of {@code f} itself, a search that only compares values stalls (on the
 * breast-cancer loss Newton's method then crawls at {@code |g| ~ 3e-10} and gradient descent at
 * 2e-9). So when {@code t |g.p| <= 1e-10 |f|} a step is also accepted if Hager and Zhang's
 * "approximate Wolfe" sufficient-decrease test holds: {@code f} did not rise by more than {@code
 * 1e-10 |f|} and the directional derivative at the trial point is at most {@code (1 - 2c)
 * |g.p|}, which for a quadratic is exactly Armijo's condition, but computed from gradients,
 * which stay accurate there (W. W. Hager and H. Zhang, SIAM J. Optim. 16 (2005) 170-192).
 */
final class Minimizers {
  /** The function to minimize. */
  @FunctionalInterface
  interface Objective {
    /**
     * The value at {@code p}.
     *
     * @param p the point; not to be modified
     * @return {@code f(p)}
     */
    double at(double[] p);
  }

  /** The gradient of an {@link Objective}. */
  @FunctionalInterface
  interface Gradient {
    /**
     * The gradient at {@code p}.
     *
     * @param p the point; not to be modified
     * @return a new array {@code df/dp_j}, as long as {@code p}
     */
    double[] at(double[] p);
  }

  /** The Hessian of an {@link Objective}. */
  @FunctionalInterface
  interface Hessian {
    /**
     * The Hessian at {@code p}.
     *
     * @param p the point; not to be modified
     * @return {@code d^2 f / dp_j dp_k}, {@code n x n} with {@code n = p.length}
     */
    double[][] at(double[] p);
  }

  /**
   * Where a run stopped and what it cost.
   *
   * @param method the optimizer's name
   * @param point the last point
   * @param value {@code f} there
   * @param gradientNorm the Euclidean norm of the gradient there
   * @param converged whether {@code gradientNorm <= tolerance}
   * @param iterations steps taken
   * @param values evaluations of {@code f}
   * @param gradients evaluations of the gradient
   * @param hessians evaluations of the Hessian
   * @param nanos wall time of the whole run
   */
  record Result(String method, double[] point, double value, double gradientNorm,
      boolean converged, int iterations, int values, int gradients, int hessians, long nanos) {}

  /** Armijo's constant {@code c}. */
  static final double ARMIJO = 1e-4;
  /**
   * Below which predicted decrease, relative to {@code |f|}, the approximate test applies, and how
   * much {@code f} may then rise.
   */
  static final double ROUNDING = 1e-10;
  /** Halvings before a line search gives up. */
  private static final int MAX_HALVINGS = 60;

  private Minimizers() {}

  /** Evaluation counts of one run. */
  private static final class Counted {
    final Objective f;
    final Gradient g;
    final Hessian h;
    int values;
    int gradients;
    int hessians;

    Counted(Objective f, Gradient g, Hessian h) {
      this.f = p -> {
        values++;
        return f.at(p);
      };
      this.g = p -> {
        gradients++;
        return g.at(p);
      };
      this.h = h == null ? null : p -> {
        hessians++;
        return h.at(p);
      };
    }

    Result result(String method, double[] x, double fx, double[] gx, double tolerance,
        int iterations, long start) {
      double norm = norm(gx);
      return new Result(method, x, fx, norm, norm <= tolerance, iterations, values, gradients,
          hessians, System.nanoTime() - start);
    }
  }

  /**
   * Newton's method from {@code start}: solves {@code H p = -g} by a Cholesky decomposition of
   * the (symmetrized) Hessian, or by LU if it is not positive definite, and takes the first step
   * {@code t = 1, 1/2, 1/4, ...} the line search accepts. Falls back to {@code p = -g} when the
   * solve fails or its {@code p} is not a descent direction.
   */
  static Result newton(Objective f, Gradient g, Hessian h, double[] start, double tolerance,
      int maxIterations) {
    long begin = System.nanoTime();
    Counted c = new Counted(f, g, h);
    double[] x = start.clone();
    double fx = c.f.at(x);
    double[] gx = c.g.at(x);
    int iterations = 0;
    while (norm(gx) > tolerance && iterations < maxIterations) {
      double[] p = newtonDirection(c.h.at(x), gx);
      if (p == null || dot(gx, p) >= 0.0) {
        p = negate(gx);
      }
      Step step = lineSearch(c, x, fx, gx, p, 1.0);
      if (step == null) {
        break;
      }
      x = step.x;
      fx = step.fx;
      gx = step.gx;
      iterations++;
    }
    return c.result("Newton", x, fx, gx, tolerance, iterations, begin);
  }

  /**
   * Gradient descent from {@code start}: {@code p = -g}, with the line search started at twice
   * the previous accepted step (at 1 first), so that the step adapts both ways.
   */
  static Result gradientDescent(Objective f, Gradient g, double[] start, double tolerance,
      int maxIterations) {
    long begin = System.nanoTime();
    Counted c = new Counted(f, g, null);
    double[] x = start.clone();
    double fx = c.f.at(x);
    double[] gx = c.g.at(x);
    double t = 0.5;
    int iterations = 0;
    while (norm(gx) > tolerance && iterations < maxIterations) {
      Step step = lineSearch(c, x, fx, gx, negate(gx), 2.0 * t);
      if (step == null) {
        break;
      }
      t = step.t;
      x = step.x;
      fx = step.fx;
      gx = step.gx;
      iterations++;
    }
    return c.result("gradient descent", x, fx, gx, tolerance, iterations, begin);
  }

  /**
   * Hipparchus' {@link NonLinearConjugateGradientOptimizer} (Polak-Ribière) from {@code start},
   * stopped by a checker on the gradient norm and set up as {@link BreastCancerNcg} is: a Brent
   * line search on the value, to relative and absolute tolerance 1e-8, from the bracket {@code
   * [0, 1]}. The checker's gradient evaluations are counted with the optimizer's.
   *
   * <p>A line search that compares values only has a floor: along a direction of curvature
   * {@code L} the value cannot resolve a gradient below about {@code sqrt(2 L eps |f|)}, some
   * 2e-9 for the breast-cancer loss, so {@code tolerance = 1e-8} is close to the least it can
   * reach there (tightening the line-search tolerances does not help: it stalls between 2e-9 and
   * 5e-8 depending on them and on the data split).
   */
  static Result conjugateGradients(Objective f, Gradient g, double[] start, double tolerance,
      int maxIterations) {
    long begin = System.nanoTime();
    Counted c = new Counted(f, g, null);
    double[][] last = {start.clone()};
    ConvergenceChecker<PointValuePair> smallGradient = (iteration, previous, current) -> {
      last[0] = current.getPoint();
      return norm(c.g.at(last[0])) <= tolerance;
    };
    NonLinearConjugateGradientOptimizer optimizer = new NonLinearConjugateGradientOptimizer(
        NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, smallGradient, 1e-8, 1e-8,
        1.0);
    double[] x;
    try {
      x = optimizer.optimize(new ObjectiveFunction(c.f::at),
          new ObjectiveFunctionGradient(c.g::at), GoalType.MINIMIZE, new InitialGuess(start),
          new MaxIter(maxIterations), new MaxEval(Integer.MAX_VALUE)).getPoint();
    } catch (MathIllegalStateException e) {
      // The iteration cap (or a failed line search): Hipparchus throws instead of returning, so
      // the result is the last point its checker saw.
      x = last[0];
    }
    return c.result("conjugate gradients (Hipparchus)", x, c.f.at(x), c.g.at(x), tolerance,
        optimizer.getIterations(), begin);
  }

  /** An accepted step: its length along the direction, the new point, value and gradient. */
  private record Step(double t, double[] x, double fx, double[] gx) {}

  /**
   * Backtracking from {@code t}: halves it until Armijo's or the approximate-Wolfe
   * sufficient-decrease test holds (see the class comment); null if neither does within 60
   * halvings or {@code p} is not a descent direction.
   */
  private static Step lineSearch(Counted c, double[] x, double fx, double[] gx, double[] p,
      double t) {
    double slope = dot(gx, p);
    if (!(slope < 0.0)) {
      return null;
    }
    for (int halvings = 0; halvings <= MAX_HALVINGS; halvings++, t *= 0.5) {
      double[] trial = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        trial[j] = x[j] + t * p[j];
      }
      double ft = c.f.at(trial);
      if (!Double.isFinite(ft)) {
        continue;
      }
      boolean armijo = ft <= fx + ARMIJO * t * slope;
      boolean atRoundingLevel = -t * slope <= ROUNDING * Math.abs(fx);
      boolean roughlyLower = atRoundingLevel && ft <= fx + ROUNDING * Math.abs(fx);
      if (armijo || roughlyLower) {
        double[] gt = c.g.at(trial);
        if (armijo || dot(gt, p) <= (1.0 - 2.0 * ARMIJO) * -slope) {
          return new Step(t, trial, ft, gt);
        }
      }
    }
    return null;
  }

  /**
   * The Newton direction {@code -H^-1 g}, by Cholesky (after symmetrizing {@code H}: a Hessian
   * computed by any means is symmetric only up to rounding, and Hipparchus' Cholesky rejects
   * asymmetry above 1e-15 relative) or, if {@code H} is not positive definite, LU; null if
   * singular.
   */
  static double[] newtonDirection(double[][] hessian, double[] g) {
    int n = g.length;
    double[][] symmetric = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        symmetric[i][j] = 0.5 * (hessian[i][j] + hessian[j][i]);
      }
    }
    RealMatrix h = new Array2DRowRealMatrix(symmetric, false);
    ArrayRealVector minusG = new ArrayRealVector(negate(g), false);
    try {
      return new CholeskyDecomposition(h).getSolver().solve(minusG).toArray();
    } catch (MathIllegalArgumentException notPositiveDefinite) {
      try {
        return new LUDecomposition(h).getSolver().solve(minusG).toArray();
      } catch (MathIllegalArgumentException singular) {
        return null;
      }
    }
  }

  /** The Euclidean norm. */
  static double norm(double[] v) {
    return Math.sqrt(dot(v, v));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] negate(double[] v) {
    double[] minus = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      minus[i] = -v[i];
    }
    return minus;
  }
}
