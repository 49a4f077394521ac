#!/usr/bin/env bash
# Compare-DtsSyncData side by side with what a user would run instead to check two servers' copies of a database:
#   checksum: CHECKSUM TABLE of every table on both servers at once (whole tables: says whether, not which rows);
#   pt-sync:  pt-table-sync --print (Percona Toolkit: finds the differing rows by chunks, prints the SQL that fixes them);
#   dts:      Compare-DtsSyncData on a job over the same database (chunked checksums, rows named), from launch.
# Each runs twice: on equal copies, then after DIFF rows were changed on the target. The copy is made with
# mariadb-dump; PowerShell runs as shipped (bench/pwsh_as_shipped.sh).
#
#   bench/verify.sh
#   TABLES=4 ROWS=250000 DIFF=10 CONTENDERS="checksum pt-sync dts" bench/verify.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
. "$SHARED_BENCH/lib.sh"

TABLES=${TABLES:-4} ROWS=${ROWS:-250000} DIFF=${DIFF:-10} CONTENDERS=${CONTENDERS:-checksum pt-sync dts}
SRC=vf-src SRC_PORT=${SRC_PORT:-3451} DST=vf-dst DST_PORT=${DST_PORT:-3452}
WORK=/tmp/bench-vf-work

cleanup() { bench_stop "$SRC"; bench_stop "$DST"; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK"

dotnet pwsh "$ROOT/build.ps1" Build >&2
PWSH=(dotnet "$("$HERE/pwsh_as_shipped.sh")")
bench_start "$SRC" "$SRC_PORT"
bench_start "$DST" "$DST_PORT"
sysbench_prepare "$SRC" "$TABLES" "$ROWS"
mariadb-dump -S "$(bench_sock "$SRC")" -uroot --single-transaction --databases "$DB" | sqlx "$DST"
settle "$SRC"; settle "$DST"
log "copied $DB ($TABLES x $ROWS rows) to the target"

STATE=$WORK/state.db
"${PWSH[@]}" -NoProfile -NonInteractive -Command "\$ErrorActionPreference = 'Stop'; Import-Module '$ROOT/artifacts/DtsPowerShell/DtsPowerShell.psd1'
  \$c = [pscredential]::new('$BENCH_USER', (ConvertTo-SecureString '$BENCH_PASS' -AsPlainText -Force))
  New-DtsSyncJob -Name verify -Source '127.0.0.1:$SRC_PORT' -SourceCredential \$c -Target '127.0.0.1:$DST_PORT' -TargetCredential \$c -Object '$DB' -InitialSync None -SourceSslMode None -TargetSslMode None -StatePath '$STATE' | Out-Null" >&2

RESULTS=()
# measure NAME CMD...: CMD under /usr/bin/time; its last stdout line (what it found) is kept.
measure() {
  local name=$1 rc=0 secs rss u s; shift
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/stderr" || rc=$?
  read -r secs rss u s < <(tail -1 "$WORK/time") || true
  [[ $rc -eq 0 ]] || { tail -5 "$WORK/stderr" >&2; secs="FAIL(rc=$rc)"; }
  RESULTS+=("$(row "$name" "$STAGE" "$secs" "$(tail -1 "$WORK/out" | cut -c1-60)" "$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')" "$((rss / 1024))")")
  log "$name ($STAGE): $secs s: $(tail -1 "$WORK/out" | cut -c1-100)"
}

run_all() {
  for c in $CONTENDERS; do
    case $c in
      checksum) measure "CHECKSUM TABLE on both servers" bash -c \
                  "list=\$(seq -s, -f '$DB.sbtest%g' 1 $TABLES)
                   mariadb -S $(bench_sock "$SRC") -uroot -N -B -e \"CHECKSUM TABLE \$list\" >$WORK/src.sum &
                   mariadb -S $(bench_sock "$DST") -uroot -N -B -e \"CHECKSUM TABLE \$list\" >$WORK/dst.sum; wait
                   echo \$(diff $WORK/src.sum $WORK/dst.sum | grep -c '^>') tables differ" ;;
      pt-sync)  measure "pt-table-sync --print" bash -c "pt-table-sync --print --databases $DB h=127.0.0.1,P=$SRC_PORT,u=$BENCH_USER,p=$BENCH_PASS h=127.0.0.1,P=$DST_PORT | grep -c '^[A-Z]' | sed 's/\$/ statements to fix/'" ;;
      dts)      measure "Compare-DtsSyncData -Rechecks 0" "${PWSH[@]}" -NoProfile -NonInteractive -Command \
                  "\$ErrorActionPreference = 'Stop'; Import-Module '$ROOT/artifacts/DtsPowerShell/DtsPowerShell.psd1'
                   \$r = Compare-DtsSyncData -Name verify -Rechecks 0 -ChunkRows 5000 -StatePath '$STATE'
                   '{0} rows differ in {1} tables' -f (\$r | Measure-Object -Sum -Property MissingCount, ExtraCount, ChangedCount | Measure-Object -Sum -Property Sum).Sum, @(\$r | Where-Object { -not \$_.Equal }).Count" ;;
      *) die "unknown contender $c" ;;
    esac
  done
}

STAGE=equal run_all
sqlx "$DST" -e "UPDATE $DB.sbtest1 SET k = k + 1 WHERE id % $((ROWS / DIFF)) = 0"
STAGE="$DIFF rows changed" run_all

echo
echo "verify: $DB = $TABLES x $ROWS sysbench rows on two servers; a second round after $DIFF rows of sbtest1 were changed on the target"
{ row contender stage seconds found cpu-s peak-RSS-MiB; printf '%s\n' "${RESULTS[@]}"; } | print_table
if printf '%s\n' "${RESULTS[@]}" | grep -q FAIL; then echo "FAIL: at least one contender failed"; exit 1; fi
