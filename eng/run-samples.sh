#!/usr/bin/env bash
# The samples, end to end, against the local object store this script starts itself (eng/object-store.sh), through
# its OBS front, with the package's defaults (the OBS signature, negotiated): builds and packs the ObsBuildTasks
# package, then packs samples/msbuild, which uploads its .nupkg and a 64 MiB generated file to the bucket obs-samples
# and prints where they went. Needs only the .NET 10 SDK (and root or sudo the first time, for the store's Debian
# packages).
#
#   bash eng/run-samples.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Plain console output; no build node outlives the script holding an old task assembly.
export MSBUILDTERMINALLOGGER=off MSBUILDDISABLENODEREUSE=1
dotnet_args=(-nologo -tl:off -nodeReuse:false)

log() { printf '\n== %s\n' "$*"; }

start_store() {
  log "starting the local object store"
  bash "$repo/eng/object-store.sh" start
  # The OBS front's endpoint and credentials, as a CI job would set them from its secrets.
  eval "$(bash "$repo/eng/object-store.sh" env)"
  export OBS_ENDPOINT="$OBS_FRONT_ENDPOINT" OBS_ACCESS_KEY_ID="$OBS_FRONT_ACCESS_KEY_ID" OBS_SECRET_ACCESS_KEY="$OBS_FRONT_SECRET_ACCESS_KEY"
  unset OBS_SECURITY_TOKEN
}

msbuild_sample() {
  local packages="$repo/artifacts/packages" version
  log "packing ObsBuildTasks into $packages"
  dotnet pack "$repo/src/ObsBuildTasks/ObsBuildTasks.csproj" -c Release -o "$packages" "${dotnet_args[@]}" -v:q
  version="$(dotnet msbuild "$repo/src/ObsBuildTasks/ObsBuildTasks.csproj" -getProperty:Version "${dotnet_args[@]}")"

  log "packing samples/msbuild with ObsBuildTasks $version; it uploads after Pack"
  # A package cache of its own, emptied of ObsBuildTasks: a package of the same version restored earlier never
  # stands in for the one just built.
  export NUGET_PACKAGES="$repo/artifacts/sample-packages"
  rm -rf "$NUGET_PACKAGES/obsbuildtasks"
  dotnet pack "$repo/samples/msbuild/ObsUploadSample.csproj" -c Release "${dotnet_args[@]}" -v:m -p:ObsBuildTasksVersion="$version"
}

start_store
msbuild_sample
