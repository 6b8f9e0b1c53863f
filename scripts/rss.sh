#!/usr/bin/env bash
# Runs a command and samples its resident memory every 0.5 s: each line of LOG is "seconds-since-start MB"; the
# command's own output goes to LOG.out. For where memory grows within a run (docs/benchmarks.md); make bench gives the
# peak alone.
#   scripts/rss.sh LOG COMMAND [ARGS...]
set -u
log=$1
shift
: > "$log"
"$@" > "$log.out" 2>&1 &
pid=$!
start=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
  mb=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status" 2>/dev/null)
  now=$(date +%s.%N)
  awk -v a="$now" -v b="$start" -v m="$mb" 'BEGIN { printf "%.1f %s\n", a - b, m }' >> "$log"
  sleep 0.5
done
wait "$pid"
