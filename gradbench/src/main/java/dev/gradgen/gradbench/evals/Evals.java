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
    return List.of(hello(), llsq(), lse(), det(), ode(), kmeans(), gmm(), lstm());
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
}
