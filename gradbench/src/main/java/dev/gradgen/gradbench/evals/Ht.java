package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * GradBench's {@code ht} eval (ADBench's hand tracking): a skinned hand model posed by 26
 * parameters, and the distance of each observed point to its corresponding point on the hand.
 *
 * <p>The pose parameters are, as upstream: the global rotation as an angle-axis vector (3), the
 * global translation (3), and for each of the five fingers the two angles of its first joint and
 * one of each of the next two (4 × 5). Matrices are flat arrays, row by row; a bone's transform
 * is 16 numbers. The model (bones, base positions, skinning weights, triangles) is constant.
 */
public final class Ht {
  private Ht() {}

  /** The number of pose parameters. */
  public static final int PARAMETERS = 26;

  /**
   * The fewest bones the pose parameters fit: the fingers' joints are bones 2 to 20 (pose
   * columns 5 to 23).
   */
  public static final int LEAST_BONES = 21;

  /**
   * The errors {@code points - hand}, 3 per correspondence. When {@code us} is empty (the
   * "simple" case) point i corresponds to the vertex {@code correspondences[i]}; otherwise (the
   * "complicated" case) to the point of the triangle {@code correspondences[i]} with barycentric
   * coordinates {@code us[2i], us[2i + 1], 1 - us[2i] - us[2i + 1]}.
   *
   * @param theta the 26 pose parameters
   * @param us two barycentric coordinates per correspondence, or none
   * @param parents each bone's parent, -1 for the root; parents come before their children
   * @param baseRelatives each bone's 4 × 4 transform relative to its parent at rest
   * @param inverseBaseAbsolutes the inverse of each bone's absolute 4 × 4 transform at rest
   * @param basePositions each vertex's homogeneous position at rest, 4 numbers
   * @param weights each vertex's skinning weight for each bone, a row per vertex
   * @param triangles each triangle's 3 vertices
   * @param isMirrored whether the hand is mirrored in x
   * @param correspondences each point's vertex (simple) or triangle (complicated)
   * @param points the observed points, 3 numbers each
   * @return the errors, 3 per point
   */
  @Differentiable
  public static double[] objective(double[] theta, double[] us, @NoGrad int[] parents,
      @NoGrad double[] baseRelatives, @NoGrad double[] inverseBaseAbsolutes,
      @NoGrad double[] basePositions, @NoGrad double[] weights, @NoGrad int[] triangles,
      @NoGrad boolean isMirrored, @NoGrad int[] correspondences, @NoGrad double[] points) {
    int bones = parents.length;
    int vertices = basePositions.length / 4;
    // The pose parameters as upstream's 3 x (bones + 3) matrix, column c at pose[3c..3c+3):
    // the global rotation, the scale (1), the global translation, then one column of Euler
    // angles per bone, of which only the fingers' joints are set.
    double[] pose = new double[3 * (bones + 3)];
    pose[0] = theta[0];
    pose[1] = theta[1];
    pose[2] = theta[2];
    pose[3] = 1;
    pose[4] = 1;
    pose[5] = 1;
    pose[6] = theta[3];
    pose[7] = theta[4];
    pose[8] = theta[5];
    for (int finger = 0; finger < 5; finger++) {
      int t = 6 + 4 * finger;
      int c = 5 + 4 * finger;
      pose[3 * c] = theta[t];
      pose[3 * c + 1] = theta[t + 1];
      pose[3 * (c + 1)] = theta[t + 2];
      pose[3 * (c + 2)] = theta[t + 3];
    }

    // Each bone's transform relative to its parent: its rest transform times the rotation by
    // its Euler angles (x, z, y in the pose column), R = Rz Ry Rx.
    double[] relatives = new double[16 * bones];
    for (int b = 0; b < bones; b++) {
      int c = 3 * (b + 3);
      double cx = Math.cos(pose[c]);
      double sx = Math.sin(pose[c]);
      double cy = Math.cos(pose[c + 2]);
      double sy = Math.sin(pose[c + 2]);
      double cz = Math.cos(pose[c + 1]);
      double sz = Math.sin(pose[c + 1]);
      double r00 = cz * cy;
      double r01 = cz * sy * sx - sz * cx;
      double r02 = cz * sy * cx + sz * sx;
      double r10 = sz * cy;
      double r11 = sz * sy * sx + cz * cx;
      double r12 = sz * sy * cx - cz * sx;
      double r20 = -sy;
      double r21 = cy * sx;
      double r22 = cy * cx;
      for (int i = 0; i < 4; i++) {
        int at = 16 * b + 4 * i;
        double a0 = baseRelatives[at];
        double a1 = baseRelatives[at + 1];
        double a2 = baseRelatives[at + 2];
        relatives[at] = a0 * r00 + a1 * r10 + a2 * r20;
        relatives[at + 1] = a0 * r01 + a1 * r11 + a2 * r21;
        relatives[at + 2] = a0 * r02 + a1 * r12 + a2 * r22;
        relatives[at + 3] = baseRelatives[at + 3];
      }
    }

    // Absolute transforms down the tree, then each bone's skinning transform.
    double[] absolutes = new double[16 * bones];
    for (int b = 0; b < bones; b++) {
      int p = parents[b];
      if (p == -1) {
        for (int k = 0; k < 16; k++) {
          absolutes[16 * b + k] = relatives[16 * b + k];
        }
      } else {
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            double sum = 0;
            for (int k = 0; k < 4; k++) {
              sum += absolutes[16 * p + 4 * i + k] * relatives[16 * b + 4 * k + j];
            }
            absolutes[16 * b + 4 * i + j] = sum;
          }
        }
      }
    }
    double[] transforms = new double[16 * bones];
    for (int b = 0; b < bones; b++) {
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          double sum = 0;
          for (int k = 0; k < 4; k++) {
            sum += absolutes[16 * b + 4 * i + k] * inverseBaseAbsolutes[16 * b + 4 * k + j];
          }
          transforms[16 * b + 4 * i + j] = sum;
        }
      }
    }

    // Linear blend skinning: each vertex is the weighted sum of its bones' transforms of it.
    double[] positions = new double[3 * vertices];
    for (int b = 0; b < bones; b++) {
      for (int v = 0; v < vertices; v++) {
        double weight = weights[bones * v + b];
        for (int i = 0; i < 3; i++) {
          double moved = transforms[16 * b + 4 * i] * basePositions[4 * v]
              + transforms[16 * b + 4 * i + 1] * basePositions[4 * v + 1]
              + transforms[16 * b + 4 * i + 2] * basePositions[4 * v + 2]
              + transforms[16 * b + 4 * i + 3] * basePositions[4 * v + 3];
          positions[3 * v + i] += moved * weight;
        }
      }
    }
    if (isMirrored) {
      for (int v = 0; v < vertices; v++) {
        positions[3 * v] = -positions[3 * v];
      }
    }

    // The global transform: the rotation by the angle-axis vector (the identity below a norm of
    // 1e-4), each column scaled by the scale, then the translation.
    double norm = Math.sqrt(pose[0] * pose[0] + pose[1] * pose[1] + pose[2] * pose[2]);
    double g00 = 1;
    double g01 = 0;
    double g02 = 0;
    double g10 = 0;
    double g11 = 1;
    double g12 = 0;
    double g20 = 0;
    double g21 = 0;
    double g22 = 1;
    if (norm >= 0.0001) {
      double x = pose[0] / norm;
      double y = pose[1] / norm;
      double z = pose[2] / norm;
      double s = Math.sin(norm);
      double c = Math.cos(norm);
      g00 = x * x + (1 - x * x) * c;
      g01 = x * y * (1 - c) - z * s;
      g02 = x * z * (1 - c) + y * s;
      g10 = x * y * (1 - c) + z * s;
      g11 = y * y + (1 - y * y) * c;
      g12 = y * z * (1 - c) - x * s;
      g20 = x * z * (1 - c) - y * s;
      g21 = z * y * (1 - c) + x * s;
      g22 = z * z + (1 - z * z) * c;
    }
    g00 = g00 * pose[3];
    g10 = g10 * pose[3];
    g20 = g20 * pose[3];
    g01 = g01 * pose[4];
    g11 = g11 * pose[4];
    g21 = g21 * pose[4];
    g02 = g02 * pose[5];
    g12 = g12 * pose[5];
    g22 = g22 * pose[5];
    double[] hand = new double[3 * vertices];
    for (int v = 0; v < vertices; v++) {
      double p0 = positions[3 * v];
      double p1 = positions[3 * v + 1];
      double p2 = positions[3 * v + 2];
      hand[3 * v] = g00 * p0 + g01 * p1 + g02 * p2 + pose[6];
      hand[3 * v + 1] = g10 * p0 + g11 * p1 + g12 * p2 + pose[7];
      hand[3 * v + 2] = g20 * p0 + g21 * p1 + g22 * p2 + pose[8];
    }

    // The errors.
    int n = correspondences.length;
    double[] err = new double[3 * n];
    if (us.length == 0) {
      for (int i = 0; i < n; i++) {
        int v = correspondences[i];
        for (int j = 0; j < 3; j++) {
          err[3 * i + j] = points[3 * i + j] - hand[3 * v + j];
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        int t = correspondences[i];
        int v0 = triangles[3 * t];
        int v1 = triangles[3 * t + 1];
        int v2 = triangles[3 * t + 2];
        double u0 = us[2 * i];
        double u1 = us[2 * i + 1];
        for (int j = 0; j < 3; j++) {
          double onHand = u0 * hand[3 * v0 + j] + u1 * hand[3 * v1 + j]
              + (1 - u0 - u1) * hand[3 * v2 + j];
          err[3 * i + j] = points[3 * i + j] - onHand;
        }
      }
    }
    return err;
  }
}
