package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.GradCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hipparchus' conjugate-gradient optimizer, fed the generated gradient, converges and classifies. */
class BreastCancerNcgTest {
  private static final BreastCancer.Split DATA = BreastCancer.load(42);

  @Test
  void generatedGradientPassesGradCheck() {
    Random random = new Random(5);
    double[] w = new double[DATA.features()];
    for (int j = 0; j < w.length; j++) {
      w[j] = 0.5 * random.nextGaussian();
    }
    double b = 0.3;
    LogisticModelGrad.LossGradient g =
        LogisticModelGrad.loss(w, b, DATA.xTrain(), DATA.yTrain(), BreastCancerNcg.L2);
    GradCheck.check(GradCheck.layout("w", w, "b", b), a -> LogisticModel.loss(a.vector(0),
        a.scalar(1), DATA.xTrain(), DATA.yTrain(), BreastCancerNcg.L2), g.w(), g.b())
        .assertWithin(1e-7);
  }

  @Test
  void convergesToASmallGradientAndClassifiesWell() {
    BreastCancerNcg.Result r = BreastCancerNcg.train(DATA, BreastCancerNcg.L2);
    assertTrue(r.gradientNorm() <= BreastCancerNcg.GRADIENT_TOLERANCE,
        "gradient norm " + r.gradientNorm());
    double test = BreastCancerNcg.accuracy(r.w(), r.b(), DATA.xTest(), DATA.yTest());
    double train = BreastCancerNcg.accuracy(r.w(), r.b(), DATA.xTrain(), DATA.yTrain());
    assertTrue(test >= 0.95, "test accuracy " + test);
    assertTrue(train >= 0.95, "train accuracy " + train);
    assertEquals(LogisticModel.loss(r.w(), r.b(), DATA.xTrain(), DATA.yTrain(),
        BreastCancerNcg.L2), r.loss(), 1e-12);
  }

  @Test
  void runReportsSuccess() {
    assertEquals(0, BreastCancerNcg.run(new String[0]));
    assertEquals(2, BreastCancerNcg.run(new String[] {"--seed", "x"}));
  }
}
