#!/usr/bin/env bash
# Starts a PostgreSQL server on 127.0.0.1 for the cross-database tests (installing
# Debian's package if needed) and exports COPILOT_TEST_POSTGRES_URL. Needs root or sudo.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

PG_VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^${PG_VERSION} main$"; then
  as_root pg_createcluster "${PG_VERSION}" main >/dev/null
fi
if ! pg_lsclusters -h | grep -q "^${PG_VERSION} *main .*online"; then
  as_root pg_ctlcluster "${PG_VERSION}" main start
fi

as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='copilot'\"" | grep -q 1 \
  || as_root su postgres -c "psql -qc \"CREATE ROLE copilot LOGIN SUPERUSER PASSWORD 'copilot'\""
as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='copilot_test'\"" | grep -q 1 \
  || as_root su postgres -c "psql -qc \"CREATE DATABASE copilot_test OWNER copilot\""

# The role questions run as in tests: may log in and read what it is granted,
# nothing else (no superuser, no pg_read_server_files, no database or role creation).
as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='copilot_reader'\"" | grep -q 1 \
  || as_root su postgres -c "psql -qc \"CREATE ROLE copilot_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD 'copilot_reader'\""

PG_PORT="$(pg_lsclusters -h | awk -v v="${PG_VERSION}" '$1==v && $2=="main" {print $3}')"
export COPILOT_TEST_POSTGRES_URL="postgresql+psycopg://copilot:copilot@127.0.0.1:${PG_PORT}/copilot_test"
export COPILOT_TEST_POSTGRES_READER_URL="postgresql+psycopg://copilot_reader:copilot_reader@127.0.0.1:${PG_PORT}/copilot_test"
echo "PostgreSQL ${PG_VERSION} ready at 127.0.0.1:${PG_PORT}"
