#!/usr/bin/env python3
"""Writes data/places/world.geojson: the world's ports and anchorages Tumen
ships beside its curated places (data/places/gazetteer.geojson).

Sources (both as Global Fishing Watch keeps them in its anchorages pipeline,
GlobalFishingWatch/anchorages_pipeline, pipe_anchorages/data/port_lists/):
- anchorage_overrides.csv: Global Fishing Watch's named anchorages, S2 level-14
  cells (~0.5 km) where vessels are seen to stop, each named after its port.
  Apache License 2.0, (c) Global Fishing Watch: the attribution is kept in every
  feature's `source` and in data/places/NOTICE.md.
- WPI_ports.csv: the NGA World Port Index (public domain).
They are read from ../shared/corpora/real/gfw-anchorages/ (or the directory
given as the first argument); nothing of them is kept but what is written here.

What is written:
- one place per named port of the anchorages (ISO country + label), kind
  `anchorage`, shape a MultiPoint of its cells with a 3 km radius: a vessel
  within 3 km of any of its cells is in it (GFW's port-visit rule, FACTS.md
  section 2). Rows that repeat an S2 cell, have no label, or carry an impossible
  coordinate are skipped and counted;
- one place per World Port Index port that no anchorage cell already covers
  (no kept cell within 3 km), kind `port`, a 3 km circle;
- cells and ports within 3 km of the edge of a curated maritime place are left
  to the curated place (it is drawn with care; two overlapping ports would
  split one call into two visits).

Ids are stable and derived from the source and name: `gfw-<iso3>-<label>` and
`wpi-<iso3>-<label>`, lower case, non-alphanumerics as '-'. Countries become
ISO 3166-1 alpha-2 (pycountry).

Usage: pip install pycountry && scripts/make_world_places.py [SOURCE_DIR] [OUT]
"""
import collections
import csv
import json
import math
import pathlib
import re
import sys

import pycountry

RADIUS_KM = 3.0
EARTH_RADIUS_KM = 6371.0088
GFW_SOURCE = ("Global Fishing Watch named anchorages (anchorages_pipeline, "
              "anchorage_overrides.csv; Apache-2.0, (c) Global Fishing Watch)")
WPI_SOURCE = "NGA World Port Index (public domain; via Global Fishing Watch's WPI_ports.csv)"


def distance_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class Grid:
    """Points in 0.1-degree cells, for "any point within 3 km?"."""

    def __init__(self):
        self.cells = collections.defaultdict(list)

    def add(self, lat, lon, data=None):
        self.cells[(math.floor(lat * 10), math.floor(lon * 10))].append((lat, lon, data))

    def near(self, lat, lon, km):
        reach = int(math.ceil(km / 11.0 / max(0.05, math.cos(math.radians(lat))))) + 1
        row, col = math.floor(lat * 10), math.floor(lon * 10)
        for r in range(row - 2, row + 3):
            for c in range(col - reach, col + reach + 1):
                c = (c + 1800) % 3600 - 1800
                for point in self.cells.get((r, c), ()):
                    if distance_km(lat, lon, point[0], point[1]) <= km:
                        yield point


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def alpha2(iso3, unknown):
    code = iso3.strip().upper()
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if country is None:
        unknown[code] += 1
        return ""
    return country.alpha_2


def coordinate(row):
    try:
        lat, lon = float(row["latitude"]), float(row["longitude"])
    except (TypeError, ValueError):
        return None
    # (0, 0) is where a missing position lands ("null island"; GFW's file
    # has one such row, labelled REMOVE).
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or (abs(lat) < 0.01 and abs(lon) < 0.01):
        return None
    return lat, lon


def curated_places(path):
    """(lat, lon, reach_km) of the curated maritime circles."""
    places = []
    for feature in json.loads(path.read_text())["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        if props["kind"] in ("port", "anchorage") and geometry["type"] == "Point":
            lon, lat = geometry["coordinates"]
            places.append((lat, lon, props["radius_km"]))
    return places


def within_curated(lat, lon, curated):
    return any(distance_km(lat, lon, clat, clon) <= reach + RADIUS_KM for clat, clon, reach in curated)


def unusable(at, label, curated):
    """Why a row of either source is left out, or None."""
    if at is None:
        return "impossible coordinate"
    if not label:
        return "no label"
    if within_curated(*at, curated):
        return "within a curated place"
    return None


def place_feature(geometry, pid, name, kind, country, note, source):
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"id": pid, "name": name, "kind": kind, "country": country, "radius_km": RADIUS_KM,
                       "watched": False, "note": note, "source": source},
    }


