#!/usr/bin/env bash
# Installs everything the test suite needs (Python packages; PostgreSQL, Chromium
# and a CJK font from Debian's packages) and runs the whole suite on loopback.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
bash scripts/system-packages.sh

if [ -z "${COPILOT_TEST_POSTGRES_URL:-}" ]; then
  # shellcheck source=scripts/postgres.sh
  source scripts/postgres.sh
fi

export COPILOT_HOME="${COPILOT_HOME:-$(mktemp -d)}"
python3 -m pytest -q -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
