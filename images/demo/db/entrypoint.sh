#!/bin/sh
# Starts PostgreSQL on $PGDATA, initialising it first when it holds no database:
#   POSTGRES_PASSWORD_FILE  file whose first line is the password of POSTGRES_USER (required at the first start)
#   POSTGRES_USER           the database's superuser (default postgres)
#   POSTGRES_DB             a database created for it (default: POSTGRES_USER)
# The password is only read at that first start; the database keeps it (change it with ALTER ROLE).
# Arguments are given to postgres (e.g. -c shared_buffers=64MB).
set -eu
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  case "$POSTGRES_USER$POSTGRES_DB" in
    *[!a-z0-9_]*) echo "db: POSTGRES_USER and POSTGRES_DB: lower-case letters, digits and _ only" >&2; exit 2 ;;
  esac
  if [ -z "${POSTGRES_PASSWORD_FILE:-}" ] || [ ! -s "$POSTGRES_PASSWORD_FILE" ]; then
    echo "db: no database in $PGDATA yet, and POSTGRES_PASSWORD_FILE names no readable file" >&2
    exit 2
  fi
  echo "db: initialising $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)"
  # Into a fresh directory renamed at the end: a start interrupted here leaves no half-made database behind.
  rm -rf "$PGDATA.init"
  initdb -D "$PGDATA.init" -U "$POSTGRES_USER" --pwfile="$POSTGRES_PASSWORD_FILE" -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  echo "host all all all scram-sha-256" >>"$PGDATA.init/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE $POSTGRES_DB;" | postgres --single -D "$PGDATA.init" postgres >/dev/null
  fi
  mv "$PGDATA.init" "$PGDATA"
fi

# A small footprint for a demo; the rest are PostgreSQL's defaults.
exec postgres -D "$PGDATA" -c listen_addresses='*' -c shared_buffers=32MB -c jit=off "$@"
