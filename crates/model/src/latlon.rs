//! Positions on the Earth and the few spherical formulas every stage needs.

/// Mean Earth radius (IUGG), the sphere every distance in Tumen is measured on.
pub const EARTH_MEAN_RADIUS_M: f64 = 6_371_008.8;

/// Metres in one degree of latitude (and of longitude at the equator) on
/// that sphere: for the degree boxes and grid cells searches are cut into.
pub const METRES_PER_DEGREE: f64 = EARTH_MEAN_RADIUS_M * std::f64::consts::PI / 180.0;

/// Metres in one international nautical mile.
pub const METRES_PER_NAUTICAL_MILE: f64 = 1852.0;

/// A WGS84 position in decimal degrees; latitude in [-90, 90], longitude in
/// [-180, 180].
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct LatLon {
    /// Latitude, degrees north.
    pub lat_deg: f64,
    /// Longitude, degrees east.
    pub lon_deg: f64,
}

impl LatLon {
    /// A position, `None` when either coordinate is out of range or not finite.
    pub fn new(lat_deg: f64, lon_deg: f64) -> Option<LatLon> {
        ((-90.0..=90.0).contains(&lat_deg) && (-180.0..=180.0).contains(&lon_deg))
            .then_some(LatLon { lat_deg, lon_deg })
    }

    /// Great-circle distance on the mean sphere (haversine), in metres.
    pub fn distance_m(self, other: LatLon) -> f64 {
        let (lat1, lat2) = (self.lat_deg.to_radians(), other.lat_deg.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon_deg - self.lon_deg).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_MEAN_RADIUS_M * h.sqrt().min(1.0).asin()
    }

    /// Distance in metres by the equirectangular approximation (a plane
    /// tangent at the mean latitude, with a polynomial cosine): within 0.1 %
    /// of [`LatLon::distance_m`] below 100 km, the great-circle distance
    /// beyond. A fraction of the cost: the detectors measure every step of
    /// every track.
    pub fn near_distance_m(self, other: LatLon) -> f64 {
        let metres = self.plane_distance_m(other);
        if metres < NEAR_DISTANCE_LIMIT_M { metres } else { self.distance_m(other) }
    }

    /// [`LatLon::near_distance_m`] when it is at most `limit_m`, else
    /// `None` — without the sphere's trigonometry for points clearly beyond:
    /// the plane's distance is never below the sphere's by half (at worst
    /// it measures round a pole what the sphere measures across it, π/2
    /// times as long), so twice the limit on the plane is beyond it.
    pub fn near_distance_within_m(self, other: LatLon, limit_m: f64) -> Option<f64> {
        let plane_m = self.plane_distance_m(other);
        let metres = if plane_m < NEAR_DISTANCE_LIMIT_M {
            plane_m
        } else if plane_m > 2.0 * limit_m {
            return None;
        } else {
            self.distance_m(other)
        };
        (metres <= limit_m).then_some(metres)
    }

    /// Distance on the plane tangent at the mean latitude.
    fn plane_distance_m(self, other: LatLon) -> f64 {
        let dlat = (other.lat_deg - self.lat_deg).to_radians();
        let dlon = lon_difference_deg(self.lon_deg, other.lon_deg).to_radians();
        let x = dlon * cos_polynomial(((self.lat_deg + other.lat_deg) / 2.0).to_radians());
        EARTH_MEAN_RADIUS_M * (dlat * dlat + x * x).sqrt()
    }

    /// Initial bearing towards `other` in the same tangent plane, degrees
    /// clockwise from true north in [0, 360): for nearby points.
    pub fn near_bearing_deg_to(self, other: LatLon) -> f64 {
        let dlat = other.lat_deg - self.lat_deg;
        let dlon = lon_difference_deg(self.lon_deg, other.lon_deg);
        let x = dlon * cos_polynomial(((self.lat_deg + other.lat_deg) / 2.0).to_radians());
        let bearing = atan2_polynomial(x, dlat).to_degrees();
        if bearing < 0.0 { bearing + 360.0 } else { bearing }
    }

