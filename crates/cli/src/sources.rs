//! Files other than AIS (watch lists, detections, observations) as dataset
//! sources: registered by content hash like AIS files, so every record read
//! from them is cited by source id and line, and the same content is the
//! same source.

use std::path::Path;

use anyhow::{Context, Result};
use tumen_ingest::content_hash;
use tumen_model::Timestamp;
use tumen_store::{Dataset, NewSource, ReceiverKind, SourceKind};

/// Registers `path` as a source of `kind` (a list, detections,
/// observations) unless its content is registered already: its id and
/// when it was first registered.
pub fn register(dataset: &Dataset, path: &Path, kind: SourceKind, format: &str) -> Result<(u32, Timestamp)> {
    let hash = content_hash(path).with_context(|| format!("reading {}", path.display()))?;
    let catalog = dataset.catalog();
    let source = match catalog.source_by_hash(&hash)? {
        Some(source) => source,
        None => {
            let size = std::fs::metadata(path).map(|m| m.len()).ok();
            let location = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
            let source = catalog.begin_source(&NewSource {
                kind,
                location: &location.display().to_string(),
                content_hash: Some(&hash),
                size_bytes: size,
                format,
                receivers: None,
            })?;
            catalog.finish_source(source.id, "{}")?;
            source
        }
    };
    Ok((source.id, source.started))
}

/// `--receivers`' parser: one of the receiver kinds.
pub fn receiver_kind() -> impl clap::builder::TypedValueParser<Value = ReceiverKind> {
    crate::lookup::one_of(ReceiverKind::ALL.iter().map(|k| k.as_str()), ReceiverKind::parse)
}

/// A file's text: UTF-8 (a byte-order mark dropped), else Latin-1, so no
/// row is lost to an encoding.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    })
}

/// Prints what was skipped (the first 20, and how many in all).
pub fn report_skipped(skipped: &[tumen_table::Skipped]) {
    if skipped.is_empty() {
        return;
    }
    eprintln!("{} row(s) skipped:", skipped.len());
    for s in skipped.iter().take(20) {
        eprintln!("  {}:{}: {}", s.file, s.line, s.reason);
    }
}
