//! OpenSanctions' FollowTheMoney entities, one JSON object per line;
//! vessels have `schema` = `Vessel`, and their properties are arrays:
//! `name`, `alias`, `previousName`, `imoNumber` (`IMO1234567`), `mmsi`,
//! `callSign`, `flag`, `pastFlags`, `type`, `topics`, `program`,
//! `createdAt`/`first_seen`.

use serde_json::Value;

use super::Skipped;
use crate::entry::WatchEntry;
use crate::text::imos_in;

pub(super) fn read(text: &str, file: &str, skipped: &mut Vec<Skipped>) -> Vec<WatchEntry> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                skipped.push(Skipped { file: file.to_owned(), line: line_number, reason: format!("not JSON: {e}") });
                continue;
            }
        };
        if value["schema"] != "Vessel" {
            continue;
        }
        let property = |key: &str| -> Vec<String> {
            value["properties"][key]
                .as_array()
                .map(|values| values.iter().filter_map(|v| v.as_str()).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let names = property("name");
        let (Some(id), Some(name)) = (value["id"].as_str(), names.first()) else {
            skipped.push(Skipped {
                file: file.to_owned(),
                line: line_number,
                reason: "a vessel without id or name".into(),
            });
            continue;
        };
        let mut entry = WatchEntry {
            list: "opensanctions".into(),
            id: id.to_owned(),
            name: name.clone(),
            line: line_number,
            designated: value["first_seen"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| property("createdAt").first().cloned()),
            vessel_type: property("type").first().cloned(),
            ..WatchEntry::default()
        };
        for (key, values) in [
            ("alias", &mut entry.aliases),
            ("previousName", &mut entry.former_names),
            ("mmsi", &mut entry.mmsis),
            ("callSign", &mut entry.call_signs),
            ("flag", &mut entry.flags),
            ("pastFlags", &mut entry.former_flags),
            ("owner", &mut entry.owners),
        ] {
            for v in property(key) {
                WatchEntry::push_unique(values, &v);
            }
        }
        // Programs, and the topics OpenSanctions tags (`sanction`, `poi`, …).
        for v in property("program").into_iter().chain(property("topics")) {
            WatchEntry::push_unique(&mut entry.programs, &v);
        }
        for other in &names[1..] {
            WatchEntry::push_unique(&mut entry.aliases, other);
        }
        for imo in property("imoNumber") {
            // `IMO1234567`, or the bare digits.
            let digits: Vec<String> = if imo.chars().all(|c| c.is_ascii_digit()) { vec![imo] } else { imos_in(&imo) };
            for d in digits {
                WatchEntry::push_unique(&mut entry.imos, &d);
            }
        }
        entries.push(entry);
    }
    entries
}
