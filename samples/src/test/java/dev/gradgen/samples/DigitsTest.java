package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DigitsTest {
  @Test
  void splitIsTheLastFifthAndFeaturesAreInTheUnitInterval() {
    DigitsData.Split data = DigitsData.load(42);
    assertEquals(1797, data.xTrain().length + data.xTest().length);
    assertEquals(359, data.xTest().length);
    int[] counts = new int[DigitsData.CLASSES];
    for (double[][] x : new double[][][] {data.xTrain(), data.xTest()}) {
      for (double[] row : x) {
        assertEquals(DigitsData.FEATURES, row.length);
        for (double v : row) {
          assertTrue(v >= 0.0 && v <= 1.0, "feature " + v);
        }
      }
    }
    for (int label : data.yTrain()) {
      counts[label]++;
    }
    for (int c = 0; c < DigitsData.CLASSES; c++) {
      assertTrue(counts[c] > 100, "digit " + c + " has " + counts[c] + " training rows");
    }
  }

  @Test
  void defaultTrainingReachesNinetySevenPercentTestAccuracy() {
    Digits.Options options = Digits.Options.DEFAULTS.withPlot(null);
    DigitsData.Split data = DigitsData.load(options.seed());
    Digits.Result result = Digits.train(data, options, null);
    assertTrue(result.finalAccuracy() >= 0.97,
        "test accuracy " + result.finalAccuracy() + " < 0.97");
    assertEquals(options.epochs(), result.trainLoss().length);
    assertTrue(result.trainLoss()[options.epochs() - 1] < result.trainLoss()[0],
        "training loss did not fall");
  }

  @Test
  void trainingIsReproducibleAndTwoThreadsAgreeWithOne() {
    Digits.Options one = Digits.Options.DEFAULTS.withPlot(null).withEpochs(3);
    DigitsData.Split data = DigitsData.load(one.seed());
    Digits.Result a = Digits.train(data, one, null);
    Digits.Result b = Digits.train(data, one, null);
    Digits.Result two = Digits.train(data, one.withThreads(2), null);
    for (int e = 0; e < 3; e++) {
      assertEquals(a.trainLoss()[e], b.trainLoss()[e], 0.0);
      // Only the rounding of the shard sums differs.
      assertEquals(a.trainLoss()[e], two.trainLoss()[e], 1e-9 * a.trainLoss()[e]);
    }
  }
}
