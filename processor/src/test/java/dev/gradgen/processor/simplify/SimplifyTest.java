package dev.gradgen.processor.simplify;

import static com.google.common.truth.Truth.assertThat;

import dev.gradgen.processor.ir.Build;
import dev.gradgen.processor.ir.Code;
import dev.gradgen.processor.ir.Expr;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simplification pass alone, on hand-written backward code. */
class SimplifyTest {
  private static final Expr TAPE = new Expr.Synthetic("tape", Type.OTHER);
  private static final Var SQUARE = new Var("square", Type.MATRIX, Var.Kind.LOCAL, false);
  private static final Var Z = new Var("z", Type.DOUBLE, Var.Kind.LOCAL, false);
  private static final Expr.Synthetic D_SQUARE = new Expr.Synthetic("dSquare", Type.MATRIX);
  private static final Expr.Synthetic DZ = new Expr.Synthetic("dz", Type.DOUBLE);
  private static final Expr.Synthetic DY = new Expr.Synthetic("dy", Type.DOUBLE);

  private static Code backward(Expr... args) {
    return new Code.Run(new Expr.Invoke("dev.gradgen.Ops", "squareBackward", List.of(args),
        Type.OTHER));
  }

  @Test
  void aCopyOfAVariableIsTheVariable() {
    List<Code> code = List.of(
        new Code.Declare(Type.MATRIX, "squareResult", new Expr.Local(SQUARE)),
        new Code.Declare(Type.MATRIX, "dSquareResult", D_SQUARE),
        backward(new Expr.Synthetic("squareResult", Type.MATRIX),
            new Expr.Synthetic("dSquareResult", Type.MATRIX)));
    assertThat(Simplify.block(code)).containsExactly(backward(new Expr.Local(SQUARE), D_SQUARE));
  }

  @Test
  void aCopyTakenBeforeTheVariableIsRestoredStays() {
    List<Code> code = List.of(
        new Code.Declare(Type.MATRIX, "squareResult", new Expr.Local(SQUARE)),
        new Code.Set(new Expr.Local(SQUARE), new Expr.Pop(TAPE, Type.MATRIX)),
        backward(new Expr.Synthetic("squareResult", Type.MATRIX), D_SQUARE));
    assertThat(Simplify.block(code)).isEqualTo(code);
  }

  @Test
  void aCopyOfAnAdjointThatIsResetStays() {
    Expr.Synthetic seed = new Expr.Synthetic("dzNew", Type.DOUBLE);
    List<Code> code = List.of(
        new Code.Declare(Type.DOUBLE, seed.name(), DZ),
        new Code.Set(DZ, Build.lit(0)),
        new Code.AddTo(DY, Build.mul(seed, new Expr.Local(Z))));
    assertThat(Simplify.block(code)).isEqualTo(code);
  }

  @Test
  void anUnreadTemporaryGoesUnlessItPops() {
    Expr abs = Build.math("abs", new Expr.Local(Z));
    Code pop = new Code.Declare(Type.DOUBLE, "exp", new Expr.Pop(TAPE, Type.DOUBLE));
    Code use = new Code.AddTo(DZ, Build.mul(DY, new Expr.Synthetic("exp", Type.DOUBLE)));
    List<Code> code = List.of(pop, new Code.Declare(Type.DOUBLE, "abs", abs), use,
        new Code.Declare(Type.DOUBLE, "unused", new Expr.Pop(TAPE, Type.DOUBLE)));
    assertThat(Simplify.block(code)).containsExactly(pop, use, code.get(3)).inOrder();
  }

  @Test
  void aTemporaryReadOnlyInsideABranchStays() {
    Expr.Synthetic t = new Expr.Synthetic("dSum", Type.DOUBLE);
    List<Code> code = List.of(
        new Code.Declare(Type.DOUBLE, t.name(), Build.mul(DY, new Expr.Local(Z))),
        new Code.If(Build.cmp(Expr.BinaryOp.GT, new Expr.Local(Z), Build.lit(0)),
            List.of(new Code.AddTo(DZ, t)), List.of()));
    assertThat(Simplify.block(code)).isEqualTo(code);
  }

  @Test
  void anEmptyBranchGoesWithTheDeadCodeInIt() {
    List<Code> code = List.of(
        new Code.If(Build.cmp(Expr.BinaryOp.NE, DY, Build.lit(0)),
            List.of(new Code.Declare(Type.DOUBLE, "abs", Build.math("abs", new Expr.Local(Z)))),
            List.of()),
        new Code.AddTo(DZ, DY));
    assertThat(Simplify.block(code)).containsExactly(new Code.AddTo(DZ, DY));
  }

  @Test
  void theSameContributionTwiceInARowIsOneOfTwice() {
    Expr g = Build.mul(DY, new Expr.Local(Z));
    List<Code> code = List.of(new Code.AddTo(DZ, g), new Code.AddTo(DZ, g),
        new Code.AddTo(DZ, DY), new Code.AddTo(DY, DY), new Code.AddTo(DZ, DY));
    assertThat(Simplify.block(code)).containsExactly(
        new Code.AddTo(DZ, Build.mul(Build.lit(2), g)), new Code.AddTo(DZ, DY),
        new Code.AddTo(DY, DY), new Code.AddTo(DZ, DY)).inOrder();
  }
}
