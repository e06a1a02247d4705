package dev.gradgen.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gradgen.benchmarks.Approx;
import dev.gradgen.benchmarks.Data;
import dev.gradgen.benchmarks.LinearMseGrad;
import dev.gradgen.benchmarks.MlpBenchmark;
import dev.gradgen.benchmarks.MlpLossGrad;
import java.util.Arrays;
import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The peer benchmarks compare equal things: on {@link PeersBenchmark}'s own inputs, every peer's
 * value and gradient equal gradgen's generated ones within a relative tolerance per entry. The
 * generated gradients are checked against central differences and hand-written gradients in
 * {@code GradientEqualityTest} and {@code MlpGradientTest}.
 */
class PeersTest {
  /** Per entry, relative; the worst differences seen are printed (around 1e-13 and below). */
  private static final double RTOL = 1e-11;

  private static Data.Mse mse;
  private static LinearMseGrad.LossGradient mseGen;
  private static Data.Mlp mlp;
  private static MlpLossGrad.LossGradient mlpGen;

  @BeforeAll
  static void generated() {
    mse = new Data.Mse(Data.MSE_ROWS, Data.MSE_FEATURES, 42L);
    mseGen = LinearMseGrad.loss(mse.w, mse.b, mse.x, mse.y);
    mlp = MlpBenchmark.data();
    mlpGen = MlpLossGrad.loss(mlp.w1, mlp.b1, mlp.w2, mlp.b2, mlp.x, mlp.labels);
  }

  @Test
  void hipparchusMse() {
    Gradient g = HipparchusMse.valueAndGradient(mse.w, mse.b, mse.x, mse.y);
    double[] all = g.getGradient();
    assertEquals(Data.MSE_FEATURES + 1, all.length);
    Approx.assertRelative(mseGen.value(), g.getValue(), RTOL, "hipparchus value");
    Approx.assertRelative(mseGen.w(), Arrays.copyOf(all, Data.MSE_FEATURES), RTOL, "hipparchus dw");
    Approx.assertRelative(mseGen.b(), all[Data.MSE_FEATURES], RTOL, "hipparchus db");
  }

  @Test
  void finmathMseScalar() {
    assertMse(FinmathMse.scalar(mse.w, mse.b, mse.x, mse.y), "finmath scalar");
  }

  @Test
  void finmathMseVector() {
    assertMse(FinmathMse.vector(mse.w, mse.b, FinmathMse.columns(mse.x, mse.y)), "finmath vector");
  }

  @Test
  void finmathMlpVector() {
    FinmathMlp.Batch batch = FinmathMlp.batch(mlp.x, mlp.labels, Data.MLP_CLASSES);
    assertMlp(FinmathMlp.vector(mlp.w1, mlp.b1, mlp.w2, mlp.b2, batch), "finmath vector");
  }

  @Test
  void finmathMlpScalar() {
    assertMlp(FinmathMlp.scalar(mlp.w1, mlp.b1, mlp.w2, mlp.b2, mlp.x, mlp.labels),
        "finmath scalar");
  }

  private static void assertMse(FinmathMse.Result r, String what) {
    Approx.assertRelative(mseGen.value(), r.value, RTOL, what + " value");
    Approx.assertRelative(mseGen.w(), r.w, RTOL, what + " dw");
    Approx.assertRelative(mseGen.b(), r.b, RTOL, what + " db");
  }

  private static void assertMlp(FinmathMlp.Result r, String what) {
    Approx.assertRelative(mlpGen.value(), r.value, RTOL, what + " value");
    Approx.assertRelative(mlpGen.w1(), r.w1, RTOL, what + " dw1");
    Approx.assertRelative(mlpGen.b1(), r.b1, RTOL, what + " db1");
    Approx.assertRelative(mlpGen.w2(), r.w2, RTOL, what + " dw2");
    Approx.assertRelative(mlpGen.b2(), r.b2, RTOL, what + " db2");
  }
}
