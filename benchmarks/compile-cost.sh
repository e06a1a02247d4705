#!/usr/bin/env bash
# Measures what the gradgen annotation processor adds to compile time (issue 6).
#
#   benchmarks/compile-cost.sh [-n N] [-w W] [-m samples|benchmarks|all] [--build] [--keep]
#
#   -n N      measured repetitions per variant, cold and warm (default 5)
#   -w W      warm-up rounds before the warm measurements (default 4)
#   -m MOD    module(s) to measure: samples, benchmarks or all (default all)
#   --build   run mvn -B -q -DskipTests install first (done anyway if the processor jar is missing)
#   --keep    keep the scratch directory (outputs, argfiles, javac logs) and print its path
#
# Per module, javac compiles the module's main sources (src/main/java) two ways:
#   (a) with the processor: the processor jar and its runtime dependencies on -processorpath,
#       as annotationProcessorPaths does in a user's build; it writes the *Grad.java files and
#       compiles them in a second round;
#   (b) without: -proc:none over the same sources plus the *Grad.java files that (a) generated,
#       as ordinary sources. Same output, so (a) - (b) is the processor's own work (reading,
#       differentiating, printing) plus javac's extra processing round.
# The user code alone cannot be compiled without the generated classes (the samples call them),
# so instead the table gives the number of @Differentiable methods, the generated lines and the
# processor time per method.
# Cold: a new javac process per compilation, like a command-line build (JVM start included,
# identical in (a) and (b)). Warm: javax.tools compilations in one JVM after W warm-up rounds,
# the processor loaded once (as an IDE or a build daemon keeps it); also reports the time spent
# inside the processor's process() calls. (a) and (b) alternate, to spread drift and noise.
# benchmarks: JMH's annotation processor is OFF in both variants (not on (a)'s processor path,
# -proc:none in (b)), so the jmh_generated harness classes are not compiled in either.
# Options as the modules' poms set them: --release 17, -encoding UTF-8, -g, and for samples
# -Xlint:all,-processing -Werror. gradgen's processor has no -A options.
set -euo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
root="$(dirname "$(dirname "$self")")"
cd "$root"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$self"; }

reps=5 warmup=4 which=all build=0 keep=0
while (($#)); do
  case "$1" in
    -n) reps="$2"; shift ;;
    -w) warmup="$2"; shift ;;
    -m) which="$2"; shift ;;
    --build) build=1 ;;
    --keep) keep=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (try -h)" >&2; exit 2 ;;
  esac
  shift
done
[[ $reps =~ ^[1-9][0-9]*$ && $warmup =~ ^[0-9]+$ ]] || { echo "-n and -w take numbers" >&2; exit 2; }
case "$which" in
  all) modules=(samples benchmarks) ;;
  samples|benchmarks) modules=("$which") ;;
  *) echo "-m takes samples, benchmarks or all" >&2; exit 2 ;;
esac

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

processor_jar() { ls processor/target/gradgen-processor-*.jar 2>/dev/null \
  | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' -e '-tests\.jar$' | head -n 1 || true; }
if [[ $build == 1 || -z "$(processor_jar)" ]]; then
  echo "+ mvn -B -q -DskipTests install" >&2
  mvn -B -q -DskipTests install
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/gradgen-compile-cost.XXXXXX")"
if [[ $keep == 1 ]]; then
  echo "scratch directory: $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
# A private copy, so that a concurrent rebuild cannot swap the jar mid-measurement.
cp "$(processor_jar)" "$work/gradgen-processor.jar"

# Classpaths as Maven computes them: the modules' compile classpath (compile + provided scopes)
# and the processor's runtime dependencies (what annotationProcessorPaths resolves with it).
classpaths() { # scope module... -> lines "artifactId<TAB>classpath"
  local scope="$1"; shift
  local pl; pl="$(IFS=,; echo "$*")"
  mvn -B -Dstyle.color=never -pl "$pl" dependency:build-classpath -DincludeScope="$scope" \
    > "$work/mvn-$scope.log" 2>&1 || { cat "$work/mvn-$scope.log" >&2; exit 1; }
  sed 's/\x1b\[[0-9;]*m//g' "$work/mvn-$scope.log" | awk '
    /build-classpath .*@ / { for (i = 1; i <= NF; i++) if ($i == "@") m = $(i + 1) }
    /Dependencies classpath:/ { getline; print m "\t" $0 }'
}
echo "+ mvn dependency:build-classpath (processor, ${modules[*]})" >&2
proc_deps="$(classpaths runtime processor | awk -F'\t' '$1 == "gradgen-processor" { print $2 }')"
module_cps="$(classpaths compile "${modules[@]}")"

for m in "${modules[@]}"; do
  cp_m="$(awk -F'\t' -v a="gradgen-$m" '$1 == a { print $2 }' <<< "$module_cps")"
  [[ -n $cp_m ]] || { echo "no classpath for $m (see $work/mvn-compile.log)" >&2; exit 1; }
  case "$m" in
    samples) extra="-Xlint:all,-processing -Werror" ;;
    *) extra="" ;;
  esac
  {
    echo "name=$m"
    echo "src=$root/$m/src/main/java"
    echo "cp=$cp_m"
    echo "pp=$work/gradgen-processor.jar${proc_deps:+:$proc_deps}"
    echo "extra=$extra"
  } > "$work/$m.conf"
