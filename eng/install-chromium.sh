#!/usr/bin/env bash
# Installs Debian's Chromium for the HTML report's browser test (tests/PipelineGate.Core.Tests/Report/
# HtmlReportBrowserTests.cs), which renders the report headless and fails, rather than skips, when
# /usr/bin/chromium is missing. Idempotent: does nothing when the browser is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
# A font is named explicitly: text in the charts must render for the screenshot check.
$sudo_cmd apt-get install -y -qq chromium fonts-dejavu-core

/usr/bin/chromium --version
