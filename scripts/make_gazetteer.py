#!/usr/bin/env python3
"""Writes data/places/gazetteer.geojson, the places Tumen ships with.

The places of the motivating case are those of ../shared/FACTS.md section 1
(coordinates as given there, with the sources it names). The other ports and
anchorages of the Sea of Japan, the Yellow Sea and the Black Sea / Sea of Azov
are approximate port centres (to ~1-2 km) from general geographic knowledge,
marked "approximate": good enough for a 3 km port radius, to be checked before
a finding cites one. Users add or override places with `tumen places import`.

Each feature: a Point with a `radius_km`, or a Polygon; properties `id`
(stable, lower-case), `name`, `kind` (port, anchorage, rail_facility,
border_crossing, depot, zone), `country` (ISO 3166-1 alpha-2), `watched`,
`note`, `source`.

Usage: scripts/make_gazetteer.py [OUT]
"""
import json
import pathlib
import sys

FACTS = "FACTS.md section 1"
APPROX = "approximate port centre (general knowledge)"

# id, name, kind, country, lat, lon, radius_km, watched, note, source
POINTS = [
    # The motivating case (FACTS.md section 1).
    ("najin", "Najin (Rajin)", "port", "KP", 42.2333, 130.3000, 3.0, True, "WPI NAJIN; UN/LOCODE KPNJN", FACTS),
    ("chongjin", "Chongjin", "port", "KP", 41.78, 129.80, 3.0, True, "approximate", FACTS),
    ("nampo", "Nampo", "port", "KP", 38.73, 125.40, 3.0, True, "approximate", FACTS),
    ("dunay", "Dunay", "port", "RU", 42.8788, 132.3352, 3.0, True, "naval port ~9 km south of Fokino", FACTS),
    ("vostochny", "Vostochny (Wrangel Bay)", "port", "RU", 42.7500, 133.0833, 3.0, True, "WPI VOSTOCHNYY", FACTS),
    ("nakhodka", "Nakhodka", "port", "RU", 42.8000, 132.8833, 3.0, False, "", FACTS),
    ("vladivostok", "Vladivostok", "port", "RU", 43.1167, 131.9000, 3.0, False, "", FACTS),
    ("bolshoy-kamen", "Bolshoy Kamen", "anchorage", "RU", 43.0805, 132.3174, 3.0, False, "", FACTS),
    ("zarubino", "Zarubino", "port", "RU", 42.6333, 131.0833, 3.0, False, "", FACTS),
    ("posyet", "Posyet", "port", "RU", 42.6500, 130.8000, 3.0, False, "", FACTS),
    ("slavyanka", "Slavyanka", "port", "RU", 42.8667, 131.3833, 3.0, False, "", FACTS),
    ("tumangang", "Tumangang rail facility", "rail_facility", "KP", 42.4217, 130.6026, 1.5, True,
     "DPRK side of the Korea-Russia Friendship Bridge; dual gauge 1520/1435 mm", FACTS),
    ("khasan", "Khasan border station", "border_crossing", "RU", 42.4301, 130.6449, 1.5, True,
     "Russian side of the only rail crossing of the DPRK-Russia border", FACTS),
    ("kraskino", "Kraskino", "rail_facility", "RU", 42.7107, 130.7813, 1.5, False, "on the Khasan line", FACTS),
    ("tikhoretsk-depot", "Tikhoretsk ammunition depot (zone)", "depot", "RU", 45.8547, 40.1253, 15.0, True,
     "719th Artillery Ammunition Base north of Kamenny; no exact coordinate published: the town plus a zone", FACTS),
    # Sea of Japan: DPRK east coast.
    ("wonsan", "Wonsan", "port", "KP", 39.17, 127.44, 3.0, True, APPROX, "general knowledge"),
    ("hungnam", "Hungnam", "port", "KP", 39.83, 127.63, 3.0, True, APPROX, "general knowledge"),
    ("kimchaek", "Kimchaek", "port", "KP", 40.67, 129.20, 3.0, True, APPROX, "general knowledge"),
    ("sonbong", "Sonbong (Unggi)", "port", "KP", 42.34, 130.40, 3.0, True, APPROX, "general knowledge"),
    # Sea of Japan: Russia (Sakhalin, Khabarovsk Krai).
    ("vanino", "Vanino", "port", "RU", 49.09, 140.27, 3.0, False, APPROX, "general knowledge"),
    ("sovetskaya-gavan", "Sovetskaya Gavan", "port", "RU", 48.97, 140.29, 3.0, False, APPROX, "general knowledge"),
    ("kholmsk", "Kholmsk", "port", "RU", 47.05, 142.04, 3.0, False, APPROX, "general knowledge"),
    ("korsakov", "Korsakov", "port", "RU", 46.63, 142.78, 3.0, False, APPROX, "general knowledge"),
    # Sea of Japan: South Korea and Japan.
    ("busan", "Busan", "port", "KR", 35.10, 129.04, 3.0, False, APPROX, "general knowledge"),
    ("ulsan", "Ulsan", "port", "KR", 35.50, 129.38, 3.0, False, APPROX, "general knowledge"),
    ("pohang", "Pohang", "port", "KR", 36.03, 129.38, 3.0, False, APPROX, "general knowledge"),
    ("donghae", "Donghae", "port", "KR", 37.49, 129.12, 3.0, False, APPROX, "general knowledge"),
    ("niigata", "Niigata", "port", "JP", 37.95, 139.06, 3.0, False, APPROX, "general knowledge"),
    ("fushiki-toyama", "Fushiki-Toyama", "port", "JP", 36.79, 137.06, 3.0, False, APPROX, "general knowledge"),
    ("maizuru", "Maizuru", "port", "JP", 35.48, 135.39, 3.0, False, APPROX, "general knowledge"),
    ("tsuruga", "Tsuruga", "port", "JP", 35.66, 136.07, 3.0, False, APPROX, "general knowledge"),
    ("sakata", "Sakata", "port", "JP", 38.92, 139.82, 3.0, False, APPROX, "general knowledge"),
    ("akita", "Akita", "port", "JP", 39.75, 140.07, 3.0, False, APPROX, "general knowledge"),
    ("otaru", "Otaru", "port", "JP", 43.20, 141.00, 3.0, False, APPROX, "general knowledge"),
    # Yellow Sea and Bohai.
    ("haeju", "Haeju", "port", "KP", 38.03, 125.71, 3.0, True, APPROX, "general knowledge"),
    ("dalian", "Dalian", "port", "CN", 38.93, 121.65, 3.0, False, APPROX, "general knowledge"),
    ("yingkou", "Yingkou (Bayuquan)", "port", "CN", 40.27, 122.10, 3.0, False, APPROX, "general knowledge"),
    ("qinhuangdao", "Qinhuangdao", "port", "CN", 39.92, 119.60, 3.0, False, APPROX, "general knowledge"),
    ("tianjin", "Tianjin", "port", "CN", 38.98, 117.78, 3.0, False, APPROX, "general knowledge"),
    ("longkou", "Longkou", "port", "CN", 37.65, 120.32, 3.0, False, APPROX, "general knowledge"),
    ("yantai", "Yantai", "port", "CN", 37.55, 121.40, 3.0, False, APPROX, "general knowledge"),
    ("weihai", "Weihai", "port", "CN", 37.50, 122.12, 3.0, False, APPROX, "general knowledge"),
    ("shidao", "Shidao", "port", "CN", 36.88, 122.42, 3.0, False, APPROX, "general knowledge"),
    ("qingdao", "Qingdao", "port", "CN", 36.07, 120.32, 3.0, False, APPROX, "general knowledge"),
    ("rizhao", "Rizhao", "port", "CN", 35.38, 119.55, 3.0, False, APPROX, "general knowledge"),
    ("lianyungang", "Lianyungang", "port", "CN", 34.74, 119.45, 3.0, False, APPROX, "general knowledge"),
    ("dandong", "Dandong", "port", "CN", 39.83, 124.15, 3.0, False, APPROX + "; the port is at Donggang", "general knowledge"),
    ("incheon", "Incheon", "port", "KR", 37.46, 126.60, 3.0, False, APPROX, "general knowledge"),
    ("pyeongtaek", "Pyeongtaek-Dangjin", "port", "KR", 36.97, 126.83, 3.0, False, APPROX, "general knowledge"),
    ("gunsan", "Gunsan", "port", "KR", 35.98, 126.62, 3.0, False, APPROX, "general knowledge"),
    ("mokpo", "Mokpo", "port", "KR", 34.78, 126.38, 3.0, False, APPROX, "general knowledge"),
    # Black Sea and Sea of Azov.
    ("novorossiysk", "Novorossiysk", "port", "RU", 44.72, 37.78, 3.0, False, APPROX, "general knowledge"),
    ("tuapse", "Tuapse", "port", "RU", 44.10, 39.07, 3.0, False, APPROX, "general knowledge"),
    ("sochi", "Sochi", "port", "RU", 43.58, 39.72, 3.0, False, APPROX, "general knowledge"),
    ("kavkaz", "Port Kavkaz", "port", "RU", 45.35, 36.67, 3.0, False, APPROX, "general knowledge"),
    ("taman", "Taman", "port", "RU", 45.22, 36.72, 3.0, False, APPROX, "general knowledge"),
    ("temryuk", "Temryuk", "port", "RU", 45.33, 37.38, 3.0, False, APPROX, "general knowledge"),
    ("yeysk", "Yeysk", "port", "RU", 46.72, 38.27, 3.0, False, APPROX, "general knowledge"),
    ("azov", "Azov", "port", "RU", 47.11, 39.42, 3.0, False, APPROX, "general knowledge"),
    ("rostov-on-don", "Rostov-on-Don", "port", "RU", 47.22, 39.70, 3.0, False, APPROX + "; river port on the Don", "general knowledge"),
    ("taganrog", "Taganrog", "port", "RU", 47.21, 38.93, 3.0, False, APPROX, "general knowledge"),
    ("mariupol", "Mariupol", "port", "UA", 47.09, 37.55, 3.0, False, APPROX, "general knowledge"),
    ("berdyansk", "Berdyansk", "port", "UA", 46.75, 36.79, 3.0, False, APPROX, "general knowledge"),
    ("kerch", "Kerch", "port", "UA", 45.35, 36.48, 3.0, False, APPROX, "general knowledge"),
    ("feodosia", "Feodosia", "port", "UA", 45.03, 35.40, 3.0, False, APPROX, "general knowledge"),
    ("sevastopol", "Sevastopol", "port", "UA", 44.62, 33.53, 3.0, False, APPROX, "general knowledge"),
    ("odesa", "Odesa", "port", "UA", 46.49, 30.74, 3.0, False, APPROX, "general knowledge"),
    ("chornomorsk", "Chornomorsk", "port", "UA", 46.30, 30.66, 3.0, False, APPROX, "general knowledge"),
    ("pivdennyi", "Pivdennyi", "port", "UA", 46.62, 31.01, 3.0, False, APPROX, "general knowledge"),
    ("izmail", "Izmail", "port", "UA", 45.34, 28.84, 3.0, False, APPROX + "; river port on the Danube", "general knowledge"),
    ("constanta", "Constanta", "port", "RO", 44.17, 28.65, 3.0, False, APPROX, "general knowledge"),
    ("varna", "Varna", "port", "BG", 43.19, 27.92, 3.0, False, APPROX, "general knowledge"),
    ("burgas", "Burgas", "port", "BG", 42.49, 27.48, 3.0, False, APPROX, "general knowledge"),
    ("samsun", "Samsun", "port", "TR", 41.30, 36.34, 3.0, False, APPROX, "general knowledge"),
    ("trabzon", "Trabzon", "port", "TR", 41.00, 39.73, 3.0, False, APPROX, "general knowledge"),
    ("batumi", "Batumi", "port", "GE", 41.65, 41.64, 3.0, False, APPROX, "general knowledge"),
    ("poti", "Poti", "port", "GE", 42.15, 41.66, 3.0, False, APPROX, "general knowledge"),
]

