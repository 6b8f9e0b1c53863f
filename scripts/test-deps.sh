#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, when it is missing: headless Chromium (the HTML report is
# rendered in it), Slurm with munge (a real single-node cluster runs a job array), python3-numpy and python3-torch for
# Debian's /usr/bin/python3 (the command-trainer examples, examples/mlp and examples/torch, run in it), python3-pandas,
# python3-matplotlib, python3-ipykernel and jupyter-nbconvert (the suite executes examples/analysis.ipynb), and Node.js with
# npm for Polars (the README's Polars code runs on nodejs-polars, installed by npm into .build/node), and strace (the
# order of a sweep's syncs and renames is read from its system calls, what a power loss would keep). As root with
# apt-get (Debian) it installs them and says so; otherwise it fails at once with the command to run, so that no test
# is skipped for want of a tool. Called by scripts/test.sh (make test) before the suite.
set -euo pipefail

# Debian package and how to tell it is there (the same paths the tests look at).
have_chromium() { [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]; }
have() { [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have_numpy() { /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1; }
have_torch() { /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; }
have_module() { /usr/bin/python3 -c "import $1" >/dev/null 2>&1; }

need=()
have_chromium || need+=(chromium)
have slurmctld || need+=(slurmctld)
have slurmd || need+=(slurmd)
have sbatch || need+=(slurm-client)
have munged || need+=(munge)
have_numpy || need+=(python3-numpy)
have_torch || need+=(python3-torch)
have_module pandas || need+=(python3-pandas)
have_module matplotlib || need+=(python3-matplotlib)
have_module ipykernel || need+=(python3-ipykernel)
have jupyter-nbconvert || need+=(jupyter-nbconvert)
type -P node >/dev/null || need+=(nodejs)
type -P npm >/dev/null || need+=(npm)
have strace || need+=(strace)

install_command="apt-get install -y --no-install-recommends ${need[*]:-}"

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! type -P apt-get >/dev/null; then
    echo "make test: the tests need these missing packages: ${need[*]}; they are installed here only as root with apt-get." >&2
    if type -P apt-get >/dev/null; then
      echo "run:  sudo apt-get update && sudo $install_command" >&2
    else
      echo "install these Debian packages (or your system's equivalents): ${need[*]}" >&2
    fi
    echo "then run make test again." >&2
    exit 1
  fi

  echo "make test: installing what the tests need: ${need[*]} (apt-get, once; about a minute)"
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  echo "  apt-get update"
  if ! apt-get update -qq >"$log" 2>&1; then
    cat "$log" >&2
    echo "make test: apt-get update failed; run it yourself, then: $install_command" >&2
    exit 1
  fi
  echo "  $install_command"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "make test: installing ${need[*]} failed (above); fix it, or run: $install_command" >&2
    exit 1
  fi
  echo "  installed ${need[*]}"
fi

if [ "$(id -u)" != 0 ]; then
  echo "make test: note: the Slurm test starts munged, slurmctld and slurmd itself and needs root; as $(id -un) it will fail (run: sudo make test)." >&2
fi

bash "$(dirname "$0")/readers-deps.sh"
