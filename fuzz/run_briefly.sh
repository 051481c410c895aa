#!/usr/bin/env bash
# Runs every built libFuzzer target for a short while over a copy of its seed corpus
# (fuzz/corpus/<name>/ for <name>_fuzzer), so that the repository's corpus is never
# modified, with its dictionary fuzz/<name>.dict when there is one. Builds nothing:
# build first with
#   cmake --preset fuzz && cmake --build --preset fuzz
# Usage: fuzz/run_briefly.sh [seconds per fuzzer, default 20]
# FUZZ_BIN_DIR overrides where the fuzzers are (default: build/fuzz/fuzz).
# Exit status: 0 when every fuzzer ran clean, 1 on any crash, leak or timeout.
set -euo pipefail

seconds="${1:-20}"
if [[ ! "$seconds" =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: $0 [seconds per fuzzer]" >&2
  exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${FUZZ_BIN_DIR:-$repo/build/fuzz/fuzz}"

shopt -s nullglob
fuzzers=()
for candidate in "$bin_dir"/*_fuzzer; do
  [[ -f "$candidate" && -x "$candidate" ]] && fuzzers+=("$candidate")
done
if ((${#fuzzers[@]} == 0)); then
  echo "run_briefly: no fuzzers in $bin_dir (build the fuzz preset first)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
artifacts="$repo/fuzz/artifacts"  # git-ignored; crashing inputs land here
mkdir -p "$artifacts"

failed=0
for fuzzer in "${fuzzers[@]}"; do
  name="$(basename "$fuzzer")"
  corpus="$work/${name%_fuzzer}"
  mkdir -p "$corpus"
  seeds="$repo/fuzz/corpus/${name%_fuzzer}"
  [[ -d "$seeds" ]] && cp -R "$seeds/." "$corpus/"
  log="$work/$name.log"
  echo "== $name: ${seconds}s over $(find "$corpus" -type f | wc -l) seeds"
  dict=()
  [[ -f "$repo/fuzz/${name%_fuzzer}.dict" ]] && dict=("-dict=$repo/fuzz/${name%_fuzzer}.dict")
  if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 "${dict[@]}" \
      -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$corpus" >"$log" 2>&1; then
    grep -E "^Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
  else
    echo "!! $name failed; the end of its log:" >&2
    tail -n 60 "$log" >&2
    failed=1
  fi
done
exit "$failed"
