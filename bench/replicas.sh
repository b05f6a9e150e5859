#!/usr/bin/env bash
# Replicas on one PostgreSQL under a bounded mixed read/write load, on
# loopback: N `coopchain serve` processes share one database; workers read a
# participant, write its counter + 1 with If-Match through any replica, and
# read lists and metrics in between (bench/replicas/main.go). Prints
# throughput, latency, status counts and the lost-update check; exits non-zero
# on any answer other than 200/409 or a lost update.
#
# Usage: bench/replicas.sh [seconds] [workers] [replicas]
# PostgreSQL: $COOPCHAIN_BENCH_POSTGRES (an admin address, postgres://…) when
# set; otherwise a throw-away cluster made by pg_virtualenv (Debian's
# postgresql-common, as .ci/run uses).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
workers=${2:-16}
nrep=${3:-2}
if [ -z "${COOPCHAIN_BENCH_POSTGRES:-}" ]; then
  command -v pg_virtualenv >/dev/null || { echo "needs pg_virtualenv (apt-get install postgresql postgresql-common) or COOPCHAIN_BENCH_POSTGRES" >&2; exit 2; }
  exec pg_virtualenv sh -c 'COOPCHAIN_BENCH_POSTGRES="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE?sslmode=disable" "$0" "$@"' "$0" "$@"
fi
admin=$COOPCHAIN_BENCH_POSTGRES
make -s build
go build -o bin/bench-replicas ./bench/replicas
tmp=$(mktemp -d)
db=cc_bench_$$
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
psql "$admin" -qc "CREATE DATABASE $db"
dsn=$(printf '%s' "$admin" | sed -E "s#(://[^/]*/)[^?]*#\1$db#")

# A cluster of 100 participants (counter: employees = 0) and 300 links.
mkdir -p "$tmp/data"
awk 'BEGIN { print "id,name,kind,employees"; for (i = 0; i < 100; i++) printf "p%04d,Участник %d,enterprise,0\n", i, i }' >"$tmp/data/participants.csv"
awk 'BEGIN { print "supplier_id,buyer_id,product_code,year,value_rub"; n = 0
  for (d = 1; n < 300; d++) for (i = 0; i + d < 100 && n < 300; i++) { printf "p%04d,p%04d,24.42.22,2024,%d\n", i, i + d, 1000 + n; n++ } }' >"$tmp/data/links.csv"
bin/coopchain import --db "$dsn" --cluster bench "$tmp/data" >/dev/null 2>&1
token=$(bin/coopchain token create --db "$dsn" --role editor --cluster bench 2>/dev/null)

urls=()
for i in $(seq 1 "$nrep"); do
  port=$((18100 + i))
  bin/coopchain serve --db "$dsn" --addr 127.0.0.1:$port --rate-token -1 --rate-ip -1 --bootstrap-token=false --log json 2>"$tmp/serve$i.log" &
  pids+=($!)
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
  curl -sf http://127.0.0.1:$port/healthz >/dev/null || { echo "replica $i did not start:" >&2; cat "$tmp/serve$i.log" >&2; exit 1; }
  urls+=("http://127.0.0.1:$port")
done
hot=$(printf 'p%04d,' 0 1 2 3 4 5 6 7); hot=${hot%,}
echo "PostgreSQL $(psql "$admin" -Atc 'SHOW server_version'), $nrep replicas, $workers workers, ${secs}s, $(nproc) cores shared by everything"
status=0
bin/bench-replicas --urls "$(IFS=,; echo "${urls[*]}")" --token "$token" --cluster bench --participants "$hot" \
  --workers "$workers" --duration "${secs}s" --json "$tmp/result.json" || status=$?
for i in $(seq 1 "$nrep"); do
  n=$(grep -c '"level":"ERROR"' "$tmp/serve$i.log" || true)
  echo "replica $i: $n error log lines"
done
exit $status
