package dev.gradgen.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Data-parallel gradients of a mean loss over a minibatch: the rows are split into one contiguous
 * shard per thread, each thread computes the generated gradient of its shard into a gradient
 * buffer of its own, and the shard gradients are then summed into the caller's buffer, each
 * weighted by its share of the rows ({@code n_t / n}, because the loss is a mean over rows).
 *
 * <p>The calling thread computes the first shard, directly into the caller's buffer; {@code
 * threads - 1} daemon worker threads of a fixed pool compute the others. With one thread (or
 * fewer rows than threads) the whole minibatch is computed on the calling thread into the
 * caller's buffer, exactly as without this class.
 *
 * <p>Works with any generated gradient buffer type {@code B}: the constructor takes a supplier
 * of fresh buffers (one per worker) and a function listing a buffer's gradient arrays as rows
 * ({@code double[]}s, e.g. every row of a {@code double[][]} gradient followed by a {@code
 * double[]} one), which must give the same shapes, in the same order, for every buffer. Gradient
 * buffers of gradgen are overwritten in place, so each buffer's rows are looked up once.
 *
 * <p>Only array gradients are combined: a buffer's {@code double} gradients (a bias {@code b})
 * are not rows, so in the caller's buffer they keep the value of the calling thread's shard. Give
 * such a parameter a one-entry array, or compute it on one thread.
 *
 * <p>A {@code ParallelGradient} is used by one caller thread at a time. Close it to stop the
 * workers.
 *
 * <pre>{@code
 * try (ParallelGradient<MlpGrad.LossGradientBuffer> parallel = new ParallelGradient<>(threads,
 *     () -> new MlpGrad.LossGradientBuffer(w1, b1, w2, b2),
 *     g -> ParallelGradient.rows(g.w1(), g.b1(), g.w2(), g.b2()))) {
 *   double loss = parallel.compute(rows, (shard, from, to, buffer) ->
 *       MlpGrad.loss(w1, b1, w2, b2, xShard[shard], yShard[shard], l2, buffer), grad);
 * }
 * }</pre>
 *
 * @param <B> the generated gradient buffer type, e.g. {@code MlpGrad.LossGradientBuffer}
 */
public final class ParallelGradient<B> implements AutoCloseable {
  /** The gradient of the mean loss over a range of the minibatch's rows. */
  @FunctionalInterface
  public interface Shard<B> {
    /**
     * Writes into {@code buffer} (overwriting it) the gradient of the mean loss over the rows
     * {@code from} (inclusive) to {@code to} (exclusive) of the current minibatch, and returns
     * that mean loss. {@code shard} numbers the ranges from 0 (the range of the calling thread)
     * in row order; {@code from = bound(n, shards, shard)}, {@code to = bound(n, shards, shard +
     * 1)} with {@code shards = min(threads, n)}. Called concurrently for disjoint ranges with
     * distinct buffers.
     *
     * @param shard the range's number, 0 for the calling thread's
     * @param from the range's first row
     * @param to the row after the range's last
     * @param buffer where to write the range's gradient
     * @return the mean loss over the range
     */
    double compute(int shard, int from, int to, B buffer);
  }

  private final int threads;
  private final Function<B, double[][]> rowsOf;
  private final ExecutorService pool;
  /** Index t holds worker t's buffer and its rows; index 0 (the caller's) is unused. */
  private final List<B> buffers = new ArrayList<>();
  private final double[][][] bufferRows;
  private final Runnable[] tasks;
  private final Future<?>[] futures;
  private final double[] values;
  private final int[] from;
  private final int[] to;

  private B lastTarget;
  private double[][] lastTargetRows;
  private Shard<B> shard;

