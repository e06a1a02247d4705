package dev.gradgen.benchmarks.adbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gradgen.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * ADBench bundle adjustment as 0.5 |r|^2 on ADBench's BA unit-test input (2 cameras, 10 points,
 * 10 observations): value and gradient against the fixture's residuals and Jacobian (the gradient
 * is J^T r), and against central finite differences.
 */
class BundleAdjustmentTest {
  private static final int CAM = 11;

  @Test
  void valueAndGradientMatchAdbenchFixture() {
    AdbenchData.Ba ba = AdbenchData.ba("test.txt");
    // ba_test_F.txt is a comment: reproj_err[2i] = -0.269..., reproj_err[2i+1] = 0.259...,
    // w_err[i] = 0.826... for every observation i (all observations are the same).
    double r0 = -2.69048849235189402e-01;
    double r1 = 2.59944792677901881e-01;
    double rw = 8.26092651515999976e-01;
    double expectedValue = 0.5 * ba.p * (r0 * r0 + r1 * r1 + rw * rw);

    // The Jacobian in CSR order: per observation two reprojection rows of 15 entries (the
    // camera's 11, the point's 3, the weight), then one weight row per observation.
    double[] vals = AdbenchData.expected("ba_test_J_vals.txt");
    assertEquals(31 * ba.p, vals.length);
    double[][] dCams = new double[ba.n][CAM];
    double[][] dPoints = new double[ba.m][3];
    double[] dWeights = new double[ba.p];
    for (int i = 0; i < ba.p; i++) {
      for (int row = 0; row < 2; row++) {
        double r = row == 0 ? r0 : r1;
        int at = (2 * i + row) * 15;
        for (int j = 0; j < CAM; j++) {
          dCams[ba.camIndex[i]][j] += vals[at + j] * r;
        }
        for (int j = 0; j < 3; j++) {
          dPoints[ba.pointIndex[i]][j] += vals[at + CAM + j] * r;
        }
        dWeights[i] += vals[at + 14] * r;
      }
      dWeights[i] += vals[2 * ba.p * 15 + i] * rw;
    }

    BundleAdjustmentGrad.LossGradient g = BundleAdjustmentGrad.loss(
        ba.cams, ba.points, ba.weights, ba.camIndex, ba.pointIndex, ba.features);
    Compare.assertClose(expectedValue,
        BundleAdjustment.loss(ba.cams, ba.points, ba.weights, ba.camIndex, ba.pointIndex, ba.features),
        1e-12, "BA fixture: objective value");
    Compare.assertClose(expectedValue, g.value(), 1e-12, "BA fixture: generated value");
    // The fixture's Jacobian has about 16 significant digits; J^T r sums 5 products per entry.
    Compare.assertClose(Compare.flatten(dCams, dPoints, dWeights),
        Compare.flatten(g.cams(), g.points(), g.weights()), 1e-12, "BA fixture: generated gradient");
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    AdbenchData.Ba ba = AdbenchData.ba("test.txt");
    BundleAdjustmentGrad.LossGradient g = BundleAdjustmentGrad.loss(
        ba.cams, ba.points, ba.weights, ba.camIndex, ba.pointIndex, ba.features);
    GradCheck.Report report = GradCheck.check(
        GradCheck.layout("cams", ba.cams, "points", ba.points, "weights", ba.weights),
        a -> BundleAdjustment.loss(a.matrix("cams"), a.matrix("points"), a.vector("weights"),
            ba.camIndex, ba.pointIndex, ba.features),
        g.cams(), g.points(), g.weights());
    System.out.println("BA test.txt: " + report.worst(3));
    report.assertWithin(1e-6);
  }

  @Test
  void zeroRotationTakesTheLinearisedBranch() {
    AdbenchData.Ba ba = AdbenchData.ba("test.txt");
    for (double[] cam : ba.cams) {
      cam[0] = cam[1] = cam[2] = 0;
    }
    BundleAdjustmentGrad.LossGradient g = BundleAdjustmentGrad.loss(
        ba.cams, ba.points, ba.weights, ba.camIndex, ba.pointIndex, ba.features);
    GradCheck.Report report = GradCheck.check(
        GradCheck.layout("cams", ba.cams, "points", ba.points, "weights", ba.weights),
        a -> BundleAdjustment.loss(a.matrix("cams"), a.matrix("points"), a.vector("weights"),
            ba.camIndex, ba.pointIndex, ba.features),
        g.cams(), g.points(), g.weights());
    // Entries other than the rotation's see only the linearised branch; the rotation's differ
    // between the branches at second order, so finite differences still agree to ~1e-6.
    System.out.println("BA zero rotation: " + report.worst(3));
    report.assertWithin(1e-5);
  }
}
