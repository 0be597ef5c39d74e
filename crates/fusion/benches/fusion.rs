//! Satellite matching at scale: 10^5 detections against a day of regional
//! AIS (the target: ≤ 10 s), timed once per run, scenes on every
//! core. An 8° × 8° sea
//! (the Sea of Japan's size) with 10,000 vessels on straight courses at 5–15
//! kn reporting every two minutes for a day (7.2M positions); 1,000 scenes
//! of 100 × 100 km at random times, 100 detections each: up to seven in
//! ten of the vessels inside (position error up to 70 m, length error
//! 10 %), the rest anywhere in the scene (dark vessels and false alarms). Timed: every
//! scene's candidates and mutual-best assignment, the fixed-structure pass
//! over all detections, and candidate identities of the unmatched from 500
//! silent spells; then the same day written to a dataset and `fuse` timed
//! over it end to end, as `tumen run` runs it (the day read from Parquet,
//! catalog rows in and events out).
//! `cargo bench -p tumen-fusion --bench fusion`.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use tumen_fusion::dark::{Silence, identities};
use tumen_fusion::fuse::match_scenes;
use tumen_fusion::imagery::{rectangle, ring};
use tumen_fusion::structures::fixed_structures;
use tumen_fusion::tracks::{Look, SlotIndex, TrackFix, Tracks};
use tumen_fusion::{FusionProfile, FusionSummary, fuse};
use tumen_model::{Detection, LatLon, Mmsi, Scene, Timestamp};
use tumen_places::Gazetteer;
use tumen_store::{Batch, Dataset, Origin, PositionRow, StationClass, TimeOrigin};

const VESSELS: u32 = 10_000;
const SCENES: usize = 1_000;
const PER_SCENE: usize = 100;
const DAY_MS: i64 = 86_400_000;
const REPORT_MS: i64 = 120_000;

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }
}

struct Vessel {
    start: LatLon,
    course_deg: f64,
    speed_m_per_s: f64,
    length_m: f64,
}

impl Vessel {
    fn at(&self, t_ms: i64) -> LatLon {
        self.start.destination(self.course_deg, self.speed_m_per_s * t_ms as f64 / 1000.0)
    }
}

fn mmsi(i: usize) -> Mmsi {
    Mmsi(273_000_000 + i as u32)
}

