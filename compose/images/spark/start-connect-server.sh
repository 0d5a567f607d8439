#!/bin/bash
# The upstream image's sbin/start-connect-server.sh, in the foreground. --packages is dropped:
# its jars are already in /opt/spark/jars, so the server starts without reaching a registry.
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--packages" ]; then shift 2; continue; fi
  args+=("$1")
  shift
done
exec /opt/spark/bin/spark-submit --class org.apache.spark.sql.connect.service.SparkConnectServer --name "Spark Connect server" "${args[@]}" spark-internal
