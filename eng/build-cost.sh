#!/usr/bin/env bash
# What the ObsUploadFile task adds to a build (issue 13): the same small project is built again and again, once with
# a target that uploads a file and once without calling the task, in turn; /usr/bin/time gives each build's wall
# time, CPU (user + sys, the build's waited-for processes included: obs-uploader too) and peak RSS (the largest
# process of the build: MSBuild's own, or the task host with --task-host; never a sum). The task runs the upload in
# the obs-uploader process, whose own CPU and peak memory come from its diagnostic line "obs-uploader used 1.23 s CPU,
# peak memory 27.4 MiB." (a file logger at detailed verbosity, on every build alike, keeps it). The differences are
# the task's start-up (a 1-byte file) and the memory it adds (large files: it must not grow with the file): the
# build's own added peak RSS, the uploader's, and their sum against 16 MiB + TaskNum x 256 KiB. The task comes from the
# package packed from this tree, uploading to the local store.
#
#   bash eng/build-cost.sh                           # 1 byte, 256 MiB and 1 GiB at TaskNum 8, 5 rounds each
#   bash eng/build-cost.sh --sizes 1 --rounds 9      # start-up only
#   bash eng/build-cost.sh --task-host               # the task in MSBuild's .NET task host (a process of its own)
#   bash eng/build-cost.sh --in-process              # InProcess="true": the upload in the build's process, no uploader
#
# Prints a Markdown table of medians and keeps it, with every build's figures, under $OBS_BUILD_COST_DIR (default
# /var/tmp/obs-build-cost).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${OBS_BUILD_COST_DIR:-/var/tmp/obs-build-cost}"
sizes="1,268435456,1073741824"
rounds=5
task_num=8
task_host=false
in_process=false
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --task-num) task_num="$2"; shift 2 ;;
    --task-host) task_host=true; shift ;;
    --in-process) in_process=true; shift ;;
    *) echo "unknown argument $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDTERMINALLOGGER=off
# Every build in a process of its own, as in CI: no MSBuild server, no node or compiler server left running.
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false
# The uploader's line is a Low message: a file logger at detailed verbosity keeps it (every build has it, so its cost is
# in both columns; diagnostic verbosity would also log every property and item).
build_args=(--no-restore -nologo -v:q -nodeReuse:false "-p:ObsBuildTasksUseTaskHost=$task_host" "-flp:verbosity=detailed;logfile=$work/last-build.detailed.log")

command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
bash "$repo/eng/object-store.sh" start >&2
eval "$(bash "$repo/eng/object-store.sh" env)"
export OBS_ACCESS_KEY_ID="$OBS_TEST_ACCESS_KEY_ID" OBS_SECRET_ACCESS_KEY="$OBS_TEST_SECRET_ACCESS_KEY"

# The package as this tree packs it, in a feed and a package cache of the consumer's own (the version never changes,
# so a shared cache would serve an older build).
rm -rf "$work/feed" "$work/packages" "$work/consumer"
mkdir -p "$work/feed" "$work/consumer" "$work/files" "$work/results"
dotnet pack "$repo/src/ObsBuildTasks/ObsBuildTasks.csproj" -c Release -o "$work/feed" -nologo -v:q >&2
export NUGET_PACKAGES="$work/packages"
cat >"$work/consumer/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="build-cost-feed" value="$work/feed" />
  </packageSources>
</configuration>
EOF
cat >"$work/consumer/Consumer.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ObsBuildTasks" Version="1.0.0" PrivateAssets="all" />
  </ItemGroup>
  <Target Name="UploadArtifact" AfterTargets="Build" Condition="'$(UploadFile)' != ''">
    <ObsUploadFile Bucket="$(Bucket)" Files="$(UploadFile)" Endpoint="$(Endpoint)" ObjectKeyPrefix="build-cost/"
                   Signature="V4" Region="$(Region)" PartSize="16777216" TaskNum="$(TaskNum)" InProcess="$(UploadInProcess)" />
  </Target>
</Project>
EOF
echo 'namespace Consumer; public static class Widget { public static int Answer => 42; }' >"$work/consumer/Widget.cs"
dotnet restore "$work/consumer/Consumer.csproj" -nologo -v:q >&2
dotnet build "$work/consumer/Consumer.csproj" "${build_args[@]}" >&2   # compiled once: later builds only check

