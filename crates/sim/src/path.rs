//! Great-circle paths: a sailing leg as a chain of arcs, with the position
//! and course at any distance along it.
//!
//! Each arc keeps its start and its unit tangent as 3-D vectors, so a
//! position costs one sine/cosine pair and one `asin`/`atan2` pair — this
//! runs once per transmitted message, for every vessel of a global day.

use tumen_model::{EARTH_MEAN_RADIUS_M, LatLon};

#[derive(Clone, Copy, Debug, PartialEq)]
struct Vec3 {
    x: f64,
    y: f64,
    z: f64,
}

impl Vec3 {
    fn from_latlon(p: LatLon) -> Vec3 {
        let (lat, lon) = (p.lat_deg.to_radians(), p.lon_deg.to_radians());
        Vec3 { x: lat.cos() * lon.cos(), y: lat.cos() * lon.sin(), z: lat.sin() }
    }

    fn to_latlon(self) -> LatLon {
        LatLon { lat_deg: self.z.clamp(-1.0, 1.0).asin().to_degrees(), lon_deg: self.y.atan2(self.x).to_degrees() }
    }

    fn dot(self, o: Vec3) -> f64 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }

    fn scaled(self, k: f64) -> Vec3 {
        Vec3 { x: self.x * k, y: self.y * k, z: self.z * k }
    }

    fn plus(self, o: Vec3) -> Vec3 {
        Vec3 { x: self.x + o.x, y: self.y + o.y, z: self.z + o.z }
    }

    fn norm(self) -> f64 {
        self.dot(self).sqrt()
    }
}

/// One great-circle arc: `start·cos θ + tangent·sin θ` for θ from 0 to
/// `length_m / R`.
#[derive(Clone, Debug)]
struct Arc {
    start: Vec3,
    tangent: Vec3,
    /// Distance along the path where this arc begins.
    offset_m: f64,
    length_m: f64,
}

/// A path through waypoints along great circles.
#[derive(Clone, Debug)]
pub struct Path {
    arcs: Vec<Arc>,
    first: LatLon,
    last: LatLon,
    length_m: f64,
}

impl Path {
    /// The path through `points` in order. Repeated points are skipped;
    /// antipodal neighbours (no unique great circle) are joined through the
    /// pole-ward midpoint of their meridian. An empty slice gives a
    /// zero-length path at (0, 0).
    pub fn new(points: &[LatLon]) -> Path {
        let first = points.first().copied().unwrap_or_default();
        let mut path = Path { arcs: Vec::new(), first, last: first, length_m: 0.0 };
        for &next in points.iter().skip(1) {
            path.push(next);
        }
        path
    }

    fn push(&mut self, next: LatLon) {
        let a = Vec3::from_latlon(self.last);
        let b = Vec3::from_latlon(next);
        let cos_angle = a.dot(b).clamp(-1.0, 1.0);
        let angle = cos_angle.acos();
        if angle < 1e-12 {
            return;
        }
        // Component of b orthogonal to a, normalised: the tangent at a.
        let orthogonal = b.plus(a.scaled(-cos_angle));
        let orthogonal_norm = orthogonal.norm();
        if orthogonal_norm < 1e-9 {
            let via = LatLon { lat_deg: 90.0_f64.copysign(self.last.lat_deg + 1e-9), lon_deg: self.last.lon_deg };
            self.push(via);
            self.push(next);
            return;
        }
        let length_m = angle * EARTH_MEAN_RADIUS_M;
        self.arcs.push(Arc {
            start: a,
            tangent: orthogonal.scaled(1.0 / orthogonal_norm),
            offset_m: self.length_m,
            length_m,
        });
        self.length_m += length_m;
        self.last = next;
    }

    pub fn length_m(&self) -> f64 {
        self.length_m
    }

    pub fn first(&self) -> LatLon {
        self.first
    }

    pub fn last(&self) -> LatLon {
        self.last
    }

    /// Distance along the path of the first waypoint after `distance_m`
    /// (the path's length when there is none): up to there the path is one
    /// smooth great-circle arc.
    pub fn next_vertex_m(&self, distance_m: f64) -> f64 {
        let index = self.arcs.partition_point(|arc| arc.offset_m <= distance_m);
        self.arcs.get(index).map_or(self.length_m, |arc| arc.offset_m)
    }

