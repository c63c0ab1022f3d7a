#!/usr/bin/env bash
# Runs a Spark standalone cluster in DIR from the installed PySpark: one master and WORKERS
# workers, each worker offering CORES cores and MEMORY for executors. Stays in the foreground so
# the caller owns one pid; on SIGTERM it stops the workers (and their executors), then the master.
# Usage: start-spark.sh DIR MASTER_PORT MASTER_UI_PORT WORKERS CORES MEMORY   ($SPARK_HOME set)
set -euo pipefail
home="$1"
port="$2"
ui_port="$3"
workers="$4"
cores="$5"
memory="$6"
[[ -x "$SPARK_HOME/bin/spark-class" ]] || { echo "start-spark: no spark-class in $SPARK_HOME" >&2; exit 1; }
command -v java >/dev/null || { echo "start-spark: java is missing; run infra/system-deps.sh" >&2; exit 1; }

# Loopback only; the daemons stay in the foreground; small heaps for the master and the
# workers themselves (executors get MEMORY, not these).
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1 SPARK_NO_DAEMONIZE=1
export SPARK_DAEMON_MEMORY=256m SPARK_LOG_DIR="$home/logs" SPARK_PID_DIR="$home"
# The daemons only schedule and supervise: the client compiler and a serial GC start them with
# less CPU, which a 2-core machine feels. Executors are not affected.
export SPARK_DAEMON_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
mkdir -p "$SPARK_LOG_DIR"

children=()
stop() {
  # Workers first (each kills its executors), then the master.
  for ((i = ${#children[@]} - 1; i >= 0; i--)); do kill -TERM "${children[i]}" 2>/dev/null || true; done
  wait
  exit 0
}
trap stop TERM INT

"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port "$ui_port" &
children+=($!)
for n in $(seq 1 "$workers"); do
  mkdir -p "$home/worker-$n"
  # Workers retry until the master answers, so they need not wait for it here.
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --port 0 --webui-port 0 --cores "$cores" --memory "$memory" \
    --work-dir "$home/worker-$n" "spark://127.0.0.1:$port" &
  children+=($!)
done
# Any daemon exiting on its own is a failure of the whole cluster: stop the rest and say so.
set +e
wait -n
status=$?
echo "start-spark: a daemon exited with status $status; stopping the cluster" >&2
for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null; done
wait
exit 1
