#!/usr/bin/env bash
# Soak test — run by hand, not in CI. Serves the built-in dataset, keeps the
# server busy with diagram renders (SVG and PNG, every view, both languages,
# several participants, products and hop counts) and analyses (every
# analysis route of four clusters, several years), while a writer changes a
# cluster's data twice a second so that cached analyses and diagrams keep
# going stale and are computed again. Samples the resident memory (VmRSS) of
# the server plus its children — the diagram worker processes that `serve`
# starts (`coopchain render-worker`, replaced every 200 renders) — and the
# server's Go heap (from /metrics) every INTERVAL seconds into a CSV, and
# prints whether memory is flat: the mean of the last third of the run
# against the first third, after a warm-up in which the bounded caches fill
# (diagrams 64 MiB, analyses 64 reports; SOAK_WARMUP seconds, default 60 or a
# tenth of the run, whichever is longer, at most half of it). Flat means the
# last third is at most 10 % (or 10 MB) above the first.
#
# Usage: scripts/soak.sh [SECONDS=600] [INTERVAL=5] [CSV=$TMPDIR/coopchain-soak-rss.csv]
#   SOAK_DB=postgres://…   run on PostgreSQL instead of a temporary SQLite file
#   SOAK_PORT=18190        listen port
#   SOAK_WARMUP=60         seconds left out of the comparison
#   SOAK_SERVE_FLAGS="…"   extra flags of serve, e.g. --render-worker=false to
#                          draw in the server process as before (memory grows)
# Needs curl. Exits 1 when memory is not flat or the server died.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-600}
every=${2:-5}
out=${3:-${TMPDIR:-/tmp}/coopchain-soak-rss.csv}
port=${SOAK_PORT:-18190}
base=http://127.0.0.1:$port
make -s build
tmp=$(mktemp -d)
db=${SOAK_DB:-$tmp/soak.db}
pid=
loops=()
cleanup() {
  touch "$tmp/stop"
  for p in "${loops[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

token=$(bin/coopchain token create --db "$db" --role admin --name soak 2>/dev/null)
# shellcheck disable=SC2086 # SOAK_SERVE_FLAGS is a list of flags
bin/coopchain serve --db "$db" --addr 127.0.0.1:$port --rate-token -1 --rate-ip -1 --bootstrap-token=false --log json ${SOAK_SERVE_FLAGS:-} 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$base/healthz" >/dev/null || { echo "the server did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }
auth=(-H "Authorization: Bearer $token")

# Ids to vary the views with.
ids_of() { curl -sf "${auth[@]}" "$base/api/v1/clusters/$1/participants?limit=12" | grep -o '"id":"[^"]*"' | cut -d'"' -f4; }
products_of() { curl -sf "${auth[@]}" "$base/api/v1/clusters/$1/links?limit=50" | grep -o '"product_code":"[^"]*"' | cut -d'"' -f4 | sort -u | head -8; }
mapfile -t pids031 < <(ids_of ru-031)
mapfile -t prods031 < <(products_of ru-031)
mapfile -t pids017 < <(ids_of ru-017)
[ ${#pids031[@]} -gt 0 ] && [ ${#prods031[@]} -gt 0 ] || { echo "the demo cluster ru-031 has no data" >&2; exit 1; }

code() { # method url [json] → appends "kind status" to the tally
  local kind=$1 method=$2 url=$3 body=${4:-}
  local c
  if [ -n "$body" ]; then
    c=$(curl -s -o /dev/null -w '%{http_code}' -X "$method" "${auth[@]}" -H 'Content-Type: application/json' --data "$body" "$url" || echo 000)
  else
    c=$(curl -s -o /dev/null -w '%{http_code}' -X "$method" "${auth[@]}" "$url" || echo 000)
  fi
  echo "$kind $c" >>"$tmp/codes.$BASHPID"
  case $c in 200 | 201 | 304) ;; *) echo "$c $method $url" >>"$tmp/failed.$BASHPID" ;; esac
}

render_loop() {
  local i=$1 views=(cluster participant product niches) c v q fmt
  while [ ! -e "$tmp/stop" ]; do
    c=ru-031
    [ $((i % 3)) = 2 ] && c=ru-017
    v=${views[$((i % 4))]}
    q="view=$v&lang=$([ $((i % 2)) = 0 ] && echo ru || echo en)"
    case $v in
      participant)
        if [ $c = ru-031 ]; then q="$q&participant=${pids031[$((i % ${#pids031[@]}))]}"; else q="$q&participant=${pids017[$((i % ${#pids017[@]}))]}"; fi
        q="$q&hops=$((1 + i % 3))" ;;
      product) c=ru-031; q="$q&product=${prods031[$((i % ${#prods031[@]}))]}" ;;
      niches) c=ru-031 ;; # ru-017 has no niches (404)
    esac
    fmt=svg
    [ $((i % 5)) = 0 ] && fmt=png
    code render GET "$base/api/v1/clusters/$c/diagram.$fmt?$q"
    i=$((i + 1))
  done
}

analysis_loop() {
  local i=$1 clusters=(ru-031 ru-017 ru-006 ru-035) routes=(analysis metrics niches compliance matches import-gaps) y
  while [ ! -e "$tmp/stop" ]; do
    y=""
    [ $((i % 4)) = 3 ] && y="?year=$((2021 + i % 4))"
    code analysis GET "$base/api/v1/clusters/${clusters[$((i % 4))]}/${routes[$((i % 6))]}$y"
    i=$((i + 1))
  done
}

