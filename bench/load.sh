#!/usr/bin/env bash
# Load test of the cached metrics endpoint on loopback, bounded in time.
# Usage: bench/load.sh [seconds] [connections]
# Needs wrk (installed from Debian's packages if missing). Prints wrk's
# report: requests per second, latency percentiles and errors.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
conns=${2:-32}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
make -s build
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
db="$tmp/load.db"
token=$(bin/coopchain token create --db "$db" --role viewer --cluster ru-031 2>/dev/null)
# Rate limits off: this measures the server, not the limiter.
bin/coopchain serve --db "$db" --addr 127.0.0.1:18090 --rate-token -1 --rate-ip -1 --bootstrap-token=false --log json 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18090/healthz >/dev/null && break; sleep 0.2; done
url=http://127.0.0.1:18090/api/v1/clusters/ru-031/metrics
curl -sf -H "Authorization: Bearer $token" "$url" >/dev/null # warm the cache
echo "wrk: $secs s, $conns connections, 2 threads, GET $url"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" "$url"
