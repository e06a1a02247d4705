package dev.gradgen.benchmarks.adbench;

import dev.gradgen.gradbench.evals.Lstm;
import dev.gradgen.gradbench.evals.LstmGrad;
import dev.gradgen.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ADBench LSTM (2 layers, 1024 characters): value and gradient against ADBench's fixture. */
class LstmTest {

  @Test
  void valueAndGradientMatchAdbenchFixture() {
    AdbenchData.Lstm l = AdbenchData.lstm();
    double expectedF = AdbenchData.expected("lstm_l2_c1024_F.txt")[0];
    double[] expectedJ = AdbenchData.expected("lstm_l2_c1024_J.txt");
    LstmGrad.ObjectiveGradient g = LstmGrad.objective(l.mainParams, l.extraParams, l.state, l.sequence);

    // The fixture's value has 8 significant digits (0.66666518).
    Compare.assertClose(expectedF, Lstm.objective(l.mainParams, l.extraParams, l.state, l.sequence),
        5e-9, "LSTM fixture: objective value");
    Compare.assertClose(expectedF, g.value(), 5e-9, "LSTM fixture: generated value");
    // ADBench's order: main parameters row by row (per layer weights, then biases), then extra.
    Compare.assertClose(expectedJ, Compare.flatten(g.mainParams(), g.extraParams()), 1e-12,
        "LSTM fixture: generated gradient");
  }

  @Test
  void gradientMatchesFiniteDifferencesOnAShortSequence() {
    AdbenchData.Lstm l = AdbenchData.lstm();
    double[][] seq = Arrays.copyOf(l.sequence, 20);
    LstmGrad.ObjectiveGradient g = LstmGrad.objective(l.mainParams, l.extraParams, l.state, seq);
    GradCheck.Report report = GradCheck.check(
        GradCheck.layout("mainParams", l.mainParams, "extraParams", l.extraParams),
        a -> Lstm.objective(a.matrix("mainParams"), a.matrix("extraParams"), l.state, seq),
        g.mainParams(), g.extraParams());
    System.out.println("LSTM 20 characters: " + report.worst(3));
    report.assertWithin(1e-6);
  }
}
