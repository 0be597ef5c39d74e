//! OFAC's advanced XML (`SDN_ADVANCED.xml`, and `CONS_ADVANCED.xml` for
//! the consolidated non-SDN lists, same schema).
//!
//! The file is relational: `ReferenceValueSets` gives the words behind
//! numeric ids (alias types, feature types, countries…), `IDRegDocuments`
//! holds IMO numbers and MMSIs keyed by identity, `DistinctParties` the
//! parties with their names and features, `ProfileRelationships` who is
//! linked to whom, and `SanctionsEntries` programs and designation dates.
//! It is read in one streaming pass (the real file is ~100 MB: no tree is
//! built) that keeps the raw rows, then joined.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Lines, Skipped};
use crate::entry::WatchEntry;
use crate::text::{imos_in, mmsis_in};

/// The file is not well-formed XML (a truncated download, most often):
/// nothing of it is imported, since a partial list would read as removals.
#[derive(Debug)]
pub(super) struct Malformed {
    pub line: u64,
    pub reason: String,
}

pub(super) fn read(text: &str, file: &str, skipped: &mut Vec<Skipped>) -> Result<Vec<WatchEntry>, Malformed> {
    let lines = Lines::new(text);
    let rows = Rows::parse(text, &lines)?;
    for (line, entity) in &rows.unknown_entities {
        skipped.push(Skipped {
            file: file.to_owned(),
            line: *line,
            reason: format!("unknown XML entity &{entity}; kept as written in the text (the row is read)"),
        });
    }
    Ok(rows.vessels(file, skipped))
}

/// A party as the file gives it, ids unresolved.
#[derive(Default)]
struct Party {
    line: u64,
    id: String,
    profile_id: String,
    sub_type_id: String,
    identity_ids: Vec<String>,
    comment: Option<String>,
    /// (alias type id, primary, name)
    names: Vec<(String, bool, String)>,
    /// (feature type id, value)
    features: Vec<(String, FeatureValue)>,
}

enum FeatureValue {
    Text(String),
    /// A `DetailReference` id (flags and vessel types are references).
    Reference(String),
    /// A `Location` id (its country).
    Location(String),
}

#[derive(Default)]
struct RegDocument {
    type_id: String,
    identity_id: String,
    number: String,
}

#[derive(Default)]
struct SanctionsEntry {
    profile_id: String,
    list_id: String,
    /// `YYYY-MM-DD` (or shorter) of each entry event.
    dates: Vec<String>,
    /// (sanctions type id, comment)
    measures: Vec<(String, String)>,
}

/// Every row of the file that vessels need.
#[derive(Default)]
struct Rows {
    /// (`AliasType`, id) → text, for every reference value set.
    references: HashMap<(String, String), String>,
    /// `PartySubType` id → its `PartyTypeID`.
    party_type_of_sub_type: HashMap<String, String>,
    /// `Location` id → `CountryID`s.
    location_countries: HashMap<String, Vec<String>>,
    documents: Vec<RegDocument>,
    parties: Vec<Party>,
    /// (from profile, to profile)
    relationships: Vec<(String, String)>,
    entries: Vec<SanctionsEntry>,
    /// Entities neither predefined nor numeric, by line: kept as written.
    unknown_entities: Vec<(u64, String)>,
}

