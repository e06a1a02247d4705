package dev.gradgen.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;

/**
 * Golden tests: the exact generated source for a few small methods.
 *
 * <p>The files under {@code src/test/resources/golden/expected/} are REVIEWED PROCESSOR OUTPUT,
 * not hand-written: they were produced by running the processor on the matching file in
 * {@code golden/input/}, and every adjoint statement was checked by hand-derivation before they
 * were stored. When the generator changes on purpose, regenerate them deliberately (compile the
 * input with the processor, copy {@code target/generated-sources/...}), re-review the diff
 * statement by statement, and commit both. Never regenerate just to make this test pass.
 *
 * <p>The comparison ({@code hasSourceEquivalentTo}) is on syntax trees: comments and whitespace
 * are ignored, everything else (statement order, names, saved values) must match.
 *
 * <p>Hand-derivations the expected files were checked against:
 * <ul>
 *   <li>{@code Golden.phi(w1, a, b1) = (a*w1 + b1)^2}: dw1 = 2*y2*a. The pullback does
 *       {@code dY2 += 2.0*dValue*y2} (x*x gives one 2x term), {@code dY1 += dY2},
 *       {@code dW1 += dY1*a}; b1 and a (@NoGrad) get no adjoint.
 *   <li>{@code Dot.sumSquares(w, x) = sum_i (w[i]*x[i])^2}: dw[i] = 2*t*x[i]. The backward
 *       loop runs i from w.length down to 0 (recomputed from the bounds, nothing recorded); per
 *       reversed iteration {@code dt += 2.0*ds*t} (t still holds this iteration's value),
 *       restore t from the tape, {@code dw[i] += dt*x[i]}, {@code dt = 0.0}.
 *   <li>{@code Dot.sinChains(w, x) = sum_i t_i}, {@code t <- sin(t) + w[i][j]*x[j]} for each j:
 *       the result is linear in s, so ds = dValue before the loop over i, and each i's backward
 *       code runs right after it (its inner loop saves a t per j). Per reversed j: restore t
 *       (the value before this j), {@code dw[i][j] += dt*x[j]}, then {@code dt = dt*cos(t)}
 *       (dtNew holds the adjoint of the new t).
 *   <li>{@code Branch.relu(x, k) = (x > 0 ? k*x : exp(x)-1) * k}: dk = y + dy*x (true branch)
 *       or y (false branch); dx = k*k or k*exp(x). The branch taken is replayed from the tape.
 * </ul>
 */
class GoldenTest {

  private static void check(String input, String generatedClass) {
    Compilation c = TestSupport.compile(JavaFileObjects.forResource("golden/input/" + input
        + ".java"));
    TestSupport.assertNoCrash(c);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("p." + generatedClass)
        .hasSourceEquivalentTo(JavaFileObjects.forResource("golden/expected/" + generatedClass
            + ".java"));
  }

  @Test
  void scalarStraightLine() {
    check("Golden", "GoldenGrad");
  }

  @Test
  void loopOverArray() {
    check("Dot", "DotGrad");
  }

  @Test
  void ifElse() {
    check("Branch", "BranchGrad");
  }
}
