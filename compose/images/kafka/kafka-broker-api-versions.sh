#!/bin/sh
# Same path as in the upstream image, so the compose healthcheck works on both.
exec java -cp "/opt/kafka/libs/*" -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties kafka.admin.BrokerApiVersionsCommand "$@"
