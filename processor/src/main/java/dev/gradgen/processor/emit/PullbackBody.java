package dev.gradgen.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.ir.Var;
import java.util.Map;

/**
 * What differentiation hands to emission for one method: the generated pullback's body and the
 * names its signature uses (the adjoint parameter of each differentiable array parameter, the
 * seed, the tape).
 */
public record PullbackBody(CodeBlock body, Map<Var, String> arrayAdjointParameters,
    String dValue, String tape, dev.gradgen.processor.ir.Type returnType) {}
