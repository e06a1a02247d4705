package dev.gradgen.benchmarks.adbench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers for the ADBench input files copied into {@code src/main/resources/adbench/} (see the
 * NOTICE.md there). The formats are those of ADBench's {@code read_gmm_instance},
 * {@code read_lstm_instance} and {@code read_ba_instance}: whitespace-separated numbers.
 */
public final class AdbenchData {
  private AdbenchData() {}

  /**
   * The GMM sizes the benchmarks run, as file stems under {@code adbench/gmm/1k/} (1000 points):
   * every ADBench 1k instance with d in {2, 10, 20} and K in {5, 25, 50} (ADBench ships no
   * d10_K50, d20_K25 or d20_K50), plus d20_K10.
   */
  public static final String[] GMM_SIZES = {"d2_K5", "d2_K25", "d2_K50", "d10_K5", "d10_K25",
      "d20_K5", "d20_K10"};

  /** A GMM instance: {@code d} dimensions, {@code k} components, {@code n} points. */
  public static final class Gmm {
    public final int d;
    public final int k;
    public final int n;
    public final double[] alphas;
    /** {@code means[k][d]}. */
    public final double[][] means;
    /** {@code icf[k][d(d+1)/2]}: log-diagonal, then the strict lower triangle column by column. */
    public final double[][] icf;
    /** {@code x[n][d]}. */
    public final double[][] x;
    public final double gamma;
    public final int m;

    Gmm(Numbers in) {
      d = in.nextInt();
      k = in.nextInt();
      n = in.nextInt();
      alphas = in.vector(k);
      means = in.matrix(k, d);
      icf = in.matrix(k, d * (d + 1) / 2);
      x = in.matrix(n, d);
      gamma = in.next();
      m = in.nextInt();
    }
  }

  /** A two-layer ADBench LSTM instance ({@code l} layers, {@code c} characters of {@code b} bits). */
  public static final class Lstm {
    public final int l;
    public final int c;
    public final int b;
    /** {@code mainParams[2 l][4 b]}: per layer a row of weights, then a row of biases. */
    public final double[][] mainParams;
    /** {@code extraParams[3][b]}: input weight, output weight, output bias. */
    public final double[][] extraParams;
    /** {@code state[2 l][b]}: per layer the hidden state, then the cell state. */
    public final double[][] state;
    /** {@code sequence[c][b]}. */
    public final double[][] sequence;

    Lstm(Numbers in) {
      l = in.nextInt();
      c = in.nextInt();
      b = in.nextInt();
      mainParams = in.matrix(2 * l, 4 * b);
      extraParams = in.matrix(3, b);
      state = in.matrix(2 * l, b);
      sequence = in.matrix(c, b);
    }
  }

  /**
   * A bundle-adjustment instance, expanded as ADBench does: the file holds one camera, one point,
   * one weight and one feature, replicated; observation {@code i} sees camera {@code i % n} and
   * point {@code i % m}.
   */
  public static final class Ba {
    public final int n;
    public final int m;
    public final int p;
    /** {@code cams[n][11]}: rotation (angle-axis), centre, focal length, principal point, radial distortion. */
    public final double[][] cams;
    public final double[][] points;
    public final double[] weights;
    public final int[] camIndex;
    public final int[] pointIndex;
    public final double[][] features;

    Ba(Numbers in) {
      n = in.nextInt();
      m = in.nextInt();
      p = in.nextInt();
      double[] cam = in.vector(11);
      double[] point = in.vector(3);
      double w = in.next();
      double[] feature = in.vector(2);
      cams = new double[n][];
      for (int i = 0; i < n; i++) {
        cams[i] = cam.clone();
      }
      points = new double[m][];
      for (int i = 0; i < m; i++) {
        points[i] = point.clone();
      }
      weights = new double[p];
      camIndex = new int[p];
      pointIndex = new int[p];
      features = new double[p][];
      for (int i = 0; i < p; i++) {
        weights[i] = w;
        camIndex[i] = i % n;
        pointIndex[i] = i % m;
        features[i] = feature.clone();
      }
    }
  }

  /** {@code adbench/gmm/test.txt} (ADBench's GMM unit-test input) or {@code "1k/gmm_" + size + ".txt"}. */
  public static Gmm gmm(String resource) {
    return new Gmm(new Numbers(read("gmm/" + resource)));
  }

  /** The GMM benchmark instance with 1000 points, e.g. {@code gmm1k("d10_K25")}. */
  public static Gmm gmm1k(String size) {
    return gmm("1k/gmm_" + size + ".txt");
  }

  public static Lstm lstm() {
    return new Lstm(new Numbers(read("lstm/lstm_l2_c1024.txt")));
  }

  public static Ba ba(String resource) {
    return new Ba(new Numbers(read("ba/" + resource)));
  }

  /** All numbers of {@code adbench/expected/<name>}, skipping {@code #} comment lines. */
  public static double[] expected(String name) {
    List<Double> out = new ArrayList<>();
    for (String line : read("expected/" + name).split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      for (String tok : line.trim().split("\\s+")) {
        if (!tok.isEmpty()) {
          out.add(Double.parseDouble(tok));
        }
      }
    }
    double[] a = new double[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  /**
   * A data file's text.
   *
   * @param resource its path under this folder, e.g. {@code ba/ba1_n49_m7776_p31843.txt}
   * @return its text
   */
  public static String text(String resource) {
    return read(resource);
  }

  private static String read(String resource) {
    String path = "/adbench/" + resource;
    try (InputStream in = AdbenchData.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whitespace-separated tokens. */
  private static final class Numbers {
    private final String[] tokens;
    private int next;

    Numbers(String text) {
      tokens = text.trim().split("\\s+");
    }

    double next() {
      return Double.parseDouble(tokens[next++]);
    }

    int nextInt() {
      return Integer.parseInt(tokens[next++]);
    }

    double[] vector(int size) {
      double[] v = new double[size];
      for (int i = 0; i < size; i++) {
        v[i] = next();
      }
      return v;
    }

    double[][] matrix(int rows, int cols) {
      double[][] a = new double[rows][];
      for (int i = 0; i < rows; i++) {
        a[i] = vector(cols);
      }
      return a;
    }
  }
}
