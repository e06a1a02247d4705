package dev.gradgen.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The optimizers against PyTorch's documented update equations ({@code torch.optim.SGD},
 * {@code Adam}, {@code AdamW}), step by step. The expected values are hand-computed for the first
 * steps of a one-parameter problem, and for longer runs computed here by the written-out
 * recurrence on plain scalars, entry by entry, not by the code under test.
 *
 * <p>The problem: {@code f(p) = sum_j a_j p_j^2 / 2}, so the gradient is {@code a_j p_j}, which
 * the test writes into the gradient arrays before each step, as a generated buffer form would.
 */
class OptimizerTest {
  private static final double TIGHT = 1e-15;

  // ---------------------------------------------------------------- SGD, by hand

  /** One parameter p0 = 1, f = p^2 / 2 (g = p), lr 0.1. */
  private static double[] sgdRun(Sgd sgd, int steps) {
    double[] p = {1.0};
    double[] g = new double[1];
    sgd.add(p, g);
    double[] out = new double[steps];
    for (int t = 0; t < steps; t++) {
      g[0] = p[0];
      sgd.step();
      out[t] = p[0];
    }
    return out;
  }

  @Test
  void plainSgd() {
    // p <- p - 0.1 p = 0.9 p
    assertArrayEquals(new double[] {0.9, 0.81, 0.729}, sgdRun(new Sgd(0.1), 3), TIGHT);
  }

  @Test
  void sgdWithMomentum() {
    // t1: b = g = 1, p = 0.9; t2: g = 0.9, b = 0.9 * 1 + 0.9 = 1.8, p = 0.9 - 0.18 = 0.72;
    // t3: g = 0.72, b = 0.9 * 1.8 + 0.72 = 2.34, p = 0.72 - 0.234 = 0.486.
    assertArrayEquals(new double[] {0.9, 0.72, 0.486}, sgdRun(new Sgd(0.1).momentum(0.9), 3),
        TIGHT);
  }

  @Test
  void sgdWithNesterovMomentum() {
    // t1: b = 1, g' = 1 + 0.9 * 1 = 1.9, p = 1 - 0.19 = 0.81;
    // t2: g = 0.81, b = 0.9 + 0.81 = 1.71, g' = 0.81 + 0.9 * 1.71 = 2.349, p = 0.81 - 0.2349.
    assertArrayEquals(new double[] {0.81, 0.5751},
        sgdRun(new Sgd(0.1).momentum(0.9).nesterov(true), 2), TIGHT);
  }

  @Test
  void sgdDampeningSkipsTheFirstStep() {
    // t1: b = g = 1 (no dampening yet), p = 0.9; t2: b = 0.9 * 1 + 0.5 * 0.9 = 1.35, p = 0.765.
    assertArrayEquals(new double[] {0.9, 0.765},
        sgdRun(new Sgd(0.1).momentum(0.9).dampening(0.5), 2), TIGHT);
  }

  @Test
  void sgdWeightDecayIsAddedToTheGradient() {
    // g = 1 + 0.1 * 1 = 1.1, p = 1 - 0.11 = 0.89; then g = 0.89 * 1.1 = 0.979, p = 0.7921.
    assertArrayEquals(new double[] {0.89, 0.7921}, sgdRun(new Sgd(0.1).weightDecay(0.1), 2),
        TIGHT);
  }

  // ---------------------------------------------------------------- Adam and AdamW, by hand

  /** One parameter p0 = 1, f = p^2 (g = 2p), lr 0.01. */
  private static double[] adamRun(Adam adam, int steps) {
    double[] p = {1.0};
    double[] g = new double[1];
    adam.add(p, g);
    double[] out = new double[steps];
    for (int t = 0; t < steps; t++) {
      g[0] = 2 * p[0];
      adam.step();
      out[t] = p[0];
    }
    return out;
  }