impl Rows {
    fn parse(text: &str, lines: &Lines) -> Result<Rows, Malformed> {
        let mut reader = Reader::from_str(text);
        let mut rows = Rows::default();
        let mut path: Vec<String> = Vec::new();
        let mut content = String::new();
        let mut cursor = Cursor::default();
        loop {
            let at = reader.buffer_position();
            let event = reader.read_event().map_err(|e| Malformed {
                line: lines.of(reader.error_position()),
                reason: format!("not well-formed XML: {e}"),
            })?;
            match event {
                Event::Start(start) => {
                    let name = local_name(&start);
                    rows.start(&name, &start, &path, &mut cursor, lines.of(at))?;
                    path.push(name);
                    content.clear();
                }
                Event::Empty(start) => {
                    let name = local_name(&start);
                    rows.start(&name, &start, &path, &mut cursor, lines.of(at))?;
                    path.push(name);
                    content.clear();
                    rows.end(&mut path, "", &mut cursor);
                }
                Event::End(_) => {
                    rows.end(&mut path, content.trim(), &mut cursor);
                    content.clear();
                }
                Event::Text(t) => content
                    .push_str(&t.xml10_content().map_err(|e| Malformed { line: lines.of(at), reason: e.to_string() })?),
                Event::CData(t) => content.push_str(&String::from_utf8_lossy(&t)),
                Event::GeneralRef(r) => {
                    let name = r.decode().unwrap_or_default();
                    match r.resolve_char_ref().ok().flatten() {
                        Some(c) => content.push(c),
                        None => match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(text) => content.push_str(text),
                            // Not dropped: a name must not lose a word without
                            // a warning ("SNOW STORM &lol9;").
                            None => {
                                content.push_str(&format!("&{name};"));
                                rows.unknown_entities.push((lines.of(at), name.into_owned()));
                            }
                        },
                    }
                }
                Event::Eof => break,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
        if let Some(open) = path.last() {
            return Err(Malformed {
                line: lines.of(text.len() as u64),
                reason: format!("the file ends inside <{open}> (truncated?)"),
            });
        }
        Ok(rows)
    }

    /// An element opens: rows that carry their ids in attributes start here.
    fn start(
        &mut self,
        name: &str,
        start: &BytesStart,
        path: &[String],
        cursor: &mut Cursor,
        line: u64,
    ) -> Result<(), Malformed> {
        let attr = |key: &str| attribute(start, key, line);
        let parent = path.last().map_or("", String::as_str);
        match name {
            _ if path.len() >= 2 && path[path.len() - 2] == "ReferenceValueSets" => {
                cursor.reference = Some((name.to_owned(), attr("ID")?.unwrap_or_default()));
                if name == "PartySubType"
                    && let (Some(id), Some(party_type)) = (attr("ID")?, attr("PartyTypeID")?)
                {
                    self.party_type_of_sub_type.insert(id, party_type);
                }
            }
            "Location" if parent == "Locations" => cursor.location = attr("ID")?,
            "LocationCountry" => {
                if let (Some(location), Some(country)) = (&cursor.location, attr("CountryID")?) {
                    self.location_countries.entry(location.clone()).or_default().push(country);
                }
            }
            "IDRegDocument" => {
                cursor.document = Some(RegDocument {
                    type_id: attr("IDRegDocTypeID")?.unwrap_or_default(),
                    identity_id: attr("IdentityID")?.unwrap_or_default(),
                    number: String::new(),
                });
            }
            "DistinctParty" => {
                cursor.party = Some(Party { line, id: attr("FixedRef")?.unwrap_or_default(), ..Party::default() });
            }
            "Profile" => {
                if let Some(party) = &mut cursor.party {
                    party.profile_id = attr("ID")?.unwrap_or_default();
                    party.sub_type_id = attr("PartySubTypeID")?.unwrap_or_default();
                }
            }
            "Identity" => {
                if let (Some(party), Some(id)) = (&mut cursor.party, attr("ID")?) {
                    party.identity_ids.push(id);
                }
            }
            "Alias" => {
                let primary = attr("Primary")?.is_some_and(|p| p == "true");
                cursor.alias = Some((attr("AliasTypeID")?.unwrap_or_default(), primary));
            }
            "DocumentedName" => cursor.name_parts.clear(),
            "Feature" => cursor.feature_type = attr("FeatureTypeID")?,
            "VersionDetail" => cursor.detail_reference = attr("DetailReferenceID")?,
            "VersionLocation" => {
                if let (Some(party), Some(feature), Some(location)) =
                    (&mut cursor.party, &cursor.feature_type, attr("LocationID")?)
                {
                    party.features.push((feature.clone(), FeatureValue::Location(location)));
                }
            }
            "ProfileRelationship" => {
                if let (Some(from), Some(to)) = (attr("From-ProfileID")?, attr("To-ProfileID")?) {
                    self.relationships.push((from, to));
                }
            }
            "SanctionsEntry" => {
                cursor.entry = Some(SanctionsEntry {
                    profile_id: attr("ProfileID")?.unwrap_or_default(),
                    list_id: attr("ListID")?.unwrap_or_default(),
                    ..SanctionsEntry::default()
                });
            }
            "EntryEvent" => cursor.date = [None, None, None],
            "SanctionsMeasure" => cursor.measure = Some((attr("SanctionsTypeID")?.unwrap_or_default(), String::new())),
            _ => {}
        }
        Ok(())
    }

    /// An element closes with its text: leaf values land, rows finish.
    fn end(&mut self, path: &mut Vec<String>, text: &str, cursor: &mut Cursor) {
        let Some(name) = path.pop() else { return };
        let parent = path.last().map_or("", String::as_str);
        match name.as_str() {
            _ if path.len() >= 2 && path[path.len() - 2] == "ReferenceValueSets" => {
                if let Some(key) = cursor.reference.take() {
                    // Countries are named by their text; a few reference
                    // values carry it in `Description` only, not kept.
                    self.references.insert(key, text.to_owned());
                }
            }
            "Location" if parent == "Locations" => cursor.location = None,
            "IDRegistrationNo" => {
                if let Some(document) = &mut cursor.document {
                    document.number = text.to_owned();
                }
            }
            "IDRegDocument" => self.documents.extend(cursor.document.take()),
            "Comment" if parent == "DistinctParty" => {
                if let Some(party) = &mut cursor.party
                    && !text.is_empty()
                {
                    party.comment = Some(text.to_owned());
                }
            }
            "NamePartValue" => cursor.name_parts.push(text.to_owned()),
            "DocumentedName" => {
                let name = cursor.name_parts.join(" ");
                if let (Some(party), Some((alias_type, primary))) = (&mut cursor.party, &cursor.alias)
                    && !name.trim().is_empty()
                {
                    party.names.push((alias_type.clone(), *primary, name.trim().to_owned()));
                }
            }
            "Alias" => cursor.alias = None,
            "VersionDetail" => {
                let value = match cursor.detail_reference.take() {
                    Some(reference) => Some(FeatureValue::Reference(reference)),
                    None => (!text.is_empty()).then(|| FeatureValue::Text(text.to_owned())),
                };
                if let (Some(party), Some(feature), Some(value)) = (&mut cursor.party, &cursor.feature_type, value) {
                    party.features.push((feature.clone(), value));
                }
            }
            "Feature" => cursor.feature_type = None,
            "DistinctParty" => self.parties.extend(cursor.party.take()),
            "Year" | "Month" | "Day" if path.iter().any(|p| p == "EntryEvent") => {
                let slot = match name.as_str() {
                    "Year" => 0,
                    "Month" => 1,
                    _ => 2,
                };
                cursor.date[slot] = text.parse::<u32>().ok();
            }
            "EntryEvent" => {
                if let (Some(entry), [Some(year), month, day]) = (&mut cursor.entry, cursor.date) {
                    entry.dates.push(match (month, day) {
                        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
                        (Some(m), None) => format!("{year:04}-{m:02}"),
                        _ => format!("{year:04}"),
                    });
                }
            }
            "Comment" if parent == "SanctionsMeasure" => {
                if let Some((_, comment)) = &mut cursor.measure {
                    *comment = text.to_owned();
                }
            }
            "SanctionsMeasure" => {
                if let (Some(entry), Some(measure)) = (&mut cursor.entry, cursor.measure.take()) {
                    entry.measures.push(measure);
                }
            }
            "SanctionsEntry" => self.entries.extend(cursor.entry.take()),
            _ => {}
        }
    }

    fn reference(&self, set: &str, id: &str) -> Option<&str> {
        self.references.get(&(set.to_owned(), id.to_owned())).map(String::as_str)
    }

    /// Whether a party subtype is a vessel: its own word, or for subtype
    /// "Unknown" the word of its party type.
    fn is_vessel_sub_type(&self, id: &str) -> Option<bool> {
        let word = self.reference("PartySubType", id)?;
        if word.eq_ignore_ascii_case("vessel") {
            return Some(true);
        }
        let party_type = self.party_type_of_sub_type.get(id).and_then(|t| self.reference("PartyType", t));
        Some(party_type.is_some_and(|t| t.eq_ignore_ascii_case("vessel")))
    }

    /// The joined vessel entries, in file order.
    fn vessels(&self, file: &str, skipped: &mut Vec<Skipped>) -> Vec<WatchEntry> {
        let mut documents_by_identity: HashMap<&str, Vec<&RegDocument>> = HashMap::new();
        for document in &self.documents {
            documents_by_identity.entry(&document.identity_id).or_default().push(document);
        }
        let mut entries_by_profile: HashMap<&str, Vec<&SanctionsEntry>> = HashMap::new();
        for entry in &self.entries {
            entries_by_profile.entry(&entry.profile_id).or_default().push(entry);
        }
        let primary_name: HashMap<&str, &str> =
            self.parties.iter().filter_map(|p| Some((p.profile_id.as_str(), self.primary_name(p)?))).collect();
        let mut linked: HashMap<&str, Vec<&str>> = HashMap::new();
        for (from, to) in &self.relationships {
            linked.entry(from).or_default().push(to);
            linked.entry(to).or_default().push(from);
        }

        let mut vessels = Vec::new();
        for party in &self.parties {
            match self.is_vessel_sub_type(&party.sub_type_id) {
                Some(true) => {}
                Some(false) => continue,
                None => {
                    skipped.push(Skipped {
                        file: file.to_owned(),
                        line: party.line,
                        reason: format!("party subtype {:?} is not in the reference values", party.sub_type_id),
                    });
                    continue;
                }
            }
            let Some(name) = self.primary_name(party) else {
                skipped.push(Skipped {
                    file: file.to_owned(),
                    line: party.line,
                    reason: "a vessel without a name".into(),
                });
                continue;
            };
            let id = if party.id.is_empty() { &party.profile_id } else { &party.id };
            let mut entry = WatchEntry {
                list: "ofac-sdn".into(),
                id: id.clone(),
                name: name.to_owned(),
                line: party.line,
                remarks: party.comment.clone().unwrap_or_default(),
                ..WatchEntry::default()
            };
            for (alias_type, _, alias) in &party.names {
                if alias == name {
                    continue;
                }
                match self.reference("AliasType", alias_type).unwrap_or("") {
                    "F.K.A." => WatchEntry::push_unique(&mut entry.former_names, alias),
                    _ => WatchEntry::push_unique(&mut entry.aliases, alias),
                }
            }
            for document in party.identity_ids.iter().filter_map(|i| documents_by_identity.get(i.as_str())).flatten() {
                self.add_document(&mut entry, document);
            }
            for (feature_type, value) in &party.features {
                self.add_feature(&mut entry, feature_type, value);
            }
            for other in linked.get(party.profile_id.as_str()).into_iter().flatten() {
                if let Some(owner) = primary_name.get(other) {
                    WatchEntry::push_unique(&mut entry.owners, owner);
                }
            }
            let sanctions = entries_by_profile.get(party.profile_id.as_str()).map_or(&[][..], Vec::as_slice);
            self.add_sanctions(&mut entry, sanctions);
            vessels.push(entry);
        }
        vessels
    }

    /// The party's name: its primary alias of type "Name", else its first.
    fn primary_name<'a>(&self, party: &'a Party) -> Option<&'a str> {
        let is_name = |t: &str| self.reference("AliasType", t) == Some("Name");
        party
            .names
            .iter()
            .find(|(t, primary, _)| *primary && is_name(t))
            .or_else(|| party.names.iter().find(|(t, _, _)| is_name(t)))
            .or(party.names.first())
            .map(|(_, _, name)| name.as_str())
    }

    fn add_document(&self, entry: &mut WatchEntry, document: &RegDocument) {
        let kind = self.reference("IDRegDocType", &document.type_id).unwrap_or("").to_ascii_uppercase();
        let digits: String = document.number.chars().filter(char::is_ascii_digit).collect();
        if kind == "MMSI" {
            let found = mmsis_in(&format!("MMSI {digits}"));
            found.iter().for_each(|m| WatchEntry::push_unique(&mut entry.mmsis, m));
        } else if kind.contains("VESSEL REGISTRATION") || kind.contains("IMO") {
            let mut found = imos_in(&document.number);
            if found.is_empty() {
                found = imos_in(&format!("IMO {digits}"));
            }
            found.iter().for_each(|i| WatchEntry::push_unique(&mut entry.imos, i));
        }
    }

    fn add_feature(&self, entry: &mut WatchEntry, feature_type: &str, value: &FeatureValue) {
        let Some(label) = self.reference("FeatureType", feature_type) else { return };
        let value = match value {
            FeatureValue::Text(text) => Some(text.as_str()),
            FeatureValue::Reference(id) => self.reference("DetailReference", id),
            FeatureValue::Location(id) => self
                .location_countries
                .get(id)
                .and_then(|countries| countries.first())
                .and_then(|country| self.reference("Country", country)),
        };
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return };
        match label.trim().to_ascii_lowercase().as_str() {
            "vessel call sign" | "other vessel call sign" => WatchEntry::push_unique(&mut entry.call_signs, value),
            "vessel flag" | "other vessel flag" => WatchEntry::push_unique(&mut entry.flags, value),
            "former vessel flag" => WatchEntry::push_unique(&mut entry.former_flags, value),
            "vessel owner" => WatchEntry::push_unique(&mut entry.owners, value),
            "vessel type" | "other vessel type" => {
                entry.vessel_type.get_or_insert_with(|| value.to_owned());
            }
            _ => {}
        }
    }

    fn add_sanctions(&self, entry: &mut WatchEntry, sanctions: &[&SanctionsEntry]) {
        for sanction in sanctions {
            for (measure_type, comment) in &sanction.measures {
                if self.reference("SanctionsType", measure_type) == Some("Program") {
                    WatchEntry::push_unique(&mut entry.programs, comment);
                }
            }
            // The earliest entry event is the designation.
            if let Some(date) = sanction.dates.iter().min()
                && entry.designated.as_ref().is_none_or(|d| date < d)
            {
                entry.designated = Some(date.clone());
            }
        }
        // The SDN list, or one of the consolidated (non-SDN) lists.
        let lists: Vec<&str> = sanctions.iter().filter_map(|s| self.reference("List", &s.list_id)).collect();
        if !lists.is_empty() && !lists.iter().any(|l| l.eq_ignore_ascii_case("SDN List")) {
            entry.list = "ofac-consolidated".into();
        }
    }
}

/// Where the reader is inside the row being built.
#[derive(Default)]
struct Cursor {
    reference: Option<(String, String)>,
    location: Option<String>,
    document: Option<RegDocument>,
    party: Option<Party>,
    alias: Option<(String, bool)>,
    name_parts: Vec<String>,
    feature_type: Option<String>,
    detail_reference: Option<String>,
    entry: Option<SanctionsEntry>,
    date: [Option<u32>; 3],
    measure: Option<(String, String)>,
}

fn local_name(start: &BytesStart) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

/// An attribute's unescaped value, by local name.
fn attribute(start: &BytesStart, key: &str, line: u64) -> Result<Option<String>, Malformed> {
    for attr in start.attributes() {
        let attr = attr.map_err(|e| Malformed { line, reason: format!("bad attribute: {e}") })?;
        if attr.key.local_name().as_ref() == key.as_bytes() {
            let value =
                attr.unescape_value().map_err(|e| Malformed { line, reason: format!("bad attribute {key}: {e}") })?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}