done

confs=()
for m in "${modules[@]}"; do confs+=("$work/$m.conf"); done
echo "+ $java CompileCost.java (cold: $reps x 2 javac processes per module; warm: $warmup + $reps rounds)" >&2
cat > "$work/CompileCost.java" <<'JAVA'
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Cold (javac processes) and warm (javax.tools in this JVM) compile times, with and without gradgen. */
public class CompileCost {
  static final String PROCESSOR = "dev.gradgen.processor.GradgenProcessor";
  static final Pattern DIFFERENTIABLE =
      Pattern.compile("(?m)^\\s*@(?:dev\\.gradgen\\.)?Differentiable\\b");

  record Module(String name, Path src, String cp, String pp, List<String> extra) {}

  record Stats(double median, double min) {
    static Stats of(List<Double> xs) {
      double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = s.length;
      double med = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
      return new Stats(med, s[0]);
    }
  }

  /** Wall and CPU times of one variant, in ms. */
  record Runs(List<Double> wall, List<Double> cpu) {
    Runs() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    Stats wallStats() {
      return Stats.of(wall);
    }

    Stats cpuStats() {
      return Stats.of(cpu);
    }
  }

  record Result(Module m, int sources, long sourceLines, int methods, int gradFiles, long genLines,
      Runs coldA, Runs coldB, Runs warmA, Runs warmB, Stats warmProc, String sanity) {}

  static Path work;
  static int reps;
  static int warmup;
  static double msPerTick;
  static final List<String> raw = new ArrayList<>(List.of("module,mode,variant,run,wall_ms,cpu_ms"));

