#!/usr/bin/env bash
# Runs the benchmarks and records everything needed to reproduce and judge the figures: the
# commit (and whether the tree was dirty), the date, load averages before and after, nproc, the
# JDK, gcc and libtirpc, the CPU regime, JMH's full JSON, the C client's runs and the ratio table
# (ratios.md).
# Figures in BENCHMARKS.md come from this script, run at the commit that states them.
#
#   benchmarks/run.sh [--profile quick|full|mq|tls|interceptors|placement|smoke] [--regime idle|busy] [--spinners N]
#                     [--out DIR] [--no-build] [--jvm-args "ARGS"] [-- EXTRA-JMH-ARGS...]
#
#   --profile  quick (default, ~20 min): the figures the performance issues set targets for;
#              issue 11's sync p50 pairs in 5 alternating rounds, one JMH fork a pair in each
#              (jmh-sync-r<round>-<pair>.json): the socket baseline, the selector-waiting socket
#              client, Onyx's client -> socket server, socket client -> Onyx's server with a
#              thread per connection, Onyx -> that server, and the same with the client's look
#              before the wait turned off (poll=0); ratios.md states each of their
#              ratios as the median of the rounds' ratios (each round's p50 over that round's
#              socket baseline), since a ping-pong pair's p50 drifts with the machine's state
#              over minutes; the other sync rows are run once;
#              full (~35 min): every benchmark of the jar, then the same allocation split and
#              C client runs; smoke (~2 min): the quick selection (2 sync rounds) with one 200 ms iteration
#              and no warm-up, to check the script itself (its figures mean nothing);
#              mq (~2 min): onyx-mq's send+receive of 64 B and 8 KiB messages;
#              tls (~3 min): RPC-over-TLS against plaintext, the JDK's provider and OpenSSL
#              (netty-tcnative): the p50 of a small call and the 1 MiB echo;
#              interceptors (~2 min): a call without interceptors against one with a no-op
#              client and server interceptor, latency and allocation.
#              placement (~8 min, for --regime busy): the C reference pairs (issue 19) with
#              both ends pinned (taskset) to one CPU, then to two, in the folders same/ and
#              cross/: with busy CPUs the scheduler's choice between the two decides a call's
#              latency, so each mode is measured on its own.
#   --regime   idle (default): nothing else started; busy: N low-priority spinners (nice 19,
#              default N = nproc) keep every CPU busy for the whole run, so threads are woken on
#              a running CPU instead of an idle one. The script stops them when it ends.
#   --out      the results folder (default benchmarks/results/<UTC time>-<profile>-<regime>).
#   --no-build use benchmarks/target/benchmarks.jar as it is (default: build it first with
#              mvn -q -pl benchmarks -am package -DskipTests $MVN_ARGS, e.g.
#              MVN_ARGS="-o -Dmaven.repo.local=/path").
#   --jvm-args JVM options for every JVM that runs an Onyx end: JMH's forks and the C client's
#              runs' server (e.g. "-Dio.netty.leakDetection.level=disabled"); recorded in
#              run.properties.
#   EXTRA-JMH-ARGS are appended to every JMH command (e.g. -jvmArgsAppend "-XX:+UseParallelGC").
set -euo pipefail

profile=quick
regime=idle
spinners=$(nproc)
out=
build=1
extra=()
jvm_args=
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile=$2; shift 2 ;;
    --regime) regime=$2; shift 2 ;;
    --spinners) spinners=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --jvm-args) jvm_args=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (benchmarks/run.sh --help)" >&2; exit 2 ;;
  esac
done
case "$profile" in quick|full|mq|tls|interceptors|placement|smoke) ;; *) echo "--profile quick|full|mq|tls|interceptors|placement|smoke" >&2; exit 2 ;; esac
case "$regime" in idle|busy) ;; *) echo "--regime idle|busy" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=prepare-run.sh
. benchmarks/prepare-run.sh
prepare_run "${out:-benchmarks/results/$(date -u +%Y%m%d-%H%M%S)-$profile-$regime}" "$build"

props="$out/run.properties"
{
  run_properties
  echo "profile=$profile"
  regime_property "$regime" "$spinners"
  machine_properties
  echo "c_peers=gcc $(gcc -dumpfullversion 2>/dev/null || echo '?'), libtirpc $(dpkg-query -W -f='${Version}' libtirpc3 2>/dev/null || echo '?')"
  echo "load_before=$(load_averages)"
  echo "jmh_extra_args=${extra[*]:-}"
  echo "jvm_args=$jvm_args"
} > "$props"

if [ "$regime" = busy ]; then
  start_spinners "$spinners"
fi

# jmh NAME JMH-ARGS...: one JMH command; JSON to jmh-NAME.json, its log to jmh-NAME.log, in
# $dest (the results folder unless a profile sets it). $pin: a command prefix (taskset).
dest=$out
pin=()
jmh() {
  local name=$1
  shift
  echo "== jmh $name: $*"
  local -a fork=()
  if [ -n "$jvm_args" ]; then
    fork=(-jvmArgsAppend "$jvm_args")
  fi
  "${pin[@]}" java -jar "$jar" "$@" "${fork[@]}" "${extra[@]}" -rf json -rff "$dest/jmh-$name.json" 2>&1 \
    | tee "$dest/jmh-$name.log"
}

