package dev.gradgen.samples;

import java.util.Arrays;
import java.util.Locale;
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
 * Full-batch logistic regression on the breast-cancer data ({@link LogisticModel}), minimized by
 * a library optimizer that is fed gradgen's generated gradient instead of finite differences.
 *
 * <p>Why this optimizer: Hipparchus ({@code org.hipparchus:hipparchus-optim}, Apache-2.0, the
 * maintained successor of Commons Math, Java 8 bytecode, depends only on {@code hipparchus-core})
 * resolves from Maven Central and its gradient-based optimizer is the Polak–Ribière nonlinear
 * conjugate gradient method with a line search. It is not a quasi-Newton method: Hipparchus has
 * no BFGS/L-BFGS. The library with a real L-BFGS, Smile ({@code smile.math.BFGS}), was ruled out:
 * smile-core 4.x is compiled for Java 21 (this project targets 17), 3.x is GPL-3.0 and pulls
 * native OpenBLAS/ARPACK artifacts, and the LGPL 2.x line is from 2020. On this smooth, strongly
 * convex (with the L2 penalty) problem of 31 unknowns, conjugate gradients converge in about 50
 * iterations (about 500 loss evaluations, most of them in the line searches).
 *
 * <p>Convergence is judged on the gradient itself: the optimizer stops when the Euclidean norm of
 * the generated gradient at its current point is at most {@link #GRADIENT_TOLERANCE}.
 */
public final class BreastCancerNcg {
  /** Stop when |grad| is at most this. */
  static final double GRADIENT_TOLERANCE = 1e-6;
  /** The L2 penalty: keeps the (nearly separable) problem strongly convex. */
  static final double L2 = 1e-3;

  private BreastCancerNcg() {}

  /** Weights, intercept, the gradient norm there, and the optimizer's work. */
  record Result(double[] w, double b, double loss, double gradientNorm, int iterations,
      int evaluations) {}

  /** Minimizes the training loss of {@code data} from zero. */
  static Result train(BreastCancer.Split data, double l2) {
    int d = data.features();
    double[][] x = data.xTrain();
    double[] y = data.yTrain();
    // Parameters as one vector for the optimizer: w[0..d-1], then b.
    ObjectiveFunction value = new ObjectiveFunction(
        p -> LogisticModel.loss(Arrays.copyOf(p, d), p[d], x, y, l2));
    ObjectiveFunctionGradient gradient = new ObjectiveFunctionGradient(p -> {
      LogisticModelGrad.LossGradient g = LogisticModelGrad.loss(Arrays.copyOf(p, d), p[d], x, y,
          l2);
      double[] flat = Arrays.copyOf(g.w(), d + 1);
      flat[d] = g.b();
      return flat;
    });
    ConvergenceChecker<PointValuePair> smallGradient = (iteration, previous, current) ->
        gradientNorm(current.getPoint(), x, y, l2) <= GRADIENT_TOLERANCE;
    // Line search: Brent on the loss along the search direction, to relative/absolute value
    // tolerance 1e-8, starting from the bracket [0, 1]. The default first bracket, [0, 1e-8],
    // stalls near the optimum: the loss decrease over a 1e-8 step falls below the rounding of the
    // loss, the bracketing sees no descent and every later step is 0 (the gradient norm stuck at
    // about 1e-5). A unit step is the natural scale for a loss of standardized features.
    NonLinearConjugateGradientOptimizer optimizer = new NonLinearConjugateGradientOptimizer(
        NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, smallGradient, 1e-8, 1e-8,
        1.0);
    PointValuePair best = optimizer.optimize(value, gradient, GoalType.MINIMIZE,
        new InitialGuess(new double[d + 1]), new MaxIter(100_000), new MaxEval(1_000_000));
    double[] p = best.getPoint();
    return new Result(Arrays.copyOf(p, d), p[d], best.getValue(), gradientNorm(p, x, y, l2),
        optimizer.getIterations(), optimizer.getEvaluations());
  }

  /** The Euclidean norm of the generated gradient at the flat parameters {@code p}. */
  static double gradientNorm(double[] p, double[][] x, double[] y, double l2) {
    int d = p.length - 1;
    LogisticModelGrad.LossGradient g = LogisticModelGrad.loss(Arrays.copyOf(p, d), p[d], x, y, l2);
    double s = g.b() * g.b();
    for (double v : g.w()) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** The fraction of rows classified correctly (probability of class 1 at least 1/2). */
  static double accuracy(double[] w, double b, double[][] x, double[] y) {
    int correct = 0;
    for (int i = 0; i < x.length; i++) {
      double z = b;
      for (int j = 0; j < w.length; j++) {
        z += w[j] * x[i][j];
      }
      if ((z >= 0.0 ? 1.0 : 0.0) == y[i]) {
        correct++;
      }
    }
    return (double) correct / x.length;
  }

  /** Trains and prints the result; exit code 0 if converged with test accuracy at least 0.95. */
  public static int run(String[] args) {
    long seed = 42;
    if (args.length == 2 && "--seed".equals(args[0])) {
      try {
        seed = Long.parseLong(args[1]);
      } catch (NumberFormatException e) {
        System.out.println("not a number: " + args[1]);
        return 2;
      }
    } else if (args.length > 0) {
      System.out.println("usage: breast-cancer-ncg [--seed N]: full-batch logistic regression, "
          + "Hipparchus nonlinear conjugate gradients fed by the generated gradient");
      return "--help".equals(args[0]) || "-h".equals(args[0]) ? 0 : 2;
    }
    BreastCancer.Split data = BreastCancer.load(seed);
    Result r = train(data, L2);
    double trainAccuracy = accuracy(r.w(), r.b(), data.xTrain(), data.yTrain());
    double testAccuracy = accuracy(r.w(), r.b(), data.xTest(), data.yTest());
    System.out.printf(Locale.ROOT, "breast cancer: %d train / %d test rows, %d features, L2 %g%n",
        data.xTrain().length, data.xTest().length, data.features(), L2);
    System.out.printf(Locale.ROOT, "Hipparchus NonLinearConjugateGradientOptimizer (Polak-Ribiere):"
        + " %d iterations, %d loss evaluations%n", r.iterations(), r.evaluations());
    System.out.printf(Locale.ROOT, "training loss %.6f, gradient norm %.2e%n", r.loss(),
        r.gradientNorm());
    System.out.printf(Locale.ROOT, "accuracy: train %.4f, test %.4f%n", trainAccuracy,
        testAccuracy);
    return r.gradientNorm() <= GRADIENT_TOLERANCE && testAccuracy >= 0.95 ? 0 : 1;
  }
}
