# Sourced by the wrk benchmarks: figures over rounds, from files of WRK_REPORT fields (one
# line of "name=value …" per round, as bench/wrk_report.lua prints them).
#   values FILE FIELD   one field's values over the rounds, smallest first, one a line
#   median FILE FIELD   the median over the rounds of one field (e.g. rps, p99_ms)
#   total FILE FIELD    the sum over the rounds (for error counts)

values() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p" | sort -g; }

median() {
  values "$1" "$2" |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

total() { values "$1" "$2" | awk '{ s += $1 } END { print s + 0 }'; }
