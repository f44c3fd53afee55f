#!/usr/bin/env bash
# Build benchmark: `docask build` vs Hugo vs mdBook on synthetic corpora.
#
# See bench/README.md. Progress goes to stderr; the Markdown tables go to
# stdout, so `bench/build.sh --gen ... > results.md` gives a pasteable report.
set -euo pipefail
shopt -s inherit_errexit

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

usage() {
    cat <<EOF
Usage: bench/build.sh --gen PATH/TO/gen_corpus.py [options]

Builds synthetic documentation corpora with docask, Hugo and mdBook and
reports median wall time, pages/s and peak RSS per tool and corpus size.

Required:
  --gen PATH               corpus generator script (or set DOCASK_BENCH_GEN)

Options:
  --pages LIST             comma-separated page counts (default: 1000,10000)
  --runs N                 timed builds per tool and size (default: 3)
  --warmup N               untimed builds before the timed ones (default: 0)
  --tools LIST             comma list of docask,hugo,mdbook (default: all three)
  --docask PATH            docask binary (default: <repo>/target/release/docask)
  --skip-mdbook-above N    skip mdBook for sizes above N pages; "none" never
                           skips (default: 2000; mdBook takes ~15 min at 10k)
  --workdir DIR            corpus cache and scratch dir
                           (default: \${DOCASK_BENCH_DIR:-\${TMPDIR:-/tmp}/docask-bench})
  --results DIR            where build-<date>.json goes (default: bench/results)
  --delete-between         build each tool into one output folder, deleted right
                           before each build (default: every build gets a new,
                           empty folder, and all are deleted when the benchmark
                           ends; see "Outputs and the file system" in README.md)
  --rebuild                time rebuilds: each tool builds once, untimed, then
                           every timed build goes into that same output folder,
                           over the previous site (what a writer's loop does)
  -h, --help               show this help

Example:
  bench/build.sh --gen PATH/TO/gen_corpus.py --pages 1000 --runs 5
  bench/build.sh --gen PATH/TO/gen_corpus.py --tools hugo,mdbook
EOF
}

die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }
bad_usage() { printf 'build.sh: %s\n\n' "$*" >&2; usage >&2; exit 2; }
log() { printf '[bench] %s\n' "$*" >&2; }

need_arg() { [[ $# -ge 2 && -n "$2" ]] || bad_usage "option $1 needs a value"; }

# ------------------------------------------------------------------ arguments
gen=${DOCASK_BENCH_GEN:-}
pages_list=1000,10000
runs=3
warmup=0
tools=docask,hugo,mdbook
docask_bin=$repo_root/target/release/docask
skip_mdbook_above=2000
workdir=${DOCASK_BENCH_DIR:-${TMPDIR:-/tmp}/docask-bench}
results_dir=$script_dir/results
delete_between=false
rebuild=false

while [[ $# -gt 0 ]]; do
    case $1 in
        --gen) need_arg "$@"; gen=$2; shift 2 ;;
        --pages) need_arg "$@"; pages_list=$2; shift 2 ;;
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --warmup) need_arg "$@"; warmup=$2; shift 2 ;;
        --tools) need_arg "$@"; tools=$2; shift 2 ;;
        --docask) need_arg "$@"; docask_bin=$2; shift 2 ;;
        --skip-mdbook-above) need_arg "$@"; skip_mdbook_above=$2; shift 2 ;;
        --workdir) need_arg "$@"; workdir=$2; shift 2 ;;
        --results) need_arg "$@"; results_dir=$2; shift 2 ;;
        --delete-between) delete_between=true; shift ;;
        --rebuild) rebuild=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) bad_usage "unknown argument: $1" ;;
    esac
done

