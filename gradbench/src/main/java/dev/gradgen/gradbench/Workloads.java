package dev.gradgen.gradbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Random;

/**
 * Evaluate inputs shaped and drawn as GradBench's eval generators draw them, for benchmarks and
 * tests. llsq, lse, det, ode and kmeans draw from numpy's legacy generator
 * ({@link NumpyRandom}) as their run.py does, so with a fresh {@code new NumpyRandom(31337)}
 * per eval and the eval's order of workloads they are the eval's inputs exactly. gmm's generator
 * uses numpy's {@code default_rng}, which is not ported: {@link #gmm} draws the same
 * distributions from {@link Random}. lstm's generator is not seeded upstream and reads a text
 * file; {@link #lstm} draws the numbers from {@link NumpyRandom} and takes its characters from
 * a text given here. ba and ht read ADBench's data files, as their run.py and io.py do
 * ({@link #ba}, {@link #ht}).
 */
public final class Workloads {
  private Workloads() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode node(Object... fields) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < fields.length; i += 2) {
      o.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
    }
    return o;
  }

  /**
   * llsq: {@code x = rand(m)}.
   *
   * @param rng the generator
   * @param n the number of points
   * @param m the number of coefficients
   * @return the input (without runs fields)
   */
  public static ObjectNode llsq(NumpyRandom rng, int n, int m) {
    return node("x", rng.rand(m), "n", n);
  }

  /**
   * lse: {@code x = rand(n)}.
   *
   * @param rng the generator
   * @param n the length
   * @return the input
   */
  public static ObjectNode lse(NumpyRandom rng, int n) {
    return node("x", rng.rand(n));
  }

  /**
   * det: {@code A = rand(ell * ell)}.
   *
   * @param rng the generator
   * @param ell the edge size
   * @return the input
   */
  public static ObjectNode det(NumpyRandom rng, int ell) {
    return node("A", rng.rand(ell * ell), "ell", ell);
  }

  /**
   * ode: {@code x = rand(n)}.
   *
   * @param rng the generator
   * @param n the length
   * @param s the number of steps
   * @return the input
   */
  public static ObjectNode ode(NumpyRandom rng, int n, int s) {
    return node("x", rng.rand(n), "s", s);
  }

  /**
   * kmeans: {@code points = rand(n, d)}, the centroids the last {@code k} points.
   *
   * @param rng the generator
   * @param k the number of centroids
   * @param n the number of points
   * @param d the dimension
   * @return the input
   */
  public static ObjectNode kmeans(NumpyRandom rng, int k, int n, int d) {
    double[][] points = rng.rand(n, d);
    return node("points", points, "centroids", Arrays.copyOfRange(points, n - k, n));
  }

  /**
   * gmm, with m = 0 and gamma = 1 as the eval's defaults: observations, alpha and q, l standard
   * normal, means uniform on [0, 1), as the eval draws them.
   *
   * @param rng the generator
   * @param d the dimension
   * @param k the number of components
   * @param n the number of observations
   * @return the input
   */
  public static ObjectNode gmm(Random rng, int d, int k, int n) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      Arrays.setAll(row, i -> rng.nextGaussian());
    }
    double[] alpha = new double[k];
    Arrays.setAll(alpha, i -> rng.nextGaussian());
    double[][] mu = new double[k][d];
    for (double[] row : mu) {
      Arrays.setAll(row, i -> rng.nextDouble());
    }
    double[][] q = new double[k][d];
    for (double[] row : q) {
      Arrays.setAll(row, i -> rng.nextGaussian());
    }
    double[][] l = new double[k][d * (d - 1) / 2];
    for (double[] row : l) {
      Arrays.setAll(row, i -> rng.nextGaussian());
    }
    return node("d", d, "k", k, "n", n, "x", x, "m", 0, "gamma", 1.0, "alpha", alpha, "mu", mu,
        "q", q, "l", l);
  }

  /**
   * lstm: the first {@code c} characters of {@code text} (repeated as needed) as rows of bits,
   * most significant first, as many bits as the largest character needs; then state
   * ({@code 2l × b}), main_params ({@code 2l × 4b}) and extra_params ({@code 3 × b}) from
   * {@code rng}, in the generator's order.
   *
   * @param rng the generator
   * @param text the characters
   * @param l the number of layers
   * @param c the number of characters
   * @return the input
   */
  public static ObjectNode lstm(NumpyRandom rng, String text, int l, int c) {
    String use = text.repeat(c / text.length() + 1).substring(0, c);
    int max = use.chars().max().orElseThrow();
    // ceil(log2(max)), as the generator's get_char_bits
    int bits = 32 - Integer.numberOfLeadingZeros(max - 1);
    double[][] sequence = new double[c][bits];
    for (int t = 0; t < c; t++) {
      for (int b = 0; b < bits; b++) {
        sequence[t][b] = (use.charAt(t) >> (bits - 1 - b)) & 1;
      }
    }
    double[][] state = rng.rand(2 * l, bits);
    double[][] mainParams = rng.rand(2 * l, 4 * bits);
    double[][] extraParams = rng.rand(3, bits);
    return node("main_params", mainParams, "extra_params", extraParams, "state", state,
        "sequence", sequence);
  }

  /**
   * ba: one of ADBench's data files, as the eval's {@code parse} reads it: {@code n m p}, then
   * one camera (11 numbers), one point (3), one weight and one feature (2), each on its line.
   *
   * @param file the file's text
   * @return the input (without runs fields)
   */
  public static ObjectNode ba(String file) {
    String[] lines = file.split("\\R");
    double[] nmp = numbers(lines[0], "\\s+");
    return node("n", (int) nmp[0], "m", (int) nmp[1], "p", (int) nmp[2],
        "cam", numbers(lines[1], "\\s+"), "x", numbers(lines[2], "\\s+"),
        "w", Double.parseDouble(lines[3].trim()), "feat", numbers(lines[4], "\\s+"));
  }

  /**
   * ht: ADBench's hand model and one of its hand files, as the eval's io.py reads them
   * ({@code load_model}, {@code read_hand_instance}): bones (name, parent, the 4 × 4 relative
   * transform and the inverse absolute one, ':'-separated), vertices (position, ..., then the
   * number of bones weighting it and (bone, weight) pairs), triangles, and the hand file
   * ({@code npts ntheta}, a correspondence and point per line, in the complicated case a pair
   * of barycentric coordinates per line, then the pose parameters). The model is never
   * mirrored, as upstream.
   *
   * @param bones bones.txt
   * @param vertices vertices.txt
   * @param triangles triangles.txt
   * @param hand the hand file
   * @param complicated whether to read the barycentric coordinates (else {@code us} is empty)
   * @return the input (without runs fields)
   */
  public static ObjectNode ht(String bones, String vertices, String triangles, String hand,
      boolean complicated) {
    String[] boneLines = lines(bones);
    int b = boneLines.length;
    String[] names = new String[b];
    int[] parents = new int[b];
    double[][][] relatives = new double[b][4][4];
    double[][][] inverseAbsolutes = new double[b][4][4];
    for (int i = 0; i < b; i++) {
      String[] atoms = boneLines[i].split(":");
      names[i] = atoms[0];
      parents[i] = Integer.parseInt(atoms[1].trim());
      for (int k = 0; k < 16; k++) {
        relatives[i][k / 4][k % 4] = Double.parseDouble(atoms[2 + k]);
        inverseAbsolutes[i][k / 4][k % 4] = Double.parseDouble(atoms[18 + k]);
      }
    }
    String[] vertexLines = lines(vertices);
    double[][] positions = new double[vertexLines.length][];
    double[][] weights = new double[vertexLines.length][b];
    for (int v = 0; v < vertexLines.length; v++) {
      String[] atoms = vertexLines[v].split(":");
      positions[v] = new double[] {Double.parseDouble(atoms[0]), Double.parseDouble(atoms[1]),
          Double.parseDouble(atoms[2]), 1};
      int count = Integer.parseInt(atoms[8].trim());
      for (int i = 0; i < count; i++) {
        weights[v][Integer.parseInt(atoms[9 + 2 * i].trim())] =
            Double.parseDouble(atoms[10 + 2 * i]);
      }
    }
    String[] triangleLines = lines(triangles);
    int[][] corners = new int[triangleLines.length][3];
    for (int t = 0; t < corners.length; t++) {
      double[] c = numbers(triangleLines[t], ":");
      corners[t] = new int[] {(int) c[0], (int) c[1], (int) c[2]};
    }
    String[] handLines = lines(hand);
    double[] header = numbers(handLines[0], "\\s+");
    int points = (int) header[0];
    int parameters = (int) header[1];
    int[] correspondences = new int[points];
    double[][] observed = new double[points][];
    for (int i = 0; i < points; i++) {
      double[] line = numbers(handLines[1 + i], "\\s+");
      correspondences[i] = (int) line[0];
      observed[i] = Arrays.copyOfRange(line, 1, 4);
    }
    int at = 1 + points;
    double[][] us = new double[complicated ? points : 0][];
    for (int i = 0; i < us.length; i++) {
      us[i] = numbers(handLines[at++], "\\s+");
    }
    double[] theta = new double[parameters];
    for (int i = 0; i < parameters; i++) {
      theta[i] = Double.parseDouble(handLines[at++].trim());
    }
    ObjectNode model = node("bone_count", b, "bone_names", names, "parents", parents,
        "base_relatives", relatives, "inverse_base_absolutes", inverseAbsolutes,
        "base_positions", positions, "weights", weights, "triangles", corners,
        "is_mirrored", false);
    ObjectNode data = node("correspondences", correspondences, "points", observed);
    data.set("model", model);
    ObjectNode input = node("theta", theta, "us", us);
    input.set("data", data);
    return input;
  }

  private static String[] lines(String text) {
    return Arrays.stream(text.split("\\R")).filter(l -> !l.isBlank()).toArray(String[]::new);
  }

  private static double[] numbers(String line, String separator) {
    return Arrays.stream(line.trim().split(separator)).mapToDouble(Double::parseDouble)
        .toArray();
  }
}
