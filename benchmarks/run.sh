#!/usr/bin/env bash
# Runs the gradgen JMH benchmarks once and prints gradient/objective and generated/hand-written
# ratios computed from that single run.
#
#   benchmarks/run.sh [--build] [--gc] [--native-peers] [extra JMH arguments, e.g. a benchmark regex]
#
#   --build   rebuild first (mvn -B -q -DskipTests install from the repository root); without it
#             the build only happens when benchmarks/target/benchmarks.jar is missing.
#   --gc      add JMH's GC profiler (-prof gc): the table then also shows bytes allocated per op.
#   --native-peers  use the jar of the native-peers Maven profile instead (TensorFlow Java and DJL
#             on PyTorch; ~270 MB of native jars from Maven Central on the first build), built into
#             benchmarks/target/native-peers/ by mvn -B -q -P native-peers -DskipTests -pl benchmarks
#             -am package; with no extra arguments it runs MseBenchmark, MlpBenchmark and the
#             native peers (regex MseBenchmark|MlpBenchmark|NativePeers).
#
# The default JMH configuration is short, for 2 shared cores; override it with JMH_OPTS, e.g.
#   JMH_OPTS="-f 3 -wi 5 -w 2s -i 10 -r 2s" benchmarks/run.sh
# Raw results: benchmarks/target/jmh.json (JMH's JSON format).
set -euo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
root="$(dirname "$(dirname "$self")")"
cd "$root"

build=0
native=0
extra=()
user_args=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    --gc) extra+=(-prof gc) ;;
    --native-peers) native=1 ;;
    -h|--help) sed -n '2,/^set -euo/s/^# \{0,1\}//p' "$self"; exit 0 ;;
    *) extra+=("$arg"); user_args=$((user_args + 1)) ;;
  esac
done

jar=benchmarks/target/benchmarks.jar
json=benchmarks/target/jmh.json
if [[ $native == 1 ]]; then
  jar=benchmarks/target/native-peers/benchmarks.jar
  if [[ $build == 1 || ! -f $jar ]]; then
    echo "+ mvn -B -q -P native-peers -DskipTests -pl benchmarks -am package" >&2
    mvn -B -q -P native-peers -DskipTests -pl benchmarks -am package
  fi
  if [[ $user_args == 0 ]]; then
    extra+=('MseBenchmark|MlpBenchmark|NativePeers')
  fi
elif [[ $build == 1 || ! -f $jar ]]; then
  echo "+ mvn -B -q -DskipTests install" >&2
  mvn -B -q -DskipTests install
fi

read -r -a jmh_opts <<< "${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
rm -f "$json"
cmd=(java -jar "$jar" "${jmh_opts[@]}" -rf json -rff "$json" ${extra[@]+"${extra[@]}"})
echo "+ ${cmd[*]}" >&2
"${cmd[@]}"

python3 - "$json" <<'PY'
import json, sys

runs = json.load(open(sys.argv[1]))
res = {}
for r in runs:
    name = r["benchmark"].rsplit(".", 1)[1]
    params = r.get("params") or {}
    if params:  # one row per parameter combination, e.g. opsMatmul[n=512]
        name += "[" + ",".join("%s=%s" % kv for kv in sorted(params.items())) + "]"
    pm = r["primaryMetric"]
    alloc = None
    for k, v in r.get("secondaryMetrics", {}).items():
        if k.lstrip("\u00b7") == "gc.alloc.rate.norm":
            alloc = v["score"]
    # float(): with fewer than 3 iterations JMH writes the error as the string "NaN".
    res[name] = (pm["score"], float(pm["scoreError"]), pm["scoreUnit"], alloc)

has_alloc = any(v[3] is not None for v in res.values())
print()
print("%-36s %12s %10s %-6s%s" % ("benchmark", "score", "error", "unit", "   alloc B/op" if has_alloc else ""))
for name, (s, e, u, a) in res.items():
    extra = ""
    if has_alloc:
        extra = "   %11.1f" % a if a is not None else "   %11s" % "-"
    print("%-36s %12.3f %10.3f %-6s%s" % (name, s, e if e == e else 0.0, u, extra))

