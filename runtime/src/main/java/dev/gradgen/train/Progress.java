package dev.gradgen.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Progress of a long loop, one report per epoch: the epoch, the loss, the rate (epochs per
 * second so far) and the estimated time left. On a terminal the report is one line rewritten in
 * place; otherwise (output redirected to a file, a pipe, a build log) each report is a line of
 * its own.
 *
 * <pre>{@code
 * Progress progress = Progress.start(epochs);
 * for (int e = 1; e <= epochs; e++) {
 *   ... train one epoch ...
 *   progress.report(e, loss, "test accuracy " + accuracy);
 * }
 * progress.done();
 * }</pre>
 */
public final class Progress {
  private final long total;
  private final PrintStream out;
  private final boolean inPlace;
  private final LongSupplier nanoTime;
  private final long start;
  private int lastLength;
  private boolean pending;

  private Progress(long total, PrintStream out, boolean inPlace, LongSupplier nanoTime) {
    if (total < 1) {
      throw new IllegalArgumentException("total must be at least 1, not " + total);
    }
    this.total = total;
    this.out = Objects.requireNonNull(out, "out");
    this.inPlace = inPlace;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.start = nanoTime.getAsLong();
  }

  /**
   * Reports to {@code System.out}, in place when the program runs on a terminal ({@code
   * System.console() != null}).
   *
   * @param total the number of epochs, at least 1
   * @return the reporter, its clock started
   */
  public static Progress start(long total) {
    return new Progress(total, System.out, System.console() != null, System::nanoTime);
  }

  /**
   * Reports to {@code out}, in place or as lines, timed by {@code nanoTime} (for example {@code
   * System::nanoTime}).
   *
   * @param total the number of epochs, at least 1
   * @param out where the reports go
   * @param inPlace whether each report rewrites the previous one ({@code \r}) instead of
   *     starting a line
   * @param nanoTime the clock, in nanoseconds
   * @return the reporter, its clock started
   */
  public static Progress start(long total, PrintStream out, boolean inPlace,
      LongSupplier nanoTime) {
    return new Progress(total, out, inPlace, nanoTime);
  }

  /**
   * Reports that {@code epoch} epochs are done with loss {@code loss}.
   *
   * @param epoch the epochs done, from 1 to the total
   * @param loss the loss to show
   * @param extra more to show at the end of the line (such as a test accuracy), or empty
   */
  public void report(long epoch, double loss, String extra) {
    if (epoch < 1 || epoch > total) {
      throw new IllegalArgumentException("epoch " + epoch + " is not in 1.." + total);
    }
    double seconds = (nanoTime.getAsLong() - start) / 1e9;
    double rate = seconds > 0 ? epoch / seconds : Double.POSITIVE_INFINITY;
    double eta = seconds / epoch * (total - epoch);
    int width = Long.toString(total).length();
    String line = String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.4f  %s  ETA %s%s",
        epoch, total, loss, rate(rate), duration(eta), extra.isEmpty() ? "" : "  " + extra);
    if (inPlace) {
      StringBuilder b = new StringBuilder("\r").append(line);
      for (int i = line.length(); i < lastLength; i++) {
        b.append(' '); // clear what is left of a longer previous line
      }
      out.print(b);
      out.flush();
      lastLength = line.length();
      pending = true;
    } else {
      out.println(line);
    }
  }

  /** Ends the in-place line, so that what is printed next starts a line of its own. */
  public void done() {
    if (pending) {
      out.println();
      pending = false;
    }
  }

  private static String rate(double epochsPerSecond) {
    if (Double.isInfinite(epochsPerSecond)) {
      return "-- epochs/s";
    }
    return epochsPerSecond >= 1
        ? String.format(Locale.ROOT, "%.2f epochs/s", epochsPerSecond)
        : String.format(Locale.ROOT, "%.1f s/epoch", 1 / epochsPerSecond);
  }

  /** {@code 42 s}, {@code 3 min 07 s}, {@code 2 h 05 min}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s / 60 % 60);
  }
}
