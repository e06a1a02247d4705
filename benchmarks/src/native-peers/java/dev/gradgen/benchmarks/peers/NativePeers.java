package dev.gradgen.benchmarks.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Settings shared by the native peers (TensorFlow Java and DJL on PyTorch), applied as system
 * properties before either library loads its native code.
 *
 * <ul>
 *   <li>One thread each, so that they compete with gradgen's single-threaded Java on equal terms:
 *       DJL reads {@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads}
 *       when its engine starts (PyTorch's intra-op and inter-op pools); TensorFlow's pools are set
 *       per session, see {@link #tensorflowConfig()}.
 *   <li>No network: {@code ai.djl.offline=true} makes DJL use the PyTorch libraries of the
 *       {@code pytorch-native-cpu} jar on the class path instead of downloading any.
 *   <li>Native caches under the build directory, not the home directory: DJL extracts PyTorch to
 *       {@code ENGINE_CACHE_DIR} (and keeps other state in {@code DJL_CACHE_DIR}); JavaCPP, which
 *       loads TensorFlow, extracts to {@code org.bytedeco.javacpp.cachedir}. All three default to
 *       {@code native-cache/} next to the directory or jar these classes were loaded from, i.e.
 *       {@code benchmarks/target/native-peers/native-cache/}.
 * </ul>
 *
 * <p>A property already set (with {@code -D}) is left alone. The benchmarks also pass the thread
 * and offline settings as JMH fork arguments, so they show in JMH's "VM options" line.
 */
public final class NativePeers {
  private NativePeers() {}

  /** Threads per pool for both peers. */
  public static final int THREADS = 1;

  private static boolean configured;

  /** Applies the settings above; idempotent. Call before touching any TensorFlow or DJL class. */
  public static synchronized void configure() {
    if (configured) {
      return;
    }
    Path cache = cacheRoot();
    setDefault("ai.djl.offline", "true");
    setDefault("ai.djl.pytorch.num_threads", Integer.toString(THREADS));
    setDefault("ai.djl.pytorch.num_interop_threads", Integer.toString(THREADS));
    setDefault("DJL_CACHE_DIR", cache.resolve("djl").toString());
    setDefault("ENGINE_CACHE_DIR", cache.resolve("engine").toString());
    setDefault("org.bytedeco.javacpp.cachedir", cache.resolve("javacpp").toString());
    configured = true;
  }

  /**
   * The session configuration of the TensorFlow peers: one intra-op and one inter-op thread,
   * both private to the session. The session runs the graph on its inter-op thread while the
   * calling thread waits (seen in /proc: one busy TensorFlow thread besides the caller, the two
   * together under one core). A negative inter-op count, documented as "run in the caller's
   * thread", made two TensorFlow threads busy instead, so it is not used.
   */
  public static org.tensorflow.proto.ConfigProto tensorflowConfig() {
    return org.tensorflow.proto.ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(THREADS)
        .setInterOpParallelismThreads(THREADS)
        .setUsePerSessionThreads(true)
        .build();
  }

  /** {@code native-cache/} beside the class directory or jar this class was loaded from. */
  static Path cacheRoot() {
    try {
      Path location = Paths.get(
          NativePeers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = location.toAbsolutePath().getParent().resolve("native-cache");
      Files.createDirectories(root);
      return root;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the benchmarks' class path entry", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