  @Test
  void adamFirstStepsByHand() {
    double[] p = adamRun(new Adam(0.01), 2);
    // Step 1: m^ = g and v^ = g^2, so p = 1 - 0.01 * 2 / (2 + 1e-8).
    assertEquals(1 - 0.01 * 2 / (2 + 1e-8), p[0], 1e-16);
    // Step 2 (p1 = 0.99 to 1e-10): g = 1.98; m = 0.9 * 0.2 + 0.1 * 1.98 = 0.378, m^ = 0.378 / 0.19;
    // v = 0.999 * 0.004 + 0.001 * 1.98^2 = 0.0079164, v^ = 0.0079164 / 0.001999;
    // p2 = 0.99 - 0.01 * 1.9894737 / 1.9900201 = 0.98000275 (to 1e-8).
    assertEquals(0.98000275, p[1], 1e-8);
  }

  @Test
  void adamWeightDecayIsAddedToTheGradient() {
    // g = 2 + 0.1 * 1 = 2.1; the first step is still lr * sign: p = 1 - 0.01 * 2.1 / (2.1 + 1e-8).
    assertEquals(1 - 0.01 * 2.1 / (2.1 + 1e-8), adamRun(new Adam(0.01).weightDecay(0.1), 1)[0],
        1e-16);
  }

  @Test
  void adamWDecaysTheParameterOutsideTheMoments() {
    // p = 1 - 0.01 * 0.1 * 1 = 0.999, then the Adam step with the gradient at p0 (g = 2):
    // p = 0.999 - 0.01 * 2 / (2 + 1e-8).
    assertEquals(0.999 - 0.01 * 2 / (2 + 1e-8), adamRun(new AdamW(0.01).weightDecay(0.1), 1)[0],
        1e-16);
    // PyTorch's default weight decay for AdamW is 0.01: p = 1 - 1e-4 - 0.01 * 2 / (2 + 1e-8).
    assertEquals(1 - 1e-4 - 0.01 * 2 / (2 + 1e-8), adamRun(new AdamW(0.01), 1)[0], 1e-16);
  }

  // ---------------------------------------------------------------- longer runs, by recurrence

  private static final double[] A = {1.0, 0.5, 3.0, 0.1, 2.0, 0.25};
  private static final double[] P0 = {1.0, -2.0, 0.5, 4.0, -0.75, 0.3};

  /** The expected trajectory of entry j, by the written-out recurrence. */
  private interface Recurrence {
    double[] run(double p0, double a, int steps);
  }

  /**
   * Runs {@code opt} on the problem with the six entries laid out as a vector (0, 1), a matrix
   * of rows of lengths 1 and 2 (2, 3, 4) and a rank-3 array with one 1x1 plane (5), and compares
   * every entry at every step with {@code expected}.
   */
  private static void checkRun(Optimizer opt, Recurrence expected, int steps) {
    double[] v = {P0[0], P0[1]};
    double[][] m = {{P0[2]}, {P0[3], P0[4]}};
    double[][][] r = {{{P0[5]}}};
    double[] gv = new double[2];
    double[][] gm = {new double[1], new double[2]};
    double[][][] gr = {{new double[1]}};
    opt.add(v, gv).add(m, gm).add(r, gr);
    double[][] want = new double[A.length][];
    for (int j = 0; j < A.length; j++) {
      want[j] = expected.run(P0[j], A[j], steps);
    }
    for (int t = 0; t < steps; t++) {
      gv[0] = A[0] * v[0];
      gv[1] = A[1] * v[1];
      gm[0][0] = A[2] * m[0][0];
      gm[1][0] = A[3] * m[1][0];
      gm[1][1] = A[4] * m[1][1];
      gr[0][0][0] = A[5] * r[0][0][0];
      opt.step();
      double[] got = {v[0], v[1], m[0][0], m[1][0], m[1][1], r[0][0][0]};
      for (int j = 0; j < A.length; j++) {
        double tol = 1e-13 * Math.max(1.0, Math.abs(want[j][t]));
        assertEquals(want[j][t], got[j], tol, "entry " + j + " after step " + (t + 1));
      }
    }
    assertEquals(steps, opt.steps());
  }

