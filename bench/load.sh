#!/usr/bin/env bash
# Load benchmark: one `docask serve` on loopback, measured with wrk for a static
# page, its Markdown twin and `?ask=` (DESIGN.md "Budgets": ask p99 under 5 ms at
# 64 connections, ask throughput at least half of static, in one run).
#
# See bench/README.md. Progress goes to stderr; the Markdown report to stdout.
set -euo pipefail
shopt -s inherit_errexit

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

usage() {
    cat <<EOF
Usage: bench/load.sh --gen PATH/TO/gen_corpus.py [options]

Generates a corpus (cached), builds and serves it with one \`docask serve\` on
127.0.0.1, and runs wrk against a static page, its Markdown twin, and ?ask=
with ~50 rotating questions; reports requests/s, p50 and p99 latency, and the
ask/static throughput ratio.

Required:
  --gen PATH           corpus generator script (or set DOCASK_BENCH_GEN)

Options:
  --pages N            corpus size (default: 1000)
  --connections N      open connections (default: 64)
  --threads N          wrk threads (default: 2)
  --duration S         seconds per measurement (default: 10)
  --warmup S           seconds of unmeasured load before each (default: 2)
  --docask PATH        docask binary (default: <repo>/target/release/docask)
  --workdir DIR        corpus cache and scratch dir
                       (default: \${DOCASK_BENCH_DIR:-\${TMPDIR:-/tmp}/docask-bench})
  -h, --help           show this help

wrk comes from Debian's \`wrk\` package; it is installed with apt-get when
missing and running as root.
EOF
}

die() { printf 'load.sh: %s\n' "$*" >&2; exit 1; }
bad_usage() { printf 'load.sh: %s\n\n' "$*" >&2; usage >&2; exit 2; }
log() { printf '[load] %s\n' "$*" >&2; }
need_arg() { [[ $# -ge 2 && -n "$2" ]] || bad_usage "option $1 needs a value"; }

gen=${DOCASK_BENCH_GEN:-}
pages=1000
connections=64
threads=2
duration=10
warmup=2
docask_bin=$repo_root/target/release/docask
workdir=${DOCASK_BENCH_DIR:-${TMPDIR:-/tmp}/docask-bench}

while [[ $# -gt 0 ]]; do
    case $1 in
        --gen) need_arg "$@"; gen=$2; shift 2 ;;
        --pages) need_arg "$@"; pages=$2; shift 2 ;;
        --connections) need_arg "$@"; connections=$2; shift 2 ;;
        --threads) need_arg "$@"; threads=$2; shift 2 ;;
        --duration) need_arg "$@"; duration=$2; shift 2 ;;
        --warmup) need_arg "$@"; warmup=$2; shift 2 ;;
        --docask) need_arg "$@"; docask_bin=$2; shift 2 ;;
        --workdir) need_arg "$@"; workdir=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) bad_usage "unknown argument: $1" ;;
    esac
done

[[ -n $gen ]] || bad_usage "--gen PATH/TO/gen_corpus.py is required (or set DOCASK_BENCH_GEN)"
[[ -f $gen ]] || bad_usage "generator not found: $gen"
for n in "$pages" "$connections" "$threads" "$duration"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || bad_usage "expected a positive integer, got: $n"
done
[[ $warmup =~ ^[0-9]+$ ]] || bad_usage "--warmup must be a non-negative integer, got: $warmup"
[[ -x $docask_bin ]] || die "docask binary not found: $docask_bin (cargo build --release, or --docask PATH)"
command -v python3 >/dev/null || die "python3 is needed to run the corpus generator"
command -v curl >/dev/null || die "curl is needed"
if ! command -v wrk >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        log "installing wrk with apt-get"
        if ! { apt-get update -qq >&2 && apt-get install -y -qq wrk >&2; }; then
            die "apt-get install wrk failed"
        fi
    else
        die "wrk is missing: apt-get install wrk"
    fi
fi

gen=$(cd "$(dirname "$gen")" && pwd)/$(basename "$gen")
docask_bin=$(cd "$(dirname "$docask_bin")" && pwd)/$(basename "$docask_bin")
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)

# ------------------------------------------------------------------ corpus
corpus=$workdir/load-$pages
stamp="$(sha256sum "$gen" | cut -d' ' -f1) pages=$pages targets=md"
if [[ -f $corpus/.bench-stamp && $(<"$corpus/.bench-stamp") == "$stamp" && -d $corpus/md ]]; then
    log "corpus $pages: cached in $corpus"
else
    log "corpus $pages: generating in $corpus"
    rm -rf "$corpus"
    python3 "$gen" --pages "$pages" --out "$corpus" --targets md >&2 || die "corpus generator failed"
    printf '%s\n' "$stamp" >"$corpus/.bench-stamp"
fi

# ------------------------------------------------------------------ server
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
base=http://127.0.0.1:$port
site=$workdir/load-site-$pages
server_log=$workdir/load-serve.log
"$docask_bin" serve --content "$corpus/md" --out "$site" --addr "127.0.0.1:$port" 2>"$server_log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT
for _ in $(seq 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$base/healthz" >/dev/null || die "the server did not start: $(tail -3 "$server_log")"
log "serving $pages pages at $base (request log: $server_log)"

# A content page, from llms.txt: its twin and clean URL.
twin=$(curl -sf "$base/llms.txt" | grep -oE '\]\(/[^)]*\.md\)' | sed -n '20p' | sed -E 's/^\]\((.*)\)$/\1/')
[[ -n $twin ]] || die "no page found in llms.txt"
page=${twin%.md}/
log "static page $page, twin $twin"

# run NAME URL [wrk script args...] -> sets rps p50 p99 (µs) and checks for errors
run() {
    local name=$1 url=$2 line non2xx errors
    shift 2
    if ((warmup > 0)); then
        wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$script_dir/load.lua" "$url" -- "$@" >/dev/null
    fi
    line=$(wrk -t"$threads" -c"$connections" -d"${duration}s" -s "$script_dir/load.lua" "$url" -- "$@" | grep '^RESULT')
    read -r _ rps p50 p99 non2xx errors <<<"$line"
    log "$name: $rps req/s, p50 ${p50} µs, p99 ${p99} µs, non-2xx $non2xx, socket errors $errors"
    [[ $non2xx == 0 && $errors == 0 ]] || die "$name: $non2xx non-2xx responses and $errors socket errors"
}

ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

run "static page" "$base$page" fixed
static_rps=$rps static_p50=$p50 static_p99=$p99
run "Markdown twin" "$base$twin" fixed
twin_rps=$rps twin_p50=$p50 twin_p99=$p99
run "ask (50 rotating questions)" "$base$twin" ask "$twin"
ask_rps=$rps ask_p50=$p50 ask_p99=$p99
run "ask (every question new)" "$base$twin" ask-new "$twin"
new_rps=$rps new_p50=$p50 new_p99=$p99

# The budget is what a new question costs (DESIGN.md "Budgets"): the uncached run.
cached_ratio=$(awk -v a="$ask_rps" -v s="$static_rps" 'BEGIN { printf "%.2f", a / s }')
new_ratio=$(awk -v a="$new_rps" -v s="$static_rps" 'BEGIN { printf "%.2f", a / s }')
p99_ok=$(awk -v p="$new_p99" 'BEGIN { print (p < 5000 ? "yes" : "NO") }')
ratio_ok=$(awk -v r="$new_ratio" 'BEGIN { print (r >= 0.5 ? "yes" : "NO") }')

printf '# docask load benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf 'Machine: %s cores, %s. Corpus: %s pages. wrk: %s threads, %s connections, %ss per run after %ss warm-up, on the same machine.\n\n' \
    "$(nproc)" "$(uname -sm)" "$pages" "$threads" "$connections" "$duration" "$warmup"
bt='`'
printf '| request | req/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |\n'
printf '| static page %s%s%s | %s | %s | %s |\n' "$bt" "$page" "$bt" "$static_rps" "$(ms "$static_p50")" "$(ms "$static_p99")"
printf '| Markdown twin %s%s%s | %s | %s | %s |\n' "$bt" "$twin" "$bt" "$twin_rps" "$(ms "$twin_p50")" "$(ms "$twin_p99")"
printf '| %s?ask=%s, 50 rotating questions | %s | %s | %s |\n' "$bt" "$bt" "$ask_rps" "$(ms "$ask_p50")" "$(ms "$ask_p99")"
printf '| %s?ask=%s, every question new (no cache hit) | %s | %s | %s |\n' "$bt" "$bt" "$new_rps" "$(ms "$new_p50")" "$(ms "$new_p99")"
printf '\nuncached ask/static throughput: %s (budget ≥ 0.5: %s); uncached ask p99 %s ms (budget < 5 ms: %s); cached ask/static: %s (not the budget).\n' \
    "$new_ratio" "$ratio_ok" "$(ms "$new_p99")" "$p99_ok" "$cached_ratio"
