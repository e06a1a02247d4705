package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated gradient of {@link Mlp#loss} against central finite differences. */
class MlpGradientTest {
  private static final int ROWS = 9;
  private static final int FEATURES = 6;
  private static final int HIDDEN = 5;
  private static final int CLASSES = 4;

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.05})
  void generatedGradientMatchesCentralDifferences(double l2) {
    Random random = new Random(11L);
    double[][] w1 = gaussian(random, FEATURES, HIDDEN);
    double[] b1 = gaussian(random, 1, HIDDEN)[0];
    double[][] w2 = gaussian(random, HIDDEN, CLASSES);
    double[] b2 = gaussian(random, 1, CLASSES)[0];
    double[][] x = new double[ROWS][FEATURES];
    int[] labels = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = random.nextDouble();
      }
      labels[i] = random.nextInt(CLASSES);
    }

    MlpGrad.LossGradient g = MlpGrad.loss(w1, b1, w2, b2, x, labels, l2);
    double value = Mlp.loss(w1, b1, w2, b2, x, labels, l2);
    assertEquals(value, g.value(), 1e-12 * value);

    // A few random entries of each parameter.
    for (int trial = 0; trial < 5; trial++) {
      int i = random.nextInt(FEATURES);
      int j = random.nextInt(HIDDEN);
      check("w1[" + i + "][" + j + "]", g.w1()[i][j], w1[i], j,
          () -> Mlp.loss(w1, b1, w2, b2, x, labels, l2));
      int h = random.nextInt(HIDDEN);
      check("b1[" + h + "]", g.b1()[h], b1, h, () -> Mlp.loss(w1, b1, w2, b2, x, labels, l2));
      int p = random.nextInt(HIDDEN);
      int c = random.nextInt(CLASSES);
      check("w2[" + p + "][" + c + "]", g.w2()[p][c], w2[p], c,
          () -> Mlp.loss(w1, b1, w2, b2, x, labels, l2));
      int k = random.nextInt(CLASSES);
      check("b2[" + k + "]", g.b2()[k], b2, k, () -> Mlp.loss(w1, b1, w2, b2, x, labels, l2));
    }
  }

  /** Compares {@code generated} with the central difference of {@code f} in {@code a[j]}. */
  private static void check(String name, double generated, double[] a, int j,
      java.util.function.DoubleSupplier f) {
    double saved = a[j];
    double step = 1e-5 * Math.max(1.0, Math.abs(saved));
    a[j] = saved + step;
    double plus = f.getAsDouble();
    a[j] = saved - step;
    double minus = f.getAsDouble();
    a[j] = saved;
    double numeric = (plus - minus) / (2 * step);
    assertEquals(numeric, generated, 1e-7 + 1e-6 * Math.abs(numeric), name);
  }

  private static double[][] gaussian(Random random, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = 0.7 * random.nextGaussian();
      }
    }
    return m;
  }
}
