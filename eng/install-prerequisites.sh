#!/usr/bin/env bash
# Debian packages the build and tests need beyond the .NET SDK and node/npm that a machine of this
# kind has: dpkg-deb and apt-get fetch pinned test data (libonnx-testdata, python3-sklearn's digits),
# npm fetches ONNX Runtime. Idempotent; installs only what is missing.
set -euo pipefail

need=()
command -v dpkg-deb >/dev/null || need+=(dpkg)
command -v tar >/dev/null || need+=(tar)
command -v npm >/dev/null || need+=(npm)
if [ "${#need[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${need[@]}"
fi

# Headless Chromium renders the HTML report in the report tests.
bash "$(dirname "$0")/install-chromium.sh"
