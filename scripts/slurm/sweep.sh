#!/usr/bin/env bash
# make sweep-slurm: runs a sweep as a Slurm job array, waits for it, then merges the shards and writes the report.
# usage: sweep.sh CLI CONFIG [TASKS] [CPUS_PER_TASK] [OUT]
#   CLI            the gdsweeps command, on a filesystem every node sees (a path, or e.g. "dotnet /path/gdsweeps.dll")
#   TASKS          array size = number of shards (default 4)
#   CPUS_PER_TASK  CPUs per task; each task runs that many threads (default 1)
#   OUT            results folder on a shared filesystem (default results/<sweep name>)
# Extra sbatch options (partition, time limit, account) can be given in SBATCH_OPTIONS.
set -euo pipefail
cli=${1:?usage: sweep.sh CLI CONFIG [TASKS] [CPUS_PER_TASK] [OUT]}
config=$(realpath "${2:?usage: sweep.sh CLI CONFIG [TASKS] [CPUS_PER_TASK] [OUT]}")
tasks=${3:-4}
cpus=${4:-1}
here=$(cd "$(dirname "$0")" && pwd)
name=$($cli validate "$config" | sed -n 's/^sweep \([^:]*\):.*/\1/p' | head -1)
out=$(realpath -m "${5:-results/$name}")
mkdir -p "$out"
timeout=${SWEEP_TIMEOUT:-86400}

# shellcheck disable=SC2086
job=$(sbatch --parsable --array="1-$tasks" --cpus-per-task="$cpus" --chdir="$out" ${SBATCH_OPTIONS:-} \
  --export="ALL,GDSWEEPS=$cli,GDSWEEPS_CONFIG=$config,GDSWEEPS_OUT=$out" "$here/gdsweeps.sbatch")
job=${job%%;*}
echo "submitted job array $job: $tasks tasks x $cpus CPUs, results in $out"

# squeue answers at once; sbatch --wait polls every 10 s, too slow for short arrays.
deadline=$(( $(date +%s) + timeout ))
while [ -n "$(squeue -h -j "$job" -o '%i' 2>/dev/null)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "job $job still running after $timeout s; cancel with: scancel $job" >&2; exit 1; }
  sleep 0.5
done

failed=()
for k in $(seq "$tasks"); do
  grep -q '"state": "complete"' "$out/manifest-shard-$k-of-$tasks.json" 2>/dev/null || failed+=("$k/$tasks")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "shards not complete: ${failed[*]} (their logs: $out/slurm-${job}_K.out); rerun them, then: $cli merge $out" >&2
  exit 1
fi
$cli merge "$out"
