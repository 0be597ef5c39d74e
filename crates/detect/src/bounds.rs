//! Small boxes of positions and a limit on their size: the circle and
//! confinement detectors grow a box with every report of a track and ask
//! whether it is still small, so the test is a few multiplications — spans
//! in degrees on a plane tangent at one latitude, no square root or cosine
//! per test (the boxes are a few kilometres across).

use tumen_model::LatLon;

use crate::fix::Fix;

/// A box of latitudes and longitudes round the positions it was widened by.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    pub(crate) south_west: LatLon,
    pub(crate) north_east: LatLon,
}

impl Bounds {
    pub(crate) fn around(fix: &Fix) -> Bounds {
        Bounds { south_west: fix.position(), north_east: fix.position() }
    }

    pub(crate) fn widen(&mut self, fix: &Fix) {
        self.south_west.lat_deg = self.south_west.lat_deg.min(fix.lat_deg);
        self.south_west.lon_deg = self.south_west.lon_deg.min(fix.lon_deg);
        self.north_east.lat_deg = self.north_east.lat_deg.max(fix.lat_deg);
        self.north_east.lon_deg = self.north_east.lon_deg.max(fix.lon_deg);
    }

    /// Widened by another box.
    pub(crate) fn join(&mut self, other: &Bounds) {
        self.south_west.lat_deg = self.south_west.lat_deg.min(other.south_west.lat_deg);
        self.south_west.lon_deg = self.south_west.lon_deg.min(other.south_west.lon_deg);
        self.north_east.lat_deg = self.north_east.lat_deg.max(other.north_east.lat_deg);
        self.north_east.lon_deg = self.north_east.lon_deg.max(other.north_east.lon_deg);
    }

    pub(crate) fn centre(&self) -> LatLon {
        LatLon {
            lat_deg: (self.south_west.lat_deg + self.north_east.lat_deg) / 2.0,
            lon_deg: (self.south_west.lon_deg + self.north_east.lon_deg) / 2.0,
        }
    }

    /// The diagonal, metres.
    pub(crate) fn diagonal_m(&self) -> f64 {
        self.south_west.near_distance_m(self.north_east)
    }
}

/// A box diagonal's limit at the latitude it was last made for.
pub(crate) struct DiagonalLimit {
    max_diagonal_m: f64,
    lat_deg: f64,
    cos_lat: f64,
    max_squared_deg: f64,
}

impl DiagonalLimit {
    pub(crate) fn new(max_diagonal_m: f64, lat_deg: f64) -> DiagonalLimit {
        let max_deg = (max_diagonal_m / tumen_model::EARTH_MEAN_RADIUS_M).to_degrees();
        DiagonalLimit {
            max_diagonal_m,
            lat_deg,
            cos_lat: lat_deg.to_radians().cos(),
            max_squared_deg: max_deg * max_deg,
        }
    }

    /// Made again for `lat_deg` when it is more than 0.1° from the latitude
    /// the limit was made for (a cosine per track every 11 km of latitude,
    /// not per report).
    pub(crate) fn follow(&mut self, lat_deg: f64) {
        if (lat_deg - self.lat_deg).abs() > 0.1 {
            *self = DiagonalLimit::new(self.max_diagonal_m, lat_deg);
        }
    }

    pub(crate) fn holds(&self, bounds: &Bounds) -> bool {
        let lat_span_deg = bounds.north_east.lat_deg - bounds.south_west.lat_deg;
        let x = (bounds.north_east.lon_deg - bounds.south_west.lon_deg) * self.cos_lat;
        lat_span_deg * lat_span_deg + x * x <= self.max_squared_deg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    #[test]
    fn the_limit_agrees_with_the_measured_diagonal() {
        for lat in [0.0, 42.3, -60.0, 75.0] {
            let mut limit = DiagonalLimit::new(1852.0, 0.0);
            limit.follow(lat);
            let corner = position(1, 0, lat, 131.0, 0.0);
            for (bearing, metres) in [(45.0, 1800.0), (45.0, 1900.0), (90.0, 1840.0), (0.0, 1860.0), (130.0, 1000.0)] {
                let p = corner.position().destination(bearing, metres);
                let mut bounds = Bounds::around(&corner);
                bounds.widen(&position(1, 1, p.lat_deg, p.lon_deg, 0.0));
                let measured = bounds.diagonal_m();
                if (measured - 1852.0).abs() > 10.0 {
                    assert_eq!(limit.holds(&bounds), measured <= 1852.0, "{lat} {bearing} {metres}: {measured}");
                }
            }
        }
    }
}
