package dev.gradgen;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the method it marks as the backward rule (vector-Jacobian product) of a static method
 * {@code f} that gradgen does not differentiate itself: a library's special function, a solver,
 * or a method of one's own. Wherever a {@code @Differentiable} method calls {@code f}, in any class
 * and from any jar, the generated code calls the rule instead of differentiating {@code f}.
 *
 * <pre>{@code
 * @Vjp(of = Erf.class, method = "erf")
 * public static double erfVjp(double x, double result, double dResult) {
 *   return dResult * 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
 * }
 * }</pre>
 *
 * <p>The rule is {@code public static} and takes {@code f}'s parameters, the value {@code f}
 * returned, that value's adjoint, then one accumulator per {@code double[]}, {@code double[][]}
 * and {@code double[][][]} parameter of {@code f}, into which it adds the product (skipping
 * {@code null} ones). It returns the adjoints of {@code f}'s {@code double} parameters: nothing
 * ({@code void}) when there is none, a {@code double} for one, a {@code double[]} of them in
 * parameter order for several. The overload of {@code f} it belongs to is the one its parameters
 * fit; a rule that fits none is a compile error showing both signatures.
 *
 * <p>When {@code f} returns {@code double}, its forward rule follows from this one (one call with
 * a unit adjoint gives the gradient, dotted with the tangents); a {@link Jvp} may give it
 * directly. A method returning {@code double[]} needs both for forward mode.
 *
 * <p>The class declaring the rule must be compiled with gradgen's processor, which indexes the
 * rule (a class in package {@code gradgen_rules}) so that compilations using the jar find it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Vjp {
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
