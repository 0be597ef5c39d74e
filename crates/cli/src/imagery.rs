//! `tumen detections import` and `tumen observations import`: satellite
//! vessel detections with their scenes, and facility observation counts,
//! into the dataset for the fusion step of `tumen run`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use tumen_fusion::observation::read_observations;
use tumen_fusion::read::scene_times;
use tumen_fusion::{DetectionFormat, read_detections};
use tumen_store::{Dataset, SourceKind};

use crate::output::note;
use crate::sources::{read_text, register, report_skipped};

#[derive(Args)]
pub struct DetectionsArgs {
    #[command(subcommand)]
    command: DetectionsCommand,
}

#[derive(Subcommand)]
enum DetectionsCommand {
    /// Import vessel detections (Skylight, GFW SAR, xView3, KSAT, a generic
    /// CSV or GeoJSON) and scene files (times and footprints), the format
    /// told from the header.
    Import(DetectionsImportArgs),
}

#[derive(Args)]
struct DetectionsImportArgs {
    /// Detection and scene files; scene files first or in the same import
    /// give their times to detections that carry none.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The format, when the header does not tell (skylight, gfw-sar,
    /// xview3, ksat, csv, scenes, geojson).
    #[arg(long, value_parser = parse_format)]
    format: Option<DetectionFormat>,
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
}

fn parse_format(text: &str) -> Result<DetectionFormat, String> {
    DetectionFormat::parse(text).ok_or_else(|| {
        let names: Vec<&str> = DetectionFormat::ALL.iter().map(|f| f.name()).collect();
        format!("not one of {}", names.join(", "))
    })
}

pub fn detections(args: &DetectionsArgs) -> Result<ExitCode> {
    let DetectionsCommand::Import(args) = &args.command;
    let mut dataset = Dataset::open(&args.data)?;
    let mut files = Vec::new();
    for path in &args.files {
        let text = read_text(path)?;
        let format = args.format.or_else(|| DetectionFormat::detect(&text));
        files.push((path, text, format));
    }
    // Scene files first: their times serve detections that carry none.
    files.sort_by_key(|(_, _, format)| *format != Some(DetectionFormat::ScenesCsv));
    // Every file read before anything is stored: a file that cannot be
    // read stops the import with nothing half done.
    let mut known = scene_times(&dataset.catalog().scenes()?);
    let mut reads = Vec::new();
    for (path, text, format) in &files {
        let name = path.display().to_string();
        let (format, read) = read_detections(&name, text, *format, &known)?;
        known.extend(scene_times(&read.scenes));
        reads.push((*path, name, format, read));
    }
    let mut skipped = Vec::new();
    for (path, name, format, mut read) in reads {
        let (source_id, _) = register(&dataset, path, SourceKind::Detections, format.name())?;
        for scene in &mut read.scenes {
            scene.source_id = source_id;
        }
        for detection in &mut read.detections {
            detection.source_id = source_id;
        }
        dataset.catalog_mut().put_scenes(&read.scenes)?;
        dataset.catalog_mut().put_detections(&read.detections)?;
        let not_vessels = if read.not_vessels > 0 {
            format!(", {} not vessels passed over", read.not_vessels)
        } else {
            String::new()
        };
        note!(
            "{name} ({}): {} detections, {} scenes{not_vessels}",
            format.name(),
            read.detections.len(),
            read.scenes.len()
        );
        skipped.extend(read.skipped);
    }
    report_skipped(&skipped);
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ObservationsArgs {
    #[command(subcommand)]
    command: ObservationsCommand,
}

#[derive(Subcommand)]
enum ObservationsCommand {
    /// Import facility observations: CSV with `site, time, object_class,
    /// count` (and optionally `site_name, lat, lon, source`).
    Import(ObservationsImportArgs),
}

#[derive(Args)]
struct ObservationsImportArgs {
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
}

pub fn observations(args: &ObservationsArgs) -> Result<ExitCode> {
    let ObservationsCommand::Import(args) = &args.command;
    let mut dataset = Dataset::open(&args.data)?;
    let mut skipped = Vec::new();
    let mut sites: HashMap<String, usize> = HashMap::new();
    let mut reads = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let read = read_observations(&name, &read_text(path)?).map_err(anyhow::Error::msg)?;
        reads.push((path, name, read));
    }
    for (path, name, mut read) in reads {
        let (source_id, _) = register(&dataset, path, SourceKind::Observations, "csv")?;
        for observation in &mut read.observations {
            observation.source_id = source_id;
            *sites.entry(format!("{} {}", observation.site, observation.object.as_str())).or_default() += 1;
        }
        dataset.catalog_mut().put_observations(&read.observations)?;
        note!("{name}: {} observations", read.observations.len());
        skipped.extend(read.skipped);
    }
    let mut series: Vec<_> = sites.into_iter().collect();
    series.sort();
    for (site, count) in series {
        note!("  {site}: {count}");
    }
    report_skipped(&skipped);
    Ok(ExitCode::SUCCESS)
}