fn main() {
    let mut rng = Rng(0x5eed_f00d);
    let vessels: Vec<Vessel> = (0..VESSELS)
        .map(|_| {
            // At noon somewhere in the sea, on a straight course all day.
            let noon = LatLon { lat_deg: rng.range(38.0, 46.0), lon_deg: rng.range(130.0, 138.0) };
            let course_deg = rng.range(0.0, 360.0);
            let speed_m_per_s = rng.range(5.0, 15.0) * 1852.0 / 3600.0;
            let start = noon.destination((course_deg + 180.0) % 360.0, speed_m_per_s * DAY_MS as f64 / 2000.0);
            Vessel { start, course_deg, speed_m_per_s, length_m: rng.range(20.0, 250.0) }
        })
        .collect();
    let mut tracks = Tracks::default();
    for (i, v) in vessels.iter().enumerate() {
        let fixes = (0..DAY_MS / REPORT_MS)
            .map(|k| TrackFix {
                time: Timestamp::from_unix_ms(k * REPORT_MS),
                position: v.at(k * REPORT_MS),
                sog_knots: Some((v.speed_m_per_s * 3600.0 / 1852.0) as f32),
                cog_deg: Some(v.course_deg as f32),
                source_id: 1,
                line: k as u64,
            })
            .collect();
        tracks.by_mmsi.insert(mmsi(i), fixes);
    }
    let positions: usize = tracks.by_mmsi.values().map(Vec::len).sum();

    let mut scenes = Vec::new();
    let mut detections: Vec<Detection> = Vec::new();
    for s in 0..SCENES {
        let time_ms = rng.range(0.0, DAY_MS as f64) as i64;
        let centre = LatLon { lat_deg: rng.range(39.0, 45.0), lon_deg: rng.range(131.0, 137.0) };
        let scene_id = format!("scene-{s}");
        scenes.push(Scene {
            id: scene_id.clone(),
            satellite: None,
            time: Timestamp::from_unix_ms(time_ms),
            footprint: ring(&rectangle(centre, 100_000.0, 100_000.0)),
            source_id: 2,
            line: s as u64,
        });
        // The vessels in the scene, detected (up to seven in ten of the
        // detections); the rest anywhere in it.
        let inside: Vec<&Vessel> = vessels.iter().filter(|v| v.at(time_ms).distance_m(centre) < 45_000.0).collect();
        for k in 0..PER_SCENE {
            let (position, length_m) = match inside.get(k) {
                Some(v) if k < PER_SCENE * 7 / 10 => (
                    v.at(time_ms).destination(rng.range(0.0, 360.0), rng.range(0.0, 70.0)),
                    v.length_m * rng.range(0.9, 1.1),
                ),
                _ => (centre.destination(rng.range(0.0, 360.0), rng.range(0.0, 45_000.0)), rng.range(10.0, 200.0)),
            };
            detections.push(Detection {
                id: format!("{scene_id}-d{k}"),
                scene_id: Some(scene_id.clone()),
                time: Timestamp::from_unix_ms(time_ms),
                position,
                length_m: Some(length_m),
                width_m: None,
                heading_deg: None,
                confidence: Some(rng.range(0.6, 0.99)),
                provider_mmsi: None,
                source_id: 2,
                line: (s * PER_SCENE + k) as u64,
            });
        }
    }
    let silences: Vec<Silence> = (0..500)
        .map(|i| {
            let v = &vessels[i * 5];
            let from_ms = rng.range(0.0, DAY_MS as f64 / 2.0) as i64;
            let to_ms = from_ms + rng.range(6.0, 12.0) as i64 * 3_600_000;
            Silence {
                mmsi: mmsi(i * 5),
                event_id: format!("gap-{i}"),
                from: (Timestamp::from_unix_ms(from_ms), v.at(from_ms)),
                to: Some((Timestamp::from_unix_ms(to_ms), v.at(to_ms))),
                end: Timestamp::from_unix_ms(to_ms),
            }
        })
        .collect();
    let profile = FusionProfile::default();
    let lengths: HashMap<Mmsi, f64> = vessels.iter().enumerate().map(|(i, v)| (mmsi(i), v.length_m)).collect();
    let length_of = |m: Mmsi| lengths.get(&m).copied();

    let started = Instant::now();
    let index = SlotIndex::new(&tracks, &profile);
    let mut matched: HashSet<&str> = HashSet::new();
    let mut unmatched: Vec<&Detection> = Vec::new();
    let scene_detections: Vec<Vec<&Detection>> =
        (0..SCENES).map(|s| detections[s * PER_SCENE..(s + 1) * PER_SCENE].iter().collect()).collect();
    let looks: Vec<(Look, &[&Detection])> = scenes
        .iter()
        .zip(&scene_detections)
        .map(|(scene, of_scene)| (Look { outline: scene.footprint.clone(), time: scene.time }, of_scene.as_slice()))
        .collect();
    let results = match_scenes(&looks, &tracks, &index, &length_of, &profile);
    let mut candidates_total = 0;
    for ((_, of_scene), (candidates, assignment)) in looks.iter().zip(&results) {
        candidates_total += candidates.len();
        let taken: HashSet<usize> = assignment.matched.iter().map(|p| p.detection).collect();
        for (i, d) in of_scene.iter().enumerate() {
            if taken.contains(&i) {
                matched.insert(d.id.as_str());
            } else {
                unmatched.push(d);
            }
        }
    }
    let matching_s = started.elapsed().as_secs_f64();
    let structures_started = Instant::now();
    let (spots, _) = fixed_structures(&detections, &scenes, &matched, &profile);
    let structures_s = structures_started.elapsed().as_secs_f64();
    let dark_started = Instant::now();
    let with_identity = unmatched.iter().filter(|d| !identities(d, &silences, length_of, &profile).is_empty()).count();
    let dark_s = dark_started.elapsed().as_secs_f64();
    let total = started.elapsed().as_secs_f64();
    let (end_to_end, summary) = through_a_dataset(&tracks, &scenes, &detections, &profile);
    println!(
        "fusion: {} detections in {SCENES} scenes against {positions} positions of {VESSELS} vessels: {total:.2} s \
         (matching {matching_s:.2} s, {:.0} candidates a scene; structures {structures_s:.2} s; identities {dark_s:.2} s); \
         {} matched, {} unmatched ({with_identity} with a candidate identity), {} structures",
        detections.len(),
        candidates_total as f64 / SCENES as f64,
        matched.len(),
        unmatched.len(),
        spots.len()
    );
    println!(
        "fusion end to end (`fuse` over a dataset: the day read from Parquet, catalog rows, events): {end_to_end:.2} s; \
         {} matched, {} dark, {} not detected",
        summary.matched, summary.dark, summary.not_detected
    );
}

/// The same day written to a dataset (Parquet archive, catalog rows; not
/// timed) and `fuse` run over it as `tumen run` does (timed).
fn through_a_dataset(
    tracks: &Tracks,
    scenes: &[Scene],
    detections: &[Detection],
    profile: &FusionProfile,
) -> (f64, FusionSummary) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut dataset = Dataset::open(dir.path()).expect("a dataset");
    let source = dataset
        .catalog()
        .begin_source(&tumen_store::NewSource {
            kind: tumen_store::SourceKind::File,
            location: "bench",
            content_hash: Some("bench"),
            size_bytes: None,
            format: "nmea",
            receivers: Some(tumen_store::ReceiverKind::Unknown),
        })
        .expect("a source");
    let mut rows = Vec::new();
    for (&mmsi, fixes) in &tracks.by_mmsi {
        for f in fixes {
            rows.push(PositionRow {
                mmsi,
                time: f.time,
                lat_deg: f.position.lat_deg,
                lon_deg: f.position.lon_deg,
                sog_knots: f.sog_knots,
                cog_deg: f.cog_deg,
                heading_deg: None,
                nav_status: Some(0),
                msg_type: 1,
                class: StationClass::A,
                receiver: None,
                receivers_heard: 1,
                time_origin: TimeOrigin::TagBlock,
                origin: Origin { source_id: source.id, line: f.line },
            });
        }
        if rows.len() >= 1_000_000 {
            let mut batch = Batch { source_id: source.id, positions: std::mem::take(&mut rows), ..Batch::default() };
            dataset.commit(&mut batch).expect("a commit");
        }
    }
    let mut batch = Batch { source_id: source.id, positions: rows, ..Batch::default() };
    dataset.commit(&mut batch).expect("a commit");
    dataset.compact().expect("compaction");
    dataset.catalog_mut().put_scenes(scenes).expect("scenes");
    dataset.catalog_mut().put_detections(detections).expect("detections");
    let started = Instant::now();
    let (_, summary) = fuse(&dataset, Gazetteer::embedded(), profile, None, None, &[]).expect("fusion");
    (started.elapsed().as_secs_f64(), summary)
}
