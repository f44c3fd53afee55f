#!/usr/bin/env bash
# Seeds the fuzz corpora from real GitBook repositories (folders given as arguments):
# their pages, SUMMARY files, front matter and .gitbook.yaml files. The corpora stay
# out of the repository (see .gitignore).
set -euo pipefail
repos=()
for r in "$@"; do repos+=("$(realpath "$r")"); done
cd "$(dirname "$0")"
mkdir -p corpus/page corpus/summary corpus/front_matter corpus/gitbook_yaml
for repo in "${repos[@]}"; do
  find "$repo" -name '*.md' -size -64k | while read -r f; do
    name=$(printf '%s' "$f" | sha1sum | cut -c1-16)
    case "$(basename "$f")" in
      SUMMARY.md) cp "$f" "corpus/summary/$name" ;;
      *) cp "$f" "corpus/page/$name"; head -c 2048 "$f" > "corpus/front_matter/$name" ;;
    esac
  done
  find "$repo" -name '.gitbook.yaml' | while read -r f; do
    cp "$f" "corpus/gitbook_yaml/$(printf '%s' "$f" | sha1sum | cut -c1-16)"
  done
done
for d in corpus/*; do echo "$d: $(ls "$d" | wc -l) seeds"; done
