//! Keeping simulated ships off the land: a leg that crosses the coastline
//! (Natural Earth 1:10m, the one the detectors use) is replaced by a path
//! round it, found with A* on a grid of sea cells over the leg's
//! surroundings and straightened by dropping every waypoint the path can
//! do without. Random points for background traffic are drawn at sea.
//!
//! Ports lie on the coast (the port point itself may be a little inland at
//! 1:10m), so land within `END_ALLOWANCE_M` of a leg's ends does not count.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tumen_model::LatLon;
use tumen_places::Land;

/// Land this close to a leg's end is the quay, not a cape in the way.
const END_ALLOWANCE_M: f64 = 1_500.0;

/// The shortest step when tracing a leg near the shore.
const MIN_STEP_M: f64 = 150.0;

/// Grid cells per side of the search box (at most), and the finest cell.
const MAX_CELLS_PER_SIDE: f64 = 400.0;
const MIN_CELL_DEG: f64 = 0.004;

/// `points` with every leg that crosses land replaced by a way round.
pub fn route(points: &[LatLon]) -> Vec<LatLon> {
    let land = Land::embedded();
    let Some(&first) = points.first() else { return Vec::new() };
    let mut out = vec![first];
    for leg in points.windows(2) {
        let (a, b) = (leg[0], leg[1]);
        if !is_clear(land, a, b, a, b)
            && let Some(detour) = detour(land, a, b)
        {
            out.extend(detour);
        }
        out.push(b);
    }
    out
}

/// Whether the straight leg from `a` to `b` stays at sea, except near
/// `start` and `end` (the leg's ends, or the whole route's). Traced by
/// steps as long as the distance to shore allows: few steps in open water.
pub fn is_clear(land: &Land, a: LatLon, b: LatLon, start: LatLon, end: LatLon) -> bool {
    let length_m = a.distance_m(b);
    if length_m < 1.0 {
        return true;
    }
    let bearing = a.bearing_deg_to(b);
    let mut along_m = 0.0;
    loop {
        // Re-aim at `b` from each point: a great circle to within metres.
        let p = if along_m == 0.0 { a } else { a.destination(bearing, along_m) };
        let near_ends = p.distance_m(start) < END_ALLOWANCE_M || p.distance_m(end) < END_ALLOWANCE_M;
        if !near_ends && land.is_on_land(p.lat_deg, p.lon_deg) {
            return false;
        }
        if along_m >= length_m {
            return true;
        }
        let shore_m = if near_ends { 0.0 } else { land.distance_to_shore_km(p.lat_deg, p.lon_deg) * 1000.0 };
        along_m = (along_m + (shore_m * 0.9).max(MIN_STEP_M)).min(length_m);
    }
}

/// Waypoints (not `a` or `b`) of a way from `a` to `b` at sea, if the
/// search finds one.
fn detour(land: &Land, a: LatLon, b: LatLon) -> Option<Vec<LatLon>> {
    for widen in [1.0, 3.0, 8.0] {
        if let Some(path) = search(land, a, b, widen) {
            return Some(straighten(land, a, b, &path));
        }
    }
    None
}

