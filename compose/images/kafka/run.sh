#!/bin/sh
# The upstream apache/kafka image's contract: every KAFKA_* variable becomes a server property
# (KAFKA_LOG_DIRS -> log.dirs; "__" -> "_", "___" -> "-"), CLUSTER_ID formats the storage once.
set -e
CONF=/opt/kafka/config/server.properties
: > "$CONF"
env | grep '^KAFKA_' | grep -v -E '^KAFKA_(HEAP_OPTS|OPTS|JVM_PERFORMANCE_OPTS|LOG4J_OPTS)=' | while IFS='=' read -r key value; do
  prop=$(printf '%s' "${key#KAFKA_}" | tr 'A-Z' 'a-z' | sed 's/___/-/g; s/__/@/g; s/_/./g; s/@/_/g')
  printf '%s=%s\n' "$prop" "$value" >> "$CONF"
done
LOG_DIR=$(sed -n 's/^log\.dirs=//p' "$CONF")
LOG_DIR=${LOG_DIR:-/var/lib/kafka/data}
CP="/opt/kafka/libs/*"
if [ ! -f "$LOG_DIR/meta.properties" ]; then
  java -cp "$CP" -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties kafka.tools.StorageTool format -t "${CLUSTER_ID:?CLUSTER_ID is not set}" -c "$CONF"
fi
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -XX:+UseG1GC -cp "$CP" -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties kafka.Kafka "$CONF"
