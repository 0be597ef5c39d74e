#!/usr/bin/env bash
# Times `tumen ingest` on the simulator's global day (133M lines, 11 GB) and reports wall time,
# messages per second (whole process) and peak memory. Needs ~25 GB free in $WORK.
#   bench/ingest.sh [WORK_DIR]        (default /tmp/tumen-ingest-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/tumen-ingest-bench}"
mkdir -p "$work"
cargo build --release -q
tumen="$PWD/target/release/tumen"
if [[ ! -f "$work/global/ais.nmea" ]]; then
  "$tumen" simulate global-day --out "$work/global" -q
fi
rm -rf "$work/data"
/usr/bin/time -v "$tumen" ingest "$work/global/ais.nmea" --data "$work/data" --json \
  >"$work/summary.json" 2>"$work/time.txt"
grep -E "ais.nmea|compacted" "$work/time.txt"
messages=$(python3 -c "import json,sys; print(json.load(open('$work/summary.json'))['counts']['messages'])")
wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
peak_kb=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
python3 - "$messages" "$wall" "$peak_kb" <<'PY'
import sys
messages, wall, peak_kb = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"{messages:,} messages in {wall:.1f} s wall: {messages / wall / 1e6:.2f}M messages/s whole process "
      f"(target 2M/s); peak memory {peak_kb / 1024 / 1024:.2f} GB (target 2 GB)")
PY
