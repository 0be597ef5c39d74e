#!/bin/sh
# Stops: Tumen's detectors (`tumen run`, port visits and everything else)
# against MovingPandas' TrajectoryStopDetector on the same points: the
# Najin -> Dunay scenario's positions of one week, timed in one run.
#
#   bench/stops.sh [WORKDIR]      (default /tmp/tumen-stops; needs python3-venv and PyPI)
#
# Tumen is timed as a whole process (reading the archive, every detector,
# writing the catalog), best of 3; MovingPandas as building the trajectories
# and finding the stops (reading the archive into pandas not counted), once.
set -eu
WORK=${1:-/tmp/tumen-stops}
FROM=2023-08-10
TO=2023-08-16
HERE=$(cd "$(dirname "$0")" && pwd)
TUMEN="$HERE/../target/release/tumen"
mkdir -p "$WORK"
if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q movingpandas==0.22.4 pyarrow==26.0.1
fi
(cd "$HERE/.." && cargo build --release -q)
if [ ! -d "$WORK/data" ]; then
    "$TUMEN" simulate najin-dunay-2023 --out "$WORK/case" -q
    "$TUMEN" ingest "$WORK/case/ais.nmea" --data "$WORK/data" -q
    "$TUMEN" places import "$WORK/case/gazetteer.geojson" --data "$WORK/data" >/dev/null
fi
best=""
for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$TUMEN" run --data "$WORK/data" --from $FROM --to $TO 2>"$WORK/run.txt"
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
done
visits=$("$TUMEN" events --data "$WORK/data" --kind port_visit --from $FROM --to $TO --format json | wc -l)
echo "tumen run: best of 3 $best s; $(head -1 "$WORK/run.txt"); $visits port visits"
mp=$("$WORK/venv/bin/python" -W ignore "$HERE/stops.py" "$WORK/data" $FROM $TO 2>/dev/null)
echo "movingpandas: $mp"
echo "$mp" | python3 -c "
import json, sys
mp = json.loads(sys.stdin.read())
tumen = float('$best')
print(f\"points {mp['points']:,}; MovingPandas stop detection {mp['stops_s']} s (+ {mp['build_s']} s building trajectories)\")
print(f\"Tumen, every detector, whole process: {tumen:.2f} s -> {mp['stops_s'] / tumen:.0f}x faster than the stop detector alone, {(mp['stops_s'] + mp['build_s']) / tumen:.0f}x with building\")
"