def main():
    source_dir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/real/gfw-anchorages")
    out = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "data/places/world.geojson")
    curated = curated_places(pathlib.Path("data/places/gazetteer.geojson"))
    skipped = collections.Counter()
    unknown_countries = collections.Counter()

    groups = collections.OrderedDict()
    seen_cells = set()
    with open(source_dir / "anchorage_overrides.csv", newline="") as f:
        for row in csv.DictReader(f):
            at = coordinate(row)
            label = (row.get("label") or "").strip()
            if at is not None and row["s2id"] in seen_cells:
                reason = "repeats an S2 cell"
            else:
                reason = unusable(at, label, curated)
            if reason in (None, "within a curated place"):
                seen_cells.add(row["s2id"])
            if reason:
                skipped["anchorage: " + reason] += 1
                continue
            key = (row["iso3"].strip().upper(), label)
            group = groups.setdefault(key, {"cells": [], "sublabels": collections.Counter()})
            group["cells"].append(at)
            sublabel = (row.get("sublabel") or "").strip()
            if sublabel:
                group["sublabels"][sublabel] += 1

    features = []
    kept_cells = Grid()
    for (iso3, label), group in groups.items():
        cells = sorted(group["cells"])
        for lat, lon in cells:
            kept_cells.add(lat, lon)
        sublabels = [name for name, _ in group["sublabels"].most_common(8)]
        note = f"{len(cells)} anchorage cell(s) of ~0.5 km"
        if sublabels:
            note += "; terminals: " + ", ".join(sublabels)
        geometry = {"type": "MultiPoint", "coordinates": [[round(lon, 5), round(lat, 5)] for lat, lon in cells]}
        pid = f"gfw-{slug(iso3) or 'xx'}-{slug(label)}"
        features.append(place_feature(geometry, pid, label.title(), "anchorage", alpha2(iso3, unknown_countries),
                                      note, GFW_SOURCE))

    with open(source_dir / "WPI_ports.csv", newline="") as f:
        for row in csv.DictReader(f):
            at = coordinate(row)
            label = (row.get("label") or "").strip()
            reason = unusable(at, label, curated)
            if reason is None and next(kept_cells.near(at[0], at[1], RADIUS_KM), None) is not None:
                reason = "covered by anchorage cells"
            if reason:
                skipped["wpi: " + reason] += 1
                continue
            iso3 = row["iso3"].strip().upper()
            sublabel = (row.get("sublabel") or "").strip()
            name = label.title() + (f" ({sublabel.title()})" if sublabel else "")
            geometry = {"type": "Point", "coordinates": [round(at[1], 5), round(at[0], 5)]}
            pid = f"wpi-{slug(iso3) or 'xx'}-{slug(label + ' ' + sublabel)}"
            features.append(place_feature(geometry, pid, name, "port", alpha2(iso3, unknown_countries), "", WPI_SOURCE))
            kept_cells.add(at[0], at[1])

    # Ids are unique: a repeated one (two spellings that slug alike) gets a number.
    used = collections.Counter()
    for feature in features:
        pid = feature["properties"]["id"]
        used[pid] += 1
        if used[pid] > 1:
            feature["properties"]["id"] = f"{pid}-{used[pid]}"
    ids = [f["properties"]["id"] for f in features]
    assert len(ids) == len(set(ids)), "place ids are unique"

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w") as f:
        f.write('{"type": "FeatureCollection", "features": [\n')
        f.write(",\n".join(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features))
        f.write("\n]}\n")
    cells = sum(len(f["geometry"]["coordinates"]) for f in features if f["geometry"]["type"] == "MultiPoint")
    print(f"{out}: {len(features)} places ({len(groups)} named anchorages with {cells} cells, "
          f"{len(features) - len(groups)} World Port Index ports)")
    for reason, count in sorted(skipped.items()):
        print(f"  skipped {count:6} {reason}")
    for code, count in sorted(unknown_countries.items()):
        print(f"  no ISO country for {code!r}: {count} place(s), country left empty")


if __name__ == "__main__":
    main()
