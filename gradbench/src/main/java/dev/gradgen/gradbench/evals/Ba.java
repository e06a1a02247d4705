package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * GradBench's {@code ba} eval (ADBench's bundle adjustment), written per observation as the
 * upstream reference is: the weighted reprojection error of one point seen by one camera, and
 * Zach's weight error of its weight.
 *
 * <p>A camera is 11 numbers: the rotation as an angle-axis vector [0, 3), the centre [3, 6), the
 * focal length 6, the principal point [7, 9) and two radial distortion coefficients [9, 11).
 */
public final class Ba {
  private Ba() {}

  /** The number of parameters of one camera. */
  public static final int CAMERA_PARAMETERS = 11;

  /**
   * The reprojection error of one observation: {@code w (proj(cam, x) - feat)}, where proj
   * rotates {@code x - C} by Rodrigues' formula, divides by depth, distorts radially, scales by
   * the focal length and adds the principal point.
   *
   * @param cam the camera's 11 parameters
   * @param x the point, 3 numbers
   * @param w the observation's weight
   * @param feat the observed feature, 2 numbers
   * @return the error's 2 components
   */
  @Differentiable
  public static double[] reprojError(double[] cam, double[] x, double w,
      @NoGrad double[] feat) {
    // the point relative to the camera centre
    double x0 = x[0] - cam[3];
    double x1 = x[1] - cam[4];
    double x2 = x[2] - cam[5];
    // Rodrigues' rotation by the angle-axis vector cam[0..3)
    double r0 = cam[0];
    double r1 = cam[1];
    double r2 = cam[2];
    double sqTheta = r0 * r0 + r1 * r1 + r2 * r2;
    double y0;
    double y1;
    double y2;
    if (sqTheta != 0) {
      double theta = Math.sqrt(sqTheta);
      double cosTheta = Math.cos(theta);
      double sinTheta = Math.sin(theta);
      double thetaInverse = 1.0 / theta;
      double w0 = r0 * thetaInverse;
      double w1 = r1 * thetaInverse;
      double w2 = r2 * thetaInverse;
      double tmp = (w0 * x0 + w1 * x1 + w2 * x2) * (1.0 - cosTheta);
      y0 = x0 * cosTheta + (w1 * x2 - w2 * x1) * sinTheta + w0 * tmp;
      y1 = x1 * cosTheta + (w2 * x0 - w0 * x2) * sinTheta + w1 * tmp;
      y2 = x2 * cosTheta + (w0 * x1 - w1 * x0) * sinTheta + w2 * tmp;
    } else {
      y0 = x0 + (r1 * x2 - r2 * x1);
      y1 = x1 + (r2 * x0 - r0 * x2);
      y2 = x2 + (r0 * x1 - r1 * x0);
    }
    // perspective division, radial distortion, focal length and principal point
    double p0 = y0 / y2;
    double p1 = y1 / y2;
    double rsq = p0 * p0 + p1 * p1;
    double distortion = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq;
    double proj0 = p0 * distortion * cam[6] + cam[7];
    double proj1 = p1 * distortion * cam[6] + cam[8];
    double[] err = new double[2];
    err[0] = w * (proj0 - feat[0]);
    err[1] = w * (proj1 - feat[1]);
    return err;
  }

  /**
   * Zach's weight error, {@code 1 - w^2}.
   *
   * @param w the weight
   * @return its error
   */
  @Differentiable
  public static double weightError(double w) {
    return 1 - w * w;
  }
}
