#!/usr/bin/env bash
# Get-DtsBinlogEvent as an operator runs it, side by side with mariadb-binlog, on the large binlog the shared
# harness's binlog_decode.sh makes (sysbench prepare, then oltp_write_only), read from the server:
#   filtered:   one table's row changes (mariadb-binlog --read-from-remote-server --base64-output=decode-rows -vv
#               --table=sbtest1 against Get-DtsBinlogEvent -Table sbtest.sbtest1 -Type Insert,Update,Delete; both
#               must count the same row changes);
#   unfiltered: every event into the PowerShell pipeline (Get-DtsBinlogEvent | Measure-Object) beside the dts
#               binlog-decode tool over the same file (no printing).
# PowerShell runs as Microsoft ships it, compiled ahead of time (bench/pwsh_as_shipped.sh); cmdlet-il runs it as the
# NuGet tool this repository uses (IL only). "seconds" is from launch, PowerShell's start and the module's import
# included, up to the end of the first call; PowerShell contenders also print the pipeline's own time for that first
# call in the session and for a second, repeated call (cpu-s counts both). Readers are not pinned to a core unless CPU is set (taskset -c $CPU): pinned, the reader's
# threads and the JIT's background thread take turns on one core and identical runs vary by a factor of four.
#
#   bench/binlog_filter.sh
#   TABLES=4 ROWS=100000 EVENTS=100000 CPU= CONTENDERS="remote cmdlet cmdlet-il pipeline tool" bench/binlog_filter.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
. "$SHARED_BENCH/lib.sh"

TABLES=${TABLES:-4} ROWS=${ROWS:-100000} EVENTS=${EVENTS:-100000} SB_THREADS=${SB_THREADS:-4}
CPU=${CPU:-} CONTENDERS=${CONTENDERS:-remote cmdlet cmdlet-il pipeline tool}
SRC=bf-src SRC_PORT=${SRC_PORT:-3431}
WORK=/tmp/bench-bf-work

