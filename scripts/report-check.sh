#!/usr/bin/env bash
# Runs a sweep, then renders its report.html in headless Chromium, 1400 px wide and as tall as the page, to a
# screenshot a person can look at. For configs/seed.yaml the screenshot is also the README's (docs/report-seed.png).
# usage: scripts/report-check.sh CLI CONFIG
set -euo pipefail
cli=$1
config=$2
out=.build/report-check
width=1400
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "chromium is not installed: apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
"$cli" run "$config" --out "$out" --quiet
profile=$(mktemp -d)
trap 'rm -rf "$profile" "$out/report-height.html"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile")

# Headless Chromium screenshots the window only, so first ask it how tall the page is at this width: the report has
# no scripts, so a copy gets one that writes the height into the title, read back from the DOM.
sed 's#</body>#<script>document.title = document.documentElement.scrollHeight</script></body>#' "$out/report.html" > "$out/report-height.html"
height=$("$chromium" "${flags[@]}" --window-size=$width,1000 --virtual-time-budget=2000 --dump-dom \
  "file://$(realpath "$out/report-height.html")" 2>/dev/null | sed -n 's#.*<title>\([0-9][0-9]*\)</title>.*#\1#p' | head -n 1)
"$chromium" "${flags[@]}" --window-size=$width,"${height:-3000}" \
  --screenshot="$out/report.png" "file://$(realpath "$out/report.html")" 2>/dev/null
echo "report: $out/report.html"
echo "screenshot: $out/report.png (${width}x${height:-3000})"
if [ "$(realpath "$config")" = "$(realpath configs/seed.yaml)" ]; then
  cp "$out/report.png" docs/report-seed.png
  echo "README screenshot: docs/report-seed.png"
fi
