package dev.gradgen.gradbench;

import com.fasterxml.jackson.databind.JsonNode;

/** One function of a module: reads its input once, then runs as often as it is timed. */
@FunctionalInterface
public interface Function {
  /**
   * Reads the input (not timed) and returns the computation to time.
   *
   * @param input the evaluate message's input
   * @return the computation; each call computes the output from the read input afresh
   * @throws BadInput if the input has the wrong shape
   */
  Run prepare(JsonNode input);

  /** The timed computation. */
  @FunctionalInterface
  interface Run {
    /**
     * Computes the function's output.
     *
     * @return the output, as Jackson serialises it (a {@code Double}, arrays, a map)
     */
    Object run();
  }

  /**
   * An output that GradBench is sent in another form than its fields, for instance a few entries
   * of a large matrix. The tool converts it after the runs, untimed.
   */
  interface Reported {
    /**
     * What GradBench is sent.
     *
     * @return the output, as Jackson serialises it
     */
    Object reported();
  }
}