[[ -n $gen ]] || bad_usage "--gen PATH/TO/gen_corpus.py is required (or set DOCASK_BENCH_GEN)"
[[ -f $gen ]] || bad_usage "generator not found: $gen"
[[ $runs =~ ^[1-9][0-9]*$ ]] || bad_usage "--runs must be a positive integer, got: $runs"
[[ $warmup =~ ^[0-9]+$ ]] || bad_usage "--warmup must be a non-negative integer, got: $warmup"
[[ $pages_list =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || bad_usage "--pages must look like 1000,10000, got: $pages_list"
case $skip_mdbook_above in
    none | inf) skip_mdbook_above=-1 ;;
    *) [[ $skip_mdbook_above =~ ^[0-9]+$ ]] || bad_usage "--skip-mdbook-above must be a number or 'none', got: $skip_mdbook_above" ;;
esac

IFS=, read -r -a tool_list <<<"$tools"
[[ ${#tool_list[@]} -gt 0 ]] || bad_usage "--tools is empty"
for t in "${tool_list[@]}"; do
    case $t in docask | hugo | mdbook) ;; *) bad_usage "unknown tool in --tools: $t (known: docask,hugo,mdbook)" ;; esac
done
IFS=, read -r -a sizes <<<"$pages_list"

want() {
    local t
    for t in "${tool_list[@]}"; do [[ $t == "$1" ]] && return 0; done
    return 1
}

command -v python3 >/dev/null || die "python3 is needed to run the corpus generator"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get install time (or run bench/install-peers.sh)"

if want docask; then
    [[ -x $docask_bin ]] || die "docask binary not found or not executable: $docask_bin
  build it first (cargo build --release), pass --docask PATH,
  or benchmark only the peers with --tools hugo,mdbook"
    docask_bin=$(cd "$(dirname "$docask_bin")" && pwd)/$(basename "$docask_bin")
fi

gen=$(cd "$(dirname "$gen")" && pwd)/$(basename "$gen")
mkdir -p "$workdir" "$results_dir"
workdir=$(cd "$workdir" && pwd)
results_dir=$(cd "$results_dir" && pwd)

# Outputs kept until the end (without --delete-between), and leftovers of an
# interrupted run removed now.
rm -rf "$workdir"/out-*
kept=()
remove_kept() { ((${#kept[@]} == 0)) || rm -rf "${kept[@]}"; }
trap remove_kept EXIT

# ------------------------------------------------------------------ helpers
json_str() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\t'/ }
    s=${s//$'\n'/ }
    printf '"%s"' "$s"
}

json_num() {
    if [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]]; then printf '%s' "$1"; else printf 'null'; fi
}

# median of the numbers given as arguments
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2];
              else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

tool_label() {
    case $1 in docask) echo docask ;; hugo) echo Hugo ;; mdbook) echo mdBook ;; esac
}

tool_version() {
    case $1 in
        docask) "$docask_bin" --version 2>/dev/null | head -n1 || echo unknown ;;
        hugo) hugo version 2>/dev/null | head -n1 ;;
        mdbook) mdbook --version 2>/dev/null | head -n1 ;;
    esac
}

# short version for the table: "hugo v0.111.3+extended linux/amd64 ..." -> 0.111.3+extended
short_version() {
    local v
    v=$(grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?([-+][0-9A-Za-z.+-]*)?' <<<"$1" | head -n1 || true)
    printf '%s' "${v:-${1:-unknown}}"
}

installed() {
    case $1 in
        docask) [[ -x $docask_bin ]] ;;
        *) command -v "$1" >/dev/null 2>&1 ;;
    esac
}

# run_build TOOL CORPUS_DIR OUT_DIR LOG -> runs one build under /usr/bin/time, into
# an empty OUT_DIR (over the previous build with --rebuild); sets run_wall (seconds,
# from bash's clock) and run_rss_kb; returns the exit code.
run_build() {
    local tool=$1 corpus=$2 out=$3 logf=$4 tfile start end rc=0
    local -a cmd
    case $tool in
        docask) cmd=("$docask_bin" build --content "$corpus/md" --out "$out" --quiet) ;;
        hugo) cmd=(hugo --source "$corpus/hugo" --destination "$out" --quiet
            --noBuildLock --cacheDir "$workdir/hugo-cache") ;;
        mdbook) cmd=(mdbook build "$corpus/mdbook" --dest-dir "$out") ;;
    esac
    $rebuild || rm -rf "$out"
    tfile=$out.time
    start=$EPOCHREALTIME
    /usr/bin/time -f '%e %M' -o "$tfile" "${cmd[@]}" >"$logf" 2>&1 || rc=$?
    end=$EPOCHREALTIME
    run_wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    # GNU time writes "Command exited with non-zero status N" first on failure
    run_rss_kb=$(awk 'NF == 2 && $2 ~ /^[0-9]+$/ { m = $2 } END { print m + 0 }' "$tfile")
    rm -f "$tfile"
    return "$rc"
}