# c_clients ARGS...: the C client's own timings (JMH cannot time another process's calls).
c_clients() {
  echo "== C client runs: $*"
  # shellcheck disable=SC2086 # jvm_args is a list of words
  "${pin[@]}" java $jvm_args -cp "$jar" org.onyxrpc.benchmarks.CClientRuns --out "$dest/c-clients.json" "$@" 2>&1 \
    | tee "$dest/c-clients.log"
}

alloc_profilers=(-prof org.onyxrpc.benchmarks.AllocationSplitProfiler -prof gc)

# sync_rounds N LATENCY-OPTIONS: issue 11's sync p50 pairs one after another, N rounds, one JMH
# command (JSON jmh-sync-r<round>-<pair>.json) a pair and round: on this 2-vCPU VM a ping-pong
# pair's p50 depends on whether the kernel keeps its two threads on one CPU or two, which drifts
# over minutes, so each pair is compared with the socket baseline of its own round (ratios.md:
# the median of the rounds' ratios).
sync_rounds() {
  local rounds=$1 round
  local -a latency
  read -r -a latency <<< "$2"
  for ((round = 1; round <= rounds; round++)); do
    jmh "sync-r$round-1-socket" 'SocketPingPong.sync$' -p server=blocking -bm sample "${latency[@]}"
    jmh "sync-r$round-2-selector" 'SocketPingPong.selectorSync$' -p server=blocking -bm sample "${latency[@]}"
    jmh "sync-r$round-3-onyx-client" 'OnyxSyncCall.call' -p server=blocking -p io=CALLER_RUNS -bm sample "${latency[@]}"
    jmh "sync-r$round-4-socket-dedicated" 'SocketPingPong.sync$' -p server=onyx-dedicated -bm sample "${latency[@]}"
    jmh "sync-r$round-5-onyx-dedicated" 'OnyxSyncCall.call' -p server=onyx-dedicated -p io=CALLER_RUNS -bm sample "${latency[@]}"
    jmh "sync-r$round-6-onyx-dedicated-no-poll" 'OnyxSyncCall.call' -p server=onyx-dedicated -p io=CALLER_RUNS -p poll=0 -bm sample "${latency[@]}"
  done
}

# The quick profile's selection: every figure of ratios.md. $1: the number of sync rounds; $2:
# JMH's iteration options for a sync round's pair; $3: for the other latency rows; $4: for
# throughput; $5: for the 1 MiB echo; $6: the allocation split's; the rest: CClientRuns options.
targets() {
  local rounds=$1
  local -a latency it echo_it alloc
  local round_latency=$2
  read -r -a latency <<< "$3"
  read -r -a it <<< "$4"
  read -r -a echo_it <<< "$5"
  read -r -a alloc <<< "$6"
  shift 6
  sync_rounds "$rounds" "$round_latency"
  # The sync rows outside the rounds (diagnostics, no target): run once, over the rounds' median
  # socket baseline.
  jmh 1-sync-onyx 'OnyxSyncCall.call' -p server=onyx -bm sample "${latency[@]}"
  jmh 2-sync-socket 'SocketPingPong.sync$' -p server=netty,onyx -bm sample "${latency[@]}"
  jmh 2-sync-netty 'NettyPingPong.sync$' -bm sample "${latency[@]}"
  jmh 3-c-sync 'CPeerSyncCall.call' "${latency[@]}"
  jmh 4-pipelined-onyx 'OnyxPipelined64.chained' -p io=EVENT_LOOP "${it[@]}"
  jmh 5-pipelined-peers '(GrpcCall|Oncrpc4jCall|NettyPingPong).pipelined64Chained$' "${it[@]}"
  jmh 6-echo '\.Echo\.echo$' -p peer=onyx,onyx-dedicated,onyx-event-loop,onyx-buffers,socket,onyx-to-c,onyx-event-loop-to-c \
    -p size=1048576 "${echo_it[@]}"
  jmh 7-alloc 'OnyxSyncCall.call' -bm avgt "${alloc[@]}" "${alloc_profilers[@]}"
  c_clients "$@"
}

