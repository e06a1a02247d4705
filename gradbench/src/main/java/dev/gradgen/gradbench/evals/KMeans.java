package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * GradBench's {@code kmeans} eval: the cost {@code Σ_i min_j |C_j - P_i|²} of centroids
 * {@code C} for points {@code P}, as the upstream reference loops over it.
 */
public final class KMeans {
  private KMeans() {}

  /**
   * The cost of the centroids.
   *
   * @param points the points, one row each
   * @param centroids the centroids, one row each, as long as the points' rows
   * @return the sum over points of the squared distance to the closest centroid
   */
  @Differentiable
  public static double cost(@NoGrad double[][] points, double[][] centroids) {
    int n = points.length;
    int k = centroids.length;
    double cost = 0;
    for (int i = 0; i < n; i++) {
      double closest = Double.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        closest = Math.min(closest, dist2(points[i], centroids[j]));
      }
      cost += closest;
    }
    return cost;
  }

  /**
   * The squared Euclidean distance.
   *
   * @param a a point
   * @param b a centroid as long as {@code a}
   * @return {@code |a - b|²}
   */
  @Differentiable
  static double dist2(@NoGrad double[] a, double[] b) {
    int d = a.length;
    double dist = 0;
    for (int i = 0; i < d; i++) {
      dist += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return dist;
  }
}
