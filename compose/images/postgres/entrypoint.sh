#!/bin/sh
# The upstream postgres image's contract: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA.
set -e
PGDATA=${PGDATA:-/var/lib/postgresql/data}
USER_NAME=${POSTGRES_USER:-postgres}
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "$POSTGRES_PASSWORD" ] || { echo "POSTGRES_PASSWORD is not set" >&2; exit 1; }
  printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile && chown postgres /tmp/pwfile
  su postgres -c "initdb -D '$PGDATA' -U '$USER_NAME' --pwfile=/tmp/pwfile -A scram-sha-256 -E UTF8 --locale=C.UTF-8" > /dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ -n "$POSTGRES_DB" ] && [ "$POSTGRES_DB" != "$USER_NAME" ]; then
    su postgres -c "postgres --single -D '$PGDATA' postgres" > /dev/null <<SQL
CREATE DATABASE "$POSTGRES_DB" OWNER "$USER_NAME";
SQL
  fi
fi
exec su postgres -c "exec postgres -D '$PGDATA' -c listen_addresses='*' $*"
