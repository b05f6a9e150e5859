#!/usr/bin/env bash
# Load test of the endpoints people wait on, on loopback, bounded in time:
# the registry (`GET /api/v1/clusters`, the landing page's data) and, as the
# peer in the same run, a cluster's cached metrics.
# Usage: bench/load.sh [seconds] [connections]
# Needs wrk (installed from Debian's packages if missing). Prints wrk's
# report per endpoint (requests per second, latency percentiles, errors)
# and a summary table with the ratio of the two.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
conns=${2:-32}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
make -s build
tmp=$(mktemp -d)
pid=; trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
db="$tmp/load.db"
# Rate limits off: this measures the server, not the limiter.
bin/coopchain serve --db "$db" --addr 127.0.0.1:18090 --rate-token -1 --rate-ip -1 --bootstrap-token=false --log json 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18090/healthz >/dev/null && break; sleep 0.2; done
# The server has created the database; a token for a viewer of the demo cluster.
token=$(bin/coopchain token create --db "$db" --role viewer --cluster ru-031 2>/dev/null)
base=http://127.0.0.1:18090/api/v1
declare -A rps p99
for name in registry metrics; do
  case $name in
    registry) url=$base/clusters ;;
    metrics) url=$base/clusters/ru-031/metrics ;;
  esac
  # Warm the caches; browsers ask for gzip, so does the load.
  curl -sf --compressed -H "Authorization: Bearer $token" "$url" >/dev/null
  echo "== $name: wrk $secs s, $conns connections, 2 threads, GET $url (gzip)"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" \
    -H 'Accept-Encoding: gzip' "$url" | tee "$tmp/$name.txt"
  rps[$name]=$(awk '/Requests\/sec/ {print $2}' "$tmp/$name.txt")
  p99[$name]=$(awk '$1=="99%" {print $2}' "$tmp/$name.txt")
done
echo
echo "| endpoint | req/s | p99 |"
echo "|---|---|---|"
for name in registry metrics; do echo "| $name | ${rps[$name]} | ${p99[$name]} |"; done
awk -v a="${rps[registry]}" -v b="${rps[metrics]}" 'BEGIN { printf "registry/metrics throughput ratio: %.2f\n", a / b }'
