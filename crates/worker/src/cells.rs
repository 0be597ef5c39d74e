//! Space–time cells for finding encounters in partitions: a grid point
//! belongs to the one-degree cell it lies in (its home) and is copied, as
//! halo, to every neighbouring cell it is within the search distance of, so
//! that the partition of a cell sees every point near the points it owns.
//! A pair is found by the home cell of its lower-MMSI point.

use tumen_model::METRES_PER_DEGREE;

/// Cells are this many degrees on a side: at 500 m search distance a point
/// is copied to a neighbour only within ~0.0045° of an edge (about 1% of
/// points), and a day's global grid (~7.5M points) spreads over ~10^4
/// cells a slot.
pub const CELL_DEG: f64 = 1.0;

/// A cell's number: rows of latitude from the south pole, columns of
/// longitude from the antimeridian.
pub fn cell_key(row: i64, column: i64) -> i64 {
    row * 1_000 + column
}

fn row_of(lat_deg: f64) -> i64 {
    ((lat_deg + 90.0) / CELL_DEG).floor().clamp(0.0, 180.0 / CELL_DEG) as i64
}

fn column_of(lon_deg: f64) -> i64 {
    ((lon_deg + 180.0) / CELL_DEG).floor().clamp(0.0, 360.0 / CELL_DEG - 1.0) as i64
}

/// The point's home cell, then every other cell within `search_m` of it.
/// The reach is widened by a tenth over the distance the pair search
/// measures (equirectangular at the mean latitude), so no pair is missed
/// at a cell's edge. Pairs across the antimeridian are not found (as on
/// one machine).
pub fn cells_of(lat_deg: f64, lon_deg: f64, search_m: f64, out: &mut Vec<(i64, bool)>) {
    out.clear();
    let (row, column) = (row_of(lat_deg), column_of(lon_deg));
    out.push((cell_key(row, column), true));
    let reach_lat_deg = 1.1 * search_m / METRES_PER_DEGREE;
    let poleward_deg = (lat_deg.abs() + reach_lat_deg).min(89.0);
    let reach_lon_deg = reach_lat_deg / poleward_deg.to_radians().cos();
    for r in row_of(lat_deg - reach_lat_deg)..=row_of(lat_deg + reach_lat_deg) {
        for c in column_of(lon_deg - reach_lon_deg)..=column_of(lon_deg + reach_lon_deg) {
            if (r, c) != (row, column) {
                out.push((cell_key(r, c), false));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_near_a_corner_is_copied_to_the_three_cells_around_it() {
        let mut cells = Vec::new();
        cells_of(41.9999, 131.9999, 500.0, &mut cells);
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[0], (cell_key(131, 311), true));
        assert!(cells[1..].iter().all(|(_, home)| !home));
        cells_of(41.5, 131.5, 500.0, &mut cells);
        assert_eq!(cells, [(cell_key(131, 311), true)]);
    }

    #[test]
    fn the_poles_and_the_antimeridian_stay_inside_the_grid() {
        let mut cells = Vec::new();
        for (lat, lon) in [(90.0, 180.0), (-90.0, -180.0), (89.99, 179.999), (0.0, -179.9999)] {
            cells_of(lat, lon, 500.0, &mut cells);
            assert!(cells.iter().all(|(key, _)| (0..=180_359).contains(key)), "{lat} {lon}: {cells:?}");
        }
    }
}
