#!/usr/bin/env python3
"""MovingPandas' TrajectoryStopDetector over every position of a Tumen
archive (the same points `tumen run` reads), timed. Prints one JSON line:
points, vessels, seconds to build the trajectories, seconds to find the
stops, stops found.

Usage: stops.py DATASET_DIR FROM TO [MAX_DIAMETER_M] [MIN_DURATION_MIN]
  FROM, TO: dates (UTC, inclusive), the window `tumen run --from --to` reads.
"""
import json
import sys
import time
from datetime import timedelta

import pyarrow.dataset as ds
import movingpandas as mpd
import geopandas as gpd
import pandas as pd
import warnings

warnings.filterwarnings("ignore")

data, first_day, last_day = sys.argv[1], sys.argv[2], sys.argv[3]
max_diameter_m = float(sys.argv[4]) if len(sys.argv) > 4 else 500.0
min_duration = timedelta(minutes=float(sys.argv[5]) if len(sys.argv) > 5 else 60.0)

table = ds.dataset(f"{data}/positions", format="parquet", partitioning="hive").to_table(
    columns=["mmsi", "time", "lat", "lon"]
)
frame = table.to_pandas()
frame["mmsi"] = frame["mmsi"].astype("int64")
frame["time"] = pd.to_datetime(frame["time"], utc=True)
start = pd.Timestamp(first_day, tz="UTC")
end = pd.Timestamp(last_day, tz="UTC") + pd.Timedelta(days=1)
frame = frame[(frame["time"] >= start) & (frame["time"] < end)].sort_values(["mmsi", "time"])
frame["time"] = frame["time"].dt.tz_localize(None)

started = time.perf_counter()
points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
trajectories = mpd.TrajectoryCollection(points, "mmsi", t="time")
built = time.perf_counter()
stops = mpd.TrajectoryStopDetector(trajectories).get_stop_segments(
    min_duration=min_duration, max_diameter=max_diameter_m
)
found = time.perf_counter()
print(
    json.dumps(
        {
            "points": len(frame),
            "vessels": int(frame["mmsi"].nunique()),
            "build_s": round(built - started, 2),
            "stops_s": round(found - built, 2),
            "stops": len(stops),
            "max_diameter_m": max_diameter_m,
            "min_duration_min": min_duration.total_seconds() / 60,
        }
    )
)
