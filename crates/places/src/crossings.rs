//! Whether a polygon's rings cross: each edge against the edges whose
//! boxes meet its own (an R-tree), so a ring of thousands of vertices is
//! checked in n log n, not n².

use rstar::{AABB, RTree, RTreeObject};

/// One edge: ring, index of its first vertex, its ends (lon, lat).
struct Edge {
    ring: usize,
    index: usize,
    from: [f64; 2],
    to: [f64; 2],
}

impl RTreeObject for Edge {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.from, self.to)
    }
}

/// Where two edges of `rings` (closed, first = last) cross, if any: a
/// proper crossing, each edge passing from one side of the other to the
/// other side. Edges meeting at a shared vertex do not count.
pub fn first_crossing(rings: &[Vec<[f64; 2]>]) -> Option<[f64; 2]> {
    let edges: Vec<Edge> = rings
        .iter()
        .enumerate()
        .flat_map(|(ring, points)| {
            points.windows(2).enumerate().map(move |(index, w)| Edge { ring, index, from: w[0], to: w[1] })
        })
        .collect();
    let tree = RTree::bulk_load(edges);
    for edge in tree.iter() {
        for other in tree.locate_in_envelope_intersecting(&edge.envelope()) {
            if (other.ring, other.index) <= (edge.ring, edge.index) {
                continue;
            }
            if let Some(at) = proper_crossing(edge, other) {
                return Some(at);
            }
        }
    }
    None
}

/// The point where two edges cross properly (no shared end).
fn proper_crossing(a: &Edge, b: &Edge) -> Option<[f64; 2]> {
    let shares_end = [a.from, a.to].iter().any(|p| *p == b.from || *p == b.to);
    if shares_end {
        return None;
    }
    let side = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
    let (d1, d2) = (side(a.from, a.to, b.from), side(a.from, a.to, b.to));
    let (d3, d4) = (side(b.from, b.to, a.from), side(b.from, b.to, a.to));
    if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
        let t = d3 / (d3 - d4);
        return Some([a.from[0] + t * (a.to[0] - a.from[0]), a.from[1] + t * (a.to[1] - a.from[1])]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed(points: &[[f64; 2]]) -> Vec<[f64; 2]> {
        let mut ring = points.to_vec();
        ring.push(points[0]);
        ring
    }

    #[test]
    fn a_bow_tie_crosses_and_a_square_with_a_hole_does_not() {
        let bow_tie = closed(&[[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]);
        let at = first_crossing(&[bow_tie]).unwrap();
        assert!((at[0] - 0.5).abs() < 1e-12 && (at[1] - 0.5).abs() < 1e-12);
        let square = closed(&[[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]]);
        let hole = closed(&[[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 2.0]]);
        assert_eq!(first_crossing(&[square.clone(), hole]), None);
        // A hole reaching out of its outline crosses it.
        let out = closed(&[[3.0, 1.0], [5.0, 1.0], [5.0, 2.0], [3.0, 2.0]]);
        assert!(first_crossing(&[square, out]).is_some());
    }

    #[test]
    fn a_ring_of_many_vertices_is_checked_quickly() {
        // A 20,000-vertex circle: n log n, well under a second.
        let n = 20_000;
        let circle: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                [a.cos(), a.sin()]
            })
            .collect();
        assert_eq!(first_crossing(&[closed(&circle)]), None);
    }
}