  /**
   * Starts {@code threads - 1} worker threads, each with a buffer of its own.
   *
   * @param threads number of threads computing shards, counting the caller (at least 1)
   * @param newBuffer makes a gradient buffer shaped like the parameters (called {@code threads -
   *     1} times, here)
   * @param rowsOf lists a buffer's gradient arrays, as rows
   */
  public ParallelGradient(int threads, Supplier<B> newBuffer, Function<B, double[][]> rowsOf) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    this.threads = threads;
    this.rowsOf = rowsOf;
    this.bufferRows = new double[threads][][];
    this.tasks = new Runnable[threads];
    this.futures = new Future<?>[threads];
    this.values = new double[threads];
    this.from = new int[threads];
    this.to = new int[threads];
    buffers.add(null);
    for (int t = 1; t < threads; t++) {
      B buffer = newBuffer.get();
      buffers.add(buffer);
      bufferRows[t] = rowsOf.apply(buffer);
      int shardIndex = t;
      tasks[t] = () -> values[shardIndex] = shard.compute(shardIndex, from[shardIndex],
          to[shardIndex], buffers.get(shardIndex));
    }
    if (threads == 1) {
      pool = null;
    } else {
      ThreadFactory factory = runnable -> {
        Thread thread = new Thread(runnable, "gradgen-parallel-gradient");
        thread.setDaemon(true);
        return thread;
      };
      pool = Executors.newFixedThreadPool(threads - 1, factory);
    }
  }

  /**
   * The number of threads, counting the caller.
   *
   * @return the number given to the constructor
   */
  public int threads() {
    return threads;
  }

  /**
   * Computes the gradient of the mean loss over all {@code n} rows of the current minibatch into
   * {@code target} (overwriting it) and returns that mean loss. {@code shard} reads the minibatch
   * from wherever the caller keeps it.
   *
   * @param n the number of rows in the minibatch, at least 1
   * @param shard computes a range's gradient
   * @param target the buffer the whole minibatch's gradient is written into
   * @return the mean loss over the minibatch
   */
  public double compute(int n, Shard<B> shard, B target) {
    if (n < 1) {
      throw new IllegalArgumentException("a minibatch needs at least one row, not " + n);
    }
    int used = Math.min(threads, n);
    if (used == 1) {
      return shard.compute(0, 0, n, target);
    }
    if (target != lastTarget) {
      lastTargetRows = rowsOf.apply(target);
      lastTarget = target;
    }
    for (int t = 0; t < used; t++) {
      from[t] = bound(n, used, t);
      to[t] = bound(n, used, t + 1);
    }
    this.shard = shard;
    // Submitting happens-before the task runs, and the task happens-before get() returns, so
    // the workers see the fields set above and the caller sees what they wrote.
    for (int t = 1; t < used; t++) {
      futures[t] = pool.submit(tasks[t]);
    }
    Throwable failure = null;
    try {
      values[0] = shard.compute(0, from[0], to[0], target);
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (int t = 1; t < used; t++) {
      try {
        futures[t].get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (failure == null) {
          failure = e;
        }
      }
      futures[t] = null;
    }
    this.shard = null;
    if (failure != null) {
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException("parallel gradient interrupted", failure);
    }

    double value = (double) (to[0] - from[0]) / n * values[0];
    double[][] targetRows = lastTargetRows;
    for (int t = 1; t < used; t++) {
      value += (double) (to[t] - from[t]) / n * values[t];
    }
    double weight0 = (double) (to[0] - from[0]) / n;
    for (int r = 0; r < targetRows.length; r++) {
      double[] sum = targetRows[r];
      for (int j = 0; j < sum.length; j++) {
        sum[j] *= weight0;
      }
      for (int t = 1; t < used; t++) {
        double weight = (double) (to[t] - from[t]) / n;
        double[] part = bufferRows[t][r];
        for (int j = 0; j < sum.length; j++) {
          sum[j] += weight * part[j];
        }
      }
    }
    return value;
  }

  /**
   * Where shard {@code shard} of {@code shards} starts in a minibatch of {@code n} rows (and
   * shard {@code shard - 1} ends): {@code floor(n * shard / shards)}, so shard sizes differ by at
   * most one.
   *
   * @param n the number of rows
   * @param shards the number of shards
   * @param shard the shard, from 0 to {@code shards} (inclusive: its bound is {@code n})
   * @return the first row of the shard
   */
  public static int bound(int n, int shards, int shard) {
    return (int) ((long) n * shard / shards);
  }

  /** Stops the worker threads. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /**
   * The rows of a list of gradient arrays, in order: each {@code double[][]} contributes its rows,
   * each {@code double[]} itself. A helper for the {@code rowsOf} argument.
   *
   * @param arrays {@code double[]} and {@code double[][]} arrays
   * @return their rows
   */
  public static double[][] rows(Object... arrays) {
    List<double[]> rows = new ArrayList<>();
    for (Object array : arrays) {
      if (array instanceof double[][] matrix) {
        for (double[] row : matrix) {
          rows.add(row);
        }
      } else if (array instanceof double[] vector) {
        rows.add(vector);
      } else {
        throw new IllegalArgumentException("not a double[] or double[][]: " + array);
      }
    }
    return rows.toArray(new double[0][]);
  }
}
