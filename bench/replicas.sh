#!/usr/bin/env bash
# Replicas benchmark: two `docask serve` replicas on one built folder behind nginx
# (deploy/nginx-replicas.conf), under wrk load with a mix of pages, Markdown twins
# and asks: first undisturbed, then while one replica is killed (SIGKILL) and
# restarted and the other stopped (SIGTERM) and restarted. Then a drain probe:
# SIGTERM to a replica while requests sent straight to it are in flight.
#
# See bench/README.md, "Replicas". Progress goes to stderr; the Markdown report to
# stdout. Exits with 1 when a request through nginx failed, a replica did not exit
# cleanly on SIGTERM, or a response in flight was cut.
set -euo pipefail
shopt -s inherit_errexit

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

usage() {
    cat <<USAGE
Usage: bench/replicas.sh [options]

Options:
  --content DIR        content folder to build and serve (default: <repo>/content)
  --docask PATH        docask binary (default: <repo>/target/release/docask)
  --duration S         seconds of each wrk run, at least 16 (default: 20)
  --connections N      wrk connections (default: 32)
  --threads N          wrk threads (default: 2)
  --nginx PATH         nginx binary (default: nginx on PATH, or /usr/sbin/nginx)
  --keep               keep the scratch folder (logs) and print where it is
  -h, --help           show this help

Needs wrk, nginx, curl and python3.
USAGE
}

die() { printf 'replicas.sh: %s\n' "$*" >&2; exit 1; }
bad_usage() { printf 'replicas.sh: %s\n\n' "$*" >&2; usage >&2; exit 2; }
log() { printf '[replicas] %s\n' "$*" >&2; }
need_arg() { [[ $# -ge 2 && -n "$2" ]] || bad_usage "option $1 needs a value"; }

content=$repo_root/content
docask_bin=$repo_root/target/release/docask
duration=20
connections=32
threads=2
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
keep=0

while [[ $# -gt 0 ]]; do
    case $1 in
        --content) need_arg "$@"; content=$2; shift 2 ;;
        --docask) need_arg "$@"; docask_bin=$2; shift 2 ;;
        --duration) need_arg "$@"; duration=$2; shift 2 ;;
        --connections) need_arg "$@"; connections=$2; shift 2 ;;
        --threads) need_arg "$@"; threads=$2; shift 2 ;;
        --nginx) need_arg "$@"; nginx_bin=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) bad_usage "unknown argument: $1" ;;
    esac
done

for n in "$duration" "$connections" "$threads"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || bad_usage "expected a positive integer, got: $n"
done
((duration >= 16)) || bad_usage "--duration must be at least 16 s (the faults are spread over it)"
[[ -d $content ]] || bad_usage "content folder not found: $content"
[[ -x $docask_bin ]] || die "docask binary not found: $docask_bin (cargo build --release, or --docask PATH)"
[[ -x $nginx_bin ]] || die "nginx not found: $nginx_bin (apt-get install nginx, or --nginx PATH)"
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
content=$(cd "$content" && pwd)
docask_bin=$(cd "$(dirname "$docask_bin")" && pwd)/$(basename "$docask_bin")

work=$(mktemp -d "${TMPDIR:-/tmp}/docask-replicas.XXXXXX")
# nginx's workers may run as another user: they need to reach the work dir.
chmod 755 "$work"
declare -A pid=()
nginx_pid=""

