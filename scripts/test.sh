#!/usr/bin/env bash
# The one test command: set up, start the real services, lint, type-check, run every test.
#
# Services this run starts are stopped when it ends (also on failure or Ctrl-C); services that
# were already running (someone else's shell) are reused and left running. Every check runs
# even when an earlier one fails, so one run shows all problems; the exit code is non-zero
# when any failed. `.ci/run` calls exactly this.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STARTED=$SECONDS
STARTED_SERVICES=()
FAILED=()

say() { printf '\n[test.sh] %s\n' "$*" >&2; }

finish() {
  local code=$?
  if ((${#STARTED_SERVICES[@]})); then
    bash scripts/services.sh stop "${STARTED_SERVICES[@]}" || code=1
  fi
  say "total wall time: $((SECONDS - STARTED))s"
  exit "$code"
}
trap finish EXIT

# Run one named check; remember its failure instead of stopping.
check() {
  local name="$1"
  shift
  say "$name: $*"
  local step_started=$SECONDS code=0
  "$@" || code=$?
  if [[ "$name" == pytest && $code -eq 5 ]]; then
    say "pytest collected no tests: the test suite is missing (check testpaths in pyproject.toml)"
  fi
  if ((code != 0)); then
    FAILED+=("$name (exit $code)")
  fi
  say "$name finished in $((SECONDS - step_started))s with exit code $code"
}

say "set-up"
bash scripts/setup.sh

mapfile -t RUNNING < <(bash scripts/services.sh status)
for service in postgres s3 elasticsearch; do
  [[ " ${RUNNING[*]} " == *" $service "* ]] || STARTED_SERVICES+=("$service")
done
say "services (starting: ${STARTED_SERVICES[*]:-none, all already running})"
bash scripts/services.sh start
# shellcheck disable=SC1091
source .cache/services.env

check "ruff check" .venv/bin/ruff check .
check "ruff format" .venv/bin/ruff format --check .
check mypy .venv/bin/mypy
check pytest .venv/bin/pytest --durations=15

if ((${#FAILED[@]})); then
  say "FAILED: ${FAILED[*]}"
  exit 1
fi
say "all checks passed"
