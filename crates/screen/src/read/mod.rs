//! Reading watch lists: the format is told from the content (or given),
//! rows that cannot be read are skipped with their file, line and reason
//! and the rest is kept.

mod eu;
mod ftm;
mod ofac;
mod ofac_xml;
mod uk;
mod un;

pub use tumen_table::Skipped;
use tumen_table::{Csv, Lines, cell, csv_fields};

use crate::entry::WatchEntry;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    /// OFAC `sdn.csv` (no header, 12 columns).
    OfacSdnCsv,
    /// OFAC `alt.csv` (no header, 5 columns): read with its `sdn.csv`.
    OfacAltCsv,
    /// OFAC's advanced XML (`SDN_ADVANCED.xml`, `CONS_ADVANCED.xml`).
    OfacAdvancedXml,
    /// The UN 1718 Committee's designated vessels table, as CSV.
    Un1718Csv,
    /// An EU annex vessel table, as CSV (name and IMO number at least).
    EuCsv,
    /// The UK Sanctions List CSV.
    UkCsv,
    /// OpenSanctions FollowTheMoney entities, JSON lines.
    OpenSanctionsFtm,
}

impl ListFormat {
    pub const NAMES: [&'static str; 7] = ["ofac-sdn", "ofac-alt", "ofac-xml", "un-1718", "eu", "uk", "opensanctions"];

    pub fn name(self) -> &'static str {
        match self {
            ListFormat::OfacSdnCsv => "ofac-sdn",
            ListFormat::OfacAltCsv => "ofac-alt",
            ListFormat::OfacAdvancedXml => "ofac-xml",
            ListFormat::Un1718Csv => "un-1718",
            ListFormat::EuCsv => "eu",
            ListFormat::UkCsv => "uk",
            ListFormat::OpenSanctionsFtm => "opensanctions",
        }
    }

    pub fn parse(name: &str) -> Option<ListFormat> {
        [
            ListFormat::OfacSdnCsv,
            ListFormat::OfacAltCsv,
            ListFormat::OfacAdvancedXml,
            ListFormat::Un1718Csv,
            ListFormat::EuCsv,
            ListFormat::UkCsv,
            ListFormat::OpenSanctionsFtm,
        ]
        .into_iter()
        .find(|f| f.name() == name)
    }

