//! `tumen lists`: watch lists imported into the dataset.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use tumen_screen::{ListFormat, WatchEntry, read_lists};
use tumen_store::{Dataset, SourceKind};

use crate::output::{Align, Table, note};

#[derive(Args)]
pub struct ListsArgs {
    #[command(subcommand)]
    command: ListsCommand,
}

#[derive(Subcommand)]
enum ListsCommand {
    /// Import a watch list: OFAC sdn.csv (with its alt.csv in the same
    /// command), the UN 1718 vessels table (CSV), an EU annex table (CSV),
    /// the UK Sanctions List CSV, or OpenSanctions FollowTheMoney JSON lines
    /// — told from the content. A list imported again replaces its earlier
    /// version; what was added, removed and changed is reported. An import
    /// that would remove over half of a list, or reads as another format
    /// than the list's last import, is refused unless `--replace` is given
    /// (a truncated or malformed download must not empty a sanctions list).
    Import(ImportArgs),
    /// List the imported watch lists, or their entries.
    List(ListArgs),
}

#[derive(Args)]
struct ImportArgs {
    /// The list's file(s).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The format, when the content does not tell (ofac-sdn, ofac-xml,
    /// un-1718, eu, uk, opensanctions).
    #[arg(long, value_parser = parse_format)]
    format: Option<ListFormat>,
    /// The name to keep the list under (default: the list's, e.g. ofac-sdn
    /// from sdn.csv or SDN_ADVANCED.xml); lists of one format from two
    /// publishers need two names.
    #[arg(long)]
    list: Option<String>,
    /// Replace the stored list even when this import would remove most of
    /// it or reads as another format.
    #[arg(long)]
    replace: bool,
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
}

#[derive(Args)]
struct ListArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Print the entries (of this list, or all with --entries all).
    #[arg(long)]
    entries: Option<String>,
    #[arg(long, value_enum, default_value_t = Output::Table)]
    format: Output,
}

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    Table,
    /// JSON lines.
    Json,
}

fn parse_format(text: &str) -> Result<ListFormat, String> {
    ListFormat::parse(text).ok_or_else(|| format!("not one of {}", ListFormat::NAMES.join(", ")))
}

pub fn run(args: &ListsArgs) -> Result<ExitCode> {
    match &args.command {
        ListsCommand::Import(args) => import(args),
        ListsCommand::List(args) => list(args),
    }
}

fn import(args: &ImportArgs) -> Result<ExitCode> {
    let mut files = Vec::new();
    for path in &args.files {
        let text = crate::sources::read_text(path)?;
        files.push((path.display().to_string(), text));
    }
    let read = read_lists(&files, args.format)?;
    let name = args.list.clone().unwrap_or_else(|| read.list.clone());
    let mut dataset = Dataset::open(&args.data)?;
    let entries_json = |source_id: u32, imported_unix_ms: i64| -> Result<Vec<(String, String)>> {
        let mut rows = Vec::with_capacity(read.entries.len());
        for entry in &read.entries {
            let entry = WatchEntry { list: name.clone(), source_id, imported_unix_ms, ..entry.clone() };
            rows.push((entry.id.clone(), serde_json::to_string(&entry)?));
        }
        Ok(rows)
    };
    // Weigh the replacement before anything is recorded.
    if !args.replace
        && let Some(refusal) = replacement_refused(&dataset, &name, read.format.name(), &entries_json(0, 0)?)?
    {
        crate::sources::report_skipped(&read.skipped);
        anyhow::bail!(
            "{refusal}; nothing was changed (--replace replaces it anyway, --list NAME keeps this one apart)"
        );
    }
    let main_file = args.files.iter().find(|p| p.display().to_string() == read.file).unwrap_or(&args.files[0]);
    let (source_id, imported) = crate::sources::register(&dataset, main_file, SourceKind::List, read.format.name())?;
    let rows = entries_json(source_id, imported.unix_ms())?;
    let file_names: Vec<String> = files.iter().map(|(f, _)| f.clone()).collect();
    let changes = dataset.catalog_mut().put_watch_list(&name, read.format.name(), &file_names.join(","), &rows)?;
    note!(
        "{name} ({}): {} vessels; {} added, {} removed, {} changed",
        read.format.name(),
        rows.len(),
        changes.added.len(),
        changes.removed.len(),
        changes.changed.len()
    );
    for (what, ids) in [("removed", &changes.removed), ("changed", &changes.changed)] {
        if !ids.is_empty() && ids.len() <= 20 {
            note!("  {what}: {}", ids.join(", "));
        }
    }
    crate::sources::report_skipped(&read.skipped);
    Ok(ExitCode::SUCCESS)
}

