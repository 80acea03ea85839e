#!/usr/bin/env bash
# What each call costs the server's thread, against the JVM's blocking floor: the C client's
# latency loop (bench_client) against the JVM's blocking server (c-to-jvm) and Onyx with a thread
# per TCP connection (c-to-onyx-dedicated), alternating, with `perf stat` on the one server
# thread that serves the client for SECONDS of each run. Per call (calls = the thread's writes):
# system calls by kind, context switches, task-clock (CPU on the thread, kernel time included),
# and /proc's user and system ticks (10 ms each: coarse); then each pair's median CPU per call
# and its ratio to the floor's. Ratios, not absolute figures, compare across minutes.
#
#   benchmarks/per-call.sh [--rounds N] [--seconds S] [--jar JAR] [--udp]
#
# --udp: the client's UDP latency loop against the JVM's blocking datagram floor (c-to-jvm), Onyx's
# UDP socket on a thread of its own (c-to-onyx) and on an event loop (c-to-onyx-loop); calls are
# the thread's sends (sendto, sendmsg).
#
# Needs perf with the syscalls tracepoints (root, or kernel.perf_event_paranoid <= 1), rpcgen,
# gcc and libtirpc (the C client is built as CClientRuns builds it). --jar defaults to
# benchmarks/target/benchmarks.jar (mvn -pl benchmarks -am package -DskipTests).
set -euo pipefail

rounds=3
seconds=3
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/benchmarks/per-call-medians.sh"
jar=$root/benchmarks/target/benchmarks.jar
transport=tcp
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --udp) transport=udp; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (benchmarks/per-call.sh --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
java -cp "$jar" org.onyxrpc.benchmarks.PerCallServers $transport > "$work/servers" 2> "$work/servers.err" &
jvm=$!
trap 'kill $jvm 2>/dev/null; rm -rf "$work"' EXIT
until grep -q '^ready' "$work/servers"; do
  kill -0 $jvm 2>/dev/null || { cat "$work/servers.err" >&2; exit 1; }
  sleep 0.5
done
client=$(awk '$1 == "client" {print $2}' "$work/servers")
events=task-clock,context-switches,raw_syscalls:sys_enter
for s in read write recvfrom sendto recvmsg sendmsg readv writev futex epoll_wait poll; do
  events=$events,syscalls:sys_enter_$s
done

# measure LABEL PORT COMM: one run of the client, perf stat on the newest thread named COMM.
measure() {
  local label=$1 port=$2 comm=$3 tid= t
  "$client" "$transport" 127.0.0.1 "$port" latency 20000 100000000 > /dev/null &
  local c=$!
  sleep 1 # connected and warming
  # The thread named COMM that ran most in the next half second: the one serving the client
  # (a server may have several of that name, an event loop group's).
  local -A before=()
  for t in $(ls /proc/$jvm/task); do
    [ "$(cat /proc/$jvm/task/$t/comm 2>/dev/null)" = "$comm" ] \
      && before[$t]=$(awk '{print $14 + $15}' /proc/$jvm/task/$t/stat)
  done
  sleep 0.5
  local most=-1 ran
  for t in "${!before[@]}"; do
    ran=$(( $(awk '{print $14 + $15}' /proc/$jvm/task/$t/stat) - before[$t] ))
    [ "$ran" -gt "$most" ] && { most=$ran; tid=$t; }
  done
  local ticks0 ticks1
  ticks0=$(awk '{print $14, $15}' /proc/$jvm/task/$tid/stat)
  perf stat -x, -e "$events" -t "$tid" -- sleep "$seconds" 2> "$work/perf.csv"
  ticks1=$(awk '{print $14, $15}' /proc/$jvm/task/$tid/stat)
  kill $c; wait $c 2>/dev/null || true
  awk -F, -v label="$label" -v t0="$ticks0" -v t1="$ticks1" '
    { v[$3] = $1 }
    END {
      calls = v["syscalls:sys_enter_write"] + v["syscalls:sys_enter_sendto"] + v["syscalls:sys_enter_writev"] \
        + v["syscalls:sys_enter_sendmsg"]
      split(t0, a, " "); split(t1, b, " ")
      printf "%-20s %8d %9.2f %9.3f %9.3f", label, calls, v["task-clock"] * 1000 / calls,
        v["context-switches"] / calls, v["raw_syscalls:sys_enter"] / calls
      printf " %8.2f %8.2f", (b[1] - a[1]) * 10000 / calls, (b[2] - a[2]) * 10000 / calls
      for (k in v) if (k ~ /^syscalls:/ && v[k] > 0) { n = k; sub(/syscalls:sys_enter_/, "", n); printf " %s=%.3f", n, v[k] / calls }
      printf "\n"
    }' "$work/perf.csv"
}

printf '%-20s %8s %9s %9s %9s %8s %8s %s\n' pair calls 'cpu_us' 'cswitch' 'syscalls' 'user_us' 'sys_us' 'by kind (per call)'
for round in $(seq "$rounds"); do
  order=$(awk '$1 == "server"' "$work/servers")
  [ $((round % 2)) = 0 ] && order=$(echo "$order" | tac)
  while read -r _ label port comm; do
    measure "$label" "$port" "$comm" | tee -a "$work/rows"
  done <<< "$order"
done
echo
print_medians "$work/rows" "$work/medians" c-to-jvm 20
