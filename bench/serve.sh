#!/usr/bin/env bash
# Load on `tumen serve` with wrk (Debian `wrk`) over loopback: requests per second and latency
# percentiles for event and track queries, 2 threads × 32 connections, 10 s each (bounded in time).
# Each run spreads over many vessels (bench/rotate.lua takes the next path of a list per request),
# so no answer is served warm from one vessel's pages. The issue's target: ≥ 1,000 requests/s with
# p99 ≤ 50 ms on this 2-core machine; wrk shares the two cores with the server.
#   bench/serve.sh [WORK_DIR [DATA_DIR]]
# SOAK_SECONDS=N also runs a mixed load (tracks, events, drawings, reports, the alert stream held
# open by 8 clients) for N seconds and samples the server's resident memory every 5 s.
# WORK_DIR defaults to /tmp/tumen-serve-bench; DATA_DIR to the demo's dataset made there (any
# dataset works, e.g. the global day bench/ingest.sh leaves in its WORK_DIR/data).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/tumen-serve-bench}"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v jq >/dev/null || { echo "needs jq (apt-get install jq)" >&2; exit 1; }
cargo build --release -q
tumen="$PWD/target/release/tumen"
mkdir -p "$work"
data="${2:-$work/data}"
[[ -n "${2:-}" || -d "$data" ]] || "$tumen" demo --out "$work" >/dev/null 2>&1
port=18181
"$tumen" serve --data "$data" --bind "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; } # another server on the port?
token=$(cat "$data/server-token")
api() { curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/$1"; }

# Up to 2,000 vessels, and the days the archive holds (its day=YYYY-MM-DD directories).
api "vessels?limit=10000" | jq -r '.[].mmsi' | shuf -n 2000 --random-source=<(yes) >"$work/mmsis"
find "$data/positions" -maxdepth 1 -name 'day=*' | sed 's/.*day=//' | sort >"$work/days"
place=$(api places | jq -r '.features[0].properties.id')
echo "$(wc -l <"$work/mmsis") vessels, $(wc -l <"$work/days") days; dataset $data"
paths() { # paths FILE TEMPLATE: one path per vessel (and day), the vessel and day substituted
  while read -r mmsi; do
    day=$(shuf -n 1 "$work/days")
    local p="${2//MMSI/$mmsi}"
    echo "${p//DAY/$day}"
  done <"$work/mmsis" >"$work/$1.paths"
}
paths events "/api/events?mmsi=MMSI&limit=50"
paths events-place "/api/events?kind=port_visit&place=$place&from=DAY&to=DAY"
paths track-hour "/api/vessels/MMSI/track?from=DAYT06:00:00Z&to=DAYT07:00:00Z"
paths track-day "/api/vessels/MMSI/track?from=DAY&to=DAY"
for run in events events-place track-hour track-day; do
  echo "GET $(head -1 "$work/$run.paths")  (and $(($(wc -l <"$work/$run.paths") - 1)) more like it)"
  wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $token" -s bench/rotate.lua \
    "http://127.0.0.1:$port" -- "$work/$run.paths" | grep -E "Requests/sec|^ +(50|99)%|Non-2xx|Transfer/sec"
done
ps -o rss= -p "$server" | awk '{printf "server resident memory after the runs: %.0f MB\n", $1 / 1024}'

soak="${SOAK_SECONDS:-0}"
if ((soak > 0)); then
  api chains | jq -r '.[].id' | head -20 | sed 's|^|/api/chains/|; s|$|/report|' >"$work/reports.paths"
  sed 's|^|/api/events/map.svg?mmsi=|' "$work/mmsis" | head -200 >"$work/drawings.paths"
  cat "$work"/{events,events-place,track-hour,track-day,reports,drawings}.paths | shuf >"$work/mixed.paths"
  for _ in $(seq 8); do
    curl -sN -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/alerts/stream" >/dev/null &
  done
  echo "mixed load for $soak s over $(wc -l <"$work/mixed.paths") paths; resident memory every 5 s (MB):"
  wrk -t2 -c32 -d"${soak}s" --latency -H "Authorization: Bearer $token" -s bench/rotate.lua \
    "http://127.0.0.1:$port" -- "$work/mixed.paths" >"$work/soak.txt" &
  load=$!
  while kill -0 $load 2>/dev/null; do
    printf '%s ' "$(ps -o rss= -p "$server" | awk '{printf "%.0f", $1 / 1024}')"
    sleep 5
  done
  echo
  grep -E "Requests/sec|^ +(50|99)%|Non-2xx" "$work/soak.txt"
fi
