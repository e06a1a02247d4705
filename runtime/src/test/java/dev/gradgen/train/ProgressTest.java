package dev.gradgen.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Progress} on a clock the test sets, so the numbers are exact. */
class ProgressTest {
  private final long[] now = {5_000_000_000L};
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainLinesShowEpochLossRateAndEta() {
    Progress p = Progress.start(10, out, false, () -> now[0]);
    now[0] += 2_000_000_000L; // 2 s for the first epoch: 0.5 epochs/s, 9 epochs (18 s) to go
    p.report(1, 0.51234, "");
    now[0] += 2_000_000_000L; // 4 s for 4 epochs: 1 epoch/s, 6 s to go
    p.report(4, 0.25, "acc 0.9");
    now[0] += 200_000_000_000L; // 204 s for 10: ETA 0
    p.report(10, 0.125, "");
    p.done();
    String nl = System.lineSeparator();
    assertEquals("epoch  1/10  loss 0.5123  2.0 s/epoch  ETA 18 s" + nl
        + "epoch  4/10  loss 0.2500  1.00 epochs/s  ETA 6 s  acc 0.9" + nl
        + "epoch 10/10  loss 0.1250  20.4 s/epoch  ETA 0 s" + nl, text());
  }

  @Test
  void onATerminalOneLineIsRewrittenInPlace() {
    Progress p = Progress.start(3, out, true, () -> now[0]);
    now[0] += 1_000_000_000L;
    p.report(1, 1.0, "long extra text");
    now[0] += 1_000_000_000L;
    p.report(2, 0.5, "");
    p.done();
    p.done(); // a second done prints nothing more
    String first = "epoch 1/3  loss 1.0000  1.00 epochs/s  ETA 2 s  long extra text";
    String second = "epoch 2/3  loss 0.5000  1.00 epochs/s  ETA 1 s";
    assertEquals("\r" + first + "\r" + second + " ".repeat(first.length() - second.length())
        + System.lineSeparator(), text());
  }

  @Test
  void durationsAndBadEpochs() {
    assertEquals("59 s", Progress.duration(59.4));
    assertEquals("3 min 07 s", Progress.duration(187));
    assertEquals("2 h 05 min", Progress.duration(2 * 3600 + 5 * 60 + 10));
    Progress p = Progress.start(3, out, false, () -> now[0]);
    assertThrows(IllegalArgumentException.class, () -> p.report(0, 1.0, ""));
    assertThrows(IllegalArgumentException.class, () -> p.report(4, 1.0, ""));
    assertThrows(IllegalArgumentException.class, () -> Progress.start(0, out, false, () -> 0L));
  }
}
