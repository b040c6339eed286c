#!/usr/bin/env bash
# The README's "run the archive on sample data" command: set up, write a synthetic sample
# corpus, ingest it, create a demo curator, and serve it (follow-up jobs run in the background).
#   scripts/demo.sh [--port 8000] [--items 24]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT=8000
ITEMS=24
while (($#)); do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --items) ITEMS="$2"; shift 2 ;;
    *) echo "usage: scripts/demo.sh [--port N] [--items N]" >&2; exit 2 ;;
  esac
done

bash "$ROOT/scripts/setup.sh"
export QIAOPI_DATA_DIR="${QIAOPI_DATA_DIR:-$ROOT/qiaopi-data}"
QIAOPI="$ROOT/.venv/bin/qiaopi"
SAMPLE="$QIAOPI_DATA_DIR/sample"

if [[ ! -f "$SAMPLE/items.csv" ]]; then
  "$QIAOPI" samples "$SAMPLE" --items "$ITEMS"
fi
"$QIAOPI" ingest "$SAMPLE/items" --metadata "$SAMPLE/items.csv"
if "$QIAOPI" users add curator --password-stdin <<<"qiaopi-demo-curator" 2>/dev/null; then
  echo "Demo curator: curator / qiaopi-demo-curator (for this local demo only)"
fi
echo "OCR, indexing and image pyramids run in the background while the archive serves."
exec "$QIAOPI" serve --port "$PORT"
