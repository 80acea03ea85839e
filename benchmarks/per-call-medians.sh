# Sourced by per-call.sh and per-call-client.sh: the median CPU per call of each pair over the
# rounds (ROWS: "label round cpu_us ..." lines), and its ratio to FLOOR's.
# print_medians ROWS MEDIANS FLOOR WIDTH
print_medians() {
  local rows=$1 medians=$2 floor=$3 width=$4 floor_cpu
  for label in $(awk '{print $1}' "$rows" | sort -u); do
    awk -v l="$label" '$1 == l {print $3}' "$rows" | sort -g \
      | awk -v l="$label" '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print l, m}'
  done > "$medians"
  floor_cpu=$(awk -v l="$floor" '$1 == l {print $2}' "$medians")
  awk -v f="$floor_cpu" -v n="$floor" -v w="$width" \
    '{printf "%-" w "s median cpu_us/call %.2f, %.2fx of %s\n", $1, $2, $2 / f, n}' "$medians"
}
