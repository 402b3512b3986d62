#!/bin/sh
# Creates Temporal's two PostgreSQL databases on the first run and upgrades their schemas on
# every run (update-schema is idempotent).
set -eu
tool="temporal-sql-tool --plugin postgres12 --ep ${POSTGRES_SEEDS} -p ${DB_PORT} -u ${POSTGRES_USER} --pw ${POSTGRES_PWD}"
schema=/etc/temporal/schema/postgresql/v12
until nc -z "${POSTGRES_SEEDS}" "${DB_PORT}"; do sleep 1; done
for db in temporal visibility; do
  name=$([ "$db" = temporal ] && echo temporal || echo temporal_visibility)
  if $tool --db "$name" create; then
    $tool --db "$name" setup-schema -v 0.0
  fi
  $tool --db "$name" update-schema -d "$schema/$db/versioned"
done
echo "Temporal schema is up to date"
