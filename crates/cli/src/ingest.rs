//! `tumen ingest`: files, directories, globs, standard input and live
//! feeds into the dataset.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use tumen_ingest::{
    Counts, Format, IngestConfig, IngestError, LiveAddress, LiveConfig, LiveEvent, Outcome, Progress, SourceSummary,
};
use tumen_store::{Dataset, ReceiverKind, SourceKind};

use crate::output::note;

#[derive(Args)]
pub struct IngestArgs {
    /// Files (plain or gzip), directories (every file below them), globs
    /// (`'data/*.nmea.gz'`), `-` for standard input, or a live feed
    /// `tcp://HOST:PORT` or `udp://[HOST]:PORT`.
    #[arg(required = true)]
    pub sources: Vec<String>,
    /// The dataset directory (created if needed).
    #[arg(long, default_value = "tumen-data")]
    pub data: PathBuf,
    /// The input format when not detected from the content: nmea, noaa
    /// (MarineCadastre CSV) or dma (Danish Maritime Authority CSV).
    /// `--format` is the same (elsewhere `--format` is the output's).
    #[arg(long = "input-format", visible_alias = "format", value_name = "FORMAT")]
    pub format: Option<String>,
    /// What received these sources.
    #[arg(long, default_value = "unknown", value_parser = crate::sources::receiver_kind())]
    pub receivers: ReceiverKind,
    /// Accept sentences whose checksum fails (marked), as `decode --lenient`.
    #[arg(long)]
    pub lenient: bool,
    /// Lines per committed batch: bigger is faster, smaller loses less work
    /// to a crash and uses less memory.
    #[arg(long, default_value_t = 2_000_000)]
    pub batch_lines: u64,
    /// Live feeds: commit what arrived every this many seconds (a crash
    /// loses at most this much).
    #[arg(long, default_value_t = 2.0)]
    pub flush_seconds: f64,
    /// Live feeds: stop after this many seconds (default: run until
    /// interrupted).
    #[arg(long)]
    pub stop_after: Option<f64>,
    /// Print each source's summary as a JSON line on standard output.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &IngestArgs) -> Result<ExitCode> {
    let format = match &args.format {
        Some(name) => {
            Some(Format::parse(name).with_context(|| format!("unknown format {name:?}: use nmea, noaa or dma"))?)
        }
        None => None,
    };
    let config =
        IngestConfig { format, receivers: args.receivers, batch_lines: args.batch_lines, lenient: args.lenient };
    let mut dataset =
        Dataset::open(&args.data).with_context(|| format!("cannot open the dataset {}", args.data.display()))?;
    let show = !crate::output::quiet() && io::stderr().is_terminal();
    let mut failed = 0;
    for source in &args.sources {
        if let Some(address) = source.strip_prefix("tcp://").or_else(|| source.strip_prefix("udp://")) {
            match run_live(&mut dataset, &config, args, source, address) {
                Ok(summary) => report(args, &summary),
                Err(error) => {
                    failed += 1;
                    eprintln!("tumen: {source}: {error:#}");
                }
            }
            continue;
        }
        let paths = if source == "-" { vec![PathBuf::from("-")] } else { expand(source)? };
        for path in paths {
            let bar = progress_bar(show, &path);
            let progress = BarProgress(bar.clone(), Instant::now());
            let outcome = if path == Path::new("-") {
                tumen_ingest::ingest_reader(&mut dataset, "stdin", Box::new(io::stdin()), &config, &progress)
            } else {
                tumen_ingest::ingest_file(&mut dataset, &path, &config, &progress)
            };
            bar.finish_and_clear();
            match outcome {
                Ok(Outcome::AlreadyIngested(record))
                    if matches!(record.kind, SourceKind::List | SourceKind::Detections | SourceKind::Observations) =>
                {
                    failed += 1;
                    eprintln!(
                        "tumen: {}: this file was imported as {} (source {}): not AIS",
                        path.display(),
                        record.kind,
                        record.id
                    );
                }
                Ok(Outcome::AlreadyIngested(record)) => note!(
                    "{}: already ingested (source {}, as {}); nothing to do",
                    path.display(),
                    record.id,
                    record.location
                ),
                Ok(Outcome::Ingested(summary)) => report(args, &summary),
                // The dataset could not take it (a full disk, a catalog
                // that cannot be written): the next source would fail the
                // same way, so stop here. What was committed stays, and
                // the same command resumes once the cause is mended.
                Err(IngestError::Store(error)) => bail!(
                    "{}: {error}\nstopped: the dataset could not take this source; \
                     run the same command again once that is mended (it resumes where it stopped)",
                    path.display()
                ),
                Err(error) => {
                    failed += 1;
                    eprintln!("tumen: {error}");
                }
            }
        }
    }
    let compacting = Instant::now();
    let days = dataset.compact().context("compacting the archive")?;
    if days > 0 {
        note!(
            "compacted {days} day{} of the archive in {:.1} s",
            if days == 1 { "" } else { "s" },
            compacting.elapsed().as_secs_f64()
        );
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Reads a live feed until interrupted (Ctrl-C, SIGTERM) or `--stop-after`.
fn run_live(
    dataset: &mut Dataset,
    config: &IngestConfig,
    args: &IngestArgs,
    source: &str,
    address: &str,
) -> Result<SourceSummary> {
    let address = if source.starts_with("tcp://") {
        LiveAddress::Tcp(address.to_owned())
    } else {
        LiveAddress::Udp(address.to_owned())
    };
    let live = LiveConfig {
        flush: Duration::from_secs_f64(args.flush_seconds.max(0.05)),
        stop_after: args.stop_after.map(Duration::from_secs_f64),
        ..LiveConfig::default()
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("cannot handle signals")?;
    }
    let quiet = crate::output::quiet();
    let on_event = move |event: LiveEvent| {
        if !quiet {
            tell_live_event(source, event);
        }
    };
    Ok(tumen_ingest::ingest_live(dataset, &address, config, &live, &stop, &on_event)?)
}

/// What a live feed's connection is doing, on standard error.
pub fn tell_live_event(source: &str, event: LiveEvent) {
    match event {
        LiveEvent::Connected(a) => eprintln!("{source}: connected to {a}"),
        LiveEvent::Listening(a) => eprintln!("{source}: listening on {a}"),
        LiveEvent::Disconnected { reason, retry_in } => {
            eprintln!("{source}: {reason}; reconnecting in {:.1} s", retry_in.as_secs_f64())
        }
        LiveEvent::Flushed { .. } => {}
    }
}

/// Files named by `source`: the file itself, every file below a
/// directory (sorted), or the matches of a glob.
fn expand(source: &str) -> Result<Vec<PathBuf>> {
    let path = Path::new(source);
    if path.is_dir() {
        let mut files = Vec::new();
        walk(path, &mut files).with_context(|| format!("cannot list {source}"))?;
        files.sort();
        return Ok(files);
    }
    if path.exists() || !source.contains(['*', '?', '[']) {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = glob::glob(source)
        .with_context(|| format!("bad pattern {source:?}"))?
        .filter_map(|entry| entry.ok())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{source}: no file matches");
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

pub fn report(args: &IngestArgs, summary: &SourceSummary) {
    if args.json {
        let json = serde_json::json!({
            "source_id": summary.source_id,
            "location": summary.location,
            "format": summary.format.as_str(),
            "resumed_after_line": summary.resumed_after_line,
            "seconds": summary.elapsed.as_secs_f64(),
            "counts": summary.counts,
        });
        println!("{json}");
    }
    if crate::output::quiet() {
        return;
    }
    let c = &summary.counts;
    let seconds = summary.elapsed.as_secs_f64().max(1e-9);
    let resumed = summary.resumed_after_line.map(|l| format!(", resumed after line {l}")).unwrap_or_default();
    eprintln!(
        "{} ({}): {} lines, {} messages, {} positions, {} identity fields, {} other messages, {} lines rejected{resumed}; {:.1} s ({:.2}M lines/s)",
        summary.location,
        summary.format.as_str(),
        c.lines,
        c.messages,
        c.positions,
        c.static_fields,
        c.other_messages,
        c.rejected_lines(),
        seconds,
        c.lines as f64 / seconds / 1e6
    );
    for (reason, n) in &c.rejects {
        eprintln!("  rejected {n:>10}  {reason}");
    }
}

struct BarProgress(indicatif::ProgressBar, Instant);

impl Progress for BarProgress {
    fn update(&self, bytes: u64, counts: &Counts) {
        self.0.set_position(bytes);
        let rate = counts.messages as f64 / self.1.elapsed().as_secs_f64().max(1e-3);
        self.0.set_message(format!("{} msgs, {:.2}M msgs/s", counts.messages, rate / 1e6));
    }
}

fn progress_bar(show: bool, path: &Path) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let len = std::fs::metadata(path).ok().map(|m| m.len()).filter(|_| path != Path::new("-"));
    let bar = match len {
        Some(len) => indicatif::ProgressBar::new(len).with_style(
            indicatif::ProgressStyle::with_template(
                "{prefix} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {msg} ETA {eta}",
            )
            .expect("template"),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{prefix} {spinner} {bytes} {bytes_per_sec} {msg}")
                .expect("template"),
        ),
    };
    bar.set_prefix(path.display().to_string());
    bar
}
