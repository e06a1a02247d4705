package dev.gradgen.benchmarks.gradbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradgen.gradbench.evals.Evals;
import org.junit.jupiter.api.Test;

/**
 * The ba and ht workloads of {@link GradBenchBenchmark} read the ADBench data files they name,
 * and the benchmarked functions compute on them what the tool would send.
 */
class GradBenchWorkloadsTest {

  @Test
  void baWorkloadsHaveTheSizesTheirFilesName() {
    ObjectNode ba5 = GradBenchBenchmark.input("ba:ba5_n257_m65132_p225911");
    assertEquals(257, ba5.get("n").intValue());
    assertEquals(65132, ba5.get("m").intValue());
    assertEquals(225911, ba5.get("p").intValue());
    Evals.SparseJacobian j = (Evals.SparseJacobian) Evals.named("ba").functions()
        .get("jacobian").prepare(GradBenchBenchmark.input("ba:ba1_n49_m7776_p31843")).run();
    // 15 entries in each of the 2p reprojection rows, 1 in each of the p weight rows
    assertEquals(3 * 31843 + 1, j.rows().length);
    assertEquals(31 * 31843, j.rows()[3 * 31843]);
    assertEquals(31 * 31843, j.vals().length);
    // the last entry: the last weight error's derivative, -2w
    assertEquals(-2 * 0.417022, j.vals()[j.vals().length - 1], 1e-15);
  }

  @Test
  void htWorkloadsUseTheBigModelAndTheJacobianMatchesDifferences() {
    ObjectNode input = GradBenchBenchmark.input("ht:complicated_hand1_t26_c100");
    assertEquals(10000, input.get("data").get("model").get("base_positions").size());
    assertEquals(100, input.get("us").size());
    assertEquals(0, GradBenchBenchmark.input("ht:simple_hand1_t26_c100").get("us").size());
    double[] err = (double[]) Evals.named("ht").functions().get("objective").prepare(input).run();
    assertEquals(300, err.length);
    double[][] rows = ((Evals.DenseJacobian) Evals.named("ht").functions().get("jacobian")
        .prepare(input).run()).reported();
    assertEquals(300, rows.length);
    assertEquals(28, rows[0].length);
    // the column of the first finger's first angle (theta[6], column 2 + 6), by central
    // differences of the objective
    double h = 1e-6;
    double[] up = perturbed(input, 6, h);
    double[] down = perturbed(input, 6, -h);
    for (int r = 0; r < 300; r++) {
      double fd = (up[r] - down[r]) / (2 * h);
      assertTrue(Math.abs(fd - rows[r][8]) <= 1e-6 * Math.max(1, Math.abs(fd)),
          "row " + r + ": " + rows[r][8] + " vs " + fd);
    }
  }

  private static double[] perturbed(ObjectNode input, int k, double h) {
    ObjectNode copy = input.deepCopy();
    double[] theta = new double[copy.get("theta").size()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = copy.get("theta").get(i).doubleValue();
    }
    theta[k] += h;
    copy.set("theta", copy.arrayNode().addAll(java.util.Arrays.stream(theta)
        .mapToObj(v -> copy.numberNode(v)).toList()));
    return (double[]) Evals.named("ht").functions().get("objective").prepare(copy).run();
  }
}
