#!/usr/bin/env bash
# The long fuzzing runs of docs/RELIABILITY.md: each libFuzzer target, one at a time,
# for a fixed number of executions over a copy of its seed corpus, at low priority, and
# a table of what it did. Builds nothing: build the targets first with
#   cmake --preset fuzz-long && cmake --build --preset fuzz-long
# (-O2, UBSan, no ASan: the ASan build runs several times slower on a small machine).
# Usage: fuzz/run_long.sh [executions per target, default 10000000] [target names...]
#   e.g. fuzz/run_long.sh 10000000 http_request audit_proof
# FUZZ_BIN_DIR overrides where the fuzzers are (default: build/fuzz-long/fuzz);
# FUZZ_LONG_DIR where the grown corpora and logs go (default: build/fuzz-long/runs);
# FUZZ_MAX_SECONDS, when set, also ends each run after that many seconds (the table
# then shows how many executions it reached).
# Exit status: 0 when every target ran clean, 1 on any crash, leak or timeout (the
# input is then in fuzz/artifacts/).
set -euo pipefail

runs="${1:-10000000}"
shift || true
if [[ ! "$runs" =~ ^[0-9]+$ ]] || ((runs == 0)); then
  echo "usage: $0 [executions per target] [target names...]" >&2
  exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${FUZZ_BIN_DIR:-$repo/build/fuzz-long/fuzz}"
out_dir="${FUZZ_LONG_DIR:-$repo/build/fuzz-long/runs}"
artifacts="$repo/fuzz/artifacts"  # git-ignored; crashing inputs land here
mkdir -p "$out_dir" "$artifacts"

names=("$@")
if ((${#names[@]} == 0)); then
  for candidate in "$bin_dir"/*_fuzzer; do
    [[ -x "$candidate" ]] && names+=("$(basename "${candidate%_fuzzer}")")
  done
fi
if ((${#names[@]} == 0)); then
  echo "run_long: no fuzzers in $bin_dir (build the fuzz-long preset first)" >&2
  exit 1
fi

printf '%-14s %12s %9s %7s %7s %9s %9s %s\n' target execs exec/s cov ft corpus peak_MB wall
failed=0
for name in "${names[@]}"; do
  fuzzer="$bin_dir/${name}_fuzzer"
  corpus="$out_dir/$name/corpus"
  log="$out_dir/$name/log"
  rm -rf "${corpus:?}"
  mkdir -p "$corpus"
  [[ -d "$repo/fuzz/corpus/$name" ]] && cp -R "$repo/fuzz/corpus/$name/." "$corpus/"
  dict=()
  [[ -f "$repo/fuzz/$name.dict" ]] && dict=("-dict=$repo/fuzz/$name.dict")
  start=$(date +%s)
  status=0
  nice -n 15 "$fuzzer" -runs="$runs" -max_total_time="${FUZZ_MAX_SECONDS:-0}" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" -artifact_prefix="$artifacts/$name-" \
    "$corpus" >"$log" 2>&1 || status=$?
  wall=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  units=$(find "$corpus" -type f | wc -l)
  printf '%-14s %12s %9s %7s %7s %9s %9s %dm%02ds\n' "$name" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "$units" "${peak:-?}" $((wall / 60)) $((wall % 60))
  if ((status != 0)); then
    echo "!! $name failed (exit $status); the end of $log:" >&2
    tail -n 40 "$log" >&2
    failed=1
  fi
done
exit "$failed"
