//! What a report shows, read from a dataset: the subject (a chain or a
//! vessel), its events and the records they cite, the vessels' tracks and
//! identity histories, the places, and the facility count series.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tumen_chain::{Chain, Corridor};
use tumen_model::{Event, EventKind, Mmsi, ObjectClass, Timestamp};
use tumen_places::Gazetteer;
use tumen_store::{Dataset, EventQuery, StaticSpan};

use crate::chart::{Count, CountSeries, Spike};
use crate::map::PlaceMark;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("no chain {0} in the dataset (`tumen chains` lists them; run `tumen run` first)")]
    NoChain(String),
    #[error("{0} matches several chains: {1}")]
    AmbiguousChain(String, String),
    #[error("no events, positions or identity reports of MMSI {0} in the dataset")]
    NoVessel(u32),
    #[error("stored chain {0} does not read back: {1}")]
    BadChain(String, serde_json::Error),
    #[error(transparent)]
    Store(#[from] tumen_store::StoreError),
    #[error(transparent)]
    Catalog(#[from] tumen_store::CatalogError),
}

/// What the report is about.
#[derive(Clone, Debug)]
pub enum Subject {
    Chain { chain: Box<Chain>, corridor: Option<Corridor> },
    Vessel(u32),
}

/// One vessel's positions over the case, (time ms, lat, lon).
#[derive(Clone, Debug)]
pub struct VesselTrack {
    pub mmsi: u32,
    pub points: Vec<(i64, f64, f64)>,
}

/// Everything a report shows.
#[derive(Clone, Debug)]
pub struct Case {
    pub subject: Subject,
    /// The window the timeline and tracks cover.
    pub from: Timestamp,
    pub to: Timestamp,
    /// The subject's own events (a chain's linked ones; a vessel's all).
    pub events: Vec<Event>,
    /// Events around them: the chain's vessels' other events in the window.
    pub context: Vec<Event>,
    pub tracks: Vec<VesselTrack>,
    pub identities: Vec<(u32, Vec<StaticSpan>)>,
    pub places: Vec<PlaceMark>,
    pub facilities: Vec<CountSeries>,
    /// Source id → the file (or feed) it names.
    pub sources: BTreeMap<u32, String>,
    /// Every source of the dataset, as the report lists them.
    pub provenance: Vec<SourceNote>,
    /// The dataset's directory, for the commands that check the report.
    pub dataset: String,
}

const DAY_MS: i64 = 86_400_000;
/// Around a chain: the days before loading (where the ships went dark) and
/// after its last activity.
const CHAIN_MARGIN_MS: i64 = 3 * DAY_MS;

fn shifted(t: Timestamp, ms: i64) -> Timestamp {
    Timestamp::from_unix_ms(t.unix_ms().saturating_add(ms))
}

/// The case of one chain, by id or a unique beginning of one.
pub fn chain_case(
    dataset: &Dataset,
    gazetteer: &Gazetteer,
    corridors: &[Corridor],
    chain_id: &str,
) -> Result<Case, ReportError> {
    let catalog = dataset.catalog();
    let records = catalog.chains_matching(chain_id)?;
    let record = match records.as_slice() {
        [] => return Err(ReportError::NoChain(chain_id.to_owned())),
        [one] => one,
        several => {
            let ids: Vec<&str> = several.iter().map(|r| r.id.as_str()).collect();
            return Err(ReportError::AmbiguousChain(chain_id.to_owned(), ids.join(", ")));
        }
    };
    let chain: Chain = serde_json::from_str(&record.chain).map_err(|e| ReportError::BadChain(record.id.clone(), e))?;
    let corridor = corridors.iter().find(|c| c.id == chain.corridor).cloned();
    let (from, to) = (shifted(chain.start, -CHAIN_MARGIN_MS), shifted(chain.end, CHAIN_MARGIN_MS));
    let events = catalog.events_by_id(&chain.events)?;
    let linked: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let mut context = Vec::new();
    for &mmsi in &chain.vessels {
        let around = EventQuery {
            mmsi: Some(Mmsi(mmsi)),
            from: Some(from),
            to: Some(to),
            limit: 10_000,
            ..EventQuery::default()
        };
        // List hits and identity conflicts stand whenever they were found.
        let standing = [EventKind::WatchlistHit, EventKind::IdentityConflict].map(|kind| EventQuery {
            kind: Some(kind),
            mmsi: Some(Mmsi(mmsi)),
            limit: 1_000,
            ..EventQuery::default()
        });
        for query in std::iter::once(around).chain(standing) {
            context.extend(catalog.events(&query)?.into_iter().filter(|e| !linked.contains(e.id.as_str())));
        }
    }
    sort_unique(&mut context);
    let mut place_ids: Vec<String> = Vec::new();
    if let Some(corridor) = &corridor {
        for id in corridor
            .origins
            .iter()
            .chain(&corridor.destinations)
            .chain(&corridor.rail_facilities)
            .chain(&corridor.depots)
        {
            place_ids.push(id.clone());
        }
    } else {
        place_ids.extend([chain.origin.clone(), chain.destination.clone()]);
    }
    let subject = Subject::Chain { chain: Box::new(chain), corridor };
    finish(dataset, gazetteer, subject, (from, to), events, context, place_ids)
}

/// The case of one vessel over `[from, to]` (none: every event of it).
pub fn vessel_case(
    dataset: &Dataset,
    gazetteer: &Gazetteer,
    mmsi: u32,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<Case, ReportError> {
    let catalog = dataset.catalog();
    let query = EventQuery { mmsi: Some(Mmsi(mmsi)), from, to, limit: 100_000, ..EventQuery::default() };
    let events = catalog.events(&query)?;
    let identity = catalog.static_history(Mmsi(mmsi))?;
    let known =
        events.iter().flat_map(|e| [e.start, e.end]).chain(identity.iter().flat_map(|s| [s.first_time, s.last_time]));
    let (first, last) = known.fold((None, None), |(a, b): (Option<Timestamp>, Option<Timestamp>), t| {
        (Some(a.map_or(t, |a| a.min(t))), Some(b.map_or(t, |b| b.max(t))))
    });
    let (from, to) = match (from.or(first), to.or(last)) {
        (Some(from), Some(to)) => (from, to),
        _ => return Err(ReportError::NoVessel(mmsi)),
    };
    let place_ids = events.iter().filter_map(|e| e.place.clone()).collect();
    finish(dataset, gazetteer, Subject::Vessel(mmsi), (from, to), events, Vec::new(), place_ids)
}

fn finish(
    dataset: &Dataset,
    gazetteer: &Gazetteer,
    subject: Subject,
    (from, to): (Timestamp, Timestamp),
    events: Vec<Event>,
    context: Vec<Event>,
    mut place_ids: Vec<String>,
) -> Result<Case, ReportError> {
    let catalog = dataset.catalog();
    let vessels: Vec<u32> = match &subject {
        Subject::Chain { chain, .. } => chain.vessels.clone(),
        Subject::Vessel(mmsi) => vec![*mmsi],
    };
    let mut tracks = Vec::new();
    let mut identities = Vec::new();
    for &mmsi in &vessels {
        let rows = dataset.track(Mmsi(mmsi), from, to)?;
        tracks.push(VesselTrack {
            mmsi,
            points: rows.iter().map(|r| (r.time.unix_ms(), r.lat_deg, r.lon_deg)).collect(),
        });
        identities.push((mmsi, catalog.static_history(Mmsi(mmsi))?));
    }
    let nothing_known = tracks.iter().all(|t| t.points.is_empty())
        && events.is_empty()
        && identities.iter().all(|(_, spans)| spans.is_empty());
    if let (Subject::Vessel(mmsi), true) = (&subject, nothing_known) {
        return Err(ReportError::NoVessel(*mmsi));
    }
    place_ids.extend(events.iter().chain(&context).filter_map(|e| e.place.clone()));
    let mut seen = BTreeSet::new();
    let places = place_ids
        .into_iter()
        .filter(|id| seen.insert(id.clone()))
        .filter_map(|id| gazetteer.get(&id))
        .map(PlaceMark::of)
        .collect();
    let records = catalog.sources()?;
    // Sources read from one directory share its truth file: read it once.
    let mut scenario_in: BTreeMap<&Path, Option<String>> = BTreeMap::new();
    let provenance: Vec<SourceNote> = records
        .iter()
        .map(|record| {
            // A feed or standard input has no directory.
            let file = Path::new(&record.location);
            let directory = file.parent().filter(|_| file.is_file());
            let simulated =
                directory.and_then(|d| scenario_in.entry(d).or_insert_with(|| simulated_scenario(d)).clone());
            SourceNote::of(record, simulated)
        })
        .collect();
    let sources: BTreeMap<u32, String> = records.into_iter().map(|s| (s.id, s.location)).collect();
    let facilities = facility_series(dataset, &events, &sources, to)?;
    Ok(Case {
        subject,
        from,
        to,
        events,
        context,
        tracks,
        identities,
        places,
        facilities,
        sources,
        provenance,
        dataset: dataset.root().display().to_string(),
    })
}

/// A source of the dataset as a reader of the report needs it: what it
/// was, where from, its content hash, and whether Tumen's simulator made
/// it.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceNote {
    pub id: u32,
    pub location: String,
    pub kind: String,
    pub format: String,
    pub content_hash: Option<String>,
    pub lines: u64,
    /// The simulator's scenario that wrote it, if it did.
    pub simulated: Option<String>,
}

impl SourceNote {
    fn of(record: &tumen_store::SourceRecord, simulated: Option<String>) -> SourceNote {
        SourceNote {
            id: record.id,
            location: record.location.clone(),
            kind: record.kind.as_str().to_owned(),
            format: record.format.clone(),
            content_hash: record.content_hash.clone(),
            lines: record.lines,
            simulated,
        }
    }
}

/// The simulator writes its ground truth (`truth.json`, schema
/// `tumen.sim.truth/…`) beside every file of a scenario: the files of a
/// directory that holds one are simulated, and the truth names the
/// scenario.
pub fn simulated_scenario(directory: &Path) -> Option<String> {
    let truth = directory.join("truth.json");
    let mut head = vec![0u8; 4096];
    let mut reader = std::fs::File::open(truth).ok()?;
    let read = std::io::Read::read(&mut reader, &mut head).ok()?;
    let head = String::from_utf8_lossy(&head[..read]);
    let schema_at = head.find("\"tumen.sim.truth/")?;
    let after = &head[schema_at..];
    let name = after.find("\"name\"").and_then(|at| after[at + 6..].split('"').nth(1)).unwrap_or("unnamed scenario");
    Some(name.to_owned())
}

fn sort_unique(events: &mut Vec<Event>) {
    events.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    events.dedup_by(|a, b| a.id == b.id);
}

/// The count series of each (site, class) with a facility anomaly among
/// `events`: every count of that class there up to `until` (the end of
/// what the report covers; the history before is what makes a count
/// unusual), and every anomaly found on it by then, dated at its highest
/// count (those among `events` linked to their evidence rows).
fn facility_series(
    dataset: &Dataset,
    events: &[Event],
    sources: &BTreeMap<u32, String>,
    until: Timestamp,
) -> Result<Vec<CountSeries>, ReportError> {
    let mut wanted: BTreeMap<(String, String), ()> = BTreeMap::new();
    for e in events.iter().filter(|e| e.kind == EventKind::FacilityAnomaly) {
        if let (Some(site), Some(class)) = (e.text("site"), e.text("object_class")) {
            wanted.insert((site.to_owned(), class.to_owned()), ());
        }
    }
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let catalog = dataset.catalog();
    let observations = catalog.observations()?;
    let linked: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let mut series = Vec::new();
    for (site, class) in wanted.into_keys() {
        let Some(object) = ObjectClass::parse(&class) else { continue };
        let mut counts: Vec<Count> = observations
            .iter()
            .filter(|o| o.site == site && o.object == object && o.time <= until)
            .map(|o| Count {
                at_ms: o.time.unix_ms(),
                count: o.count,
                cited: format!("{}:{}", file_name(sources.get(&o.source_id).map_or("?", String::as_str)), o.line),
            })
            .collect();
        counts.sort_by_key(|c| c.at_ms);
        let anomalies = catalog.events(&EventQuery {
            kind: Some(EventKind::FacilityAnomaly),
            place: Some(site.clone()),
            limit: 10_000,
            ..EventQuery::default()
        })?;
        let spikes = anomalies
            .iter()
            .filter(|e| e.start <= until)
            .filter_map(|e| {
                (e.text("object_class") == Some(class.as_str())).then_some(())?;
                let peak = e.number("peak_count")?;
                // An anomaly spans a run of counts: it is drawn at the
                // highest of them, the count that is unusual.
                let at_peak = counts
                    .iter()
                    .filter(|c| c.at_ms >= e.start.unix_ms() && c.at_ms <= e.end.unix_ms())
                    .find(|c| f64::from(c.count) == peak)
                    .map_or(e.start.unix_ms(), |c| c.at_ms);
                Some(Spike {
                    from_ms: e.start.unix_ms(),
                    at_ms: at_peak,
                    count: peak,
                    expected: e.number("expected")?,
                    link: linked.contains(e.id.as_str()).then(|| e.id.clone()),
                })
            })
            .collect();
        let site_name = observations.iter().find(|o| o.site == site).and_then(|o| o.site_name.clone());
        series.push(CountSeries {
            title: format!("{} — {} counted", site_name.unwrap_or(site), object.plural()),
            unit: object.plural().to_owned(),
            counts,
            spikes,
        });
    }
    Ok(series)
}

/// The last part of a path or URL: what a reader recognises.
pub fn file_name(location: &str) -> &str {
    location.rsplit(['/', '\\']).next().filter(|s| !s.is_empty()).unwrap_or(location)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_with_the_simulators_truth_is_simulated_and_others_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let (case, real) = (dir.path().join("case"), dir.path().join("real"));
        std::fs::create_dir_all(&case).unwrap();
        std::fs::create_dir_all(&real).unwrap();
        std::fs::write(
            case.join("truth.json"),
            "{\n  \"schema\": \"tumen.sim.truth/1\",\n  \"scenario\": {\n    \"name\": \"najin-dunay-2023\"\n  }\n}",
        )
        .unwrap();
        // Someone else's truth.json is not the simulator's.
        std::fs::write(real.join("truth.json"), "{\"labels\": []}").unwrap();
        assert_eq!(simulated_scenario(&case).as_deref(), Some("najin-dunay-2023"));
        assert_eq!(simulated_scenario(&real), None);
        assert_eq!(simulated_scenario(dir.path()), None);
    }
}
