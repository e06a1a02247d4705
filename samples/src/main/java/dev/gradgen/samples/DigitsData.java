package dev.gradgen.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The UCI handwritten digits (8x8 images, 1797 rows, 10 classes) from the classpath resource
 * {@code data/digits.csv.gz}; see {@code data/NOTICE.md} for attribution and licence.
 */
public final class DigitsData {
  static final String RESOURCE = "/data/digits.csv.gz";

  /** Pixels per image (8 x 8). */
  public static final int FEATURES = 64;

  /** Digits 0 to 9. */
  public static final int CLASSES = 10;

  /** Largest pixel value in the data (each pixel counts the set bits in a 4x4 block). */
  static final double MAX_PIXEL = 16.0;

  /** Fraction of the shuffled rows held out, at the end, as the test split. */
  public static final double TEST_FRACTION = 0.2;

  private DigitsData() {}

  /**
   * A train/test split. Features are pixel counts divided by 16, so in [0, 1]; labels are the
   * digits.
   */
  public record Split(double[][] xTrain, int[] yTrain, double[][] xTest, int[] yTest) {}

  /**
   * Loads all rows, shuffles them with {@code new Random(seed)} (Fisher-Yates) and holds out the
   * last 20% (rounded) as the test split.
   */
  public static Split load(long seed) {
    double[][] x = new double[2048][];
    int[] y = new int[2048];
    int rows = 0;
    InputStream raw = DigitsData.class.getResourceAsStream(RESOURCE);
    if (raw == null) {
      throw new IllegalStateException("missing classpath resource " + RESOURCE);
    }
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",");
        if (cells.length != FEATURES + 1) {
          throw new IllegalStateException(RESOURCE + ": row " + (rows + 1) + " has "
              + cells.length + " fields, expected " + (FEATURES + 1));
        }
        if (rows == x.length) {
          x = Arrays.copyOf(x, 2 * rows);
          y = Arrays.copyOf(y, 2 * rows);
        }
        double[] row = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
          row[j] = Integer.parseInt(cells[j].trim()) / MAX_PIXEL;
        }
        int label = Integer.parseInt(cells[FEATURES].trim());
        if (label < 0 || label >= CLASSES) {
          throw new IllegalStateException(RESOURCE + ": row " + (rows + 1) + " has label " + label);
        }
        x[rows] = row;
        y[rows] = label;
        rows++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    Random random = new Random(seed);
    for (int i = rows - 1; i > 0; i--) {
      int k = random.nextInt(i + 1);
      double[] row = x[i];
      x[i] = x[k];
      x[k] = row;
      int label = y[i];
      y[i] = y[k];
      y[k] = label;
    }

    int test = (int) Math.round(TEST_FRACTION * rows);
    int train = rows - test;
    double[][] xTrain = Arrays.copyOfRange(x, 0, train);
    int[] yTrain = Arrays.copyOfRange(y, 0, train);
    double[][] xTest = Arrays.copyOfRange(x, train, rows);
    int[] yTest = Arrays.copyOfRange(y, train, rows);
    return new Split(xTrain, yTrain, xTest, yTest);
  }
}
