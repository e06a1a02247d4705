package dev.gradgen.gradbench.evals;

import dev.gradgen.Differentiable;
import dev.gradgen.NoGrad;

/**
 * GradBench's {@code lstm} eval, which is ADBench's LSTM objective ({@code lstm_objective} in
 * ADBench's C++, and in GradBench's reference {@code lstm.hpp}): a stack of LSTM layers with
 * element-wise (diagonal) weights predicts each next character of a one-hot-like sequence; the loss
 * is the mean cross-entropy against a log-softmax whose normaliser has ADBench's extra {@code + 2}.
 *
 * <p>{@code mainParams[2 * layer]} holds the layer's weights for the forget, input, output and
 * change gates ({@code 4 b} values, gate-major), {@code mainParams[2 * layer + 1]} its biases;
 * {@code extraParams} is input weight, output weight and output bias; {@code state[2 * layer]} and
 * {@code state[2 * layer + 1]} are the layer's initial hidden and cell states.
 */
public final class Lstm {
  private Lstm() {}

  /**
   * The logistic function.
   *
   * @param x a number
   * @return {@code 1 / (1 + exp(-x))}
   */
  @Differentiable
  public static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /**
   * The loss of predicting each next character of {@code sequence}.
   *
   * @param mainParams the layers' weights and biases, two rows per layer
   * @param extraParams input weight, output weight and output bias
   * @param state the layers' initial hidden and cell states, two rows per layer
   * @param sequence the characters, one row of bits each
   * @return the mean cross-entropy
   */
  @Differentiable
  public static double objective(double[][] mainParams, double[][] extraParams,
      @NoGrad double[][] state, @NoGrad double[][] sequence) {
    int layers = state.length / 2;
    int b = sequence[0].length;
    int c = sequence.length;

    // The state evolves: copy it (parameter arrays are read-only).
    double[][] s = new double[2 * layers][b];
    for (int r = 0; r < 2 * layers; r++) {
      for (int i = 0; i < b; i++) {
        s[r][i] = state[r][i];
      }
    }
    double[] input = new double[b];
    double[] ypred = new double[b];
    double total = 0;
    int count = 0;
    for (int t = 0; t < c - 1; t++) {
      for (int i = 0; i < b; i++) {
        input[i] = sequence[t][i] * extraParams[0][i];
      }
      for (int layer = 0; layer < layers; layer++) {
        int w = 2 * layer;
        int h = 2 * layer;
        for (int i = 0; i < b; i++) {
          // the layer's input: the scaled character, or the hidden state of the layer below
          double in = layer == 0 ? input[i] : s[h - 2][i];
          double forget = sigmoid(in * mainParams[w][i] + mainParams[w + 1][i]);
          double ingate = sigmoid(s[h][i] * mainParams[w][b + i] + mainParams[w + 1][b + i]);
          double outgate = sigmoid(in * mainParams[w][2 * b + i] + mainParams[w + 1][2 * b + i]);
          double change = Math.tanh(s[h][i] * mainParams[w][3 * b + i] + mainParams[w + 1][3 * b + i]);
          s[h + 1][i] = s[h + 1][i] * forget + ingate * change;
          s[h][i] = outgate * Math.tanh(s[h + 1][i]);
        }
      }
      double sumExp = 0;
      for (int i = 0; i < b; i++) {
        ypred[i] = s[2 * layers - 2][i] * extraParams[1][i] + extraParams[2][i];
        sumExp += Math.exp(ypred[i]);
      }
      double lse = Math.log(sumExp + 2);
      for (int i = 0; i < b; i++) {
        total += sequence[t + 1][i] * (ypred[i] - lse);
      }
      count += b;
    }
    return -total / count;
  }
}