# Called by the EXIT trap.
# shellcheck disable=SC2329
cleanup() {
    local p
    for p in "${pid[@]}" $nginx_pid; do
        kill "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if ((keep)); then
        log "logs kept in $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Three free loopback ports: replica a, replica b, nginx.
read -r port_a port_b port_lb < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
')
out=$work/public
declare -A port=([a]=$port_a [b]=$port_b)

# Starts replica $1 (a or b) on the shared output folder; its log goes to the work dir.
start_replica() {
    local name=$1
    RUST_LOG=warn "$docask_bin" serve --content "$content" --out "$out" --addr "127.0.0.1:${port[$name]}" \
        >>"$work/serve-$name.log" 2>&1 &
    pid[$name]=$!
}

# Waits until replica $1 answers /healthz; prints the seconds it took.
wait_healthy() {
    local name=$1 start
    start=$(date +%s.%N)
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null "http://127.0.0.1:${port[$name]}/healthz" 2>/dev/null; then
            python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$(date +%s.%N)"
            return 0
        fi
        kill -0 "${pid[$name]}" 2>/dev/null || die "replica $name exited; see $work/serve-$name.log"
        sleep 0.05
    done
    die "replica $name did not answer /healthz within 30 s"
}

log "building $content once into $out"
"$docask_bin" build --quiet --content "$content" --out "$out" 2>"$work/build.log" ||
    die "build failed: $(cat "$work/build.log")"
pages=$(find "$out" -name index.html -not -path '*/.docask/*' | wc -l)

log "starting replicas a (:$port_a) and b (:$port_b) on that folder (each builds it again when it starts)"
start_replica a
wait_healthy a >/dev/null
start_replica b
wait_healthy b >/dev/null

# nginx: deploy/nginx-replicas.conf with its ports changed, inside a minimal main file.
sed -e "s/127\.0\.0\.1:3001/127.0.0.1:$port_a/; s/127\.0\.0\.1:3002/127.0.0.1:$port_b/" \
    -e "s/listen 8080;/listen 127.0.0.1:$port_lb;/" \
    "$repo_root/deploy/nginx-replicas.conf" >"$work/docask.conf"
mkdir -p "$work/nginx-temp"
chmod 777 "$work/nginx-temp"
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
    log_format replicas '\$msec \$status "\$upstream_status" "\$upstream_addr" \$request_time';
    access_log $work/access.log replicas buffer=256k flush=1s;
    client_body_temp_path $work/nginx-temp/body;
    proxy_temp_path $work/nginx-temp/proxy;
    fastcgi_temp_path $work/nginx-temp/fastcgi;
    uwsgi_temp_path $work/nginx-temp/uwsgi;
    scgi_temp_path $work/nginx-temp/scgi;
    include $work/docask.conf;
}
NGINX
"$nginx_bin" -t -c "$work/nginx.conf" -p "$work" 2>"$work/nginx-test.log" ||
    die "nginx -t failed: $(cat "$work/nginx-test.log")"
"$nginx_bin" -c "$work/nginx.conf" -p "$work" 2>>"$work/nginx-error.log" &
nginx_pid=$!
lb=http://127.0.0.1:$port_lb
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$lb/healthz" 2>/dev/null && break
    sleep 0.05
done
curl -fsS -o /dev/null "$lb/healthz" || die "nginx does not answer on $lb; see $work/nginx-error.log"

# The pages to request: every page of llms.txt, as site paths.
curl -fsS "$lb/llms.txt" | python3 -c '
import re, sys
for url in re.findall(r"\]\(([^)]+)\.md\)", sys.stdin.read()):
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    print("/" if path == "/index" else path)
' >"$work/urls.txt"
[[ -s $work/urls.txt ]] || die "no pages found in $lb/llms.txt"
log "$(wc -l <"$work/urls.txt") pages in the mix (HTML, twin, ask each)"

# Starts wrk through nginx for $duration s in the background, output to wrk-$1.txt.
start_wrk() {
    REPLICAS_URLS=$work/urls.txt wrk -t "$threads" -c "$connections" -d "${duration}s" --timeout 10s \
        -s "$script_dir/replicas.lua" "$lb" >"$work/wrk-$1.txt" 2>&1 &
    wrk_pid=$!
}

# Waits for wrk (in this shell: it is its child) and sets `result` to its RESULT line.
wrk_result() {
    wait "$wrk_pid" || true
    result=$(grep '^RESULT ' "$work/wrk-$1.txt") || die "wrk failed: $(cat "$work/wrk-$1.txt")"
}

# Notes an event of run 2 with its time since the run started.
note() {
    python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):5.2f} s  {sys.argv[3]}')" \
        "$(date +%s.%N)" "$run_start" "$*" >>"$work/faults.txt"
}

log "run 1: ${duration} s through nginx, both replicas up"
start_wrk steady
wrk_result steady
steady=$result
sleep 1.2 # the access log is flushed every second
lines_steady=$(wc -l <"$work/access.log")

log "run 2: ${duration} s through nginx: SIGKILL b, restart b, SIGTERM a, restart a"
: >"$work/faults.txt"
run_start=$(date +%s.%N)
start_wrk faults
sleep 3
kill -KILL "${pid[b]}"
wait "${pid[b]}" 2>/dev/null || true
note "SIGKILL b"
sleep 2
note "restart b"
start_replica b
b_ready=$(wait_healthy b)
note "b answers /healthz (${b_ready} s: its start-up build, swapped into the folder a serves)"
sleep 2
note "SIGTERM a"
kill -TERM "${pid[a]}"
a_code=0
wait "${pid[a]}" || a_code=$?
note "a exited with $a_code"
sleep 1
note "restart a"
start_replica a
a_ready=$(wait_healthy a)
note "a answers /healthz (${a_ready} s)"
wrk_result faults
faulted=$result
note "wrk done"
sleep 1.2

