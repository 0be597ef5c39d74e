//! The fusion step of `tumen run`: the dataset's detections in the run's
//! window matched to its AIS, fixed structures set aside, dark detections
//! given candidate identities from the detectors' silent spells, vessels
//! the images missed noted, and facility counts judged against their
//! history — each an event with its evidence.

use std::collections::{BTreeMap, HashMap, HashSet};

use tumen_model::event::Value;
use tumen_model::{Detection, LatLon, METRES_PER_NAUTICAL_MILE, Mmsi, PlaceKind, Scene, Timestamp};
use tumen_model::{Event, EventKind, Evidence};
use tumen_places::{Gazetteer, Land};
use tumen_store::{Dataset, StaticField, StoreError};

use crate::dark::{identities, silences};
use crate::facility::anomalies;
use crate::imagery::{covers, footprint};
use crate::matching::{Assignment, Candidate, assign, estimate};
use crate::profile::FusionProfile;
use crate::structures::fixed_structures;
use crate::tracks::{Bounds, Look, SlotIndex, Tracks, collect};

/// How much fusion found, for the run's summary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FusionSummary {
    pub detections: usize,
    pub scenes: usize,
    pub matched: usize,
    pub structures: usize,
    pub structure_detections: usize,
    pub dark: usize,
    pub low_confidence: usize,
    /// Unmatched detections inland: not vessels.
    pub on_land: usize,
    pub not_detected: usize,
    pub anomalies: usize,
}

const PROFILE: &str = "fusion";

/// Fusion over `[from, to]` (none: everything). `events` are the
/// detectors' events of the same run (their silent spells name the
/// vessels a dark detection could be).
pub fn fuse(
    dataset: &Dataset,
    gazetteer: &Gazetteer,
    profile: &FusionProfile,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    events: &[Event],
) -> Result<(Vec<Event>, FusionSummary), StoreError> {
    let mut summary = FusionSummary::default();
    let mut out = Vec::new();
    let scenes = dataset.catalog().scenes()?;
    let all_detections = dataset.catalog().detections(None, None)?;
    let in_window: Vec<&Detection> =
        all_detections.iter().filter(|d| from.is_none_or(|f| d.time >= f) && to.is_none_or(|t| d.time <= t)).collect();
    summary.detections = in_window.len();
    if !in_window.is_empty() {
        let lengths = vessel_lengths(dataset)?;
        let length_of = |mmsi: Mmsi| lengths.get(&mmsi).copied();
        let groups = group_by_scene(&in_window, &scenes);
        summary.scenes = groups.len();
        let scenes_in: Vec<(Look, &[&Detection])> =
            groups.iter().map(|g| (g.look(), g.detections.as_slice())).collect();
        let looks: Vec<&Look> = scenes_in.iter().map(|(look, _)| look).collect();
        let tracks = collect(dataset, &looks, profile.candidate_nm, profile.candidate_hours)?;
        let index = SlotIndex::new(&tracks, profile);
        let results = match_scenes(&scenes_in, &tracks, &index, &length_of, profile);
        let mut matched_ids: HashSet<&str> = HashSet::new();
        for (group, (_, assignment)) in groups.iter().zip(&results) {
            for pair in &assignment.matched {
                matched_ids.insert(group.detections[pair.detection].id.as_str());
            }
        }
        let (structures, structure_ids) = fixed_structures(&all_detections, &scenes, &matched_ids, profile);
        summary.structures = structures.len();
        let quiet = silences(events);
        let land = Land::embedded();
        for (group, (candidates, assignment)) in groups.iter().zip(&results) {
            let matched_detections: HashSet<usize> = assignment.matched.iter().map(|p| p.detection).collect();
            for pair in &assignment.matched {
                out.push(match_event(
                    group.detections[pair.detection],
                    &candidates[pair.candidate],
                    pair.score,
                    pair.distance_m,
                ));
                summary.matched += 1;
            }
            for (index, detection) in group.detections.iter().enumerate() {
                if matched_detections.contains(&index) {
                    continue;
                }
                if let Some(reason) = set_aside(detection, &structure_ids, gazetteer, land, profile) {
                    *match reason {
                        SetAside::Structure => &mut summary.structure_detections,
                        SetAside::LowConfidence => &mut summary.low_confidence,
                        SetAside::Inland => &mut summary.on_land,
                    } += 1;
                    continue;
                }
                let nearest = nearest_candidates(index, assignment, candidates);
                let who = identities(detection, &quiet, length_of, profile);
                out.push(dark_event(detection, group.scene, &nearest, &who, gazetteer));
                summary.dark += 1;
            }
            let matched_candidates: HashSet<usize> = assignment.matched.iter().map(|p| p.candidate).collect();
            if let Some(polygon) = group.scene.and_then(footprint) {
                for (index, candidate) in candidates.iter().enumerate() {
                    // Only a vessel the AIS places inside with some certainty.
                    let sure = candidate.estimate.nearest_s <= 3600.0 && candidate.estimate.sigma_m <= 2_000.0;
                    if !matched_candidates.contains(&index) && sure && covers(&polygon, candidate.estimate.position) {
                        out.push(not_detected_event(candidate, group));
                        summary.not_detected += 1;
                    }
                }
            }
        }
    }
    let observations = dataset.catalog().observations()?;
    for anomaly in anomalies(&observations, from, to, profile) {
        out.push(anomaly_event(&anomaly, gazetteer));
        summary.anomalies += 1;
    }
    Ok((out, summary))
}

