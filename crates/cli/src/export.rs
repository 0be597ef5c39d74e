//! `tumen export`: events, tracks or chains for other tools — GeoJSON
//! (QGIS), KML (Google Earth), CSV and Parquet (DuckDB, pandas).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use tumen_chain::Chain;
use tumen_model::{EventKind, Mmsi, Timestamp};
use tumen_report::export::{self, Feature, Format};
use tumen_report::file_name;
use tumen_store::{Dataset, EventQuery};

use crate::lookup::WindowArgs;
use crate::output::note;
use crate::places::dataset_gazetteer;

#[derive(Clone, Copy, ValueEnum)]
enum What {
    /// The events a run stored, as points.
    Events,
    /// Vessels' positions (give --mmsi): lines broken at silences in
    /// GeoJSON and KML, one row a position in CSV and Parquet.
    Tracks,
    /// The suspected shipment chains, as lines through their places.
    Chains,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Geojson,
    Kml,
    Csv,
    Parquet,
}

#[derive(Args)]
pub struct ExportArgs {
    what: What,
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The file to write (default: standard output; Parquet needs a file).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Events of this kind only.
    #[arg(long, value_parser = crate::lookup::event_kind())]
    kind: Option<EventKind>,
    /// Events or tracks of these vessels (repeat for more).
    #[arg(long)]
    mmsi: Vec<u32>,
    /// Events at this place only (a gazetteer id).
    #[arg(long)]
    place: Option<String>,
    #[command(flatten)]
    window: WindowArgs,
    /// Chains of at least this confidence.
    #[arg(long, default_value_t = 0.0)]
    min_confidence: f64,
}

pub fn run(args: &ExportArgs) -> Result<ExitCode> {
    let format = match args.format {
        FormatArg::Geojson => Format::Geojson,
        FormatArg::Kml => Format::Kml,
        FormatArg::Csv => Format::Csv,
        FormatArg::Parquet => Format::Parquet,
    };
    if format == Format::Parquet && args.out.is_none() {
        bail!("Parquet is binary: give --out FILE.parquet");
    }
    let dataset = Dataset::open_read_only(&args.data)?;
    let WindowArgs { from, to } = args.window;
    let (features, title) = match args.what {
        What::Events => (events(&dataset, args, from, to)?, "Tumen events"),
        What::Tracks => (tracks(&dataset, args, from, to)?, "Tumen tracks"),
        What::Chains => (chains(&dataset, args, from, to)?, "Tumen shipment chains"),
    };
    match &args.out {
        Some(path) => {
            let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
            export::write(&features, format, title, BufWriter::new(file))
                .with_context(|| format!("writing {}", path.display()))?;
            note!("{}: {} features", path.display(), features.len());
        }
        None => {
            let stdout = io::stdout();
            export::write(&features, format, title, BufWriter::new(stdout))?;
            io::stdout().flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn events(
    dataset: &Dataset,
    args: &ExportArgs,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<Vec<Feature>> {
    let mmsis: Vec<Option<u32>> =
        if args.mmsi.is_empty() { vec![None] } else { args.mmsi.iter().copied().map(Some).collect() };
    let mut found = Vec::new();
    for mmsi in mmsis {
        let query = EventQuery {
            kind: args.kind,
            mmsi: mmsi.map(Mmsi),
            place: args.place.clone(),
            from,
            to,
            limit: u64::MAX >> 1,
        };
        found.extend(dataset.catalog().events(&query)?);
    }
    found.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    found.dedup_by(|a, b| a.id == b.id);
    Ok(export::event_features(&found))
}

fn tracks(
    dataset: &Dataset,
    args: &ExportArgs,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<Vec<Feature>> {
    if args.mmsi.is_empty() {
        bail!(
            "tracks: give --mmsi (repeat for more vessels); the whole archive is Parquet already: {}/positions",
            args.data.display()
        );
    }
    let (from, to) = (from.unwrap_or(Timestamp::EARLIEST), to.unwrap_or(Timestamp::LATEST));
    let mut rows = Vec::new();
    for &mmsi in &args.mmsi {
        rows.extend(dataset.track(Mmsi(mmsi), from, to)?);
    }
    if matches!(args.format, FormatArg::Geojson | FormatArg::Kml) {
        return Ok(export::track_line_features(&rows));
    }
    let sources: std::collections::BTreeMap<u32, String> =
        dataset.catalog().sources()?.into_iter().map(|s| (s.id, file_name(&s.location).to_owned())).collect();
    Ok(export::track_point_features(&rows, &|id| sources.get(&id).cloned().unwrap_or_else(|| id.to_string())))
}

fn chains(
    dataset: &Dataset,
    args: &ExportArgs,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<Vec<Feature>> {
    let gazetteer = dataset_gazetteer(dataset)?;
    let mut chains = Vec::new();
    for record in dataset.catalog().chains(args.min_confidence)? {
        if from.is_some_and(|f| record.end < f) || to.is_some_and(|t| record.start > t) {
            continue;
        }
        if !args.mmsi.is_empty() && !record.vessels.iter().any(|v| args.mmsi.contains(v)) {
            continue;
        }
        let chain: Chain =
            serde_json::from_str(&record.chain).with_context(|| format!("stored chain {}", record.id))?;
        chains.push(chain);
    }
    Ok(export::chain_features(&chains, &gazetteer))
}