write_loop() {
  local i=0
  code write POST "$base/api/v1/clusters/ru-031/participants" '{"id":"soak-1","name":"Участник нагрузки","kind":"enterprise"}'
  while [ ! -e "$tmp/stop" ]; do
    code write PUT "$base/api/v1/clusters/ru-031/participants/soak-1" "{\"name\":\"Участник нагрузки $i\",\"kind\":\"enterprise\",\"employees\":$i}"
    code write POST "$base/api/v1/clusters/ru-031/links" "{\"supplier_id\":\"soak-1\",\"buyer_id\":\"${pids031[$((i % ${#pids031[@]}))]}\",\"product_code\":\"${prods031[0]}\",\"year\":2024,\"value_rub\":$((1000 + i))}"
    i=$((i + 1))
    sleep 0.5
  done
}

render_loop 0 & loops+=($!)
render_loop 7 & loops+=($!)
analysis_loop 0 & loops+=($!)
analysis_loop 5 & loops+=($!)
write_loop & loops+=($!)

# rss_of PID → VmRSS in kB (0 once the process is gone)
rss_of() { local r; r=$(awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null) || true; echo "${r:-0}"; }

echo "seconds,rss_kb,server_rss_kb,workers_rss_kb,heap_inuse_bytes,requests,worker_pids" >"$out"
start=$(date +%s)
echo "soak: ${dur}s against $base (pid $pid, db ${SOAK_DB:+PostgreSQL}${SOAK_DB:-SQLite}), sampling every ${every}s into $out"
while :; do
  now=$(date +%s)
  t=$((now - start))
  kill -0 "$pid" 2>/dev/null || { echo "the server died" >&2; tail -20 "$tmp/serve.log" >&2; exit 1; }
  srss=$(rss_of "$pid")
  wrss=0
  wpids=$( (ps -o pid= --ppid "$pid" || true) | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
  for w in $wpids; do wrss=$((wrss + $(rss_of "$w"))); done
  heap=$(curl -s "$base/metrics" | awk '/^go_memstats_heap_inuse_bytes/ {printf "%d", $2}')
  reqs=$(cat "$tmp"/codes.* 2>/dev/null | wc -l)
  echo "$t,$((srss + wrss)),$srss,$wrss,${heap:-0},$reqs,$wpids" >>"$out"
  [ "$t" -ge "$dur" ] && break
  sleep "$every"
done
touch "$tmp/stop"
for p in "${loops[@]}"; do wait "$p" 2>/dev/null || true; done
loops=()

echo "requests by kind and status:"
cat "$tmp"/codes.* | sort | uniq -c | sort -k2,2 -k3,3 | awk '{printf "  %-9s %s %7d\n", $2, $3, $1}'
bad=$(cat "$tmp"/codes.* | awk '$2 !~ /^(200|201|304)$/' | wc -l)
echo "answers other than 200/201/304: $bad"
[ "$bad" -gt 0 ] && cat "$tmp"/failed.* | sort | uniq -c | sort -rn | head -5
echo "server error log lines: $(grep -c '"level":"ERROR"' "$tmp/serve.log" || true)"
warmup=${SOAK_WARMUP:-$((dur / 10 > 60 ? dur / 10 : 60))}
[ "$warmup" -gt $((dur / 2)) ] && warmup=$((dur / 2))
awk -F, -v warm="$warmup" '
  NR == 1 { next }
  {
    t[n] = $1; rss[n] = $2; srv[n] = $3; wrk[n] = $4; heap[n] = $5
    np = split($7, ps, " "); for (j = 1; j <= np; j++) pids[ps[j]] = 1
    n++
  }
  END {
    m = 0
    for (i = 0; i < n; i++) if (t[i] >= warm) { T[m] = t[i]; R[m] = rss[i]; S[m] = srv[i]; W[m] = wrk[i]; H[m] = heap[i]; m++ }
    if (m < 3) { print "too few samples after the warm-up"; exit 1 }
    k = int(m / 3)
    for (i = 0; i < k; i++) { r1 += R[i]; s1 += S[i]; w1 += W[i]; h1 += H[i] }
    for (i = m - k; i < m; i++) { r3 += R[i]; s3 += S[i]; w3 += W[i]; h3 += H[i] }
    r1 /= k; r3 /= k; s1 /= k; s3 /= k; w1 /= k; w3 /= k; h1 /= k; h3 /= k
    for (i = 0; i < n; i++) { if (rss[i] > max) max = rss[i]; if (srv[i] > smax) smax = srv[i]; if (wrk[i] > wmax) wmax = wrk[i] }
    for (p in pids) nw++
    growth = r3 - r1
    limit = r1 * 0.10; if (limit < 10240) limit = 10240   # 10 % or 10 MB
    printf "RSS of the server and its render workers: first third %.1f MB, last third %.1f MB (%+.1f MB, %+.1f%%), peak %.1f MB\n", r1/1024, r3/1024, growth/1024, 100*growth/r1, max/1024
    printf "  server alone:  first third %.1f MB, last third %.1f MB, peak %.1f MB\n", s1/1024, s3/1024, smax/1024
    printf "  workers alone: first third %.1f MB, last third %.1f MB, peak %.1f MB (%d worker processes seen in the samples)\n", w1/1024, w3/1024, wmax/1024, nw
    printf "Go heap in use (server): first third %.1f MB, last third %.1f MB\n", h1/1048576, h3/1048576
    printf "samples: %d (%d after a warm-up of %d s)\n", n, m, warm
    if (growth <= limit) { print "memory is flat"; exit 0 }
    print "memory grew: check for a leak"; exit 1
  }' "$out"