/// Why an unmatched detection is not a dark vessel.
enum SetAside {
    Structure,
    LowConfidence,
    Inland,
}

fn set_aside(
    detection: &Detection,
    structures: &HashSet<String>,
    gazetteer: &Gazetteer,
    land: &Land,
    profile: &FusionProfile,
) -> Option<SetAside> {
    if structures.contains(&detection.id) {
        return Some(SetAside::Structure);
    }
    if detection.confidence.is_some_and(|c| c < profile.min_dark_confidence) {
        return Some(SetAside::LowConfidence);
    }
    // Inland is no place for a vessel — except in a port or anchorage,
    // whose narrow bays the 1:10m coastline can fill (Dunay's quays are
    // 1.4 km "inland").
    let (lat, lon) = (detection.position.lat_deg, detection.position.lon_deg);
    let in_harbour = gazetteer
        .containing(detection.position)
        .iter()
        .any(|p| matches!(p.kind, PlaceKind::Port | PlaceKind::Anchorage));
    (!in_harbour && land.is_on_land(lat, lon) && land.distance_to_shore_km(lat, lon) > profile.land_margin_km)
        .then_some(SetAside::Inland)
}

/// The detections of one image, with its scene when the dataset has it.
struct SceneGroup<'a> {
    scene: Option<&'a Scene>,
    time: Timestamp,
    detections: Vec<&'a Detection>,
}

impl SceneGroup<'_> {
    fn look(&self) -> Look {
        let outline = match self.scene {
            Some(scene) if scene.footprint.len() >= 4 => scene.footprint.clone(),
            _ => self.detections.iter().map(|d| d.position).collect(),
        };
        Look { outline, time: self.time }
    }

    fn scene_id(&self) -> String {
        self.scene
            .map(|s| s.id.clone())
            .or_else(|| self.detections.first().and_then(|d| d.scene_id.clone()))
            .unwrap_or_default()
    }
}

/// Detections grouped by scene id (by time when they name none).
fn group_by_scene<'a>(detections: &[&'a Detection], scenes: &'a [Scene]) -> Vec<SceneGroup<'a>> {
    let by_id: HashMap<&str, &Scene> = scenes.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut groups: BTreeMap<(Timestamp, String), SceneGroup<'a>> = BTreeMap::new();
    for &d in detections {
        let key = (d.time, d.scene_id.clone().unwrap_or_default());
        groups
            .entry(key)
            .or_insert_with(|| SceneGroup {
                scene: d.scene_id.as_deref().and_then(|id| by_id.get(id).copied()),
                time: d.time,
                detections: Vec::new(),
            })
            .detections
            .push(d);
    }
    groups.into_values().collect()
}

