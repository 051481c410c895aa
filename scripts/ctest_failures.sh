#!/usr/bin/env bash
# Prints the end of each failed test's output from CTest's log, after the run's summary:
# a CI log that keeps only its last lines then still shows why a test failed.
# Usage: scripts/ctest_failures.sh BUILD_DIR [LINES]   (LINES per test, default 60)
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [LINES]}
lines=${2:-60}
log=$build/Testing/Temporary/LastTest.log
failed=$build/Testing/Temporary/LastTestsFailed.log
[[ -f $failed && -f $log ]] || exit 0
cut -d: -f2- "$failed" | while IFS= read -r name; do
  echo
  echo "==== $name: the last $lines lines of its output ===="
  awk -v name="$name" '
    $0 ~ /^[0-9]+\/[0-9]+ Test: / { sub(/^[0-9]+\/[0-9]+ Test: /, ""); current = $0; next }
    current == name && /^Output:$/ { getline; inside = 1; next }
    inside && /^<end of output>$/ { inside = 0; current = ""; next }
    inside { print }
  ' "$log" | tail -n "$lines"
done
