#!/usr/bin/env bash
# Get-DtsBinlogEvent as an operator runs it, side by side with mariadb-binlog, on the large binlog the shared
# harness's binlog_decode.sh makes (sysbench prepare, then oltp_write_only), read from the server:
#   filtered:   one table's row changes (mariadb-binlog --read-from-remote-server --base64-output=decode-rows -vv
#               --table=sbtest1 against Get-DtsBinlogEvent -Table sbtest.sbtest1 -Type Insert,Update,Delete; both
#               must count the same row changes);
#   unfiltered: every event into the PowerShell pipeline (Get-DtsBinlogEvent | Measure-Object) beside the dts
#               binlog-decode tool over the same file (no printing).
# Each reader is pinned to one core (taskset -c $CPU); PowerShell's start and the module's import are included.
#
#   bench/binlog_filter.sh
#   TABLES=4 ROWS=100000 EVENTS=100000 CPU=1 CONTENDERS="remote cmdlet pipeline tool" bench/binlog_filter.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
. "$SHARED_BENCH/lib.sh"

TABLES=${TABLES:-4} ROWS=${ROWS:-100000} EVENTS=${EVENTS:-100000} SB_THREADS=${SB_THREADS:-4}
CPU=${CPU:-1} CONTENDERS=${CONTENDERS:-remote cmdlet pipeline tool}
SRC=bf-src SRC_PORT=${SRC_PORT:-3431}
WORK=/tmp/bench-bf-work

cleanup() { bench_stop "$SRC"; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK"

dotnet pwsh "$ROOT/build.ps1" Build >&2
dotnet publish "$ROOT/src/DtsPowerShell.Tool" -c Release -o "$ROOT/artifacts/tool" --nologo -v quiet >&2

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
# measure NAME CMD...: CMD pinned to one core under /usr/bin/time; its stdout (a count) is kept.
measure() {
  local name=$1 rc=0 secs rss u s; shift
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" taskset -c "$CPU" "$@" >"$WORK/out" 2>"$WORK/stderr" || rc=$?
  read -r secs rss u s < <(tail -1 "$WORK/time") || true
  [[ $rc -eq 0 ]] || { tail -5 "$WORK/stderr" >&2; secs="FAIL(rc=$rc)"; }
  COUNT=$(tail -1 "$WORK/out" | tr -d '[:space:]')
  # PowerShell contenders print the pipeline's own time (Measure-Command, start-up and import left out) before the count.
  INSIDE=$(tail -2 "$WORK/out" | head -1 | tr -d '[:space:]'); [[ $(wc -l <"$WORK/out") -ge 2 ]] || INSIDE=-
  RESULTS+=("$(row "$name" "$secs" "$INSIDE" "$COUNT" "$(per_sec "$COUNT" "$secs")" "$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')" "$((rss / 1024))")")
  log "$name: $secs s, counted $COUNT, peak RSS $((rss / 1024)) MiB"
}

for c in $CONTENDERS; do
  case $c in
    remote) measure "mariadb-binlog remote -vv --table=sbtest1 (row changes)" bash -c \
              "mariadb-binlog --read-from-remote-server -h127.0.0.1 -P$SRC_PORT -u$REPL_USER -p$REPL_PASS --base64-output=decode-rows -vv \
               --table=sbtest1 $BINLOG_NAME | grep -cE '^### (INSERT|UPDATE|DELETE)'" ;;
    cmdlet) measure "Get-DtsBinlogEvent -Table sbtest.sbtest1 | ForEach-Object Rows (row changes)" dotnet pwsh -NoProfile -NonInteractive -Command \
              "$PWSH_PRELUDE; \$n = 0; \$t = Measure-Command { \$n = (Get-DtsBinlogEvent @read -Table sbtest.sbtest1 -Type Insert, Update, Delete | ForEach-Object Rows | Measure-Object).Count }; \$t.TotalSeconds.ToString('0.00'); \$n" ;;
    pipeline) measure "Get-DtsBinlogEvent | Measure-Object (events)" dotnet pwsh -NoProfile -NonInteractive -Command \
              "$PWSH_PRELUDE; \$n = 0; \$t = Measure-Command { \$n = (Get-DtsBinlogEvent @read | Measure-Object).Count }; \$t.TotalSeconds.ToString('0.00'); \$n" ;;
    tool)   measure "dts binlog-decode (file, no print; events)" bash -c \
              "dotnet '$ROOT/artifacts/tool/dts.dll' binlog-decode '$BINLOG_FILE' 2>&1 >/dev/null | awk '{print \$1}'" ;;
    *) die "unknown contender $c" ;;
  esac
done

echo
echo "binlog_filter: $BINLOG_NAME = $MB MiB, $BINLOG_EVENTS events (sysbench prepare $TABLES x $ROWS rows + $EVENTS oltp_write_only" \
  "transactions), read from the server over TCP (a replica is not sent MariaDB's Annotate_rows events, a file has them); each reader pinned to CPU $CPU of $(nproc)"
{ row contender seconds in-session-s counted counted/s cpu-s peak-RSS-MiB; printf '%s\n' "${RESULTS[@]}"; } | print_table
if printf '%s\n' "${RESULTS[@]}" | grep -q FAIL; then echo "FAIL: at least one reader failed"; exit 1; fi
