package dev.gradgen.gradbench.evals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradgen.gradbench.BadInput;
import dev.gradgen.gradbench.EvalModule;
import dev.gradgen.gradbench.Function;
import dev.gradgen.gradbench.Inputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modules this tool serves: for each eval, its functions as the eval's README names them,
 * each reading its input into arrays and then calling the eval's {@code @Differentiable} method
 * or what gradgen generated from it ({@code LlsqGrad}, ...), in the record form a user calls.
 */
public final class Evals {
  private Evals() {}

  /**
   * Every module, in GradBench's order of difficulty.
   *
   * @return the modules
   */
  public static List<EvalModule> all() {
    return List.of(hello(), llsq(), lse(), det(), ode(), kmeans(), gmm(), lstm(), ba(), ht());
  }

  /**
   * The module of this name.
   *
   * @param name the module's name
   * @return the module
   * @throws IllegalArgumentException if there is none
   */
  public static EvalModule named(String name) {
    return all().stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no module " + name));
  }

  static EvalModule hello() {
    return new EvalModule("hello", Map.of(
        "square", input -> {
          double x = Inputs.numberAt(input, "input");
          return () -> Hello.square(x);
        },
        "double", input -> {
          double x = Inputs.numberAt(input, "input");
          return () -> HelloGrad.square(x).x();
        }));
  }

  static EvalModule llsq() {
    return new EvalModule("llsq", Map.of(
        "primal", input -> {
          double[] x = Inputs.vector(input, "x", 1);
          int n = Inputs.integer(input, "n", 2);
          return () -> Llsq.primal(x, n);
        },
        "gradient", input -> {
          double[] x = Inputs.vector(input, "x", 1);
          int n = Inputs.integer(input, "n", 2);
          return () -> LlsqGrad.primal(x, n).x();
        }));
  }

  static EvalModule lse() {
    return new EvalModule("lse", Map.of(
        "primal", input -> {
          double[] x = Inputs.vector(input, "x", 1);
          return () -> Lse.primal(x);
        },
        "gradient", input -> {
          double[] x = Inputs.vector(input, "x", 1);
          return () -> LseGrad.primal(x).x();
        }));
  }

  static EvalModule det() {
    return new EvalModule("det", Map.of(
        "primal", input -> {
          int ell = Inputs.integer(input, "ell", 1);
          double[] a = square(input, ell);
          return () -> Det.primal(a, ell);
        },
        "gradient", input -> {
          int ell = Inputs.integer(input, "ell", 1);
          double[] a = square(input, ell);
          return () -> DetGrad.primal(a, ell).a();
        }));
  }

  private static double[] square(JsonNode input, int ell) {
    double[] a = Inputs.vector(input, "A", 1);
    if (a.length != (long) ell * ell) {
      throw new BadInput("input.A: expected ell * ell = " + (long) ell * ell
          + " numbers, got " + a.length);
    }
    return a;
  }

  static EvalModule ode() {
    return new EvalModule("ode", Map.of(
        "primal", input -> {
          double[] x = Inputs.vector(input, "x", 1);
          int s = Inputs.integer(input, "s", 1);
          return () -> Ode.primal(x, s);
        },
        "gradient", input -> {
          double[] x = Inputs.vector(input, "x", 1);
          int s = Inputs.integer(input, "s", 1);
          // the gradient of the last component: the VJP with the last unit vector
          double[] last = new double[x.length];
          last[x.length - 1] = 1;
          return () -> OdeGrad.primalVjp(x, s, last).x();
        }));
  }

