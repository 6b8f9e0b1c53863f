#!/usr/bin/env bash
# make build: publishes the gdsweeps command into OUT, as native code compiled ahead of time when a clang is given
# (CLANG, Debian's is versioned), else as ReadyToRun (JIT start-up, same results). Says what it does as it goes.
# usage: scripts/build.sh OUT [CLANG]
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/build.sh OUT [CLANG]}
clang=${2:-}
dotnet=${DOTNET:-dotnet}
project=src/GdSweeps.Cli/GdSweeps.Cli.csproj
common=(-c Release --nologo -v quiet)
native=(-p:Native=true "-p:CppCompilerAndLinker=$clang" -p:DebugType=none -p:StripSymbols=true)
start=$SECONDS

# step LABEL COMMAND...: prints LABEL, runs COMMAND with a line every 15 s while it runs, then how long it took.
step() {
  local label=$1 t0=$SECONDS ticker status
  shift
  echo "  $label"
  ( while sleep 15 </dev/null >/dev/null 2>&1; do echo "    ... $(( SECONDS - t0 )) s"; done ) &
  ticker=$!
  "$@"
  status=$?
  kill "$ticker" 2>/dev/null
  wait "$ticker" 2>/dev/null
  [ "$status" = 0 ] && echo "    done in $(( SECONDS - t0 )) s"
  return "$status"
}

ready_to_run() {
  rm -rf "$out"
  step "restoring packages" "$dotnet" restore "$project" --nologo -v quiet &&
    step "compiling C# and ReadyToRun code" "$dotnet" publish "$project" "${common[@]}" --no-restore -o "$out"
}

rm -rf "$out"
if [ -n "$clang" ]; then
  echo "building $out/gdsweeps as native code (first build takes about a minute; later ones only when a source changes)"
  if step "restoring packages (the native compiler's too)" "$dotnet" restore "$project" --nologo -v quiet -p:Native=true &&
    step "compiling C#" "$dotnet" msbuild "$project" -t:Build -p:Configuration=Release -nologo -v:quiet "${native[@]}" &&
    step "compiling native code with $(basename "$clang") (the longest step)" "$dotnet" publish "$project" "${common[@]}" --no-build -o "$out" "${native[@]}"; then
    echo "built $out/gdsweeps (native) in $(( SECONDS - start )) s"
    exit 0
  fi
  echo "native build failed (above); building ReadyToRun instead (same results, slower start)"
else
  echo "no clang found for a native build; building $out/gdsweeps as ReadyToRun (same results, slower start; apt-get install clang for native code)"
fi
if ready_to_run; then
  echo "built $out/gdsweeps (ReadyToRun) in $(( SECONDS - start )) s"
else
  echo "build failed (above)" >&2
  exit 1
fi
