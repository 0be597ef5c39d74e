//! Land queries: "on land?" and "distance to shore" over a grid of points
//! covering the Sea of Japan and its coasts (half land, half sea), and the
//! one-time load of the embedded land.
//!
//! `cargo bench -p tumen-places --bench land`; criterion reports queries per
//! second ("elements/s"). Measured here: 39M on-land queries/s (0.1° cells
//! without coastline answered from memory; 3.9M/s before), 0.86M distance
//! queries/s, load and index 181 ms.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tumen_places::Land;

/// 10,000 points on a 0.1° grid from 35–45 N, 125–135 E.
fn grid() -> Vec<(f64, f64)> {
    (0..100).flat_map(|i| (0..100).map(move |j| (35.0 + f64::from(i) * 0.1, 125.0 + f64::from(j) * 0.1))).collect()
}

fn land(c: &mut Criterion) {
    let land = Land::embedded();
    let points = grid();
    let mut group = c.benchmark_group("land");
    group.throughput(Throughput::Elements(points.len() as u64));
    group.bench_function("is_on_land", |b| {
        b.iter(|| points.iter().filter(|&&(lat, lon)| land.is_on_land(lat, lon)).count())
    });
    group.bench_function("distance_to_shore_km", |b| {
        b.iter(|| points.iter().map(|&(lat, lon)| land.distance_to_shore_km(lat, lon)).sum::<f64>())
    });
    group.finish();
    let mut load = c.benchmark_group("land_load");
    load.sample_size(10);
    load.bench_function("parse_embedded", |b| {
        b.iter(|| Land::parse(include_bytes!("../../../data/land/ne-10m-land.bin")).map(|_| ()))
    });
    load.finish();
}

criterion_group!(benches, land);
criterion_main!(benches);
