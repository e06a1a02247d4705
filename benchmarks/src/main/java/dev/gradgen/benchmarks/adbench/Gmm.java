package dev.gradgen.benchmarks.adbench;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * ADBench's Gaussian mixture model objective: the log-likelihood of the points {@code x} under the
 * mixture, with ADBench's constants, plus ADBench's Wishart prior term on the inverse covariance
 * factors; written as plain loops the way ADBench's C++ {@code gmm_objective} is. gradgen
 * generates {@code GmmGrad.objective}.
 *
 * <p>Component {@code k} has log-weight {@code alphas[k]}, mean {@code means[k]} and inverse
 * covariance factor {@code L_k} given by {@code icf[k]}: first the {@code d} logarithms of the
 * diagonal of {@code L_k}, then its strict lower triangle column by column.
 */
public final class Gmm {
  private Gmm() {}

  /** ADBench's value of pi (its fixtures depend on it). */
  public static final double PI = 3.14159265359;

  @Differentiable
  public static double objective(double[] alphas, double[][] means, double[][] icf,
      @NoGrad double[][] x, @NoGrad double gamma, @NoGrad int m) {
    int k = alphas.length;
    int d = means[0].length;
    int n = x.length;
    double constant = -n * d * 0.5 * Math.log(2 * PI);

    // exp of the log-diagonals, and their sums (log det L_k)
    double[][] qDiags = new double[k][d];
    double[] sumQs = new double[k];
    for (int ik = 0; ik < k; ik++) {
      double s = 0;
      for (int id = 0; id < d; id++) {
        s += icf[ik][id];
        qDiags[ik][id] = Math.exp(icf[ik][id]);
      }
      sumQs[ik] = s;
    }

    double[] xCentered = new double[d];
    double[] qxCentered = new double[d];
    double[] mainTerm = new double[k];
    double slse = 0;
    for (int ix = 0; ix < n; ix++) {
      for (int ik = 0; ik < k; ik++) {
        for (int id = 0; id < d; id++) {
          xCentered[id] = x[ix][id] - means[ik][id];
        }
        // qxCentered = L_k * xCentered
        for (int id = 0; id < d; id++) {
          qxCentered[id] = qDiags[ik][id] * xCentered[id];
        }
        int lIndex = d;
        for (int i = 0; i < d; i++) {
          for (int j = i + 1; j < d; j++) {
            qxCentered[j] += icf[ik][lIndex] * xCentered[i];
            lIndex++;
          }
        }
        double sqnorm = 0;
        for (int id = 0; id < d; id++) {
          sqnorm += qxCentered[id] * qxCentered[id];
        }
        mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqnorm;
      }
      // log-sum-exp over the components, with the max trick
      double mx = mainTerm[0];
      for (int ik = 1; ik < k; ik++) {
        if (mainTerm[ik] > mx) {
          mx = mainTerm[ik];
        }
      }
      double sumExp = 0;
      for (int ik = 0; ik < k; ik++) {
        sumExp += Math.exp(mainTerm[ik] - mx);
      }
      slse += Math.log(sumExp) + mx;
    }

    double alphaMax = alphas[0];
    for (int ik = 1; ik < k; ik++) {
      if (alphas[ik] > alphaMax) {
        alphaMax = alphas[ik];
      }
    }
    double alphaSumExp = 0;
    for (int ik = 0; ik < k; ik++) {
      alphaSumExp += Math.exp(alphas[ik] - alphaMax);
    }
    double lseAlphas = Math.log(alphaSumExp) + alphaMax;

    // Wishart prior
    int wn = d + m + 1;
    double c = wn * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * wn, d);
    double prior = 0;
    for (int ik = 0; ik < k; ik++) {
      double frobenius = 0;
      for (int id = 0; id < d; id++) {
        frobenius += qDiags[ik][id] * qDiags[ik][id];
      }
      for (int j = d; j < icf[ik].length; j++) {
        frobenius += icf[ik][j] * icf[ik][j];
      }
      prior += 0.5 * gamma * gamma * frobenius - m * sumQs[ik];
    }
    prior -= k * c;

    return constant + slse - n * lseAlphas + prior;
  }

  /** log of the multivariate gamma function Gamma_p(a), with ADBench's pi. A constant here. */
  public static double logGammaDistrib(double a, int p) {
    double out = 0.25 * p * (p - 1) * Math.log(PI);
    for (int j = 1; j <= p; j++) {
      out += logGamma(a + 0.5 * (1 - j));
    }
    return out;
  }

  /**
   * log Gamma(x) for x > 0: the recurrence up to x >= 12, then Stirling's series (relative error
   * near 1e-16 there).
   */
  public static double logGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
    }
    double shift = 0;
    double product = 1;
    while (x < 12) {
      product *= x;
      x += 1;
      if (product > 1e250) {
        shift += Math.log(product);
        product = 1;
      }
    }
    shift += Math.log(product);
    double inv = 1 / x;
    double inv2 = inv * inv;
    double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680
        - inv2 * (1.0 / 1188 - inv2 * (691.0 / 360360 - inv2 / 156))))));
    return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
  }
}
