package dev.gradgen.benchmarks.gradbench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradgen.benchmarks.adbench.AdbenchData;
import dev.gradgen.gradbench.Function;
import dev.gradgen.gradbench.NumpyRandom;
import dev.gradgen.gradbench.Workloads;
import dev.gradgen.gradbench.evals.Evals;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * GradBench's measure, derivative time over primal time, for the evals the gradgen tool serves:
 * each benchmark times exactly what the tool times for an evaluate message (the function's run
 * on inputs already read; the record form of the generated code). The workloads are among each
 * eval's defaults, drawn as its generator draws them (for llsq, lse, det, ode and kmeans the
 * eval's own inputs: the generator is replayed from the seed through the earlier workloads).
 * det's largest default, ell = 11, is left out: its gradient takes about 35 s a call (see the
 * README). ba and ht read ADBench's data files as their run.py does: ba1 and ba5, and GradBench's
 * default big hand model (10,000 vertices) with hand1 (100 points, both variants) and hand8
 * (6,400 points, complicated). Run with {@code benchmarks/run.sh GradBenchBenchmark}; the script prints the ratios.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class GradBenchBenchmark {
  /** Eval, then its sizes separated by slashes (JMH's -p splits values at commas). */
  @Param({"llsq:n=1024", "llsq:n=16392", "lse:n=20000", "lse:n=1280000", "det:ell=7",
      "det:ell=9", "ode:n=10000/s=10", "ode:n=100000/s=10", "kmeans:k=100/n=10000/d=16",
      "kmeans:k=1000/n=10000/d=16", "gmm:d=10/k=25", "gmm:d=64/k=100", "lstm:l=2/c=1024",
      "lstm:l=4/c=4096", "ba:ba1_n49_m7776_p31843", "ba:ba5_n257_m65132_p225911",
      "ht:complicated_hand1_t26_c100", "ht:complicated_hand8_t26_c6400",
      "ht:simple_hand1_t26_c100"})
  public String workload;

  private Function.Run primal;
  private Function.Run derivative;

  @Setup
  public void setUp() {
    String eval = workload.substring(0, workload.indexOf(':'));
    ObjectNode input = input(workload);
    String[] functions = switch (eval) {
      case "kmeans" -> new String[] {"cost", "dir"};
      case "gmm", "lstm", "ba", "ht" -> new String[] {"objective", "jacobian"};
      default -> new String[] {"primal", "gradient"};
    };
    primal = Evals.named(eval).functions().get(functions[0]).prepare(input);
    derivative = Evals.named(eval).functions().get(functions[1]).prepare(input);
  }

  /** The eval's input for the workload, with the eval's draws before it replayed. */
  static ObjectNode input(String workload) {
    if (workload.startsWith("ba:")) {
      return Workloads.ba(AdbenchData.text("ba/" + workload.substring(3) + ".txt"));
    }
    if (workload.startsWith("ht:")) {
      String hand = workload.substring(3);
      return Workloads.ht(AdbenchData.text("ht/model/bones.txt"),
          AdbenchData.text("ht/model/vertices.txt"), AdbenchData.text("ht/model/triangles.txt"),
          AdbenchData.text("ht/" + hand + ".txt"), hand.startsWith("complicated"));
    }
    if (workload.startsWith("gmm:") || workload.startsWith("lstm:")) {
      // not replayed: see Workloads
      return special(workload);
    }
    NumpyRandom rng = new NumpyRandom(31337);
    for (String w : defaults(workload.substring(0, workload.indexOf(':')))) {
      ObjectNode input = draw(rng, w);
      if (w.equals(workload)) {
        return input;
      }
    }
    throw new IllegalArgumentException("not a default workload: " + workload);
  }

  /** The eval's default workloads, in the order its run.py draws them. */
  private static List<String> defaults(String eval) {
    List<String> w = new ArrayList<>();
    switch (eval) {
      case "llsq" -> {
        for (int n : new int[] {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8196, 16392}) {
          w.add("llsq:n=" + n);
        }
      }
      case "lse" -> {
        for (int n = 2500; n <= 1280000; n *= 2) {
          w.add("lse:n=" + n);
        }
      }
      case "det" -> {
        for (int ell = 5; ell <= 11; ell++) {
          w.add("det:ell=" + ell);
        }
      }
      case "ode" -> {
        // sorted by n * s, ties in the order n then s as Python's stable sort keeps them
        List<int[]> c = new ArrayList<>();
        for (int n : new int[] {1000, 10000, 100000}) {
          for (int s : new int[] {1, 10, 100}) {
            c.add(new int[] {n, s});
          }
        }
        c.sort((a, b) -> Long.compare((long) a[0] * a[1], (long) b[0] * b[1]));
        c.forEach(a -> w.add("ode:n=" + a[0] + "/s=" + a[1]));
      }
      case "kmeans" -> {
        List<int[]> c = new ArrayList<>();
        for (int k : new int[] {10, 100, 1000}) {
          for (int n : new int[] {1000, 10000}) {
            for (int d : new int[] {8, 16}) {
              c.add(new int[] {k, n, d});
            }
          }
        }
        c.sort((a, b) -> Long.compare((long) a[0] * a[1] * a[2], (long) b[0] * b[1] * b[2]));
        c.forEach(a -> w.add("kmeans:k=" + a[0] + "/n=" + a[1] + "/d=" + a[2]));
      }
      default -> w.add(eval);
    }
    return w;
  }

  private static ObjectNode draw(NumpyRandom rng, String w) {
    String eval = w.substring(0, w.indexOf(':') < 0 ? w.length() : w.indexOf(':'));
    int[] p = numbers(w);
    return switch (eval) {
      case "llsq" -> Workloads.llsq(rng, p[0], 128);
      case "lse" -> Workloads.lse(rng, p[0]);
      case "det" -> Workloads.det(rng, p[0]);
      case "ode" -> Workloads.ode(rng, p[0], p[1]);
      case "kmeans" -> Workloads.kmeans(rng, p[0], p[1], p[2]);
      default -> throw new IllegalStateException(w);
    };
  }

  private static int[] numbers(String w) {
    String[] parts = w.substring(w.indexOf(':') + 1).split("/");
    int[] p = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      p[i] = Integer.parseInt(parts[i].substring(parts[i].indexOf('=') + 1));
    }
    return p;
  }

  private static ObjectNode special(String workload) {
    int[] p = numbers(workload);
    if (workload.startsWith("gmm:")) {
      return Workloads.gmm(new Random(31337), p[0], p[1], 1000);
    }
    return Workloads.lstm(new NumpyRandom(31337), TEXT, p[0], p[1]);
  }

  /** Characters for lstm (the eval reads its own text file). */
  private static final String TEXT = "GradBench is a benchmark suite for differentiable"
      + " programming across languages and domains. Each eval is a function with its"
      + " derivative, and each tool computes them in its own way.\n";

  /** The eval's primal function. */
  @Benchmark
  public Object primal() {
    return primal.run();
  }

  /** The eval's derivative function (gradient, jacobian or dir). */
  @Benchmark
  public Object derivative() {
    return derivative.run();
  }
}
