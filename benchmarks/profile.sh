#!/usr/bin/env bash
# Profiles one JMH benchmark with async-profiler, kernel frames included, and records what is
# needed to read the profile again: the commit (and whether the tree was dirty), the date, load
# averages before and after, nproc, the JDK, JMH's output, the collapsed stacks and summary.md
# (each thread's share of the samples, and where each busy thread's samples land; see
# org.onyxrpc.benchmarks.report.ProfileSummary). async-profiler comes inside benchmarks.jar.
#
#   benchmarks/profile.sh [--out DIR] [--no-build] [--event cpu|itimer|wall] [-- JMH-ARGS...]
#
#   --out      the results folder (default benchmarks/results/<UTC time>-profile).
#   --no-build use benchmarks/target/benchmarks.jar as it is (default: build it first, as run.sh
#              does, with $MVN_ARGS).
#   --event    what a sample is (default cpu: CPU time, from perf events; kernel frames need
#              kernel.perf_event_paranoid <= 1). itimer needs no perf events, and shows no
#              kernel frames.
#   JMH-ARGS   the benchmark and its parameters; one parameter set at a time reads best. Default:
#              the 1 MiB echo, Onyx at both ends, caller-runs client:
#              'benchmarks\.Echo\.echo$' -p peer=onyx -p size=1048576 -wi 4 -w 2 -i 5 -r 2 -f 1
set -euo pipefail

out=
build=1
event=cpu
jmh_args=('benchmarks\.Echo\.echo$' -p peer=onyx -p size=1048576 -wi 4 -w 2 -i 5 -r 2 -f 1)
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --event) event=$2; shift 2 ;;
    --) shift; jmh_args=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (benchmarks/profile.sh --help)" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=prepare-run.sh
. benchmarks/prepare-run.sh
prepare_run "${out:-benchmarks/results/$(date -u +%Y%m%d-%H%M%S)-profile}" "$build"
lib=$(java -cp "$jar" one.profiler.AsyncProfilerLoader agentpath)
{
  run_properties
  echo "event=$event"
  echo "jmh_args=${jmh_args[*]}"
  machine_properties
  echo "perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?')"
  echo "load_before=$(load_averages)"
} > "$out/run.properties"

java -jar "$jar" "${jmh_args[@]}" \
  -prof "async:libPath=$lib;output=collapsed;dir=$out/async;event=$event;threads=true" 2>&1 \
  | tee "$out/jmh.log"
echo "load_after=$(load_averages)" >> "$out/run.properties"

: > "$out/summary.md"
while IFS= read -r collapsed; do
  {
    echo "# ${collapsed#"$out/"}"
    echo
    java -cp "$jar" org.onyxrpc.benchmarks.report.ProfileSummary "$collapsed"
    echo
  } >> "$out/summary.md"
done < <(find "$out/async" -name 'collapsed-*.csv' | sort)
rm -f "$jar"
echo "== $out/summary.md"
cat "$out/summary.md"
