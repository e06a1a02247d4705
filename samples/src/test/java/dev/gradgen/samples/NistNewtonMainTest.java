package dev.gradgen.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code nist} and {@code newton} subcommands through {@link Main#run}, as MainTest does. */
class NistNewtonMainTest {
  /** Exit code, standard output and standard error of one command line. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void helpListsBoth() {
    Run r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("nist ") && r.out().contains(NistRegression.SUMMARY), r.out());
    assertTrue(r.out().contains("newton ") && r.out().contains(BreastCancerNewton.SUMMARY),
        r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"nist", "newton"})
  void subcommandHelpExitsZero(String subcommand) {
    Run r = run(subcommand, "--help");
    assertEquals(0, r.code());
    assertEquals("", r.err());
    assertTrue(r.out().startsWith("Usage: dev.gradgen.samples.Main " + subcommand), r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "nist --bogus", "nist Kirby2", "newton --bogus", "newton --l2", "newton --l2 -1",
      "newton --tolerance 0", "newton --tolerance x", "newton --repeat 0",
      "newton --max-iterations 1.5", "newton --seed x"})
  void badArgumentsPrintUsageToStderrWithExitCodeTwo(String line) {
    Run r = run(line.split(" "));
    assertEquals(2, r.code(), line);
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains("Usage"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void nistPrintsTheLreOfEveryParameterFromBothStarts() {
    Run r = run("nist");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("Kirby2: 151 observations, 5 parameters"), r.out());
    assertTrue(r.out().contains("Hahn1: 236 observations, 7 parameters"), r.out());
    assertTrue(r.out().contains("LRE from start 1") && r.out().contains("LRE from start 2"),
        r.out());
    assertTrue(r.out().contains("  b7 "), r.out());
    assertTrue(r.out().contains(Derivatives.JACOBIANS), r.out());
    assertTrue(r.out().contains("every parameter certified to at least 6 digits"), r.out());
  }

  @Test
  void newtonPrintsTheTable() {
    Run r = run("newton", "--repeat", "1");
    assertEquals(0, r.code(), r.out() + r.err());
    String[] lines = r.out().split("\\R");
    assertTrue(r.out().contains("455 training rows, 30 features + intercept"), r.out());
    assertTrue(r.out().contains(Derivatives.GRADIENT_AND_HESSIAN), r.out());
    int rows = 0;
    for (String line : lines) {
      if (line.startsWith("Newton ") || line.startsWith("gradient descent ")
          || line.startsWith("conjugate gradients (Hipparchus) ")) {
        assertTrue(line.contains(" yes "), line);
        rows++;
      }
    }
    assertEquals(3, rows, r.out());
  }

  @Test
  void newtonWithoutThePenaltyReportsNoConvergence() {
    Run r = run("newton", "--l2", "0", "--repeat", "1", "--max-iterations", "20");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains(" NO "), r.out());
  }
}
