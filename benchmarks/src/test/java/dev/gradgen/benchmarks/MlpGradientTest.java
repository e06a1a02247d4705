package dev.gradgen.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The MLP benchmarks compare equal things: {@link HandWrittenMlp} agrees with gradgen's generated
 * {@code MlpLossGrad} (relative tolerance 1e-10) on {@link MlpBenchmark}'s own inputs, both
 * overwrite their buffers, and the generated gradient agrees with central differences of the
 * objective (so the two are not equally wrong).
 */
class MlpGradientTest {
  private static final double RTOL = 1e-10;

  @Test
  void handWrittenMatchesGenerated() {
    Data.Mlp d = MlpBenchmark.data();
    MlpLossGrad.LossGradientBuffer gen = new MlpLossGrad.LossGradientBuffer(d.w1, d.b1, d.w2, d.b2);
    double genValue = MlpLossGrad.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels, gen);
    HandWrittenMlp.MlpGradient hand =
        new HandWrittenMlp.MlpGradient(Data.MLP_INPUTS, Data.MLP_HIDDEN, Data.MLP_CLASSES);
    double handValue = HandWrittenMlp.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels, hand);

    Approx.assertRelative(MlpLoss.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels), genValue, RTOL,
        "generated value");
    Approx.assertRelative(genValue, handValue, RTOL, "hand-written value");
    // Ten classes at Xavier init: the loss is near log 10, not trivially small.
    assertTrue(handValue > 1.0 && handValue < 5.0, "loss " + handValue);
    assertSameGradient(gen, hand, "");
    assertTrue(Math.abs(hand.b1[0]) > 1e-6 && Math.abs(hand.w1[3][5]) > 1e-6,
        "gradient is not trivially zero");

    // A second call on the same buffers: both overwrite rather than accumulate.
    MlpLossGrad.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels, gen);
    double again = HandWrittenMlp.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels, hand);
    assertEquals(handValue, again, "hand-written value, second call");
    assertSameGradient(gen, hand, ", second call");
  }

  @Test
  void handWrittenHandlesBatchesNotMultipleOfFour() {
    // The row loops are unrolled by four; a batch of 7 exercises the remainder paths, and a
    // workspace used first at another batch size must resize.
    Data.Mlp d = new Data.Mlp(7, 9, 6, 5, 3L);
    MlpLossGrad.LossGradientBuffer gen = new MlpLossGrad.LossGradientBuffer(d.w1, d.b1, d.w2, d.b2);
    double genValue = MlpLossGrad.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels, gen);
    HandWrittenMlp.MlpGradient hand = new HandWrittenMlp.MlpGradient(9, 6, 5);
    Data.Mlp other = new Data.Mlp(12, 9, 6, 5, 4L);
    HandWrittenMlp.loss(other.w1, other.b1, other.w2, other.b2, other.x, other.labels, hand);
    double handValue = HandWrittenMlp.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels, hand);
    Approx.assertRelative(genValue, handValue, RTOL, "value (n = 7)");
    assertSameGradient(gen, hand, " (n = 7)");
  }

  /** Guards against generated and hand-written being equally wrong. */
  @Test
  void generatedAgreesWithCentralDifferences() {
    Data.Mlp d = MlpBenchmark.data();
    MlpLossGrad.LossGradient g = MlpLossGrad.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels);
    double h = 1e-6;
    int[][] entries = {{0, 0}, {5, 17}, {31, 40}, {63, 63}};
    for (int[] e : entries) {
      double[][] plus = Approx.copy(d.w1);
      double[][] minus = Approx.copy(d.w1);
      plus[e[0]][e[1]] += h;
      minus[e[0]][e[1]] -= h;
      double fd = (MlpLoss.loss(plus, d.b1, d.w2, d.b2, d.x, d.labels)
          - MlpLoss.loss(minus, d.b1, d.w2, d.b2, d.x, d.labels)) / (2 * h);
      assertFd(fd, g.w1()[e[0]][e[1]], "dw1" + Arrays.toString(e));
    }
    for (int[] e : new int[][] {{0, 0}, {20, 3}, {63, 9}}) {
      double[][] plus = Approx.copy(d.w2);
      double[][] minus = Approx.copy(d.w2);
      plus[e[0]][e[1]] += h;
      minus[e[0]][e[1]] -= h;
      double fd = (MlpLoss.loss(d.w1, d.b1, plus, d.b2, d.x, d.labels)
          - MlpLoss.loss(d.w1, d.b1, minus, d.b2, d.x, d.labels)) / (2 * h);
      assertFd(fd, g.w2()[e[0]][e[1]], "dw2" + Arrays.toString(e));
    }
    for (int j : new int[] {0, 33}) {
      double[] plus = d.b1.clone();
      double[] minus = d.b1.clone();
      plus[j] += h;
      minus[j] -= h;
      double fd = (MlpLoss.loss(d.w1, plus, d.w2, d.b2, d.x, d.labels)
          - MlpLoss.loss(d.w1, minus, d.w2, d.b2, d.x, d.labels)) / (2 * h);
      assertFd(fd, g.b1()[j], "db1[" + j + "]");
    }
    for (int c : new int[] {0, 7}) {
      double[] plus = d.b2.clone();
      double[] minus = d.b2.clone();
      plus[c] += h;
      minus[c] -= h;
      double fd = (MlpLoss.loss(d.w1, d.b1, d.w2, plus, d.x, d.labels)
          - MlpLoss.loss(d.w1, d.b1, d.w2, minus, d.x, d.labels)) / (2 * h);
      assertFd(fd, g.b2()[c], "db2[" + c + "]");
    }
  }

  /**
   * Central differences with h = 1e-6 on a loss of order 1 are good to about 1e-9 absolute
   * (rounding ~1e-16 / h, truncation ~h² times the third derivative).
   */
  private static void assertFd(double fd, double analytic, String what) {
    assertEquals(fd, analytic, 1e-7 * Math.max(1.0, Math.abs(fd)), what);
  }

  private static void assertSameGradient(
      MlpLossGrad.LossGradientBuffer gen, HandWrittenMlp.MlpGradient hand, String when) {
    Approx.assertRelative(gen.w1, hand.w1, RTOL, "dw1" + when);
    Approx.assertRelative(gen.b1, hand.b1, RTOL, "db1" + when);
    Approx.assertRelative(gen.w2, hand.w2, RTOL, "dw2" + when);
    Approx.assertRelative(gen.b2, hand.b2, RTOL, "db2" + when);
  }
}
