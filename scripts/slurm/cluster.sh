#!/usr/bin/env bash
# A throwaway single-node Slurm cluster from Debian's packages, for the tests: `cluster.sh up DIR` starts munged,
# slurmctld and slurmd (as root: this kind of machine has no systemd) with every file under DIR, waits until the
# node is idle, and prints the SLURM_CONF to export; `cluster.sh down DIR` stops them. Every wait has a deadline.
set -euo pipefail
action=${1:?usage: cluster.sh up|down DIR}
dir=$(realpath -m "${2:?usage: cluster.sh up|down DIR}")

alive() { [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] && ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$1/stat"; }

stop() {
  for name in slurmd slurmctld munged; do
    local pidfile="$dir/$name.pid" pid
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if alive "$pid"; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
      alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

if [ "$action" = down ]; then
  stop
  exit 0
fi

[ "$(id -u)" = 0 ] || { echo "cluster.sh needs root (it starts the daemons directly)" >&2; exit 1; }
for cmd in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$cmd" >/dev/null || { echo "$cmd is missing: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge" >&2; exit 1; }
done

mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chown munge:munge "$dir/munge"
host=$(hostname -s)
port=$(( 20000 + RANDOM % 20000 ))
node=$(slurmd -C | head -1 | sed 's/ UpTime=.*//')

# munge: its own key and socket under DIR, so nothing of the machine's is touched
if [ ! -f "$dir/munge/munge.key" ]; then
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chown munge:munge "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
fi
socket="$dir/munge/munge.socket"
runuser -u munge -- munged --key-file="$dir/munge/munge.key" --socket="$socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" -f
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
cp "$dir/munge/munged.pid" "$dir/munged.pid"

cat > "$dir/slurm.conf" <<CONF
ClusterName=gdsweeps-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
$node State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -i
slurmd
deadline=$(( $(date +%s) + 30 ))
until sinfo -h -o '%t' 2>/dev/null | grep -qx 'idle'; do
  if [ "$(date +%s)" -gt "$deadline" ]; then
    echo "the node did not become idle within 30 s" >&2
    tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
    stop
    exit 1
  fi
  sleep 0.2
done
echo "$SLURM_CONF"
