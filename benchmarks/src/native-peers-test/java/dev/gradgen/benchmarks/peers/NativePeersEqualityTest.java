package dev.gradgen.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import dev.gradgen.benchmarks.Data;
import dev.gradgen.benchmarks.LinearMseGrad;
import dev.gradgen.benchmarks.MlpBenchmark;
import dev.gradgen.benchmarks.MlpLossGrad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The native peers compute what gradgen's generated gradients compute: on the benchmarks' own
 * inputs, the loss and every parameter's gradient of each peer (TensorFlow Java, DJL on PyTorch;
 * with and without the copies) agree with {@code LinearMseGrad} and {@code MlpLossGrad} to a
 * relative 1e-9 per entry. Also checks the settings of {@link NativePeers}: one PyTorch thread
 * per pool, native caches under the build directory. Runs only in the {@code native-peers}
 * profile.
 */
class NativePeersEqualityTest {
  private static final double RTOL = 1e-9;

  private static void assertClose(double expected, double actual, String what) {
    double scale = Math.max(Math.abs(expected), Math.abs(actual));
    if (!(Math.abs(expected - actual) <= RTOL * scale)) {
      fail(what + ": expected " + expected + " but was " + actual
          + " (relative difference " + Math.abs(expected - actual) / scale + ")");
    }
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], what + "[" + i + "]");
    }
  }

  private static void assertClose(double[][] expected, double[][] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], what + "[" + i + "]");
    }
  }

  private static Data.Mse mseData() {
    return new Data.Mse(Data.MSE_ROWS, Data.MSE_FEATURES, 42L);
  }

  private static void assertMse(LinearMseGrad.LossGradientBuffer expected, double expectedValue,
      LinearMseGrad.LossGradientBuffer actual, double actualValue, String who) {
    assertClose(expectedValue, actualValue, who + " value");
    assertClose(expected.w, actual.w, who + " dw");
    assertClose(expected.b, actual.b, who + " db");
  }

  private static void assertMlp(MlpLossGrad.LossGradientBuffer expected, double expectedValue,
      MlpLossGrad.LossGradientBuffer actual, double actualValue, String who) {
    assertClose(expectedValue, actualValue, who + " value");
    assertClose(expected.w1, actual.w1, who + " dw1");
    assertClose(expected.b1, actual.b1, who + " db1");
    assertClose(expected.w2, actual.w2, who + " dw2");
    assertClose(expected.b2, actual.b2, who + " db2");
  }

  @Test
  void tensorflowMseMatchesGenerated() {
    Data.Mse d = mseData();
    LinearMseGrad.LossGradientBuffer gen = new LinearMseGrad.LossGradientBuffer(d.w);
    double value = LinearMseGrad.loss(d.w, d.b, d.x, d.y, gen);
    assertTrue(Math.abs(gen.b) > 1e-3, "db is not trivially zero");
    LinearMseGrad.LossGradientBuffer peer = new LinearMseGrad.LossGradientBuffer(d.w);
    try (TensorflowLinearMse tf = new TensorflowLinearMse(d.x, d.y)) {
      assertMse(gen, value, peer, tf.loss(d.w, d.b, peer), "tensorflow");
      // Again on the same buffer and tensors: overwritten, not accumulated.
      assertMse(gen, value, peer, tf.loss(d.w, d.b, peer), "tensorflow, second call");
      assertClose(value, tf.lossNoCopy(), "tensorflow value, no copy");
    }
  }

  @Test
  void djlMseMatchesGenerated() {
    Data.Mse d = mseData();
    LinearMseGrad.LossGradientBuffer gen = new LinearMseGrad.LossGradientBuffer(d.w);
    double value = LinearMseGrad.loss(d.w, d.b, d.x, d.y, gen);
    LinearMseGrad.LossGradientBuffer peer = new LinearMseGrad.LossGradientBuffer(d.w);
    try (DjlLinearMse djl = new DjlLinearMse(d.x, d.y)) {
      assertMse(gen, value, peer, djl.loss(d.w, d.b, peer), "djl");
      assertMse(gen, value, peer, djl.loss(d.w, d.b, peer), "djl, second call");
      djl.load(d.w, d.b);
      for (int call = 1; call <= 3; call++) {
        // PyTorch accumulates into resident gradients: each call must zero the previous ones.
        double v = djl.lossNoCopy();
        djl.residentGradient(peer);
        assertMse(gen, value, peer, v, "djl, no copy, call " + call);
      }
    }
  }

  @Test
  void tensorflowMlpMatchesGenerated() {
    Data.Mlp d = MlpBenchmark.data();
    MlpLossGrad.LossGradientBuffer gen = new MlpLossGrad.LossGradientBuffer(d.w1, d.b1, d.w2, d.b2);
    double value = MlpLossGrad.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels, gen);
    MlpLossGrad.LossGradientBuffer peer =
        new MlpLossGrad.LossGradientBuffer(d.w1, d.b1, d.w2, d.b2);
    try (TensorflowMlp tf = new TensorflowMlp(d.x, d.labels, Data.MLP_HIDDEN, Data.MLP_CLASSES)) {
      assertMlp(gen, value, peer, tf.loss(d.w1, d.b1, d.w2, d.b2, peer), "tensorflow");
      assertMlp(gen, value, peer, tf.loss(d.w1, d.b1, d.w2, d.b2, peer), "tensorflow, second call");
      assertClose(value, tf.lossNoCopy(), "tensorflow value, no copy");
    }
  }

  @Test
  void djlMlpMatchesGenerated() {
    Data.Mlp d = MlpBenchmark.data();
    MlpLossGrad.LossGradientBuffer gen = new MlpLossGrad.LossGradientBuffer(d.w1, d.b1, d.w2, d.b2);
    double value = MlpLossGrad.loss(d.w1, d.b1, d.w2, d.b2, d.x, d.labels, gen);
    MlpLossGrad.LossGradientBuffer peer =
        new MlpLossGrad.LossGradientBuffer(d.w1, d.b1, d.w2, d.b2);
    try (DjlMlp djl = new DjlMlp(d.x, d.labels)) {
      assertMlp(gen, value, peer, djl.loss(d.w1, d.b1, d.w2, d.b2, peer), "djl");
      assertMlp(gen, value, peer, djl.loss(d.w1, d.b1, d.w2, d.b2, peer), "djl, second call");
      djl.load(d.w1, d.b1, d.w2, d.b2);
      for (int call = 1; call <= 3; call++) {
        double v = djl.lossNoCopy();
        djl.residentGradient(peer);
        assertMlp(gen, value, peer, v, "djl, no copy, call " + call);
      }
    }
  }

  @Test
  void pytorchRunsOnOneThreadFromTheBuildDirectory() throws IOException {
    Data.Mse d = mseData();
    try (DjlLinearMse djl = new DjlLinearMse(d.x, d.y)) {
      assertEquals(1, JniUtils.getNumThreads(), "PyTorch intra-op threads");
      assertEquals(1, JniUtils.getNumInteropThreads(), "PyTorch inter-op threads");
      Path cache = NativePeers.cacheRoot();
      assertTrue(Paths.get(LibUtils.getLibtorchPath()).startsWith(cache.resolve("engine")),
          "libtorch extracted under " + cache + ", not " + LibUtils.getLibtorchPath());
    }
  }

  @Test
  void tensorflowExtractsIntoTheBuildDirectory() throws IOException {
    Data.Mse d = mseData();
    try (TensorflowLinearMse tf = new TensorflowLinearMse(d.x, d.y)) {
      Path javacpp = NativePeers.cacheRoot().resolve("javacpp");
      try (Stream<Path> files = Files.walk(javacpp)) {
        assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("libtensorflow_cc")),
            "libtensorflow_cc extracted under " + javacpp);
      }
      assertEquals(1, NativePeers.tensorflowConfig().getIntraOpParallelismThreads());
      assertEquals(1, NativePeers.tensorflowConfig().getInterOpParallelismThreads());
    }
  }
}
