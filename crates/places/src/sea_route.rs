//! The shortest way by sea between two points, round the land: what a map
//! draws for a sea leg (not a straight line across a peninsula) and what a
//! report gives as the leg's sea distance.
//!
//! A grid over the two points' surroundings (at most [`GRID_CELLS`] cells
//! along its longer side) marks each cell land or water by its centre; A*
//! finds the shortest 8-connected path of water cells, and the path is
//! then straightened — each point joined to the farthest later one that a
//! straight line reaches over water — so the route is a few segments, not a
//! staircase. Ports sit at the shore, often on land at Natural Earth's
//! resolution: each end is joined to the nearest water cell.
//!
//! What this is not: a shipping-lane router. Channels narrower than a cell
//! (about a fiftieth of the area searched; a few hundred metres at a port,
//! tens of kilometres across an ocean) are closed to it, so a canal or a
//! strait crossed on a long route can be missed; then the area grows, and
//! after [`ATTEMPTS`] tries there is no route and callers say so.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tumen_model::LatLon;

use crate::Land;

/// Cells along the longer side of the grid.
pub const GRID_CELLS: usize = 320;
/// Each try doubles the margin round the two points.
pub const ATTEMPTS: usize = 3;

/// A route over water.
#[derive(Clone, Debug, PartialEq)]
pub struct SeaRoute {
    /// From the start to the end, both included.
    pub points: Vec<LatLon>,
    /// Its length along those points, nautical miles.
    pub length_nm: f64,
}

/// The shortest route by sea from `from` to `to` found round `land`, or
/// `None` when none was found (one end far inland, or the way out through
/// a channel too narrow for the grid).
pub fn sea_route(land: &Land, from: LatLon, to: LatLon) -> Option<SeaRoute> {
    let finite = |p: LatLon| p.lat_deg.is_finite() && p.lon_deg.is_finite() && p.lat_deg.abs() < 85.0;
    if !finite(from) || !finite(to) {
        return None;
    }
    // Across the antimeridian: work in longitudes continued past ±180°.
    let to = LatLon { lon_deg: from.lon_deg + wrap(to.lon_deg - from.lon_deg), ..to };
    let span = (to.lon_deg - from.lon_deg).abs().max((to.lat_deg - from.lat_deg).abs());
    let mut margin_deg = (span * 0.5).max(0.5);
    for _ in 0..ATTEMPTS {
        let grid = Grid::around(land, from, to, margin_deg);
        if let Some(path) = grid.path(from, to) {
            let points: Vec<LatLon> = straighten(land, &path, grid.cell_deg / 3.0)
                .into_iter()
                .map(|p| LatLon { lon_deg: wrap(p.lon_deg), ..p })
                .collect();
            let length_nm = points.windows(2).map(|w| w[0].distance_m(w[1])).sum::<f64>() / 1852.0;
            return Some(SeaRoute { points, length_nm });
        }
        margin_deg *= 2.0;
    }
    None
}

/// A longitude difference or value brought into [-180, 180).
fn wrap(lon_deg: f64) -> f64 {
    if (-180.0..180.0).contains(&lon_deg) { lon_deg } else { (lon_deg + 180.0).rem_euclid(360.0) - 180.0 }
}

/// Water or land, cell by cell, over a rectangle of latitude and longitude.
struct Grid {
    lon_min: f64,
    lat_min: f64,
    cell_deg: f64,
    columns: usize,
    rows: usize,
    water: Vec<bool>,
}

