#!/usr/bin/env bash
# Our binlog decoder side by side with mariadb-binlog on the same large binlog, with the shared harness
# (../shared/bench/binlog_decode.sh; its README explains the columns). The candidate decodes every event
# and row value and prints them as text, as `mariadb-binlog --base64-output=decode-rows -vv` does.
#
#   bench/binlog_decode.sh                         # defaults of the harness
#   TABLES=4 ROWS=100000 EVENTS=100000 CONTENDERS="decode plain candidate" bench/binlog_decode.sh
#   PRINT= bench/binlog_decode.sh                  # the candidate decodes every value but prints nothing
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}

dotnet publish "$ROOT/src/DtsPowerShell.Tool" -c Release -o "$ROOT/artifacts/tool" --nologo -v quiet >&2
PRINT=${PRINT---print}
export CANDIDATE_CMD="dotnet $ROOT/artifacts/tool/dts.dll binlog-decode \"\$BINLOG_FILE\" $PRINT"
export CONTENDERS=${CONTENDERS:-decode plain candidate}
exec "$SHARED_BENCH/binlog_decode.sh"
