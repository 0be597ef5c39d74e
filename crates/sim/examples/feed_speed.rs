//! Times AIS feed generation of a shipped scenario into a discarding sink:
//! `cargo run --release -p tumen-sim --example feed_speed -- global-day 1`
//! (scenario name, hours to simulate from its start, threads).

use std::time::Instant;

use tumen_sim::{FeedConfig, FeedOutputs};

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "global-day".into());
    let hours: f64 = args.next().map_or(1.0, |h| h.parse().expect("hours"));
    let threads: usize = args.next().map_or(0, |t| t.parse().expect("threads"));
    let text = tumen_sim::shipped_scenario(&name).expect("a shipped scenario");
    let started = Instant::now();
    let mut world = tumen_sim::load(text, &name, None).expect("scenario loads");
    world.end = world.start.plus_ms((hours * 3_600_000.0) as i64).min(world.end);
    let compiled = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let outputs = FeedOutputs { nmea: Some(Box::new(std::io::sink())), ..FeedOutputs::default() };
    let stats = tumen_sim::generate_feed(&world, outputs, FeedConfig { threads }, &|_| {}).expect("sink never fails");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name}: compiled in {compiled:.2} s; {} transmissions, {} receptions, {} lines in {seconds:.2} s: {:.2}M receptions/s, {:.2}M transmissions/s",
        stats.transmissions,
        stats.receptions,
        stats.lines,
        stats.receptions as f64 / seconds / 1e6,
        stats.transmissions as f64 / seconds / 1e6
    );
}