impl Grid {
    fn around(land: &Land, a: LatLon, b: LatLon, margin_deg: f64) -> Grid {
        let lon_min = a.lon_deg.min(b.lon_deg) - margin_deg;
        let lon_max = a.lon_deg.max(b.lon_deg) + margin_deg;
        let lat_min = (a.lat_deg.min(b.lat_deg) - margin_deg).max(-84.0);
        let lat_max = (a.lat_deg.max(b.lat_deg) + margin_deg).min(84.0);
        let cell_deg = (lon_max - lon_min).max(lat_max - lat_min) / GRID_CELLS as f64;
        let columns = ((lon_max - lon_min) / cell_deg).ceil() as usize;
        let rows = ((lat_max - lat_min) / cell_deg).ceil() as usize;
        let mut water = Vec::with_capacity(columns * rows);
        for row in 0..rows {
            for column in 0..columns {
                let lat = lat_min + (row as f64 + 0.5) * cell_deg;
                let lon = wrap(lon_min + (column as f64 + 0.5) * cell_deg);
                water.push(!land.is_on_land(lat, lon));
            }
        }
        Grid { lon_min, lat_min, cell_deg, columns, rows, water }
    }

    fn centre(&self, cell: usize) -> LatLon {
        let (row, column) = (cell / self.columns, cell % self.columns);
        LatLon {
            lat_deg: self.lat_min + (row as f64 + 0.5) * self.cell_deg,
            lon_deg: self.lon_min + (column as f64 + 0.5) * self.cell_deg,
        }
    }

    /// The water cell nearest `p` (by rings of cells round it), within a
    /// tenth of the grid.
    fn nearest_water(&self, p: LatLon) -> Option<usize> {
        let column = ((p.lon_deg - self.lon_min) / self.cell_deg) as isize;
        let row = ((p.lat_deg - self.lat_min) / self.cell_deg) as isize;
        let reach = (self.columns.max(self.rows) / 10).max(2) as isize;
        (0..=reach).find_map(|ring| {
            let mut best: Option<(f64, usize)> = None;
            for dr in -ring..=ring {
                for dc in -ring..=ring {
                    if dr.abs() != ring && dc.abs() != ring {
                        continue;
                    }
                    let (r, c) = (row + dr, column + dc);
                    if r < 0 || c < 0 || r >= self.rows as isize || c >= self.columns as isize {
                        continue;
                    }
                    let cell = r as usize * self.columns + c as usize;
                    if self.water[cell] {
                        let d = self.centre(cell).distance_m(p);
                        if best.is_none_or(|(bd, _)| d < bd) {
                            best = Some((d, cell));
                        }
                    }
                }
            }
            best.map(|(_, cell)| cell)
        })
    }

    /// A* over the water cells, `from` and `to` joined to their nearest;
    /// the path's points from `from` to `to`.
    fn path(&self, from: LatLon, to: LatLon) -> Option<Vec<LatLon>> {
        let (start, goal) = (self.nearest_water(from)?, self.nearest_water(to)?);
        let goal_at = self.centre(goal);
        let mut cost = vec![f64::INFINITY; self.water.len()];
        let mut came_from = vec![usize::MAX; self.water.len()];
        let mut open = BinaryHeap::new();
        cost[start] = 0.0;
        open.push(Open { estimate: self.centre(start).distance_m(goal_at), cell: start });
        while let Some(Open { cell, estimate }) = open.pop() {
            if cell == goal {
                break;
            }
            let here = self.centre(cell);
            if estimate > cost[cell] + here.distance_m(goal_at) + 1e-6 {
                continue; // a stale entry
            }
            let (row, column) = ((cell / self.columns) as isize, (cell % self.columns) as isize);
            for (dr, dc) in [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)] {
                let (r, c) = (row + dr, column + dc);
                if r < 0 || c < 0 || r >= self.rows as isize || c >= self.columns as isize {
                    continue;
                }
                let next = r as usize * self.columns + c as usize;
                if !self.water[next] {
                    continue;
                }
                let there = self.centre(next);
                let through = cost[cell] + here.distance_m(there);
                if through < cost[next] {
                    cost[next] = through;
                    came_from[next] = cell;
                    open.push(Open { estimate: through + there.distance_m(goal_at), cell: next });
                }
            }
        }
        if !cost[goal].is_finite() {
            return None;
        }
        let mut cells = vec![goal];
        while let Some(&last) = cells.last()
            && last != start
        {
            cells.push(came_from[last]);
        }
        let mut points = vec![from];
        points.extend(cells.iter().rev().map(|&c| self.centre(c)));
        points.push(to);
        Some(points)
    }
}

