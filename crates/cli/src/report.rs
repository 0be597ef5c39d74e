//! `tumen report`: one self-contained HTML page of a chain or a vessel.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use tumen_chain::corridors_or_default;
use tumen_model::Timestamp;
use tumen_report::{Basemap, chain_case, render_html, vessel_case};
use tumen_store::Dataset;

use crate::config::Config;
use crate::lookup::parse_window;
use crate::output::note;
use crate::places::dataset_gazetteer;

#[derive(Args)]
pub struct ReportArgs {
    /// A chain id (or a unique beginning of one, from `tumen chains`), or a
    /// vessel's MMSI.
    subject: String,
    /// The HTML file to write (default: the subject's id, `.html`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Corridors and profiles (default: tumen.toml in the dataset
    /// directory if there is one).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A vessel report from this time (UTC; default: its first event).
    #[arg(long)]
    from: Option<String>,
    /// A vessel report up to this time (default: its last event).
    #[arg(long)]
    to: Option<String>,
}

pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let dataset = Dataset::open_read_only(&args.data)?;
    let gazetteer = dataset_gazetteer(&dataset)?;
    let case = match args.subject.parse::<u32>() {
        Ok(mmsi) if args.subject.len() == 9 => {
            let (from, to) = parse_window(args.from.as_deref(), args.to.as_deref())?;
            vessel_case(&dataset, &gazetteer, mmsi, from, to)?
        }
        _ => {
            let (config, _) = Config::for_dataset(args.config.as_deref(), &args.data)?;
            chain_case(&dataset, &gazetteer, &corridors_or_default(&config.corridor), &args.subject)?
        }
    };
    let html = render_html(&case, &Basemap::embedded(), Timestamp::now());
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from(format!("{}.html", args.subject)));
    std::fs::write(&out, &html).with_context(|| format!("writing {}", out.display()))?;
    note!(
        "{}: {} events, {} cited records, {} KB",
        out.display(),
        case.events.len() + case.context.len(),
        html.matches("<li>").count(),
        html.len() / 1024
    );
    Ok(ExitCode::SUCCESS)
}
