//! An EU regulation annex's vessel table (e.g. Regulation 833/2014 Annex
//! XLII, 2017/1509), as CSV: a name column (former names in parentheses)
//! and an IMO column at least; a date, program or annex column when
//! present. No ids: an entry is known by its IMO number, else its name.

use super::{Csv, Lines, Skipped, cell};
use crate::entry::WatchEntry;
use crate::text::{imos_in, name_and_former};

pub(super) fn read(text: &str, file: &str, skipped: &mut Vec<Skipped>) -> Vec<WatchEntry> {
    let lines = Lines::new(text);
    let mut csv = Csv::new(text, true);
    let Some(columns) = csv.header(1, file, skipped) else { return Vec::new() };
    let name_col = columns.containing("name");
    let imo_col = columns.containing("imo");
    let date_col = columns.containing("date");
    let program_col = columns.containing("annex").or_else(|| columns.containing("regulation"));
    let flag_col = columns.containing("flag");
    let mut entries = Vec::new();
    for (line, record) in csv.rows(&lines, 0, file, skipped) {
        let Some(raw_name) = cell(&record, name_col) else {
            skipped.push(Skipped { file: file.to_owned(), line, reason: "no name".into() });
            continue;
        };
        let (name, former) = name_and_former(raw_name);
        let mut entry = WatchEntry {
            list: "eu".into(),
            name,
            designated: cell(&record, date_col).map(str::to_owned),
            line,
            ..WatchEntry::default()
        };
        for former in former {
            WatchEntry::push_unique(&mut entry.former_names, &former);
        }
        if let Some(imo) = cell(&record, imo_col) {
            let digits: String = imo.chars().filter(char::is_ascii_digit).collect();
            WatchEntry::push_unique(&mut entry.imos, &digits);
        }
        for imo in imos_in(raw_name) {
            WatchEntry::push_unique(&mut entry.imos, &imo);
        }
        if let Some(program) = cell(&record, program_col) {
            WatchEntry::push_unique(&mut entry.programs, program);
        }
        if let Some(flag) = cell(&record, flag_col) {
            WatchEntry::push_unique(&mut entry.flags, flag);
        }
        entry.id = entry.imos.first().map_or_else(|| format!("name:{}", entry.name), |imo| format!("imo:{imo}"));
        entries.push(entry);
    }
    entries
}
