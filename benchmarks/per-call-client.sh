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
# --echo: the 1 MiB echo instead (Echo.echo size=1048576): the caller-runs Onyx client against
# the Onyx server with a thread per connection (peer=onyx-dedicated) and the socket client against
# its blocking server (peer=socket), with `perf stat` on the client's thread and, beside it, on
# the server's connection thread, inside JMH's measured iteration. Per echo (echoes = the MiB the
# client's thread wrote meanwhile, /proc's wchar): each thread's CPU and system calls by kind;
# the medians' ratios are to the socket pair's.
#
#   benchmarks/per-call-client.sh [--rounds N] [--seconds S] [--warmup S] [--jar JAR] [--before JAR]
#                                 [--echo]
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
echo=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --before) before=$2; shift 2 ;;
    --echo) echo=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (benchmarks/per-call-client.sh --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
events=task-clock,context-switches,raw_syscalls:sys_enter
for s in read write readv writev recvfrom sendto epoll_wait epoll_ctl futex poll ioctl; do
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

# measure_echo LABEL JAR PEER: one JMH run of the 1 MiB echo with PEER, perf stat on the client's
# thread and on the server thread that serves it; prints the client's row and the server's.
measure_echo() {
  local label=$1 from=$2 peer=$3 tid= sid= t c us
  java -Djmh.ignoreLock=true -cp "$from" org.openjdk.jmh.Main 'benchmarks\.Echo\.echo$' \
    -p peer="$peer" -p size=1048576 -f 0 -wi 1 -w "$warmup" -i 1 -r $((seconds + 4)) -bm avgt \
    -tu us > "$work/jmh.log" 2>&1 &
  local j=$!
  # perf's window inside the measured iteration: once the warmup iteration's result is out (a
  # loaded machine starts the JVM late).
  until grep -q '^# Warmup Iteration *1: *[0-9]' "$work/jmh.log"; do
    kill -0 $j 2>/dev/null || break
    sleep 0.2
  done
  for _ in 1 2 3 4 5; do
    for t in $(ls /proc/$j/task 2>/dev/null); do
      c=$(cat /proc/$j/task/$t/comm 2>/dev/null)
      [ "$c" = "org.onyxrpc.ben" ] && tid=$t
      # Onyx's thread per connection, or the socket baseline's (server-socket-baseline-conn).
      # The accept thread's name begins the same: the connection's thread came after it.
      case "$c" in
        onyx-server-tcp|server-socket-b) { [ -z "$sid" ] || [ "$t" -gt "$sid" ]; } && sid=$t ;;
      esac
    done
    [ -n "$tid" ] && [ -n "$sid" ] && break
    sleep 1
  done
  if [ -z "$tid" ] || [ -z "$sid" ]; then
    wait $j || true
    echo "$label: no benchmark or server thread found; JMH said:" >&2
    tail -5 "$work/jmh.log" >&2
    return 1
  fi
  # Echoes in perf's window: the bytes the client's thread wrote (/proc's wchar), 1 MiB each.
  local w0 w1
  w0=$(awk '$1 == "wchar:" {print $2}' /proc/$j/task/$tid/io)
  perf stat -x, -e "$events" -t "$sid" -- sleep "$seconds" 2> "$work/perf-server.csv" &
  perf stat -x, -e "$events" -t "$tid" -- sleep "$seconds" 2> "$work/perf.csv"
  w1=$(awk '$1 == "wchar:" {print $2}' /proc/$j/task/$tid/io 2>/dev/null || true)
  wait $!
  wait $j || true
  if [ -z "$w1" ]; then
    echo "$label: the iteration ended before perf's window did; row left out" >&2
    return 0
  fi
  for end in client server; do
    awk -F, -v label="$label-$end" -v echoes="$(( (w1 - w0) / 1048576 ))" '
      { v[$3] = $1 }
      END {
        printf "%-22s %8d %9.1f %9.3f %9.3f", label, echoes, v["task-clock"] * 1000 / echoes,
          v["context-switches"] / echoes, v["raw_syscalls:sys_enter"] / echoes
        for (k in v) if (k ~ /^syscalls:/ && v[k] > 0) { n = k; sub(/syscalls:sys_enter_/, "", n); printf " %s=%.2f", n, v[k] / echoes }
        printf "\n"
      }' "$work/$([ $end = client ] && echo perf.csv || echo perf-server.csv)"
  done
}

if [ -n "$echo" ]; then
  printf '%-22s %8s %9s %9s %9s %s\n' pair echoes cpu_us cswitch syscalls 'by kind (per echo)'
  for round in $(seq "$rounds"); do
    {
      measure_echo onyx "$jar" onyx-dedicated
      [ -n "$before" ] && measure_echo onyx-before "$before" onyx-dedicated
      measure_echo socket "$jar" socket
    } | tee -a "$work/rows"
  done
  echo
  grep -- '-client ' "$work/rows" > "$work/client-rows" || true
  grep -- '-server ' "$work/rows" > "$work/server-rows" || true
  print_medians "$work/client-rows" "$work/medians" socket-client 22
  print_medians "$work/server-rows" "$work/medians" socket-server 22
  exit 0
fi

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
