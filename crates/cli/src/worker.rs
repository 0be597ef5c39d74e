//! `tumen worker`: one stage of a distributed run (see `tumen_worker` and
//! `spark/`), reading Arrow IPC on standard input and writing it on
//! standard output; and `tumen worker prepare`, run once where the dataset
//! is, writing what every partition needs.

use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use parquet::arrow::ArrowWriter;
use tumen_detect::{Window, identity_events};
use tumen_model::Event;
use tumen_model::Timestamp;
use tumen_places::Gazetteer;
use tumen_store::{Dataset, PartRecord};
use tumen_store::{event_schema, events_of};
use tumen_worker::ipc::{Input, Output};
use tumen_worker::markers::marker_batch;
use tumen_worker::{Context as StageContext, Stage};

use crate::config::Config;
use crate::lookup::parse_time;
use crate::output::note;

#[derive(Args)]
pub struct WorkerArgs {
    #[command(subcommand)]
    stage: WorkerStage,
}

#[derive(Subcommand)]
enum WorkerStage {
    /// Where the dataset is, once before a distributed run: writes to
    /// --out the registry's events to place (markers.parquet), the
    /// imported places (places.json), the profiles (tumen.toml, if the
    /// dataset has one) and run.json (the archive's part files and its
    /// newest report).
    Prepare(PrepareArgs),
    /// Reports sorted by (mmsi, time), with marker rows, in; the events of
    /// single vessels and the grid points tagged with cells out.
    Vessels(StageArgs),
    /// Grid points sorted by (slot, cell) in; pair hits out.
    Pairs(StageArgs),
    /// Pair hits sorted by (a_mmsi, b_mmsi) in; encounters out.
    Encounters(StageArgs),
    /// Events with key_mmsi, sorted by it, in; the final events out.
    Relate(StageArgs),
    /// Where the dataset is, after the stages: the run's silences (gap and
    /// ais_disabling events) in; the satellite and facility events
    /// `tumen run`'s fusion step finds out (it reads the positions near
    /// each scene from the archive: not distributed yet).
    Fuse(FuseArgs),
}

