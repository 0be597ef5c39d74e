#!/usr/bin/env python3
"""Builds data/land/ne-10m-borders.bin, the country borders and names Tumen
draws on its maps (drawing only: no detector reads it).

Source (public domain, https://www.naturalearthdata.com/about/terms-of-use/):
Natural Earth 1:10m admin-0 countries (version 4.1.0), as packaged in the npm
package world-atlas 2.0.2 (TopoJSON, quantized like the land of
make_land.py), fetched with `npm pack`. Natural Earth draws the borders a
country controls on the ground ("de facto"); a map's reader is told so by
the attribution. Nothing of the package is kept but coordinates and names.

- Borders: the TopoJSON arcs that two countries share — land borders, not
  coasts (the coast comes from the land file).
- Names: for each country, the points of a grid (cell centres) that lie
  inside it — every 0.5°, and every 0.1° within 1.5° of the places of
  data/places/gazetteer.geojson, where the report's maps zoom in — and,
  apart, a representative point of each of its parts (a map names a
  country by these only when it holds none of its grid points and is
  zoomed in: islands and enclaves are not named on a continent's map).

Output format (little-endian), read by crates/places/src/borders.rs:
  b"TUMENBORDERS1"
  f64 scale_lon, f64 scale_lat, f64 translate_lon, f64 translate_lat
  u32 lines; per line: u32 points, then per point the zigzag-varint deltas
  of the quantized (x, y) from the previous point (from (0, 0) per line).
  u32 countries; per country: u8 name length, the name (UTF-8), then two
  lists of points — the grid's, then the parts' — each a u32 count and per
  point the zigzag-varint deltas of the quantized (x, y) from the previous
  point (from (0, 0) per list).

Usage: pip install shapely && scripts/make_borders.py [OUT]
(needs npm, with access to its registry)
"""
import collections
import json
import pathlib
import struct
import sys

from make_land import decode_arcs, fetch_topology, ring_points, write_points

MEMBER = "package/countries-10m.json"
GRID_DEG = 0.5
FINE_GRID_DEG = 0.1
FINE_REACH_DEG = 1.5
GAZETTEER = pathlib.Path("data/places/gazetteer.geojson")


def arc_indexes(arcs_field):
    """Every arc index a geometry's nested arc lists use, unsigned."""
    if isinstance(arcs_field, int):
        yield arcs_field if arcs_field >= 0 else ~arcs_field
    else:
        for item in arcs_field:
            yield from arc_indexes(item)


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def grid_inside(inside, bounds, step, within=None):
    """Cell centres of a `step` grid inside a prepared shape (and a box)."""
    from shapely.geometry import Point

    lon_min, lat_min, lon_max, lat_max = bounds
    if within:
        lon_min, lat_min = max(lon_min, within[0]), max(lat_min, within[1])
        lon_max, lat_max = min(lon_max, within[2]), min(lat_max, within[3])
    points = []
    row = int(lat_min // step)
    while (row + 0.5) * step <= lat_max:
        column = int(lon_min // step)
        while (column + 0.5) * step <= lon_max:
            lon, lat = (column + 0.5) * step, (row + 0.5) * step
            if inside.contains(Point(lon, lat)):
                points.append((lon, lat))
            column += 1
        row += 1
    return points


def curated_boxes():
    """A box of FINE_REACH_DEG round each curated place (not the imported lists)."""
    from shapely.geometry import shape

    boxes = []
    for feature in json.loads(GAZETTEER.read_text())["features"]:
        identifier = str(feature.get("properties", {}).get("id", ""))
        if identifier.startswith(("gfw-", "wpi-")):
            continue
        c = shape(feature["geometry"]).centroid
        boxes.append((c.x - FINE_REACH_DEG, c.y - FINE_REACH_DEG, c.x + FINE_REACH_DEG, c.y + FINE_REACH_DEG))
    return boxes


def label_points(geometry, arcs, transform, fine_boxes):
    """Quantized points inside the country: the grid's, and each part's own."""
    from shapely.geometry import Polygon
    from shapely.prepared import prep

    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    to_lonlat = lambda p: (p[0] * sx + tx, p[1] * sy + ty)
    parts = []
    for polygon in polygons_of(geometry):
        rings = [[to_lonlat(p) for p in ring_points(ring, arcs)] for ring in polygon]
        rings = [r for r in rings if len(r) >= 4]
        if not rings:
            continue
        shape = Polygon(rings[0], rings[1:]).buffer(0)
        if not shape.is_empty:
            parts.append(shape)
    grid, own = [], []
    for shape in parts:
        inside = prep(shape)
        grid += grid_inside(inside, shape.bounds, GRID_DEG)
        for box in fine_boxes:
            grid += grid_inside(inside, shape.bounds, FINE_GRID_DEG, box)
        centre = shape.representative_point()
        own.append((centre.x, centre.y))
    quantize = lambda p: (round((p[0] - tx) / sx), round((p[1] - ty) / sy))
    ordered = lambda points: sorted(set(quantize(p) for p in points), key=lambda q: (q[1], q[0]))
    return ordered(grid), ordered(own)


def main():
    out_path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "data/land/ne-10m-borders.bin")
    topology = fetch_topology(MEMBER)
    arcs = decode_arcs(topology)
    transform = topology["transform"]
    countries = [g for g in topology["objects"]["countries"]["geometries"] if "arcs" in g]
    used_by = collections.Counter()
    for country in countries:
        for index in set(arc_indexes(country["arcs"])):
            used_by[index] += 1
    borders = [arcs[i] for i in sorted(used_by) if used_by[i] >= 2]

    out = bytearray(b"TUMENBORDERS1")
    out += struct.pack("<4d", transform["scale"][0], transform["scale"][1], transform["translate"][0], transform["translate"][1])
    out += struct.pack("<I", len(borders))
    for line in borders:
        write_points(line, out)
    named = [(c["properties"]["name"], c) for c in countries if c.get("properties", {}).get("name")]
    out += struct.pack("<I", len(named))
    total_points = 0
    fine_boxes = curated_boxes()
    for name, country in named:
        encoded = name.encode("utf-8")
        grid, own = label_points(country, arcs, transform, fine_boxes)
        total_points += len(grid) + len(own)
        out += struct.pack("<B", len(encoded)) + encoded
        write_points(grid, out)
        write_points(own, out)
    out_path.write_bytes(bytes(out))
    print(f"{out_path}: {len(borders)} border lines, {sum(map(len, borders))} points; "
          f"{len(named)} countries, {total_points} label points; {len(out)} bytes")


if __name__ == "__main__":
    main()
