package dev.gradgen.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes training curves (loss and accuracy per epoch, side by side) as a PNG with XChart. */
public final class PlotTraining {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 440;

  private PlotTraining() {}

  /**
   * Writes {@code file} (creating its directory): on the left the training loss, on the right the
   * test accuracy, against the epoch. Runs headless.
   *
   * @param title headline of the left chart, e.g. the data set and model
   */
  public static void write(Path file, String title, double[] trainLoss, double[] testLoss,
      double[] testAccuracy) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int epochs = trainLoss.length;
    double[] epoch = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      epoch[e] = e + 1;
    }

    XYChart loss = chart(title, "mean cross-entropy (log scale)");
    style(loss.addSeries("train loss", epoch, trainLoss), new Color(31, 119, 180));
    style(loss.addSeries("test loss", epoch, testLoss), new Color(255, 127, 14));
    loss.getStyler().setYAxisLogarithmic(true);

    double[] percent = new double[epochs];
    double lowest = 100.0;
    for (int e = 0; e < epochs; e++) {
      percent[e] = 100.0 * testAccuracy[e];
      lowest = Math.min(lowest, percent[e]);
    }
    XYChart accuracy = chart(String.format(java.util.Locale.ROOT,
        "test accuracy: %.2f%% after %d epochs", percent[epochs - 1], epochs), "accuracy (%)");
    style(accuracy.addSeries("test accuracy", epoch, percent), new Color(44, 160, 44));
    accuracy.getStyler().setYAxisMin(Math.floor(Math.min(lowest, 90.0)));
    accuracy.getStyler().setYAxisMax(100.0);
    accuracy.getStyler().setYAxisDecimalPattern("0.#");
    accuracy.getStyler().setLegendPosition(LegendPosition.InsideSE);

    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, out, BitmapFormat.PNG);
    }
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart = new XYChartBuilder()
        .width(WIDTH)
        .height(HEIGHT)
        .title(title)
        .xAxisTitle("epoch")
        .yAxisTitle(yTitle)
        .build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setXAxisTickMarkSpacingHint(60);
    return chart;
  }

  private static void style(XYSeries series, Color color) {
    series.setLineColor(color);
    series.setMarkerColor(color);
    series.setMarker(SeriesMarkers.CIRCLE);
    series.setLineStyle(new BasicStroke(2.0f));
  }
}
