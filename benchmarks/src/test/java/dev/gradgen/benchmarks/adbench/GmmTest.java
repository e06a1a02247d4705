package dev.gradgen.benchmarks.adbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradgen.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ADBench GMM: the fixture of ADBench's unit tests, finite differences, and the hand-written gradient. */
class GmmTest {

  @Test
  void valueAndGradientMatchAdbenchFixture() {
    AdbenchData.Gmm g = AdbenchData.gmm("test.txt");
    GmmGrad.ObjectiveGradient grad = GmmGrad.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m);
    double[] expectedF = AdbenchData.expected("gmm_test_F.txt");
    double[] expectedJ = AdbenchData.expected("gmm_test_J.txt");

    Compare.assertClose(expectedF[0], Gmm.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m),
        1e-12, "GMM fixture: objective value");
    Compare.assertClose(expectedF[0], grad.value(), 1e-12, "GMM fixture: generated value");
    // ADBench's order: alphas, means component by component, then per component the
    // log-diagonal and the strict lower triangle column by column -- exactly icf's rows.
    Compare.assertClose(expectedJ, Compare.flatten(grad.alphas(), grad.means(), grad.icf()), 1e-12,
        "GMM fixture: generated gradient");

    GmmHand.Buffer hand = new GmmHand.Buffer(g.d, g.k);
    Compare.assertClose(expectedF[0], GmmHand.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m, hand),
        1e-12, "GMM fixture: hand-written value");
    Compare.assertClose(expectedJ, Compare.flatten(hand.alphas, hand.means, hand.icf), 1e-12,
        "GMM fixture: hand-written gradient");
  }

  @Test
  void gradientMatchesFiniteDifferencesOn1000Points() {
    AdbenchData.Gmm g = AdbenchData.gmm1k("d2_K50");
    checkFiniteDifferences(g, g.x, 1e-4, "d2_K50, 1000 points");
  }

  @Test
  void gradientMatchesFiniteDifferencesInTenDimensions() {
    AdbenchData.Gmm g = AdbenchData.gmm1k("d10_K25");
    checkFiniteDifferences(g, Arrays.copyOf(g.x, 100), 1e-5, "d10_K25, first 100 points");
  }

  private static void checkFiniteDifferences(AdbenchData.Gmm g, double[][] x, double step, String what) {
    GmmGrad.ObjectiveGradient grad = GmmGrad.objective(g.alphas, g.means, g.icf, x, g.gamma, g.m);
    // The objective sums up to 1000 log-likelihoods (|f| up to ~1e4), so rounding in f(x +- h)
    // alone is about 1e-16 |f| / h: relative steps of 1e-6 give ~1e-6 noise on the 1000-point
    // input. Larger steps trade that for truncation error (h^2 f"'/6, large where exp(icf) is),
    // hence a step per input.
    GradCheck.Report report = GradCheck.check(
        GradCheck.layout("alphas", g.alphas, "means", g.means, "icf", g.icf), step,
        a -> Gmm.objective(a.vector("alphas"), a.matrix("means"), a.matrix("icf"), x, g.gamma, g.m),
        grad.alphas(), grad.means(), grad.icf());
    System.out.println("GMM " + what + " (objective " + grad.value() + "): " + report);
    report.assertWithin(1e-6);
  }

  @Test
  void handWrittenGradientMatchesGenerated() {
    for (String size : AdbenchData.GMM_SIZES) {
      AdbenchData.Gmm g = AdbenchData.gmm1k(size);
      GmmGrad.ObjectiveGradientBuffer gen = new GmmGrad.ObjectiveGradientBuffer(g.alphas, g.means, g.icf);
      GmmHand.Buffer hand = new GmmHand.Buffer(g.d, g.k);
      for (int call = 1; call <= 2; call++) { // twice: both overwrite rather than accumulate
        double genValue = GmmGrad.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m, gen);
        double handValue = GmmHand.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m, hand);
        String at = "GMM " + size + " call " + call;
        double objective = Gmm.objective(g.alphas, g.means, g.icf, g.x, g.gamma, g.m);
        Compare.assertRelative(new double[] {objective}, new double[] {genValue}, 1e-12, at + ": generated value");
        Compare.assertRelative(new double[] {genValue}, new double[] {handValue}, 1e-10, at + ": hand value");
        Compare.assertRelative(Compare.flatten(gen.alphas, gen.means, gen.icf),
            Compare.flatten(hand.alphas, hand.means, hand.icf), 1e-10, at + ": hand gradient");
      }
      assertTrue(Arrays.stream(gen.icf[0]).anyMatch(v -> Math.abs(v) > 1e-3), "gradient not trivially zero");
    }
  }
}
