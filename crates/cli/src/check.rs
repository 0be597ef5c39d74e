//! `tumen check`: is the dataset whole? What the catalog names is on disk,
//! no transmission's record is in the archive twice, and which sources
//! were left part-read. It reads beside a running writer and changes
//! nothing; problems make the exit status 1, each said with what to do.
//! `--repair` (as the dataset's one writer) makes a dataset that lost
//! files readable again: the catalog forgets the parts and reject files
//! that are gone, saying how many rows went with them and from which
//! sources.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use tumen_store::day_name;
use tumen_store::{Dataset, PartRecord, SourceKind, SourceStatus};

#[derive(Args)]
pub struct CheckArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Forget the files that are gone, so every reader works again (the
    /// rows they held are lost: say which); takes the dataset's write lock.
    #[arg(long)]
    repair: bool,
    #[command(flatten)]
    output: crate::output::FormatArgs,
}

/// One thing found, a problem or a note.
struct Finding {
    problem: bool,
    what: &'static str,
    detail: String,
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    if args.repair {
        return repair(args);
    }
    let dataset = Dataset::open_read_only(&args.data).with_context(|| format!("opening {}", args.data.display()))?;
    let catalog = dataset.catalog();
    let root = dataset.root();
    let mut found = Vec::new();
    for file in catalog.reject_files()? {
        if !root.join(&file).is_file() {
            found.push(Finding {
                problem: true,
                what: "missing rejects",
                detail: format!(
                    "{file}: named by the catalog, not on disk (the rejected lines are lost; their counts are kept)"
                ),
            });
        }
    }
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    for day in catalog.days()? {
        let mut whole = true;
        for PartRecord { file, .. } in catalog.parts_of_day(day)? {
            if !root.join(&file).is_file() {
                whole = false;
                found.push(Finding {
                    problem: true,
                    what: "missing part",
                    detail: format!(
                        "{file}: named by the catalog, not on disk (its rows are lost; a file moved or deleted by hand?)"
                    ),
                });
            }
        }
        if !whole {
            continue;
        }
        // Each archived row cites one line of one source; a line cited twice
        // was written twice (two writers at once, or parts restored by hand).
        let mut seen: HashSet<u64> = HashSet::new();
        let (mut rows, mut repeated) = (0u64, 0u64);
        dataset.for_each_position_of_day(day, |row| {
            rows += 1;
            if !seen.insert(hasher.hash_one((row.origin.source_id, row.origin.line))) {
                repeated += 1;
            }
        })?;
        if repeated > 0 {
            found.push(Finding {
                problem: true,
                what: "repeated rows",
                detail: format!(
                    "{}: {repeated} of {rows} rows cite a source line another row already cites",
                    day_name(day)
                ),
            });
        }
    }
    for source in catalog.sources()?.iter().filter(|s| s.kind == SourceKind::File && s.status != SourceStatus::Done) {
        found.push(Finding {
            problem: false,
            what: "part-read source",
            detail: format!(
                "source {} ({}): read to line {} and stopped; ingest the file again to finish it",
                source.id, source.location, source.lines
            ),
        });
    }
    let problems = found.iter().filter(|f| f.problem).count();
    let mut out = io::stdout().lock();
    for finding in &found {
        if args.output.json() {
            let line = serde_json::json!({"problem": finding.problem, "what": finding.what, "detail": finding.detail});
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "{}: {}", finding.what, finding.detail)?;
        }
    }
    if !args.output.json() {
        match problems {
            0 => writeln!(out, "{}: whole — every part on disk, no source line archived twice", args.data.display())?,
            n => writeln!(
                out,
                "{}: {n} problem{} (see above); `tumen check --repair` makes it readable again, and the lost rows come back only by ingesting their sources into a new dataset",
                args.data.display(),
                if n == 1 { "" } else { "s" }
            )?,
        }
    }
    Ok(if problems == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `--repair`: forgets the part and reject files the catalog names that are
/// not on disk.
fn repair(args: &CheckArgs) -> Result<ExitCode> {
    let mut dataset = Dataset::open(&args.data).with_context(|| format!("opening {}", args.data.display()))?;
    let root = dataset.root().to_path_buf();
    let mut out = io::stdout().lock();
    let said = |out: &mut dyn Write, what: &str, detail: String| -> io::Result<()> {
        if args.output.json() {
            writeln!(out, "{}", serde_json::json!({"repaired": what, "detail": detail}))
        } else {
            writeln!(out, "{what}: {detail}")
        }
    };
    let mut repaired = 0;
    for file in dataset.catalog().reject_files()? {
        if !root.join(&file).is_file() {
            dataset.catalog_mut().forget_reject_file(&file)?;
            said(&mut out, "forgot rejects", format!("{file} (its rejected lines are lost; their counts are kept)"))?;
            repaired += 1;
        }
    }
    for day in dataset.catalog().days()? {
        for PartRecord { id, file, rows, source_id, .. } in dataset.catalog().parts_of_day(day)? {
            if root.join(&file).is_file() {
                continue;
            }
            dataset.catalog_mut().forget_part(id)?;
            let from = match source_id {
                Some(source) => format!("lines of source {source}"),
                None => format!("a compacted part of {}", day_name(day)),
            };
            said(
                &mut out,
                "forgot part",
                format!(
                    "{file}: {rows} rows ({from}) are lost; ingest their sources into a new dataset to have them again"
                ),
            )?;
            repaired += 1;
        }
    }
    if !args.output.json() {
        match repaired {
            0 => writeln!(out, "{}: nothing to repair", args.data.display())?,
            n => writeln!(
                out,
                "{}: {n} missing file{} forgotten; readers work again",
                args.data.display(),
                if n == 1 { "" } else { "s" }
            )?,
        }
    }
    Ok(ExitCode::SUCCESS)
}
