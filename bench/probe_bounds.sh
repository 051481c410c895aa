#!/usr/bin/env bash
# Bounds on what the audit path costs the read benchmark: medvault built with probes
# from bench/probes/ (patches that remove or replace a part of the path, and that no
# real build may carry: most break the audit invariant or durability), each run in
# pairs against the same commit unpatched with bench/medvault_ab.sh.
#
# usage: bench/probe_bounds.sh [--pairs 6] [--duration 4s] [--work DIR] [SET ...]
# A SET is probe names joined with '+' (e.g. empty-audit-job+no-gather); without any,
# the sets of docs/PERFORMANCE.md's table. The builds use the committed HEAD, in a git
# worktree under DIR (default /tmp/medvault-probes, kept for the next run). Prints a
# PROBE line per set: the median of the pairs' ratios probe/unpatched, and their range.
# Both sides run with risk scoring off: the probes that leave a read without an audit
# entry also leave the risk feed without its event. The default sets take about 12
# minutes on the 2-core machine, builds included.
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs=6 duration=4s work=/tmp/medvault-probes
script=probe_bounds
source "$root/bench/script_options.sh"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pairs) pairs="$(option_value "$@")"; shift 2 ;;
    --duration) duration="$(option_value "$@")"; shift 2 ;;
    --work) work="$(option_value "$@")"; shift 2 ;;
    -h | --help) script_usage; exit 0 ;;
    -*) echo "probe_bounds: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
require_count --pairs "$pairs"
require_duration --duration "$duration"
sets=("$@")
if [[ ${#sets[@]} -eq 0 ]]; then
  sets=(reads-unaudited empty-audit-job empty-audit-job+no-gather synchronous-normal
        synchronous-normal+no-gather staging-table staging-table+no-gather
        empty-audit-job+file-journal empty-audit-job+file-journal+no-gather)
fi
for set in "${sets[@]}"; do
  for probe in ${set//+/ }; do
    [[ -f "$root/bench/probes/$probe.patch" ]] ||
      { echo "probe_bounds: no probe named $probe (bench/probes/*.patch)" >&2; exit 2; }
  done
  [[ "+$set+" == *+reads-unaudited+* && "+$set+" == *+empty-audit-job+* ]] &&
    { echo "probe_bounds: reads-unaudited and empty-audit-job are alternatives" >&2; exit 2; }
done

tree="$work/tree" bins="$work/bin"
mkdir -p "$bins"
# Whatever happens, the worktree is left without a probe and no journal file stays.
trap 'git -C "$tree" reset --quiet --hard 2> /dev/null || true; rm -f /tmp/medvault-probe-journal-*' EXIT
git -C "$root" worktree prune  # a worktree whose directory was removed (a wiped /tmp)
if [[ ! -d "$tree" ]]; then
  git -C "$root" worktree add --detach "$tree" HEAD > /dev/null
else
  git -C "$tree" reset --quiet --hard
  git -C "$tree" checkout --quiet --detach "$(git -C "$root" rev-parse HEAD)"
fi
echo "probe_bounds: building $(git -C "$tree" rev-parse --short HEAD) in $tree" >&2
(cd "$tree" && cmake --preset release > /dev/null && ninja -C build/release medvault > /dev/null)
cp "$tree/build/release/medvault" "$bins/unpatched"
for set in "${sets[@]}"; do
  for probe in ${set//+/ }; do
    git -C "$tree" apply "$root/bench/probes/$probe.patch" || {
      echo "probe_bounds: $probe.patch no longer applies to this commit: update it" >&2
      exit 1
    }
  done
  echo "probe_bounds: building $set" >&2
  ninja -C "$tree/build/release" medvault > /dev/null
  cp "$tree/build/release/medvault" "$bins/$set"
  git -C "$tree" reset --quiet --hard
done
# Put the tree's build back as HEAD's, so that the next run starts from it.
ninja -C "$tree/build/release" medvault > /dev/null

export config_sed='s/^risk_scoring = true/risk_scoring = false/'  # see the top
for set in "${sets[@]}"; do
  line="$("$root/bench/medvault_ab.sh" --pairs "$pairs" --duration "$duration" \
    "$bins/unpatched" "$bins/$set" | grep '^AB_COMPARE')"
  echo "PROBE $set ${line#AB_COMPARE }"
done
