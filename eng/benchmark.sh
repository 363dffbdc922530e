#!/usr/bin/env bash
# Upload benchmark (issue 5): ours (tests/ObsBuildTasks.Runner, a process over the engine) against awscli and rclone,
# same part size and concurrency, on the local object store (eng/object-store.sh) and on a null-sink endpoint.
# Prints a Markdown table of medians and writes it, with every run as JSON lines, under the work directory.
#
#   bash eng/benchmark.sh --quick          # ~5 min: 256 MiB / 512 MiB files, 100 small files, 1 round
#   bash eng/benchmark.sh                  # the full run: 1 GiB / 4 GiB files, 500 small files, 3 rounds (~1 h)
#   bash eng/benchmark.sh --servers sink --scenarios single-t8 --rounds 5
#
# Everything after the script name goes to the benchmark (see --help, or docs/benchmark.md). Generated files, logs
# and results live in $OBS_BENCH_DIR (default /var/tmp/obsbench): ~5.6 GiB of files for the full run.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${OBS_BENCH_DIR:-/var/tmp/obsbench}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDTERMINALLOGGER=off MSBUILDDISABLENODEREUSE=1
dotnet_args=(-nologo -tl:off -nodeReuse:false -v:q)

log() { printf '\n== %s\n' "$*" >&2; }

run_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_peers() {
  # awscli (Debian's v2), rclone, GNU time (CPU and peak RSS of each client) and procps (uptime/load).
  local missing=() package
  for package in awscli rclone time procps; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    run_root apt-get update -qq
    run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

build() {
  log "building the runner and the benchmark (Release)"
  dotnet build "$repo/tests/ObsBuildTasks.Runner/ObsBuildTasks.Runner.csproj" -c Release "${dotnet_args[@]}"
  dotnet build "$repo/bench/ObsBuildTasks.Benchmark/ObsBuildTasks.Benchmark.csproj" -c Release "${dotnet_args[@]}"
  # Private copies: other jobs may rebuild the tree while the benchmark runs.
  rm -rf "$work/bin"
  mkdir -p "$work/bin"
  cp -r "$repo/tests/ObsBuildTasks.Runner/bin/Release/net10.0" "$work/bin/runner"
  cp -r "$repo/bench/ObsBuildTasks.Benchmark/bin/Release/net10.0" "$work/bin/benchmark"
}

main() {
  local arg needs_store=1 servers=""
  for arg in "$@"; do
    if [ "$arg" = --help ] || [ "$arg" = -h ]; then
      build >/dev/null
      dotnet "$work/bin/benchmark/ObsBuildTasks.Benchmark.dll" --help || true
      return 0
    fi
  done
  # The store is needed unless only the sink is asked for.
  local previous=""
  for arg in "$@"; do
    if [ "$previous" = --servers ]; then servers="$arg"; fi
    previous="$arg"
  done
  if [ -n "$servers" ] && [[ ",$servers," != *,swift,* ]]; then needs_store=0; fi

  mkdir -p "$work"
  df -h "$work" >&2
  install_peers
  build
  if [ "$needs_store" = 1 ]; then
    log "starting the local object store"
    bash "$repo/eng/object-store.sh" start
  fi
  log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  # Which engine was measured: the tree changes while others work in it.
  OBS_BENCH_ENGINE_COMMIT="$(git -C "$repo" log -1 --format='%h %cI' 2>/dev/null || echo unknown)"
  if [ -n "$(git -C "$repo" status --porcelain -- src tests/ObsBuildTasks.Runner 2>/dev/null)" ]; then
    OBS_BENCH_ENGINE_COMMIT="$OBS_BENCH_ENGINE_COMMIT + uncommitted changes"
  fi
  export OBS_BENCH_ENGINE_COMMIT
  dotnet "$work/bin/benchmark/ObsBuildTasks.Benchmark.dll" --runner "$work/bin/runner/ObsBuildTasks.Runner.dll" \
    --work-dir "$work" "$@"
}

main "$@"
