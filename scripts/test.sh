#!/usr/bin/env bash
# Runs the test suite and ends with one line CI can count: "N passed, N failed, N skipped",
# taken from the test platform's own summary. First installs what the tests need when it is missing (or stops,
# saying how): see scripts/test-deps.sh. Arguments (make check's --filter) go to the test platform; a filtered run
# needs nothing installed.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  bash scripts/test-deps.sh || exit 1
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test --solution GdSweeps.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -E "^\s*$1:\s*[0-9]+" "$log" | awk -F: '{ s += $2 } END { print s + 0 }'; }
total=$(sum total)
failed=$(sum failed)
passed=$(sum succeeded)
skipped=$(sum skipped)
if [ "$total" -eq 0 ]; then
  echo "no test summary found in the test output" >&2
  [ "$status" -eq 0 ] && status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
