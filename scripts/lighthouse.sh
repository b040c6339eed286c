#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices) of the home, search and item
# pages, run with npm `lighthouse` (viewer/devDependencies) against Debian's Chromium.
#
#   scripts/lighthouse.sh                 # builds a sample archive, serves it, scores it
#   scripts/lighthouse.sh http://host:port   # scores a running archive
#
# Env: LIGHTHOUSE_PRESET=desktop|mobile (default desktop), CHROME_PATH (default /usr/bin/chromium).
# Targets (issue 6): accessibility >= 95, performance >= 90, best practices >= 95.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
LIGHTHOUSE="$ROOT/viewer/node_modules/.bin/lighthouse"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
PRESET="${LIGHTHOUSE_PRESET:-desktop}"
[ -x "$LIGHTHOUSE" ] || { echo "lighthouse is not installed: run scripts/setup-viewer.sh --with-lighthouse" >&2; exit 2; }
[ -x "$CHROME_PATH" ] || { echo "$CHROME_PATH is missing: apt-get install -y chromium" >&2; exit 2; }
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

BASE="${1:-}"
if [ -z "$BASE" ]; then
  PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  export QIAOPI_DATA_DIR="$WORK/data" QIAOPI_WORKERS=0  # no OCR competing for the CPU
  "$ROOT/.venv/bin/qiaopi" samples "$WORK/samples" --items 8 >"$WORK/setup.log" 2>&1
  "$ROOT/.venv/bin/qiaopi" ingest "$WORK/samples/items" --metadata "$WORK/samples/items.csv" >>"$WORK/setup.log" 2>&1
  "$ROOT/.venv/bin/qiaopi" reindex >>"$WORK/setup.log" 2>&1
  "$ROOT/.venv/bin/qiaopi" serve --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  BASE="http://127.0.0.1:$PORT"
  for _ in $(seq 1 100); do curl -fs "$BASE/api/health" >/dev/null && break; sleep 0.2; done
fi
ITEM="$(curl -fs "$BASE/api/search?size=1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["id"])')"
PRESET_FLAG=()
[ "$PRESET" = "desktop" ] && PRESET_FLAG=(--preset=desktop)
printf '%-40s %12s %14s %15s\n' "page ($PRESET)" performance accessibility best-practices
for path in "/" "/search?q=%E5%8F%B0%E5%B1%B1" "/items/$ITEM"; do
  "$LIGHTHOUSE" "$BASE$path" "${PRESET_FLAG[@]}" --quiet --output=json --output-path="$WORK/report.json" \
    --only-categories=performance,accessibility,best-practices \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync" \
    >/dev/null 2>"$WORK/lighthouse.log" || { cat "$WORK/lighthouse.log" >&2; exit 1; }
  "$PY" - "$path" "$WORK/report.json" <<'PYEOF'
import json, sys
path, report = sys.argv[1], json.load(open(sys.argv[2]))
score = {k: round(100 * (v["score"] or 0)) for k, v in report["categories"].items()}
print(f"{path:<40} {score['performance']:>12} {score['accessibility']:>14} {score['best-practices']:>15}")
PYEOF
done
echo "load average (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
