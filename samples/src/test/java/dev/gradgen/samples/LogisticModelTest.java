package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticModelTest {
  private static final double L2 = 0.01;

  private final BreastCancer.Split data = BreastCancer.load(Main.Options.DEFAULTS.seed());

  @Test
  void trainedModelReachesTestAccuracy() {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Main.Result result = Main.train(data, Main.Options.DEFAULTS, quiet);
    assertTrue(
        result.testAccuracy() >= 0.93, "test accuracy " + result.testAccuracy() + " < 0.93");
  }

  @Test
  void generatedGradientMatchesCentralDifferences() {
    Random random = new Random(20240611L);
    int d = data.features();
    double[] w = gaussian(random, d);
    double b = 0.5 * random.nextGaussian();
    double[][] x = data.xTrain();
    double[] y = data.yTrain();

    LogisticModelGrad.LossGradient gradient = LogisticModelGrad.loss(w, b, x, y, L2);
    double value = LogisticModel.loss(w, b, x, y, L2);
    assertEquals(value, gradient.value(), 1e-12 * Math.abs(value));

    // Differentiate with respect to (w, b) flattened into one vector.
    double[] point = Arrays.copyOf(w, d + 1);
    point[d] = b;
    double[] numeric =
        FiniteDifferences.gradient(
            p -> LogisticModel.loss(Arrays.copyOf(p, d), p[d], x, y, L2), point, 1e-5);
    double[] generated = Arrays.copyOf(gradient.w(), d + 1);
    generated[d] = gradient.b();

    double error = FiniteDifferences.relativeError(generated, numeric);
    assertTrue(error < 1e-6, "relative error " + error);
  }

  @Test
  void bufferFormOverwritesWithTheSameGradient() {
    Random random = new Random(7L);
    int d = data.features();
    double[][] x = data.xTrain();
    double[] y = data.yTrain();
    double[] w = gaussian(random, d);
    LogisticModelGrad.LossGradientBuffer buffer = new LogisticModelGrad.LossGradientBuffer(w);

    // Two calls in a row: the second must overwrite the first, not add to it.
    LogisticModelGrad.loss(gaussian(random, d), 1.0, x, y, L2, buffer);
    double b = -0.3;
    double value = LogisticModelGrad.loss(w, b, x, y, L2, buffer);

    LogisticModelGrad.LossGradient expected = LogisticModelGrad.loss(w, b, x, y, L2);
    assertEquals(expected.value(), value, 1e-12);
    assertArrayEquals(expected.w(), buffer.w, 1e-12);
    assertEquals(expected.b(), buffer.b, 1e-12);
  }

  private static double[] gaussian(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 0.5 * random.nextGaussian();
    }
    return v;
  }
}
