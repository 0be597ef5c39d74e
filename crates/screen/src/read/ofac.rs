//! OFAC's `sdn.csv` and `alt.csv` (no headers; `-0-` is null). Vessels are
//! rows whose `SDN_Type` is `vessel`; their IMO number, MMSI and former
//! flags are inside the free-text `Remarks` (two spellings of the IMO
//! label over the years); former names are `fka` rows of `alt.csv`.

use super::{Csv, Lines, Skipped, cell};
use crate::entry::WatchEntry;
use crate::text::{imos_in, mmsis_in};

const ENT_NUM: usize = 0;
const NAME: usize = 1;
const SDN_TYPE: usize = 2;
const PROGRAM: usize = 3;
const CALL_SIGN: usize = 5;
const VESSEL_TYPE: usize = 6;
const FLAG: usize = 9;
const OWNER: usize = 10;
const REMARKS: usize = 11;
const COLUMNS: usize = 12;

pub(super) fn read_sdn(text: &str, file: &str, skipped: &mut Vec<Skipped>) -> Vec<WatchEntry> {
    let lines = Lines::new(text);
    let mut entries = Vec::new();
    for (line, record) in Csv::new(text, false).rows(&lines, 0, file, skipped) {
        // The file ends with a DOS end-of-file character on a line of its own.
        if record.len() == 1 && record.get(0).is_some_and(|c| c.trim_matches(['\u{1a}', ' ']).is_empty()) {
            continue;
        }
        if record.len() < COLUMNS {
            skipped.push(Skipped {
                file: file.to_owned(),
                line,
                reason: format!("{} fields where sdn.csv has {COLUMNS}", record.len()),
            });
            continue;
        }
        if cell(&record, Some(SDN_TYPE)).is_none_or(|t| !t.eq_ignore_ascii_case("vessel")) {
            continue;
        }
        let (Some(id), Some(name)) = (cell(&record, Some(ENT_NUM)), cell(&record, Some(NAME))) else {
            skipped.push(Skipped {
                file: file.to_owned(),
                line,
                reason: "a vessel without entity number or name".into(),
            });
            continue;
        };
        let remarks = cell(&record, Some(REMARKS)).unwrap_or("");
        let mut entry = WatchEntry {
            list: "ofac-sdn".into(),
            id: id.to_owned(),
            name: name.to_owned(),
            imos: imos_in(remarks),
            mmsis: mmsis_in(remarks),
            vessel_type: cell(&record, Some(VESSEL_TYPE)).map(str::to_owned),
            line,
            remarks: remarks.to_owned(),
            ..WatchEntry::default()
        };
        if let Some(programs) = cell(&record, Some(PROGRAM)) {
            // `DPRK3] [RUSSIA-EO14024`: brackets between programs.
            for program in programs.split("] [") {
                WatchEntry::push_unique(&mut entry.programs, program.trim_matches(['[', ']', ' ']));
            }
        }
        for (column, values) in
            [(CALL_SIGN, &mut entry.call_signs), (FLAG, &mut entry.flags), (OWNER, &mut entry.owners)]
        {
            if let Some(value) = cell(&record, Some(column)) {
                WatchEntry::push_unique(values, value);
            }
        }
        for item in remarks.split(';').map(str::trim) {
            if let Some(flag) = item.strip_prefix("Former Vessel Flag") {
                WatchEntry::push_unique(&mut entry.former_flags, flag.trim().trim_end_matches('.'));
            } else if let Some(linked) = item.strip_prefix("Linked To:") {
                WatchEntry::push_unique(&mut entry.owners, linked.trim().trim_end_matches('.'));
            }
        }
        entries.push(entry);
    }
    entries
}

/// `alt.csv`: `ent_num, alt_num, alt_type, alt_name, alt_remarks`; `fka`
/// names are former names, `aka` and `nka` aliases. Rows of entities that
/// are not vessels of `entries` are other parties': passed over.
pub(super) fn add_alt_names(entries: &mut [WatchEntry], text: &str, file: &str, skipped: &mut Vec<Skipped>) {
    let lines = Lines::new(text);
    let by_id: std::collections::HashMap<String, usize> =
        entries.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
    for (line, record) in Csv::new(text, false).rows(&lines, 0, file, skipped) {
        if record.len() == 1 && record.get(0).is_some_and(|c| c.trim_matches(['\u{1a}', ' ']).is_empty()) {
            continue;
        }
        if record.len() < 4 {
            skipped.push(Skipped {
                file: file.to_owned(),
                line,
                reason: format!("{} fields where alt.csv has 5", record.len()),
            });
            continue;
        }
        let (Some(id), Some(kind), Some(name)) =
            (cell(&record, Some(0)), cell(&record, Some(2)), cell(&record, Some(3)))
        else {
            continue;
        };
        let Some(&index) = by_id.get(id) else { continue };
        let entry = &mut entries[index];
        match kind.to_ascii_lowercase().as_str() {
            "fka" => WatchEntry::push_unique(&mut entry.former_names, name),
            _ => WatchEntry::push_unique(&mut entry.aliases, name),
        }
    }
}