/// A* over sea cells in the box round `a` and `b` (grown by `widen` times
/// its size, at least half a degree).
fn search(land: &Land, a: LatLon, b: LatLon, widen: f64) -> Option<Vec<LatLon>> {
    let (south, north) = (a.lat_deg.min(b.lat_deg), a.lat_deg.max(b.lat_deg));
    let (west, east) = (a.lon_deg.min(b.lon_deg), a.lon_deg.max(b.lon_deg));
    if east - west > 180.0 {
        return None; // across the antimeridian: not handled
    }
    let margin = ((north - south).max(east - west) * 0.5 * widen).max(0.25 * widen);
    let (south, north) = ((south - margin).max(-85.0), (north + margin).min(85.0));
    let (west, east) = (west - margin, east + margin);
    let cell = ((north - south).max(east - west) / MAX_CELLS_PER_SIDE).max(MIN_CELL_DEG);
    let rows = ((north - south) / cell).ceil() as usize + 1;
    let columns = ((east - west) / cell).ceil() as usize + 1;
    let centre = |r: usize, c: usize| LatLon {
        lat_deg: south + (r as f64 + 0.5) * cell,
        lon_deg: tumen_model::wrap_lon_deg(west + (c as f64 + 0.5) * cell),
    };
    let cell_of = |p: LatLon| {
        (
            (((p.lat_deg - south) / cell).floor() as usize).min(rows - 1),
            (((p.lon_deg - west) / cell).floor() as usize).min(columns - 1),
        )
    };
    let (start, goal) = (cell_of(a), cell_of(b));
    let index = |(r, c): (usize, usize)| r * columns + c;
    let mut sea = vec![0u8; rows * columns]; // 0 unknown, 1 sea, 2 land
    let mut is_sea = |rc: (usize, usize)| {
        let i = index(rc);
        if sea[i] == 0 {
            let p = centre(rc.0, rc.1);
            let ok = rc == start
                || rc == goal
                || p.distance_m(a) < END_ALLOWANCE_M
                || p.distance_m(b) < END_ALLOWANCE_M
                || !land.is_on_land(p.lat_deg, p.lon_deg);
            sea[i] = if ok { 1 } else { 2 };
        }
        sea[i] == 1
    };
    // Costs in metres, rounded: the heap needs a total order.
    let goal_at = centre(goal.0, goal.1);
    let mut best = vec![u64::MAX; rows * columns];
    let mut came_from = vec![usize::MAX; rows * columns];
    let mut open = BinaryHeap::new();
    best[index(start)] = 0;
    open.push(Reverse((centre(start.0, start.1).distance_m(goal_at) as u64, 0u64, start)));
    while let Some(Reverse((_, cost, rc))) = open.pop() {
        if rc == goal {
            let mut cells = vec![rc];
            let mut i = index(rc);
            while came_from[i] != usize::MAX {
                i = came_from[i];
                cells.push((i / columns, i % columns));
            }
            cells.reverse();
            return Some(cells.into_iter().map(|(r, c)| centre(r, c)).collect());
        }
        if cost > best[index(rc)] {
            continue;
        }
        let here = centre(rc.0, rc.1);
        for (dr, dc) in [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)] {
            let (r, c) = (rc.0 as isize + dr, rc.1 as isize + dc);
            if r < 0 || c < 0 || r as usize >= rows || c as usize >= columns {
                continue;
            }
            let next = (r as usize, c as usize);
            // A diagonal step only between sea on both sides (no corner cut).
            let corners_clear = dr == 0 || dc == 0 || (is_sea((next.0, rc.1)) && is_sea((rc.0, next.1)));
            if !is_sea(next) || !corners_clear {
                continue;
            }
            let there = centre(next.0, next.1);
            let next_cost = cost + here.distance_m(there) as u64;
            if next_cost < best[index(next)] {
                best[index(next)] = next_cost;
                came_from[index(next)] = index(rc);
                open.push(Reverse((next_cost + there.distance_m(goal_at) as u64, next_cost, next)));
            }
        }
    }
    None
}

/// The fewest of `path`'s points that keep every leg from `a` to `b` at sea:
/// from each kept point, on to the furthest point in clear sight.
fn straighten(land: &Land, a: LatLon, b: LatLon, path: &[LatLon]) -> Vec<LatLon> {
    let mut points = vec![a];
    points.extend_from_slice(path);
    points.push(b);
    let mut kept = Vec::new();
    let mut i = 0;
    while i < points.len() - 1 {
        let mut j = points.len() - 1;
        while j > i + 1 && !is_clear(land, points[i], points[j], a, b) {
            j -= 1;
        }
        if j < points.len() - 1 {
            kept.push(points[j]);
        }
        i = j;
    }
    kept
}

/// A point drawn by `draw` that is at sea (at most 50 tries; the last is
/// kept if every one fell on land).
pub fn at_sea(mut draw: impl FnMut() -> LatLon) -> LatLon {
    let land = Land::embedded();
    let mut p = draw();
    for _ in 0..50 {
        if !land.is_on_land(p.lat_deg, p.lon_deg) && land.distance_to_shore_km(p.lat_deg, p.lon_deg) > 1.0 {
            break;
        }
        p = draw();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat_deg: f64, lon_deg: f64) -> LatLon {
        LatLon { lat_deg, lon_deg }
    }

    #[test]
    fn a_leg_across_a_peninsula_goes_round_it() {
        // From west of Nakhodka into its bay: straight across the
        // peninsula, which the route must go round.
        let land = Land::embedded();
        let (from, to) = (p(42.70, 132.75), p(42.80, 132.8833));
        assert!(!is_clear(land, from, to, from, to));
        let routed = route(&[from, to]);
        assert!(routed.len() > 2, "{routed:?}");
        // Every 100 m of the way: at sea, or within a grid cell of the
        // shore (a diagonal step between two sea cells may clip a corner).
        for leg in routed.windows(2) {
            let (length_m, bearing) = (leg[0].distance_m(leg[1]), leg[0].bearing_deg_to(leg[1]));
            for k in 0..=(length_m / 100.0) as usize {
                let q = leg[0].destination(bearing, k as f64 * 100.0);
                if land.is_on_land(q.lat_deg, q.lon_deg) && q.distance_m(to) > END_ALLOWANCE_M {
                    assert!(land.distance_to_shore_km(q.lat_deg, q.lon_deg) < 0.6, "{q:?} on {leg:?}");
                }
            }
        }
        // Open water is left alone.
        assert_eq!(route(&[p(40.0, 134.0), p(41.0, 135.0)]).len(), 2);
    }
}
