package dev.gradgen.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The gradient of a minibatch's mean loss over labelled rows held in a Spark RDD, computed where
 * the rows are: the data-parallel form of the runtime's {@code ParallelGradient}, across
 * executors instead of threads.
 *
 * <p>Each row gets an id, its position in the input (0, 1, ...). The rows are cached as one block
 * per partition, and a partition holds a contiguous range of ids. For each {@link #compute} the
 * driver broadcasts the parameters and the minibatch's ids; each partition picks the ids in its
 * range, in minibatch order, and calls the loss's generated buffer form on them, in chunks of at
 * most {@link #CHUNK} rows with one buffer per task; a {@code treeAggregate} adds the partitions'
 * row-weighted gradients, and the driver divides by the minibatch size. No partition reads rows
 * outside the minibatch.
 *
 * <p>Bad input is reported on the driver, as an {@link IllegalArgumentException} naming the row
 * or partition, and never as a failed (and retried) task: building the blocks records a
 * malformed row instead of throwing, a validation job checks every partition when the gradient
 * is made (an empty partition, rows of different lengths), and every step checks the rows it
 * uses against the broadcast parameters (their number of features, the labels' range).
 *
 * @param <P> the parameters, as one serializable value (broadcast each step)
 * @param <B> the generated gradient buffer, e.g. {@code MlpGrad.LossGradientBuffer}
 */
public final class DistributedGradient<P extends Serializable, B> implements AutoCloseable {
  /** Most rows one call of the generated code takes; larger minibatch parts are chunked. */
  public static final int CHUNK = 1024;

  /** How many problems an error message lists before it says how many more there are. */
  static final int LISTED = 5;

  /**
   * A loss that is a mean over rows of features and integer labels, in gradgen's buffer form.
   * Implementations are shipped to the executors, so they hold no data of their own.
   *
   * @param <P> the parameters
   * @param <B> the generated gradient buffer
   */
  public interface BatchLoss<P, B> extends Serializable {
    /**
     * A buffer shaped like {@code parameters}; called once per task.
     *
     * @param parameters the parameters
     * @return a new buffer
     */
    B newBuffer(P parameters);

    /**
     * The mean loss over the rows {@code x} with labels {@code labels}; writes its gradient with
     * respect to {@code parameters} into {@code buffer}, overwriting it.
     *
     * @param parameters the parameters (not modified)
     * @param x at least one row, each of {@link #features} entries
     * @param labels one per row, each in {@code [0, classes(parameters))}
     * @param buffer the buffer, from {@link #newBuffer}
     * @return the mean loss
     */
    double loss(P parameters, double[][] x, int[] labels, B buffer);

    /**
     * The buffer's gradient arrays as rows (views, not copies), in a fixed order, as {@code
     * ParallelGradient.rows} lists them.
     *
     * @param buffer a buffer
     * @return its rows
     */
    double[][] rows(B buffer);

    /**
     * How many features a row must have for {@code parameters}.
     *
     * @param parameters the parameters
     * @return the number of features
     */
    int features(P parameters);

    /**
     * How many classes the labels range over for {@code parameters}.
     *
     * @param parameters the parameters
     * @return the number of classes
     */
    int classes(P parameters);

    /**
     * Which part of {@code parameters} fixes {@link #features}, for error messages; for example
     * "w1 has 64 rows".
     *
     * @param parameters the parameters
     * @return a short description
     */
    String featuresFrom(P parameters);
  }

  /** One row, parsed, or the reason it could not be. */
  record Parsed(double[] x, int label, String error) implements Serializable {}

  /** A partition's rows: ids {@code first} to {@code first + x.length - 1}. */
  record Block(int partition, long first, double[][] x, int[] y, List<String> errors)
      implements Serializable {}

  /** What a step broadcasts. */
  record Step<P>(P parameters, int[] batch) implements Serializable {}

  /** What the validation job learns of one partition. */
  record Summary(int partition, long first, int rows, int minFeatures, int maxFeatures,
      long shortRow, List<String> errors) implements Serializable {}

  private final JavaSparkContext context;
  private final JavaRDD<Block> blocks;
  private final BatchLoss<P, B> loss;
  private final long size;
  private final int features;
  private final int depth;

  private DistributedGradient(JavaSparkContext context, JavaRDD<Parsed> rows, BatchLoss<P, B> loss,
      int depth, boolean inMemory) {
    if (depth < 1) {
      throw new IllegalArgumentException("the treeAggregate depth must be at least 1, got "
          + depth);
    }
    this.context = context;
    this.loss = loss;
    this.depth = depth;
    this.blocks = rows.zipWithIndex().mapPartitionsWithIndex(DistributedGradient::block, true)
        .persist(StorageLevel.MEMORY_ONLY());
    if (inMemory) {
      // Rows from parallelize live in the RDD's partitions, which every task of every step would
      // serialize again (measured: 147 ms a step for the digits). Checkpointing the cached
      // blocks locally cuts that lineage, so the rows travel once.
      blocks.rdd().localCheckpoint();
    }
    List<Summary> summaries = new ArrayList<>(blocks.map(DistributedGradient::summarize)
        .collect());
    summaries.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    try {
      this.features = validate(summaries);
    } catch (IllegalArgumentException e) {
      blocks.unpersist(false);
      throw e;
    }
    long n = 0;
    for (Summary s : summaries) {
      n += s.rows();
    }
    this.size = n;
  }

  /**
   * Rows given in memory, spread over {@code partitions} partitions in order. They are sent to
   * the executors once and kept there as locally checkpointed blocks, so an executor that is
   * lost loses its rows and the job fails: data that must survive that is better read from
   * storage with {@link #ofCsv}.
   *
   * @param <P> the parameters
   * @param <B> the generated gradient buffer
   * @param context the Spark context
   * @param x the rows
   * @param labels one per row
   * @param partitions how many partitions
   * @param loss the loss
   * @return the distributed gradient, validated
   * @throws IllegalArgumentException for bad input, naming the row or partition
   */
  public static <P extends Serializable, B> DistributedGradient<P, B> of(
      JavaSparkContext context, double[][] x, int[] labels, int partitions, BatchLoss<P, B> loss) {
    if (x.length != labels.length) {
      throw new IllegalArgumentException(x.length + " rows but " + labels.length + " labels");
    }
    List<Parsed> rows = new ArrayList<>(x.length);
    for (int i = 0; i < x.length; i++) {
      rows.add(new Parsed(x[i], labels[i], null));
    }
    return new DistributedGradient<>(context, context.parallelize(rows, partitions), loss, 2,
        true);
  }

  /**
   * Rows as comma-separated lines: the features, then the label as an integer. Blank lines are
   * an error like any other malformed row.
   *
   * @param <P> the parameters
   * @param <B> the generated gradient buffer
   * @param lines the lines, for example from {@code JavaSparkContext.textFile}
   * @param loss the loss
   * @return the distributed gradient, validated
   * @throws IllegalArgumentException for bad input, naming the row or partition
   */
  public static <P extends Serializable, B> DistributedGradient<P, B> ofCsv(JavaRDD<String> lines,
      BatchLoss<P, B> loss) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(lines.context());
    return new DistributedGradient<>(context, lines.map(DistributedGradient::parse), loss, 2,
        false);
  }

  static Parsed parse(String line) {
    String[] cells = line.split(",", -1);
    if (cells.length < 2) {
      return new Parsed(null, 0, "needs at least one feature and a label, got \"" + clip(line)
          + "\"");
    }
    double[] x = new double[cells.length - 1];
    for (int j = 0; j < x.length; j++) {
      try {
        x[j] = Double.parseDouble(cells[j].trim());
      } catch (NumberFormatException e) {
        return new Parsed(null, 0, "feature " + j + " is not a number: \"" + clip(cells[j])
            + "\"");
      }
    }
    String label = cells[cells.length - 1].trim();
    try {
      return new Parsed(x, Integer.parseInt(label), null);
    } catch (NumberFormatException e) {
      return new Parsed(null, 0, "the label is not an integer: \"" + clip(label) + "\"");
    }
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static Iterator<Block> block(int partition, Iterator<Tuple2<Parsed, Long>> rows) {
    List<double[]> x = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long first = -1;
    while (rows.hasNext()) {
      Tuple2<Parsed, Long> row = rows.next();
      if (first < 0) {
        first = row._2();
      }
      Parsed p = row._1();
      if (p.error() != null) {
        errors.add("row " + row._2() + " (partition " + partition + "): " + p.error());
        x.add(new double[0]);
        y.add(0);
      } else {
        x.add(p.x());
        y.add(p.label());
      }
    }
    int[] labels = new int[y.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = y.get(i);
    }
    return Collections.singletonList(new Block(partition, first, x.toArray(new double[0][]),
        labels, errors)).iterator();
  }

  private static Summary summarize(Block b) {
    int min = Integer.MAX_VALUE;
    int max = -1;
    long shortRow = -1;
    for (int i = 0; i < b.x().length; i++) {
      if (!b.errors().isEmpty()) {
        break;
      }
      int f = b.x()[i].length;
      if (f < min) {
        min = f;
        shortRow = b.first() + i;
      }
      max = Math.max(max, f);
    }
    return new Summary(b.partition(), b.first(), b.x().length, min, max, shortRow, b.errors());
  }

  /** The rows' number of features; throws for the problems the summaries show. */
  private static int validate(List<Summary> summaries) {
    List<String> problems = new ArrayList<>();
    int errors = 0;
    for (Summary s : summaries) {
      errors += s.errors().size();
      for (String e : s.errors()) {
        if (problems.size() < LISTED) {
          problems.add(e);
        }
      }
    }
    if (errors > 0) {
      throw new IllegalArgumentException(errors + " malformed row" + (errors == 1 ? "" : "s")
          + ": " + String.join("; ", problems) + (errors > problems.size() ? "; ..." : ""));
    }
    List<Integer> empty = new ArrayList<>();
    for (Summary s : summaries) {
      if (s.rows() == 0) {
        empty.add(s.partition());
      }
    }
    if (!empty.isEmpty()) {
      throw new IllegalArgumentException("partition" + (empty.size() == 1 ? " " : "s ")
          + empty + " of " + summaries.size() + " hold" + (empty.size() == 1 ? "s" : "")
          + " no rows: every partition must hold rows (repartition the data to fewer partitions"
          + " than rows, or coalesce it)");
    }
    int features = summaries.get(0).maxFeatures();
    for (Summary s : summaries) {
      if (s.minFeatures() != features || s.maxFeatures() != features) {
        throw new IllegalArgumentException("rows differ in length: row " + s.shortRow()
            + " (partition " + s.partition() + ") has " + s.minFeatures()
            + " features, others have " + Math.max(features, s.maxFeatures()));
      }
    }
    return features;
  }

  /**
   * How many rows there are; ids run from 0 to {@code size() - 1}.
   *
   * @return the number of rows
   */
  public long size() {
    return size;
  }

  /**
   * How many features every row has.
   *
   * @return the rows' length
   */
  public int features() {
    return features;
  }

  /**
   * The mean loss over the rows {@code batch} (ids, in minibatch order; an id given twice counts
   * twice) at {@code parameters}; writes its gradient into {@code gradient}, overwriting it.
   *
   * @param parameters the parameters, broadcast to the executors
   * @param batch the minibatch's row ids, at least one
   * @param gradient rows shaped as {@link BatchLoss#rows} lists a buffer's
   * @return the mean loss over the minibatch
   * @throws IllegalArgumentException if an id is out of range, or the parameters do not fit the
   *     rows (naming the row)
   * @throws IllegalStateException if the loss failed on a partition (naming it and its rows)
   */
  public double compute(P parameters, int[] batch, double[][] gradient) {
    if (batch.length == 0) {
      throw new IllegalArgumentException("a minibatch needs at least one row");
    }
    for (int k = 0; k < batch.length; k++) {
      if (batch[k] < 0 || batch[k] >= size) {
        throw new IllegalArgumentException("minibatch entry " + k + " is row " + batch[k]
            + ", but the rows are 0 to " + (size - 1));
      }
    }
    int expected = loss.features(parameters);
    if (expected != features) {
      throw new IllegalArgumentException("the rows have " + features + " features but the"
          + " parameters take " + expected + " (" + loss.featuresFrom(parameters) + ")");
    }
    // one broadcast a step, of the parameters with the minibatch (each broadcast costs ~4 ms
    // in local mode)
    Broadcast<Step<P>> step = context.broadcast(new Step<>(parameters, batch));
    BatchLoss<P, B> l = loss;
    Partial total;
    try {
      total = blocks.map(b -> part(b, l, step.value().parameters(), step.value().batch()))
          .treeAggregate(new Partial(), Partial::add, Partial::add, depth);
    } finally {
      step.destroy();
    }
    if (!total.errors.isEmpty()) {
      String listed = String.join("; ", total.errors.subList(0,
          Math.min(LISTED, total.errors.size())));
      if (total.labelErrors) {
        throw new IllegalArgumentException(listed);
      }
      throw new IllegalStateException("the loss failed: " + listed);
    }
    if (total.rows != batch.length || total.gradient == null) {
      throw new IllegalStateException("the partitions returned " + total.rows
          + " rows for a minibatch of " + batch.length);
    }
    if (gradient.length != total.gradient.length) {
      throw new IllegalArgumentException("the gradient has " + gradient.length
          + " rows but the loss's buffer " + total.gradient.length);
    }
    for (int r = 0; r < gradient.length; r++) {
      double[] into = gradient[r];
      double[] sum = total.gradient[r];
      if (into.length != sum.length) {
        throw new IllegalArgumentException("gradient row " + r + " has " + into.length
            + " entries but the loss's buffer " + sum.length);
      }
      for (int c = 0; c < into.length; c++) {
        into[c] = sum[c] / batch.length;
      }
    }
    return total.loss / batch.length;
  }

  /** One partition's share of a step: its minibatch rows' row-weighted gradient sum. */
  private static <P, B> Partial part(Block block, BatchLoss<P, B> loss, P parameters,
      int[] batch) {
    Partial out = new Partial();
    long first = block.first();
    long end = first + block.x().length;
    int[] local = new int[batch.length];
    int m = 0;
    for (int id : batch) {
      if (id >= first && id < end) {
        local[m++] = (int) (id - first);
      }
    }
    if (m == 0) {
      return out;
    }
    int classes = loss.classes(parameters);
    for (int k = 0; k < m; k++) {
      int label = block.y()[local[k]];
      if (label < 0 || label >= classes) {
        out.labelErrors = true;
        out.errors.add("row " + (first + local[k]) + " (partition " + block.partition()
            + ") has label " + label + ", outside [0, " + classes + ")");
      }
    }
    if (!out.errors.isEmpty()) {
      return out;
    }
    B buffer = loss.newBuffer(parameters);
    double[][] rows = loss.rows(buffer);
    for (int from = 0; from < m; from += CHUNK) {
      int n = Math.min(CHUNK, m - from);
      double[][] x = new double[n][];
      int[] y = new int[n];
      for (int k = 0; k < n; k++) {
        x[k] = block.x()[local[from + k]];
        y[k] = block.y()[local[from + k]];
      }
      double value;
      try {
        value = loss.loss(parameters, x, y, buffer);
      } catch (RuntimeException e) {
        out.errors.add("partition " + block.partition() + ", on its minibatch rows " + from
            + " to " + (from + n - 1) + " (row ids " + (first + local[from]) + ", ...): " + e);
        return out;
      }
      out.addWeighted(n, value, rows);
    }
    return out;
  }

  /** A sum over partitions; the zero has no gradient rows yet. */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    long rows;
    double loss;
    double[][] gradient;
    final List<String> errors = new ArrayList<>();
    boolean labelErrors;

    void addWeighted(int n, double value, double[][] g) {
      if (gradient == null) {
        gradient = new double[g.length][];
        for (int r = 0; r < g.length; r++) {
          gradient[r] = new double[g[r].length];
        }
      }
      for (int r = 0; r < g.length; r++) {
        double[] into = gradient[r];
        double[] from = g[r];
        for (int c = 0; c < from.length; c++) {
          into[c] += n * from[c];
        }
      }
      rows += n;
      loss += n * value;
    }

    static Partial add(Partial a, Partial b) {
      if (b.gradient != null) {
        a.addSummed(b);
      }
      a.errors.addAll(b.errors);
      a.labelErrors |= b.labelErrors;
      return a;
    }

    private void addSummed(Partial b) {
      if (gradient == null) {
        gradient = b.gradient;
      } else {
        for (int r = 0; r < gradient.length; r++) {
          for (int c = 0; c < gradient[r].length; c++) {
            gradient[r][c] += b.gradient[r][c];
          }
        }
      }
      rows += b.rows;
      loss += b.loss;
    }
  }

  /** Drops the cached blocks. */
  @Override
  public void close() {
    blocks.unpersist(false);
  }
}
