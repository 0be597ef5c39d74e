#!/usr/bin/env python3
"""Builds data/land/ne-10m-land.bin, the land Tumen answers "on land?" and
"how far to shore?" from.

Source: Natural Earth 1:10m land (version 4.1.0; public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as packaged in the npm
package world-atlas 2.0.2 (TopoJSON, quantized to 0.0036 deg of longitude and
0.0017 deg of latitude: ~300 m and ~190 m). The package is fetched from the npm
registry with `npm pack`; nothing of it is kept but the coordinates.

Output format (little-endian), read by crates/places/src/land.rs:
  b"TUMENLAND1"
  f64 scale_lon, f64 scale_lat, f64 translate_lon, f64 translate_lat
  u32 polygons; per polygon: u32 rings; per ring: u32 points, then per point
  the zigzag-varint deltas of the quantized (x, y) from the previous point
  (from (0, 0) at the start of each ring). lon = x * scale_lon + translate_lon.
The first ring of a polygon is its outline, the others its holes; rings are
closed (the last point repeats the first).

Usage: scripts/make_land.py [OUT]   (needs npm and network access to the registry)
"""
import json
import pathlib
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/land-10m.json"


def fetch_topology():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tarball = next(pathlib.Path(tmp).glob("world-atlas-*.tgz"))
        with tarfile.open(tarball) as tar:
            return json.load(tar.extractfile(MEMBER))


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
    out = bytearray(b"TUMENLAND1")
    out += struct.pack("<4d", transform["scale"][0], transform["scale"][1], transform["translate"][0], transform["translate"][1])
    out += struct.pack("<I", len(polygons))
    points_written = 0
    for polygon in polygons:
        out += struct.pack("<I", len(polygon))
        for ring in polygon:
            points = ring_points(ring, arcs)
            out += struct.pack("<I", len(points))
            px = py = 0
            for x, y in points:
                varint(x - px, out)
                varint(y - py, out)
                px, py = x, y
            points_written += len(points)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(bytes(out))
    print(f"{out_path}: {len(polygons)} polygons, {points_written} points, {len(out)} bytes")


if __name__ == "__main__":
    main()