# prepare_corpus N -> echoes the corpus dir, regenerating when the generator
# or its arguments changed since the cached copy was made
prepare_corpus() {
    local n=$1 dir=$workdir/$1 stamp
    stamp="$(sha256sum "$gen" | cut -d' ' -f1) pages=$n targets=md,hugo,mdbook"
    if [[ -f $dir/.bench-stamp && $(<"$dir/.bench-stamp") == "$stamp" && -d $dir/md && -d $dir/hugo && -d $dir/mdbook ]]; then
        log "corpus $n: cached in $dir"
    else
        log "corpus $n: generating in $dir"
        rm -rf "$dir"
        python3 "$gen" --pages "$n" --out "$dir" --targets md,hugo,mdbook >&2 ||
            die "corpus generator failed for --pages $n"
        printf '%s\n' "$stamp" >"$dir/.bench-stamp"
    fi
    printf '%s' "$dir"
}

# ------------------------------------------------------------------ main
date_tag=$(date +%Y-%m-%d)
run_id=$(date -u +%Y-%m-%dT%H:%M:%SZ)
json_out=$results_dir/build-$date_tag.json
host_cores=$(nproc 2>/dev/null || echo '?')
host_mem_gb=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo '?')

any_failed=false
declare -A version
for t in "${tool_list[@]}"; do
    if installed "$t"; then version[$t]=$(tool_version "$t"); else version[$t]="not installed"; fi
done

printf '# docask build benchmark (%s)\n\n' "$run_id"
printf 'Machine: %s cores, %s GiB RAM, %s. Runs per tool: %s (median wall time; peak RSS is the max over runs).\n\n' \
    "$host_cores" "$host_mem_gb" "$(uname -sm)" "$runs"
if $rebuild; then
    printf 'Rebuilds: each timed build goes into the folder of the build before it (one untimed first build per tool and size).\n\n'
elif $delete_between; then
    printf 'Outputs: one folder per tool, deleted right before each of its builds.\n\n'
else
    printf 'Outputs: a new, empty folder for every build, all deleted when the benchmark ends.\n\n'
fi
printf 'Tool versions:\n\n'
for t in "${tool_list[@]}"; do
    bt='`'
    printf -- '- %s: %s%s%s\n' "$(tool_label "$t")" "$bt" "${version[$t]}" "$bt"
done
printf '\n'

