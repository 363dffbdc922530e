#!/usr/bin/env bash
# Upload benchmark (issue 5): ours (tests/ObsBuildTasks.Runner --front-end: the front-end core, which runs the call in
# the obs-uploader process as the task and the alias do), ours-jit (the same call in the runner's own process) against
# awscli, rclone, Huawei's Node.js SDK (esdk-obs-nodejs) and the AWS SDK for .NET's TransferUtility, same part size and
# concurrency, on the local object store (eng/object-store.sh) and on a null-sink endpoint.
# Prints a Markdown table of medians and writes it, with every run as JSON lines, under the work directory.
#
#   bash eng/benchmark.sh --quick          # a smoke test (~8 min): 256 MiB / 512 MiB files, 100 small files, 1 round
#   bash eng/benchmark.sh                  # the full run: 1 GiB / 4 GiB files, 500 small files, 3 rounds (~30 min)
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
node_sdk_version=3.26.8
node_sdk="$work/peers/esdk-obs-nodejs-$node_sdk_version"

log() { printf '\n== %s\n' "$*" >&2; }

run_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_peers() {
  # awscli (Debian's v2), rclone, GNU time (CPU and peak RSS of each client) and procps (uptime/load); clang, which
  # links obs-uploader (the runner's build makes it, before the store's start would install it); node and npm for the
  # esdk-obs-nodejs peer when the machine has none.
  local missing=() package
  for package in awscli rclone time procps clang; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    run_root apt-get update -qq
    run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  install_node_sdk
}

install_node_sdk() {
  # Huawei's esdk-obs-nodejs, in a folder of its own under the work directory (kept between runs); nothing is saved
  # in the tree (no package.json, no lock file).
  local installed="$node_sdk/node_modules/esdk-obs-nodejs/package.json"
  if [ -f "$installed" ] && grep -q "\"version\": *\"$node_sdk_version\"" "$installed"; then
    return 0
  fi
  log "installing esdk-obs-nodejs@$node_sdk_version into $node_sdk"
  mkdir -p "$node_sdk"
  npm install --prefix "$node_sdk" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "esdk-obs-nodejs@$node_sdk_version" >&2
}

build() {
  log "building the runner, the benchmark and the TransferUtility peer (Release)"
  local project
  for project in tests/ObsBuildTasks.Runner bench/ObsBuildTasks.Benchmark bench/ObsBuildTasks.Benchmark.AwsSdkPeer; do
    dotnet build "$repo/$project/$(basename "$project").csproj" -c Release "${dotnet_args[@]}"
  done
  # Private copies: other jobs may rebuild the tree while the benchmark runs.
  rm -rf "$work/bin"
  mkdir -p "$work/bin/node-sdk-peer"
  cp -r "$repo/tests/ObsBuildTasks.Runner/bin/Release/net10.0" "$work/bin/runner"
  cp -r "$repo/bench/ObsBuildTasks.Benchmark/bin/Release/net10.0" "$work/bin/benchmark"
  cp -r "$repo/bench/ObsBuildTasks.Benchmark.AwsSdkPeer/bin/Release/net10.0" "$work/bin/aws-sdk-peer"
  cp "$repo/bench/ObsBuildTasks.Benchmark.NodeSdkPeer/upload.js" "$work/bin/node-sdk-peer/"
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
    --aws-sdk-peer "$work/bin/aws-sdk-peer/ObsBuildTasks.Benchmark.AwsSdkPeer.dll" \
    --node-peer "$work/bin/node-sdk-peer/upload.js" --node-modules "$node_sdk/node_modules" \
    --work-dir "$work" "$@"
}

main "$@"
