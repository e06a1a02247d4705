package dev.gradgen.gradbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.ToDoubleFunction;

/** Checks of responses: GradBench's own comparison, tighter bounds, finite differences. */
final class Check {
  private Check() {}

  /** GradBench's tolerance: {@code difference} of its comparison.py must stay within it. */
  static final double GRADBENCH = 1e-4;

  /**
   * GradBench's {@code difference} (from ADBench's JacobianComparison): the absolute difference
   * over {@code max(1, |x| + |y|)}.
   */
  static double difference(double x, double y) {
    return Math.abs(x - y) / Math.max(1, Math.abs(x) + Math.abs(y));
  }

  /** A successful evaluate response: output, and at least {@code minRuns} evaluate timings. */
  static JsonNode output(JsonNode response, int minRuns) {
    assertTrue(response.path("success").asBoolean(false), response::toString);
    JsonNode timings = response.get("timings");
    assertTrue(timings.size() >= minRuns, "timings: " + timings.size());
    for (JsonNode t : timings) {
      assertEquals("evaluate", t.get("name").asText());
      assertTrue(t.get("nanoseconds").isIntegralNumber() && t.get("nanoseconds").asLong() > 0);
    }
    return response.get("output");
  }

  static double[] vector(JsonNode node) {
    assertTrue(node.isArray(), node::toString);
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      assertTrue(node.get(i).isNumber());
      v[i] = node.get(i).doubleValue();
    }
    return v;
  }

  static double[][] matrix(JsonNode node) {
    double[][] m = new double[node.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = vector(node.get(i));
    }
    return m;
  }

  /** Within GradBench's tolerance and within {@code tight} on the same measure. */
  static void close(double expected, double actual, double tight, String what) {
    double d = difference(expected, actual);
    assertTrue(d <= GRADBENCH, what + ": expected " + expected + ", got " + actual
        + " (GradBench's difference " + d + ")");
    assertTrue(d <= tight, what + ": expected " + expected + ", got " + actual
        + " (difference " + d + " > " + tight + ")");
  }

  static void close(double[] expected, double[] actual, double tight, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      close(expected[i], actual[i], tight, what + "[" + i + "]");
    }
  }

  static void close(double[][] expected, double[][] actual, double tight, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    for (int i = 0; i < expected.length; i++) {
      close(expected[i], actual[i], tight, what + "[" + i + "]");
    }
  }

  /** Central difference of {@code f} in coordinate {@code i} of {@code x}, restored after. */
  static double central(ToDoubleFunction<double[]> f, double[] x, int i) {
    double keep = x[i];
    double h = 1e-6 * Math.max(1, Math.abs(keep));
    x[i] = keep + h;
    double up = f.applyAsDouble(x);
    x[i] = keep - h;
    double down = f.applyAsDouble(x);
    x[i] = keep;
    return (up - down) / (2 * h);
  }
}