  public static void main(String[] args) throws Exception {
    work = Path.of(args[0]);
    reps = Integer.parseInt(args[1]);
    warmup = Integer.parseInt(args[2]);
    msPerTick = 1000.0 / Integer.parseInt(args[3]);
    String load0 = loadavg();
    List<Result> results = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      results.add(measure(readConf(Path.of(args[i]))));
    }
    Files.write(work.resolve("times.csv"), raw);
    print(results, load0, loadavg());
  }

  static Module readConf(Path conf) throws IOException {
    Map<String, String> kv = new HashMap<>();
    for (String line : Files.readAllLines(conf)) {
      int eq = line.indexOf('=');
      if (eq > 0) kv.put(line.substring(0, eq), line.substring(eq + 1));
    }
    String extra = kv.getOrDefault("extra", "").trim();
    return new Module(kv.get("name"), Path.of(kv.get("src")), kv.get("cp"), kv.get("pp"),
        extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")));
  }

  static Result measure(Module m) throws Exception {
    System.err.println("[" + m.name() + "] preparing");
    Path dir = work.resolve(m.name());
    List<Path> sources = javaFiles(m.src());
    int methods = 0;
    long sourceLines = 0;
    for (Path p : sources) {
      String text = Files.readString(p);
      Matcher matcher = DIFFERENTIABLE.matcher(text);
      while (matcher.find()) methods++;
      sourceLines += text.lines().count();
    }

    // One untimed run of (a): its generated sources are what (b) compiles as ordinary sources.
    Path gen0 = dir.resolve("generated");
    Path out0 = fresh(dir.resolve("prep-classes"));
    Files.createDirectories(gen0);
    runJavac(m, argsA(m, out0, gen0), sources, dir.resolve("prep"), new Runs());
    List<Path> generated = javaFiles(gen0);
    long genLines = 0;
    for (Path p : generated) genLines += Files.readString(p).lines().count();
    List<Path> sourcesB = new ArrayList<>(sources);
    sourcesB.addAll(generated);

    // Cold: new javac process per compilation, (a) and (b) alternating.
    Runs coldA = new Runs();
    Runs coldB = new Runs();
    Path outA = dir.resolve("a-classes");
    Path outB = dir.resolve("b-classes");
    for (int i = 0; i < reps; i++) {
      System.err.println("[" + m.name() + "] cold " + (i + 1) + "/" + reps);
      for (int k = 0; k < 2; k++) {
        if ((k == 0) == (i % 2 == 0)) {
          Path gen = fresh(dir.resolve("a-generated"));
          runJavac(m, argsA(m, fresh(outA), gen), sources, dir.resolve("a"), coldA);
          log(m, "cold", "a", i, coldA);
        } else {
          runJavac(m, argsB(m, fresh(outB)), sourcesB, dir.resolve("b"), coldB);
          log(m, "cold", "b", i, coldB);
        }
      }
    }
    String sanity = compare(outA, outB);

    // Warm: javax.tools in this JVM; the processor's classes are loaded once.
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    URL[] urls = Arrays.stream(m.pp().split(java.io.File.pathSeparator))
        .filter(s -> !s.isEmpty()).map(s -> {
          try {
            return Path.of(s).toUri().toURL();
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        }).toArray(URL[]::new);
    URLClassLoader loader = new URLClassLoader(urls, CompileCost.class.getClassLoader());
    Constructor<? extends Processor> ctor =
        loader.loadClass(PROCESSOR).asSubclass(Processor.class).getConstructor();
    Runs warmA = new Runs();
    Runs warmB = new Runs();
    List<Double> warmProc = new ArrayList<>();
    for (int i = 0; i < warmup + reps; i++) {
      boolean measured = i >= warmup;
      System.err.println("[" + m.name() + "] warm " + (measured
          ? "run " + (i - warmup + 1) + "/" + reps : "warm-up " + (i + 1) + "/" + warmup));
      for (int k = 0; k < 2; k++) {
        if ((k == 0) == (i % 2 == 0)) {
          Timed p = new Timed(ctor.newInstance());
          Path gen = fresh(dir.resolve("w-generated"));
          Runs into = measured ? warmA : new Runs();
          compileInProcess(javac, m, optsA(m, fresh(outA), gen), sources, p, into);
          log(m, measured ? "warm" : "warm-up", "a", i, into);
          if (measured) warmProc.add(p.nanos / 1e6);
        } else {
          Runs into = measured ? warmB : new Runs();
          compileInProcess(javac, m, optsB(m, fresh(outB)), sourcesB, null, into);
          log(m, measured ? "warm" : "warm-up", "b", i, into);
        }
      }
    }
    String warmSanity = compare(outA, outB);
    if (!warmSanity.equals(sanity)) sanity += "; warm: " + warmSanity;
    loader.close();

    return new Result(m, sources.size(), sourceLines, methods,
        (int) generated.stream().filter(p -> p.getFileName().toString().endsWith("Grad.java"))
            .count(),
        genLines, coldA, coldB, warmA, warmB, Stats.of(warmProc), sanity);
  }

  static List<String> common(Module m, Path out) {
    List<String> o = new ArrayList<>(List.of("-d", out.toString(), "-classpath", m.cp(), "-g",
        "--release", "17", "-encoding", "UTF-8"));
    o.addAll(m.extra());
    return o;
  }

  static List<String> argsA(Module m, Path out, Path gen) {
    List<String> o = common(m, out);
    o.addAll(List.of("-processorpath", m.pp(), "-s", gen.toString()));
    return o;
  }

  static List<String> optsA(Module m, Path out, Path gen) { // processor instance given separately
    List<String> o = common(m, out);
    o.addAll(List.of("-s", gen.toString()));
    return o;
  }

  static List<String> argsB(Module m, Path out) {
    List<String> o = common(m, out);
    o.add("-proc:none");
    return o;
  }

  static List<String> optsB(Module m, Path out) {
    return argsB(m, out);
  }

  static void log(Module m, String mode, String variant, int run, Runs r) {
    int last = r.wall().size() - 1;
    raw.add(String.join(",", m.name(), mode, variant, Integer.toString(run),
        String.format(Locale.ROOT, "%.1f", r.wall().get(last)),
        String.format(Locale.ROOT, "%.1f", r.cpu().get(last))));
  }

  /** CPU time (user + sys) of this JVM's waited-for children, from /proc/self/stat, in ms. */
  static double childCpuMs() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * msPerTick; // cutime, cstime
  }

  static double processCpuMs() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
        / 1e6;
  }

  /** Runs a javac process on an argfile; adds its wall and CPU time (ms) to {@code into}. */
  static void runJavac(Module m, List<String> opts, List<Path> sources, Path base, Runs into)
      throws Exception {
    Path argfile = Path.of(base + ".args");
    Path log = Path.of(base + ".log");
    List<String> lines = new ArrayList<>();
    for (String o : opts) lines.add(quote(o));
    for (Path s : sources) lines.add(quote(s.toString()));
    Files.write(argfile, lines);
    String javacExe = Path.of(System.getProperty("java.home"), "bin", "javac").toString();
    ProcessBuilder pb = new ProcessBuilder(javacExe, "@" + argfile).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    double c0 = childCpuMs();
    long t0 = System.nanoTime();
    int rc = pb.start().waitFor();
    long t1 = System.nanoTime();
    double c1 = childCpuMs();
    if (rc != 0) {
      throw new IllegalStateException(m.name() + ": javac failed (exit " + rc + "):\n"
          + Files.readString(log));
    }
    into.wall().add((t1 - t0) / 1e6);
    into.cpu().add(c1 - c0);
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static void compileInProcess(JavaCompiler javac, Module m, List<String> opts,
      List<Path> sources, Processor processor, Runs into) throws IOException {
    StringWriter diag = new StringWriter();
    double c0 = processCpuMs();
    long t0 = System.nanoTime();
    boolean ok;
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, null)) {
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(sources);
      JavaCompiler.CompilationTask task =
          javac.getTask(new PrintWriter(diag), fm, null, opts, null, units);
      if (processor != null) task.setProcessors(List.of(processor));
      ok = task.call();
    }
    long t1 = System.nanoTime();
    double c1 = processCpuMs();
    if (!ok) throw new IllegalStateException(m.name() + ": in-process javac failed:\n" + diag);
    into.wall().add((t1 - t0) / 1e6);
    into.cpu().add(c1 - c0);
  }

  /** Wraps the processor to add up the time javac spends in its init and process calls. */
  static final class Timed implements Processor {
    final Processor p;
    long nanos;

    Timed(Processor p) {
      this.p = p;
    }

    @Override public Set<String> getSupportedOptions() {
      return p.getSupportedOptions();
    }

    @Override public Set<String> getSupportedAnnotationTypes() {
      return p.getSupportedAnnotationTypes();
    }

    @Override public SourceVersion getSupportedSourceVersion() {
      return p.getSupportedSourceVersion();
    }

    @Override public void init(ProcessingEnvironment env) {
      long t0 = System.nanoTime();
      p.init(env);
      nanos += System.nanoTime() - t0;
    }

    @Override public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment r) {
      long t0 = System.nanoTime();
      try {
        return p.process(annotations, r);
      } finally {
        nanos += System.nanoTime() - t0;
      }
    }

    @Override public Iterable<? extends Completion> getCompletions(Element e, AnnotationMirror a,
        ExecutableElement m, String text) {
      return p.getCompletions(e, a, m, text);
    }
  }

  /** Same set of files under both class-output directories? Fails if not. */
  static String compare(Path a, Path b) throws IOException {
    Map<String, Path> fa = files(a);
    Map<String, Path> fb = files(b);
    if (!fa.keySet().equals(fb.keySet())) {
      List<String> onlyA = fa.keySet().stream().filter(k -> !fb.containsKey(k)).toList();
      List<String> onlyB = fb.keySet().stream().filter(k -> !fa.containsKey(k)).toList();
      throw new IllegalStateException("class files differ: only in (a) " + onlyA
          + ", only in (b) " + onlyB);
    }
    int same = 0;
    for (String k : fa.keySet()) {
      if (Arrays.equals(Files.readAllBytes(fa.get(k)), Files.readAllBytes(fb.get(k)))) same++;
    }
    return "same " + fa.size() + " class files (" + same + " byte-identical)";
  }

  static Map<String, Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .collect(Collectors.toMap(p -> dir.relativize(p).toString(), p -> p, (x, y) -> x,
              TreeMap::new));
    }
  }

  static List<Path> javaFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    return Files.createDirectories(dir);
  }

  static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  static void print(List<Result> rs, String load0, String load1) {
    System.out.printf("gradgen compile cost: javac %s (%s), %d cores, load average %s at start, %s"
            + " at end%n", System.getProperty("java.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(), load0, load1);
    System.out.printf("cold = new javac process per compilation, %d runs each; warm = javax.tools"
        + " in one JVM, %d runs each after %d warm-up rounds. Times in ms.%n", reps, reps, warmup);
    System.out.println();
    System.out.printf("%-10s %7s %12s %9s %11s %9s%n", "module", "sources", "source lines",
        "@Diff", "Grad files", "gen lines");
    for (Result r : rs) {
      System.out.printf("%-10s %7d %12d %9d %11d %9d%n", r.m().name(), r.sources(),
          r.sourceLines(), r.methods(), r.gradFiles(), r.genLines());
    }
    System.out.println();
    System.out.println("Wall time, ms");
    System.out.printf("%-10s %-5s %17s %17s %17s %10s%n", "", "",
        "(a) with proc", "(b) -proc:none", "(a) - (b)", "(a)-(b)");
    System.out.printf("%-10s %-5s %8s %8s %8s %8s %8s %8s %10s%n", "module", "runs",
        "median", "min", "median", "min", "median", "min", "per @Diff");
    for (Result r : rs) {
      row(r, "cold", r.coldA().wallStats(), r.coldB().wallStats());
      row(r, "warm", r.warmA().wallStats(), r.warmB().wallStats());
    }
    System.out.println();
    System.out.println("CPU time (user+sys; cold: of the javac process, warm: of this whole JVM"
        + " during the compilation), ms");
    System.out.printf("%-10s %-5s %17s %17s %17s %10s%n", "", "",
        "(a) with proc", "(b) -proc:none", "(a) - (b)", "(a)-(b)");
    System.out.printf("%-10s %-5s %8s %8s %8s %8s %8s %8s %10s%n", "module", "runs",
        "median", "min", "median", "min", "median", "min", "per @Diff");
    for (Result r : rs) {
      row(r, "cold", r.coldA().cpuStats(), r.coldB().cpuStats());
      row(r, "warm", r.warmA().cpuStats(), r.warmB().cpuStats());
    }
    System.out.println();
    for (Result r : rs) {
      System.out.printf("%s warm: time inside GradgenProcessor init+process per compilation:"
              + " median %.0f ms, min %.0f ms (%.1f ms per @Differentiable method)%n",
          r.m().name(), r.warmProc().median(), r.warmProc().min(),
          r.warmProc().median() / Math.max(1, r.methods()));
    }
    for (Result r : rs) {
      System.out.printf("%s sanity: (a) and (b) wrote the %s%n", r.m().name(), r.sanity());
    }
    System.out.println("per @Diff = median (a) - median (b), divided by the number of"
        + " @Differentiable methods.");
    for (Result r : rs) {
      System.out.printf("%s javac options: -g --release 17 -encoding UTF-8%s%s%n", r.m().name(),
          r.m().extra().isEmpty() ? "" : " ", String.join(" ", r.m().extra()));
    }
    if (rs.stream().anyMatch(r -> r.m().name().equals("benchmarks"))) {
      System.out.println("benchmarks: JMH's annotation processor is off in (a) and (b)"
          + " (jmh_generated classes not compiled in either).");
    }
  }

  static void row(Result r, String mode, Stats a, Stats b) {
    double dMed = a.median() - b.median();
    System.out.printf("%-10s %-5s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %10.1f%n", r.m().name(),
        mode, a.median(), a.min(), b.median(), b.min(), dMed, a.min() - b.min(),
        dMed / Math.max(1, r.methods()));
  }
}
JAVA
"$java" "$work/CompileCost.java" "$work" "$reps" "$warmup" "$(getconf CLK_TCK 2>/dev/null || echo 100)" \
  "${confs[@]}"