case "$profile" in
  quick)
    # Latency: three forks pooled, since on this VM a fork's threads can settle for its whole
    # life in a slow placement (a pair's p50 has come out 2x apart in two runs of one jar).
    # The 1 MiB echo makes a few hundred to a thousand calls a second, so its path takes seconds
    # to reach C2 (thousands of calls): 12 s of warm-up in JMH, 5,000 untimed echoes a pair in
    # the C client's rounds; with 3 s and 500, the measured iterations were still speeding up.
    # The sync rounds: five of one fork a pair, 15 s measured a pair (three pooled forks in one
    # block measured 9 s), each round's p50 seconds away from its round's socket baseline.
    targets 5 "-f 1 -wi 2 -w 1 -i 3 -r 1" \
      "-f 3 -wi 2 -w 1 -i 3 -r 1" "-f 1 -wi 3 -w 1 -i 4 -r 1" "-f 1 -wi 12 -w 1 -i 4 -r 1" \
      "-f 1 -wi 1 -w 1 -i 2 -r 1" \
      --rounds 4 --warmup 20000 --calls 50000 --echo-warmup 5000 --echo-calls 200
    ;;
  full)
    jmh 1-all -f 1 -wi 3 -w 2 -i 5 -r 2 -prof gc
    jmh 2-alloc \
      'OnyxSyncCall.call|SocketPingPong.sync|NettyPingPong.sync|(Grpc|Rmi|Thrift|Oncrpc4j)Call.sync|Echo.echo|pipelined64Chained|OnyxPipelined64|OnyxAtMostOnce' \
      -bm avgt -f 1 -wi 1 -w 1 -i 2 -r 1 "${alloc_profilers[@]}"
    c_clients --rounds 4 --warmup 20000 --calls 100000 --echo-warmup 5000 --echo-calls 300
    ;;
  mq)
    jmh 1-mq 'MqSendReceive' -f 1 -wi 3 -w 1 -i 4 -r 1 "${alloc_profilers[@]}"
    ;;
  tls)
    jmh 1-tls-call 'TlsSyncCall.call' -bm sample -f 1 -wi 3 -w 1 -i 4 -r 1
    jmh 2-tls-echo 'TlsEcho.echo' -f 1 -wi 3 -w 1 -i 4 -r 1
    ;;
  interceptors)
    jmh 1-intercepted-sample 'OnyxIntercepted.call' -bm sample -f 1 -wi 3 -w 1 -i 4 -r 1
    jmh 2-intercepted-alloc 'OnyxIntercepted.call' -bm avgt -f 1 -wi 1 -w 1 -i 2 -r 1 "${alloc_profilers[@]}"
    ;;
  placement)
    # The JVM (the Onyx client of CPeerSyncCall, the Onyx server of CClientRuns) and the C server
    # of CClientRuns on CPU 0; the other end (the C server of CPeerSyncCall, the C client, the C
    # server of CClientRuns' Java clients) on CPU 0 too (same/) or on CPU 1 (cross/). -XX:ActiveProcessorCount keeps the JVM's ergonomics (GC,
    # compiler threads) those of the unpinned runs.
    unpinned_jvm_args=$jvm_args
    for placement in same cross; do
      other=0
      if [ "$placement" = cross ]; then other=1; fi
      dest="$out/$placement"
      mkdir -p "$dest"
      pin=(taskset -c 0)
      jvm_args="$unpinned_jvm_args -XX:ActiveProcessorCount=$(nproc) -Donyx.bench.cpus.cserver=$other"
      jmh 3-c-sync 'CPeerSyncCall.call' -p server=c -p client=tcp-caller-runs,udp-caller-runs,tcp-socket,udp-socket,tcp-socket-deadline,udp-socket-deadline \
        -f 3 -wi 2 -w 1 -i 3 -r 1
      jvm_args="$unpinned_jvm_args -XX:ActiveProcessorCount=$(nproc) -Donyx.bench.cpus.cserver=0 -Donyx.bench.cpus.cclient=$other -Donyx.bench.cpus.cserver-of-java=$other"
      c_clients --rounds 4 --warmup 20000 --calls 50000 --echo-warmup 5000 --echo-calls 200
    done
    jvm_args=$unpinned_jvm_args
    pin=()
    dest=$out
    ;;
  smoke)
    targets 2 "-f 1 -wi 0 -i 1 -r 200ms" \
      "-f 1 -wi 0 -i 1 -r 200ms" "-f 1 -wi 0 -i 1 -r 200ms" "-f 1 -wi 0 -i 1 -r 200ms" \
      "-f 1 -wi 0 -i 1 -r 200ms" \
      --rounds 1 --warmup 100 --calls 2000 --echo-warmup 1 --echo-calls 10
    ;;
esac

echo "load_after=$(load_averages)" >> "$props"
stop_spinners
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$props"

if [ "$profile" = placement ]; then
  for placement in same cross; do
    other=0
    if [ "$placement" = cross ]; then other=1; fi
    { echo "placement=$placement: the JVM and the C client runs' C server on CPU 0, the other end on CPU $other"
      cat "$props"; } > "$out/$placement/run.properties"
    java -cp "$jar" org.onyxrpc.benchmarks.report.RatioReport "$out/$placement"
  done
  printf '# Benchmark ratios\n\nOne placement a folder: `same/ratios.md` (both ends on CPU 0), `cross/ratios.md` (CPUs 0 and 1).\n' \
    > "$out/ratios.md"
else
  java -cp "$jar" org.onyxrpc.benchmarks.report.RatioReport "$out"
fi
echo "== results in $out"
