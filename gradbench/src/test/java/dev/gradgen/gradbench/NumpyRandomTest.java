package dev.gradgen.gradbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The port draws numpy's numbers: expected values printed by numpy 2.4.6. */
class NumpyRandomTest {
  @Test
  void drawsWhatNumpyDrawsFromTheEvalsSeed() {
    // python3 -c 'import numpy as np; np.random.seed(31337); print(np.random.rand(2, 3).tolist())'
    NumpyRandom r = new NumpyRandom(31337);
    assertArrayEquals(new double[] {0.7218521074240813, 0.9664407992811007, 0.28904906882680115},
        r.rand(3), 0);
    assertArrayEquals(new double[] {0.17134622674002598, 0.3716175858787386, 0.9803070102156316},
        r.rand(3), 0);
  }

  @Test
  void drawsWhatNumpyDrawsAfterTheFirstBlockOf624Words() {
    // python3 -c 'import numpy as np; np.random.seed(31337); print(np.random.rand(400)[-2:].tolist())'
    double[] v = new NumpyRandom(31337).rand(400);
    assertArrayEquals(new double[] {0.07530053384922686, 0.08299652974799665},
        new double[] {v[398], v[399]}, 0);
  }
}