/// [`match_scene`] for every scene, on every core, in order.
pub fn match_scenes(
    scenes: &[(Look, &[&Detection])],
    tracks: &Tracks,
    index: &SlotIndex,
    length_of: &(impl Fn(Mmsi) -> Option<f64> + Sync),
    profile: &FusionProfile,
) -> Vec<(Vec<Candidate>, Assignment)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
    let chunk = scenes.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = scenes
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(look, detections)| match_scene(look, detections, tracks, index, length_of, profile))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a matching thread")).collect()
    })
}

/// One image's detections matched to the vessels that could be in it
/// (an estimate within the candidate distance of what it looks at).
pub fn match_scene(
    look: &Look,
    detections: &[&Detection],
    tracks: &Tracks,
    index: &SlotIndex,
    length_of: &impl Fn(Mmsi) -> Option<f64>,
    profile: &FusionProfile,
) -> (Vec<Candidate>, Assignment) {
    let reach_m = profile.candidate_nm * METRES_PER_NAUTICAL_MILE;
    let Some(bounds) = Bounds::of(&look.outline) else { return (Vec::new(), Assignment::default()) };
    let centre = bounds.centre();
    let half_diagonal = centre.distance_m(LatLon { lat_deg: bounds.north, lon_deg: bounds.east });
    let limit_m = half_diagonal + reach_m;
    let mut candidates: Vec<Candidate> = index
        .near(look.time, &bounds, reach_m)
        .into_iter()
        .filter_map(|mmsi| {
            let estimate = estimate(tracks.by_mmsi.get(&mmsi)?, look.time, profile)?;
            (centre.distance_m(estimate.position) <= limit_m).then(|| Candidate {
                mmsi,
                estimate,
                length_m: length_of(mmsi),
            })
        })
        .collect();
    candidates.sort_by_key(|c| c.mmsi.0);
    let assignment = assign(detections, &candidates, profile);
    (candidates, assignment)
}

/// Each vessel's length from its latest broadcast dimensions (`LxW`).
fn vessel_lengths(dataset: &Dataset) -> Result<HashMap<Mmsi, f64>, StoreError> {
    let mut lengths = HashMap::new();
    for (mmsi, spans) in dataset.catalog().static_histories(&[StaticField::Dimensions])? {
        let latest = spans.iter().max_by_key(|s| s.last_time);
        if let Some(length) = latest.and_then(|s| s.value.split('x').next()?.parse::<f64>().ok()).filter(|l| *l > 0.0) {
            lengths.insert(mmsi, length);
        }
    }
    Ok(lengths)
}

fn detection_evidence(d: &Detection) -> Evidence {
    Evidence {
        source_id: d.source_id,
        line: d.line,
        time: d.time,
        position: Some(d.position),
        role: "satellite detection",
    }
}

fn fix_evidence(fix: &crate::tracks::TrackFix, role: &'static str) -> Evidence {
    Evidence { source_id: fix.source_id, line: fix.line, time: fix.time, position: Some(fix.position), role }
}

fn common_attributes(d: &Detection) -> BTreeMap<&'static str, Value> {
    let mut attributes = BTreeMap::new();
    attributes.insert("detection_id", Value::Text(d.id.clone()));
    if let Some(scene) = &d.scene_id {
        attributes.insert("scene_id", Value::Text(scene.clone()));
    }
    if let Some(length) = d.length_m {
        attributes.insert("detected_length_m", Value::Number(length));
    }
    if let Some(confidence) = d.confidence {
        attributes.insert("detection_confidence", Value::Number(confidence));
    }
    attributes
}

fn match_event(d: &Detection, c: &Candidate, score: f64, distance_m: f64) -> Event {
    let mut attributes = common_attributes(d);
    attributes.insert("score", Value::Number(round(score, 3)));
    attributes.insert("distance_m", Value::Number(distance_m.round()));
    attributes.insert("method", Value::Text(c.estimate.method.as_str().to_owned()));
    attributes.insert("ais_silent_hours", Value::Number(round(c.estimate.nearest_s / 3600.0, 2)));
    if let Some(length) = c.length_m {
        attributes.insert("ais_length_m", Value::Number(length));
    }
    if let Some(provider) = d.provider_mmsi {
        attributes.insert("provider_mmsi", Value::Number(f64::from(provider)));
    }
    let mut evidence = vec![detection_evidence(d)];
    evidence.extend(c.estimate.before.map(|f| fix_evidence(&f, "AIS position before the image")));
    evidence.extend(c.estimate.after.map(|f| fix_evidence(&f, "AIS position after the image")));
    Event {
        id: Event::make_id(EventKind::DetectionMatch, &[c.mmsi], d.time, &format!("{PROFILE}:{}", d.id)),
        kind: EventKind::DetectionMatch,
        mmsis: vec![c.mmsi],
        start: d.time,
        end: d.time,
        position: Some(d.position),
        place: None,
        attributes,
        confidence: if score >= 0.5 {
            4
        } else if score >= 0.1 {
            3
        } else {
            2
        },
        profile: PROFILE.into(),
        evidence,
    }
}

