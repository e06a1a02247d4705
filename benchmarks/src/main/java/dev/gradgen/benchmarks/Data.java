package dev.gradgen.benchmarks;

import java.util.Random;

/** Deterministic inputs shared by the benchmarks and the equality tests. */
public final class Data {
  private Data() {}

  /** Rows, features and grid size used by the benchmarks. */
  public static final int MSE_ROWS = 1000;
  public static final int MSE_FEATURES = 100;
  public static final int SMOOTHING_POINTS = 256;
  /** The MLP step: batch, inputs, hidden units and classes (the digits network's shape). */
  public static final int MLP_BATCH = 64;
  public static final int MLP_INPUTS = 64;
  public static final int MLP_HIDDEN = 64;
  public static final int MLP_CLASSES = 10;

  /** A linear-regression problem: {@code x}, {@code y} from a noisy linear model, and a start {@code w}, {@code b}. */
  public static final class Mse {
    public final double[][] x;
    public final double[] y;
    public final double[] w;
    public final double b;

    public Mse(int n, int d, long seed) {
      Random rnd = new Random(seed);
      double[] wTrue = new double[d];
      for (int j = 0; j < d; j++) {
        wTrue[j] = rnd.nextGaussian();
      }
      x = new double[n][d];
      y = new double[n];
      for (int i = 0; i < n; i++) {
        double z = 0.5;
        for (int j = 0; j < d; j++) {
          x[i][j] = rnd.nextGaussian();
          z += wTrue[j] * x[i][j];
        }
        y[i] = z + 0.1 * rnd.nextGaussian();
      }
      w = new double[d];
      for (int j = 0; j < d; j++) {
        w[j] = 0.1 * rnd.nextGaussian();
      }
      b = 0.1 * rnd.nextGaussian();
    }
  }

  /** Smoothing sources {@code p} uniform in [-1, 1] and the factor {@code q}. */
  public static final class Smooth {
    public final double[] p;
    public final double q;

    public Smooth(int n, long seed) {
      Random rnd = new Random(seed);
      p = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = 2.0 * rnd.nextDouble() - 1.0;
      }
      q = 0.3 + rnd.nextDouble();
    }
  }

  /**
   * A minibatch for {@link MlpLoss}: {@code x} uniform in [0, 1], labels uniform in [0, k), and
   * Xavier-scaled Gaussian weights with small biases.
   */
  public static final class Mlp {
    public final double[][] x;
    public final int[] labels;
    public final double[][] w1;
    public final double[] b1;
    public final double[][] w2;
    public final double[] b2;

    public Mlp(int n, int d, int h, int k, long seed) {
      Random rnd = new Random(seed);
      x = new double[n][d];
      labels = new int[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          x[i][j] = rnd.nextDouble();
        }
        labels[i] = rnd.nextInt(k);
      }
      w1 = gaussian(rnd, d, h, Math.sqrt(2.0 / (d + h)));
      w2 = gaussian(rnd, h, k, Math.sqrt(2.0 / (h + k)));
      b1 = gaussian(rnd, 1, h, 0.1)[0];
      b2 = gaussian(rnd, 1, k, 0.1)[0];
    }

    private static double[][] gaussian(Random rnd, int rows, int cols, double scale) {
      double[][] m = new double[rows][cols];
      for (double[] row : m) {
        for (int j = 0; j < cols; j++) {
          row[j] = scale * rnd.nextGaussian();
        }
      }
      return m;
    }
  }
}
