package dev.gradgen;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method returning {@code double} whose gradient gradgen generates at compile time: a
 * {@code static} method, or an instance method whose generated methods take the receiver first.
 *
 * <p>For a top-level class {@code p.Foo}, the processor writes {@code p.FooGrad} with, for each
 * annotated method {@code m}: a record {@code MGradient(double value, ...)} holding the value and
 * one gradient per differentiable parameter, a method {@code m(...)} with the same parameters
 * returning it, and an allocation-free overload taking an {@code MGradientBuffer}.
 *
 * <p>Parameters of type {@code double}, {@code double[]}, {@code double[][]} and {@code
 * double[][][]} are differentiable unless annotated {@link NoGrad}; parameters of other types are
 * constants.
 *
 * <p>Retention is {@code CLASS} so that calls to annotated methods in already-compiled jars are
 * recognised, and differentiated through their generated pullbacks.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {}
