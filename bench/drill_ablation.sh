#!/usr/bin/env bash
# What each risk-scorer feature contributes to the breach drill: one run with every
# feature on, then one run without each feature (`medvault drill --features-off F`),
# all with the same population, seed and days. Prints a Markdown table: per run, the
# patients each attack took in all, the minutes to its containment, the honest
# clinicians' step-ups and the drill's failed targets. A feature whose removal changes
# nothing is not what contains these attacks (another one is, or the budgets are).
#
# Usage: bench/drill_ablation.sh [--binary PATH] [--features F1,F2,...] [--jobs N]
#                                [--out DIR] [-- DRILL OPTIONS...]
#   --binary    the medvault to run (default build/release/medvault)
#   --features  the features to take out one at a time (default: every feature)
#   --jobs      drills run at once (default 1; each drill uses about one core)
#   --out       where the JSON results go (default a new directory under /tmp)
#   drill options default to: --patients 3000 --practices 3 --days 5 --seed 3
set -euo pipefail
cd "$(dirname "$0")/.."

binary=build/release/medvault
features=""
jobs=1
out=""
drill_options=(--patients 3000 --practices 3 --days 5 --seed 3)
while [[ $# -gt 0 ]]; do
  case $1 in
    --binary) binary=$2; shift 2 ;;
    --features) features=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; drill_options=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "drill_ablation: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -x $binary ]] || { echo "drill_ablation: no $binary (make build)" >&2; exit 1; }
if [[ -z $features ]]; then
  # Every feature the scorer knows, from its own refusal of an unknown one.
  known=$({ "$binary" drill --features-off '?' 2>&1 || true; } |
    sed -n 's/.*(known: \(.*\)).*/\1/p' | head -1)
  [[ -n $known ]] || { echo "drill_ablation: cannot list the features" >&2; exit 1; }
  features=${known// /}
fi
out=${out:-$(mktemp -d /tmp/drill-ablation.XXXXXX)}
mkdir -p "$out"

runs=(all ${features//,/ })
echo "drill_ablation: ${#runs[@]} drills (${drill_options[*]}), $jobs at a time; JSON in $out" >&2
run_one() {
  local name=$1 off=()
  [[ $name == all ]] || off=(--features-off "$name")
  local started=$SECONDS
  if "$binary" drill "${drill_options[@]}" "${off[@]}" --json "$out/$name.json" \
      > "$out/$name.txt" 2>&1; then
    echo "  $name: $((SECONDS - started)) s" >&2
  else
    echo "  $name: FAILED after $((SECONDS - started)) s (see $out/$name.txt)" >&2
  fi
}
export -f run_one
export binary out
export drill_options_text="${drill_options[*]}"
printf '%s\n' "${runs[@]}" |
  xargs -P "$jobs" -I{} bash -c 'drill_options=($drill_options_text); run_one "$@"' _ {}

python3 - "$out" "${runs[@]}" <<'EOF'
import json, os, sys
out, runs = sys.argv[1], sys.argv[2:]
def cell(s):
    if not s.get("run"):
        return "–"
    ms = s.get("ms_to_containment")
    contained = "never" if ms is None else f"{ms / 60000:.0f} min"
    return f"{s['patients_total']} ({contained})"
header = ["features off"] + [f"S{i}" for i in range(1, 8)] + ["honest step-ups", "failed targets"]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for name in runs:
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        print(f"| {name} | " + " | ".join(["failed"] * (len(header) - 1)) + " |")
        continue
    r = json.load(open(path))
    by = {s["strategy"]: s for s in r["strategies"]}
    failed = [f"S{t['strategy']}" if t["strategy"] else t["figure"] for t in r["targets"] if not t["pass"]]
    row = ["none" if name == "all" else name]
    row += [cell(by.get(i, {})) for i in range(1, 8)]
    row += [str(r["honest"]["step_up_prompts"]), ", ".join(failed) or "none"]
    print("| " + " | ".join(row) + " |")
EOF