for n in "${sizes[@]}"; do
    corpus=$(prepare_corpus "$n")
    pages=$(find "$corpus/md" -type f -name '*.md' ! -name SUMMARY.md | wc -l)
    log "corpus $n: $pages Markdown pages (excluding SUMMARY.md)"

    declare -A status=() med=() pps=() rss=() times=() html=()
    for t in "${tool_list[@]}"; do
        status[$t]=ok
        if ! installed "$t"; then
            status[$t]="not installed"
            log "$t: not installed, skipping"
            continue
        fi
        if [[ $t == mdbook && $skip_mdbook_above -ge 0 && $n -gt $skip_mdbook_above ]]; then
            status[$t]="skipped (too slow: set --skip-mdbook-above)"
            log "mdbook: skipped at $n pages (threshold $skip_mdbook_above)"
            continue
        fi
        declare -a tl=()
        max_rss=0
        first=$warmup
        if $rebuild && ((first == 0)); then first=1; fi
        total=$((first + runs))
        for ((i = 1; i <= total; i++)); do
            logf=$workdir/log-$n-$t-$i.txt
            kind="run $((i - first))/$runs"
            if ((i <= first)); then kind="untimed $i/$first"; fi
            if $delete_between || $rebuild; then out=$workdir/out-$n-$t; else out=$workdir/out-$n-$t-$i; fi
            rc=0
            run_build "$t" "$corpus" "$out" "$logf" || rc=$?
            kept+=("$out")
            if ((rc != 0)); then
                status[$t]="failed (exit $rc, log in work dir: $(basename "$logf"))"
                any_failed=true
                log "$t: build failed (exit $rc) at $n pages; last lines of $logf:"
                tail -n 20 "$logf" >&2 || true
                break
            fi
            log "$t $n pages, $kind: ${run_wall}s, peak RSS $((run_rss_kb / 1024)) MB"
            if ((i > first)); then
                tl+=("$run_wall")
                if ((run_rss_kb > max_rss)); then max_rss=$run_rss_kb; fi
            fi
        done
        if [[ ${status[$t]} == ok ]]; then
            html[$t]=$(find "$out" -type f -name '*.html' | wc -l)
            med[$t]=$(median "${tl[@]}")
            pps[$t]=$(awk -v p="$pages" -v s="${med[$t]}" 'BEGIN { printf "%.1f", (s > 0 ? p / s : 0) }')
            rss[$t]=$(awk -v k="$max_rss" 'BEGIN { printf "%.1f", k / 1024 }')
            times[$t]=$(IFS=,; printf '%s' "${tl[*]}")
        fi
        if $delete_between || $rebuild; then rm -rf "$out"; fi
        unset tl
    done

    # ---------------------------------------------------------- report
    printf '## %s pages (%s Markdown files)\n\n' "$n" "$pages"
    printf '| tool | version | median s | pages/s | peak RSS MB | docask vs tool |\n'
    printf '| --- | --- | ---: | ---: | ---: | --- |\n'
    docask_ok=false
    if [[ ${status[docask]:-} == ok ]]; then docask_ok=true; fi
    for t in "${tool_list[@]}"; do
        label=$(tool_label "$t")
        sv=$(short_version "${version[$t]}")
        ratio=null
        if [[ ${status[$t]} != ok ]]; then
            [[ ${status[$t]} == "not installed" ]] && sv="-"
            printf '| %s | %s | %s | - | - | - |\n' "$label" "$sv" "${status[$t]}"
        else
            if [[ $t == docask ]]; then
                rtext="-"
            elif $docask_ok; then
                ratio=$(awk -v d="${pps[docask]}" -v o="${pps[$t]}" 'BEGIN { printf "%.2f", (o > 0 ? d / o : 0) }')
                rtext=$(awk -v r="$ratio" -v l="$label" 'BEGIN { printf "docask is %.1f× %s", r, l }')
            else
                rtext="n/a (docask not run)"
            fi
            printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$sv" "${med[$t]}" "${pps[$t]}" "${rss[$t]}" "$rtext"
        fi
        # one JSON object per line
        {
            printf '{"run":%s,"rebuild":%s,"size":%s,"pages":%s,"tool":%s,"version":%s,"status":%s' \
                "$(json_str "$run_id")" "$rebuild" "$n" "$pages" "$(json_str "$t")" \
                "$(json_str "${version[$t]}")" "$(json_str "${status[$t]}")"
            if [[ ${status[$t]} == ok ]]; then
                printf ',"runs":%s,"warmup":%s,"times_s":[%s],"median_s":%s,"pages_per_s":%s,"peak_rss_mb":%s,"html_files":%s,"docask_speedup":%s' \
                    "$runs" "$warmup" "${times[$t]}" "${med[$t]}" "${pps[$t]}" "${rss[$t]}" "${html[$t]}" "$ratio"
            fi
            printf ',"cores":%s,"mem_gb":%s}\n' "$(json_num "$host_cores")" "$(json_num "$host_mem_gb")"
        } >>"$json_out"
    done
    printf '\n'
    unset status med pps rss times html
done

log "JSON lines appended to $json_out"
if $any_failed; then
    log "some builds failed: see the logs in $workdir"
    exit 1
fi
