#!/usr/bin/env bash
# Installs nodejs-polars into .build/node (not committed) for the test that runs the README's Polars code as written
# (ReaderSnippetTests), when it is not there yet. Pinned: a newer release's native build may not be served for every
# platform, and npm leaves the native part out silently when it is optional, so it is named explicitly.
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.25.2
case "$(uname -m)" in
  x86_64) native=nodejs-polars-linux-x64-gnu ;;
  aarch64 | arm64) native=nodejs-polars-linux-arm64-gnu ;;
  *) echo "make test: nodejs-polars has no build for $(uname -m) here; the Polars test will fail" >&2; exit 0 ;;
esac

prefix=.build/node
if [ -f "$prefix/node_modules/nodejs-polars/package.json" ] && [ -d "$prefix/node_modules/$native" ] \
  && grep -q "\"version\": \"$version\"" "$prefix/node_modules/nodejs-polars/package.json"; then
  exit 0
fi

echo "make test: installing nodejs-polars $version into $prefix (npm, once; a few seconds)"
mkdir -p "$prefix"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm install --prefix "$prefix" --no-audit --no-fund --no-save --save-exact "nodejs-polars@$version" "$native@$version" >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "make test: npm could not install nodejs-polars (above); run: npm install --prefix $prefix nodejs-polars@$version $native@$version" >&2
  exit 1
fi
echo "  installed nodejs-polars $version"
