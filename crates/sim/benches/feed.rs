//! Generation speed of the AIS feed: the shipped global-day scenario
//! (52,000 vessels), 20 simulated minutes, all cores, into a discarding
//! writer. Throughput is in messages written (receptions); the transmissions
//! per second follow from the ratio the first run prints.
//!
//! `cargo bench -p tumen-sim --bench feed`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tumen_sim::{FeedConfig, FeedOutputs};

fn generate(world: &tumen_sim::World) -> tumen_sim::FeedStats {
    let outputs = FeedOutputs { nmea: Some(Box::new(std::io::sink())), ..FeedOutputs::default() };
    tumen_sim::generate_feed(world, outputs, FeedConfig::default(), &|_| {}).expect("a sink does not fail")
}

fn global_day(c: &mut Criterion) {
    let text = tumen_sim::shipped_scenario("global-day").expect("shipped");
    let mut world = tumen_sim::load(text, "global-day", None).expect("loads");
    // Start an hour in, when every vessel is under way in its plan.
    world.start = world.start.plus_ms(3_600_000);
    world.end = world.start.plus_ms(20 * 60_000);
    let stats = generate(&world);
    eprintln!(
        "global-day, 20 minutes: {} vessels, {} transmissions, {} messages written ({} lines)",
        world.vessels.len(),
        stats.transmissions,
        stats.receptions,
        stats.lines
    );
    let mut group = c.benchmark_group("feed");
    group.sample_size(10).measurement_time(std::time::Duration::from_secs(20));
    group.throughput(Throughput::Elements(stats.receptions));
    group.bench_function("global_day_20min", |b| b.iter(|| generate(&world)));
    group.finish();
}

criterion_group!(benches, global_day);
criterion_main!(benches);
