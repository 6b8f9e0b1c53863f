#!/usr/bin/env bash
# Runs a sweep, then renders its report.html in headless Chromium to a screenshot a person can look at.
# usage: scripts/report-check.sh CLI CONFIG
set -euo pipefail
cli=$1
config=$2
out=.build/report-check
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "chromium is not installed: apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
"$cli" run "$config" --out "$out" --quiet
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" --window-size=1300,2600 \
  --screenshot="$out/report.png" "file://$(realpath "$out/report.html")" 2>/dev/null
echo "report: $out/report.html"
echo "screenshot: $out/report.png"