# id, name, kind, country, ring (lon, lat), watched, note, source
POLYGONS = [
    ("rason-peter-the-great-gulf", "Rason to Peter the Great Gulf sea corridor", "zone", "RU",
     [(130.25, 42.00), (131.40, 42.20), (132.40, 42.50), (133.20, 42.60), (133.20, 42.95),
      (132.20, 42.95), (131.20, 42.75), (130.50, 42.45), (130.25, 42.30), (130.25, 42.00)],
     True, "the sea route Rajin -> Dunay / Vostochny round Cape Gamov, under 50 nm from shore: "
     "dark gaps here are reported although GFW's offshore filter would drop them",
     "waypoints of FACTS.md section 1"),
]


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "data/places/gazetteer.geojson")
    features = []
    for pid, name, kind, country, lat, lon, radius, watched, note, source in POINTS:
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"id": pid, "name": name, "kind": kind, "country": country, "radius_km": radius,
                           "watched": watched, "note": note, "source": source},
        })
    for pid, name, kind, country, ring, watched, note, source in POLYGONS:
        features.append({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
            "properties": {"id": pid, "name": name, "kind": kind, "country": country,
                           "watched": watched, "note": note, "source": source},
        })
    ids = [f["properties"]["id"] for f in features]
    assert len(ids) == len(set(ids)), "place ids are unique"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w") as f:
        f.write('{"type": "FeatureCollection", "features": [\n')
        f.write(",\n".join(json.dumps(feature, ensure_ascii=False) for feature in features))
        f.write("\n]}\n")
    print(f"{out}: {len(features)} places")


if __name__ == "__main__":
    main()