# One build: appends "wall user sys maxrss_kib uploader_cpu_s uploader_peak_mib" to $1 (the last two 0 when no
# obs-uploader ran). $2: whether the build uploads (and so must have run obs-uploader, unless --in-process).
measure() {
  local out="$1" uploads="$2" figures line
  shift 2
  figures="$(mktemp)"
  /usr/bin/time -f "%e %U %S %M" -o "$figures" dotnet build "$work/consumer/Consumer.csproj" "${build_args[@]}" "$@" >"$work/last-build.log" 2>&1 \
    || { cat "$work/last-build.log" >&2; exit 1; }
  line="$(grep -o 'obs-uploader used [0-9.]* s CPU, peak memory [0-9.]* [KMG]iB' "$work/last-build.detailed.log" | tail -1 || true)"
  if [ "$uploads" = true ] && [ "$in_process" = false ] && [ -z "$line" ]; then
    echo "The upload did not run in obs-uploader (no 'obs-uploader used' line): see $work/last-build.detailed.log" >&2
    grep -i 'uploader' "$work/last-build.detailed.log" >&2 || true
    exit 1
  fi
  # CPU seconds and peak memory in MiB.
  printf '%s %s\n' "$(tail -1 "$figures")" "$(awk '{ if (NF == 0) { print "0 0"; exit }
    scale = $9 == "KiB" ? 1 / 1024 : $9 == "GiB" ? 1024 : 1; print $3, $8 * scale }' <<<"${line:-}")" >>"$out"
  rm -f "$figures"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

stamp="$(date -u +%Y%m%d-%H%M%S)"
report="$work/results/$stamp.md"
{
  echo "# What ObsUploadFile adds to \`dotnet build\` ($(date -u '+%Y-%m-%d %H:%M') UTC)"
  echo
  echo "- $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); engine $(git -C "$repo" log -1 --format=%h 2>/dev/null || echo unknown); TaskNum $task_num, 16 MiB parts; task host: $task_host; in process: $in_process; medians of $rounds builds each"
  echo "- CPU: the build's processes and obs-uploader together (GNU time); peak RSS: the build's largest process (GNU time); uploader: obs-uploader's own CPU and peak memory (its 'obs-uploader used' line). Sum = the build's added peak RSS + the uploader's: both live at once while the upload runs."
  echo
  echo "| file | build without the task: wall s / CPU s / peak RSS MiB | with the upload | added wall s | added CPU s (uploader's) | build's added peak RSS MiB | uploader peak RSS MiB | sum MiB | limit MiB |"
  echo "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$report"
IFS=',' read -r -a size_list <<<"$sizes"
for size in "${size_list[@]}"; do
  file="$work/files/upload-$size.bin"
  [ "$(stat -c %s "$file" 2>/dev/null || echo -1)" = "$size" ] || head -c "$size" /dev/urandom >"$file"
  cat "$file" >/dev/null   # in the page cache: the build is measured, not the disk
  without="$work/results/$stamp-$size-without.txt"
  with="$work/results/$stamp-$size-with.txt"
  for ((round = 0; round < rounds; round++)); do
    measure "$without" false
    measure "$with" true "-p:UploadInProcess=$in_process" "-p:UploadFile=$file" "-p:Bucket=$OBS_TEST_BUCKET" "-p:Endpoint=$OBS_TEST_ENDPOINT" \
      "-p:Region=$OBS_TEST_REGION" "-p:TaskNum=$task_num"
  done
  read -r w0 c0 m0 < <(paste <(awk '{ print $1 }' "$without" | median) <(awk '{ print $2 + $3 }' "$without" | median) \
    <(awk '{ print $4 / 1024 }' "$without" | median))
  read -r w1 c1 m1 < <(paste <(awk '{ print $1 }' "$with" | median) <(awk '{ print $2 + $3 }' "$with" | median) \
    <(awk '{ print $4 / 1024 }' "$with" | median))
  read -r uc um < <(paste <(awk '{ print $5 }' "$with" | median) <(awk '{ print $6 }' "$with" | median))
  awk -v s="$size" -v w0="$w0" -v c0="$c0" -v m0="$m0" -v w1="$w1" -v c1="$c1" -v m1="$m1" -v uc="$uc" -v um="$um" -v t="$task_num" 'BEGIN {
    label = s >= 1048576 ? sprintf("%d MiB", s / 1048576) : sprintf("%d B", s)
    printf "| %s | %.2f / %.2f / %.0f | %.2f / %.2f / %.0f | %+.2f | %+.2f (%.2f) | %+.1f | %.1f | %.1f | %.1f |\n",
      label, w0, c0, m0, w1, c1, m1, w1 - w0, c1 - c0, uc, m1 - m0, um, m1 - m0 + um, 16 + t * 0.25 }' >>"$report"
done
cat "$report"
