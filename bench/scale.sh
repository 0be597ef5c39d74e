#!/usr/bin/env bash
# The simulator's global day through `tumen ingest` and `tumen run` on one machine, stage by
# stage, with wall time and peak memory of each process (issue 10's target: both together in
# at most 60 s, at most 4 GB). Needs ~25 GB free in $WORK.
#   bench/scale.sh [WORK_DIR]        (default /tmp/tumen-scale-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/tumen-scale-bench}"
bench/ingest.sh "$work"
/usr/bin/time -v target/release/tumen run --data "$work/data" >/dev/null 2>"$work/run-time.txt"
grep -E "events in|^  \(" "$work/run-time.txt"
python3 - "$work/time.txt" "$work/run-time.txt" <<'PY'
import re, sys

def measure(path):
    text = open(path).read()
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1).split(":")
    wall = sum(float(part) * 60 ** i for i, part in enumerate(reversed(clock)))
    peak_gb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024 / 1024
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): (\S+)", text))
    return wall, peak_gb, cpu, text

ingest_wall, ingest_peak, ingest_cpu, ingest_text = measure(sys.argv[1])
run_wall, run_peak, run_cpu, run_text = measure(sys.argv[2])
read = re.search(r"lines rejected; ([\d.]+) s", ingest_text)
compaction = re.search(r"compacted .* in ([\d.]+) s", ingest_text)
print("| stage | wall | CPU | peak memory |")
print("|---|---:|---:|---:|")
if read and compaction:
    print(f"| ingest: read, decode, write parts | {float(read.group(1)):.1f} s | | |")
    print(f"| ingest: compaction | {float(compaction.group(1)):.1f} s | | |")
print(f"| **tumen ingest** (whole process) | **{ingest_wall:.1f} s** | {ingest_cpu:.0f} s | {ingest_peak:.2f} GB |")
stages = re.search(r"^  \((.*)\)$", run_text, re.M)
if stages:
    for part in stages.group(1).split(", "):
        name, seconds, _ = part.rsplit(" ", 2)
        print(f"| run: {name} | {float(seconds):.1f} s | | |")
print(f"| **tumen run** (whole process) | **{run_wall:.1f} s** | {run_cpu:.0f} s | {run_peak:.2f} GB |")
print(f"| **both** | **{ingest_wall + run_wall:.1f} s** (target 60 s) | {ingest_cpu + run_cpu:.0f} s | {max(ingest_peak, run_peak):.2f} GB (target 4 GB) |")
PY
