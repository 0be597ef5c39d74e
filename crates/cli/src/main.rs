//! `tumen`: follows suspected illicit shipments across sea and land.
//!
//! The binary is thin: it parses arguments, opens inputs and outputs, shows
//! progress, and hands the work to the library crates.

mod alerting;
mod check;
mod config;
mod decode;
mod demo;
mod export;
mod imagery;
mod ingest;
mod input;
mod lists;
mod lookup;
mod output;
mod places;
mod report;
mod run;
mod serve;
mod simulate;
mod sources;
mod watch;
mod worker;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "tumen", version, about = "Follow suspected illicit shipments across sea and land.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress bars and no summaries on standard error (warnings and
    /// errors are still said); on every verb.
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// The 2023 Najin → Dunay case end to end on simulated data: simulate,
    /// ingest, import, run, and list the suspected shipments.
    Demo(demo::DemoArgs),
    /// Decode AIS NMEA (plain or gzip) to gpsd-compatible JSON, CSV or counts.
    Decode(decode::DecodeArgs),
    /// Ingest AIS files, directories, globs, standard input or live feeds
    /// (tcp://, udp://) into the dataset, exactly once.
    Ingest(ingest::IngestArgs),
    /// Look up vessels in the identity registry: every name, call sign,
    /// IMO, type, dimensions, draught, destination each MMSI broadcast,
    /// with when.
    Vessels(lookup::VesselsArgs),
    /// A vessel's positions from the archive as JSON lines, CSV or GeoJSON.
    Track(lookup::TrackArgs),
    /// The gazetteer: list the places (ports, anchorages, rail facilities,
    /// border crossings, depots, zones), import your own from GeoJSON.
    Places(places::PlacesArgs),
    /// Watch lists: import (OFAC, UN 1718, EU, UK, OpenSanctions) and list.
    Lists(lists::ListsArgs),
    /// Satellite vessel detections and their scenes: import.
    Detections(imagery::DetectionsArgs),
    /// Facility observations (rail cars, containers, vessels counted in
    /// imagery): import.
    Observations(imagery::ObservationsArgs),
    /// Run the detectors over the archive (port visits, gaps and AIS disabling, encounters,
    /// loitering, spoofing, identity and draught changes), screen against the watch lists,
    /// fuse satellite detections and facility counts, and link shipment chains, storing
    /// the events and chains with their evidence; a re-run gives the same ids.
    Run(run::RunArgs),
    /// List the events a run found: a table, JSON lines or GeoJSON.
    Events(run::EventsArgs),
    /// List the suspected shipment chains a run linked, with the reasons
    /// for their confidence.
    Chains(run::ChainsArgs),
    /// Watch a live feed (tcp://, udp://): ingest it, alert as things happen
    /// (listed vessels entering watched zones, vessels going dark near
    /// watched ports), and re-run the detectors, fusion and chains on a
    /// schedule; alerts are JSON lines on standard output and go to the
    /// webhook.
    Watch(watch::WatchArgs),
    /// The alerts raised so far (by `tumen run` and `tumen watch`).
    Alerts(alerting::AlertsArgs),
    /// Check that the dataset is whole: every part the catalog names on
    /// disk, no source line archived twice, sources left part-read.
    Check(check::CheckArgs),
    /// Write one self-contained HTML report of a chain or a vessel: maps,
    /// timeline, identities and list hits, facility charts, and the
    /// evidence, every record cited by file and line.
    Report(report::ReportArgs),
    /// Export events, tracks or chains as GeoJSON (QGIS), KML (Google
    /// Earth), CSV or Parquet (DuckDB, pandas).
    Export(export::ExportArgs),
    /// Serve the dataset over HTTP: the dashboard at /, the read API and
    /// the live alert stream under /api (token required; the OpenAPI
    /// document at /api/openapi.json).
    Serve(serve::ServeArgs),
    /// One stage of a distributed run (Apache Spark: see spark/README.md),
    /// Arrow IPC in and out; `tumen worker prepare` first, where the
    /// dataset is.
    Worker(worker::WorkerArgs),
    /// Simulate a scenario: AIS feeds, satellite detections, facility
    /// observations, and the ground truth (truth.json).
    Simulate(simulate::SimulateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Demo(args) => demo::run(&args),
        Command::Decode(args) => decode::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Vessels(args) => lookup::vessels(&args),
        Command::Track(args) => lookup::track(&args),
        Command::Places(args) => places::run(&args),
        Command::Lists(args) => lists::run(&args),
        Command::Detections(args) => imagery::detections(&args),
        Command::Observations(args) => imagery::observations(&args),
        Command::Run(args) => run::run(&args),
        Command::Events(args) => run::events(&args),
        Command::Chains(args) => run::chains(&args),
        Command::Report(args) => report::run(&args),
        Command::Alerts(args) => alerting::list(&args),
        Command::Check(args) => check::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Worker(args) => worker::run(&args),
        Command::Export(args) => export::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // A closed pipe (`tumen decode … | head`) is not an error.
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("tumen: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// True when the error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| match cause.downcast_ref::<csv::Error>()?.kind() {
            csv::ErrorKind::Io(io) => Some(io),
            _ => None,
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