/// Share of a stored list an import may remove without `--replace`.
const MOST_REMOVED: f64 = 0.5;

/// Why replacing list `name` with `entries` looks like a mistake, if it
/// does: it reads as another format than the list's last import, or it
/// would remove more than half of a list of several entries.
fn replacement_refused(
    dataset: &Dataset,
    name: &str,
    format: &str,
    entries: &[(String, String)],
) -> Result<Option<String>> {
    let catalog = dataset.catalog();
    let Some(stored) = catalog.watch_lists()?.into_iter().find(|l| l.name == name) else { return Ok(None) };
    if stored.format != format {
        return Ok(Some(format!(
            "refusing to replace {name}: it was imported from {} as {}, and this reads as {format}",
            stored.files, stored.format
        )));
    }
    let changes = catalog.watch_list_changes(name, entries)?;
    let removed = changes.removed.len() as f64;
    if stored.entries >= 4 && removed > MOST_REMOVED * stored.entries as f64 {
        return Ok(Some(format!(
            "refusing to replace {name}: this import would remove {} of its {} entries and keep {} (a truncated or malformed file? {} rows read)",
            changes.removed.len(),
            stored.entries,
            stored.entries as usize - changes.removed.len(),
            entries.len()
        )));
    }
    Ok(None)
}

fn list(args: &ListArgs) -> Result<ExitCode> {
    let dataset = Dataset::open_read_only(&args.data)?;
    let mut out = io::stdout().lock();
    match &args.entries {
        None => {
            let lists = dataset.catalog().watch_lists()?;
            match args.format {
                Output::Table => {
                    if lists.is_empty() {
                        eprintln!("no lists imported yet: `tumen lists import FILE` imports one");
                    }
                    let mut table = Table::new(&[
                        ("LIST", Align::Left),
                        ("FORMAT", Align::Left),
                        ("VESSELS", Align::Right),
                        ("IMPORTED", Align::Left),
                        ("FILES", Align::Left),
                    ]);
                    for l in lists {
                        table.row(vec![l.name, l.format, l.entries.to_string(), l.imported.to_string(), l.files]);
                    }
                    if !table.is_empty() {
                        table.write(&mut out)?;
                    }
                }
                Output::Json => {
                    for l in lists {
                        let json = serde_json::json!({"list": l.name, "format": l.format, "vessels": l.entries,
                            "imported": l.imported, "files": l.files.split(',').collect::<Vec<_>>()});
                        writeln!(out, "{json}")?;
                    }
                }
            }
        }
        Some(which) => {
            let lists = dataset.catalog().watch_lists()?;
            if which != "all" && !lists.iter().any(|l| l.name == *which) {
                let names: Vec<&str> = lists.iter().map(|l| l.name.as_str()).collect();
                let known = if names.is_empty() { "none is imported yet".to_owned() } else { names.join(", ") };
                anyhow::bail!("no list {which:?} in the dataset (lists: {known}; --entries all prints every entry)");
            }
            let mut table = Table::new(&[
                ("LIST", Align::Left),
                ("ID", Align::Left),
                ("NAME", Align::Left),
                ("IMO", Align::Left),
                ("MMSI", Align::Left),
                ("FORMER NAMES", Align::Left),
            ]);
            for tumen_store::WatchEntryRecord { list, entry: json, .. } in dataset.catalog().watch_entries()? {
                if which != "all" && *which != list {
                    continue;
                }
                let entry: WatchEntry = serde_json::from_str(&json)?;
                match args.format {
                    Output::Json => writeln!(out, "{json}")?,
                    Output::Table => table.row(vec![
                        entry.list,
                        entry.id,
                        entry.name,
                        entry.imos.join(","),
                        entry.mmsis.join(","),
                        entry.former_names.join("; "),
                    ]),
                }
            }
            if !table.is_empty() {
                table.write(&mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