/// The AIS vessels nearest a detection left unmatched, best score first
/// (at most three), with their score and distance.
fn nearest_candidates<'c>(
    detection: usize,
    assignment: &Assignment,
    candidates: &'c [Candidate],
) -> Vec<(&'c Candidate, f64, f64)> {
    let mut near: Vec<(&Candidate, f64, f64)> = assignment
        .scored
        .iter()
        .filter(|p| p.detection == detection)
        .map(|p| (&candidates[p.candidate], p.score, p.distance_m))
        .collect();
    near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.total_cmp(&b.2)));
    near.truncate(3);
    near
}

fn dark_event(
    d: &Detection,
    scene: Option<&Scene>,
    nearest: &[(&Candidate, f64, f64)],
    who: &[crate::dark::Identity],
    gazetteer: &Gazetteer,
) -> Event {
    let mut attributes = common_attributes(d);
    let place = gazetteer.containing(d.position).into_iter().next();
    if let Some(place) = place {
        attributes.insert("place_kind", Value::Text(place.kind.as_str().to_owned()));
        attributes.insert("watched", Value::Flag(place.watched));
    }
    if let Some(satellite) = scene.and_then(|s| s.satellite.clone()) {
        attributes.insert("satellite", Value::Text(satellite));
    }
    let listed = |items: Vec<String>| Value::Text(items.join("; "));
    if !nearest.is_empty() {
        attributes.insert(
            "nearest_ais",
            listed(
                nearest.iter().map(|(c, s, dist)| format!("{} score {:.3} at {:.0} m", c.mmsi.0, s, dist)).collect(),
            ),
        );
    }
    let top: Vec<&crate::dark::Identity> = who.iter().take(3).collect();
    if !top.is_empty() {
        attributes.insert(
            "candidates",
            listed(
                top.iter()
                    .map(|c| {
                        format!(
                            "{} score {:.2}, silent {:.1} h, {:.1} nm from where it went silent",
                            c.mmsi.0, c.score, c.silent_hours, c.distance_from_silence_nm
                        )
                    })
                    .collect(),
            ),
        );
        // Each candidate's score as a number, in the order of `mmsis` (the
        // text above is for people): chains weigh who a sighting was
        // again, across sightings.
        for (key, candidate) in tumen_model::event::DARK_CANDIDATE_SCORE_KEYS.iter().zip(&top) {
            attributes.insert(key, Value::Number(round(candidate.score, 3)));
        }
    }
    // A detection some silent vessel accounts for is a dark vessel; one
    // none does is unexplained — a vessel never seen on AIS, or a false
    // alarm (a watched place makes it interesting, not more likely real).
    let confidence = match top.first().map(|c| c.score) {
        Some(s) if s >= 0.5 => 4,
        Some(_) => 3,
        None => 2,
    };
    let confidence = if d.confidence.is_some_and(|c| c < 0.7) { confidence.min(2) } else { confidence };
    let mmsis: Vec<Mmsi> = top.iter().map(|c| c.mmsi).collect();
    // The detection, and the AIS positions of the nearest vessels that
    // did not match it (why it is dark).
    let mut evidence = vec![detection_evidence(d)];
    for (candidate, _, _) in nearest {
        let fix = candidate.estimate.before.or(candidate.estimate.after);
        evidence.extend(fix.map(|f| fix_evidence(&f, "nearest AIS vessel, not matched")));
    }
    Event {
        id: Event::make_id(EventKind::DarkDetection, &[], d.time, &format!("{PROFILE}:{}", d.id)),
        kind: EventKind::DarkDetection,
        mmsis,
        start: d.time,
        end: d.time,
        position: Some(d.position),
        place: place.map(|p| p.id.clone()),
        attributes,
        confidence,
        profile: PROFILE.into(),
        evidence,
    }
}

