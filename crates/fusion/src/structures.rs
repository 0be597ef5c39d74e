//! Fixed structures — platforms, wind turbines, moored hulks — are
//! detected at the same spot in scene after scene. They are told from
//! vessels by recurrence: detected in at least `structure_min_scenes`
//! scenes, in at least `structure_min_share` of the scenes that cover the
//! spot, over at least `structure_min_span_hours`, and rarely matched to
//! AIS. A ship at anchor for a day or two is seen in a few scenes, not in
//! most of those over the spot across the archive; a short archive can
//! still mistake one, which is why the span and share are configuration.

use std::collections::{HashMap, HashSet};

use tumen_model::{Detection, LatLon, METRES_PER_DEGREE, Scene};

use crate::imagery::{covers, footprint};
use crate::profile::FusionProfile;

/// A spot detected repeatedly.
#[derive(Clone, Debug, PartialEq)]
pub struct Spot {
    pub center: LatLon,
    /// Indices into the detections.
    pub members: Vec<usize>,
    /// Distinct scenes (or image times) that detected it.
    pub scenes_detecting: usize,
    /// Scenes whose footprint covers it (at least those detecting it).
    pub scenes_covering: usize,
    pub span_hours: f64,
    pub matched_share: f64,
}

/// The spots that are fixed structures, with the ids of their detections.
pub fn fixed_structures(
    detections: &[Detection],
    scenes: &[Scene],
    matched: &HashSet<&str>,
    profile: &FusionProfile,
) -> (Vec<Spot>, HashSet<String>) {
    let spots = spots(detections, profile.structure_radius_m);
    let polygons: Vec<_> = scenes.iter().filter_map(footprint).collect();
    let mut structures = Vec::new();
    let mut ids = HashSet::new();
    for mut spot in spots {
        let mut detecting: HashSet<String> = HashSet::new();
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        let mut matched_count = 0;
        for &i in &spot.members {
            let d = &detections[i];
            detecting.insert(d.scene_id.clone().unwrap_or_else(|| d.time.unix_ms().to_string()));
            first = first.min(d.time.unix_ms());
            last = last.max(d.time.unix_ms());
            matched_count += usize::from(matched.contains(d.id.as_str()));
        }
        let covering = polygons.iter().filter(|p| covers(p, spot.center)).count().max(detecting.len());
        spot.scenes_detecting = detecting.len();
        spot.scenes_covering = covering;
        spot.span_hours = (last - first) as f64 / 3_600_000.0;
        spot.matched_share = matched_count as f64 / spot.members.len() as f64;
        let is_structure = spot.scenes_detecting >= profile.structure_min_scenes
            && spot.scenes_detecting as f64 >= profile.structure_min_share * spot.scenes_covering as f64
            && spot.span_hours >= profile.structure_min_span_hours
            && spot.matched_share < 1.0 / 3.0;
        if is_structure {
            ids.extend(spot.members.iter().map(|&i| detections[i].id.clone()));
            structures.push(spot);
        }
    }
    (structures, ids)
}

