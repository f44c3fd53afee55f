#!/usr/bin/env bash
# Build time of one long page full of links (a changelog of thousands of entries), at
# growing lengths, for one or more docask binaries side by side. Linear work shows as
# time doubling with the page; a quadratic step shows as time quadrupling.
#
# Usage: bench/long_page.sh BIN [BIN ...]     (e.g. an old and a new build)
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BIN [BIN ...]" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-8s' entries
for bin in "$@"; do printf ' %14s' "$(basename "$bin")"; done
echo
for n in 2000 4000 8000 16000; do
    mkdir -p "$work/$n"
    python3 - "$n" > "$work/$n/README.md" <<'PY'
import sys
n = int(sys.argv[1])
print("# Changelog\n")
for i in range(n):
    if i % 10 == 0:
        print(f"\n## 1.{i // 10}.0\n")
    print(f"- [#{i}](https://example.com/pull/{i}) [`{i:040x}`](https://example.com/commit/{i:040x}) "
          f"Thanks [@dev{i % 7}](https://example.com/dev{i % 7})! Fixes the widget cache for case {i}.")
PY
    printf '%-8s' "$n"
    for bin in "$@"; do
        rm -rf "$work/out"
        start=$(date +%s.%N)
        "$bin" build -q --content "$work/$n" --out "$work/out"
        printf ' %13.2fs' "$(echo "$(date +%s.%N) - $start" | bc)"
    done
    echo
done
