package dev.gradgen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Checks a gradient against central finite differences and reports the worst entries, the way
 * JAX users use {@code check_grads}.
 *
 * <p>For a function of one flat vector:
 *
 * <pre>{@code
 * double[] g = ...;                                        // the gradient to check
 * GradCheck.check(v -> f(v), x, g).assertWithin(1e-6);     // throws with a table if off
 * }</pre>
 *
 * <p>For a generated gradient of a method with mixed {@code double}, {@code double[]}, {@code
 * double[][]} and {@code double[][][]} parameters, describe the differentiable arguments with a {@link Layout} (names and
 * values, in order), pass the matching components of the generated record, and evaluate the
 * function on the perturbed arguments the layout hands you as an {@link Args}:
 *
 * <pre>{@code
 * ModelGrad.LossGradient g = ModelGrad.loss(w, b, x, y);
 * GradCheck.Layout layout = GradCheck.layout("w", w, "b", b);
 * GradCheck.check(layout, a -> Model.loss(a.vector(0), a.scalar(1), x, y), g.w(), g.b())
 *     .assertWithin(1e-6);
 * }</pre>
 *
 * <p>Entry {@code i} of the numerical gradient is {@code (f(x + h e_i) - f(x - h e_i)) / 2h} with
 * {@code h = step * max(1, |x_i|)} ({@link #DEFAULT_STEP} unless given). The error of an entry
 * is {@code |analytic - numeric| / max(1, |analytic|, |numeric|)}: relative for entries larger
 * than 1, absolute below. A NaN or infinite entry on either side counts as an infinite error.
 * Arguments are never modified: the function is evaluated on a working copy.
 *
 * <p>Beyond gradients of scalar functions, each check for one kind of generated (or hand-written)
 * derivative:
 *
 * <ul>
 *   <li>{@link #jacobian(Function, double[], double[][]) jacobian}: the full Jacobian of a
 *       vector function {@code R^n -> R^m}, rows the outputs, entry by entry against central
 *       differences (one column per input, from {@code f(x + h e_j)} and {@code f(x - h e_j)}).
 *   <li>{@link #jvp(ToDoubleFunction, double[], double[], double) jvp}: one forward-mode tangent
 *       of a scalar function, {@code <grad f(x), u>}, against {@code (f(x + h u) - f(x - h u)) /
 *       2h}: two evaluations, however long {@code x} is.
 *   <li>{@link #jvpVjp(Function, Function, int, int) jvpVjp}: that forward and reverse mode
 *       agree, by the dot-product test {@code <J u, v> = <u, J^T v>} on random {@code u} and
 *       {@code v}. No finite differences: it holds to rounding error, so use a tolerance like
 *       {@code 1e-12}; it says nothing about whether either is the right derivative.
 *   <li>{@link #hessian(Function, double[], double[][]) hessian}: a full Hessian given the
 *       gradient, for symmetry and against central differences of the gradient, column by
 *       column.
 *   <li>{@link #hvp(Function, double[], Function) hvp}: Hessian-vector products given the
 *       gradient, for random {@code u} and {@code w}: {@code H u} against {@code (grad f(x + h u)
 *       - grad f(x - h u)) / 2h}, and symmetry as {@code <H u, w> = <u, H w>}.
 * </ul>
 *
 * <p>Along a direction {@code u} the step is the largest {@code h} that moves no entry by more
 * than {@code step * max(1, |x_i|)}: {@code h = step / max_i(|u_i| / max(1, |x_i|))}, the
 * gradient check's step for {@code u = e_i}. The two sides of an identity {@code <a, b> = <c,
 * d>} are compared relative to their Cauchy-Schwarz bounds: the error is {@code |<a, b> - <c,
 * d>| / max(1, |a| |b|, |c| |d|)}. Random directions come from a {@link
 * java.util.SplittableRandom} with a given seed ({@link #DEFAULT_SEED} unless told), entries
 * uniform in [-1, 1), so a failure can be reproduced.
 */
public final class GradCheck {
  /** The default relative step of the central differences. */
  public static final double DEFAULT_STEP = 1e-6;

  /**
   * How many random pairs of directions {@link #jvpVjp(Function, Function, int, int)} and {@link
   * #hvp(Function, double[], Function)} draw unless told.
   */
  public static final int DEFAULT_SAMPLES = 10;

  /** The seed of the random directions unless one is given. */
  public static final long DEFAULT_SEED = 42L;

  /** How many rows {@link Report#toString()} shows. */
  private static final int TABLE_ROWS = 10;

  private GradCheck() {}

  /**
   * Checks {@code gradient} against central differences of {@code f} at {@code x}.
   *
   * @param f the function whose gradient is checked
   * @param x the point, not modified
   * @param gradient the gradient of {@code f} at {@code x} to check, one entry per entry of
   *     {@code x}
   * @return the comparison of every entry
   */
  public static Report check(ToDoubleFunction<double[]> f, double[] x, double[] gradient) {
    return check(f, x, gradient, DEFAULT_STEP);
  }

  /**
   * Checks {@code gradient} against central differences of {@code f} at {@code x} with the
   * relative step {@code step}. {@code f} receives a working copy of {@code x} (one entry
   * perturbed) that it must not keep; {@code x} itself is not modified.
   *
   * @param f the function whose gradient is checked
   * @param x the point, not modified
   * @param gradient the gradient of {@code f} at {@code x} to check, one entry per entry of
   *     {@code x}
   * @param step the relative step, positive
   * @return the comparison of every entry
   */
  public static Report check(
      ToDoubleFunction<double[]> f, double[] x, double[] gradient, double step) {
    return check(null, f, x, gradient, step);
  }

  /**
   * Checks the gradient of a function of the arguments described by {@code layout}, at the values
   * the layout was made with. {@code gradient} has one entry per layout part, in order: a {@code
   * Double} (or {@code double}), {@code double[]}, {@code double[][]} or {@code double[][][]} of
   * the part's shape, e.g.
   * the components of a generated gradient record.
   *
   * @param layout the differentiable arguments, made by {@link #layout}
   * @param f the function, evaluated on perturbed copies of the arguments
   * @param gradient the gradient to check, one value per layout part
   * @return the comparison of every entry
   */
  public static Report check(Layout layout, ToDoubleFunction<Args> f, Object... gradient) {
    return check(layout, DEFAULT_STEP, f, gradient);
  }

  /**
   * {@link #check(Layout, ToDoubleFunction, Object...)} with the relative step {@code step}.
   *
   * @param layout the differentiable arguments, made by {@link #layout}
   * @param step the relative step, positive
   * @param f the function, evaluated on perturbed copies of the arguments
   * @param gradient the gradient to check, one value per layout part
   * @return the comparison of every entry
   */
  public static Report check(
      Layout layout, double step, ToDoubleFunction<Args> f, Object... gradient) {
    double[] flatGradient = layout.flatten(gradient);
    return check(layout, v -> f.applyAsDouble(layout.unflatten(v)), layout.values(), flatGradient,
        step);
  }

  /**
   * Checks {@code jacobian}, the Jacobian of {@code f} at {@code x}, against central differences:
   * column {@code j} is estimated from {@code f(x + h e_j)} and {@code f(x - h e_j)}. Entry
   * {@code J[i][j]} is {@code d f_i / d x_j}: one row per output, one column per input.
   *
   * @param f the function whose Jacobian is checked, {@code R^n -> R^m}; it receives a working
   *     copy of {@code x} that it must not keep, and its results are copied (so it may reuse one
   *     output array)
   * @param x the point, not modified
   * @param jacobian the Jacobian to check: {@code m} rows (one per output of {@code f}) of
   *     {@code n = x.length} entries
   * @return the comparison of every entry, labelled {@code J[i][j]}
   * @throws IllegalArgumentException if {@code jacobian} is not {@code m} &times; {@code n}, or
   *     the number of outputs of {@code f} changes between evaluations
   */
  public static Report jacobian(Function<double[], double[]> f, double[] x, double[][] jacobian) {
    return jacobian(f, x, jacobian, DEFAULT_STEP);
  }

  /**
   * {@link #jacobian(Function, double[], double[][])} with the relative step {@code step}.
   *
   * @param f the function whose Jacobian is checked, {@code R^n -> R^m}; it receives a working
   *     copy of {@code x} that it must not keep, and its results are copied
   * @param x the point, not modified
   * @param jacobian the Jacobian to check: {@code m} rows (one per output of {@code f}) of
   *     {@code n = x.length} entries
   * @param step the relative step, positive
   * @return the comparison of every entry, labelled {@code J[i][j]}
   * @throws IllegalArgumentException if {@code jacobian} is not {@code m} &times; {@code n}, or
   *     the number of outputs of {@code f} changes between evaluations
   */
  public static Report jacobian(
      Function<double[], double[]> f, double[] x, double[][] jacobian, double step) {
    return jacobian(null, f, x, jacobian, step);
  }

  /**
   * Checks the Jacobian of a vector function of the arguments described by {@code layout}, at the
   * values the layout was made with. Its inputs are the layout's flat vector: column {@code j} of
   * {@code jacobian} belongs to flat entry {@code j} ({@link Layout#label(int)}), so the
   * columns of a part follow each other as {@link Layout#flatten} lays them out.
   *
   * @param layout the differentiable arguments, made by {@link #layout}
   * @param f the function, evaluated on perturbed copies of the arguments; its results are copied
   * @param jacobian the Jacobian to check: one row per output of {@code f}, of {@link
   *     Layout#size()} entries
   * @return the comparison of every entry, labelled like {@code J[1][w[3]]}
   * @throws IllegalArgumentException if {@code jacobian} has the wrong shape, or the number of
   *     outputs of {@code f} changes between evaluations
   */
  public static Report jacobian(Layout layout, Function<Args, double[]> f, double[][] jacobian) {
    return jacobian(layout, DEFAULT_STEP, f, jacobian);
  }

  /**
   * {@link #jacobian(Layout, Function, double[][])} with the relative step {@code step}.
   *
   * @param layout the differentiable arguments, made by {@link #layout}
   * @param step the relative step, positive
   * @param f the function, evaluated on perturbed copies of the arguments; its results are copied
   * @param jacobian the Jacobian to check: one row per output of {@code f}, of {@link
   *     Layout#size()} entries
   * @return the comparison of every entry, labelled like {@code J[1][w[3]]}
   * @throws IllegalArgumentException if {@code jacobian} has the wrong shape, or the number of
   *     outputs of {@code f} changes between evaluations
   */
  public static Report jacobian(
      Layout layout, double step, Function<Args, double[]> f, double[][] jacobian) {
    return jacobian(layout, v -> f.apply(layout.unflatten(v)), layout.values(), jacobian, step);
  }

  /**
   * Checks {@code tangent}, the directional derivative of {@code f} at {@code x} along {@code u}
   * (what forward mode computes: {@code <grad f(x), u>}), against the central difference {@code
   * (f(x + h u) - f(x - h u)) / 2h}. One direction costs two evaluations, whatever the length of
   * {@code x}.
   *
   * @param f the function whose directional derivative is checked; it receives a working copy
   *     of {@code x} that it must not keep
   * @param x the point, not modified
   * @param u the direction, finite, one entry per entry of {@code x}; not modified
   * @param tangent the directional derivative of {@code f} at {@code x} along {@code u} to check
   * @return the comparison, of one entry labelled {@code tangent}
   * @throws IllegalArgumentException if {@code u} has another length than {@code x} or is not
   *     finite
   */
  public static Report jvp(ToDoubleFunction<double[]> f, double[] x, double[] u, double tangent) {
    return jvp(f, x, u, tangent, DEFAULT_STEP);
  }

  /**
   * {@link #jvp(ToDoubleFunction, double[], double[], double)} with the relative step {@code
   * step}.
   *
   * @param f the function whose directional derivative is checked; it receives a working copy
   *     of {@code x} that it must not keep
   * @param x the point, not modified
   * @param u the direction, finite, one entry per entry of {@code x}; not modified
   * @param tangent the directional derivative of {@code f} at {@code x} along {@code u} to check
   * @param step the relative step, positive
   * @return the comparison, of one entry labelled {@code tangent}
   * @throws IllegalArgumentException if {@code u} has another length than {@code x} or is not
   *     finite
   */
  public static Report jvp(
      ToDoubleFunction<double[]> f, double[] x, double[] u, double tangent, double step) {
    checkStep(step);
    checkDirection("u", u, x.length);
    double h = directionalStep(x, u, step);
    double numeric = 0.0;
    if (h > 0.0) {
      double[] point = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        point[i] = x[i] + h * u[i];
      }
      double plus = f.applyAsDouble(point);
      for (int i = 0; i < x.length; i++) {
        point[i] = x[i] - h * u[i];
      }
      numeric = (plus - f.applyAsDouble(point)) / (2.0 * h);
    }
    return Report.differences("JVP check", "central difference along u, step " + format(step),
        new String[] {"tangent"}, new double[] {tangent}, new double[] {numeric});
  }

  /**
   * Checks the directional derivative of a function of the arguments described by {@code
   * layout}, at the values the layout was made with, along {@code direction}: one value per
   * layout part, of that part's shape (the tangents a forward-mode call was seeded with).
   *
   * @param layout the differentiable arguments, made by {@link #layout}
   * @param f the function, evaluated on perturbed copies of the arguments
   * @param tangent the directional derivative along {@code direction} to check
   * @param direction the direction, one value per layout part, finite
   * @return the comparison, of one entry labelled {@code tangent}
   * @throws IllegalArgumentException if a part of {@code direction} is missing or has another
   *     shape, or is not finite
   */
  public static Report jvp(
      Layout layout, ToDoubleFunction<Args> f, double tangent, Object... direction) {
    return jvp(layout, DEFAULT_STEP, f, tangent, direction);
  }

  /**
   * {@link #jvp(Layout, ToDoubleFunction, double, Object...)} with the relative step {@code
   * step}.
   *
   * @param layout the differentiable arguments, made by {@link #layout}
   * @param step the relative step, positive
   * @param f the function, evaluated on perturbed copies of the arguments
   * @param tangent the directional derivative along {@code direction} to check
   * @param direction the direction, one value per layout part, finite
   * @return the comparison, of one entry labelled {@code tangent}
   * @throws IllegalArgumentException if a part of {@code direction} is missing or has another
   *     shape, or is not finite
   */
  public static Report jvp(Layout layout, double step, ToDoubleFunction<Args> f, double tangent,
      Object... direction) {
    return jvp(v -> f.applyAsDouble(layout.unflatten(v)), layout.values(),
        layout.flatten(direction), tangent, step);
  }

  /**
   * The dot-product test of forward against reverse mode: for random {@code u} and {@code v},
   * {@code <J u, v>} (from {@code jvp}) must equal {@code <u, J^T v>} (from {@code vjp}). No
   * finite differences are involved, so the two agree to rounding error when {@code vjp} is the
   * adjoint of {@code jvp}: a tolerance like {@code 1e-12} is right. It does not check that
   * either is the derivative of anything (check one of them with {@link #jacobian(Function,
   * double[], double[][])} or {@link #jvp(ToDoubleFunction, double[], double[], double)}).
   * Draws {@link #DEFAULT_SAMPLES} pairs with the seed {@link #DEFAULT_SEED}.
   *
   * @param jvp the Jacobian-vector product at a fixed point, {@code u -> J u}: {@code n} entries
   *     to {@code m}; it receives a copy of {@code u}
   * @param vjp the vector-Jacobian product at the same point, {@code v -> J^T v}: {@code m}
   *     entries to {@code n}; it receives a copy of {@code v}
   * @param n the number of inputs (columns of {@code J}), not negative
   * @param m the number of outputs (rows of {@code J}), not negative
   * @return one entry per pair, labelled {@code pair[k]}; {@link Report#worst(int)} is the worst
   *     pair
   * @throws IllegalArgumentException if {@code n} or {@code m} is negative, or {@code jvp} or
   *     {@code vjp} returns a vector of the wrong length
   */
  public static Report jvpVjp(
      Function<double[], double[]> jvp, Function<double[], double[]> vjp, int n, int m) {
    return jvpVjp(jvp, vjp, n, m, DEFAULT_SAMPLES, DEFAULT_SEED);
  }

  /**
   * {@link #jvpVjp(Function, Function, int, int)} with {@code samples} pairs drawn from {@code
   * new SplittableRandom(seed)}: for pair {@code k}, the {@code n} entries of {@code u} and then
   * the {@code m} entries of {@code v}, each uniform in [-1, 1).
   *
   * @param jvp the Jacobian-vector product at a fixed point, {@code u -> J u}: {@code n} entries
   *     to {@code m}; it receives a copy of {@code u}
   * @param vjp the vector-Jacobian product at the same point, {@code v -> J^T v}: {@code m}
   *     entries to {@code n}; it receives a copy of {@code v}
   * @param n the number of inputs (columns of {@code J}), not negative
   * @param m the number of outputs (rows of {@code J}), not negative
   * @param samples how many random pairs, positive
   * @param seed the seed of the random pairs
   * @return one entry per pair, labelled {@code pair[k]}; {@link Report#worst(int)} is the worst
   *     pair
   * @throws IllegalArgumentException if {@code n} or {@code m} is negative, {@code samples} is
   *     not positive, or {@code jvp} or {@code vjp} returns a vector of the wrong length
   */
  public static Report jvpVjp(Function<double[], double[]> jvp, Function<double[], double[]> vjp,
      int n, int m, int samples, long seed) {
    if (n < 0 || m < 0) {
      throw new IllegalArgumentException("n and m must not be negative: n = " + n + ", m = " + m);
    }
    checkSamples(samples);
    SplittableRandom random = new SplittableRandom(seed);
    List<Entry> entries = new ArrayList<>(samples);
    for (int k = 0; k < samples; k++) {
      double[] u = random(random, n);
      double[] v = random(random, m);
      String label = "pair[" + k + "]";
      double[] ju = evaluate(jvp, u.clone(), "jvp", "for u of " + label, m, "but m = " + m);
      double[] jtv = evaluate(vjp, v.clone(), "vjp", "for v of " + label, n, "but n = " + n);
      entries.add(identity(k, label, ju, v, u, jtv));
    }
    return new Report("JVP/VJP check", samples == 1 ? "pair" : "pairs",
        "<J u, v> against <u, J^T v>, seed " + seed, "<J u, v>", "<u, J^T v>", entries);
  }

  /**
   * Checks {@code hessian}, the Hessian of a function at {@code x}, given its gradient: (a) that
   * it is symmetric, {@code H[i][j]} against {@code H[j][i]}, and (b) against central differences
   * of the gradient, column {@code j} from {@code gradient(x + h e_j)} and {@code gradient(x - h
   * e_j)}. Symmetry holds to rounding error for a Hessian computed by differentiating twice, so
   * it takes a far smaller tolerance than (b): see {@link HessianReport#assertWithin(double,
   * double)}. (b) alone does not catch a "gradient" that is no gradient (whose Jacobian is not
   * symmetric) with its matching Jacobian; (a) does.
   *
   * @param gradient the gradient of the function, {@code x -> grad f(x)}, of {@code x.length}
   *     entries; it receives a working copy of {@code x} that it must not keep, and its results
   *     are copied
   * @param x the point, not modified
   * @param hessian the Hessian to check, {@code n} &times; {@code n} for {@code n = x.length}
   * @return the symmetry and the central-difference comparisons, entries labelled {@code
   *     H[i][j]}
   * @throws IllegalArgumentException if {@code hessian} is not {@code n} &times; {@code n}, or
   *     {@code gradient} returns a vector of another length than {@code x}
   */
  public static HessianReport hessian(
      Function<double[], double[]> gradient, double[] x, double[][] hessian) {
    return hessian(gradient, x, hessian, DEFAULT_STEP);
  }

  /**
   * {@link #hessian(Function, double[], double[][])} with the relative step {@code step}.
   *
   * @param gradient the gradient of the function, {@code x -> grad f(x)}, of {@code x.length}
   *     entries; it receives a working copy of {@code x} that it must not keep, and its results
   *     are copied
   * @param x the point, not modified
   * @param hessian the Hessian to check, {@code n} &times; {@code n} for {@code n = x.length}
   * @param step the relative step, positive
   * @return the symmetry and the central-difference comparisons, entries labelled {@code
   *     H[i][j]}
   * @throws IllegalArgumentException if {@code hessian} is not {@code n} &times; {@code n}, or
   *     {@code gradient} returns a vector of another length than {@code x}
   */
  public static HessianReport hessian(
      Function<double[], double[]> gradient, double[] x, double[][] hessian, double step) {
    return hessian(null, gradient, x, hessian, step);
  }

  /**
   * Checks the Hessian of a function of the arguments described by {@code layout}, at the values
   * the layout was made with, as {@link #hessian(Function, double[], double[][])} does. Rows and
   * columns are the layout's flat entries, and {@code gradient} returns the gradient flattened,
   * e.g. {@code a -> layout.flatten(g.w(), g.b())} for the components of a generated gradient
   * record computed from {@code a}.
   *
   * @param layout the differentiable arguments, made by {@link #layout}
   * @param gradient the flat gradient, evaluated on perturbed copies of the arguments; its
   *     results are copied
   * @param hessian the Hessian to check, {@link Layout#size()} &times; {@link Layout#size()}
   * @return the symmetry and the central-difference comparisons, entries labelled like {@code
   *     H[w[0]][b]}
   * @throws IllegalArgumentException if {@code hessian} has the wrong shape, or {@code gradient}
   *     returns a vector of another length than the layout's
   */
  public static HessianReport hessian(
      Layout layout, Function<Args, double[]> gradient, double[][] hessian) {
    return hessian(layout, DEFAULT_STEP, gradient, hessian);
  }

  /**
   * {@link #hessian(Layout, Function, double[][])} with the relative step {@code step}.
   *
   * @param layout the differentiable arguments, made by {@link #layout}
   * @param step the relative step, positive
   * @param gradient the flat gradient, evaluated on perturbed copies of the arguments; its
   *     results are copied
   * @param hessian the Hessian to check, {@link Layout#size()} &times; {@link Layout#size()}
   * @return the symmetry and the central-difference comparisons, entries labelled like {@code
   *     H[w[0]][b]}
   * @throws IllegalArgumentException if {@code hessian} has the wrong shape, or {@code gradient}
   *     returns a vector of another length than the layout's
   */
  public static HessianReport hessian(
      Layout layout, double step, Function<Args, double[]> gradient, double[][] hessian) {
    return hessian(layout, v -> gradient.apply(layout.unflatten(v)), layout.values(), hessian,
        step);
  }

  /**
   * Checks Hessian-vector products at {@code x}, given the gradient, for random directions
   * {@code u} and {@code w}: (a) symmetry, {@code <H u, w>} against {@code <u, H w>}, which holds
   * to rounding error (like {@link #jvpVjp(Function, Function, int, int)}), and (b) {@code H u}
   * against the central difference of the gradient along {@code u}, {@code (grad f(x + h u) -
   * grad f(x - h u)) / 2h}. Costs two products and two gradients per sample, never the full
   * Hessian. Draws {@link #DEFAULT_SAMPLES} samples with the seed {@link #DEFAULT_SEED}.
   *
   * @param gradient the gradient of the function, {@code x -> grad f(x)}, of {@code x.length}
   *     entries; it receives a working copy that it must not keep, and its results are copied
   * @param x the point, not modified
   * @param hvp the Hessian-vector product at {@code x}, {@code u -> H u}; it receives a copy of
   *     {@code u}
   * @return the symmetry comparison (entries {@code pair[k]}) and the central-difference one
   *     (entries {@code (H u_k)[i]})
   * @throws IllegalArgumentException if {@code gradient} or {@code hvp} returns a vector of
   *     another length than {@code x}
   */
  public static HessianReport hvp(
      Function<double[], double[]> gradient, double[] x, Function<double[], double[]> hvp) {
    return hvp(gradient, x, hvp, DEFAULT_STEP, DEFAULT_SAMPLES, DEFAULT_SEED);
  }

  /**
   * {@link #hvp(Function, double[], Function)} with the relative step {@code step} and {@code
   * samples} pairs of directions drawn from {@code new SplittableRandom(seed)}: for sample {@code
   * k}, the {@code n} entries of {@code u_k} and then those of {@code w_k}, each uniform in [-1,
   * 1). The step along {@code u_k} is as in {@link #jvp(ToDoubleFunction, double[], double[],
   * double, double)}.
   *
   * @param gradient the gradient of the function, {@code x -> grad f(x)}, of {@code x.length}
   *     entries; it receives a working copy that it must not keep, and its results are copied
   * @param x the point, not modified
   * @param hvp the Hessian-vector product at {@code x}, {@code u -> H u}; it receives a copy of
   *     {@code u}
   * @param step the relative step, positive
   * @param samples how many pairs of directions, positive
   * @param seed the seed of the random directions
   * @return the symmetry comparison (entries {@code pair[k]}) and the central-difference one
   *     (entries {@code (H u_k)[i]})
   * @throws IllegalArgumentException if {@code samples} is not positive, or {@code gradient} or
   *     {@code hvp} returns a vector of another length than {@code x}
   */
  public static HessianReport hvp(Function<double[], double[]> gradient, double[] x,
      Function<double[], double[]> hvp, double step, int samples, long seed) {
    checkStep(step);
    checkSamples(samples);
    int n = x.length;
    String expected = "but x has length " + n;
    SplittableRandom random = new SplittableRandom(seed);
    List<Entry> pairs = new ArrayList<>(samples);
    String[] labels = new String[samples * n];
    double[] analytic = new double[samples * n];
    double[] numeric = new double[samples * n];
    double[] point = new double[n];
    for (int k = 0; k < samples; k++) {
      double[] u = random(random, n);
      double[] w = random(random, n);
      double[] hu = evaluate(hvp, u.clone(), "hvp", "for u_" + k, n, expected);
      double[] hw = evaluate(hvp, w.clone(), "hvp", "for w_" + k, n, expected);
      pairs.add(identity(k, "pair[" + k + "]", hu, w, u, hw));
      double h = directionalStep(x, u, step);
      double[] plus = new double[n];
      double[] minus = new double[n];
      if (h > 0.0) {
        for (int i = 0; i < n; i++) {
          point[i] = x[i] + h * u[i];
        }
        plus = evaluate(gradient, point, "gradient", "at x + h u_" + k, n, expected);
        for (int i = 0; i < n; i++) {
          point[i] = x[i] - h * u[i];
        }
        minus = evaluate(gradient, point, "gradient", "at x - h u_" + k, n, expected);
      }
      for (int i = 0; i < n; i++) {
        labels[k * n + i] = "(H u_" + k + ")[" + i + "]";
        analytic[k * n + i] = hu[i];
        numeric[k * n + i] = h > 0.0 ? (plus[i] - minus[i]) / (2.0 * h) : 0.0;
      }
    }
    Report symmetry = new Report("HVP symmetry check", samples == 1 ? "pair" : "pairs",
        "<H u, w> against <u, H w>, seed " + seed, "<H u, w>", "<u, H w>", pairs);
    Report differences = Report.differences("HVP check", "H u against central differences of "
        + "the gradient along u, " + samples + " random u, seed " + seed + ", step "
        + format(step), labels, analytic, numeric);
    return new HessianReport(symmetry, differences);
  }

  /**
   * A layout for the given differentiable arguments: alternating names and values, each value a
   * {@code Double} (an autoboxed {@code double}), {@code double[]}, or a rectangular-or-ragged
   * {@code double[][]} or {@code double[][][]}. The values are copied.
   *
   * @param namesAndValues a name ({@code String}) followed by its value, for each argument
   * @return the layout, holding copies of the values
   * @throws IllegalArgumentException if the names and values do not alternate, or a value is
   *     not a {@code Double}, {@code double[]}, {@code double[][]} or {@code double[][][]}
   */
  public static Layout layout(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("expected name, value, name, value, ...");
    }
    int parts = namesAndValues.length / 2;
    String[] names = new String[parts];
    Object[] values = new Object[parts];
    for (int p = 0; p < parts; p++) {
      if (!(namesAndValues[2 * p] instanceof String name)) {
        throw new IllegalArgumentException("argument " + 2 * p + " should be a name: "
            + namesAndValues[2 * p]);
      }
      names[p] = name;
      values[p] = namesAndValues[2 * p + 1];
    }
    return new Layout(names, values);
  }

  private static Report check(
      Layout layout, ToDoubleFunction<double[]> f, double[] x, double[] gradient, double step) {
    if (gradient.length != x.length) {
      throw new IllegalArgumentException("gradient has length " + gradient.length
          + " but x has length " + x.length);
    }
    if (!(step > 0.0)) {
      throw new IllegalArgumentException("step must be positive: " + step);
    }
    double[] point = x.clone();
    double[] numeric = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double h = step * Math.max(1.0, Math.abs(x[i]));
      point[i] = x[i] + h;
      double plus = f.applyAsDouble(point);
      point[i] = x[i] - h;
      double minus = f.applyAsDouble(point);
      point[i] = x[i];
      numeric[i] = (plus - minus) / (2.0 * h);
    }
    String[] labels = new String[x.length];
    for (int i = 0; i < x.length; i++) {
      labels[i] = layout == null ? "[" + i + "]" : layout.label(i);
    }
    return Report.differences("gradient check", "central differences, step " + format(step),
        labels, gradient.clone(), numeric);
  }

  private static Report jacobian(Layout layout, Function<double[], double[]> f, double[] x,
      double[][] jacobian, double step) {
    checkStep(step);
    int n = x.length;
    int m = evaluate(f, x.clone(), "f", "at x", -1, null).length;
    checkMatrix("jacobian", jacobian, m, n, "f returns " + values(m) + " (rows are outputs)",
        "x has length " + n + " (columns are inputs)");
    double[][] numeric = centralDifferences(f, "f", x, m, "but " + m + " at x; the number of "
        + "outputs must not change", layout, step);
    String[] labels = new String[m * n];
    double[] analytic = new double[m * n];
    double[] flatNumeric = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        labels[i * n + j] = "J[" + i + "][" + (layout == null ? j : layout.label(j)) + "]";
        analytic[i * n + j] = jacobian[i][j];
        flatNumeric[i * n + j] = numeric[i][j];
      }
    }
    return Report.differences("Jacobian check", "central differences, step " + format(step),
        labels, analytic, flatNumeric);
  }

  private static HessianReport hessian(Layout layout, Function<double[], double[]> gradient,
      double[] x, double[][] hessian, double step) {
    checkStep(step);
    int n = x.length;
    String because = "x has length " + n;
    checkMatrix("hessian", hessian, n, n, because, because);
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = "[" + (layout == null ? String.valueOf(i) : layout.label(i)) + "]";
    }
    List<Entry> pairs = new ArrayList<>(n * (n - 1) / 2);
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        pairs.add(new Entry(i * n + j, "H" + names[i] + names[j], hessian[i][j], hessian[j][i],
            Report.error(hessian[i][j], hessian[j][i])));
      }
    }
    Report symmetry = new Report("Hessian symmetry check",
        pairs.size() == 1 ? "entry pair" : "entry pairs", "H[i][j] against H[j][i], i < j",
        "H[i][j]", "H[j][i]", pairs);
    double[][] numeric = centralDifferences(gradient, "gradient", x, n, "but " + because, layout,
        step);
    String[] labels = new String[n * n];
    double[] analytic = new double[n * n];
    double[] flatNumeric = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        labels[i * n + j] = "H" + names[i] + names[j];
        analytic[i * n + j] = hessian[i][j];
        flatNumeric[i * n + j] = numeric[i][j];
      }
    }
    Report differences = Report.differences("Hessian check", "central differences of the "
        + "gradient, step " + format(step), labels, analytic, flatNumeric);
    return new HessianReport(symmetry, differences);
  }

  /**
   * Central differences of {@code f} at {@code x}, one column per input: entry {@code [i][j]}
   * estimates {@code d f_i / d x_j} from {@code f(x + h e_j)} and {@code f(x - h e_j)}, {@code h
   * = step * max(1, |x_j|)}. Each result must have {@code m} entries, else the message says so
   * and ends with {@code expected}.
   */
  private static double[][] centralDifferences(Function<double[], double[]> f, String name,
      double[] x, int m, String expected, Layout layout, double step) {
    double[] point = x.clone();
    double[][] numeric = new double[m][x.length];
    for (int j = 0; j < x.length; j++) {
      double h = step * Math.max(1.0, Math.abs(x[j]));
      String e = "e_" + j + (layout == null ? "" : " (" + layout.label(j) + ")");
      point[j] = x[j] + h;
      double[] plus = evaluate(f, point, name, "at x + h " + e, m, expected);
      point[j] = x[j] - h;
      double[] minus = evaluate(f, point, name, "at x - h " + e, m, expected);
      point[j] = x[j];
      for (int i = 0; i < m; i++) {
        numeric[i][j] = (plus[i] - minus[i]) / (2.0 * h);
      }
    }
    return numeric;
  }

  /**
   * A copy of {@code f(arg)}, which must have {@code length} entries (any number if negative):
   * else "{@code name} returned k values {@code where} {@code expected}".
   */
  private static double[] evaluate(Function<double[], double[]> f, double[] arg, String name,
      String where, int length, String expected) {
    double[] r = f.apply(arg);
    if (r == null) {
      throw new IllegalArgumentException(name + " returned null " + where);
    }
    if (length >= 0 && r.length != length) {
      throw new IllegalArgumentException(name + " returned " + values(r.length) + " " + where
          + " " + expected);
    }
    return r.clone();
  }

  /** That {@code matrix} is {@code rows} &times; {@code columns}, with a message naming it. */
  private static void checkMatrix(String name, double[][] matrix, int rows, int columns,
      String rowsBecause, String columnsBecause) {
    if (matrix == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    boolean transposed = rows != columns && matrix.length == columns;
    for (int i = 0; i < matrix.length && transposed; i++) {
      transposed = matrix[i] != null && matrix[i].length == rows;
    }
    String hint = transposed ? "; is it transposed?" : "";
    if (matrix.length != rows) {
      throw new IllegalArgumentException(name + " has " + matrix.length
          + (matrix.length == 1 ? " row" : " rows") + " but "
          + rowsBecause + hint);
    }
    for (int i = 0; i < rows; i++) {
      if (matrix[i] == null) {
        throw new IllegalArgumentException(name + " row " + i + " is null");
      }
      if (matrix[i].length != columns) {
        throw new IllegalArgumentException(name + " row " + i + " has length "
            + matrix[i].length + " but " + columnsBecause);
      }
    }
  }

  /**
   * The step along {@code u}: the largest perturbation of an entry, {@code |h u_i|}, is {@code
   * step * max(1, |x_i|)}, as in the gradient check (and the same {@code h} for {@code u = e_i}).
   * 0 for a zero direction.
   */
  private static double directionalStep(double[] x, double[] u, double step) {
    double r = 0.0;
    for (int i = 0; i < x.length; i++) {
      r = Math.max(r, Math.abs(u[i]) / Math.max(1.0, Math.abs(x[i])));
    }
    return r == 0.0 ? 0.0 : step / r;
  }

  private static void checkDirection(String name, double[] u, int n) {
    if (u == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (u.length != n) {
      throw new IllegalArgumentException(name + " has length " + u.length + " but x has length "
          + n);
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(u[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + u[i]);
      }
    }
  }

  private static void checkSamples(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be positive: " + samples);
    }
  }

  /** {@code n} entries uniform in [-1, 1). */
  private static double[] random(SplittableRandom random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble(-1.0, 1.0);
    }
    return v;
  }

  /**
   * The entry comparing {@code <a, b>} with {@code <c, d>}: the error is their difference over
   * {@code max(1, |a| |b|, |c| |d|)}, the Cauchy-Schwarz bounds of the two (which the rounding
   * error of either is proportional to), infinite if either is not finite.
   */
  private static Entry identity(
      int index, String label, double[] a, double[] b, double[] c, double[] d) {
    double left = dot(a, b);
    double right = dot(c, d);
    double error;
    if (!Double.isFinite(left) || !Double.isFinite(right)) {
      error = Double.POSITIVE_INFINITY;
    } else {
      double scale = Math.max(1.0, Math.max(norm(a) * norm(b), norm(c) * norm(d)));
      error = Math.abs(left - right) / scale;
    }
    return new Entry(index, label, left, right, error);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void checkStep(double step) {
    if (!(step > 0.0)) {
      throw new IllegalArgumentException("step must be positive: " + step);
    }
  }

  /** "1 value", "3 values". */
  private static String values(int k) {
    return k == 1 ? "1 value" : k + " values";
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.3e", v);
  }

  /**
   * One compared entry of a check: of a gradient, a Jacobian or a Hessian against central
   * differences, of a Hessian against its transpose, or of two inner products that should agree.
   *
   * @param index the entry's position: in the flat gradient; {@code i * n + j} for entry {@code
   *     [i][j]} of an m &times; n Jacobian or Hessian; {@code k * n + i} for entry {@code i} of
   *     the {@code k}-th Hessian-vector product; {@code k} for the {@code k}-th random pair
   * @param label the entry's name, such as {@code w[3]} (or {@code [3]} without a layout), {@code
   *     J[1][w[3]]}, {@code H[0][2]} or {@code pair[4]}
   * @param analytic the value being checked: the gradient's, Jacobian's or Hessian's entry, the
   *     claimed tangent, {@code H[i][j]} in a symmetry check, or the forward side of an identity
   *     ({@code <J u, v>}, {@code <H u, w>})
   * @param numeric what it is compared with: the central-difference estimate, {@code H[j][i]} in a
   *     symmetry check, or the other side of an identity ({@code <u, J^T v>}, {@code <u, H w>})
   * @param error {@code |analytic - numeric| / max(1, |analytic|, |numeric|)} for an entry, or
   *     {@code |analytic - numeric| / max(1, |a| |b|, |c| |d|)} for an identity {@code <a, b> = <c,
   *     d>}; infinite if either side is not finite
   */
  public record Entry(int index, String label, double analytic, double numeric, double error) {}

  /** The comparison of every entry; {@link #toString()} is a table of the worst ones. */
  public static final class Report {
    private final String what;
    private final String noun;
    private final String how;
    private final String analyticHeader;
    private final String numericHeader;
    private final List<Entry> entries;
    private final List<Entry> byError;

    private Report(String what, String noun, String how, String analyticHeader,
        String numericHeader, List<Entry> entries) {
      this.what = what;
      this.noun = noun;
      this.how = how;
      this.analyticHeader = analyticHeader;
      this.numericHeader = numericHeader;
      this.entries = List.copyOf(entries);
      List<Entry> list = new ArrayList<>(entries);
      list.sort(Comparator.comparingDouble(Entry::error).reversed()
          .thenComparingInt(Entry::index));
      this.byError = List.copyOf(list);
    }

    /** Entries compared with the entry error, entry {@code i} at index {@code i}. */
    private static Report differences(
        String what, String how, String[] labels, double[] analytic, double[] numeric) {
      List<Entry> list = new ArrayList<>(analytic.length);
      for (int i = 0; i < analytic.length; i++) {
        list.add(new Entry(i, labels[i], analytic[i], numeric[i], error(analytic[i], numeric[i])));
      }
      return new Report(what, analytic.length == 1 ? "entry" : "entries", how, "analytic",
          "numeric", list);
    }

    /** {@code |analytic - numeric| / max(1, |analytic|, |numeric|)}, infinite if not finite. */
    private static double error(double analytic, double numeric) {
      if (!Double.isFinite(analytic) || !Double.isFinite(numeric)) {
        return Double.POSITIVE_INFINITY;
      }
      double scale = Math.max(1.0, Math.max(Math.abs(analytic), Math.abs(numeric)));
      return Math.abs(analytic - numeric) / scale;
    }

    /**
     * Every entry, in index order.
     *
     * @return the entries, in index order
     */
    public List<Entry> entries() {
      return entries;
    }

    /**
     * The number of entries compared.
     *
     * @return how many entries were compared
     */
    public int size() {
      return entries.size();
    }

    /**
     * The largest error over all entries (see {@link Entry#error()}); 0 for an empty report,
     * infinite if any entry is not finite.
     *
     * @return the largest error
     */
    public double maxRelativeError() {
      return byError.isEmpty() ? 0.0 : byError.get(0).error();
    }

    /**
     * The {@code k} entries with the largest errors, worst first (ties in index order).
     *
     * @param k how many entries to return at most
     * @return the worst {@code k} entries (all of them if there are fewer)
     */
    public List<Entry> worst(int k) {
      return byError.subList(0, Math.min(Math.max(k, 0), byError.size()));
    }

    /**
     * Returns this report if {@link #maxRelativeError()} is at most {@code tolerance}; otherwise
     * throws an {@link AssertionError} whose message is the table of the worst entries.
     *
     * @param tolerance the largest error accepted
     * @return this report
     * @throws AssertionError if an entry's error exceeds {@code tolerance}
     */
    public Report assertWithin(double tolerance) {
      String failure = failure(tolerance);
      if (failure != null) {
        throw new AssertionError(failure);
      }
      return this;
    }

    /** The message of a failed {@link #assertWithin}, or null if within {@code tolerance}. */
    private String failure(double tolerance) {
      if (maxRelativeError() <= tolerance) {
        return null;
      }
      return what + " failed: max error " + format(maxRelativeError()) + " > tolerance "
          + format(tolerance) + "\n" + this;
    }

    /**
     * A table of the (up to 10) worst entries: label, analytic, numeric (or the two sides of an
     * identity), error.
     */
    @Override
    public String toString() {
      List<Entry> rows = worst(TABLE_ROWS);
      int width = "entry".length();
      for (Entry e : rows) {
        width = Math.max(width, e.label().length());
      }
      StringBuilder s = new StringBuilder();
      s.append(String.format(Locale.ROOT, "%s of %d %s (%s): max error %s%n", what, size(),
          noun, how, format(maxRelativeError())));
      s.append(String.format(Locale.ROOT, "  %-" + width + "s  %24s  %24s  %10s%n", "entry",
          analyticHeader, numericHeader, "error"));
      for (Entry e : rows) {
        s.append(String.format(Locale.ROOT, "  %-" + width + "s  %24.16e  %24.16e  %10.3e%n",
            e.label(), e.analytic(), e.numeric(), e.error()));
      }
      if (rows.size() < size()) {
        s.append(String.format(Locale.ROOT, "  ... %d more entries with smaller errors%n",
            size() - rows.size()));
      }
      return s.toString();
    }
  }

  /**
   * The two parts of a Hessian check ({@link GradCheck#hessian(Function, double[], double[][])},
   * {@link GradCheck#hvp(Function, double[], Function)}): the symmetry of the Hessian, which
   * holds to rounding error, and the comparison with central differences of the gradient, which
   * holds to the accuracy of the differences. {@link #toString()} is both tables.
   */
  public static final class HessianReport {
    private final Report symmetry;
    private final Report differences;

    private HessianReport(Report symmetry, Report differences) {
      this.symmetry = symmetry;
      this.differences = differences;
    }

    /**
     * The symmetry check: {@code H[i][j]} against {@code H[j][i]} for a full Hessian, {@code <H
     * u, w>} against {@code <u, H w>} for Hessian-vector products.
     *
     * @return the symmetry comparison
     */
    public Report symmetry() {
      return symmetry;
    }

    /**
     * The comparison with central differences of the gradient: every entry of a full Hessian,
     * or every entry of each {@code H u}.
     *
     * @return the central-difference comparison
     */
    public Report differences() {
      return differences;
    }

    /**
     * The larger of the two reports' largest errors.
     *
     * @return the largest error of either check
     */
    public double maxRelativeError() {
      return Math.max(symmetry.maxRelativeError(), differences.maxRelativeError());
    }

    /**
     * {@link #assertWithin(double, double)} with one tolerance for both checks.
     *
     * @param tolerance the largest error accepted in either check
     * @return this report
     * @throws AssertionError if an entry's error exceeds {@code tolerance}
     */
    public HessianReport assertWithin(double tolerance) {
      return assertWithin(tolerance, tolerance);
    }

    /**
     * Returns this report if the symmetry errors are at most {@code symmetryTolerance} (rounding
     * error: e.g. {@code 1e-12}) and the central-difference errors at most {@code
     * differenceTolerance} (e.g. {@code 1e-6}); otherwise throws an {@link AssertionError} whose
     * message has the table of each check that failed.
     *
     * @param symmetryTolerance the largest error accepted in the symmetry check
     * @param differenceTolerance the largest error accepted against central differences
     * @return this report
     * @throws AssertionError if either check has an error above its tolerance
     */
    public HessianReport assertWithin(double symmetryTolerance, double differenceTolerance) {
      String a = symmetry.failure(symmetryTolerance);
      String b = differences.failure(differenceTolerance);
      if (a != null || b != null) {
        throw new AssertionError(a == null ? b : b == null ? a : a + b);
      }
      return this;
    }

    /** The symmetry table, then the central-difference table. */
    @Override
    public String toString() {
      return symmetry.toString() + differences;
    }
  }

  /**
   * The shapes (and values) of a list of differentiable arguments, laid end to end as one flat
   * vector: a {@code double} takes one entry, a {@code double[]} its length, a {@code double[][]}
   * its rows one after another, a {@code double[][][]} its planes one after another. Made by
   * {@link GradCheck#layout}.
   */
  public static final class Layout {
    private final String[] names;
    private final Object[] values;
    private final int[] offsets;

    private Layout(String[] names, Object[] values) {
      this.names = names.clone();
      this.values = new Object[values.length];
      this.offsets = new int[values.length + 1];
      for (int p = 0; p < values.length; p++) {
        Object v = values[p];
        if (!(v instanceof Double || v instanceof double[] || v instanceof double[][]
            || v instanceof double[][][])) {
          throw new IllegalArgumentException(names[p] + " is not a double, double[], "
              + "double[][] or double[][][]: " + (v == null ? "null"
              : v.getClass().getSimpleName()));
        }
        this.values[p] = copy(v);
        offsets[p + 1] = offsets[p] + length(v, names[p]);
      }
    }

    /**
     * The number of parts (arguments).
     *
     * @return how many arguments the layout describes
     */
    public int parts() {
      return values.length;
    }

    /**
     * The total number of entries.
     *
     * @return the length of the flat vector
     */
    public int size() {
      return offsets[values.length];
    }

    /**
     * The values the layout was made with, flattened.
     *
     * @return a new vector of the values, laid end to end
     */
    public double[] values() {
      return flatten(values);
    }

    /**
     * Lays {@code parts} (one per layout part, each of that part's shape) end to end, e.g. the
     * components of a generated gradient record.
     *
     * @param parts one value per layout part, of that part's shape
     * @return a new vector of their entries, laid end to end
     * @throws IllegalArgumentException if a part is missing or has another shape
     */
    public double[] flatten(Object... parts) {
      if (parts.length != values.length) {
        throw new IllegalArgumentException("expected " + values.length + " parts "
            + Arrays.toString(names) + " but got " + parts.length);
      }
      double[] flat = new double[size()];
      for (int p = 0; p < parts.length; p++) {
        flatten(parts[p], values[p], names[p], flat, offsets[p]);
      }
      return flat;
    }

    /** Copies {@code part}, which must have the shape of {@code shape}, to flat at {@code at}. */
    private static int flatten(Object part, Object shape, String name, double[] flat, int at) {
      if (shape instanceof Double) {
        if (!(part instanceof Double d)) {
          throw mismatch(name, "a double", part);
        }
        flat[at] = d;
        return at + 1;
      }
      if (shape instanceof double[] v) {
        if (!(part instanceof double[] a) || a.length != v.length) {
          throw mismatch(name, "a double[" + v.length + "]", part);
        }
        System.arraycopy(a, 0, flat, at, a.length);
        return at + a.length;
      }
      Object[] rows = (Object[]) shape;
      if (!(part instanceof Object[] a) || a.getClass() != rows.getClass()
          || a.length != rows.length) {
        throw mismatch(name, "a " + spelling(rows), part);
      }
      for (int i = 0; i < rows.length; i++) {
        at = flatten(a[i], rows[i], name + "[" + i + "]", flat, at);
      }
      return at;
    }

    /**
     * The inverse of {@link #flatten}: fresh arguments of this layout's shapes.
     *
     * @param flat a vector of {@link #size()} entries
     * @return new arguments of this layout's shapes holding those entries
     */
    public Args unflatten(double[] flat) {
      if (flat.length != size()) {
        throw new IllegalArgumentException("expected " + size() + " entries but got "
            + flat.length);
      }
      Object[] parts = new Object[values.length];
      for (int p = 0; p < values.length; p++) {
        parts[p] = unflatten(values[p], flat, new int[] {offsets[p]});
      }
      return new Args(names, parts);
    }

    private static Object unflatten(Object shape, double[] flat, int[] at) {
      if (shape instanceof Double) {
        return flat[at[0]++];
      }
      if (shape instanceof double[] v) {
        at[0] += v.length;
        return Arrays.copyOfRange(flat, at[0] - v.length, at[0]);
      }
      Object[] rows = ((Object[]) shape).clone();
      for (int i = 0; i < rows.length; i++) {
        rows[i] = unflatten(rows[i], flat, at);
      }
      return rows;
    }

    /**
     * A readable name for flat entry {@code index}: {@code b}, {@code w[3]}, {@code m[1][2]} or
     * {@code t[0][1][2]}.
     *
     * @param index an entry of the flat vector, from 0 to {@link #size()} - 1
     * @return the entry's name
     */
    public String label(int index) {
      if (index < 0 || index >= size()) {
        throw new IndexOutOfBoundsException(index);
      }
      int p = 0;
      while (offsets[p + 1] <= index) {
        p++;
      }
      StringBuilder b = new StringBuilder(names[p]);
      int local = index - offsets[p];
      Object shape = values[p];
      while (shape instanceof Object[] rows) {
        int i = 0;
        while (local >= length(rows[i], "")) {
          local -= length(rows[i], "");
          i++;
        }
        b.append('[').append(i).append(']');
        shape = rows[i];
      }
      if (shape instanceof double[]) {
        b.append('[').append(local).append(']');
      }
      return b.toString();
    }

    private static int length(Object v, String name) {
      if (v instanceof Double) {
        return 1;
      }
      if (v instanceof double[] a) {
        return a.length;
      }
      int n = 0;
      Object[] rows = (Object[]) v;
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] == null) {
          throw new IllegalArgumentException(name + "[" + i + "] is null");
        }
        n += length(rows[i], name + "[" + i + "]");
      }
      return n;
    }

    private static Object copy(Object v) {
      if (v instanceof double[] a) {
        return a.clone();
      }
      if (v instanceof Object[] rows) {
        Object[] c = rows.clone();
        for (int i = 0; i < c.length; i++) {
          c[i] = copy(c[i]);
        }
        return c;
      }
      return v;
    }

    /** {@code double[2][]} for a matrix of two rows, {@code double[2][][]} for a tensor. */
    private static String spelling(Object[] rows) {
      return "double[" + rows.length + "]" + (rows instanceof double[][][] ? "[][]" : "[]");
    }

    private static IllegalArgumentException mismatch(String name, String expected, Object got) {
      String actual;
      if (got == null) {
        actual = "null";
      } else if (got instanceof double[] a) {
        actual = "a double[" + a.length + "]";
      } else if (got instanceof double[][] || got instanceof double[][][]) {
        actual = "a " + spelling((Object[]) got);
      } else {
        actual = "a " + got.getClass().getSimpleName();
      }
      return new IllegalArgumentException(name + ": expected " + expected + " but got " + actual);
    }
  }

  /** Arguments of a {@link Layout}'s shapes, by position or name, fresh for each evaluation. */
  public static final class Args {
    private final String[] names;
    private final Object[] parts;

    private Args(String[] names, Object[] parts) {
      this.names = names;
      this.parts = parts;
    }

    /**
     * Part {@code p}, which must be a {@code double}.
     *
     * @param p the part's position
     * @return its value
     */
    public double scalar(int p) {
      return (Double) parts[p];
    }

    /**
     * Part {@code p}, which must be a {@code double[]}.
     *
     * @param p the part's position
     * @return its value
     */
    public double[] vector(int p) {
      return (double[]) parts[p];
    }

    /**
     * Part {@code p}, which must be a {@code double[][]}.
     *
     * @param p the part's position
     * @return its value
     */
    public double[][] matrix(int p) {
      return (double[][]) parts[p];
    }

    /**
     * Part {@code p}, which must be a {@code double[][][]}.
     *
     * @param p the part's position
     * @return its value
     */
    public double[][][] tensor(int p) {
      return (double[][][]) parts[p];
    }

    /**
     * The part called {@code name}, which must be a {@code double}.
     *
     * @param name the part's name
     * @return its value
     */
    public double scalar(String name) {
      return scalar(index(name));
    }

    /**
     * The part called {@code name}, which must be a {@code double[]}.
     *
     * @param name the part's name
     * @return its value
     */
    public double[] vector(String name) {
      return vector(index(name));
    }

    /**
     * The part called {@code name}, which must be a {@code double[][]}.
     *
     * @param name the part's name
     * @return its value
     */
    public double[][] matrix(String name) {
      return matrix(index(name));
    }

    /**
     * The part called {@code name}, which must be a {@code double[][][]}.
     *
     * @param name the part's name
     * @return its value
     */
    public double[][][] tensor(String name) {
      return tensor(index(name));
    }

    private int index(String name) {
      for (int p = 0; p < names.length; p++) {
        if (names[p].equals(name)) {
          return p;
        }
      }
      throw new IllegalArgumentException("no part named " + name + " in "
          + Arrays.toString(names));
    }
  }
}
