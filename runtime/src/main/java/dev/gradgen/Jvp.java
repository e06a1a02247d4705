package dev.gradgen;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the method it marks as the forward rule (Jacobian-vector product) of a static method
 * {@code f} that gradgen does not differentiate itself; see {@link Vjp}, whose rules apply alike.
 *
 * <pre>{@code
 * @Jvp(of = Erf.class, method = "erf")
 * public static double erfJvp(double x, double result, double xDot) {
 *   return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * xDot;
 * }
 * }</pre>
 *
 * <p>The rule is {@code public static} and takes {@code f}'s parameters, the value {@code f}
 * returned, then one tangent per {@code double}, {@code double[]}, {@code double[][]} and
 * {@code double[][][]} parameter of {@code f}, of that parameter's type ({@code null} for an array
 * whose tangent is zero). It returns the tangent of the result, of the result's type.
 *
 * <p>When {@code f} returns {@code double}, its backward rule follows from this one: one call per
 * {@code double} parameter, and one per element of an array parameter, with a unit tangent. A
 * {@link Vjp} gives it directly, in one call; declare one when {@code f} takes large arrays.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Jvp {
  /**
   * The class declaring the primal.
   *
   * @return the primal's class
   */
  Class<?> of();

  /**
   * The primal's name.
   *
   * @return the name of the static method the rule differentiates
   */
  String method();
}
