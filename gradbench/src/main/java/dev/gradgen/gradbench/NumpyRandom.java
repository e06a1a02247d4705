package dev.gradgen.gradbench;

/**
 * numpy's legacy generator, {@code np.random.seed(s)} then {@code np.random.rand(...)} (also
 * {@code np.random.random}): MT19937 seeded by {@code init_genrand(s)}, each double from two
 * 32-bit outputs as {@code (a >>> 5) * 2^26 + (b >>> 6)) / 2^53}. GradBench's evals llsq, lse,
 * det, ode, kmeans and lstm draw their inputs this way (gmm uses {@code default_rng}); the
 * tests check it against values numpy printed.
 */
public final class NumpyRandom {
  private final int[] mt = new int[624];
  private int index;

  /**
   * {@code np.random.seed(seed)}.
   *
   * @param seed the seed, below 2^32
   */
  public NumpyRandom(long seed) {
    mt[0] = (int) seed;
    for (int i = 1; i < 624; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = 624;
  }

  private int next32() {
    if (index >= 624) {
      for (int i = 0; i < 624; i++) {
        int y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /**
   * {@code np.random.random_sample()}: uniform on [0, 1), 53 bits.
   *
   * @return the next number
   */
  public double next() {
    long a = (next32() & 0xffffffffL) >>> 5;
    long b = (next32() & 0xffffffffL) >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /**
   * {@code np.random.rand(n)}.
   *
   * @param n how many
   * @return the numbers
   */
  public double[] rand(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = next();
    }
    return v;
  }

  /**
   * {@code np.random.rand(rows, columns)}, row-major.
   *
   * @param rows the rows
   * @param columns the columns
   * @return one array per row
   */
  public double[][] rand(int rows, int columns) {
    double[][] m = new double[rows][];
    for (int i = 0; i < rows; i++) {
      m[i] = rand(columns);
    }
    return m;
  }
}
