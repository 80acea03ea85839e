# Sourced by run.sh, profile.sh and sched.sh: what every recorded run does before it measures,
# what each records about the machine, and the busy regime's spinners.
#
# prepare_run OUT BUILD: makes the results folder OUT (absolute from then on), builds
# benchmarks.jar first when BUILD is 1 (with $MVN_ARGS), and copies it into OUT, so that a
# rebuild during the run cannot change what is measured. Sets started, out, jar, commit and tree
# (clean, or dirty with the diff against the commit in OUT/tree.diff); stops the spinners on exit.
prepare_run() {
  started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  trap stop_spinners EXIT
  trap 'exit 130' INT TERM
  out=$1
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  if [ "$2" = 1 ]; then
    # shellcheck disable=SC2086 # MVN_ARGS is a list of words
    mvn -q -B -pl benchmarks -am package -DskipTests ${MVN_ARGS:-}
  fi
  cp benchmarks/target/benchmarks.jar "$out/benchmarks.jar"
  jar="$out/benchmarks.jar"
  commit=$(git rev-parse HEAD)
  if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    tree="dirty (diff against the commit in tree.diff)"
    git diff HEAD > "$out/tree.diff"
  else
    tree=clean
  fi
}

# start_spinners N: N spinners at nice 19 (the busy regime), stopped by stop_spinners.
spinner_pids=()
start_spinners() {
  for _ in $(seq "$1"); do
    nice -n 19 sh -c 'while :; do :; done' &
    spinner_pids+=("$!")
  done
}

stop_spinners() {
  for pid in "${spinner_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${spinner_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  spinner_pids=()
}

# run_properties: what every run records first about itself, one key=value a line.
run_properties() {
  echo "commit=$commit"
  echo "tree=$tree"
  echo "started=$started"
}

# regime_property REGIME N: the CPU regime's line, N spinners if REGIME is busy.
regime_property() {
  if [ "$1" = busy ]; then
    echo "regime=busy: $2 spinner(s) at nice 19 for the whole run"
  else
    echo "regime=idle: no spinner started (other load: see the load averages)"
  fi
}

# machine_properties: what every run records about the machine, one key=value a line.
machine_properties() {
  echo "nproc=$(nproc)"
  echo "cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "jdk=$(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
}

# load_averages: the machine's load averages now (1, 5 and 15 minutes).
load_averages() {
  uptime | sed 's/.*load average: //'
}
