//! `tumen run` (detect over the archive) and `tumen events` (list what was
//! found).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tumen_chain::{Chain, corridors_or_default, link};
use tumen_detect::{Window, detect_window};
use tumen_fusion::fuse;
use tumen_model::{EventKind, Mmsi};
use tumen_screen::{WatchEntry, identity_conflicts, watchlist_hits};
use tumen_store::{ChainRecord, Dataset, EventQuery};

use crate::config::Config;
use crate::lookup::{WindowArgs, parse_window};
use crate::output::{Align, Table, note};
use crate::places::dataset_gazetteer;

#[derive(Args)]
pub struct RunArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Detector profiles (default: tumen.toml in the dataset directory if
    /// there is one, else the published definitions).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Only the reports from this time (UTC; a date or date and time); the
    /// stored events starting in the window are replaced.
    #[arg(long)]
    from: Option<String>,
    /// Only the reports up to this time.
    #[arg(long)]
    to: Option<String>,
}

pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let started = Instant::now();
    // The land index takes ~0.2 s to build: built beside the screening, it
    // is ready when the detectors ask for it (they wait if it is not).
    std::thread::spawn(|| {
        tumen_places::Land::embedded();
    });
    let mut dataset = Dataset::open(&args.data)?;
    let gazetteer = dataset_gazetteer(&dataset)?;
    let (config, config_path) = Config::for_dataset(args.config.as_deref(), &args.data)?;
    if let Some(path) = config_path {
        note!("profiles from {}", path.display());
    }
    config.alerts.check(&gazetteer).map_err(anyhow::Error::msg)?;
    let (from, to) = parse_window(args.from.as_deref(), args.to.as_deref())?;
    let window = Window { from, to };
    let found = pipeline(&mut dataset, &gazetteer, &config, window)?;
    note!("{} events in {:.1} s", found.events, started.elapsed().as_secs_f64());
    let stages: Vec<String> = found.stages.iter().map(|(name, s)| format!("{name} {s:.2} s")).collect();
    note!("  ({})", stages.join(", "));
    for (kind, n) in &found.by_kind {
        note!("  {kind:<16} {n:>9}");
    }
    if found.chains > 0 {
        note!("chains: {} sea legs along the corridors, {} with confidence ≥ 0.7", found.chains, found.strong_chains);
    }
    let fusion = &found.fusion;
    if fusion.detections > 0 {
        note!(
            "satellite: {} detections in {} scenes: {} matched to AIS, {} dark, {} on {} fixed structures, {} below the confidence for dark, {} inland",
            fusion.detections,
            fusion.scenes,
            fusion.matched,
            fusion.dark,
            fusion.structure_detections,
            fusion.structures,
            fusion.low_confidence,
            fusion.on_land
        );
    }
    // New alerts as JSON lines on standard output (and to the webhook).
    let alerts = crate::alerting::stored(&dataset, &gazetteer, &config, window)?;
    let webhook = config.alerts.webhook.as_deref().map(tumen_alert::Webhook::new);
    let raised = crate::alerting::raise(dataset.catalog(), &alerts, webhook.as_ref())?;
    note!("alerts: {raised} new ({} raised before)", alerts.len() - raised);
    Ok(ExitCode::SUCCESS)
}