    /// Initial great-circle bearing towards `other`, degrees clockwise from
    /// true north in [0, 360).
    pub fn bearing_deg_to(self, other: LatLon) -> f64 {
        let (lat1, lat2) = (self.lat_deg.to_radians(), other.lat_deg.to_radians());
        let dlon = (other.lon_deg - self.lon_deg).to_radians();
        let y = dlon.sin() * lat2.cos();
        let x = lat1.cos() * lat2.sin() - lat1.sin() * lat2.cos() * dlon.cos();
        y.atan2(x).to_degrees().rem_euclid(360.0)
    }

    /// The position reached by following the great circle that leaves here
    /// on `bearing_deg` for `distance_m`.
    pub fn destination(self, bearing_deg: f64, distance_m: f64) -> LatLon {
        let lat1 = self.lat_deg.to_radians();
        let angle = distance_m / EARTH_MEAN_RADIUS_M;
        let bearing = bearing_deg.to_radians();
        let lat2 = (lat1.sin() * angle.cos() + lat1.cos() * angle.sin() * bearing.cos()).clamp(-1.0, 1.0).asin();
        let dlon = (bearing.sin() * angle.sin() * lat1.cos()).atan2(angle.cos() - lat1.sin() * lat2.sin());
        LatLon { lat_deg: lat2.to_degrees(), lon_deg: wrap_lon_deg(self.lon_deg + dlon.to_degrees()) }
    }
}

/// Beyond this, [`LatLon::near_distance_m`] measures on the sphere.
const NEAR_DISTANCE_LIMIT_M: f64 = 100_000.0;

/// cos(x) for x in [-π/2, π/2] (latitudes), by its Taylor polynomial to
/// x⁸ (error below 1e-5). Multiplications by the reciprocals, not
/// divisions: four dependent divisions were most of a step's measure.
fn cos_polynomial(x: f64) -> f64 {
    let x2 = x * x;
    1.0 - x2 * (1.0 / 2.0) * (1.0 - x2 * (1.0 / 12.0) * (1.0 - x2 * (1.0 / 30.0) * (1.0 - x2 * (1.0 / 56.0))))
}

/// cos of a latitude in degrees, by `cos_polynomial`: for the scale of
/// a plane tangent at that latitude, measured per report.
pub fn cos_lat(lat_deg: f64) -> f64 {
    cos_polynomial(lat_deg.to_radians())
}

/// atan2(y, x) in radians, within 1e-7 rad of the library's:
/// the octant by comparisons, then a polynomial arctangent on [0, 1]. The
/// circle detector takes a bearing of every step of every track, and a
/// sum of bearings' differences telescopes, so their error never adds up.
fn atan2_polynomial(y: f64, x: f64) -> f64 {
    let (ax, ay) = (x.abs(), y.abs());
    let (small, large) = if ax < ay { (ax, ay) } else { (ay, ax) };
    if large == 0.0 {
        return 0.0;
    }
    let a = small / large;
    let s = a * a;
    // Abramowitz and Stegun 4.4.49 (error below 2e-8 on [0, 1]).
    const A: [f64; 8] = [
        -0.333_331_452_8,
        0.199_935_508_5,
        -0.142_088_994_4,
        0.106_562_639_3,
        -0.075_289_640_0,
        0.042_909_613_8,
        -0.016_165_736_7,
        0.002_866_225_7,
    ];
    let mut r = a * (1.0 + s * A.iter().rev().fold(0.0, |acc, c| acc * s + c));
    if ay > ax {
        r = std::f64::consts::FRAC_PI_2 - r;
    }
    if x < 0.0 {
        r = std::f64::consts::PI - r;
    }
    if y < 0.0 { -r } else { r }
}

/// The shorter way east from longitude `from` to `to` (both in
/// [-180, 180]), in [-180, 180): across the antimeridian the short way
/// round. (A branch, not a floating-point remainder: every track step
/// measures one.)
pub fn lon_difference_deg(from: f64, to: f64) -> f64 {
    let d = to - from;
    if d >= 180.0 {
        d - 360.0
    } else if d < -180.0 {
        d + 360.0
    } else {
        d
    }
}

