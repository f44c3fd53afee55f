#!/usr/bin/env bash
# Install what bench/build.sh compares docask against, idempotently:
#   - Hugo and GNU time from the distribution (Debian/Ubuntu apt);
#   - mdBook from apt when the distribution has it, else `cargo install --locked`.
# Already-installed tools are left alone. Run as root or with sudo available.
#
#   bench/install-peers.sh                 # hugo + time + mdbook
#   MDBOOK_VERSION=latest bench/install-peers.sh
#   WITH_SHELLCHECK=1 bench/install-peers.sh   # also shellcheck (for editing build.sh)
set -euo pipefail

# mdBook version for `cargo install` (the one bench results were first taken
# with); "latest" installs the newest release from crates.io.
mdbook_version=${MDBOOK_VERSION:-0.5.4}

log() { printf '[install-peers] %s\n' "$*" >&2; }

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { log "not root and no sudo: cannot use apt-get"; exit 1; }
    sudo_cmd=(sudo)
fi

apt_updated=false
apt_install() {
    command -v apt-get >/dev/null || { log "apt-get not found: install $* by hand"; return 1; }
    if ! $apt_updated; then
        "${sudo_cmd[@]}" apt-get update -q
        apt_updated=true
    fi
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

apt_has() {
    command -v apt-cache >/dev/null || return 1
    if ! $apt_updated; then
        "${sudo_cmd[@]}" apt-get update -q
        apt_updated=true
    fi
    local cand
    cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    [[ -n $cand && $cand != "(none)" ]]
}

pkgs=()
[[ -x /usr/bin/time ]] || pkgs+=(time)
command -v hugo >/dev/null || pkgs+=(hugo)
command -v python3 >/dev/null || pkgs+=(python3)
if [[ -n ${WITH_SHELLCHECK:-} ]] && ! command -v shellcheck >/dev/null; then pkgs+=(shellcheck); fi
if [[ ${#pkgs[@]} -gt 0 ]]; then
    log "apt-get install ${pkgs[*]}"
    apt_install "${pkgs[@]}"
else
    log "hugo, time and python3 already installed"
fi

if command -v mdbook >/dev/null; then
    log "mdbook already installed: $(mdbook --version)"
elif apt_has mdbook; then
    log "apt-get install mdbook"
    apt_install mdbook
else
    command -v cargo >/dev/null || { log "mdbook: not in apt and cargo not found"; exit 1; }
    version_args=()
    [[ $mdbook_version == latest ]] || version_args=(--version "$mdbook_version")
    log "cargo install --locked mdbook ${version_args[*]} (compiles for a few minutes)"
    nice -n 10 cargo install --locked mdbook "${version_args[@]}"
fi

log "versions:"
hugo version >&2
mdbook --version >&2 || log "mdbook not on PATH: add ~/.cargo/bin to PATH"
