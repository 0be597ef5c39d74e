//! The UN Security Council 1718 Committee's designated vessels, as the
//! table is transcribed to CSV: `vessel_name, imo_number,
//! designated_owner, mmsi, flag, call_sign, other_information, type,
//! date_of_designation`. Several values in one cell are numbered: `1: X
//! 2: Y`. The list has no ids: an entry is known by its IMO number, else
//! its first name.

use super::{Csv, Lines, Skipped, cell};
use crate::entry::WatchEntry;
use crate::text::{imos_in, multi_values, name_and_former};

pub(super) fn read(text: &str, file: &str, skipped: &mut Vec<Skipped>) -> Vec<WatchEntry> {
    let lines = Lines::new(text);
    let mut csv = Csv::new(text, true);
    let Some(columns) = csv.header(1, file, skipped) else { return Vec::new() };
    let column = |name: &str| columns.index(name);
    let (name_col, imo_col, owner_col, mmsi_col) =
        (column("vessel_name"), column("imo_number"), column("designated_owner"), column("mmsi"));
    let (flag_col, call_col, info_col, type_col, date_col) = (
        column("flag"),
        column("call_sign"),
        column("other_information"),
        column("type"),
        column("date_of_designation"),
    );
    let mut entries = Vec::new();
    for (line, record) in csv.rows(&lines, 0, file, skipped) {
        let names = cell(&record, name_col).map(multi_values).unwrap_or_default();
        let Some(first) = names.first() else {
            skipped.push(Skipped { file: file.to_owned(), line, reason: "no vessel_name".into() });
            continue;
        };
        let (name, mut former) = name_and_former(first);
        let info = cell(&record, info_col).unwrap_or("");
        let mut entry = WatchEntry {
            list: "un-1718".into(),
            name,
            vessel_type: cell(&record, type_col).map(str::to_owned),
            designated: cell(&record, date_col).map(str::to_owned),
            programs: vec!["UN 1718 (DPRK)".into()],
            line,
            remarks: info.to_owned(),
            ..WatchEntry::default()
        };
        // Later names of the cell are the names it also went by.
        for other in &names[1..] {
            let (other, more) = name_and_former(other);
            former.push(other);
            former.extend(more);
        }
        for name in former {
            WatchEntry::push_unique(&mut entry.former_names, &name);
        }
        for value in cell(&record, imo_col).map(multi_values).unwrap_or_default() {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            WatchEntry::push_unique(&mut entry.imos, &digits);
        }
        for imo in imos_in(info) {
            WatchEntry::push_unique(&mut entry.imos, &imo);
        }
        for (col, values) in [
            (mmsi_col, &mut entry.mmsis),
            (flag_col, &mut entry.flags),
            (call_col, &mut entry.call_signs),
            (owner_col, &mut entry.owners),
        ] {
            for value in cell(&record, col).map(multi_values).unwrap_or_default() {
                WatchEntry::push_unique(values, &value);
            }
        }
        entry.id = entry.imos.first().map_or_else(|| format!("name:{}", entry.name), |imo| format!("imo:{imo}"));
        entries.push(entry);
    }
    entries
}
