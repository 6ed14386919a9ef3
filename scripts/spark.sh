#!/usr/bin/env bash
# Starts a local Apache Spark Thrift server on 127.0.0.1 (from the pyspark wheel; needs
# a JDK, which scripts/system-packages.sh installs), loads the tests' small demo store
# into it as Parquet tables (scripts/spark_demo.py) and exports COPILOT_TEST_SPARK_URL.
# Source it (as scripts/test.sh does); call `stop_spark` when done. Fails loudly when
# Spark does not start within COPILOT_SPARK_START_S seconds (default 360).
#
#   COPILOT_SPARK_DIR=DIR  keep Spark's warehouse, metastore and log in DIR (default: a
#                          new temporary directory)
set -euo pipefail

SPARK_HOME="$(python -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME
command -v java >/dev/null 2>&1 || { echo "spark.sh: no java; run scripts/system-packages.sh" >&2; exit 1; }

COPILOT_SPARK_DIR="${COPILOT_SPARK_DIR:-$(mktemp -d)}"
mkdir -p "${COPILOT_SPARK_DIR}"
SPARK_PORT="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
SPARK_LOG="${COPILOT_SPARK_DIR}/thrift-server.log"

echo "Starting Spark $(python -c 'import pyspark; print(pyspark.__version__)') Thrift server on 127.0.0.1:${SPARK_PORT} ..."
spark_started_at="$(date +%s)"
# What sbin/start-thriftserver.sh runs, in the foreground of a background job so its
# pid is ours to stop. Memory kept modest: one local driver of 1 GB, no web UI.
( cd "${COPILOT_SPARK_DIR}" && exec "${SPARK_HOME}/bin/spark-submit" \
    --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 \
    --name copilot-test-thrift --master 'local[2]' --driver-memory 1g \
    --conf spark.ui.enabled=false \
    --conf spark.sql.session.timeZone=UTC \
    --conf spark.sql.shuffle.partitions=4 \
    --conf "spark.sql.warehouse.dir=${COPILOT_SPARK_DIR}/warehouse" \
    --conf "spark.driver.extraJavaOptions=-Dderby.system.home=${COPILOT_SPARK_DIR}" \
    spark-internal \
    --hiveconf "hive.server2.thrift.port=${SPARK_PORT}" \
    --hiveconf hive.server2.thrift.bind.host=127.0.0.1 ) >"${SPARK_LOG}" 2>&1 &
COPILOT_SPARK_PID=$!
export COPILOT_SPARK_PID

stop_spark() {
  if [ -n "${COPILOT_SPARK_PID:-}" ] && kill -0 "${COPILOT_SPARK_PID}" 2>/dev/null; then
    kill "${COPILOT_SPARK_PID}" 2>/dev/null || true
    wait "${COPILOT_SPARK_PID}" 2>/dev/null || true
  fi
}

spark_fail() {
  echo "spark.sh: $1; the end of ${SPARK_LOG}:" >&2
  tail -n 40 "${SPARK_LOG}" >&2 || true
  stop_spark
  exit 1
}

deadline=$(( $(date +%s) + ${COPILOT_SPARK_START_S:-360} ))
until python -c "import socket; socket.create_connection(('127.0.0.1', ${SPARK_PORT}), 1).close()" 2>/dev/null; do
  kill -0 "${COPILOT_SPARK_PID}" 2>/dev/null || spark_fail "the Spark Thrift server exited"
  [ "$(date +%s)" -lt "${deadline}" ] || spark_fail "the Spark Thrift server did not start in ${COPILOT_SPARK_START_S:-360} s"
  sleep 2
done
echo "Spark Thrift server up after $(( $(date +%s) - spark_started_at )) s; loading the demo store ..."

export COPILOT_TEST_SPARK_URL="hive://127.0.0.1:${SPARK_PORT}/default"
python scripts/spark_demo.py "${COPILOT_TEST_SPARK_URL}" || spark_fail "loading the demo store failed"
echo "Spark ready at ${COPILOT_TEST_SPARK_URL} ($(( $(date +%s) - spark_started_at )) s)"