cleanup() { bench_stop "$SRC"; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK"

dotnet pwsh "$ROOT/build.ps1" Build >&2
dotnet publish "$ROOT/src/DtsPowerShell.Tool" -c Release -o "$ROOT/artifacts/tool" --nologo -v quiet >&2
PWSH=(dotnet "$("$HERE/pwsh_as_shipped.sh")")

bench_start "$SRC" "$SRC_PORT" --max-binlog-size=1G
read -r BINLOG_NAME _ < <(master_pos "$SRC")
sysbench_prepare "$SRC" "$TABLES" "$ROWS"
sysbench_run "$SRC" oltp_write_only run --tables="$TABLES" --table-size="$ROWS" --threads="$SB_THREADS" \
  --events="$EVENTS" --time=0 >/dev/null
sqlx "$SRC" -e "FLUSH BINARY LOGS"
read -r END_NAME END_POS < <(master_pos "$SRC")
BINLOG_FILE=$(bench_dir "$SRC")/data/$BINLOG_NAME
MB=$(awk -v b="$(stat -c %s "$BINLOG_FILE")" 'BEGIN{printf "%.1f", b/1048576}')
BINLOG_EVENTS=$(sqlx "$SRC" --quick -e "SHOW BINLOG EVENTS IN '$BINLOG_NAME'" | wc -l)
log "binlog $BINLOG_NAME: $MB MiB, $BINLOG_EVENTS events; reading $BINLOG_NAME:4 to $END_NAME:$END_POS"

PWSH_PRELUDE="\$ErrorActionPreference = 'Stop'; Import-Module '$ROOT/artifacts/DtsPowerShell/DtsPowerShell.psd1';
  \$c = [pscredential]::new('$BENCH_USER', (ConvertTo-SecureString '$BENCH_PASS' -AsPlainText -Force));
  \$read = @{ Server = '127.0.0.1:$SRC_PORT'; Credential = \$c; SslMode = 'None'; Start = '$BINLOG_NAME:4'; Stop = '$END_NAME:$END_POS' }"

RESULTS=()
# measure NAME CMD...: CMD under /usr/bin/time (pinned with CPU set); its stdout (a count) is kept.
measure() {
  local name=$1 rc=0 secs rss u s pin=(); shift
  [[ -z $CPU ]] || pin=(taskset -c "$CPU")
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "${pin[@]}" "$@" >"$WORK/out" 2>"$WORK/stderr" || rc=$?
  read -r secs rss u s < <(tail -1 "$WORK/time") || true
  [[ $rc -eq 0 ]] || { tail -5 "$WORK/stderr" >&2; secs="FAIL(rc=$rc)"; }
  COUNT=$(tail -1 "$WORK/out" | tr -d '[:space:]')
  # PowerShell contenders print the pipeline's own times (Measure-Command: first call/repeated call) before the count.
  INSIDE=$(tail -2 "$WORK/out" | head -1 | tr -d '[:space:]'); [[ $(wc -l <"$WORK/out") -ge 2 ]] || INSIDE=-
  # From launch to the end of the first call: the repeated call is taken off (its CPU is not).
  [[ $INSIDE != */* || $rc -ne 0 ]] || secs=$(awk -v a="$secs" -v b="${INSIDE#*/}" 'BEGIN{printf "%.2f", a-b}')
  RESULTS+=("$(row "$name" "$secs" "$INSIDE" "$COUNT" "$(per_sec "$COUNT" "$secs")" "$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')" "$((rss / 1024))")")
  log "$name: $secs s, counted $COUNT, peak RSS $((rss / 1024)) MiB"
}

# twice EXPR: PowerShell that runs EXPR (a count) twice, printing "first/repeated" seconds, then the count.
twice() {
  echo "\$t1 = Measure-Command { \$n = $1 }; \$t2 = Measure-Command { \$n = $1 };" \
    "'{0:0.00}/{1:0.00}' -f \$t1.TotalSeconds, \$t2.TotalSeconds; \$n"
}

for c in $CONTENDERS; do
  case $c in
    remote) measure "mariadb-binlog remote -vv --table=sbtest1 (row changes)" bash -c \
              "mariadb-binlog --read-from-remote-server -h127.0.0.1 -P$SRC_PORT -u$REPL_USER -p$REPL_PASS --base64-output=decode-rows -vv \
               --table=sbtest1 $BINLOG_NAME | grep -cE '^### (INSERT|UPDATE|DELETE)'" ;;
    cmdlet|cmdlet-il)
            pwsh=("${PWSH[@]}"); label="Get-DtsBinlogEvent -Table sbtest.sbtest1 | ForEach-Object Rows (row changes)"
            [[ $c == cmdlet ]] || { pwsh=(dotnet pwsh); label="$label, PowerShell as the IL-only NuGet tool"; }
            measure "$label" "${pwsh[@]}" -NoProfile -NonInteractive -Command \
              "$PWSH_PRELUDE; $(twice "(Get-DtsBinlogEvent @read -Table sbtest.sbtest1 -Type Insert, Update, Delete | ForEach-Object Rows | Measure-Object).Count")" ;;
    pipeline) measure "Get-DtsBinlogEvent | Measure-Object (events)" "${PWSH[@]}" -NoProfile -NonInteractive -Command \
              "$PWSH_PRELUDE; $(twice "(Get-DtsBinlogEvent @read | Measure-Object).Count")" ;;
    tool)   measure "dts binlog-decode (file, no print; events)" bash -c \
              "dotnet '$ROOT/artifacts/tool/dts.dll' binlog-decode '$BINLOG_FILE' 2>&1 >/dev/null | awk '{print \$1}'" ;;
    *) die "unknown contender $c" ;;
  esac
done

echo
echo "binlog_filter: $BINLOG_NAME = $MB MiB, $BINLOG_EVENTS events (sysbench prepare $TABLES x $ROWS rows + $EVENTS oltp_write_only" \
  "transactions), read from the server over TCP (a replica is not sent MariaDB's Annotate_rows events, a file has them);" \
  "$([[ -n $CPU ]] && echo "each reader pinned to CPU $CPU of $(nproc)" || echo "readers not pinned, $(nproc) cores")"
{ row contender seconds in-session-s-first/repeat counted counted/s cpu-s peak-RSS-MiB; printf '%s\n' "${RESULTS[@]}"; } | print_table
if printf '%s\n' "${RESULTS[@]}" | grep -q FAIL; then echo "FAIL: at least one reader failed"; exit 1; fi
