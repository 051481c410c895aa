#!/usr/bin/env bash
# Two medvault builds on the read benchmark's request, side by side: both servers run at
# once (each with its own practice, as bench/read_benchmark.sh sets one up), and wrk
# alternates between them, A then B, then B then A, for the pairs asked. Each pair's
# ratio B/A compares two runs a few seconds apart, which the machine's drift (±20 % from
# minute to minute) barely touches; the median of those ratios is the answer.
#
# usage: bench/medvault_ab.sh [--pairs 10] [--duration 4s] [--connections 32] BIN_A BIN_B
# A build that needs an environment variable can be a wrapper script that sets it and
# execs the binary. Prints one line per pair (A req/s, B req/s, B/A) and an AB_COMPARE line.
set -euo pipefail
shopt -s inherit_errexit  # a failing command inside $(...) fails the script too

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs=10 duration=4s connections=32
script=medvault_ab
source "$root/bench/script_options.sh"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pairs) pairs="$(option_value "$@")"; shift 2 ;;
    --duration) duration="$(option_value "$@")"; shift 2 ;;
    --connections) connections="$(option_value "$@")"; shift 2 ;;
    -h | --help) script_usage; exit 0 ;;
    -*) echo "medvault_ab: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -eq 2 ]] || { script_usage >&2; exit 2; }
require_count --pairs "$pairs"
require_count --connections "$connections"
require_duration --duration "$duration"
for b in "$1" "$2"; do
  [[ -x "$b" ]] || { echo "medvault_ab: $b is not an executable" >&2; exit 2; }
done
bin_a="$(realpath "$1")" bin_b="$(realpath "$2")"

source "$root/bench/medvault_server.sh"
source "$root/bench/wrk_figures.sh"

bin="$bin_a"
start_practice
url_a="$url/fhir/Patient/$patient_id" token_a="$token"
bin="$bin_b"
practice_data="$work/data-b" start_practice
url_b="$url/fhir/Patient/$patient_id" token_b="$token"
echo "medvault_ab: A $bin_a, B $bin_b; wrk -t2 -c$connections -d$duration, $pairs pairs, $(nproc) cores"

rate() {  # URL TOKEN: requests per second, or fail when wrk saw errors
  local out
  out="$(WRK_BEARER_TOKEN="$2" wrk -t2 -c"$connections" -d"$duration" \
    -s "$root/bench/wrk_report.lua" "$1" | grep '^WRK_REPORT')"
  [[ -n "$out" ]] || { echo "medvault_ab: wrk printed no figures for $1" >&2; return 1; }
  if [[ "$(total <(echo "$out") errors)" != 0 || "$(total <(echo "$out") non2xx)" != 0 ]]; then
    echo "medvault_ab: errors or non-2xx answers from $1: $out" >&2
    return 1
  fi
  median <(echo "$out") rps
}

rate "$url_a" "$token_a" > /dev/null  # warm-up, not counted
rate "$url_b" "$token_b" > /dev/null
figures="$work/pairs.txt"
for i in $(seq "$pairs"); do
  # One assignment per line: in `a=$(…) b=$(…)`, a failure of the first would go unseen.
  if ((i % 2)); then
    a="$(rate "$url_a" "$token_a")"
    b="$(rate "$url_b" "$token_b")"
  else
    b="$(rate "$url_b" "$token_b")"
    a="$(rate "$url_a" "$token_a")"
  fi
  ratio="$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')"
  echo "pair $i: A $a req/s, B $b req/s, B/A $ratio"
  echo "a=$a b=$b ratio=$ratio" >> "$figures"
done
echo "AB_COMPARE a_rps=$(median "$figures" a) b_rps=$(median "$figures" b)" \
  "median_ratio=$(median "$figures" ratio)" \
  "min_ratio=$(values "$figures" ratio | head -1)" \
  "max_ratio=$(values "$figures" ratio | tail -1)"
