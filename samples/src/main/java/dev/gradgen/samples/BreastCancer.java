package dev.gradgen.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The UCI breast-cancer data (Wisconsin Diagnostic, as shipped by scikit-learn), read from the
 * classpath, shuffled with a fixed seed, split 80/20 and standardized with training-set statistics.
 */
final class BreastCancer {
  static final String RESOURCE = "/data/breast_cancer.csv";

  /** Rows of standardized features and labels (1 = {@code classNames[1]}). */
  record Split(
      double[][] xTrain, double[] yTrain, double[][] xTest, double[] yTest, String[] classNames) {
    int features() {
      return xTrain[0].length;
    }
  }

  private BreastCancer() {}

  /** Shuffles the rows with {@code seed}, holds out the last 20% as the test split. */
  static Split load(long seed) {
    InputStream in = BreastCancer.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException("missing classpath resource " + RESOURCE);
    }
    double[][] x;
    double[] y;
    String[] classNames;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      // Header: "<rows>,<features>,<name of class 0>,<name of class 1>".
      String[] header = reader.readLine().split(",");
      int rows = Integer.parseInt(header[0].trim());
      int features = Integer.parseInt(header[1].trim());
      classNames = new String[] {header[2].trim(), header[3].trim()};
      x = new double[rows][features];
      y = new double[rows];
      for (int i = 0; i < rows; i++) {
        String line = reader.readLine();
        String[] cells = line == null ? new String[0] : line.split(",");
        if (cells.length != features + 1) {
          throw new IllegalStateException(RESOURCE + ": bad data row " + (i + 1));
        }
        for (int j = 0; j < features; j++) {
          x[i][j] = Double.parseDouble(cells[j]);
        }
        y[i] = Integer.parseInt(cells[features].trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    // Fisher-Yates shuffle of the row order.
    Random random = new Random(seed);
    for (int i = x.length - 1; i > 0; i--) {
      int k = random.nextInt(i + 1);
      double[] row = x[i];
      x[i] = x[k];
      x[k] = row;
      double label = y[i];
      y[i] = y[k];
      y[k] = label;
    }

    int test = Math.round(0.2f * x.length);
    int train = x.length - test;
    double[][] xTrain = new double[train][];
    double[][] xTest = new double[test][];
    double[] yTrain = new double[train];
    double[] yTest = new double[test];
    System.arraycopy(x, 0, xTrain, 0, train);
    System.arraycopy(x, train, xTest, 0, test);
    System.arraycopy(y, 0, yTrain, 0, train);
    System.arraycopy(y, train, yTest, 0, test);
    standardize(xTrain, xTest);
    return new Split(xTrain, yTrain, xTest, yTest, classNames);
  }

  /** Scales each feature of both splits, in place, to zero mean and unit variance on {@code train}. */
  private static void standardize(double[][] train, double[][] test) {
    int features = train[0].length;
    for (int j = 0; j < features; j++) {
      double mean = 0.0;
      for (double[] row : train) {
        mean += row[j];
      }
      mean /= train.length;
      double variance = 0.0;
      for (double[] row : train) {
        variance += (row[j] - mean) * (row[j] - mean);
      }
      double std = Math.sqrt(variance / train.length);
      double scale = std > 0.0 ? 1.0 / std : 1.0;
      for (double[] row : train) {
        row[j] = (row[j] - mean) * scale;
      }
      for (double[] row : test) {
        row[j] = (row[j] - mean) * scale;
      }
    }
  }
}
