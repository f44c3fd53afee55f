#!/usr/bin/env bash
# Soak test: `docask serve --watch` under 30 minutes (by default) of mixed traffic —
# pages, twins, new and repeated asks, 404s, MCP calls, slow clients — while pages
# are edited, retitled and broken every few seconds (bench/soak.py does both).
# Reports errors (none allowed for valid requests), p99 per route over time, and the
# server's resident memory and open file descriptors over time.
#
# Usage: bench/soak.sh [--bin target/release/docask] [--content DIR] [--minutes 30]
#                      [--clients 8] [--slow-clients 4] [--edit-every 3]
# The content folder is copied (it is edited); the report is printed and saved to
# bench/results/soak-<date>.md with the figures in soak-<date>.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin="$root/target/release/docask"; content="$root/content"; minutes=30; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --content) content=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --clients|--slow-clients|--edit-every) extra+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || { echo "no docask binary at $bin (cargo build --release)" >&2; exit 2; }
tmp=$(mktemp -d)
cp -r "$content" "$tmp/content"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$bin" serve --watch --content "$tmp/content" --out "$tmp/site" --addr "127.0.0.1:$port" 2>"$tmp/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "the server did not start:"; tail "$tmp/server.log"; exit 1; }
mkdir -p "$root/bench/results"
stamp=$(date +%Y-%m-%d-%H%M)
status=0
python3 "$here/soak.py" --port "$port" --pid "$pid" --content "$tmp/content" --site "$tmp/site" \
  --minutes "$minutes" --json "$root/bench/results/soak-$stamp.json" "${extra[@]}" \
  | tee "$root/bench/results/soak-$stamp.md" || status=$?
echo
echo "server: $(grep -c 'rebuilt;' "$tmp/server.log") rebuilds, $(grep -c 'rewrote every page;' "$tmp/server.log") rewrites," \
  "$(grep -c 'patched;' "$tmp/server.log") patches," \
  "$(grep -c '^error:' "$tmp/server.log") broken edits reported, $(grep -c 'status=5' "$tmp/server.log") responses 5xx" \
  | tee -a "$root/bench/results/soak-$stamp.md"
exit $status
