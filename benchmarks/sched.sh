#!/usr/bin/env bash
# Where the small calls' time goes in the scheduler's view: runs the C client's rounds
# (CClientRuns) for some pairs' sequential small calls, TCP and UDP, under `perf sched record`
# (every CPU, CLOCK_MONOTONIC), then cuts the trace to each run's timed calls and reports, per
# run, what the calling thread's wake-ups cost: its delay on the run queue after each wake-up,
# its run per wake-up, its preemptions, the server's delay, and, around the p99, where a cycle's
# time goes and who held the client's CPU (report.SchedReport). It records the commit, the date,
# the load averages, the kernel and perf's version beside the report. The trace costs every
# context switch a little: its latencies are not the benchmarks' (run.sh's are).
#
#   benchmarks/sched.sh [--regime busy|idle] [--spinners N] [--pairs LIST] [--rounds N]
#                       [--warmup N] [--calls N] [--out DIR] [--no-build]
#
#   --regime   busy (default): N spinners at nice 19 (default N = nproc), as run.sh's busy
#              regime; idle: none.
#   --pairs    CClientRuns' pair labels (default: c-to-c,onyx-to-c,jvm-deadline-to-c,
#              c-to-onyx,c-to-jvm,onyx-to-onyx).
#   --rounds, --warmup, --calls: as CClientRuns' (default 2, 20000, 30000).
#   --out      the results folder (default benchmarks/results/<UTC time>-sched-<regime>): sched.md
#              (the report), windows.tsv, c-clients.json and .log, run.properties; the trace
#              (sched.data) and its listing (timehist.txt) are large and stay out of commits.
#   --no-build use benchmarks/target/benchmarks.jar as it is.
#
# Needs perf and root (the sched tracepoints on every CPU).
set -euo pipefail

regime=busy
spinners=$(nproc)
pairs=c-to-c,onyx-to-c,jvm-deadline-to-c,c-to-onyx,c-to-jvm,onyx-to-onyx
rounds=2
warmup=20000
calls=30000
out=
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --regime) regime=$2; shift 2 ;;
    --spinners) spinners=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (benchmarks/sched.sh --help)" >&2; exit 2 ;;
  esac
done
case "$regime" in idle|busy) ;; *) echo "--regime idle|busy" >&2; exit 2 ;; esac
command -v perf > /dev/null || { echo "sched.sh needs perf (Debian: linux-perf)" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=prepare-run.sh
. benchmarks/prepare-run.sh
prepare_run "${out:-benchmarks/results/$(date -u +%Y%m%d-%H%M%S)-sched-$regime}" "$build"

props="$out/run.properties"
{
  run_properties
  regime_property "$regime" "$spinners"
  echo "pairs=$pairs"
  echo "rounds=$rounds warmup=$warmup calls=$calls"
  machine_properties
  echo "kernel=$(uname -r)"
  echo "perf=$(perf version 2>/dev/null)"
  echo "load_before=$(load_averages)"
} > "$props"

if [ "$regime" = busy ]; then
  start_spinners "$spinners"
fi
perf sched record -k CLOCK_MONOTONIC -m 8M -o "$out/sched.data" -- \
  java -cp "$jar" org.onyxrpc.benchmarks.CClientRuns --out "$out/c-clients.json" \
    --pairs "$pairs" --no-echo --windows "$out/windows.tsv" \
    --rounds "$rounds" --warmup "$warmup" --calls "$calls" 2>&1 | tee "$out/c-clients.log"
echo "load_after=$(load_averages)" >> "$props"
stop_spinners
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$props"

perf sched timehist -i "$out/sched.data" -n --state > "$out/timehist.txt" 2> "$out/timehist.err"
{
  echo "# The small calls in the scheduler's view"
  echo
  sed 's/^\([^=]*\)=\(.*\)$/- \1: `\2`/' "$props"
  echo
  java -cp "$jar" org.onyxrpc.benchmarks.report.SchedReport "$out/timehist.txt" "$out/windows.tsv"
} > "$out/sched.md"
echo "== report in $out/sched.md"