fn not_detected_event(c: &Candidate, group: &SceneGroup<'_>) -> Event {
    let scene_id = group.scene_id();
    let mut attributes = BTreeMap::new();
    attributes.insert("scene_id", Value::Text(scene_id.clone()));
    attributes.insert("method", Value::Text(c.estimate.method.as_str().to_owned()));
    attributes.insert("estimate_sigma_m", Value::Number(c.estimate.sigma_m.round()));
    if let Some(length) = c.length_m {
        attributes.insert("ais_length_m", Value::Number(length));
    }
    let mut evidence = Vec::new();
    evidence.extend(c.estimate.before.map(|f| fix_evidence(&f, "AIS position before the image")));
    evidence.extend(c.estimate.after.map(|f| fix_evidence(&f, "AIS position after the image")));
    if let Some(scene) = group.scene {
        evidence.push(Evidence {
            source_id: scene.source_id,
            line: scene.line,
            time: scene.time,
            position: None,
            role: "the scene",
        });
    }
    Event {
        id: Event::make_id(EventKind::NotDetected, &[c.mmsi], group.time, &format!("{PROFILE}:{scene_id}")),
        kind: EventKind::NotDetected,
        mmsis: vec![c.mmsi],
        start: group.time,
        end: group.time,
        position: Some(c.estimate.position),
        place: None,
        attributes,
        // A large ship missing from an image says more than a small one.
        confidence: if c.length_m.is_some_and(|l| l >= 40.0) { 2 } else { 1 },
        profile: PROFILE.into(),
        evidence,
    }
}

fn anomaly_event(anomaly: &crate::facility::Anomaly<'_>, gazetteer: &Gazetteer) -> Event {
    let peak = anomaly.peak;
    let base = &anomaly.baseline;
    let place = gazetteer.get(&anomaly.site);
    let mut attributes = BTreeMap::new();
    attributes.insert("site", Value::Text(anomaly.site.clone()));
    attributes.insert("object_class", Value::Text(peak.object.as_str().to_owned()));
    attributes.insert("peak_count", Value::Number(f64::from(peak.count)));
    attributes.insert("expected", Value::Number(round(base.expected, 1)));
    attributes.insert("spread", Value::Number(round(base.spread, 2)));
    attributes.insert("z", Value::Number(round(anomaly.z, 1)));
    attributes.insert("observations", Value::Number(anomaly.counts.len() as f64));
    attributes.insert("history_observations", Value::Number(base.observations as f64));
    attributes.insert("history_from", Value::Time(base.from));
    attributes.insert("history_to", Value::Time(base.to));
    attributes.insert("history_highest", Value::Number(f64::from(anomaly.highest.count)));
    attributes.insert("trend_per_year", Value::Number(round(base.trend_per_year, 2)));
    attributes.insert("seasonal_amplitude", Value::Number(round(base.seasonal_amplitude, 2)));
    let position = place.map(|p| p.centre()).or(peak.position);
    let mut evidence: Vec<Evidence> = anomaly
        .counts
        .iter()
        .map(|o| Evidence { source_id: o.source_id, line: o.line, time: o.time, position, role: "anomalous count" })
        .collect();
    let highest = anomaly.highest;
    evidence.push(Evidence {
        source_id: highest.source_id,
        line: highest.line,
        time: highest.time,
        position,
        role: "highest count in the history",
    });
    let (start, end) = (anomaly.counts[0].time, anomaly.counts[anomaly.counts.len() - 1].time);
    Event {
        id: Event::make_id(
            EventKind::FacilityAnomaly,
            &[],
            start,
            &format!("{PROFILE}:{}:{}", anomaly.site, peak.object.as_str()),
        ),
        kind: EventKind::FacilityAnomaly,
        mmsis: Vec::new(),
        start,
        end,
        position,
        place: place.map(|p| p.id.clone()),
        attributes,
        confidence: if anomaly.z >= 10.0 { 4 } else { 3 },
        profile: PROFILE.into(),
        evidence,
    }
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}
