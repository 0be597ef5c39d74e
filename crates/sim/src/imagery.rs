//! Satellite scenes: which vessels and structures each scene detects, where
//! and how long it measures them, and its false alarms. Vessels with AIS
//! off are detected like any other — that is the point of imagery.

use rand::Rng;
use rand_distr::{Distribution, Normal, Poisson};
use tumen_model::{LatLon, Timestamp};

use crate::traffic::stream;
use crate::world::World;

/// One detection as the detections file gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    pub id: String,
    pub scene: usize,
    pub time: Timestamp,
    pub position: LatLon,
    pub length_m: f64,
    pub confidence: f64,
    pub truth: DetectionTruth,
}

/// What a detection really is.
#[derive(Clone, Debug, PartialEq)]
pub enum DetectionTruth {
    Vessel { vessel: usize, true_position: LatLon, dark: bool },
    Structure { structure: usize },
    FalseAlarm,
}

/// A vessel inside a scene that the scene did not detect.
#[derive(Clone, Debug, PartialEq)]
pub struct Missed {
    pub scene: usize,
    pub vessel: usize,
}

/// Vessels of this length or more are detected with the scene's full
/// probability; shorter ones in proportion to their length.
const FULL_DETECTION_LENGTH_M: f64 = 40.0;

/// Runs every scene of the world.
pub fn detect(world: &World) -> (Vec<Detection>, Vec<Missed>) {
    let mut detections = Vec::new();
    let mut missed = Vec::new();
    for (scene_index, scene) in world.scenes.iter().enumerate() {
        let mut rng = stream(world.seed, &[3, scene_index as u64]);
        let unit = Normal::new(0.0, 1.0).expect("unit normal");
        let mut found = Vec::new();
        for (vessel_index, vessel) in world.vessels.iter().enumerate() {
            let Some(state) = vessel.plan.state_at(scene.time) else { continue };
            if !scene.covers(state.position) {
                continue;
            }
            let probability = scene.detection_probability * (vessel.length_m / FULL_DETECTION_LENGTH_M).min(1.0);
            if !rng.random_bool(probability.clamp(0.0, 1.0)) {
                missed.push(Missed { scene: scene_index, vessel: vessel_index });
                continue;
            }
            let position = displaced(state.position, &mut rng, &unit, scene.position_error_m);
            let length_m = (vessel.length_m * (1.0 + unit.sample(&mut rng) * scene.length_error)).max(5.0);
            found.push((
                position,
                length_m,
                rng.random_range(0.75..0.99f64),
                DetectionTruth::Vessel {
                    vessel: vessel_index,
                    true_position: state.position,
                    dark: vessel.is_dark_at(scene.time),
                },
            ));
        }
        for (structure_index, structure) in world.structures.iter().enumerate() {
            if scene.covers(structure.at) && rng.random_bool(scene.detection_probability) {
                let position = displaced(structure.at, &mut rng, &unit, scene.position_error_m);
                let length_m = (structure.length_m * (1.0 + unit.sample(&mut rng) * scene.length_error)).max(5.0);
                found.push((
                    position,
                    length_m,
                    rng.random_range(0.8..0.99),
                    DetectionTruth::Structure { structure: structure_index },
                ));
            }
        }
        let false_alarms = if scene.false_alarms > 0.0 {
            Poisson::new(scene.false_alarms).map_or(0.0, |p| p.sample(&mut rng)) as usize
        } else {
            0
        };
        for _ in 0..false_alarms {
            let north = rng.random_range(-0.5..0.5) * scene.height_m;
            let east = rng.random_range(-0.5..0.5) * scene.width_m;
            let position = scene.center.destination(0.0, north).destination(90.0, east);
            found.push((
                position,
                rng.random_range(8.0..60.0),
                rng.random_range(0.5..0.85),
                DetectionTruth::FalseAlarm,
            ));
        }
        // Number detections north to south, west to east, so their ids say
        // nothing about what they are.
        found.sort_by(|a, b| b.0.lat_deg.total_cmp(&a.0.lat_deg).then(a.0.lon_deg.total_cmp(&b.0.lon_deg)));
        for (n, (position, length_m, confidence, truth)) in found.into_iter().enumerate() {
            detections.push(Detection {
                id: format!("{}-d{}", scene.id, n + 1),
                scene: scene_index,
                time: scene.time,
                position,
                length_m: (length_m * 10.0).round() / 10.0,
                confidence: (confidence * 1000.0).round() / 1000.0,
                truth,
            });
        }
    }
    (detections, missed)
}

fn displaced(p: LatLon, rng: &mut impl Rng, unit: &Normal<f64>, sigma_m: f64) -> LatLon {
    let north = unit.sample(rng) * sigma_m;
    let east = unit.sample(rng) * sigma_m;
    p.destination(0.0, north).destination(90.0, east)
}

/// `scene_id,satellite,time,center_lat,center_lon,width_km,height_km,footprint_wkt`
pub fn scenes_csv(world: &World) -> String {
    let mut out = String::from("scene_id,satellite,time,center_lat,center_lon,width_km,height_km,footprint_wkt\n");
    for scene in &world.scenes {
        let corners = scene.corners();
        let ring: Vec<String> = corners
            .iter()
            .chain(std::iter::once(&corners[0]))
            .map(|c| format!("{:.6} {:.6}", c.lon_deg, c.lat_deg))
            .collect();
        out.push_str(&format!(
            "{},{},{},{:.6},{:.6},{},{},\"POLYGON(({}))\"\n",
            scene.id,
            scene.satellite,
            scene.time,
            scene.center.lat_deg,
            scene.center.lon_deg,
            scene.width_m / 1000.0,
            scene.height_m / 1000.0,
            ring.join(", ")
        ));
    }
    out
}

/// `detect_id,scene_id,time,lat,lon,length_m,confidence`
pub fn detections_csv(world: &World, detections: &[Detection]) -> String {
    let mut out = String::from("detect_id,scene_id,time,lat,lon,length_m,confidence\n");
    for d in detections {
        out.push_str(&format!(
            "{},{},{},{:.6},{:.6},{:.1},{:.3}\n",
            d.id, world.scenes[d.scene].id, d.time, d.position.lat_deg, d.position.lon_deg, d.length_m, d.confidence
        ));
    }
    out
}