  static EvalModule kmeans() {
    return new EvalModule("kmeans", Map.of(
        "cost", input -> {
          double[][] points = Inputs.matrix(input, "points", -1, -1);
          double[][] centroids = centroids(input, points);
          return () -> KMeans.cost(points, centroids);
        },
        "dir", input -> {
          double[][] points = Inputs.matrix(input, "points", -1, -1);
          double[][] centroids = centroids(input, points);
          double[][] ones = new double[centroids.length][centroids[0].length];
          for (double[] row : ones) {
            java.util.Arrays.fill(row, 1);
          }
          return () -> {
            // J H⁻¹ with H diagonal: H's diagonal is H·1, one Hessian-vector product
            double[][] j = KMeansGrad.cost(points, centroids).centroids();
            double[][] h = KMeansGrad.costHvp(points, centroids, ones).centroids();
            double[][] dir = new double[j.length][];
            for (int c = 0; c < j.length; c++) {
              dir[c] = new double[j[c].length];
              for (int d = 0; d < j[c].length; d++) {
                dir[c][d] = j[c][d] / h[c][d];
              }
            }
            return dir;
          };
        }));
  }

  private static double[][] centroids(JsonNode input, double[][] points) {
    if (points.length == 0) {
      throw new BadInput("input.points: expected at least one point");
    }
    double[][] centroids = Inputs.matrix(input, "centroids", -1, points[0].length);
    if (centroids.length == 0) {
      throw new BadInput("input.centroids: expected at least one centroid");
    }
    return centroids;
  }

  /** The read input of gmm. */
  private record GmmInput(double[] alpha, double[][] mu, double[][] q, double[][] l,
      double[][] x, int m, double gamma, double priorConstant) {
    static GmmInput read(JsonNode input) {
      int d = Inputs.integer(input, "d", 1);
      int k = Inputs.integer(input, "k", 1);
      int n = Inputs.integer(input, "n", 1);
      int m = Inputs.integer(input, "m", 0);
      double gamma = Inputs.number(input, "gamma");
      double[] alpha = Inputs.vector(input, "alpha", 1);
      if (alpha.length != k) {
        throw new BadInput("input.alpha: expected k = " + k + " numbers, got " + alpha.length);
      }
      return new GmmInput(alpha, Inputs.matrix(input, "mu", k, d),
          Inputs.matrix(input, "q", k, d), Inputs.matrix(input, "l", k, d * (d - 1) / 2),
          Inputs.matrix(input, "x", n, d), m, gamma, Gmm.priorConstant(d, k, m, gamma));
    }
  }

  static EvalModule gmm() {
    return new EvalModule("gmm", Map.of(
        "objective", input -> {
          GmmInput g = GmmInput.read(input);
          return () -> Gmm.objective(g.alpha, g.mu, g.q, g.l, g.x, g.m, g.gamma,
              g.priorConstant);
        },
        "jacobian", input -> {
          GmmInput g = GmmInput.read(input);
          return () -> {
            GmmGrad.ObjectiveGradient grad = GmmGrad.objective(g.alpha, g.mu, g.q, g.l, g.x,
                g.m, g.gamma, g.priorConstant);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("alpha", grad.alpha());
            out.put("mu", grad.mu());
            out.put("q", grad.q());
            out.put("l", grad.l());
            return out;
          };
        }));
  }

  /** The read input of lstm. */
  private record LstmInput(double[][] mainParams, double[][] extraParams, double[][] state,
      double[][] sequence) {
    static LstmInput read(JsonNode input) {
      double[][] sequence = Inputs.matrix(input, "sequence", -1, -1);
      if (sequence.length < 2) {
        throw new BadInput("input.sequence: expected at least 2 characters, got "
            + sequence.length);
      }
      int b = sequence[0].length;
      double[][] state = Inputs.matrix(input, "state", -1, b);
      if (state.length == 0 || state.length % 2 != 0) {
        throw new BadInput("input.state: expected 2 rows per layer, got " + state.length);
      }
      return new LstmInput(Inputs.matrix(input, "main_params", state.length, 4 * b),
          Inputs.matrix(input, "extra_params", 3, b), state, sequence);
    }
  }

