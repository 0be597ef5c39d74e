//! `tumen places`: the gazetteer — the places Tumen ships and those users
//! imported into a dataset.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::output::{Align, Table, note};
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
    /// Add places from GeoJSON files to the dataset: points (with a
    /// `radius_km`, 3 km when none), sets of points, polygons; properties
    /// name or id, and kind (port when none), country, watched, note — as
    /// QGIS exports them too (docs/places.md). A place with the id of a
    /// shipped or earlier one replaces it. A feature that cannot be read is
    /// refused, every problem named; the file's other features are imported
    /// (exit status 1 when any was refused).
    Import(ImportArgs),
    /// List the places: shipped (the curated ones, then the world's ports
    /// and anchorages), and imported into the dataset.
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
    /// Only places of this country (ISO 3166-1 alpha-2, any case).
    #[arg(long)]
    country: Option<String>,
    /// Only places whose name or id contains this text (any case).
    #[arg(long)]
    name: Option<String>,
    /// Only places whose centre is in this box: MIN_LON,MIN_LAT,MAX_LON,MAX_LAT.
    #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
    bbox: Option<[f64; 4]>,
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

fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| n.trim().parse::<f64>().map_err(|_| format!("\"{n}\" is not a number")))
        .collect::<Result<_, _>>()?;
    match numbers[..] {
        [min_lon, min_lat, max_lon, max_lat]
            if (-90.0..=90.0).contains(&min_lat)
                && (-90.0..=90.0).contains(&max_lat)
                && min_lat <= max_lat
                && (-180.0..=180.0).contains(&min_lon)
                && (-180.0..=180.0).contains(&max_lon) =>
        {
            Ok([min_lon, min_lat, max_lon, max_lat])
        }
        _ => {
            Err("expected MIN_LON,MIN_LAT,MAX_LON,MAX_LAT in degrees (a box across 180° has MIN_LON > MAX_LON)"
                .to_owned())
        }
    }
}

/// Whether a place passes the list's filters.
fn chosen(args: &ListArgs, place: &Place) -> bool {
    let in_box = |[min_lon, min_lat, max_lon, max_lat]: [f64; 4]| {
        let c = place.centre();
        let lon_in = if min_lon <= max_lon {
            (min_lon..=max_lon).contains(&c.lon_deg)
        } else {
            c.lon_deg >= min_lon || c.lon_deg <= max_lon
        };
        lon_in && (min_lat..=max_lat).contains(&c.lat_deg)
    };
    let named = |text: &str| {
        let text = text.to_lowercase();
        place.name.to_lowercase().contains(&text) || place.id.to_lowercase().contains(&text)
    };
    args.kind.is_none_or(|k| place.kind == k)
        && (!args.watched || place.watched)
        && args.country.as_deref().is_none_or(|c| place.country.eq_ignore_ascii_case(c.trim()))
        && args.name.as_deref().is_none_or(named)
        && args.bbox.is_none_or(in_box)
}

fn parse_kind(text: &str) -> Result<PlaceKind, String> {
    PlaceKind::parse(&text.to_ascii_lowercase()).ok_or_else(|| {
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
    Gazetteer::embedded_with_imported(dataset.catalog().places()?.into_iter().map(|p| (p.feature, p.source)))
        .context("an imported place in the catalog")
}

fn import(args: &ImportArgs) -> Result<ExitCode> {
    // Read every file before writing anything: a file that is not GeoJSON
    // stops the import; a feature that cannot be read is named and counted.
    let mut files = Vec::new();
    let mut refused_features = 0;
    for path in &args.files {
        let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        let read = read_geojson(&text, &path.display().to_string())
            .with_context(|| format!("{}: nothing imported", path.display()))?;
        for refusal in &read.refused {
            eprintln!("{}: {refusal}", path.display());
        }
        refused_features += read.refused.len();
        files.push((path, read.places));
    }
    let mut dataset = Dataset::open(&args.data)?;
    for (path, places) in files {
        let stored: Vec<(String, String)> = places.iter().map(|p| (p.id.clone(), p.to_feature().to_string())).collect();
        let replaced = dataset.catalog_mut().put_places(&stored, &path.display().to_string())?;
        let shipped = places.iter().filter(|p| Gazetteer::embedded().get(&p.id).is_some()).count();
        note!(
            "{}: {} place(s) imported ({replaced} replacing earlier imports, {shipped} replacing shipped places)",
            path.display(),
            places.len()
        );
    }
    if refused_features > 0 {
        eprintln!("{refused_features} feature(s) refused (named above); the others were imported");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn list(args: &ListArgs) -> Result<ExitCode> {
    let gazetteer = match Dataset::open_read_only(&args.data) {
        Ok(dataset) => dataset_gazetteer(&dataset)?,
        Err(StoreError::NotADataset { .. }) => Gazetteer::embedded().with(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let chosen: Vec<&Place> = gazetteer.places().iter().filter(|p| chosen(args, p)).collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        ListFormat::Table => {
            let mut table = Table::new(&[
                ("ID", Align::Left),
                ("NAME", Align::Left),
                ("KIND", Align::Left),
                ("CC", Align::Left),
                ("WATCHED", Align::Left),
                ("LAT", Align::Right),
                ("LON", Align::Right),
                ("RADIUS", Align::Right),
            ]);
            for p in &chosen {
                let c = p.centre();
                let radius = match &p.shape {
                    Shape::Circle { radius_km, .. } => format!("{radius_km} km"),
                    Shape::Circles { centres, radius_km } => format!("{}×{radius_km} km", centres.len()),
                    Shape::Polygons(_) => "polygon".to_owned(),
                };
                table.row(vec![
                    p.id.clone(),
                    p.name.clone(),
                    p.kind.as_str().to_owned(),
                    p.country.clone(),
                    if p.watched { "yes" } else { "" }.to_owned(),
                    format!("{:.4}", c.lat_deg),
                    format!("{:.4}", c.lon_deg),
                    radius,
                ]);
            }
            table.write(&mut out)?;
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