ratios = [
    ("MSE   generated / objective", "mseGenerated", "mseObjective"),
    ("MSE   hand      / objective", "mseHand", "mseObjective"),
    ("MSE   hand1pass / objective", "mseHandOnePass", "mseObjective"),
    ("MSE   alloc.gen / objective", "mseGeneratedAllocating", "mseObjective"),
    ("MSE   generated / hand", "mseGenerated", "mseHand"),
    ("MSE   generated / hand1pass", "mseGenerated", "mseHandOnePass"),
    ("MSE   alloc.gen / hand", "mseGeneratedAllocating", "mseHand"),
    ("Smooth generated / objective", "smoothingGenerated", "smoothingObjective"),
    ("Smooth hand      / objective", "smoothingHand", "smoothingObjective"),
    ("Smooth handTaped / objective", "smoothingHandTaped", "smoothingObjective"),
    ("Smooth generated / hand", "smoothingGenerated", "smoothingHand"),
    ("Smooth generated / handTaped", "smoothingGenerated", "smoothingHandTaped"),
    ("MLP   generated / objective", "mlpGenerated", "mlpObjective"),
    ("MLP   hand      / objective", "mlpHand", "mlpObjective"),
    ("MLP   generated / hand", "mlpGenerated", "mlpHand"),
    # PeersBenchmark (peers/): pure-Java AD libraries against gradgen and the hand-written code.
    ("MSE   hipparchus / generated", "mseHipparchus", "mseGenerated"),
    ("MSE   hipparchus / hand", "mseHipparchus", "mseHand"),
    ("MSE   finmath scalar / generated", "mseFinmathScalar", "mseGenerated"),
    ("MSE   finmath vector / generated", "mseFinmathVector", "mseGenerated"),
    ("MSE   finmath vector / hand", "mseFinmathVector", "mseHand"),
    ("MLP   finmath vector / generated", "mlpFinmathVector", "mlpGenerated"),
    ("MLP   finmath vector / hand", "mlpFinmathVector", "mlpHand"),
    ("MLP   finmath scalar / generated", "mlpFinmathScalar", "mlpGenerated"),
    # Native peers (run.sh --native-peers): TensorFlow Java and DJL on PyTorch, one thread each;
    # "nocopy": parameters already in the library's tensors, gradients left there.
    ("MSE   tensorflow / generated", "mseTensorflow", "mseGenerated"),
    ("MSE   djl / generated", "mseDjl", "mseGenerated"),
    ("MSE   tensorflow nocopy / generated", "mseTensorflowNoCopy", "mseGenerated"),
    ("MSE   djl nocopy / generated", "mseDjlNoCopy", "mseGenerated"),
    ("MLP   tensorflow / generated", "mlpTensorflow", "mlpGenerated"),
    ("MLP   djl / generated", "mlpDjl", "mlpGenerated"),
    ("MLP   tensorflow nocopy / generated", "mlpTensorflowNoCopy", "mlpGenerated"),
    ("MLP   djl nocopy / generated", "mlpDjlNoCopy", "mlpGenerated"),
]
# MatmulBenchmark: Ops against EJML at every size n that ran (above 1: Ops is slower).
for shape in ["4x256", "64x64", "256x4"]:
    m, n = (int(t) for t in shape.split("x"))
    for what in ["Jacobian", "Jvp", "Vjp"]:
        ratios.append(("map %-8s / primal %s%s" % (what, shape,
            " (target %d)" % (3 * min(m, n) + 2) if what == "Jacobian" else ""),
            "map%s[shape=%s]" % (what, shape), "mapPrimal[shape=%s]" % shape))
for f in ["rosenbrock", "coupled"]:
    for what in ["Gradient", "Jvp", "Hvp"]:
        ratios.append(("%s %-8s / primal n=1000%s" % (f, what, " (target 6)" if what == "Hvp"
            else ""), f + what, f + "Primal"))
ratios.append(("coupled Hessian / primal n=50 (n HVPs)", "coupledHessian50", "coupledPrimal50"))
sizes = sorted({int(k.split("[n=")[1].rstrip("]")) for k in res if k.startswith("opsMatmul[n=")})
for label, a, b in [
    ("matmul      Ops / EJML", "opsMatmul", "ejmlMult"),
    ("backward dA Ops / EJML", "opsBackwardDa", "ejmlMultAddTransB"),
    ("backward dB Ops / EJML", "opsBackwardDb", "ejmlMultAddTransA"),
]:
    for n in sizes:
        ratios.append(("%s n=%d" % (label, n), "%s[n=%d]" % (a, n), "%s[n=%d]" % (b, n)))
# ADBench (adbench/): GMM at every size that ran, LSTM, BA.
gmm_sizes = [k.split("[size=")[1].rstrip("]") for k in res if k.startswith("gmmObjective[size=")]
for label, a, b in [
    ("GMM generated / objective", "gmmGenerated", "gmmObjective"),
    ("GMM hand      / objective", "gmmHand", "gmmObjective"),
    ("GMM generated / hand", "gmmGenerated", "gmmHand"),
]:
    for s in gmm_sizes:
        ratios.append(("%s %s" % (label, s), "%s[size=%s]" % (a, s), "%s[size=%s]" % (b, s)))
ratios += [
    ("LSTM generated / objective", "lstmGenerated", "lstmObjective"),
    ("BA   generated / objective", "baGenerated", "baObjective"),
]
# HandVjpBenchmark: one reverse pass of the hand model over its errors alone.
for k in res:
    if k.startswith("handPrimal[hand="):
        h = k[len("handPrimal[hand="):-1]
        ratios.append(("ht VJP / errors %s" % h, "handVjp[hand=%s]" % h, k))
# GradBenchBenchmark (gradbench/): GradBench's measure per workload, with issue 14's targets.
targets = {"llsq": 1.3, "lse": 1.3, "det": 2.5, "ode": 2.0, "kmeans": 2.0, "gmm": 2.0,
           "lstm": 2.0, "ba": 4.0, "ht": 8.0}
for k in res:
    if k.startswith("primal[workload="):
        w = k[len("primal[workload="):-1]
        ratios.append(("GradBench %s (target %.1f)" % (w, targets[w.split(":")[0]]),
                       "derivative[workload=%s]" % w, k))
print()
print("%-48s %8s" % ("ratio (same run)", "x"))
for label, a, b in ratios:
    if a in res and b in res:
        print("%-48s %8.2f" % (label, res[a][0] / res[b][0]))
PY