/// What one pass of the pipeline found.
pub struct Found {
    pub events: usize,
    pub by_kind: BTreeMap<&'static str, u64>,
    pub chains: usize,
    pub strong_chains: usize,
    pub fusion: tumen_fusion::FusionSummary,
    /// Seconds each step took, in order.
    pub stages: Vec<(&'static str, f64)>,
}

/// Screening, the detectors, fusion and chain linking over `window`; the
/// events and chains starting in it are replaced by what was found. `tumen
/// run` calls it once; `tumen watch` on a schedule.
pub fn pipeline(
    dataset: &mut Dataset,
    gazetteer: &tumen_places::Gazetteer,
    config: &Config,
    window: Window,
) -> Result<Found> {
    let corridors = corridors_or_default(&config.corridor);
    for corridor in &corridors {
        let unknown = corridor.unknown_places(gazetteer);
        if !unknown.is_empty() {
            anyhow::bail!(
                "corridor {:?} names places the gazetteer does not know: {} (`tumen places list --name NAME` finds a place's id)",
                corridor.id,
                unknown.join(", ")
            );
        }
    }
    let mut stages = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, stages: &mut Vec<(&'static str, f64)>| {
        stages.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let hits = screen(dataset, config, window)?;
    lap("screening", &mut stages);
    let mut events = detect_window(dataset, gazetteer, &config.detect, window, hits)?;
    lap("detectors", &mut stages);
    let (fused, fusion) = fuse(dataset, gazetteer, &config.fusion, window.from, window.to, &events)?;
    events.extend(fused);
    lap("fusion", &mut stages);
    let scenes = dataset.catalog().scenes()?;
    let chains = link(&events, &scenes, &corridors, gazetteer);
    lap("chains", &mut stages);
    // A run re-detects every kind over its window.
    dataset.catalog_mut().replace_events_between(&EventKind::ALL, window.from, window.to, &events)?;
    let chain_records = chains.iter().map(chain_record).collect::<Result<Vec<_>>>()?;
    dataset.catalog_mut().replace_chains_between(window.from, window.to, &chain_records)?;
    lap("storing", &mut stages);
    let mut by_kind: BTreeMap<&'static str, u64> = BTreeMap::new();
    for e in &events {
        *by_kind.entry(e.kind.as_str()).or_default() += 1;
    }
    Ok(Found {
        events: events.len(),
        by_kind,
        chains: chains.len(),
        strong_chains: chains.iter().filter(|c| c.confidence >= 0.7).count(),
        fusion,
        stages,
    })
}

/// Identity conflicts in the registry, and watch-list hits of what it
/// holds against every imported list: placed on the tracks by the
/// detectors' pass.
pub(crate) fn screen(dataset: &Dataset, config: &Config, window: Window) -> Result<Vec<tumen_model::Event>> {
    let histories = dataset.catalog().static_histories(&tumen_screen::screening::FIELDS)?;
    let mut found = identity_conflicts(&histories);
    found.retain(|conflict| window.contains(conflict.start));
    let mut entries = Vec::new();
    for tumen_store::WatchEntryRecord { list, id, entry: json } in dataset.catalog().watch_entries()? {
        let entry: WatchEntry =
            serde_json::from_str(&json).with_context(|| format!("watch list {list}, entry {id}"))?;
        entries.push(entry);
    }
    if !entries.is_empty() {
        let mut hits = watchlist_hits(&histories, &entries, config.screen);
        hits.retain(|hit| window.contains(hit.start));
        found.extend(hits);
    }
    Ok(found)
}

#[derive(Args)]
pub struct EventsArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Only this kind.
    #[arg(long, value_parser = crate::lookup::event_kind())]
    kind: Option<EventKind>,
    /// Only events of this vessel.
    #[arg(long)]
    mmsi: Option<u32>,
    /// Only events at this place (a gazetteer id, e.g. najin).
    #[arg(long)]
    place: Option<String>,
    #[command(flatten)]
    window: WindowArgs,
    /// At most this many events.
    #[arg(long, default_value_t = 10_000)]
    limit: u64,
    #[arg(long, value_enum, default_value_t = EventFormat::Table)]
    format: EventFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum EventFormat {
    Table,
    /// JSON lines, one event each, with attributes and evidence.
    Json,
    /// One GeoJSON FeatureCollection of points with flat properties
    /// (attributes and evidence as JSON text), as `tumen export events` writes.
    Geojson,
}

pub fn events(args: &EventsArgs) -> Result<ExitCode> {
    let dataset = Dataset::open_read_only(&args.data)?;
    let WindowArgs { from, to } = args.window;
    let query = EventQuery {
        kind: args.kind,
        mmsi: args.mmsi.map(Mmsi),
        place: args.place.clone(),
        from,
        to,
        limit: args.limit,
    };
    let found = dataset.catalog().events(&query)?;
    if found.is_empty() {
        let any = dataset.catalog().events(&EventQuery { limit: 1, ..EventQuery::default() })?;
        if any.is_empty() {
            eprintln!("no events in the dataset yet: `tumen run --data {}` finds them", args.data.display());
        } else {
            eprintln!("no events match (the dataset has others: widen the filter)");
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        EventFormat::Table => {
            let mut table = Table::new(&[
                ("KIND", Align::Left),
                ("START", Align::Left),
                ("END", Align::Left),
                ("MMSI", Align::Left),
                ("PLACE", Align::Left),
                ("CONF", Align::Right),
                ("ID", Align::Left),
            ]);
            for e in &found {
                let mmsis: Vec<String> = e.mmsis.iter().map(Mmsi::to_string).collect();
                table.row(vec![
                    e.kind.to_string(),
                    e.start.to_string(),
                    e.end.to_string(),
                    if mmsis.is_empty() { "-".to_owned() } else { mmsis.join(",") },
                    e.place.as_deref().unwrap_or("-").to_owned(),
                    e.confidence.to_string(),
                    e.id.to_string(),
                ]);
            }
            if !table.is_empty() {
                table.write(&mut out)?;
            }
        }
        EventFormat::Json => {
            for e in &found {
                writeln!(out, "{}", tumen_report::json::event(e))?;
            }
        }
        EventFormat::Geojson => {
            // The same features as `tumen export events --format geojson`.
            tumen_report::export::write_geojson(&tumen_report::export::event_features(&found), &mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn chain_record(chain: &Chain) -> Result<ChainRecord> {
    Ok(ChainRecord {
        id: chain.id.clone(),
        corridor: chain.corridor.clone(),
        vessels: chain.vessels.clone(),
        start: chain.start,
        end: chain.end,
        confidence: chain.confidence,
        chain: serde_json::to_string(chain)?,
    })
}

#[derive(Args)]
pub struct ChainsArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Only chains of at least this confidence (0–1).
    #[arg(long, default_value_t = 0.0)]
    min_confidence: f64,
    /// Only chains naming this vessel.
    #[arg(long)]
    mmsi: Option<u32>,
    /// Only chains from or to this place (a gazetteer id, any case).
    #[arg(long)]
    place: Option<String>,
    #[command(flatten)]
    window: WindowArgs,
    /// At most this many chains (the earliest first).
    #[arg(long, default_value_t = 10_000)]
    limit: usize,
    #[arg(long, value_enum, default_value = "table")]
    format: ChainFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChainFormat {
    /// One line a chain, then its reasons.
    Table,
    /// JSON lines, one chain each, with its reasons and events.
    Json,
    /// A FeatureCollection (RFC 7946, for QGIS): each chain as a line
    /// through its ports and the places of its rail and depot activity,
    /// the chain's fields as properties.
    Geojson,
}

/// The chains a run stored, read back (a record that does not read is an
/// error naming it).
pub fn stored_chains(records: &[ChainRecord]) -> Result<Vec<Chain>> {
    records
        .iter()
        .map(|r| serde_json::from_str::<Chain>(&r.chain).with_context(|| format!("stored chain {}", r.id)))
        .collect()
}

/// `tumen chains`: the suspected shipments the last run linked.
pub fn chains(args: &ChainsArgs) -> Result<ExitCode> {
    let dataset = Dataset::open_read_only(&args.data)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let WindowArgs { from, to } = args.window;
    let place = args.place.as_deref().map(str::to_lowercase);
    let mut records = dataset.catalog().chains(args.min_confidence)?;
    let filtered = args.mmsi.is_some() || place.is_some() || from.is_some() || to.is_some();
    if filtered {
        let mut kept = Vec::new();
        for record in records {
            let chain: Chain =
                serde_json::from_str(&record.chain).with_context(|| format!("stored chain {}", record.id))?;
            let keep = args.mmsi.is_none_or(|m| chain.vessels.contains(&m))
                && place.as_deref().is_none_or(|p| chain.origin == p || chain.destination == p)
                && from.is_none_or(|f| record.end >= f)
                && to.is_none_or(|t| record.start <= t);
            if keep {
                kept.push(record);
            }
        }
        records = kept;
    }
    records.truncate(args.limit);
    if records.is_empty() && filtered {
        eprintln!("no chains match (`tumen chains --data {}` lists them all)", args.data.display());
    } else if records.is_empty() {
        match dataset.catalog().chains(0.0)?.len() {
            0 => eprintln!("no chains stored: `tumen run --data {}` links them", args.data.display()),
            n => eprintln!("none of the {n} chains has a confidence of {} or more", args.min_confidence),
        }
    }
    if let ChainFormat::Geojson = args.format {
        let gazetteer = dataset_gazetteer(&dataset)?;
        let chains = stored_chains(&records)?;
        let features = tumen_report::export::chain_features(&chains, &gazetteer);
        tumen_report::export::write_geojson(&features, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for record in records {
        match args.format {
            ChainFormat::Geojson => unreachable!("written above"),
            ChainFormat::Json => writeln!(out, "{}", record.chain)?,
            ChainFormat::Table => {
                let chain: serde_json::Value = serde_json::from_str(&record.chain)?;
                writeln!(
                    out,
                    "{}  {:.2}  {}  {} → {}  loading {} – {}  landing {}",
                    record.id,
                    record.confidence,
                    record.vessels.iter().map(u32::to_string).collect::<Vec<_>>().join(","),
                    chain["origin"].as_str().unwrap_or("?"),
                    chain["destination"].as_str().unwrap_or("?"),
                    chain["loading_from"].as_str().unwrap_or("?"),
                    chain["loading_to"].as_str().unwrap_or("?"),
                    chain["landing_from"].as_str().unwrap_or("?"),
                )?;
                for reason in chain["reasons"].as_array().into_iter().flatten() {
                    writeln!(
                        out,
                        "    +{:.2}  {}",
                        reason["weight"].as_f64().unwrap_or(0.0),
                        reason["what"].as_str().unwrap_or("")
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