  @Test
  void sgdNesterovWithDecayMatchesTheRecurrence() {
    double lr = 0.05;
    double mu = 0.8;
    double wd = 0.01;
    checkRun(new Sgd(lr).momentum(mu).nesterov(true).weightDecay(wd), (p0, a, steps) -> {
      double[] out = new double[steps];
      double p = p0;
      double b = 0;
      for (int t = 1; t <= steps; t++) {
        double g = a * p + wd * p;
        b = t > 1 ? mu * b + g : g;
        g = g + mu * b;
        p = p - lr * g;
        out[t - 1] = p;
      }
      return out;
    }, 40);
  }

  @Test
  void adamMatchesTheRecurrence() {
    double lr = 0.02;
    double b1 = 0.8;
    double b2 = 0.95;
    double eps = 1e-6;
    double wd = 0.03;
    checkRun(new Adam(lr).betas(b1, b2).eps(eps).weightDecay(wd), (p0, a, steps) -> {
      double[] out = new double[steps];
      double p = p0;
      double m = 0;
      double v = 0;
      for (int t = 1; t <= steps; t++) {
        double g = a * p + wd * p;
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g * g;
        double mHat = m / (1 - Math.pow(b1, t));
        double vHat = v / (1 - Math.pow(b2, t));
        p = p - lr * mHat / (Math.sqrt(vHat) + eps);
        out[t - 1] = p;
      }
      return out;
    }, 60);
  }

  @Test
  void adamWMatchesTheRecurrenceUnderACosineSchedule() {
    long total = 50;
    double lr0 = 0.05;
    double wd = 0.2;
    checkRun(new AdamW(Schedule.cosine(lr0, total)).weightDecay(wd), (p0, a, steps) -> {
      double[] out = new double[steps];
      double p = p0;
      double m = 0;
      double v = 0;
      for (int t = 1; t <= steps; t++) {
        double lr = lr0 * (1 + Math.cos(Math.PI * (t - 1) / total)) / 2;
        double g = a * p; // the gradient at the parameters before the step
        p = p - lr * wd * p;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        double mHat = m / (1 - Math.pow(0.9, t));
        double vHat = v / (1 - Math.pow(0.999, t));
        p = p - lr * mHat / (Math.sqrt(vHat) + 1e-8);
        out[t - 1] = p;
      }
      return out;
    }, (int) total);
  }

  // ---------------------------------------------------------------- scalars, schedules, misuse

  @Test
  void aScalarParameterIsUpdatedWithTheArrays() {
    double[] w = {1.0};
    double[] gw = new double[1];
    double[] gb = new double[1];
    Sgd sgd = new Sgd(0.5);
    sgd.add(w, gw);
    Optimizer.Scalar b = sgd.add(2.0, () -> gb[0]);
    assertEquals(2.0, b.value());
    gw[0] = 1.0;
    gb[0] = -4.0;
    sgd.step();
    assertEquals(0.5, w[0]);
    assertEquals(4.0, b.value()); // 2 - 0.5 * (-4)
    b.set(1.0);
    gb[0] = 1.0;
    sgd.step();
    assertEquals(0.5, b.value());
  }

