#!/usr/bin/env bash
# Install the web viewer's npm dependencies (Mirador 4) from viewer/package-lock.json and copy
# the self-contained bundle into viewer/static/vendor/, which the app serves. Never committed.
# The same install brings world-atlas (Natural Earth as TopoJSON), which the server reads from
# node_modules/world-atlas to draw the letters' map (archive/web/basemap.py). scripts/setup.sh
# runs this again whenever viewer/package-lock.json changes (its stamp is the lock's sha256).
#   scripts/setup-viewer.sh                    # Mirador and the map data (what the archive needs)
#   scripts/setup-viewer.sh --with-lighthouse  # also Lighthouse, for scripts/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/../viewer"
if [[ "${1:-}" == "--with-lighthouse" ]]; then
  npm ci --no-audit --no-fund --ignore-scripts
else
  npm ci --no-audit --no-fund --ignore-scripts --omit=dev
fi
mkdir -p static/vendor
cp node_modules/mirador/dist/mirador.min.js static/vendor/mirador.min.js
test -f node_modules/world-atlas/countries-10m.json || {
  echo "viewer: world-atlas was not installed (check viewer/package.json)" >&2
  exit 1
}
echo "viewer: installed static/vendor/mirador.min.js and the world-atlas map data"
