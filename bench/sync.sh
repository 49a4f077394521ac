#!/usr/bin/env bash
# The sync side by side with the tools a user would pick instead, with the shared harness (../shared/bench; its
# README explains the columns). The candidate is bench/dts_candidate.sh: a job made with New-DtsSyncJob, its
# worker run in the foreground.
#
#   bench/sync.sh full_load      # full data initialisation vs mariadb-dump, mydumper/myloader, INTO OUTFILE/LOAD DATA
#   bench/sync.sh catchup        # a binlog backlog vs MariaDB's replica, single-threaded and parallel
#   bench/sync.sh latency        # delay under a steady write load vs MariaDB's replica
#   RUNS=2 bench/sync.sh catchup # the harness's variables pass through
set -euo pipefail
HARNESS=${1:?usage: bench/sync.sh full_load|catchup|latency}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}

(cd "$ROOT" && dotnet tool restore >/dev/null && dotnet pwsh ./build.ps1 Build >&2)
MODE=$([[ $HARNESS == full_load ]] && echo full_load || echo catchup)
export CANDIDATE_CMD="$HERE/dts_candidate.sh $MODE"
exec "$SHARED_BENCH/$HARNESS.sh"