  @Test
  void theScheduleGivesEachStepsRate() {
    // SGD with g = 1 moves p by exactly the rate: 1, 1, 0.5, 0.5, 0.25.
    Sgd sgd = new Sgd(Schedule.stepDecay(1.0, 2, 0.5));
    double[] p = {10.0};
    sgd.add(p, new double[] {1.0});
    double[] rates = new double[5];
    for (int t = 0; t < 5; t++) {
      rates[t] = sgd.learningRate();
      double before = p[0];
      sgd.step();
      assertEquals(rates[t], before - p[0], 0.0);
    }
    assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0.25}, rates, 0.0);
    assertEquals(10 - 3.25, p[0], 0.0);
  }

  @Test
  void schedulesByHand() {
    Schedule step = Schedule.stepDecay(1.0, 3, 0.5);
    assertArrayEquals(new double[] {1, 1, 1, 0.5, 0.5, 0.5, 0.25},
        rates(step, 7), 0.0);
    Schedule cos = Schedule.cosine(1.0, 4);
    assertArrayEquals(new double[] {1.0, (1 + Math.sqrt(0.5)) / 2, 0.5, (1 - Math.sqrt(0.5)) / 2,
        0.0, 0.0}, rates(cos, 6), 1e-15);
    assertArrayEquals(new double[] {1.0, 0.55, 0.1, 0.1}, rates(Schedule.cosine(1.0, 2, 0.1), 4),
        1e-15);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0, 1.0},
        rates(Schedule.warmup(4, Schedule.constant(1.0)), 5), 0.0);
    assertArrayEquals(new double[] {0.5, 1.0, 1.0, 0.5, 0.0},
        rates(Schedule.warmup(2, Schedule.cosine(1.0, 2)), 5), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Schedule.constant(-1));
    assertThrows(IllegalArgumentException.class, () -> Schedule.constant(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Schedule.stepDecay(1, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> Schedule.cosine(1, 10, 2));
    assertThrows(IllegalArgumentException.class, () -> Schedule.warmup(0, Schedule.constant(1)));
  }

  private static double[] rates(Schedule s, int n) {
    double[] r = new double[n];
    for (int t = 0; t < n; t++) {
      r[t] = s.at(t);
    }
    return r;
  }

  @Test
  void misuseIsRefused() {
    Adam adam = new Adam(0.1);
    assertThrows(IllegalArgumentException.class, () -> adam.add(new double[2], new double[3]));
    assertThrows(IllegalArgumentException.class,
        () -> adam.add(new double[][] {{1, 2}}, new double[][] {{1}}));
    double[] p = {1.0};
    adam.add(p, new double[] {1.0});
    assertThrows(IllegalArgumentException.class, () -> adam.add(p, new double[1]));
    assertThrows(IllegalArgumentException.class, () -> adam.betas(1.0, 0.9));
    assertThrows(IllegalArgumentException.class, () -> adam.eps(-1));
    adam.step();
    IllegalStateException late = assertThrows(IllegalStateException.class,
        () -> adam.add(new double[1], new double[1]));
    assertTrue(late.getMessage().contains("before the first step"), late.getMessage());
    assertThrows(IllegalStateException.class, () -> adam.weightDecay(0.1));

    // Nesterov without momentum: refused at the step, and nothing moves.
    Sgd sgd = new Sgd(0.1).nesterov(true);
    double[] q = {1.0};
    sgd.add(q, new double[] {1.0});
    IllegalStateException e = assertThrows(IllegalStateException.class, sgd::step);
    assertTrue(e.getMessage().contains("Nesterov"), e.getMessage());
    assertEquals(1.0, q[0]);
    assertEquals(0, sgd.steps());

    // A schedule that gives NaN is refused rather than written into the parameters.
    Sgd bad = new Sgd(t -> t == 0 ? 0.1 : Double.NaN);
    double[] r = {1.0};
    bad.add(r, new double[] {1.0});
    bad.step();
    assertThrows(IllegalStateException.class, bad::step);
    assertEquals(0.9, r[0], TIGHT);
  }

  @Test
  void stepsAllocateNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemorySupported()
        && threads.isThreadAllocatedMemoryEnabled(), "allocation counting is needed");
    double[][] w = new double[20][30];
    double[][] gw = new double[20][30];
    double[] b = new double[30];
    double[] gb = new double[30];
    double[] gs = {0.5};
    for (Optimizer opt : new Optimizer[] {new Sgd(0.1).momentum(0.9).nesterov(true),
        new Adam(Schedule.warmup(10, Schedule.cosine(0.01, 1000))).weightDecay(1e-4),
        new AdamW(0.01)}) {
      opt.add(w, gw).add(b, gb);
      opt.add(0.0, () -> gs[0]);
      for (int t = 0; t < 200; t++) {
        opt.step(); // warm up
      }
      long id = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(id);
      for (int t = 0; t < 2000; t++) {
        opt.step();
      }
      long allocated = threads.getThreadAllocatedBytes(id) - before;
      // Reading the counter may allocate a little itself; one allocation per step would be at
      // least 16 bytes x 2000 steps.
      assertTrue(allocated < 4096, opt.getClass().getSimpleName() + " allocated " + allocated
          + " bytes in 2000 steps");
    }
  }
}
