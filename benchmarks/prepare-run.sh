# Sourced by run.sh and profile.sh: what every recorded run does before it measures.
#
# prepare_run OUT BUILD: makes the results folder OUT (absolute from then on), builds
# benchmarks.jar first when BUILD is 1 (with $MVN_ARGS), and copies it into OUT, so that a
# rebuild during the run cannot change what is measured. Sets out, jar, commit and tree (clean,
# or dirty with the diff against the commit in OUT/tree.diff).
prepare_run() {
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
