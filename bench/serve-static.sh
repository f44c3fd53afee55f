#!/usr/bin/env bash
# Static pages side by side: `docask serve` and nginx on the same built files, in
# alternating rounds (nginx, docask, nginx, docask, …) so that both see the same
# machine; wrk with 64 connections on each page's canonical URL (`/a/b/`, the form
# the built links use). Reports req/s per round and the median ratio (budget:
# docask >= 0.8x nginx), and the CPU time each server spent per request.
#
# Usage: bench/serve-static.sh [--bin target/release/docask] [--content DIR]
#                              [--rounds 3] [--duration 8] [--page /a/b/]
# The default page is the third non-index page of llms.txt (as the shared
# serve-load check picks it), with its trailing slash.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin="$root/target/release/docask"; content="$root/content"; rounds=3; duration=8; page=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --content) content=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --page) page=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for t in wrk nginx; do command -v $t >/dev/null || { echo "$t is needed (apt-get install $t)" >&2; exit 2; }; done
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
tmp=$(mktemp -d); chmod 755 "$tmp"; port=$(free_port); nport=$(free_port)
"$bin" serve --content "$content" --out "$tmp/site" --addr "127.0.0.1:$port" >"$tmp/log" 2>&1 &
pid=$!
cat > "$tmp/nginx.conf" <<NGINX
worker_processes 2; pid $tmp/nginx.pid; error_log $tmp/nginx.err; daemon off;
events { worker_connections 4096; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types { text/html html; text/markdown md; }
  server { listen 127.0.0.1:$nport; root $tmp/site; location / { try_files \$uri \$uri/index.html =404; } } }
NGINX
npid=""
trap 'kill $pid $npid 2>/dev/null; wait $pid $npid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
nginx -c "$tmp/nginx.conf" & npid=$!
sleep 0.5
if [ -z "$page" ]; then
  page=$(grep -o '(/[^)]*\.md)' "$tmp/site/llms.txt" | grep -v '/index\.md' | sed -n 3p | tr -d '()')
  page=${page%.md}/
fi
for p in $port $nport; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p$page")
  [ "$code" = 200 ] || { echo "port $p answers $code for $page" >&2; exit 1; }
done
# CPU ticks of a process and its children.
ticks() { local t=0 s; for p in "$@"; do for c in $(pgrep -P "$p") "$p"; do
  s=$(awk '{print $14+$15}' "/proc/$c/stat" 2>/dev/null || echo 0); t=$((t + s)); done; done; echo $t; }
measure() { # name url pids...
  local name=$1 url=$2; shift 2
  local a b out
  a=$(ticks "$@"); out=$(wrk -t2 -c64 -d"${duration}s" "$url"); b=$(ticks "$@")
  echo "$name $(echo "$out" | awk '/Requests\/sec/{print $2}') $(echo "$out" | awk '/requests in/{print $1}') $((b - a))"
}
echo "page $page, $rounds rounds of ${duration}s, 64 connections" >&2
npids=$(cat "$tmp/nginx.pid")
for r in $(seq "$rounds"); do
  measure nginx "http://127.0.0.1:$nport$page" "$npids"
  measure docask "http://127.0.0.1:$port$page" "$pid"
done > "$tmp/rounds"
python3 - "$tmp/rounds" "$(getconf CLK_TCK)" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
hz = int(sys.argv[2])
by = {"nginx": [], "docask": []}
for name, rps, n, ticks in rows:
    by[name].append((float(rps), int(n), int(ticks)))
print("| round | nginx req/s | docask req/s | ratio |\n| --- | ---: | ---: | ---: |")
ratios = []
for i, (n, d) in enumerate(zip(by["nginx"], by["docask"]), 1):
    ratios.append(d[0] / n[0])
    print(f"| {i} | {n[0]:.0f} | {d[0]:.0f} | {ratios[-1]:.2f} |")
cpu = {k: sum(t for _, _, t in v) / hz * 1e6 / sum(n for _, n, _ in v) for k, v in by.items()}
med = statistics.median(ratios)
print(f"\nmedian ratio {med:.2f} (budget >= 0.8); CPU per request: nginx {cpu['nginx']:.1f} us, "
      f"docask {cpu['docask']:.1f} us")
sys.exit(0 if med >= 0.8 else 1)
PY
