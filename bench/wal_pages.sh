#!/usr/bin/env bash
# What one commit writes to the WAL under the read benchmark's load: starts a practice
# (bench/medvault_server.sh), runs wrk against GET /fhir/Patient/{id}, freezes the server,
# copies its database and WAL, and prints the pages per commit, by the table or index
# that owns them (SQLite's dbstat on the copy; "new" are pages past the end of the
# database file, written since the last checkpoint). Every page is a 4 KiB WAL frame
# written and synced before the commit's answers leave.
#
# usage: bench/wal_pages.sh [--connections N] [--duration 4s]
# Needs `make build` (build/release), wrk and the sqlite3 command-line shell.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/release/medvault"
[[ -x "$bin" ]] || { echo "wal_pages: run 'make build' first" >&2; exit 2; }
connections=32 duration=4s
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "wal_pages: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v sqlite3 >/dev/null || { echo "wal_pages: the sqlite3 shell is not installed" >&2; exit 2; }

source "$root/bench/medvault_server.sh"
start_practice
WRK_BEARER_TOKEN="$token" wrk -t2 -c"$connections" -d"$duration" -s "$root/bench/wrk_report.lua" \
  "$url/fhir/Patient/$patient_id" | grep WRK_REPORT
kill -STOP "$server_pid"
mkdir "$work/copy"
cp "$data"/medvault.db "$data"/medvault.db-wal "$work/copy/"
kill -CONT "$server_pid"
sqlite3 "file:$work/copy/medvault.db?immutable=1" "SELECT pageno, name FROM dbstat" > "$work/owners"

python3 - "$work/copy/medvault.db-wal" "$work/owners" <<'PY'
import collections, struct, sys
wal = open(sys.argv[1], "rb").read()
_, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">8I", wal[:32])
owner = {}
for line in open(sys.argv[2]):
    page, _, name = line.rstrip("\n").partition("|")
    owner[int(page)] = name
commits, current, offset = [], [], 32
while offset + 24 + page_size <= len(wal):
    page, commit_size, s1, s2 = struct.unpack(">4I", wal[offset:offset + 16])
    if (s1, s2) != (salt1, salt2):
        break  # frames of an earlier pass through the WAL
    current.append(page)
    if commit_size:
        commits.append(current)
        current = []
    offset += 24 + page_size
if not commits:
    sys.exit("wal_pages: no commit in the WAL (it was just checkpointed); run again")
by_owner = collections.Counter(owner.get(p, "new") for c in commits for p in c)
sizes = sorted(len(c) for c in commits)
print(f"{len(commits)} commits, median {sizes[len(sizes) // 2]} pages per commit")
for name, n in by_owner.most_common():
    print(f"{n / len(commits):7.2f}  {name}")
PY
