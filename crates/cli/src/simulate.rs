//! `tumen simulate`: a scenario file (or a shipped scenario's name) to the
//! files a user would receive, plus `truth.json`.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use tumen_sim::{FeedConfig, shipped_names, shipped_scenario};

#[derive(Args)]
pub struct SimulateArgs {
    /// A scenario file (TOML, see docs/scenarios.md), or the name of a
    /// scenario shipped with Tumen (`najin-dunay-2023`, `global-day`, and
    /// one per behaviour; `--list` names them).
    #[arg(required_unless_present = "list")]
    scenario: Option<String>,
    /// Directory for the output files (created if needed).
    #[arg(long, required_unless_present = "list")]
    out: Option<PathBuf>,
    /// Random seed; the scenario's own when not given. The same scenario and
    /// seed give the same files.
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads for the AIS feed; one per core by default.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// List the shipped scenarios and exit.
    #[arg(long)]
    list: bool,
}

pub fn run(args: &SimulateArgs) -> Result<ExitCode> {
    if args.list {
        for name in shipped_names() {
            println!("{name}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(scenario), Some(out)) = (&args.scenario, &args.out) else {
        anyhow::bail!("give a scenario and --out DIR");
    };
    let started = Instant::now();
    // A file wins over a shipped scenario of the same name.
    let path = PathBuf::from(scenario);
    let (text, name) = match shipped_scenario(scenario) {
        Some(text) if !path.is_file() => (text.to_owned(), format!("{scenario} (shipped)")),
        _ => {
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("cannot read scenario file {scenario} (`tumen simulate --list` names the shipped scenarios)")
            })?;
            (text, scenario.clone())
        }
    };
    let world = tumen_sim::load(&text, &name, args.seed)?;

    let span_ms = world.end.ms_since(world.start).max(1) as u64;
    let bar = if !crate::output::quiet() && io::stderr().is_terminal() {
        indicatif::ProgressBar::new(span_ms).with_style(
            indicatif::ProgressStyle::with_template("simulating {wide_bar} {percent}% ETA {eta}").expect("template"),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let start = world.start;
    let progress = |t: tumen_model::Timestamp| bar.set_position(t.ms_since(start).max(0) as u64);
    let summary = tumen_sim::simulate(&world, out, FeedConfig { threads: args.threads }, &progress)?;
    bar.finish_and_clear();

    if !crate::output::quiet() {
        let seconds = started.elapsed().as_secs_f64();
        let feed = &summary.feed;
        eprintln!(
            "{}: {} vessels, {} transmissions ({} unheard), {} lines ({} corrupted, {} fragments lost, {} out of order)",
            world.name,
            summary.vessels,
            feed.transmissions,
            feed.unheard,
            feed.lines,
            feed.corrupted_lines,
            feed.lost_fragments,
            feed.out_of_order_lines
        );
        eprintln!(
            "truth: {} events, {} detections, {} observations; {:.1} s ({:.2}M messages/s)",
            summary.events,
            summary.detections,
            summary.observations,
            seconds,
            feed.receptions as f64 / seconds / 1e6
        );
        for (file, bytes) in &summary.files {
            eprintln!("  {}  {bytes} bytes", out.join(file).display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