    /// Position and course (degrees clockwise from north) at `distance_m`
    /// along the path, clamped to its ends.
    pub fn at(&self, distance_m: f64) -> (LatLon, f64) {
        let Some(index) = self.arcs.partition_point(|arc| arc.offset_m <= distance_m).checked_sub(1) else {
            return match self.arcs.first() {
                Some(arc) => (self.first, course_deg(arc.start, arc.tangent)),
                None => (self.first, 0.0),
            };
        };
        let arc = &self.arcs[index];
        let along_m = (distance_m - arc.offset_m).clamp(0.0, arc.length_m);
        let theta = along_m / EARTH_MEAN_RADIUS_M;
        let (sin, cos) = theta.sin_cos();
        let point = arc.start.scaled(cos).plus(arc.tangent.scaled(sin));
        let direction = arc.start.scaled(-sin).plus(arc.tangent.scaled(cos));
        let position =
            if index + 1 == self.arcs.len() && along_m >= arc.length_m { self.last } else { point.to_latlon() };
        (position, course_deg(point, direction))
    }
}

/// Compass course of a direction vector tangent to the sphere at `point`.
fn course_deg(point: Vec3, direction: Vec3) -> f64 {
    let horizontal = (point.x * point.x + point.y * point.y).sqrt();
    if horizontal < 1e-12 {
        // At a pole every direction is south (or north); report the meridian.
        return if point.z > 0.0 { 180.0 } else { 0.0 };
    }
    let east = Vec3 { x: -point.y / horizontal, y: point.x / horizontal, z: 0.0 };
    let north = Vec3 { x: -point.z * point.x / horizontal, y: -point.z * point.y / horizontal, z: horizontal };
    crate::plan::wrap_deg(direction.dot(east).atan2(direction.dot(north)).to_degrees())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(lat_deg: f64, lon_deg: f64) -> LatLon {
        LatLon { lat_deg, lon_deg }
    }

    #[test]
    fn follows_the_najin_dunay_waypoints() {
        // FACTS.md §1: ≈ 106 nm round Cape Gamov.
        let path = Path::new(&[
            p(42.2333, 130.3),
            p(42.17, 130.42),
            p(42.47, 131.30),
            p(42.70, 132.25),
            p(42.80, 132.32),
            p(42.8788, 132.3352),
        ]);
        let nm = path.length_m() / 1852.0;
        assert!((nm - 106.0).abs() < 3.0, "{nm}");
        assert_eq!(path.at(-5.0).0, p(42.2333, 130.3));
        assert_eq!(path.at(1e9).0, p(42.8788, 132.3352));
        let (middle, course) = path.at(path.length_m() / 2.0);
        assert!(middle.lon_deg > 131.0 && middle.lon_deg < 132.0, "{middle:?}");
        assert!((45.0..90.0).contains(&course), "heading east-north-east, got {course}");
    }

    #[test]
    fn crosses_the_antimeridian() {
        let path = Path::new(&[p(50.0, 179.5), p(50.0, -179.5)]);
        assert!(path.length_m() < 80_000.0, "{}", path.length_m());
        let (middle, _) = path.at(path.length_m() / 2.0);
        assert!(middle.lon_deg.abs() > 179.9, "{middle:?}");
    }

    proptest! {
        #[test]
        fn positions_lie_at_the_distance_travelled(
            lat1 in -80.0..80.0f64, lon1 in -180.0..180.0f64,
            lat2 in -80.0..80.0f64, lon2 in -180.0..180.0f64,
            fraction in 0.0..1.0f64,
        ) {
            let (a, b) = (p(lat1, lon1), p(lat2, lon2));
            let path = Path::new(&[a, b]);
            prop_assume!(path.length_m() > 1.0 && path.length_m() < 19_000_000.0);
            prop_assert!((path.length_m() - a.distance_m(b)).abs() < 1.0);
            let (point, course) = path.at(path.length_m() * fraction);
            prop_assert!((a.distance_m(point) - path.length_m() * fraction).abs() < 1.0);
            prop_assert!((point.distance_m(b) - path.length_m() * (1.0 - fraction)).abs() < 1.0);
            // The course points at the destination along the great circle.
            if point.distance_m(b) > 1000.0 {
                let expected = point.bearing_deg_to(b);
                let diff = (course - expected + 540.0).rem_euclid(360.0) - 180.0;
                prop_assert!(diff.abs() < 0.01, "course {} expected {}", course, expected);
            }
        }
    }
}
