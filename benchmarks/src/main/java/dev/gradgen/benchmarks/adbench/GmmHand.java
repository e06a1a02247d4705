package dev.gradgen.benchmarks.adbench;

/**
 * A hand-written gradient of {@link Gmm#objective}, written for speed: one forward pass per point
 * keeps {@code x - mu_k} and {@code L_k (x - mu_k)} for every component, then one backward pass
 * weights them by the softmax of the main terms. Nothing else is saved or recomputed.
 */
public final class GmmHand {
  private GmmHand() {}

  /** Gradient storage plus scratch space, sized once; overwritten by every call. */
  public static final class Buffer {
    public final double[] alphas;
    public final double[][] means;
    public final double[][] icf;
    final double[][] qDiags;
    final double[] sumQs;
    final double[][] xCentered;
    final double[][] qxCentered;
    final double[] mainTerm;

    public Buffer(int d, int k) {
      int icfSize = d * (d + 1) / 2;
      alphas = new double[k];
      means = new double[k][d];
      icf = new double[k][icfSize];
      qDiags = new double[k][d];
      sumQs = new double[k];
      xCentered = new double[k][d];
      qxCentered = new double[k][d];
      mainTerm = new double[k];
    }
  }

  /** Returns {@code Gmm.objective(alphas, means, icf, x, gamma, m)} and writes its gradient into {@code g}. */
  public static double objective(double[] alphas, double[][] means, double[][] icf, double[][] x,
      double gamma, int m, Buffer g) {
    final int k = alphas.length;
    final int d = means[0].length;
    final int n = x.length;
    final double[][] qDiags = g.qDiags;
    final double[] sumQs = g.sumQs;
    final double[] mainTerm = g.mainTerm;
    for (int ik = 0; ik < k; ik++) {
      double s = 0;
      double[] q = icf[ik];
      double[] qd = qDiags[ik];
      for (int id = 0; id < d; id++) {
        s += q[id];
        qd[id] = Math.exp(q[id]);
      }
      sumQs[ik] = s;
      java.util.Arrays.fill(g.means[ik], 0.0);
      java.util.Arrays.fill(g.icf[ik], 0.0);
    }
    // g.alphas accumulates the sum over points of the posterior weights w_k; g.icf[ik][id] for
    // id < d accumulates sum_points w_k z_j exp(q_j) xc_j (the "1" and prior terms come last).
    java.util.Arrays.fill(g.alphas, 0.0);

    double slse = 0;
    for (int ix = 0; ix < n; ix++) {
      double[] xi = x[ix];
      double mx = Double.NEGATIVE_INFINITY;
      for (int ik = 0; ik < k; ik++) {
        double[] mu = means[ik];
        double[] q = icf[ik];
        double[] qd = qDiags[ik];
        double[] xc = g.xCentered[ik];
        double[] z = g.qxCentered[ik];
        for (int id = 0; id < d; id++) {
          double v = xi[id] - mu[id];
          xc[id] = v;
          z[id] = qd[id] * v;
        }
        int l = d;
        for (int i = 0; i < d; i++) {
          double xci = xc[i];
          for (int j = i + 1; j < d; j++) {
            z[j] += q[l++] * xci;
          }
        }
        double sq = 0;
        for (int id = 0; id < d; id++) {
          sq += z[id] * z[id];
        }
        double t = alphas[ik] + sumQs[ik] - 0.5 * sq;
        mainTerm[ik] = t;
        if (t > mx) {
          mx = t;
        }
      }
      double sumExp = 0;
      for (int ik = 0; ik < k; ik++) {
        double e = Math.exp(mainTerm[ik] - mx);
        mainTerm[ik] = e;
        sumExp += e;
      }
      slse += Math.log(sumExp) + mx;
      double inv = 1 / sumExp;
      for (int ik = 0; ik < k; ik++) {
        double w = mainTerm[ik] * inv; // d slse / d mainTerm_k
        g.alphas[ik] += w;
        double[] xc = g.xCentered[ik];
        double[] z = g.qxCentered[ik];
        double[] qd = qDiags[ik];
        double[] q = icf[ik];
        double[] dq = g.icf[ik];
        double[] dmu = g.means[ik];
        // d mainTerm / d z = -z; z = L xc. Accumulate -w z into L's adjoint and w L^T z into dmu.
        for (int id = 0; id < d; id++) {
          double wz = w * z[id];
          dq[id] += wz * qd[id] * xc[id];
          dmu[id] += wz * qd[id];
        }
        int l = d;
        for (int i = 0; i < d; i++) {
          double xci = xc[i];
          double acc = 0;
          for (int j = i + 1; j < d; j++) {
            double wz = w * z[j];
            dq[l] -= wz * xci;
            acc += q[l] * wz;
            l++;
          }
          dmu[i] += acc;
        }
      }
    }

    double alphaMax = Double.NEGATIVE_INFINITY;
    for (int ik = 0; ik < k; ik++) {
      alphaMax = Math.max(alphaMax, alphas[ik]);
    }
    double alphaSumExp = 0;
    for (int ik = 0; ik < k; ik++) {
      alphaSumExp += Math.exp(alphas[ik] - alphaMax);
    }
    double lseAlphas = Math.log(alphaSumExp) + alphaMax;

    int wn = d + m + 1;
    double c = wn * d * (Math.log(gamma) - 0.5 * Math.log(2)) - Gmm.logGammaDistrib(0.5 * wn, d);
    double gamma2 = gamma * gamma;
    double prior = 0;
    for (int ik = 0; ik < k; ik++) {
      double[] q = icf[ik];
      double[] qd = qDiags[ik];
      double[] dq = g.icf[ik];
      double frobenius = 0;
      double wk = g.alphas[ik];
      for (int id = 0; id < d; id++) {
        double e2 = qd[id] * qd[id];
        frobenius += e2;
        // sum_points w_k (1 - z_j e^{q_j} xc_j), plus the prior's gamma^2 e^{2 q_j} - m
        dq[id] = wk - dq[id] + gamma2 * e2 - m;
      }
      for (int j = d; j < q.length; j++) {
        frobenius += q[j] * q[j];
        dq[j] += gamma2 * q[j];
      }
      prior += 0.5 * gamma2 * frobenius - m * sumQs[ik];
      g.alphas[ik] = wk - n * Math.exp(alphas[ik] - alphaMax) / alphaSumExp;
    }
    prior -= k * c;
    double constant = -n * d * 0.5 * Math.log(2 * Gmm.PI);
    return constant + slse - n * lseAlphas + prior;
  }
}
