#!/usr/bin/env bash
# Runs every test of the solution against the real local object store, which it starts (and installs) first.
# Ends with one line "N passed, N failed, N skipped" counted from the TRX result files; exits non-zero on any failure.
#
#   bash eng/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Resume]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$repo/artifacts/test-results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDTERMINALLOGGER=off

bash "$repo/eng/object-store.sh" start
rm -rf "$results"
# Built as CI builds (as CI=true makes them anyway), so that the package tests check the PDBs' /_/ source paths.
dotnet build "$repo/ObsBuildTasks.sln" -nologo -v:q -p:ContinuousIntegrationBuild=true
# One test project at a time (they share the store and the machine's two cores), each with its own TRX file.
status=0
for project in "$repo"/tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  dotnet test "$project" --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=$?
done

# Sums the Counters element of every TRX file (one per test project).
counts="$(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  { for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) { gsub(/[^0-9]/, "", kv[2]); sum[kv[1]] += kv[2] } }
  END { printf "%d %d %d %d", sum["total"], sum["passed"], sum["failed"] + sum["error"] + sum["timeout"] + sum["aborted"], sum["notExecuted"] }')"
read -r total passed failed skipped <<<"${counts:-0 0 0 0}"
if ((total == 0)); then
  echo "no test results found in $results" >&2
  status=1
fi
if ((failed > 0)); then
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
