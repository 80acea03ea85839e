#!/usr/bin/env bash
# What each sync call costs the calling thread of a Java client, against the JVM's floors: the
# caller-runs Onyx client (OnyxSyncCall.call io=CALLER_RUNS), the socket client that waits in a
# selector (SocketPingPong.selectorSync, the floor for a client that honours a deadline) and the
# blocking socket client (SocketPingPong.sync), each against the blocking socket server
# (server=blocking), so that only the client differs. Each run is JMH in the script's own JVM
# (-f 0) for WARMUP + SECONDS + 2 seconds, with `perf stat` on the benchmark's thread for
# SECONDS once WARMUP seconds have passed. Per call (calls = the thread's writes): task-clock
# (CPU on the thread, kernel time included), context switches, system calls, and system calls by
# kind. The pairs alternate, and with --before, Onyx runs from that jar too, next to each run
# from --jar; then each pair's median CPU per call and its ratio to the selector floor's.
# Ratios, not absolute figures, compare across minutes.
#
#   benchmarks/per-call-client.sh [--rounds N] [--seconds S] [--warmup S] [--jar JAR] [--before JAR]
#
# Needs perf with the syscalls tracepoints (root, or kernel.perf_event_paranoid <= 1). --jar
# defaults to benchmarks/target/benchmarks.jar (mvn -pl benchmarks -am package -DskipTests).
set -euo pipefail

rounds=3
seconds=3
warmup=6
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/benchmarks/per-call-medians.sh"
jar=$root/benchmarks/target/benchmarks.jar
before=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --before) before=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (benchmarks/per-call-client.sh --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
events=task-clock,context-switches,raw_syscalls:sys_enter
for s in read write recvfrom sendto epoll_wait epoll_ctl futex poll ioctl; do
  events=$events,syscalls:sys_enter_$s
done

# measure LABEL JAR BENCHMARK PARAMS...: one JMH run, perf stat on its benchmark thread.
measure() {
  local label=$1 from=$2 tid= t
  shift 2
  # -Djmh.ignoreLock: on a shared machine another JMH may hold the lock; its load is as any other's.
  java -Djmh.ignoreLock=true -cp "$from" org.openjdk.jmh.Main "$@" -f 0 -wi 1 -w "$warmup" \
    -i 1 -r $((seconds + 2)) -bm avgt -tu us > "$work/jmh.log" 2>&1 &
  local j=$!
  sleep "$warmup"
  # JMH names the thread after the benchmark; /proc keeps its first 15 characters.
  for t in $(ls /proc/$j/task 2>/dev/null); do
    [ "$(cat /proc/$j/task/$t/comm 2>/dev/null)" = "org.onyxrpc.ben" ] && tid=$t
  done
  if [ -z "$tid" ]; then
    wait $j || true
    echo "$label: no benchmark thread found; JMH said:" >&2
    tail -5 "$work/jmh.log" >&2
    return 1
  fi
  perf stat -x, -e "$events" -t "$tid" -- sleep "$seconds" 2> "$work/perf.csv"
  wait $j || true
  awk -F, -v label="$label" '
    { v[$3] = $1 }
    END {
      calls = v["syscalls:sys_enter_write"] + v["syscalls:sys_enter_sendto"]
      printf "%-16s %8d %9.2f %9.3f %9.3f", label, calls, v["task-clock"] * 1000 / calls,
        v["context-switches"] / calls, v["raw_syscalls:sys_enter"] / calls
      for (k in v) if (k ~ /^syscalls:/ && v[k] > 0) { n = k; sub(/syscalls:sys_enter_/, "", n); printf " %s=%.3f", n, v[k] / calls }
      printf "\n"
    }' "$work/perf.csv"
}

onyx=('benchmarks\.OnyxSyncCall\.call$' -p server=blocking -p io=CALLER_RUNS)
floor=('benchmarks\.SocketPingPong\.selectorSync$' -p server=blocking)
socket=('benchmarks\.SocketPingPong\.sync$' -p server=blocking)
printf '%-16s %8s %9s %9s %9s %s\n' pair calls cpu_us cswitch syscalls 'by kind (per call)'
for round in $(seq "$rounds"); do
  {
    measure onyx "$jar" "${onyx[@]}"
    [ -n "$before" ] && measure onyx-before "$before" "${onyx[@]}"
    measure selector-floor "$jar" "${floor[@]}"
    measure socket "$jar" "${socket[@]}"
  } | tee -a "$work/rows"
done
echo
print_medians "$work/rows" "$work/medians" selector-floor 16
