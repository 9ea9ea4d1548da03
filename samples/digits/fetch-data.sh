#!/usr/bin/env bash
# Fetches the UCI optical handwritten digits (8x8, 1797 samples, CC BY 4.0) as Debian ships them in
# python3-sklearn, checks both the package and the data file against pinned SHA-256s, and prints the
# path of digits.csv.gz on stdout (everything else goes to stderr, so `csv=$(./fetch-data.sh)` works).
#
# The .deb comes through apt so that only the Debian mirror is needed; the pinned hashes, not the
# mirror, are what make the data trustworthy. Set PIPELINEGATE_SKLEARN_DEB to a copy of the .deb
# obtained elsewhere (e.g. snapshot.debian.org) to skip apt; it is verified the same way.
set -euo pipefail

readonly PKG=python3-sklearn
readonly VERSION=1.2.1+dfsg-1
readonly DEB_NAME="${PKG}_${VERSION}_all.deb"
readonly DEB_SHA256=ca0c6be401d14871c7e93cfdd8d1f561595dc65e6e2ad2501d568aee7f7efc58
readonly CSV_IN_DEB=usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
readonly CSV_SHA256=46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a

cache="${PIPELINEGATE_CACHE:-$HOME/.cache/pipelinegate}/datasets"
deb="$cache/$DEB_NAME"
extracted="$cache/${PKG}_${VERSION}"
csv="$extracted/$CSV_IN_DEB"

log() { printf '%s\n' "$*" >&2; }

sha_ok() { # file expected-hash
    [[ -f "$1" ]] && [[ "$(sha256sum "$1" | cut -d' ' -f1)" == "$2" ]]
}

require() {
    command -v "$1" >/dev/null 2>&1 || { log "error: '$1' is required ($2)."; exit 1; }
}

require sha256sum "coreutils"
require dpkg-deb "Debian/Ubuntu dpkg"

mkdir -p "$cache"

# Work in a private temp dir inside the cache, then rename: an interrupted run never leaves a
# half-written .deb or half-extracted tree where a later run would trust it.
tmp="$(mktemp -d "$cache/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

if ! sha_ok "$deb" "$DEB_SHA256"; then
    if [[ -n "${PIPELINEGATE_SKLEARN_DEB:-}" ]]; then
        log "Using $PIPELINEGATE_SKLEARN_DEB"
        cp -- "$PIPELINEGATE_SKLEARN_DEB" "$tmp/$DEB_NAME"
    else
        require apt-get "or set PIPELINEGATE_SKLEARN_DEB to a downloaded $DEB_NAME"
        log "Downloading $PKG=$VERSION with apt-get ..."
        # apt-get download writes into the current folder; the package lists may be stale or absent
        # (fresh containers), so refresh them only when the first attempt fails.
        if ! (cd "$tmp" && apt-get download "$PKG=$VERSION" >&2); then
            log "apt-get download failed; running apt-get update and retrying ..."
            apt-get update >&2
            (cd "$tmp" && apt-get download "$PKG=$VERSION" >&2)
        fi
    fi

    if ! sha_ok "$tmp/$DEB_NAME" "$DEB_SHA256"; then
        log "error: $DEB_NAME does not have the pinned SHA-256 $DEB_SHA256."
        log "       The mirror may carry a different build; refusing to use it."
        exit 1
    fi
    mv -f -- "$tmp/$DEB_NAME" "$deb"
fi

if ! sha_ok "$csv" "$CSV_SHA256"; then
    log "Extracting $DEB_NAME ..."
    dpkg-deb -x "$deb" "$tmp/x"
    if ! sha_ok "$tmp/x/$CSV_IN_DEB" "$CSV_SHA256"; then
        log "error: $CSV_IN_DEB in $DEB_NAME does not have the pinned SHA-256 $CSV_SHA256."
        exit 1
    fi
    rm -rf -- "$extracted"
    mv -- "$tmp/x" "$extracted"
fi

printf '%s\n' "$csv"
