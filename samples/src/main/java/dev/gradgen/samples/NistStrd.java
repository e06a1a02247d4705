package dev.gradgen.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a nonlinear least-squares problem of the NIST/ITL Statistical Reference Datasets (StRD)
 * in the format NIST distributes: the header's "File Format" block names the 1-based line ranges
 * of the starting values, the certified values and the data, and the parser reads exactly those
 * lines, checking them against the counts the description states ("5 Parameters (b1 to b5)",
 * "151 Observations", "Number of Observations:", "Degrees of Freedom:"). Only problems with one
 * response and one predictor, data columns {@code y x}, are supported; Kirby2 and Hahn1 ship in
 * {@code data/nist-strd/} (see the {@code NOTICE.md} there).
 */
final class NistStrd {
  /** Kirby2: rational quadratic/quadratic, 5 parameters, 151 observations. */
  static final String KIRBY2 = "/data/nist-strd/Kirby2.dat";
  /** Hahn1: rational cubic/cubic, 7 parameters, 236 observations. */
  static final String HAHN1 = "/data/nist-strd/Hahn1.dat";

  /**
   * One StRD problem. Arrays are indexed by parameter ({@code b1} at 0) or by observation, in
   * file order.
   *
   * @param name the dataset name, e.g. {@code Kirby2}
   * @param start1 the first (farther) starting point
   * @param start2 the second (nearer) starting point
   * @param certifiedValues the certified parameter values
   * @param certifiedStandardDeviations the certified standard deviations of the parameters
   * @param certifiedResidualSumOfSquares the certified residual sum of squares
   * @param certifiedResidualStandardDeviation the certified residual standard deviation
   * @param degreesOfFreedom observations minus parameters
   * @param y the responses
   * @param x the predictor
   */
  record Problem(
      String name,
      double[] start1,
      double[] start2,
      double[] certifiedValues,
      double[] certifiedStandardDeviations,
      double certifiedResidualSumOfSquares,
      double certifiedResidualStandardDeviation,
      int degreesOfFreedom,
      double[] y,
      double[] x) {
    /** The number of model parameters. */
    int parameters() {
      return certifiedValues.length;
    }

    /** The number of observations. */
    int observations() {
      return y.length;
    }

    /** Starting point 1 or 2, as a fresh array. */
    double[] start(int which) {
      return switch (which) {
        case 1 -> start1.clone();
        case 2 -> start2.clone();
        default -> throw new IllegalArgumentException("NIST problems have starts 1 and 2");
      };
    }
  }

  /** A line such as {@code Data              (lines 61 to 211)} in the "File Format" block. */
  private static final Pattern RANGE =
      Pattern.compile("(Starting Values|Certified Values|Data)\\s+\\(lines\\s+(\\d+)\\s+to\\s+(\\d+)\\)");
  private static final Pattern NAME = Pattern.compile("Dataset Name:\\s+(\\S+)");
  private static final Pattern PARAMETER_COUNT =
      Pattern.compile("(\\d+)\\s+Parameters\\s+\\(b1 to b(\\d+)\\)");
  private static final Pattern OBSERVATION_COUNT = Pattern.compile("^\\s*(\\d+)\\s+Observations\\s*$");
  private static final String NUMBER = "([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)";
  /** {@code bK = start1 start2 certified standardDeviation}. */
  private static final Pattern PARAMETER = Pattern.compile(
      "^\\s*b(\\d+)\\s*=\\s*" + NUMBER + "\\s+" + NUMBER + "\\s+" + NUMBER + "\\s+" + NUMBER
          + "\\s*$");
  private static final Pattern DATA_ROW = Pattern.compile("^\\s*" + NUMBER + "\\s+" + NUMBER
      + "\\s*$");
  private static final Pattern DATA_HEADER = Pattern.compile("^\\s*Data:\\s+y\\s+x\\s*$");

  private NistStrd() {}

  /** The problem in the classpath resource {@code resource}, e.g. {@link #KIRBY2}. */
  static Problem load(String resource) {
    InputStream in = NistStrd.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("missing classpath resource " + resource);
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(resource, lines);
  }

