#!/usr/bin/env bash
# The candidate command of the shared harness (../shared/bench): creates a sync job with the module (as a user
# would, in PowerShell) and runs its worker in the foreground, in the harness's process group, with its peak
# memory printed on stderr. Timing includes PowerShell's start and the job's creation.
#
#   bench/dts_candidate.sh full_load   # schema and data of $DB, then exit (--until-synchronizing)
#   bench/dts_candidate.sh catchup     # incremental from START_FILE:START_POS, runs until killed
set -euo pipefail
MODE=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE_DIR=$(mktemp -d /tmp/dts-bench-state-XXXXXX)
export DTS_STATE_PATH=$STATE_DIR/state.db
export DTS_BENCH_PASSWORD_SRC=$SRC_PASS DTS_BENCH_PASSWORD_DST=$DST_PASS

case $MODE in
  full_load) INITIAL="-InitialSync Schema,Data"; FLAGS=--until-synchronizing ;;
  catchup)   INITIAL="-InitialSync None -StartPosition '$START_FILE:$START_POS'"; FLAGS= ;;
  *) echo "usage: $0 full_load|catchup" >&2; exit 2 ;;
esac

cd "$ROOT"
JOB=$(dotnet pwsh -NoProfile -NonInteractive -Command "
  \$ErrorActionPreference = 'Stop'
  Import-Module ./artifacts/DtsPowerShell/DtsPowerShell.psd1
  \$src = [pscredential]::new('$SRC_USER', (ConvertTo-SecureString \$env:DTS_BENCH_PASSWORD_SRC -AsPlainText -Force))
  \$dst = [pscredential]::new('$DST_USER', (ConvertTo-SecureString \$env:DTS_BENCH_PASSWORD_DST -AsPlainText -Force))
  (New-DtsSyncJob -Name bench -Source '$SRC_HOST:$SRC_PORT' -SourceCredential \$src -Target '$DST_HOST:$DST_PORT' -TargetCredential \$dst \
     -Object '$DB' $INITIAL -SourceSslMode None -TargetSslMode None).Id")
unset DTS_BENCH_PASSWORD_SRC DTS_BENCH_PASSWORD_DST
echo "dts: job $JOB, state $DTS_STATE_PATH" >&2
trap 'rm -rf "$STATE_DIR"' EXIT
/usr/bin/time -f "dts worker: %e s (cpu %U s user, %S s system), peak RSS %M KiB" \
  dotnet "$ROOT/artifacts/DtsPowerShell/bin/dts.dll" worker --state "$DTS_STATE_PATH" --job "$JOB" --attached $FLAGS &
TIMER=$!
# The harness kills a catch-up candidate (then /usr/bin/time prints nothing): keep the worker's peak memory in a file.
REPORT=${DTS_BENCH_REPORT:-/tmp/dts-bench-worker-$MODE.txt}
while kill -0 "$TIMER" 2>/dev/null; do
  WORKER=$(pgrep -P "$TIMER" | head -1 || true)
  [[ -n $WORKER ]] && grep -h VmHWM "/proc/$WORKER/status" 2>/dev/null > "$REPORT.tmp" && mv "$REPORT.tmp" "$REPORT"
  sleep 1
done
wait "$TIMER"
grep -E "INFO|WARN|FAIL" "$STATE_DIR/logs/$JOB.log" | cut -c1-160 | tail -16 >&2 || true
