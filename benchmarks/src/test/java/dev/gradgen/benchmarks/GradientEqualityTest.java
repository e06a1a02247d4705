package dev.gradgen.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks compare equal things: every hand-written gradient agrees with gradgen's generated
 * gradient (relative tolerance 1e-10) on the benchmarks' own inputs, and the generated forms agree
 * with the objective and with each other.
 */
class GradientEqualityTest {
  private static final double RTOL = 1e-10;

  private static void assertClose(double expected, double actual, String what) {
    double scale = Math.max(Math.abs(expected), Math.abs(actual));
    if (!(Math.abs(expected - actual) <= RTOL * scale)) {
      fail(what + ": expected " + expected + " but was " + actual
          + " (relative difference " + Math.abs(expected - actual) / scale + ")");
    }
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], what + "[" + i + "]");
    }
  }

  @Test
  void mseHandWrittenMatchesGenerated() {
    Data.Mse d = new Data.Mse(Data.MSE_ROWS, Data.MSE_FEATURES, 42L);
    LinearMseGrad.LossGradientBuffer gen = new LinearMseGrad.LossGradientBuffer(d.w);
    double genValue = LinearMseGrad.loss(d.w, d.b, d.x, d.y, gen);
    HandWritten.MseGradient hand = new HandWritten.MseGradient(d.w.length);
    double handValue = HandWritten.mse(d.w, d.b, d.x, d.y, hand);

    assertClose(LinearMse.loss(d.w, d.b, d.x, d.y), genValue, "generated value");
    assertClose(genValue, handValue, "hand-written value");
    assertClose(gen.w, hand.w, "dw");
    assertClose(gen.b, hand.b, "db");
    assertTrue(Math.abs(hand.b) > 1e-3, "db is not trivially zero");
    HandWritten.MseGradient onePass = new HandWritten.MseGradient(d.w.length);
    assertClose(genValue, HandWritten.mseOnePass(d.w, d.b, d.x, d.y, onePass), "one-pass value");
    assertClose(gen.w, onePass.w, "dw (one pass)");
    assertClose(gen.b, onePass.b, "db (one pass)");

    // Run again on the same buffers: both overwrite rather than accumulate.
    LinearMseGrad.loss(d.w, d.b, d.x, d.y, gen);
    HandWritten.mse(d.w, d.b, d.x, d.y, hand);
    HandWritten.mseOnePass(d.w, d.b, d.x, d.y, onePass);
    assertClose(gen.w, hand.w, "dw, second call");
    assertClose(gen.b, hand.b, "db, second call");
    assertClose(gen.w, onePass.w, "dw (one pass), second call");
  }

  @Test
  void mseAllocatingFormMatchesBufferForm() {
    Data.Mse d = new Data.Mse(Data.MSE_ROWS, Data.MSE_FEATURES, 42L);
    LinearMseGrad.LossGradientBuffer buf = new LinearMseGrad.LossGradientBuffer(d.w);
    double value = LinearMseGrad.loss(d.w, d.b, d.x, d.y, buf);
    LinearMseGrad.LossGradient g = LinearMseGrad.loss(d.w, d.b, d.x, d.y);
    assertClose(value, g.value(), "value");
    assertClose(buf.w, g.w(), "dw");
    assertClose(buf.b, g.b(), "db");
  }

  @Test
  void smoothingHandWrittenMatchesGenerated() {
    Data.Smooth d = new Data.Smooth(Data.SMOOTHING_POINTS, 7L);
    SmoothingGrad.EnergyGradientBuffer gen = new SmoothingGrad.EnergyGradientBuffer(d.p);
    double genValue = SmoothingGrad.energy(d.p, d.q, gen);
    HandWritten.SmoothingGradient hand = new HandWritten.SmoothingGradient(d.p.length);
    double handValue = HandWritten.smoothing(d.p, d.q, hand);
    HandWritten.SmoothingGradient taped = new HandWritten.SmoothingGradient(d.p.length);
    HandWritten.SmoothingTape tape = new HandWritten.SmoothingTape(d.p.length);
    double tapedValue = HandWritten.smoothingTaped(d.p, d.q, taped, tape);

    assertClose(Smoothing.energy(d.p, d.q), genValue, "generated value");
    assertClose(genValue, handValue, "hand-written value");
    assertClose(genValue, tapedValue, "hand-written (taped) value");
    // Endpoints are never written, so their gradient is exactly zero everywhere.
    assertEquals(0.0, gen.p[0]);
    assertEquals(0.0, gen.p[d.p.length - 1]);
    assertClose(gen.p, hand.p, "dp");
    assertClose(gen.q, hand.q, "dq");
    assertClose(gen.p, taped.p, "dp (taped)");
    assertClose(gen.q, taped.q, "dq (taped)");

    HandWritten.smoothing(d.p, d.q, hand);
    HandWritten.smoothingTaped(d.p, d.q, taped, tape);
    SmoothingGrad.energy(d.p, d.q, gen);
    assertClose(gen.p, hand.p, "dp, second call");
    assertClose(gen.p, taped.p, "dp (taped), second call");
    assertClose(gen.q, taped.q, "dq (taped), second call");
  }

  /** Guards against generated and hand-written being equally wrong: a finite-difference check. */
  @Test
  void gradientsAgreeWithCentralDifferences() {
    Data.Smooth d = new Data.Smooth(Data.SMOOTHING_POINTS, 7L);
    HandWritten.SmoothingGradient hand = new HandWritten.SmoothingGradient(d.p.length);
    HandWritten.smoothing(d.p, d.q, hand);
    double h = 1e-5;
    for (int i : new int[] {1, 2, 100, 254}) {
      double[] pp = d.p.clone();
      double[] pm = d.p.clone();
      pp[i] += h;
      pm[i] -= h;
      double fd = (Smoothing.energy(pp, d.q) - Smoothing.energy(pm, d.q)) / (2 * h);
      assertEquals(fd, hand.p[i], 1e-6 * Math.max(1.0, Math.abs(fd)), "dp[" + i + "]");
    }
    double fdq = (Smoothing.energy(d.p, d.q + h) - Smoothing.energy(d.p, d.q - h)) / (2 * h);
    assertEquals(fdq, hand.q, 1e-6 * Math.max(1.0, Math.abs(fdq)), "dq");

    Data.Mse m = new Data.Mse(50, 7, 3L);
    HandWritten.MseGradient g = new HandWritten.MseGradient(m.w.length);
    HandWritten.mse(m.w, m.b, m.x, m.y, g);
    for (int j = 0; j < m.w.length; j++) {
      double[] wp = m.w.clone();
      double[] wm = m.w.clone();
      wp[j] += h;
      wm[j] -= h;
      double fd = (LinearMse.loss(wp, m.b, m.x, m.y) - LinearMse.loss(wm, m.b, m.x, m.y)) / (2 * h);
      assertEquals(fd, g.w[j], 1e-6 * Math.max(1.0, Math.abs(fd)), "dw[" + j + "]");
    }
    double fdb = (LinearMse.loss(m.w, m.b + h, m.x, m.y) - LinearMse.loss(m.w, m.b - h, m.x, m.y)) / (2 * h);
    assertEquals(fdb, g.b, 1e-6 * Math.max(1.0, Math.abs(fdb)), "db");
  }
}