/// A longitude brought into [-180, 180).
pub fn wrap_lon_deg(lon_deg: f64) -> f64 {
    (lon_deg + 180.0).rem_euclid(360.0) - 180.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAJIN: LatLon = LatLon { lat_deg: 42.2333, lon_deg: 130.3 };

    #[test]
    fn longitude_differences_go_the_short_way_round() {
        assert_eq!(lon_difference_deg(10.0, 20.0), 10.0);
        assert_eq!(lon_difference_deg(20.0, 10.0), -10.0);
        assert_eq!(lon_difference_deg(179.0, -179.0), 2.0);
        assert_eq!(lon_difference_deg(-179.0, 179.0), -2.0);
        assert_eq!(lon_difference_deg(0.0, 180.0), -180.0);
        assert_eq!(lon_difference_deg(180.0, -180.0), 0.0);
    }
    const DUNAY: LatLon = LatLon { lat_deg: 42.8788, lon_deg: 132.3352 };

    #[test]
    fn najin_to_dunay_is_the_documented_distance() {
        // FACTS.md §1: 97.6 nm (181 km) on the ellipsoid; the sphere is
        // within 0.5 % of the ellipsoid everywhere.
        let km = NAJIN.distance_m(DUNAY) / 1000.0;
        assert!((km - 181.0).abs() < 181.0 * 0.005, "{km}");
    }

    #[test]
    fn near_distance_and_bearing_agree_with_the_sphere() {
        for (lat, lon) in [(42.0, 131.0), (-60.0, 10.0), (0.0, 179.99), (75.0, -20.0)] {
            let here = LatLon { lat_deg: lat, lon_deg: lon };
            for bearing in [0.0, 33.0, 90.0, 200.0, 300.0] {
                for metres in [10.0, 1_000.0, 50_000.0, 99_000.0, 500_000.0] {
                    let there = here.destination(bearing, metres);
                    let near = here.near_distance_m(there);
                    assert!((near - metres).abs() <= metres * 0.002 + 0.01, "{lat} {lon} {bearing} {metres}: {near}");
                    // Steps of a track (the plane ignores meridians converging).
                    if metres <= 1_000.0 {
                        let b = here.near_bearing_deg_to(there);
                        let off = (b - bearing + 540.0).rem_euclid(360.0) - 180.0;
                        assert!(off.abs() < 0.5, "{lat} {lon} {bearing} {metres}: {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_distance_within_a_limit_is_the_near_distance() {
        for (lat, lon) in [(42.0, 131.0), (-60.0, 10.0), (0.0, 179.99), (89.0, -20.0)] {
            let here = LatLon { lat_deg: lat, lon_deg: lon };
            for bearing in [0.0, 33.0, 90.0, 200.0] {
                for metres in [10.0, 50_000.0, 150_000.0, 3_000_000.0, 9_000_000.0] {
                    let there = here.destination(bearing, metres);
                    let near = here.near_distance_m(there);
                    for limit_m in [metres * 0.6, metres * 0.99, metres * 1.01, metres * 3.0] {
                        let within = here.near_distance_within_m(there, limit_m);
                        assert_eq!(
                            within,
                            (near <= limit_m).then_some(near),
                            "{lat} {lon} {bearing} {metres} {limit_m}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_polynomial_arctangent_is_within_its_bound_all_round() {
        for i in 0..3_600 {
            let angle = (i as f64 / 10.0).to_radians();
            for radius in [1e-9, 1.0, 1e6] {
                let (y, x) = (radius * angle.sin(), radius * angle.cos());
                let off = (atan2_polynomial(y, x) - y.atan2(x) + 3.0 * std::f64::consts::PI)
                    .rem_euclid(2.0 * std::f64::consts::PI)
                    - std::f64::consts::PI;
                assert!(off.abs() < 1e-7, "{y} {x}: {off}");
            }
        }
        assert_eq!(atan2_polynomial(0.0, 0.0), 0.0);
    }

    #[test]
    fn destination_inverts_bearing_and_distance() {
        let bearing = NAJIN.bearing_deg_to(DUNAY);
        let reached = NAJIN.destination(bearing, NAJIN.distance_m(DUNAY));
        assert!(reached.distance_m(DUNAY) < 0.01);
        let across = LatLon { lat_deg: 10.0, lon_deg: 179.9 }.destination(90.0, 50_000.0);
        assert!(across.lon_deg < -179.0, "{across:?}");
    }

    #[test]
    fn validates_ranges() {
        assert!(LatLon::new(91.0, 0.0).is_none());
        assert!(LatLon::new(0.0, f64::NAN).is_none());
        assert_eq!(LatLon::new(-90.0, 180.0), Some(LatLon { lat_deg: -90.0, lon_deg: 180.0 }));
    }
}
