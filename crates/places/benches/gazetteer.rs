//! Place look-ups: "which port contains this report?" as the detectors ask
//! it for every report, with the case's 78 curated places and with the
//! world's ~8,000 (55,000 anchorage cells), and the one-time load.
//!
//! Points: a 0.1° grid over the Sea of Japan and its coasts (10,000, mostly
//! open sea as most reports are), and the same grid over the Strait of
//! Singapore and the Johor coast, among the world's densest anchorages.
//!
//! `cargo bench -p tumen-places --bench gazetteer`; criterion reports
//! look-ups per second ("elements/s"). Figures in bench/README.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tumen_model::LatLon;
use tumen_places::{Gazetteer, read_geojson};

fn grid(lat0: f64, lon0: f64, step: f64) -> Vec<LatLon> {
    (0..100)
        .flat_map(|i| {
            (0..100).map(move |j| LatLon { lat_deg: lat0 + f64::from(i) * step, lon_deg: lon0 + f64::from(j) * step })
        })
        .collect()
}

fn gazetteer(c: &mut Criterion) {
    let curated_only = Gazetteer::new(
        read_geojson(include_str!("../../../data/places/gazetteer.geojson"), "curated").unwrap().all().unwrap(),
    );
    let world = Gazetteer::embedded();
    for (name, points) in [("sea_of_japan", grid(35.0, 125.0, 0.1)), ("singapore", grid(0.8, 103.3, 0.012))] {
        let mut group = c.benchmark_group(format!("first_containing/{name}"));
        group.throughput(Throughput::Elements(points.len() as u64));
        for (places, g) in [("78_places", &curated_only), ("world", world)] {
            group.bench_function(places, |b| {
                b.iter(|| {
                    points
                        .iter()
                        .filter(|&&p| g.first_containing(p, |place| place.kind.is_maritime()).is_some())
                        .count()
                })
            });
        }
        group.finish();
    }
    let mut load = c.benchmark_group("gazetteer_load");
    load.sample_size(10);
    load.bench_function("world", |b| {
        b.iter(|| {
            let text = include_str!("../../../data/places/world.geojson");
            Gazetteer::new(read_geojson(text, "world").unwrap().places).places().len()
        })
    });
    load.finish();
}

criterion_group!(benches, gazetteer);
criterion_main!(benches);
