#!/usr/bin/env bash
# Browser tests of the default theme: Debian's headless Chromium (never a downloaded
# browser) driven by playwright-core, against the real `docask serve` on loopback and
# against builds opened from file://. Installs the npm packages when missing (from
# package-lock.json), builds docask when needed, and runs node's test runner.
#
#   tests/browser/run.sh            # all tests
#   tests/browser/run.sh tests/blocks.test.js
#
# Needs /usr/bin/chromium (apt-get install -y chromium) or CHROMIUM=/path/to/chromium.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "run.sh: no Chromium at $chromium (apt-get install -y chromium)" >&2
  exit 1
fi
if [ ! -f node_modules/playwright-core/package.json ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ -z "${DOCASK_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet --bin docask)
  export DOCASK_BIN="$root/target/debug/docask"
fi

if [ "$#" -eq 0 ]; then set -- tests/*.test.js; fi
exec node --test --test-concurrency=1 "$@"