# What nginx saw during run 2: client statuses, and requests a replica failed that
# nginx then sent to the other one.
read -r lb_total lb_bad lb_retried < <(tail -n +"$((lines_steady + 1))" "$work/access.log" | python3 -c '
import sys
total = bad = retried = 0
for line in sys.stdin:
    parts = line.split()
    total += 1
    if not (200 <= int(parts[1]) < 400):
        bad += 1
    if "," in parts[2]:
        retried += 1
print(total, bad, retried)
')
upstream_errors=$(grep -c 'upstream' "$work/nginx-error.log" || true)
sent_then_cut=$(grep -Ec 'while reading (response header from )?upstream' "$work/nginx-error.log" || true)

log "drain probe: SIGTERM to replica a while 16 clients send requests straight to it"
probe_page=$(sed -n 3p "$work/urls.txt")
probe=$(python3 - "${port[a]}" "${pid[a]}" "${probe_page:-/}" <<'PY'
import os, signal, socket, sys, threading, time

port, server_pid, page = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
twin = "/index.md" if page == "/" else page + ".md"
html = page if page == "/" else page + "/"
targets = [html, twin, "/llms-full.txt", twin + "?ask=how+do+I+create+a+token+{}"]
counts = {"ok": 0, "refused": 0, "reset": 0, "cut": 0}
lock = threading.Lock()
stop = time.monotonic() + 4.0
sent = [0]


def complete(data):
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1.1 2"):
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            return len(body) == int(value)
        if name == b"transfer-encoding" and b"chunked" in value.lower():
            return body.endswith(b"0\r\n\r\n")
    return False


def client():
    while time.monotonic() < stop:
        with lock:
            sent[0] += 1
            i = sent[0]
        target = targets[i % len(targets)].format(i)
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
        except ConnectionRefusedError:
            with lock:
                counts["refused"] += 1
            time.sleep(0.01)
            continue
        data = b""
        try:
            s.sendall(f"GET {target} HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n".encode())
            while chunk := s.recv(65536):
                data += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass
        finally:
            s.close()
        with lock:
            if complete(data):
                counts["ok"] += 1
            elif not data:
                counts["reset"] += 1
            else:
                counts["cut"] += 1


threads = [threading.Thread(target=client) for _ in range(16)]
for t in threads:
    t.start()
time.sleep(1.5)
with lock:
    before = counts["ok"]
os.kill(server_pid, signal.SIGTERM)
for t in threads:
    t.join()
print(before, counts["ok"], counts["refused"], counts["reset"], counts["cut"])
PY
)
probe_code=0
wait "${pid[a]}" || probe_code=$?
unset 'pid[a]'
read -r probe_before probe_ok probe_refused probe_reset probe_cut <<<"$probe"

ms() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1000:.2f}')" "$1"; }
row() {
    local label=$1 result=$2 reqs rps p50 p99 max status connect read write timeout
    read -r _ reqs rps p50 p99 max status connect read write timeout <<<"$result"
    printf '| %s | %s | %s | %s | %s | %s | %s non-2xx/3xx, %s connect, %s read, %s write, %s timeout |\n' \
        "$label" "$reqs" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$(ms "$max")" \
        "$status" "$connect" "$read" "$write" "$timeout"
}

commit=$(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo unknown)
nginx_version=$("$nginx_bin" -v 2>&1 | sed 's|.*/||')
cat <<REPORT
### $(date -u +%Y-%m-%d), commit $commit

$(nproc) cores; $pages pages (\`$(basename "$content")\`); two \`docask serve\` replicas on one built folder behind nginx $nginx_version with \`deploy/nginx-replicas.conf\`; wrk $threads threads, $connections connections, ${duration} s per run; each page's HTML, its twin and an ask on the twin in turn (a third of the asks new).

| run | requests | req/s | p50 ms | p99 ms | max ms | failed (wrk) |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
$(row "both replicas up" "$steady")
$(row "b killed and restarted, a stopped and restarted" "$faulted")

Run 2 through nginx: $lb_total requests, $lb_bad answered with a status outside 2xx/3xx, $lb_retried sent to the other replica after the first failed them; nginx logged $upstream_errors upstream errors, $sent_then_cut of them on a request already sent (the others could not connect). Replica a exited with code $a_code on SIGTERM. After their restarts b answered /healthz in ${b_ready} s and a in ${a_ready} s (each builds the site when it starts and swaps it into the folder the other one is serving).

Drain probe (16 clients, one request per connection, straight to one replica, SIGTERM after 1.5 s): $probe_before answered before the signal and $probe_ok in all; after it, $probe_refused connections refused (the socket was closed), $probe_reset reset before any byte, $probe_cut cut mid-response; the replica exited with code $probe_code.
REPORT

{
    echo "--- run 2 events"
    cat "$work/faults.txt"
} >&2

failed=0
for result in "$steady" "$faulted"; do
    read -r _ _ _ _ _ _ status connect read write timeout <<<"$result"
    ((status + connect + read + write + timeout == 0)) || failed=1
done
((lb_bad == 0 && probe_cut == 0 && a_code == 0 && probe_code == 0)) || failed=1
exit "$failed"
