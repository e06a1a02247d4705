package dev.gradgen.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The diabetes data of Efron et al., "Least Angle Regression" (2004), as shipped by scikit-learn:
 * 442 patients, ten baseline features, and a measure of disease progression one year later. Read
 * from the classpath; see {@code data/NOTICE.md}.
 */
final class DiabetesData {
  static final String FEATURES = "/data/diabetes_data_raw.csv.gz";
  static final String TARGET = "/data/diabetes_target.csv.gz";
  static final String[] FEATURE_NAMES = {
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"
  };

  /** Features {@code x} (one row per patient) and targets {@code y}. */
  record Data(double[][] x, double[] y) {}

  private DiabetesData() {}

  /** The raw features and targets, in file order. */
  static Data load() {
    List<double[]> rows = read(FEATURES);
    List<double[]> target = read(TARGET);
    if (rows.size() != target.size()) {
      throw new IllegalStateException(FEATURES + " has " + rows.size() + " rows but " + TARGET
          + " has " + target.size());
    }
    double[][] x = rows.toArray(new double[0][]);
    double[] y = new double[target.size()];
    for (int i = 0; i < y.length; i++) {
      if (x[i].length != FEATURE_NAMES.length || target.get(i).length != 1) {
        throw new IllegalStateException("bad data row " + (i + 1));
      }
      y[i] = target.get(i)[0];
    }
    return new Data(x, y);
  }

  /** The features scaled, column by column, to mean 0 and (population) standard deviation 1. */
  static double[][] standardize(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[][] z = new double[n][d];
    for (int j = 0; j < d; j++) {
      double mean = 0.0;
      for (double[] row : x) {
        mean += row[j];
      }
      mean /= n;
      double variance = 0.0;
      for (double[] row : x) {
        variance += (row[j] - mean) * (row[j] - mean);
      }
      double std = Math.sqrt(variance / n);
      for (int i = 0; i < n; i++) {
        z[i][j] = (x[i][j] - mean) / std;
      }
    }
    return z;
  }

  /** Rows of whitespace-separated numbers from a gzip-compressed classpath resource. */
  private static List<double[]> read(String resource) {
    InputStream in = DiabetesData.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("missing classpath resource " + resource);
    }
    List<double[]> rows = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(new GZIPInputStream(in), StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String trimmed = line.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        String[] cells = trimmed.split("\\s+");
        double[] row = new double[cells.length];
        for (int j = 0; j < cells.length; j++) {
          row[j] = Double.parseDouble(cells[j]);
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
