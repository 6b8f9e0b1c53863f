#!/usr/bin/env bash
# make bench: the benchmark workload (configs/scale-study.yaml) end to end against the Python peers, alternating,
# then thread scaling, the step-kernel micro-benchmarks (BenchmarkDotNet) and the core's FMA peak.
# Needs Debian's python3-numpy and python3-torch for the peers (skipped, with a note, when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
cli=.build/cli/gdsweeps
peers=${PEERS:-../shared/peers}
rounds=${ROUNDS:-5}
config=configs/scale-study.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

have_peers=1
/usr/bin/python3 -c 'import numpy, torch' 2>/dev/null || { have_peers=0; echo "note: python3-numpy/python3-torch missing: peers skipped (apt-get install python3-numpy python3-torch)"; }

echo "== end to end, process start to report written, $rounds rounds alternating (seconds)"
for r in $(seq "$rounds"); do
  seconds "$cli" run "$config" --out "$tmp/gd-$r" --quiet >> "$tmp/gd"
  seconds "$cli" run "$config" --out "$tmp/ps-$r" --quiet --per-sample >> "$tmp/ps"
  if [ "$have_peers" = 1 ]; then
    seconds /usr/bin/python3 "$peers/torch_vec.py" --mode manual --reps 1 --w0 0 --exact-clip --out "$tmp/torch.npz" >> "$tmp/torch"
    seconds /usr/bin/python3 "$peers/numpy_vec.py" --reps 1 --w0 0 --exact-clip --out "$tmp/numpy.npz" >> "$tmp/numpy"
  fi
done
steps=$("$cli" run "$config" --out "$tmp/count" --per-sample 2>&1 | sed -n 's/.*computed (\([0-9]*\) sample-steps).*/\1/p')
runs=1392
gd=$(median < "$tmp/gd"); ps=$(median < "$tmp/ps")
printf '%-46s %8.3f s  %9.0f runs/s  %.3g sample-steps/s\n' "gdsweeps (exact shortcut from sums)" "$gd" "$(echo "$runs / $gd" | bc -l)" "$(echo "$steps / $gd" | bc -l)"
printf '%-46s %8.3f s  %9.0f runs/s  %.3g sample-steps/s\n' "gdsweeps --per-sample" "$ps" "$(echo "$runs / $ps" | bc -l)" "$(echo "$steps / $ps" | bc -l)"
if [ "$have_peers" = 1 ]; then
  torch=$(median < "$tmp/torch"); numpy=$(median < "$tmp/numpy")
  printf '%-46s %8.3f s  %9.0f runs/s  %.3g sample-steps/s\n' "PyTorch vectorized peer (whole process)" "$torch" "$(echo "$runs / $torch" | bc -l)" "$(echo "$steps / $torch" | bc -l)"
  printf '%-46s %8.3f s  %9.0f runs/s  %.3g sample-steps/s\n' "numpy vectorized peer (whole process)" "$numpy" "$(echo "$runs / $numpy" | bc -l)" "$(echo "$steps / $numpy" | bc -l)"
  printf 'speed-up over the PyTorch peer: %.1fx (exact shortcut), %.1fx (per sample)\n' "$(echo "$torch / $gd" | bc -l)" "$(echo "$torch / $ps" | bc -l)"
fi
echo "sample-steps in the workload: $steps"

echo "== parallel efficiency, --per-sample, end to end (3 rounds each)"
for workload in "$config" configs/scale-study-large.yaml; do
  rm -f "$tmp/t1" "$tmp/t2"
  for r in 1 2 3; do
    seconds "$cli" run "$workload" --out "$tmp/t1-$r" --quiet --per-sample --threads 1 >> "$tmp/t1"
    seconds "$cli" run "$workload" --out "$tmp/t2-$r" --quiet --per-sample --threads 2 >> "$tmp/t2"
    rm -rf "$tmp/t1-$r" "$tmp/t2-$r"
  done
  t1=$(median < "$tmp/t1"); t2=$(median < "$tmp/t2")
  printf '%-34s 1 thread %.3f s, 2 threads %.3f s: %.2fx\n' "$workload" "$t1" "$t2" "$(echo "$t1 / $t2" | bc -l)"
done

echo "== memory: $(grep -c . configs/million.yaml >/dev/null && echo 1,000,000 runs) (configs/million.yaml), peak RSS"
if [ "${BENCH_MILLION:-1}" = 1 ]; then
  /usr/bin/time -v "$cli" run configs/million.yaml --out "$tmp/million" --quiet --yes 2>&1 | grep -E 'Maximum resident|Elapsed' || true
  rm -rf "$tmp/million"
fi

echo "== FMA peak of one core"
gcc -O2 -mavx2 -mfma tests/GdSweeps.Benchmarks/fma_peak.c -o "$tmp/fma_peak"
"$tmp/fma_peak" | head -3

echo "== step kernel micro-benchmarks (BenchmarkDotNet)"
dotnet run -c Release --project tests/GdSweeps.Benchmarks -- --filter '*' --artifacts "$tmp/bdn" 2>&1 | grep -E '^\|' || true
