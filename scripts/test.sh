#!/usr/bin/env bash
# Runs the whole suite as CI does: in a FRESH virtual environment (no system
# site-packages) holding only what pyproject.toml declares, so a dependency that
# is imported but not declared fails here, not on a user's machine. Also installs
# the Debian packages the suite needs (PostgreSQL, started on loopback; Chromium
# for the browser tests; a CJK font for chart images; a JDK for the Spark server that
# scripts/spark.sh starts on loopback), so it needs root or sudo.
# Extra arguments go to pytest.
#
#   COPILOT_TEST_VENV=DIR  build the environment in DIR (emptied first) and keep it;
#                          default: a temporary directory, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian splits venv/ensurepip out of python3; without them `python3 -m venv` fails.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  echo "Installing python3-venv ..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi

if [ -n "${COPILOT_TEST_VENV:-}" ]; then
  VENV="${COPILOT_TEST_VENV}"
  if [ -e "${VENV}" ] && [ ! -f "${VENV}/pyvenv.cfg" ]; then
    echo "COPILOT_TEST_VENV=${VENV} exists and is not a virtual environment; name a new directory." >&2
    exit 2
  fi
  rm -rf "${VENV}"
else
  VENV_PARENT="$(mktemp -d)"
  VENV="${VENV_PARENT}/venv"
  trap 'rm -rf "${VENV_PARENT}"' EXIT
fi

echo "Creating a fresh virtual environment in ${VENV} ..."
python3 -m venv "${VENV}"
# Nothing from outside the environment may satisfy an import.
unset PYTHONPATH
export PYTHONNOUSERSITE=1 VIRTUAL_ENV="${VENV}" PATH="${VENV}/bin:${PATH}"
python -m pip install --quiet --disable-pip-version-check -e '.[test]'

bash scripts/system-packages.sh

if [ -z "${COPILOT_TEST_POSTGRES_URL:-}" ]; then
  # shellcheck source=scripts/postgres.sh
  source scripts/postgres.sh
fi

if [ -z "${COPILOT_TEST_SPARK_URL:-}" ]; then
  # Starts Spark on loopback and loads the demo store; exits here if Spark does not start.
  # shellcheck source=scripts/spark.sh
  source scripts/spark.sh
fi

export COPILOT_HOME="${COPILOT_HOME:-$(mktemp -d)}"
status=0
python -m pytest -q -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@" || status=$?
if declare -F stop_spark >/dev/null; then stop_spark; fi
exit "${status}"
