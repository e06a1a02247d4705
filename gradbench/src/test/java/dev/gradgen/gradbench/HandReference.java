package dev.gradgen.gradbench;

/**
 * An independent implementation of ht's objective for tests, written from ADBench's
 * {@code hand_light_matrix.h} with explicit 3 × 3 and 4 × 4 matrices and their products (the
 * eval under test writes the rotations out in closed form): Euler rotations Rz Ry Rx, posed
 * relatives, absolutes down the tree, skinning, the mirror in x, the global angle-axis
 * transform, then the errors.
 */
final class HandReference {
  private HandReference() {}

  static double[][] multiply(double[][] a, double[][] b) {
    double[][] c = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b[0].length; j++) {
        for (int k = 0; k < b.length; k++) {
          c[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return c;
  }

  static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  /** Euler angles in the order x, z, y, as upstream's {@code euler_angles_to_rotation_matrix}. */
  static double[][] euler(double[] xzy) {
    double tx = xzy[0];
    double ty = xzy[2];
    double tz = xzy[1];
    double[][] rx = identity(3);
    rx[1][1] = Math.cos(tx);
    rx[2][1] = Math.sin(tx);
    rx[1][2] = -rx[2][1];
    rx[2][2] = rx[1][1];
    double[][] ry = identity(3);
    ry[0][0] = Math.cos(ty);
    ry[0][2] = Math.sin(ty);
    ry[2][0] = -ry[0][2];
    ry[2][2] = ry[0][0];
    double[][] rz = identity(3);
    rz[0][0] = Math.cos(tz);
    rz[1][0] = Math.sin(tz);
    rz[0][1] = -rz[1][0];
    rz[1][1] = rz[0][0];
    return multiply(multiply(rz, ry), rx);
  }

  /** Rodrigues: the rotation by the angle-axis vector, the identity below norm 1e-4. */
  static double[][] angleAxis(double[] w) {
    double norm = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
    if (norm < 1e-4) {
      return identity(3);
    }
    // R = I + sin(θ) K + (1 - cos(θ)) K², K the cross-product matrix of the unit axis
    double[][] k = {{0, -w[2] / norm, w[1] / norm}, {w[2] / norm, 0, -w[0] / norm},
        {-w[1] / norm, w[0] / norm, 0}};
    double[][] k2 = multiply(k, k);
    double[][] r = identity(3);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        r[i][j] += Math.sin(norm) * k[i][j] + (1 - Math.cos(norm)) * k2[i][j];
      }
    }
    return r;
  }

  /** The objective on the JSON-shaped arrays of an input. */
  static double[] objective(double[] theta, double[][] us, int[] parents,
      double[][][] baseRelatives, double[][][] inverseBaseAbsolutes, double[][] basePositions,
      double[][] weights, int[][] triangles, boolean mirrored, int[] correspondences,
      double[][] points) {
    int bones = parents.length;
    // pose_params: 3 x (bones + 3), as columns
    double[][] pose = new double[bones + 3][3];
    pose[0] = new double[] {theta[0], theta[1], theta[2]};
    pose[1] = new double[] {1, 1, 1};
    pose[2] = new double[] {theta[3], theta[4], theta[5]};
    int iTheta = 6;
    int iPose = 5;
    for (int finger = 0; finger < 5; finger++) {
      for (int i = 2; i <= 4; i++) {
        pose[iPose][0] = theta[iTheta++];
        if (i == 2) {
          pose[iPose][1] = theta[iTheta++];
        }
        iPose++;
      }
      iPose++;
    }
    double[][][] absolutes = new double[bones][][];
    double[][][] transforms = new double[bones][][];
    for (int b = 0; b < bones; b++) {
      double[][] tr = identity(4);
      double[][] r = euler(pose[b + 3]);
      for (int i = 0; i < 3; i++) {
        System.arraycopy(r[i], 0, tr[i], 0, 3);
      }
      double[][] relative = multiply(baseRelatives[b], tr);
      absolutes[b] = parents[b] == -1 ? relative : multiply(absolutes[parents[b]], relative);
      transforms[b] = multiply(absolutes[b], inverseBaseAbsolutes[b]);
    }
    int vertices = basePositions.length;
    double[][] positions = new double[3][vertices];
    for (int b = 0; b < bones; b++) {
      for (int v = 0; v < vertices; v++) {
        for (int i = 0; i < 3; i++) {
          double moved = 0;
          for (int k = 0; k < 4; k++) {
            moved += transforms[b][i][k] * basePositions[v][k];
          }
          positions[i][v] += moved * weights[v][b];
        }
      }
    }
    if (mirrored) {
      for (int v = 0; v < vertices; v++) {
        positions[0][v] *= -1;
      }
    }
    double[][] g = angleAxis(pose[0]);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        g[i][j] *= pose[1][j];
      }
    }
    double[][] hand = multiply(g, positions);
    double[] err = new double[3 * correspondences.length];
    for (int i = 0; i < correspondences.length; i++) {
      for (int j = 0; j < 3; j++) {
        double onHand;
        if (us.length == 0) {
          onHand = hand[j][correspondences[i]];
        } else {
          int[] t = triangles[correspondences[i]];
          onHand = us[i][0] * hand[j][t[0]] + us[i][1] * hand[j][t[1]]
              + (1 - us[i][0] - us[i][1]) * hand[j][t[2]];
        }
        err[3 * i + j] = points[i][j] - (onHand + pose[2][j]);
      }
    }
    return err;
  }
}