  static EvalModule lstm() {
    return new EvalModule("lstm", Map.of(
        "objective", input -> {
          LstmInput l = LstmInput.read(input);
          return () -> Lstm.objective(l.mainParams, l.extraParams, l.state, l.sequence);
        },
        "jacobian", input -> {
          LstmInput l = LstmInput.read(input);
          return () -> {
            LstmGrad.ObjectiveGradient g =
                LstmGrad.objective(l.mainParams, l.extraParams, l.state, l.sequence);
            return flatten(g.mainParams(), g.extraParams());
          };
        }));
  }

  /** The rows of {@code a}, then those of {@code b}, end to end. */
  private static double[] flatten(double[][] a, double[][] b) {
    int size = 0;
    for (double[] row : a) {
      size += row.length;
    }
    for (double[] row : b) {
      size += row.length;
    }
    double[] out = new double[size];
    int at = 0;
    for (double[][] m : List.of(a, b)) {
      for (double[] row : m) {
        System.arraycopy(row, 0, out, at, row.length);
        at += row.length;
      }
    }
    return out;
  }

  /**
   * The read input of ba: the one camera, point, weight and feature of the input repeated as
   * the upstream reference repeats them (n cameras, m points, p observations, observation i
   * seeing camera i mod n and point i mod m), each copy its own array.
   */
  private record BaInput(int n, int m, int p, double[][] cams, double[][] x, double[] w,
      int[] camIndex, int[] pointIndex, double[][] feats) {
    static BaInput read(JsonNode input) {
      int n = Inputs.integer(input, "n", 1);
      int m = Inputs.integer(input, "m", 1);
      int p = Inputs.integer(input, "p", 1);
      if (p > MAX_OBSERVATIONS) {
        throw new BadInput("input.p: expected at most " + MAX_OBSERVATIONS
            + " observations (31 Jacobian entries each in one Java array), got " + p);
      }
      double[] cam = exactly(input, "cam", Ba.CAMERA_PARAMETERS);
      double[] x = exactly(input, "x", 3);
      double w = Inputs.number(input, "w");
      double[] feat = exactly(input, "feat", 2);
      double[][] cams = new double[n][];
      for (int i = 0; i < n; i++) {
        cams[i] = cam.clone();
      }
      double[][] points = new double[m][];
      for (int i = 0; i < m; i++) {
        points[i] = x.clone();
      }
      double[] weights = new double[p];
      java.util.Arrays.fill(weights, w);
      int[] camIndex = new int[p];
      int[] pointIndex = new int[p];
      double[][] feats = new double[p][];
      for (int i = 0; i < p; i++) {
        camIndex[i] = i % n;
        pointIndex[i] = i % m;
        feats[i] = feat.clone();
      }
      return new BaInput(n, m, p, cams, points, weights, camIndex, pointIndex, feats);
    }
  }

  /** The most observations whose 31 sparse Jacobian entries each fit one Java array. */
  static final int MAX_OBSERVATIONS = (Integer.MAX_VALUE - 8) / 31;

  private static double[] exactly(JsonNode input, String name, int length) {
    double[] v = Inputs.vector(input, name, 0);
    if (v.length != length) {
      throw new BadInput("input." + name + ": expected " + length + " numbers, got " + v.length);
    }
    return v;
  }