    /// The format of a list file, from its first lines.
    pub fn detect(text: &str) -> Option<ListFormat> {
        let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
        if first.starts_with('{') {
            return Some(ListFormat::OpenSanctionsFtm);
        }
        if first.starts_with('<') {
            // The root element `<Sanctions …>` follows the declaration.
            let end = (0..=text.len().min(4096)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let head = &text[..end];
            return head.contains("<Sanctions").then_some(ListFormat::OfacAdvancedXml);
        }
        let head: String = text.lines().take(3).collect::<Vec<_>>().join("\n").to_ascii_lowercase();
        if head.contains("vessel_name") && head.contains("imo_number") {
            return Some(ListFormat::Un1718Csv);
        }
        if head.contains("report date") || head.contains("designation type") || head.contains("name 6") {
            return Some(ListFormat::UkCsv);
        }
        let fields = csv_fields(first);
        let numbered = fields.first().is_some_and(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
        if numbered && fields.len() >= 12 {
            return Some(ListFormat::OfacSdnCsv);
        }
        if numbered && fields.len() == 5 && fields.get(2).is_some_and(|t| matches!(t.trim(), "aka" | "fka" | "nka")) {
            return Some(ListFormat::OfacAltCsv);
        }
        let header = first.to_ascii_lowercase();
        if header.contains("name") && header.contains("imo") {
            return Some(ListFormat::EuCsv);
        }
        None
    }
}

/// What reading gave.
#[derive(Debug)]
pub struct ListRead {
    pub format: ListFormat,
    /// The list's name unless the user gives one: the entries' own
    /// (`ofac-sdn` from sdn.csv and SDN_ADVANCED.xml alike), else the
    /// format's.
    pub list: String,
    /// The file the entries were read from (OFAC's sdn.csv, not alt.csv).
    pub file: String,
    pub entries: Vec<WatchEntry>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(
        "{file}: not a watch list Tumen reads (OFAC sdn.csv/alt.csv or SDN_ADVANCED.xml, UN 1718, EU or UK CSV, OpenSanctions JSON lines); name the format with --format"
    )]
    Unrecognized { file: String },
    #[error("{file}: an OFAC alt.csv is read with its sdn.csv: give both in one import")]
    AltWithoutSdn { file: String },
    #[error("{file}:{line}: {reason}; nothing of it was imported")]
    Malformed { file: String, line: u64, reason: String },
    #[error("{first} is {first_format} but {file} is {format}: import one list at a time")]
    Mixed { first: String, first_format: &'static str, file: String, format: &'static str },
}

/// Reads one list from `files` (`(name, text)`): one file, or OFAC's
/// `sdn.csv` with its `alt.csv`. Every entry is a vessel; entries of other
/// kinds (people, companies) are passed over without a word.
/// The longest name, alias or former name a list entry may have: lists'
/// vessel names run to a few dozen characters (AIS carries 20).
pub const MAX_NAME_CHARS: usize = 200;

pub fn read_lists(files: &[(String, String)], format: Option<ListFormat>) -> Result<ListRead, ReadError> {
    let mut skipped = Vec::new();
    let mut main: Option<(ListFormat, &str, &str)> = None;
    let mut alts: Vec<(&str, &str)> = Vec::new();
    for (file, text) in files {
        let detected = match format {
            Some(f) if f != ListFormat::OfacSdnCsv || ListFormat::detect(text) != Some(ListFormat::OfacAltCsv) => f,
            _ => ListFormat::detect(text).ok_or_else(|| ReadError::Unrecognized { file: file.clone() })?,
        };
        if detected == ListFormat::OfacAltCsv {
            alts.push((file, text));
            continue;
        }
        match main {
            Some((first_format, first, _)) => {
                return Err(ReadError::Mixed {
                    first: first.to_owned(),
                    first_format: first_format.name(),
                    file: file.clone(),
                    format: detected.name(),
                });
            }
            None => main = Some((detected, file, text)),
        }
    }
    let Some((format, file, text)) = main else {
        let file = alts.first().map_or_else(String::new, |(f, _)| (*f).to_owned());
        return Err(ReadError::AltWithoutSdn { file });
    };
    if format != ListFormat::OfacSdnCsv
        && let Some((alt, _)) = alts.first()
    {
        return Err(ReadError::Mixed {
            first: file.to_owned(),
            first_format: format.name(),
            file: (*alt).to_owned(),
            format: ListFormat::OfacAltCsv.name(),
        });
    }
    let entries =
        match format {
            ListFormat::OfacSdnCsv => {
                let mut entries = ofac::read_sdn(text, file, &mut skipped);
                for (alt_file, alt_text) in alts {
                    ofac::add_alt_names(&mut entries, alt_text, alt_file, &mut skipped);
                }
                entries
            }
            ListFormat::OfacAltCsv => unreachable!("alt files are set aside above"),
            ListFormat::OfacAdvancedXml => ofac_xml::read(text, file, &mut skipped)
                .map_err(|m| ReadError::Malformed { file: file.to_owned(), line: m.line, reason: m.reason })?,
            ListFormat::Un1718Csv => un::read(text, file, &mut skipped),
            ListFormat::EuCsv => eu::read(text, file, &mut skipped),
            ListFormat::UkCsv => uk::read(text, file, &mut skipped),
            ListFormat::OpenSanctionsFtm => ftm::read(text, file, &mut skipped),
        };
    let mut entries = entries;
    // A name no ship could bear is a broken row (or an attack on the
    // screening's cost), not a vessel: refused with its line.
    entries.retain(|entry| {
        let longest = std::iter::once(&entry.name)
            .chain(&entry.aliases)
            .chain(&entry.former_names)
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0);
        if longest > MAX_NAME_CHARS {
            skipped.push(Skipped {
                file: file.to_owned(),
                line: entry.line,
                reason: format!("a name of {longest} characters: longer than any vessel's ({MAX_NAME_CHARS} at most)"),
            });
        }
        longest <= MAX_NAME_CHARS
    });
    make_ids_unique(&mut entries);
    let list = match entries.first() {
        Some(first) if entries.iter().all(|e| e.list == first.list) => first.list.clone(),
        _ => format.name().to_owned(),
    };
    Ok(ListRead { format, list, file: file.to_owned(), entries, skipped })
}

/// Ids repeated within a list (two unnumbered entries of one name) get
/// `#2`, `#3`… in file order, so every entry is kept and a re-import of the
/// same file names them the same.
fn make_ids_unique(entries: &mut [WatchEntry]) {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for entry in entries {
        let count = seen.entry(entry.id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            entry.id = format!("{}#{count}", entry.id);
        }
    }
}
