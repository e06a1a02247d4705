package dev.gradgen.benchmarks.adbench;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * ADBench's bundle-adjustment residuals ({@code ba_objective} in ADBench's C++) as one scalar loss
 * {@code 0.5 * |r|^2}, where {@code r} stacks, per observation, the weighted reprojection error
 * {@code w_i (proj(cam, X) - feature)} (Rodrigues rotation, two-term radial distortion, focal
 * length, principal point) and Zach's weight error {@code 1 - w_i^2}.
 *
 * <p>Camera layout ({@code cams[c]}, 11 values): rotation as angle-axis [0, 3), centre [3, 6),
 * focal length 6, principal point [7, 9), radial distortion [9, 11).
 */
public final class BundleAdjustment {
  private BundleAdjustment() {}

  @Differentiable
  public static double loss(double[][] cams, double[][] points, double[] weights,
      @NoGrad int[] camIndex, @NoGrad int[] pointIndex, @NoGrad double[][] features) {
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      int c = camIndex[i];
      int pt = pointIndex[i];
      // point relative to the camera centre
      double x0 = points[pt][0] - cams[c][3];
      double x1 = points[pt][1] - cams[c][4];
      double x2 = points[pt][2] - cams[c][5];
      // Rodrigues rotation by the angle-axis vector cams[c][0..3)
      double r0 = cams[c][0];
      double r1 = cams[c][1];
      double r2 = cams[c][2];
      double sqTheta = r0 * r0 + r1 * r1 + r2 * r2;
      double y0;
      double y1;
      double y2;
      if (sqTheta != 0) {
        double theta = Math.sqrt(sqTheta);
        double cosTheta = Math.cos(theta);
        double sinTheta = Math.sin(theta);
        double w0 = r0 / theta;
        double w1 = r1 / theta;
        double w2 = r2 / theta;
        double tmp = (1 - cosTheta) * (w0 * x0 + w1 * x1 + w2 * x2);
        y0 = x0 * cosTheta + (w1 * x2 - w2 * x1) * sinTheta + w0 * tmp;
        y1 = x1 * cosTheta + (w2 * x0 - w0 * x2) * sinTheta + w1 * tmp;
        y2 = x2 * cosTheta + (w0 * x1 - w1 * x0) * sinTheta + w2 * tmp;
      } else {
        y0 = x0 + (r1 * x2 - r2 * x1);
        y1 = x1 + (r2 * x0 - r0 * x2);
        y2 = x2 + (r0 * x1 - r1 * x0);
      }
      // perspective division and radial distortion
      double p0 = y0 / y2;
      double p1 = y1 / y2;
      double rsq = p0 * p0 + p1 * p1;
      double distortion = 1 + cams[c][9] * rsq + cams[c][10] * rsq * rsq;
      double proj0 = p0 * distortion * cams[c][6] + cams[c][7];
      double proj1 = p1 * distortion * cams[c][6] + cams[c][8];
      double e0 = weights[i] * (proj0 - features[i][0]);
      double e1 = weights[i] * (proj1 - features[i][1]);
      double ew = 1 - weights[i] * weights[i];
      total += e0 * e0 + e1 * e1 + ew * ew;
    }
    return 0.5 * total;
  }
}
