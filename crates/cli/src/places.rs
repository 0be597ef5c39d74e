//! `tumen places`: the gazetteer — the places Tumen ships and those users
//! imported into a dataset.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use tumen_places::{Gazetteer, Place, PlaceKind, Shape, read_geojson};
use tumen_store::{Dataset, StoreError};

#[derive(Args)]
pub struct PlacesArgs {
    #[command(subcommand)]
    command: PlacesCommand,
}

#[derive(Subcommand)]
enum PlacesCommand {
    /// Add places from GeoJSON files (points with a `radius_km`, or
    /// polygons; properties id, name, kind, country, watched, note) to the
    /// dataset. A place with the id of a shipped or earlier one replaces
    /// it. A file with any bad feature is refused whole, every problem named.
    Import(ImportArgs),
    /// List the places: shipped, and imported into the dataset.
    List(ListArgs),
}

#[derive(Args)]
struct ImportArgs {
    /// GeoJSON files (a FeatureCollection or one Feature).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
}

#[derive(Args)]
struct ListArgs {
    /// The dataset directory (its imported places are listed too, if it exists).
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Only places of this kind.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<PlaceKind>,
    /// Only watched places.
    #[arg(long)]
    watched: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    /// JSON lines, one GeoJSON feature each.
    Json,
    /// One GeoJSON FeatureCollection (QGIS, geojson.io).
    Geojson,
}

fn parse_kind(text: &str) -> Result<PlaceKind, String> {
    PlaceKind::parse(text).ok_or_else(|| {
        let names: Vec<&str> = PlaceKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("not one of {}", names.join(", "))
    })
}

pub fn run(args: &PlacesArgs) -> Result<ExitCode> {
    match &args.command {
        PlacesCommand::Import(args) => import(args),
        PlacesCommand::List(args) => list(args),
    }
}

/// The shipped places with those imported into `dataset`.
pub fn dataset_gazetteer(dataset: &Dataset) -> Result<Gazetteer> {
    Gazetteer::embedded_with_imported(dataset.catalog().places()?).context("an imported place in the catalog")
}

fn import(args: &ImportArgs) -> Result<ExitCode> {
    // Read and check every file before writing anything.
    let mut files = Vec::new();
    let mut refused = 0;
    for path in &args.files {
        let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        match read_geojson(&text, &path.display().to_string()) {
            Ok(places) => files.push((path, places)),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                refused += 1;
            }
        }
    }
    if refused > 0 {
        eprintln!("nothing imported: {refused} file(s) refused");
        return Ok(ExitCode::from(1));
    }
    let mut dataset = Dataset::open(&args.data)?;
    for (path, places) in files {
        let stored: Vec<(String, String)> = places.iter().map(|p| (p.id.clone(), p.to_feature().to_string())).collect();
        let replaced = dataset.catalog_mut().put_places(&stored, &path.display().to_string())?;
        let shipped = places.iter().filter(|p| Gazetteer::embedded().get(&p.id).is_some()).count();
        eprintln!(
            "{}: {} place(s) imported ({replaced} replacing earlier imports, {shipped} replacing shipped places)",
            path.display(),
            places.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn list(args: &ListArgs) -> Result<ExitCode> {
    let gazetteer = match Dataset::open_read_only(&args.data) {
        Ok(dataset) => dataset_gazetteer(&dataset)?,
        Err(StoreError::NotADataset { .. }) => Gazetteer::embedded().with(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let chosen: Vec<&Place> = gazetteer
        .places()
        .iter()
        .filter(|p| args.kind.is_none_or(|k| p.kind == k) && (!args.watched || p.watched))
        .collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        ListFormat::Table => {
            writeln!(
                out,
                "{:<28}  {:<40}  {:<15}  {:<2}  {:<7}  {:>9}  {:>10}  {:>9}",
                "ID", "NAME", "KIND", "CC", "WATCHED", "LAT", "LON", "RADIUS"
            )?;
            for p in &chosen {
                let c = p.centre();
                let radius = match p.shape {
                    Shape::Circle { radius_km, .. } => format!("{radius_km} km"),
                    Shape::Polygons(_) => "polygon".to_owned(),
                };
                writeln!(
                    out,
                    "{:<28}  {:<40}  {:<15}  {:<2}  {:<7}  {:>9.4}  {:>10.4}  {:>9}",
                    p.id,
                    p.name,
                    p.kind.as_str(),
                    p.country,
                    if p.watched { "yes" } else { "" },
                    c.lat_deg,
                    c.lon_deg,
                    radius
                )?;
            }
        }
        ListFormat::Json => {
            for p in &chosen {
                writeln!(out, "{}", p.to_feature())?;
            }
        }
        ListFormat::Geojson => {
            let features: Vec<serde_json::Value> = chosen.iter().map(|p| p.to_feature()).collect();
            writeln!(out, "{}", serde_json::json!({"type": "FeatureCollection", "features": features}))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