  /** ba's objective: the 2p reprojection errors and the p weight errors. */
  public record BaErrors(double[] reprojError, double[] weightError)
      implements Function.Reported {
    /**
     * As GradBench sends it: the first observation's error and weight error, each with the
     * number of observations (they are all the same copy).
     *
     * @return the JSON object
     */
    @Override
    public Map<String, Object> reported() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("reproj_error", Map.of("elements", new double[] {reprojError[0], reprojError[1]},
          "repeated", reprojError.length / 2));
      out.put("w_err", Map.of("element", weightError[0], "repeated", weightError.length));
      return out;
    }
  }

  /**
   * ba's Jacobian as a compressed sparse row matrix of 3p rows and 11n + 3m + p columns:
   * {@code rows[r]} to {@code rows[r + 1]} index the entries of row r in {@code cols} and
   * {@code vals}. Rows 2i and 2i + 1 are observation i's reprojection error (its camera's 11
   * columns, its point's 3, its weight's 1); row 2p + i is its weight error.
   */
  public record SparseJacobian(int[] rows, int[] cols, double[] vals)
      implements Function.Reported {
    /** How many entries of each list GradBench is sent before the last one. */
    static final int SENT = 2 * (Ba.CAMERA_PARAMETERS + 3 + 1);

    /**
     * As GradBench sends it: the first 30 entries of each list (all but the last when there are
     * fewer) and the last one.
     *
     * @return the JSON object
     */
    @Override
    public Map<String, Object> reported() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("rows", firstAndLast(rows));
      out.put("cols", firstAndLast(cols));
      out.put("vals", firstAndLast(vals));
      return out;
    }

    private static int[] firstAndLast(int[] a) {
      int first = Math.min(SENT, a.length - 1);
      int[] out = java.util.Arrays.copyOf(a, first + 1);
      out[first] = a[a.length - 1];
      return out;
    }

    private static double[] firstAndLast(double[] a) {
      int first = Math.min(SENT, a.length - 1);
      double[] out = java.util.Arrays.copyOf(a, first + 1);
      out[first] = a[a.length - 1];
      return out;
    }
  }

  static EvalModule ba() {
    return new EvalModule("ba", Map.of(
        "objective", input -> {
          BaInput b = BaInput.read(input);
          return () -> {
            double[] reproj = new double[2 * b.p];
            double[] weight = new double[b.p];
            for (int i = 0; i < b.p; i++) {
              double[] e = Ba.reprojError(b.cams[b.camIndex[i]], b.x[b.pointIndex[i]], b.w[i],
                  b.feats[i]);
              reproj[2 * i] = e[0];
              reproj[2 * i + 1] = e[1];
            }
            for (int i = 0; i < b.p; i++) {
              weight[i] = Ba.weightError(b.w[i]);
            }
            return new BaErrors(reproj, weight);
          };
        },
        "jacobian", input -> {
          BaInput b = BaInput.read(input);
          int cameraParameters = Ba.CAMERA_PARAMETERS;
          return () -> {
            int perRow = cameraParameters + 3 + 1;
            int[] rows = new int[3 * b.p + 1];
            int[] cols = new int[2 * perRow * b.p + b.p];
            double[] vals = new double[cols.length];
            // one buffer for every observation's 2 x 15 Jacobian
            BaGrad.ReprojErrorJacobianBuffer j = new BaGrad.ReprojErrorJacobianBuffer(2,
                b.cams[0], b.x[0]);
            int pointColumns = cameraParameters * b.n;
            int weightColumns = pointColumns + 3 * b.m;
            int at = 0;
            int row = 0;
            for (int i = 0; i < b.p; i++) {
              int c = b.camIndex[i];
              int pt = b.pointIndex[i];
              BaGrad.reprojError(b.cams[c], b.x[pt], b.w[i], b.feats[i], j);
              for (int r = 0; r < 2; r++) {
                for (int k = 0; k < cameraParameters; k++) {
                  cols[at] = cameraParameters * c + k;
                  vals[at++] = j.cam[r][k];
                }
                for (int k = 0; k < 3; k++) {
                  cols[at] = pointColumns + 3 * pt + k;
                  vals[at++] = j.x[r][k];
                }
                cols[at] = weightColumns + i;
                vals[at++] = j.w[r];
                rows[++row] = at;
              }
            }
            BaGrad.WeightErrorGradientBuffer dw = new BaGrad.WeightErrorGradientBuffer();
            for (int i = 0; i < b.p; i++) {
              BaGrad.weightError(b.w[i], dw);
              cols[at] = weightColumns + i;
              vals[at++] = dw.w;
              rows[++row] = at;
            }
            return new SparseJacobian(rows, cols, vals);
          };
        }));
  }

  /**
   * The read input of ht: the pose, the model and the data, matrices flattened row by row.
   * Public for the benchmarks, which also time one reverse pass of the hand model.
   */
  public record HtInput(double[] theta, double[] us, int[] parents, double[] baseRelatives,
      double[] inverseBaseAbsolutes, double[] basePositions, double[] weights, int[] triangles,
      boolean isMirrored, int[] correspondences, double[] points) {
    /** Reads and checks ht's {@code input}; a malformed one throws {@link BadInput}. */
    public static HtInput read(JsonNode input) {
      double[] theta = exactly(input, "theta", Ht.PARAMETERS);
      JsonNode data = Inputs.field(input, "data");
      JsonNode model = Inputs.fieldAt(data, "input.data", "model");
      String at = "input.data.model";
      JsonNode count = Inputs.fieldAt(model, at, "bone_count");
      if (!count.isIntegralNumber() || !count.canConvertToInt()
          || count.intValue() < Ht.LEAST_BONES) {
        throw new BadInput(at + ".bone_count: expected an integer of at least " + Ht.LEAST_BONES
            + " (the fingers' joints are bones 2 to 20), got " + Inputs.kind(count));
      }
      int bones = count.intValue();
      JsonNode names = Inputs.fieldAt(model, at, "bone_names");
      if (!names.isArray() || names.size() != bones) {
        throw new BadInput(at + ".bone_names: expected " + bones + " names, got "
            + Inputs.kind(names));
      }
      int[] parents = Inputs.integersAt(Inputs.fieldAt(model, at, "parents"), at + ".parents",
          bones, -1, bones);
      for (int b = 0; b < bones; b++) {
        if (parents[b] >= b) {
          throw new BadInput(at + ".parents[" + b + "]: expected a parent before bone " + b
              + " (or -1), got " + parents[b]);
        }
      }
      double[] baseRelatives = transforms(model, at, "base_relatives", bones);
      double[] inverseBaseAbsolutes = transforms(model, at, "inverse_base_absolutes", bones);
      double[][] positions = Inputs.matrixAt(Inputs.fieldAt(model, at, "base_positions"),
          at + ".base_positions", -1, 4);
      int vertices = positions.length;
      double[][] weights = Inputs.matrixAt(Inputs.fieldAt(model, at, "weights"),
          at + ".weights", vertices, bones);
      JsonNode triangleRows = Inputs.fieldAt(model, at, "triangles");
      if (!triangleRows.isArray()) {
        throw new BadInput(at + ".triangles: expected an array of triangles, got "
            + Inputs.kind(triangleRows));
      }
      int[] triangles = new int[3 * triangleRows.size()];
      for (int t = 0; t < triangleRows.size(); t++) {
        int[] corners = Inputs.integersAt(triangleRows.get(t), at + ".triangles[" + t + "]", 3,
            0, vertices);
        System.arraycopy(corners, 0, triangles, 3 * t, 3);
      }
      JsonNode mirrored = Inputs.fieldAt(model, at, "is_mirrored");
      if (!mirrored.isBoolean()) {
        throw new BadInput(at + ".is_mirrored: expected true or false, got "
            + Inputs.kind(mirrored));
      }
      double[][] us = Inputs.matrix(input, "us", -1, 2);
      boolean simple = us.length == 0;
      int[] correspondences = Inputs.integersAt(Inputs.fieldAt(data, "input.data",
          "correspondences"), "input.data.correspondences", -1, 0,
          simple ? vertices : triangles.length / 3);
      int n = correspondences.length;
      if (!simple && us.length != n) {
        throw new BadInput("input.us: expected none or one pair per correspondence (" + n
            + "), got " + us.length);
      }
      double[][] points = Inputs.matrixAt(Inputs.fieldAt(data, "input.data", "points"),
          "input.data.points", n, 3);
      return new HtInput(theta, flat(us), parents, baseRelatives, inverseBaseAbsolutes,
          flat(positions), flat(weights), triangles, mirrored.booleanValue(), correspondences,
          flat(points));
    }

    /** {@code bones} 4 x 4 matrices, each flattened row by row, end to end. */
    private static double[] transforms(JsonNode model, String at, String name, int bones) {
      JsonNode node = Inputs.fieldAt(model, at, name);
      if (!node.isArray() || node.size() != bones) {
        throw new BadInput(at + "." + name + ": expected " + bones + " 4 x 4 matrices, got "
            + Inputs.kind(node));
      }
      double[] out = new double[16 * bones];
      for (int b = 0; b < bones; b++) {
        double[][] m = Inputs.matrixAt(node.get(b), at + "." + name + "[" + b + "]", 4, 4);
        for (int i = 0; i < 4; i++) {
          System.arraycopy(m[i], 0, out, 16 * b + 4 * i, 4);
        }
      }
      return out;
    }

    /** The errors, three per point. */
    public double[] objective() {
      return Ht.objective(theta, us, parents, baseRelatives, inverseBaseAbsolutes,
          basePositions, weights, triangles, isMirrored, correspondences, points);
    }

    double[] jvp(double[] thetaDot, double[] usDot) {
      return HtGrad.objectiveJvp(theta, us, parents, baseRelatives, inverseBaseAbsolutes,
          basePositions, weights, triangles, isMirrored, correspondences, points, thetaDot,
          usDot).tangent();
    }

    /** The errors and their vector-Jacobian product with {@code cotangent}: one reverse pass. */
    public HtGrad.ObjectiveVjp vjp(double[] cotangent) {
      return HtGrad.objectiveVjp(theta, us, parents, baseRelatives, inverseBaseAbsolutes,
          basePositions, weights, triangles, isMirrored, correspondences, points, cotangent);
    }
  }

  private static double[] flat(double[][] rows) {
    int size = 0;
    for (double[] row : rows) {
      size += row.length;
    }
    double[] out = new double[size];
    int at = 0;
    for (double[] row : rows) {
      System.arraycopy(row, 0, out, at, row.length);
      at += row.length;
    }
    return out;
  }

  /**
   * ht's Jacobian, stored by columns as the JVPs give them: 3 rows per correspondence; in the
   * complicated case first the two columns of the barycentric coordinates (row 3i + j depends
   * only on point i's pair, so one column holds every point's derivative by its first
   * coordinate, the other by its second), then one column per pose parameter.
   */
  public record DenseJacobian(double[][] columns) implements Function.Reported {
    /**
     * As GradBench sends it: the rows.
     *
     * @return one array per row
     */
    @Override
    public double[][] reported() {
      double[][] rows = new double[columns[0].length][columns.length];
      for (int j = 0; j < columns.length; j++) {
        for (int i = 0; i < rows.length; i++) {
          rows[i][j] = columns[j][i];
        }
      }
      return rows;
    }
  }

  static EvalModule ht() {
    return new EvalModule("ht", Map.of(
        "objective", input -> {
          HtInput h = HtInput.read(input);
          return h::objective;
        },
        "jacobian", input -> {
          HtInput h = HtInput.read(input);
          boolean complicated = h.us.length != 0;
          return () -> {
            double[][] columns = new double[(complicated ? 2 : 0) + Ht.PARAMETERS][];
            int column = 0;
            if (complicated) {
              // compressed: every point's first (then second) coordinate at once
              double[] usDot = new double[h.us.length];
              for (int k = 0; k < 2; k++) {
                for (int i = 0; i < usDot.length; i++) {
                  usDot[i] = i % 2 == k ? 1 : 0;
                }
                columns[column++] = h.jvp(null, usDot);
              }
            }
            double[] thetaDot = new double[Ht.PARAMETERS];
            for (int k = 0; k < Ht.PARAMETERS; k++) {
              thetaDot[k] = 1;
              columns[column++] = h.jvp(thetaDot, null);
              thetaDot[k] = 0;
            }
            return new DenseJacobian(columns);
          };
        }));
  }
}
