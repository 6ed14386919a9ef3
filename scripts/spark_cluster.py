"""Start Spark on loopback from the pyspark wheel: a Thrift server in local mode, or a
standalone master + worker with a Thrift server submitting to it (the benchmark's setups).

Every process is a child of the caller, started with its own Popen and stopped by its
pid (`SparkProcesses.stop`), never by name. Nothing listens beyond 127.0.0.1. Needs a
JDK on PATH (scripts/system-packages.sh installs Debian's). Errors: RuntimeError with
the end of the process's log when a process exits early or a port does not answer in
time.

    python scripts/spark_cluster.py --master standalone --dir /tmp/spark-x
    # prints the hive:// URL, then waits; Ctrl-C stops every process it started
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_S = 600.0


def spark_home() -> Path:
    """The Spark distribution inside the installed pyspark wheel."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SparkProcesses:
    """The processes of one Spark set-up and what the client needs of it."""

    url: str  # the Thrift server's SQLAlchemy URL (hive://127.0.0.1:PORT/default)
    master: str  # local[N] or spark://127.0.0.1:PORT
    started_s: float  # seconds from the first process start until the Thrift port answered
    processes: list[subprocess.Popen] = field(default_factory=list)

    def stop(self) -> None:
        """Stop every process this set-up started (the Thrift server first), by pid."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"{log.name}: the process exited; its log ends:\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{log.name}: port {port} did not answer in time:\n{_tail(log)}")
        time.sleep(1)


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _spawn(command: list[str], log: Path, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "SPARK_HOME": str(spark_home()), "SPARK_LOCAL_IP": "127.0.0.1"}
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)


def start_standalone(
    directory: Path, cores: int = 2, worker_memory: str = "3g"
) -> tuple[str, list[subprocess.Popen]]:
    """A standalone master and one worker on 127.0.0.1 (web UIs on free ports, loopback).

    Returns (master URL spark://127.0.0.1:PORT, [master, worker]) once the worker's
    port answers (it registers with the master right after).
    """
    directory.mkdir(parents=True, exist_ok=True)
    spark_class = str(spark_home() / "bin" / "spark-class")
    port = free_port()
    deadline = time.monotonic() + START_TIMEOUT_S
    master_log = directory / "master.log"
    master = _spawn(
        [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
         "--port", str(port), "--webui-port", str(free_port())],
        master_log, directory,
    )  # fmt: skip
    _wait_for_port(port, master, master_log, deadline)
    url = f"spark://127.0.0.1:{port}"
    worker_port = free_port()
    worker_log = directory / "worker.log"
    worker = _spawn(
        [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
         "--port", str(worker_port), "--webui-port", str(free_port()), "--cores", str(cores),
         "--memory", worker_memory, "--work-dir", str(directory / "work")],
        worker_log, directory,
    )  # fmt: skip
    _wait_for_port(worker_port, worker, worker_log, deadline)
    return url, [master, worker]


def start_thrift_server(
    directory: Path,
    master: str = "local[2]",
    driver_memory: str = "1g",
    executor_memory: str = "2g",
    shuffle_partitions: int = 4,
) -> tuple[str, subprocess.Popen]:
    """A Thrift server (what sbin/start-thriftserver.sh runs) on 127.0.0.1 for `master`.

    Returns (hive://127.0.0.1:PORT/default, process) once its port answers. The
    metastore (Derby) and the warehouse directory live in `directory`.
    """
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = directory / "thrift-server.log"
    command = [
        str(spark_home() / "bin" / "spark-submit"),
        "--class", "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
        "--name", "copilot-thrift", "--master", master, "--driver-memory", driver_memory,
        "--conf", f"spark.executor.memory={executor_memory}",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.sql.session.timeZone=UTC",
        "--conf", f"spark.sql.shuffle.partitions={shuffle_partitions}",
        "--conf", f"spark.sql.warehouse.dir={directory / 'warehouse'}",
        "--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={directory}",
        "spark-internal",
        "--hiveconf", f"hive.server2.thrift.port={port}",
        "--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1",
    ]  # fmt: skip
    process = _spawn(command, log, directory)
    _wait_for_port(port, process, log, time.monotonic() + START_TIMEOUT_S)
    return f"hive://127.0.0.1:{port}/default", process


def start_spark(
    directory: Path, master: str = "local[2]", driver_memory: str = "1g", **thrift: object
) -> SparkProcesses:
    """A Thrift server in local mode (`master` = local[N]) or on a new standalone
    master + worker (`master` = "standalone"); the start-up time covers every process."""
    started = time.monotonic()
    processes: list[subprocess.Popen] = []
    try:
        if master == "standalone":
            master, processes = start_standalone(directory / "cluster")
        elif not master.startswith("local"):
            raise ValueError(f"master {master!r}: use local[N] or standalone")
        url, server = start_thrift_server(directory, master, driver_memory, **thrift)
    except BaseException:
        SparkProcesses("", master, 0.0, processes).stop()
        raise
    processes.append(server)
    return SparkProcesses(url, master, time.monotonic() - started, processes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--master", default="local[2]", help="local[N] or standalone")
    parser.add_argument("--dir", type=Path, required=True, help="logs, metastore, warehouse")
    parser.add_argument("--driver-memory", default="1g")
    args = parser.parse_args(argv)
    spark = start_spark(args.dir, args.master, args.driver_memory)
    print(f"{spark.url} ({spark.master}, up after {spark.started_s:.0f} s)", flush=True)
    try:
        while all(p.poll() is None for p in spark.processes):
            time.sleep(5)
    except KeyboardInterrupt:
        pass
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