/// A cell waiting in the A* queue, least estimate first.
#[derive(PartialEq)]
struct Open {
    estimate: f64,
    cell: usize,
}

impl Eq for Open {}

impl Ord for Open {
    fn cmp(&self, other: &Self) -> Ordering {
        other.estimate.total_cmp(&self.estimate)
    }
}

impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The path with each point kept joined to the farthest later point that
/// it and every point before reach in a straight line over water (tested
/// every `step_deg`). The ends' own joins
/// to the water are kept as they are.
fn straighten(land: &Land, path: &[LatLon], step_deg: f64) -> Vec<LatLon> {
    let clear = |a: LatLon, b: LatLon| {
        let steps = ((b.lon_deg - a.lon_deg).abs().max((b.lat_deg - a.lat_deg).abs()) / step_deg).ceil() as usize;
        (1..steps).all(|i| {
            let t = i as f64 / steps as f64;
            !land.is_on_land(a.lat_deg + t * (b.lat_deg - a.lat_deg), wrap(a.lon_deg + t * (b.lon_deg - a.lon_deg)))
        })
    };
    if path.len() <= 2 {
        return path.to_vec();
    }
    let last = path.len() - 1;
    // The first and last points may be on land (a port's centre): keep
    // their steps to the water.
    let mut out = vec![path[0]];
    let mut at = 1;
    out.push(path[at]);
    while at < last - 1 {
        // Forward until the line first touches land: as far as it sees
        // without testing every long line across the whole path.
        let next = (at + 2..last).take_while(|&j| clear(path[at], path[j])).last().unwrap_or(at + 1);
        out.push(path[next]);
        at = next;
    }
    out.push(path[last]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat_deg: f64, lon_deg: f64) -> LatLon {
        LatLon { lat_deg, lon_deg }
    }

    #[test]
    fn open_water_is_crossed_straight() {
        let route = sea_route(Land::embedded(), at(-40.0, -120.0), at(-39.0, -118.0)).unwrap();
        let straight = at(-40.0, -120.0).distance_m(at(-39.0, -118.0)) / 1852.0;
        assert!((route.length_nm - straight).abs() < 0.02 * straight, "{route:?}");
    }

    #[test]
    fn a_route_goes_round_a_peninsula_over_water() {
        // Busan to Incheon: round Korea's south-west corner, not across it.
        let (busan, incheon) = (at(35.10, 129.04), at(37.45, 126.60));
        let land = Land::embedded();
        let route = sea_route(land, busan, incheon).unwrap();
        let straight_nm = busan.distance_m(incheon) / 1852.0;
        assert!(route.length_nm > 1.5 * straight_nm, "{:.0} nm against {straight_nm:.0}", route.length_nm);
        // Every point between the ends' joins is at sea, and it passes
        // south of the peninsula (below 35° N).
        for p in &route.points[1..route.points.len() - 1] {
            assert!(!land.is_on_land(p.lat_deg, p.lon_deg), "{p:?} on land");
        }
        assert!(route.points.iter().any(|p| p.lat_deg < 35.0));
        assert_eq!(route.points.first(), Some(&busan));
        assert_eq!(route.points.last(), Some(&incheon));
    }

    #[test]
    fn no_route_from_far_inland() {
        // Ulaanbaatar has no sea within reach of the grid.
        assert_eq!(sea_route(Land::embedded(), at(47.9, 106.9), at(47.9, 107.2)), None);
        assert_eq!(sea_route(Land::embedded(), at(f64::NAN, 0.0), at(1.0, 1.0)), None);
    }
}
