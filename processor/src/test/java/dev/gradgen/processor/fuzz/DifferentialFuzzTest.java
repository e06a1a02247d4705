package dev.gradgen.processor.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import dev.gradgen.processor.read.Census;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential fuzzing of the generated gradients (issue 3): a seeded generator writes random
 * {@code @Differentiable} methods over the whole supported subset, gradgen differentiates them,
 * and every gradient is compared with forward-mode dual numbers computed by a twin of the same
 * program over {@link D}. Every batch must also compile with {@code -Xlint:all,-processing
 * -Werror} and give byte-identical generated sources when compiled twice.
 *
 * <p>CI runs 2,000 methods. Long run (reproducible; change the seed for new programs):
 *
 * <pre>
 * mvn -B -q install -DskipTests -pl runtime,processor
 * mvn -B -pl processor test -Dtest=DifferentialFuzzTest -Dgradgen.fuzz.count=50000 \
 *     -Dgradgen.fuzz.seed=12345
 * </pre>
 *
 * <p>{@code -Dgradgen.fuzz.dump=DIR} also writes every generated class and its dual twin to DIR, one folder per compiled batch.
 *
 * <p>A failure prints the class seed, a reproducing command line, the failing method's source
 * with the methods it calls, the inputs, and the first differing gradient entry.
 */
class DifferentialFuzzTest {
  static final int PER_CLASS = 100;
  static final int CLASSES_PER_COMPILATION = 5;
  /** How many failures are printed in full. */
  static final int PRINTED = 15;

  @TempDir
  Path temp;

  @Test
  void generatedGradientsMatchDualNumbers() throws Exception {
    int count = Integer.getInteger("gradgen.fuzz.count", 2000);
    long seed = Long.getLong("gradgen.fuzz.seed", 20240601L);
    FuzzHarness h = new FuzzHarness(temp);
    long t0 = System.nanoTime();
    h.run(seed, count, PER_CLASS, CLASSES_PER_COMPILATION);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("DifferentialFuzzTest: base seed %d, %d methods, %.1f s%n", seed, count,
        seconds);
    System.out.print(h.stats.render());
    System.out.print(coverageTable(h.stats));
    List<FuzzHarness.Failure> failures = h.failures;
    if (!failures.isEmpty()) {
      StringBuilder b = new StringBuilder();
      b.append(failures.size()).append(" failure(s) (base seed ").append(seed).append(")\n");
      java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
      for (FuzzHarness.Failure f : failures) {
        kinds.merge(f.kind(), 1, Integer::sum);
      }
      b.append("by kind: ").append(kinds).append("\n\n");
      for (int i = 0; i < Math.min(PRINTED, failures.size()); i++) {
        b.append(failures.get(i).render()).append('\n');
      }
      System.out.println(b);
      fail(b.toString());
    }
    // The generator and the reader must not drift apart: everything the reader accepts occurs.
    List<String> missing = new java.util.ArrayList<>();
    for (String construct : Census.all()) {
      if (h.stats.census.counts().getOrDefault(construct, 0) == 0) {
        missing.add(construct);
      }
    }
    // And issue 14's mechanisms must be exercised (not every short run reaches each).
    if (count >= 1000) {
      for (String mechanism : FuzzHarness.MECHANISMS.keySet()) {
        if (h.stats.mechanisms.getOrDefault(mechanism, 0) == 0) {
          missing.add("mechanism: " + mechanism);
        }
      }
      // the neighbours' bound, i + 1 < a.length, which LoopShape drives back from a.length - 1
      if (h.stats.byConstruct.getOrDefault("element-sweep, i + 1 < a.length", 0) == 0) {
        missing.add("an element sweep with the neighbours' bound i + 1 < a.length");
      }
      // the Jacobian's record and buffer forms are checked on vector twins only
      if (h.stats.vectorTwins == 0) {
        missing.add("a checked vector twin (Jacobian record and buffer forms)");
      }
    }
    if (!missing.isEmpty()) {
      fail(missing.size() + " construct(s) the reader accepts never occurred in " + count
          + " generated programs: " + missing);
    }
  }

  /** What the reader accepted per 1,000 programs, construct by construct. */
  static String coverageTable(FuzzHarness.Stats stats) {
    StringBuilder b = new StringBuilder("constructs accepted by the reader, per 1,000 programs:\n");
    Map<String, Integer> counts = stats.census.counts();
    for (String construct : Census.all()) {
      b.append(String.format(java.util.Locale.ROOT, "  %-40s %10.1f%n", construct,
          1000.0 * counts.getOrDefault(construct, 0) / Math.max(1, stats.programs)));
    }
    return b.toString();
  }
}