  /**
   * Parses the lines of one StRD file; {@code source} names it in error messages. Throws {@link
   * IllegalArgumentException}, naming the line, for anything that does not fit the format.
   */
  static Problem parse(String source, List<String> lines) {
    String name = null;
    int[] starting = null;
    int[] certified = null;
    int[] data = null;
    int statedParameters = -1;
    int statedObservations = -1;
    // The header and description; none of these patterns matches a parameter or data line.
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher m;
      if (name == null && (m = NAME.matcher(line)).find()) {
        name = m.group(1);
      }
      if ((m = RANGE.matcher(line)).find()) {
        int[] range = {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        if (range[0] < 1 || range[1] < range[0] || range[1] > lines.size()) {
          throw bad(source, i, "line range " + range[0] + " to " + range[1] + " outside the file"
              + " of " + lines.size() + " lines");
        }
        switch (m.group(1)) {
          case "Starting Values" -> starting = range;
          case "Certified Values" -> certified = range;
          default -> data = range;
        }
      }
      if (statedParameters < 0 && (m = PARAMETER_COUNT.matcher(line)).find()) {
        statedParameters = Integer.parseInt(m.group(1));
        if (Integer.parseInt(m.group(2)) != statedParameters) {
          throw bad(source, i, "parameter count disagrees with its range");
        }
      }
      if (statedObservations < 0 && (m = OBSERVATION_COUNT.matcher(line)).find()) {
        statedObservations = Integer.parseInt(m.group(1));
      }
    }
    if (name == null || starting == null || certified == null || data == null) {
      throw new IllegalArgumentException(source + ": no \"Dataset Name:\" line or no \"File"
          + " Format\" block naming the lines of the starting values, certified values and data");
    }
    if (statedParameters < 1 || statedObservations < 1) {
      throw new IllegalArgumentException(source + ": no \"N Parameters (b1 to bN)\" or no"
          + " \"N Observations\" line in the description");
    }

    if (certified[0] != starting[0] || certified[1] <= starting[1]) {
      throw new IllegalArgumentException(source + ": the certified values (lines " + certified[0]
          + " to " + certified[1] + ") should begin with the starting values' lines ("
          + starting[0] + " to " + starting[1] + ") and go on past them");
    }

    // Parameters: start 1, start 2, certified value, certified standard deviation.
    int n = starting[1] - starting[0] + 1;
    if (n != statedParameters) {
      throw bad(source, starting[0] - 1, "the starting values span " + n + " lines but the model"
          + " has " + statedParameters + " parameters");
    }
    double[][] columns = new double[4][n];
    for (int k = 0; k < n; k++) {
      int index = starting[0] - 1 + k;
      Matcher m = PARAMETER.matcher(lines.get(index));
      if (!m.matches() || Integer.parseInt(m.group(1)) != k + 1) {
        throw bad(source, index, "expected \"b" + (k + 1) + " = start1 start2 certified sd\"");
      }
      for (int c = 0; c < 4; c++) {
        columns[c][k] = Double.parseDouble(m.group(c + 2));
      }
    }

    // Summary statistics: the rest of the certified-values range.
    double rss = Double.NaN;
    double residualSd = Double.NaN;
    int dof = -1;
    int observationsLine = -1;
    for (int index = starting[1]; index < certified[1]; index++) {
      String line = lines.get(index);
      String label = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
      String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).trim() : "";
      try {
        switch (label) {
          case "Residual Sum of Squares" -> rss = Double.parseDouble(value);
          case "Residual Standard Deviation" -> residualSd = Double.parseDouble(value);
          case "Degrees of Freedom" -> dof = Integer.parseInt(value);
          case "Number of Observations" -> observationsLine = Integer.parseInt(value);
          default -> {
            if (!line.isBlank()) {
              throw bad(source, index, "unexpected line among the certified values");
            }
          }
        }
      } catch (NumberFormatException e) {
        throw bad(source, index, "not a number: " + value);
      }
    }
    if (Double.isNaN(rss) || Double.isNaN(residualSd) || dof < 0 || observationsLine < 0) {
      throw new IllegalArgumentException(source + ": the certified values (lines " + certified[0]
          + " to " + certified[1] + ") lack the residual sum of squares, residual standard"
          + " deviation, degrees of freedom or number of observations");
    }

    // Data: y x, one observation a line, after a "Data:   y   x" header line.
    int m = data[1] - data[0] + 1;
    if (data[0] < 2 || !DATA_HEADER.matcher(lines.get(data[0] - 2)).matches()) {
      throw bad(source, data[0] - 2, "expected the header \"Data:   y   x\" just before the data");
    }
    if (m != statedObservations || m != observationsLine || dof != m - n) {
      throw new IllegalArgumentException(source + ": " + m + " data lines, but the description"
          + " states " + statedObservations + " observations, the certified values "
          + observationsLine + " observations and " + dof + " degrees of freedom for " + n
          + " parameters");
    }
    double[] y = new double[m];
    double[] x = new double[m];
    for (int i = 0; i < m; i++) {
      int index = data[0] - 1 + i;
      Matcher row = DATA_ROW.matcher(lines.get(index));
      if (!row.matches()) {
        throw bad(source, index, "expected a data row \"y x\"");
      }
      y[i] = Double.parseDouble(row.group(1));
      x[i] = Double.parseDouble(row.group(2));
    }
    return new Problem(name, columns[0], columns[1], columns[2], columns[3], rss, residualSd, dof,
        y, x);
  }

  /**
   * The log relative error of {@code estimate} against {@code certified}, {@code -log10(|estimate -
   * certified| / |certified|)}: about the number of leading significant digits the two share.
   * Clamped to {@code [0, cap]}, {@code cap} also when they are equal; NIST's certified values
   * carry 11 significant digits, so {@link #LRE_CAP} is the natural cap. A NaN estimate gives 0.
   */
  static double logRelativeError(double estimate, double certified, double cap) {
    if (Double.isNaN(estimate)) {
      return 0.0;
    }
    double relative = Math.abs(estimate - certified) / Math.abs(certified);
    if (relative == 0.0) {
      return cap;
    }
    return Math.max(0.0, Math.min(cap, -Math.log10(relative)));
  }

  /** The digits NIST certifies: 11 significant digits. */
  static final double LRE_CAP = 11.0;

  private static IllegalArgumentException bad(String source, int index, String message) {
    return new IllegalArgumentException(source + ": line " + (index + 1) + ": " + message);
  }
}
