//! The UK Sanctions List CSV: a `Report Date` line, then a header; one row
//! per name of a designation (rows share its `Unique ID`), `Designation
//! Type` = `Ship` for vessels. Names are built from `Name 1`–`Name 6`;
//! `Name type` tells the primary name from aliases.

use std::collections::HashMap;

use super::{Csv, Lines, Skipped, cell};
use crate::entry::WatchEntry;
use crate::text::{imos_in, name_and_former};

pub(super) fn read(text: &str, file: &str, skipped: &mut Vec<Skipped>) -> Vec<WatchEntry> {
    // The header is the first line that names the designation type.
    let header_line = text
        .lines()
        .position(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("designation type") || l.contains("name 6")
        })
        .unwrap_or(0);
    let body: String = text.split_inclusive('\n').skip(header_line).collect();
    let lines = Lines::new(text);
    let body_start = (text.len() - body.len()) as u64;
    let mut csv = Csv::new(&body, true);
    let Some(columns) = csv.header(header_line as u64 + 1, file, skipped) else { return Vec::new() };
    let id_col =
        columns.index("unique id").or_else(|| columns.index("group id")).or_else(|| columns.index("ofsi group id"));
    let type_col = columns.index("designation type").or_else(|| columns.index("group type"));
    let name_cols: Vec<Option<usize>> = (1..=6).map(|n| columns.index(&format!("name {n}"))).collect();
    let name_type_col = columns.index("name type");
    let imo_col = columns.containing("imo");
    let flag_col = columns.containing("current believed flag");
    let former_flags_col = columns.containing("previous flags");
    let owner_col = columns.containing("current owner");
    let regime_col = columns.index("regime name").or_else(|| columns.containing("regime"));
    let date_col = columns.index("date designated").or_else(|| columns.containing("date designated"));
    let ship_type_col = columns.containing("type of ship");
    let info_col = columns.index("other information");
    let mut entries: Vec<WatchEntry> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (line, record) in csv.rows(&lines, body_start, file, skipped) {
        if cell(&record, type_col).is_none_or(|t| !t.eq_ignore_ascii_case("ship")) {
            continue;
        }
        let name: Vec<&str> = name_cols.iter().filter_map(|&c| cell(&record, c)).collect();
        let Some(id) = cell(&record, id_col) else {
            skipped.push(Skipped { file: file.to_owned(), line, reason: "a ship without Unique ID".into() });
            continue;
        };
        if name.is_empty() {
            skipped.push(Skipped { file: file.to_owned(), line, reason: "a ship without a name".into() });
            continue;
        }
        let (name, former) = name_and_former(&name.join(" "));
        let index = *by_id.entry(id.to_owned()).or_insert_with(|| {
            entries.push(WatchEntry { list: "uk".into(), id: id.to_owned(), line, ..WatchEntry::default() });
            entries.len() - 1
        });
        let entry = &mut entries[index];
        let primary = cell(&record, name_type_col).is_none_or(|t| t.eq_ignore_ascii_case("primary name"));
        if primary && entry.name.is_empty() {
            entry.name = name;
        } else if entry.name != name {
            WatchEntry::push_unique(&mut entry.aliases, &name);
        }
        for former in former {
            WatchEntry::push_unique(&mut entry.former_names, &former);
        }
        if let Some(imo) = cell(&record, imo_col) {
            let digits: String = imo.chars().filter(char::is_ascii_digit).collect();
            WatchEntry::push_unique(&mut entry.imos, &digits);
        }
        if let Some(info) = cell(&record, info_col) {
            for imo in imos_in(info) {
                WatchEntry::push_unique(&mut entry.imos, &imo);
            }
            if entry.remarks.is_empty() {
                entry.remarks = info.to_owned();
            }
        }
        for (col, values) in [
            (flag_col, &mut entry.flags),
            (former_flags_col, &mut entry.former_flags),
            (owner_col, &mut entry.owners),
            (regime_col, &mut entry.programs),
        ] {
            if let Some(value) = cell(&record, col) {
                for part in value.split(['(', ')']).flat_map(|p| p.split(',')) {
                    WatchEntry::push_unique(
                        values,
                        part.trim().trim_start_matches(|c: char| c.is_ascii_digit() || c == ')'),
                    );
                }
            }
        }
        entry.designated = entry.designated.take().or_else(|| cell(&record, date_col).map(str::to_owned));
        entry.vessel_type = entry.vessel_type.take().or_else(|| cell(&record, ship_type_col).map(str::to_owned));
    }
    // A designation whose rows gave only aliases: its first alias is its name.
    for entry in &mut entries {
        if entry.name.is_empty() && !entry.aliases.is_empty() {
            entry.name = entry.aliases.remove(0);
        }
    }
    entries
}