#[derive(Args)]
pub struct PrepareArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Detector profiles (default: tumen.toml in the dataset directory if
    /// there is one, else the published definitions).
    #[arg(long)]
    config: Option<PathBuf>,
    /// The directory to write.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
pub struct FuseArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Profiles (default: tumen.toml in the dataset directory if there is
    /// one, else the published definitions).
    #[arg(long)]
    config: Option<PathBuf>,
}

#[derive(Args)]
pub struct StageArgs {
    /// Places imported into the dataset (places.json, as prepare writes
    /// it); the embedded gazetteer is always there.
    #[arg(long)]
    places: Option<PathBuf>,
    /// Detector profiles (tumen.toml); default the published definitions.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The newest report of the whole run (UTC), which ends the silences
    /// still open; as prepare wrote it in run.json.
    #[arg(long)]
    data_end: Option<String>,
}

pub fn run(args: &WorkerArgs) -> Result<ExitCode> {
    let (stage, stage_args) = match &args.stage {
        WorkerStage::Prepare(prepare_args) => return prepare(prepare_args),
        WorkerStage::Fuse(fuse_args) => return fuse(fuse_args),
        WorkerStage::Vessels(a) => (Stage::Vessels, a),
        WorkerStage::Pairs(a) => (Stage::Pairs, a),
        WorkerStage::Encounters(a) => (Stage::Encounters, a),
        WorkerStage::Relate(a) => (Stage::Relate, a),
    };
    let config = stage_args.config.as_deref().map(Config::read).transpose()?.unwrap_or_default();
    let imported: Vec<(String, String, String)> = match &stage_args.places {
        Some(path) => {
            let text = fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
            serde_json::from_str(&text).with_context(|| format!("{}: the imported places", path.display()))?
        }
        None => Vec::new(),
    };
    let gazetteer =
        Gazetteer::embedded_with_imported(imported.into_iter().map(|(_id, feature, source)| (feature, source)))
            .context("the imported places")?;
    let data_end = stage_args.data_end.as_deref().map(|t| parse_time(t, false)).transpose()?;
    let context = StageContext { profiles: &config.detect, gazetteer: &gazetteer, data_end };
    let stdin = io::stdin();
    let stdout = io::stdout();
    let summary = tumen_worker::run(stage, &context, stdin.lock(), BufWriter::with_capacity(1 << 20, stdout.lock()))
        .with_context(|| format!("tumen worker {stage:?}"))?;
    note!(
        "worker {stage:?}: {} rows in, {} events and {} rows out",
        summary.rows_in,
        summary.events_out,
        summary.rows_out
    );
    Ok(ExitCode::SUCCESS)
}

fn prepare(args: &PrepareArgs) -> Result<ExitCode> {
    let dataset = Dataset::open_read_only(&args.data)?;
    let (config, config_path) = Config::for_dataset(args.config.as_deref(), &args.data)?;
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let mut parts = Vec::new();
    for day in dataset.catalog().days()? {
        for PartRecord { file, compacted, .. } in dataset.catalog().parts_of_day_by_mmsi(day)? {
            if !compacted {
                bail!(
                    "{file}: day {} is not compacted (a live feed is still writing it, or an ingest was stopped): \
                     finish the ingest (`tumen ingest` compacts what it wrote) before a distributed run",
                    Timestamp::from_unix_ms(day * 86_400_000)
                );
            }
            parts.push(dataset.root().join(file).canonicalize()?);
        }
    }
    // The events found from the registry, as `tumen run` finds them.
    let mut markers: Vec<Event> = identity_events(&dataset, &config.detect)?;
    markers.extend(crate::run::screen(&dataset, &config, Window::default())?);
    markers.sort_by(|a, b| (a.end, &a.id).cmp(&(b.end, &b.id)));
    let markers_path = args.out.join("markers.parquet");
    let batch = marker_batch(&markers);
    let file = File::create(&markers_path).with_context(|| format!("creating {}", markers_path.display()))?;
    let mut writer = ArrowWriter::try_new(file, batch.schema(), None)?;
    writer.write(&batch)?;
    writer.close()?;
    // As the catalog keeps them: (id, GeoJSON feature, source).
    let places: Vec<(String, String, String)> =
        dataset.catalog().places()?.into_iter().map(|p| (p.id, p.feature, p.source)).collect();
    fs::write(args.out.join("places.json"), serde_json::to_string(&places)?)?;
    if let Some(path) = &config_path {
        fs::copy(path, args.out.join("tumen.toml")).with_context(|| format!("copying {}", path.display()))?;
    }
    let data_end = dataset.catalog().latest_time()?;
    let run = serde_json::json!({
        "data_end": data_end.map(|t| t.to_string()),
        "parts": parts,
        "markers": markers.len(),
        "config": config_path.is_some(),
    });
    fs::write(args.out.join("run.json"), serde_json::to_string_pretty(&run)?)?;
    note!(
        "{}: {} part files, {} events to place, newest report {}",
        args.out.display(),
        parts.len(),
        markers.len(),
        data_end.map_or("none".into(), |t| t.to_string())
    );
    Ok(ExitCode::SUCCESS)
}

fn fuse(args: &FuseArgs) -> Result<ExitCode> {
    let dataset = Dataset::open_read_only(&args.data)?;
    let (config, _) = Config::for_dataset(args.config.as_deref(), &args.data)?;
    let gazetteer = crate::places::dataset_gazetteer(&dataset)?;
    let stdin = io::stdin();
    let mut input = Input::open(stdin.lock())?;
    let mut events = Vec::new();
    while let Some(batch) = input.next_batch()? {
        events.extend(events_of(&batch).map_err(|e| input.column_error(e))?);
    }
    // In the order `tumen run` hands them over.
    events.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let (mut fused, summary) = tumen_fusion::fuse(&dataset, &gazetteer, &config.fusion, None, None, &events)?;
    let stdout = io::stdout();
    let mut out = Output::new(BufWriter::new(stdout.lock()), &event_schema())?;
    let written = out.write_events(&mut fused)?;
    out.finish()?;
    note!(
        "worker fuse: {} silences in, {} events out ({} detections, {} matched, {} dark)",
        events.len(),
        written,
        summary.detections,
        summary.matched,
        summary.dark
    );
    Ok(ExitCode::SUCCESS)
}