/// Detections gathered into spots: each joins the nearest spot whose
/// centre is within `radius_m`, else starts one (a grid of cells the
/// radius high, each spot filed under its centre's, finds the neighbours).
fn spots(detections: &[Detection], radius_m: f64) -> Vec<Spot> {
    // Square cells of the radius in latitude, in plain degrees: a spot
    // within the radius is at most one row away, and as many columns as a
    // degree of longitude is narrower than one of latitude there.
    let cell_deg = radius_m / METRES_PER_DEGREE;
    let cell_of = |p: LatLon| ((p.lat_deg / cell_deg).floor() as i64, (p.lon_deg / cell_deg).floor() as i64);
    let columns_each_side = |p: LatLon| {
        let poleward = (p.lat_deg.abs() + cell_deg).min(89.0);
        (1.0 / poleward.to_radians().cos()).ceil() as i64
    };
    let mut spots: Vec<Spot> = Vec::new();
    let mut sums: Vec<(f64, f64)> = Vec::new();
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    let mut order: Vec<usize> = (0..detections.len()).collect();
    order.sort_by_key(|&i| (detections[i].time, detections[i].id.clone()));
    for i in order {
        let p = detections[i].position;
        let (row, col) = cell_of(p);
        let k = columns_each_side(p);
        let nearest = (row - 1..=row + 1)
            .flat_map(|r| (col - k..=col + k).map(move |c| (r, c)))
            .filter_map(|key| grid.get(&key))
            .flatten()
            .map(|&s| (s, spots[s].center.near_distance_m(p)))
            .filter(|&(_, d)| d <= radius_m)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match nearest {
            Some((s, _)) => {
                spots[s].members.push(i);
                sums[s].0 += p.lat_deg;
                sums[s].1 += p.lon_deg;
                let n = spots[s].members.len() as f64;
                let moved = LatLon { lat_deg: sums[s].0 / n, lon_deg: sums[s].1 / n };
                // Filed where its centre is, so a search round a point finds
                // every spot within the radius however far the centre drifts.
                let (was, now) = (cell_of(spots[s].center), cell_of(moved));
                if was != now {
                    grid.entry(was).or_default().retain(|&other| other != s);
                    grid.entry(now).or_default().push(s);
                }
                spots[s].center = moved;
            }
            None => {
                grid.entry((row, col)).or_default().push(spots.len());
                sums.push((p.lat_deg, p.lon_deg));
                spots.push(Spot {
                    center: p,
                    members: vec![i],
                    scenes_detecting: 0,
                    scenes_covering: 0,
                    span_hours: 0.0,
                    matched_share: 0.0,
                });
            }
        }
    }
    spots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imagery::{rectangle, ring};
    use tumen_model::Timestamp;

    const HOUR_MS: i64 = 3_600_000;

    fn scene(n: i64) -> Scene {
        Scene {
            id: format!("s{n}"),
            satellite: None,
            time: Timestamp::from_unix_ms(n * 12 * HOUR_MS),
            footprint: ring(&rectangle(LatLon { lat_deg: 42.8, lon_deg: 132.3 }, 25_000.0, 25_000.0)),
            source_id: 1,
            line: n as u64,
        }
    }

    fn detection(id: &str, scene: i64, lat: f64, lon: f64) -> Detection {
        Detection {
            id: id.into(),
            scene_id: Some(format!("s{scene}")),
            time: Timestamp::from_unix_ms(scene * 12 * HOUR_MS),
            position: LatLon { lat_deg: lat, lon_deg: lon },
            length_m: Some(60.0),
            width_m: None,
            heading_deg: None,
            confidence: Some(0.9),
            provider_mmsi: None,
            source_id: 2,
            line: 1,
        }
    }

    #[test]
    fn a_platform_in_every_scene_is_a_structure_and_a_ship_in_two_is_not() {
        let scenes: Vec<Scene> = (0..4).map(scene).collect();
        let mut detections = Vec::new();
        for n in 0..4 {
            // The platform, tens of metres apart scene to scene.
            detections.push(detection(&format!("p{n}"), n, 42.8 + 0.0002 * n as f64, 132.28));
        }
        // A ship at the quay in two scenes.
        detections.push(detection("q0", 0, 42.85, 132.33));
        detections.push(detection("q1", 1, 42.85, 132.33));
        let (spots, ids) = fixed_structures(&detections, &scenes, &HashSet::new(), &FusionProfile::default());
        assert_eq!(spots.len(), 1, "{spots:#?}");
        assert_eq!((spots[0].scenes_detecting, spots[0].scenes_covering), (4, 4));
        assert!(ids.contains("p0") && ids.contains("p3") && !ids.contains("q0"));
        // Matched to AIS most of the time: a vessel that stays, not a structure.
        let matched: HashSet<&str> = ["p0", "p1", "p2"].into_iter().collect();
        assert!(fixed_structures(&detections, &scenes, &matched, &FusionProfile::default()).0.is_empty());
    }

    #[test]
    fn detections_a_hundred_metres_apart_far_east_are_one_spot() {
        // The imagery scenario's platform: a latitude cosine taken per
        // point once put these two columns apart on the grid.
        let detections = [
            detection("a", 0, 42.800429, 132.278968),
            detection("b", 1, 42.799737, 132.280325),
            detection("c", 2, 42.799967, 132.279807),
            detection("d", 3, 42.799979, 132.280208),
        ];
        let found = spots(&detections, FusionProfile::default().structure_radius_m);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].members.len(), 4);
    }
}
