#!/usr/bin/env bash
# One JMH ping-pong benchmark in the scheduler's view: runs it (one fork), and once its warm-up is
# over traces its fork for SECONDS: `perf stat` per thread (system calls by kind, context
# switches, CPU time, each per call: calls = the calling thread's writes; the fork's threads
# only, not a server in a JVM of its own, `-apart`), then `perf sched
# record` on every CPU; then splits the traced call cycles by where each side ran after its
# wake-up, on the CPU of the side that woke it or on the other, with each kind's share, length
# and parts (report.PairCycles). Why: on a few CPUs a pair either ping-pongs across CPUs, each
# wake-up an inter-processor interrupt and an idle CPU's exit (about 9 µs here), or shares one
# CPU, each wake-up a switch; a p50 depends on their mix, which the machine's other work
# decides, so pairs compare kind by kind. Records the commit, the date, the load averages and
# JMH's output beside the report. The trace costs every switch a little: its cycles are longer
# than JMH's.
#
#   benchmarks/jmh-sched.sh [--out DIR] [--no-build] [--after S] [--seconds S]
#                           [--servers PREFIXES] -- JMH-ARGS...
#
#   --out      the results folder (default benchmarks/results/<UTC time>-jmh-sched)
#   --no-build use benchmarks/target/benchmarks.jar as it is
#   --after    seconds from the start to the trace (default 11: past 3 warm-up iterations of 2 s)
#   --seconds  how long each of the two traces lasts (default 2)
#   --servers  the answering threads' name prefixes, as the kernel keeps them (15 characters),
#              comma-separated (default: server-socket-b,onyx-server-tcp: the socket baseline's
#              and the Onyx server's connection threads); the calling thread is JMH's worker
#   JMH-ARGS   one benchmark and one parameter set, e.g.
#              'OnyxSyncCall.call$' -p io=CALLER_RUNS -p server=onyx-dedicated -bm sample
#              -wi 3 -w 2 -i 5 -r 2 -f 1 (-f 1 is added if absent; -f 0 cannot be traced apart)
#
# Needs perf with the sched and syscalls tracepoints (root). Example, Onyx at both ends against
# the socket baseline, alternating:
#   for r in 1 2 3; do for s in "SocketPingPong.sync$ -p server=blocking" \
#       "OnyxSyncCall.call$ -p io=CALLER_RUNS -p server=onyx-dedicated"; do
#     benchmarks/jmh-sched.sh --no-build -- $s -bm sample -wi 3 -w 2 -i 5 -r 2; done; done
set -euo pipefail

out=
build=1
after=11
seconds=2
servers=server-socket-b,onyx-server-tcp
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --after) after=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --servers) servers=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (benchmarks/jmh-sched.sh --help)" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "no JMH arguments (benchmarks/jmh-sched.sh --help)" >&2; exit 2; }
jmh_args=("$@")
case " ${jmh_args[*]} " in *" -f "*) ;; *) jmh_args+=(-f 1) ;; esac
command -v perf > /dev/null || { echo "jmh-sched.sh needs perf (Debian: linux-perf)" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=prepare-run.sh
. benchmarks/prepare-run.sh
prepare_run "${out:-benchmarks/results/$(date -u +%Y%m%d-%H%M%S)-jmh-sched}" "$build"

props="$out/run.properties"
{
  run_properties
  echo "jmh=${jmh_args[*]}"
  echo "traced=${seconds} s twice, from ${after} s after the start"
  echo "servers=$servers"
  machine_properties
  echo "kernel=$(uname -r)"
  echo "load_before=$(load_averages)"
} > "$props"

java -Djmh.ignoreLock=true -jar "$jar" "${jmh_args[@]}" > "$out/jmh.txt" 2>&1 &
host=$!
sleep "$after"
fork=$(pgrep -P "$host" java | head -1 || true)
if [ -z "$fork" ]; then
  wait "$host" || true
  echo "no JMH fork found after ${after}s (see $out/jmh.txt)" >&2
  exit 1
fi
echo "load_traced=$(load_averages)" >> "$props"
perf stat --per-thread -p "$fork" -x, -o "$out/stat.csv" \
  -e task-clock,context-switches,cpu-migrations \
  -e 'syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_epoll_wait' \
  -e 'syscalls:sys_enter_futex,syscalls:sys_enter_poll,syscalls:sys_enter_ppoll' \
  -e 'syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto' \
  -- sleep "$seconds"
perf sched record -k CLOCK_MONOTONIC -m 8M -o "$out/sched.data" -- sleep "$seconds" \
  > /dev/null 2>&1
wait "$host"
echo "load_after=$(load_averages)" >> "$props"
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$props"
perf script -i "$out/sched.data" -F comm,pid,tid,cpu,time,event,trace > "$out/script.txt" \
  2> /dev/null

{
  echo "# A JMH pair in the scheduler's view"
  echo
  sed 's/^\([^=]*\)=\(.*\)$/- \1: `\2`/' "$props"
  echo
  echo "## JMH"
  echo
  echo '```'
  sed -n '/^Benchmark /,$p' "$out/jmh.txt"
  echo '```'
  echo
  echo "## Per call, by thread (perf stat, ${seconds} s; calls: the calling thread's writes)"
  echo
  # perf's CSV: value,unit,event,... with the thread first: "name-tid,value,unit,event,..."
  awk -F, '
    $1 ~ /^org\.onyxrpc\.ben/ && $4 == "syscalls:sys_enter_write" { calls = $2 }
    NF > 4 && $2 ~ /^[0-9.]+$/ && $2 > 0 { v[$1, $4] = $2; threads[$1] = 1; events[$4] = 1 }
    END {
      if (calls == 0) { print "no writes by the calling thread"; exit }
      printf "%d calls\n\n| thread |", calls
      n = 0; for (e in events) { ev[++n] = e; printf " %s |", e }
      printf "\n|---|"; for (i = 1; i <= n; i++) printf "---:|"; printf "\n"
      for (t in threads) {
        busy = 0; for (i = 1; i <= n; i++) if (v[t, ev[i]] / calls >= 0.01) busy = 1
        if (!busy) continue
        printf "| %s |", t
        for (i = 1; i <= n; i++) printf " %.2f |", v[t, ev[i]] / calls * (ev[i] == "task-clock" ? 1000 : 1)
        printf "\n"
      }
      print "\n(task-clock: µs of CPU per call)"
    }' "$out/stat.csv"
  echo
  echo "## Call cycles by where each side ran (perf sched, ${seconds} s)"
  echo
  java -cp "$jar" org.onyxrpc.benchmarks.report.PairCycles "$out/script.txt" org.onyxrpc.ben \
    "$servers"
} > "$out/report.md"
rm -f "$out/script.txt" # large; sched.data holds it
echo "== report in $out/report.md"
