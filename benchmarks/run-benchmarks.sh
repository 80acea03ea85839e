#!/usr/bin/env bash
# Runs the JMH benchmarks and keeps, beside their JSON, what is needed to reproduce a figure:
# the commit measured (and whether the tree was clean), the JVM, the CPUs, and the machine's
# load before and after. Published figures must come from a run of this script.
#
#   benchmarks/run-benchmarks.sh [OUTPUT_DIR] [JMH ARGUMENTS...]
#
# Default output: benchmarks/results/<UTC time>-<commit>/; default JMH arguments: the ones
# benchmarks/README.md gives. Run it on an otherwise idle machine, and say in what follows
# whether it was (the load figures below tell).
set -euo pipefail

cd "$(dirname "$0")/.."
commit=$(git rev-parse --short=12 HEAD)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${1:-benchmarks/results/$stamp-$commit}
shift || true
jmh_args=("$@")
if [ ${#jmh_args[@]} -eq 0 ]; then
  jmh_args=(-f 1 -wi 3 -w 2 -i 5 -r 2 -prof gc)
fi
mkdir -p "$out"

{
  echo "commit: $(git rev-parse HEAD)"
  if git diff --quiet && git diff --cached --quiet; then
    echo "tree: clean"
  else
    echo "tree: MODIFIED (figures from this run cannot be reproduced at the commit)"
  fi
  echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "load before: $(uptime)"
  echo "cpus: $(nproc)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "jmh arguments: ${jmh_args[*]}"
} > "$out/run.txt"

mvn -q -B -pl benchmarks -am package -DskipTests
java -jar benchmarks/target/benchmarks.jar "${jmh_args[@]}" -rf json -rff "$out/results.json" \
  | tee "$out/jmh.log"

{
  echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "load after: $(uptime)"
} >> "$out/run.txt"
echo "results in $out (run.txt, results.json, jmh.log)"
