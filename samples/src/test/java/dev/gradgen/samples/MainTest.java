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

/** The command line: exit codes and where usage goes ({@link Main#run} does not exit). */
class MainTest {
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
  void helpListsEverySubcommandWithExitCodeZero() {
    Run r = run("--help");
    assertEquals(0, r.code());
    assertEquals("", r.err());
    for (var entry : Main.SUBCOMMANDS.entrySet()) {
      assertTrue(r.out().contains(entry.getKey() + " "), r.out());
      assertTrue(r.out().contains(entry.getValue().summary()), r.out());
    }
    assertTrue(r.out().contains("digits"), r.out());
    assertTrue(r.out().contains("breast-cancer"), r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"digits", "breast-cancer"})
  void subcommandHelpExitsZero(String subcommand) {
    Run r = run(subcommand, "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Usage"), r.out());
    assertTrue(r.out().contains("--epochs"), r.out());
  }

  @Test
  void digitsIsTheDefault() {
    Run r = run("--threads", "2", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("--threads"), r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "nonsense", "--bogus", "digits --bogus", "--epochs", "--epochs x", "--epochs 0",
      "--epochs -3", "--threads 0", "--threads two", "--seed 1.5", "--lr -1", "--l2 NaN",
      "digits --batch 0", "breast-cancer --lr", "breast-cancer --epochs zero",
      "breast-cancer --digits"})
  void badArgumentsPrintUsageToStderrWithExitCodeTwo(String line) {
    Run r = run(line.split(" "));
    assertEquals(2, r.code(), line);
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains("Usage"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals("", r.out());
  }

  @Test
  void shortDigitsRunPrintsProgressSummaryAndWhereTheGradientIs() throws Exception {
    java.nio.file.Path png = java.nio.file.Files.createTempFile("digits", ".png");
    try {
      Run r = run("digits", "--epochs", "2", "--threads", "2", "--plot", png.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("test split = the last 20%"), r.out());
      assertTrue(r.out().contains("epoch 1/2  loss "), r.out());
      assertTrue(r.out().contains("epoch 2/2  loss "), r.out());
      assertTrue(r.out().contains("done: 2 epochs"), r.out());
      assertTrue(r.out().contains("training curves: " + png), r.out());
      assertTrue(r.out().contains("MlpGrad.java"), r.out());
      byte[] bytes = java.nio.file.Files.readAllBytes(png);
      assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
          "not a PNG");
    } finally {
      java.nio.file.Files.deleteIfExists(png);
    }
  }
}
