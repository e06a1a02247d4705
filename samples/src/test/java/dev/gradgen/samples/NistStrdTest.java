package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NIST StRD parser, against numbers read off Kirby2.dat and Hahn1.dat by hand. */
class NistStrdTest {
  @Test
  void kirby2() {
    NistStrd.Problem p = NistStrd.load(NistStrd.KIRBY2);
    assertEquals("Kirby2", p.name());
    assertEquals(5, p.parameters());
    assertEquals(151, p.observations());
    assertEquals(151, p.x().length);
    assertEquals(146, p.degreesOfFreedom());
    assertArrayEquals(new double[] {2, -0.1, 0.003, -0.001, 0.00001}, p.start1());
    assertArrayEquals(new double[] {1.5, -0.15, 0.0025, -0.0015, 0.00002}, p.start2());
    assertEquals(1.6745063063E+00, p.certifiedValues()[0]);
    assertEquals(-1.3927397867E-01, p.certifiedValues()[1]);
    assertEquals(2.1664802578E-05, p.certifiedValues()[4]);
    assertEquals(8.7989634338E-02, p.certifiedStandardDeviations()[0]);
    assertEquals(2.0129761919E-07, p.certifiedStandardDeviations()[4]);
    assertEquals(3.9050739624E+00, p.certifiedResidualSumOfSquares());
    assertEquals(1.6354535131E-01, p.certifiedResidualStandardDeviation());
    // First, second and last two data lines (61, 62, 210, 211): y then x.
    assertEquals(0.0082, p.y()[0]);
    assertEquals(9.65, p.x()[0]);
    assertEquals(0.0112, p.y()[1]);
    assertEquals(10.74, p.x()[1]);
    assertEquals(91.55, p.y()[149]);
    assertEquals(367.00, p.x()[149]);
    assertEquals(92.20, p.y()[150]);
    assertEquals(371.30, p.x()[150]);
    // Column sums, from an independent read of the file.
    assertEquals(7304.2899, sum(p.y()), 1e-9);
    assertEquals(30044.52, sum(p.x()), 1e-9);
  }

  @Test
  void hahn1() {
    NistStrd.Problem p = NistStrd.load(NistStrd.HAHN1);
    assertEquals("Hahn1", p.name());
    assertEquals(7, p.parameters());
    assertEquals(236, p.observations());
    assertEquals(229, p.degreesOfFreedom());
    assertArrayEquals(new double[] {10, -1, 0.05, -0.00001, -0.05, 0.001, -0.000001},
        p.start1());
    assertArrayEquals(new double[] {1, -0.1, 0.005, -0.000001, -0.005, 0.0001, -0.0000001},
        p.start2());
    assertEquals(1.0776351733E+00, p.certifiedValues()[0]);
    assertEquals(-1.4262662514E-06, p.certifiedValues()[3]);
    assertEquals(-1.2314450199E-07, p.certifiedValues()[6]);
    assertEquals(1.7070154742E-01, p.certifiedStandardDeviations()[0]);
    assertEquals(1.3027335327E-08, p.certifiedStandardDeviations()[6]);
    assertEquals(1.5324382854E+00, p.certifiedResidualSumOfSquares());
    assertEquals(8.1803852243E-02, p.certifiedResidualStandardDeviation());
    // Data lines 61 and 296; the first y is written ".591E0".
    assertEquals(0.591, p.y()[0]);
    assertEquals(24.41, p.x()[0]);
    assertEquals(20.935, p.y()[235]);
    assertEquals(848.23, p.x()[235]);
    assertEquals(3354.81, sum(p.y()), 1e-9);
    assertEquals(75826.16, sum(p.x()), 1e-9);
  }

  @Test
  void startsAreFreshCopies() {
    NistStrd.Problem p = NistStrd.load(NistStrd.KIRBY2);
    p.start(1)[0] = 99;
    assertEquals(2.0, p.start(1)[0]);
    assertEquals(1.5, p.start(2)[0]);
    assertThrows(IllegalArgumentException.class, () -> p.start(3));
  }

  @Test
  void malformedFilesAreRejectedNamingTheLine() throws IOException {
    List<String> lines = lines(NistStrd.KIRBY2);

    List<String> badParameter = new ArrayList<>(lines);
    badParameter.set(42, "  b3 =    0.003       0.0025       2.5961181191E-03");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NistStrd.parse("k", badParameter));
    assertTrue(e.getMessage().contains("line 43"), e.getMessage());

    List<String> badRow = new ArrayList<>(lines);
    badRow.set(99, "       2.5410E0      x");
    e = assertThrows(IllegalArgumentException.class, () -> NistStrd.parse("k", badRow));
    assertTrue(e.getMessage().contains("line 100"), e.getMessage());

    List<String> truncated = new ArrayList<>(lines.subList(0, 200));
    e = assertThrows(IllegalArgumentException.class, () -> NistStrd.parse("k", truncated));
    assertTrue(e.getMessage().contains("outside the file"), e.getMessage());

    List<String> wrongCount = new ArrayList<>(lines);
    wrongCount.set(26, "               152 Observations");
    e = assertThrows(IllegalArgumentException.class, () -> NistStrd.parse("k", wrongCount));
    assertTrue(e.getMessage().contains("152 observations"), e.getMessage());
  }

  @Test
  void logRelativeErrorCountsSharedDigits() {
    assertEquals(3.0, NistStrd.logRelativeError(1.001, 1.0, 11), 1e-9);
    assertEquals(6.0, NistStrd.logRelativeError(-2.000002, -2.0, 11), 1e-6);
    assertEquals(11.0, NistStrd.logRelativeError(1.0, 1.0, 11));
    assertEquals(11.0, NistStrd.logRelativeError(1.0 + 1e-14, 1.0, 11));
    assertEquals(0.0, NistStrd.logRelativeError(-1.0, 1.0, 11));
    assertEquals(0.0, NistStrd.logRelativeError(Double.NaN, 1.0, 11));
  }

  private static double sum(double[] v) {
    double s = 0.0;
    for (double d : v) {
      s += d;
    }
    return s;
  }

  private static List<String> lines(String resource) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        NistStrdTest.class.getResourceAsStream(resource), StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
