#!/bin/sh
# `mc ready local`: is the local MinIO serving? (the one mc call the compose healthcheck makes)
exec curl -sf http://127.0.0.1:9000/minio/health/ready > /dev/null
