package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gradgen.GradCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batched RNN (rows as values, a rank-3 input): the gradient against finite differences of
 * every parameter and every input, a one-step closed form, and the arguments left as they were.
 */
class BatchedRnnTest {
  private static double[][] random(Random r, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = 0.5 * r.nextGaussian();
      }
    }
    return m;
  }

  @Test
  void theGradientOfEveryParameterAndInputMatchesFiniteDifferences() {
    Random r = new Random(5);
    int hidden = 3;
    int features = 2;
    double[][] w = random(r, hidden, hidden);
    double[][] u = random(r, hidden, features);
    double[] c = random(r, 1, hidden)[0];
    // Two sequences of different lengths: the batch need not be rectangular.
    double[][][] xs = {random(r, 4, features), random(r, 2, features)};
    double[][] targets = random(r, 2, hidden);
    String before = java.util.Arrays.deepToString(xs);
    BatchedRnnGrad.LossGradient g = BatchedRnnGrad.loss(w, u, c, xs, targets);
    assertEquals(before, java.util.Arrays.deepToString(xs), "the input is unchanged");
    assertEquals(BatchedRnn.loss(w, u, c, xs, targets), g.value(), 0.0);
    GradCheck.Layout layout = GradCheck.layout("w", w, "u", u, "c", c, "xs", xs);
    GradCheck.check(layout, a -> BatchedRnn.loss(a.matrix("w"), a.matrix("u"), a.vector("c"),
        a.tensor("xs"), targets), g.w(), g.u(), g.c(), g.xs()).assertWithin(1e-7);
    assertEquals(4, g.xs()[0].length);
    assertEquals(2, g.xs()[1].length);
  }

  @Test
  void oneStepHasTheClosedForm() {
    // One sequence of one step from h0 = 0: h1 = tanh(U x + c), L = |h1 - y|^2, so
    // dL/dc_i = 2 (h1_i - y_i)(1 - h1_i^2) and dL/dx_j = sum_i dL/dc_i U_ij; W does not matter.
    double[][] w = {{0.3, -0.2}, {0.1, 0.4}};
    double[][] u = {{0.5, -1.0, 0.25}, {0.2, 0.3, -0.6}};
    double[] c = {0.1, -0.3};
    double[][][] xs = {{{0.7, -0.4, 1.1}}};
    double[][] y = {{0.2, -0.5}};
    BatchedRnnGrad.LossGradient g = BatchedRnnGrad.loss(w, u, c, xs, y);
    double[] dc = new double[2];
    double loss = 0;
    for (int i = 0; i < 2; i++) {
      double z = c[i];
      for (int j = 0; j < 3; j++) {
        z += u[i][j] * xs[0][0][j];
      }
      double h = Math.tanh(z);
      loss += (h - y[0][i]) * (h - y[0][i]);
      dc[i] = 2 * (h - y[0][i]) * (1 - h * h);
    }
    double[] dx = new double[3];
    for (int j = 0; j < 3; j++) {
      dx[j] = dc[0] * u[0][j] + dc[1] * u[1][j];
    }
    assertEquals(loss, g.value(), 1e-15);
    assertArrayEquals(dc, g.c(), 1e-15);
    assertArrayEquals(dx, g.xs()[0][0], 1e-15);
    assertArrayEquals(new double[] {0, 0}, g.w()[0], 0.0);
    assertArrayEquals(new double[] {0, 0}, g.w()[1], 0.0);
  }
}
