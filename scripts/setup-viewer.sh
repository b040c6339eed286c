#!/usr/bin/env bash
# Install the web viewer's npm dependencies (Mirador 4) from viewer/package-lock.json and copy
# the self-contained bundle into viewer/static/vendor/, which the app serves. Never committed.
#   scripts/setup-viewer.sh                    # Mirador only (what the archive needs)
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
echo "viewer: installed static/vendor/mirador.min.js"
