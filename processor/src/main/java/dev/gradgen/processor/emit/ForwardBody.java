package dev.gradgen.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.ir.Var;
import java.util.List;

/**
 * What forward mode hands to emission for one method: the body of its JVP method, the tangent
 * parameters that method takes after the method's own (one per differentiable parameter), and
 * second order: the pullback of the tangent program (reverse over forward), whose gradient with
 * respect to the method's parameters is the Hessian times the direction.
 *
 * @param secondOrder the tangent program's pullback, or null when {@code unsupported} says why
 *     there is none
 * @param unsupported why second order is not available, as the generated methods throw it; else
 *     null
 * @param tangentFlags per parameter of the tangent program (the method's, then the tangents):
 *     is it differentiable
 * @param writes whether the method writes into one of its array parameters
 * @param jvpAvailable whether forward mode is available ({@code jvpBody} computes, not throws)
 */
public record ForwardBody(CodeBlock jvpBody, List<Var> tangents, PullbackBody secondOrder,
    String unsupported, List<Boolean> tangentFlags, boolean writes, boolean jvpAvailable) {}
