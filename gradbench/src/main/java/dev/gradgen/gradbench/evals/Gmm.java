package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * GradBench's {@code gmm} eval: the log posterior of a Gaussian mixture with a Wishart prior on
 * the precision matrices, as GradBench specifies it (with its three fixes to ADBench's GMM), in
 * the algebraically simplified form of its README and reference {@code gmm.hpp}.
 *
 * <p>Component {@code k} has weight parameter {@code alpha[k]}, mean {@code mu[k]} and the
 * lower-triangular factor {@code Q_k} of its precision matrix {@code Q_kᵀ Q_k}: diagonal
 * {@code exp(q[k][j])}, strict lower triangle {@code l[k]} column by column.
 */
public final class Gmm {
  private Gmm() {}

  /**
   * The log posterior {@code log p(X | θ, φ) + log p(θ)}.
   *
   * @param alpha the weights' parameters, {@code k} of them
   * @param mu the means, {@code k × d}
   * @param q the logarithms of the factors' diagonals, {@code k × d}
   * @param l the factors' strict lower triangles, {@code k × d(d-1)/2}
   * @param x the observations, {@code n × d}
   * @param m the Wishart prior's additional degrees of freedom
   * @param gamma the Wishart prior's precision
   * @param priorConstant {@code k (nD log(γ/√2) - log Γ_D(n/2))} with {@code n = d + m + 1},
   *     from {@link #priorConstant}
   * @return the log posterior
   */
  @Differentiable
  public static double objective(double[] alpha, double[][] mu, double[][] q, double[][] l,
      @NoGrad double[][] x, @NoGrad int m, @NoGrad double gamma, @NoGrad double priorConstant) {
    int k = alpha.length;
    int d = mu[0].length;
    int n = x.length;
    double[][] qDiag = new double[k][d];
    double[] sumQ = new double[k];
    for (int ik = 0; ik < k; ik++) {
      for (int j = 0; j < d; j++) {
        qDiag[ik][j] = Math.exp(q[ik][j]);
        sumQ[ik] += q[ik][j];
      }
    }
    double[] centered = new double[d];
    double[] qCentered = new double[d];
    double[] beta = new double[k];
    double slse = 0;
    for (int i = 0; i < n; i++) {
      for (int ik = 0; ik < k; ik++) {
        for (int j = 0; j < d; j++) {
          centered[j] = x[i][j] - mu[ik][j];
        }
        // qCentered = Q_k centered
        for (int j = 0; j < d; j++) {
          qCentered[j] = qDiag[ik][j] * centered[j];
        }
        int li = 0;
        for (int j = 0; j < d; j++) {
          for (int r = j + 1; r < d; r++) {
            qCentered[r] += l[ik][li] * centered[j];
            li++;
          }
        }
        double sq = 0;
        for (int j = 0; j < d; j++) {
          sq += qCentered[j] * qCentered[j];
        }
        beta[ik] = alpha[ik] + sumQ[ik] - 0.5 * sq;
      }
      slse += logsumexp(beta);
    }
    double likelihood = -n * d * 0.5 * Math.log(2 * Math.PI) + slse - n * logsumexp(alpha);

    // log p(θ): the Wishart prior of each precision matrix
    double prior = 0;
    for (int ik = 0; ik < k; ik++) {
      double frobenius = 0;
      for (int j = 0; j < d; j++) {
        frobenius += qDiag[ik][j] * qDiag[ik][j];
      }
      for (int j = 0; j < l[ik].length; j++) {
        frobenius += l[ik][j] * l[ik][j];
      }
      prior += 0.5 * gamma * gamma * frobenius - m * sumQ[ik];
    }
    return likelihood - prior + priorConstant;
  }

  /**
   * {@code log Σ exp(v_i)}, from the maximum.
   *
   * @param v a non-empty vector
   * @return {@code log Σ exp(v_i)}
   */
  @Differentiable
  static double logsumexp(double[] v) {
    double mx = v[0];
    for (int i = 1; i < v.length; i++) {
      mx = Math.max(mx, v[i]);
    }
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += Math.exp(v[i] - mx);
    }
    return Math.log(s) + mx;
  }

  /**
   * The prior's constant, {@code k (nD (log γ - ½ log 2) - log Γ_D(n/2))} with
   * {@code n = d + m + 1} and the multivariate log-gamma
   * {@code log Γ_D(a) = D(D-1)/4 log π + Σ_{j=1}^{D} log Γ(a + (1-j)/2)}.
   *
   * @param d the dimension
   * @param k the number of components
   * @param m the additional degrees of freedom
   * @param gamma the precision
   * @return the constant
   */
  public static double priorConstant(int d, int k, int m, double gamma) {
    int n = d + m + 1;
    double logGammaD = 0.25 * d * (d - 1) * Math.log(Math.PI);
    for (int j = 1; j <= d; j++) {
      logGammaD += org.hipparchus.special.Gamma.logGamma(0.5 * n + 0.5 * (1 - j));
    }
    return k * (n * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logGammaD);
  }
}
