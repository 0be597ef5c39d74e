//! Which receivers hear a transmission: terrestrial stations within range
//! (looked up in a one-degree grid, then measured), satellites during
//! their passes.

use tumen_model::{LatLon, Timestamp};

use crate::scenario::stable_fraction;
use crate::world::{Coverage, Receiver};

const CELLS_LAT: usize = 180;
const CELLS_LON: usize = 360;

/// The receivers of a world, indexed for lookup by position.
pub struct ReceiverIndex {
    /// Compressed rows: terrestrial receivers whose range may reach cell
    /// `c` are `items[cell_start[c]..cell_start[c + 1]]`.
    cell_start: Vec<u32>,
    items: Vec<u16>,
    terrestrial: Vec<Option<(LatLon, f64)>>,
    /// Satellites with their revisit, pass length and phase offset.
    satellites: Vec<(u16, i64, i64, i64)>,
}

fn cell_of(p: LatLon) -> usize {
    let row = ((p.lat_deg + 90.0).floor() as usize).min(CELLS_LAT - 1);
    let col = ((p.lon_deg + 180.0).floor() as usize).min(CELLS_LON - 1);
    row * CELLS_LON + col
}

impl ReceiverIndex {
    /// Indexes up to 65 535 receivers.
    pub fn new(receivers: &[Receiver]) -> ReceiverIndex {
        let mut per_cell: Vec<Vec<u16>> = vec![Vec::new(); CELLS_LAT * CELLS_LON];
        let mut satellites = Vec::new();
        let mut terrestrial = Vec::with_capacity(receivers.len());
        for (index, receiver) in receivers.iter().enumerate().take(usize::from(u16::MAX)) {
            let index = index as u16;
            match receiver.coverage {
                Coverage::Terrestrial { at, range_m } => {
                    terrestrial.push(Some((at, range_m)));
                    // Every cell the range circle's bounding box touches.
                    let range_deg = range_m / 111_000.0 + 0.01;
                    let reaches_pole = at.lat_deg.abs() + range_deg >= 89.0;
                    let south = (at.lat_deg - range_deg).max(-90.0);
                    let north = (at.lat_deg + range_deg).min(89.999);
                    let widest = south.abs().max(north.abs()).min(89.0).to_radians().cos();
                    let half_width = if reaches_pole { 180.0 } else { (range_deg / widest).min(180.0) };
                    let mut lat = south.floor();
                    while lat <= north {
                        let mut dlon = -half_width.ceil() - 1.0;
                        while dlon <= half_width.ceil() + 1.0 {
                            let lon = tumen_model::wrap_lon_deg(at.lon_deg + dlon);
                            let cell = cell_of(LatLon { lat_deg: lat + 0.5, lon_deg: lon });
                            if per_cell[cell].last() != Some(&index) {
                                per_cell[cell].push(index);
                            }
                            dlon += 1.0;
                        }
                        lat += 1.0;
                    }
                }
                Coverage::Satellite { revisit_ms, pass_ms } => {
                    terrestrial.push(None);
                    let offset = (stable_fraction(&[&receiver.id, "pass"]) * revisit_ms as f64) as i64;
                    satellites.push((index, revisit_ms, pass_ms, offset));
                }
            }
        }
        let mut cell_start = Vec::with_capacity(per_cell.len() + 1);
        let mut items = Vec::new();
        for cell in &mut per_cell {
            cell_start.push(items.len() as u32);
            cell.sort_unstable();
            cell.dedup();
            items.extend_from_slice(cell);
        }
        cell_start.push(items.len() as u32);
        ReceiverIndex { cell_start, items, terrestrial, satellites }
    }

    /// Appends to `out` the receivers that cover position `p` at `t`, in
    /// receiver order (the tests' reference: the feed asks per kind).
    #[cfg(test)]
    pub fn covering(&self, p: LatLon, t: Timestamp, out: &mut Vec<u16>) {
        self.terrestrial_covering(p, out);
        self.satellites_overhead(p.lon_deg, t, out);
        out.sort_unstable();
    }

    /// Appends the terrestrial receivers within range of `p`.
    pub fn terrestrial_covering(&self, p: LatLon, out: &mut Vec<u16>) {
        let cell = cell_of(p);
        let candidates = &self.items[self.cell_start[cell] as usize..self.cell_start[cell + 1] as usize];
        for &index in candidates {
            if let Some((at, range_m)) = self.terrestrial[usize::from(index)]
                && at.distance_m(p) <= range_m
            {
                out.push(index);
            }
        }
    }

    /// Appends the satellites passing over longitude `lon_deg` at `t`.
    #[cfg(test)]
    pub fn satellites_overhead(&self, lon_deg: f64, t: Timestamp, out: &mut Vec<u16>) {
        for &(index, revisit_ms, pass_ms, offset_ms) in &self.satellites {
            if satellite_overhead(lon_deg, t, revisit_ms, pass_ms, offset_ms) {
                out.push(index);
            }
        }
    }

    /// The satellites, in receiver order.
    pub fn satellite_count(&self) -> usize {
        self.satellites.len()
    }

    /// Whether satellite `n` (0-based among the satellites) is over
    /// longitude `lon_deg` at `t`, its receiver index, and until when that
    /// holds — so a caller can skip the arithmetic until then.
    pub fn satellite_pass(&self, n: usize, lon_deg: f64, t: Timestamp) -> (bool, u16, Timestamp) {
        let (index, revisit_ms, pass_ms, offset_ms) = self.satellites[n];
        let phase = ((lon_deg + 180.0) / 360.0 * revisit_ms as f64) as i64;
        let into = (t.unix_ms() + phase + offset_ms).rem_euclid(revisit_ms);
        if into < pass_ms {
            (true, index, t.plus_ms(pass_ms - into))
        } else {
            (false, index, t.plus_ms(revisit_ms - into))
        }
    }
}

/// A constellation passes over each point every `revisit_ms` for
/// `pass_ms`; the phase moves with longitude, as the ground track sweeps
/// round the Earth.
#[cfg(test)]
fn satellite_overhead(lon_deg: f64, t: Timestamp, revisit_ms: i64, pass_ms: i64, offset_ms: i64) -> bool {
    let phase = ((lon_deg + 180.0) / 360.0 * revisit_ms as f64) as i64;
    (t.unix_ms() + phase + offset_ms).rem_euclid(revisit_ms) < pass_ms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::format::LineFormat;

    fn receiver(id: &str, coverage: Coverage) -> Receiver {
        Receiver {
            id: id.into(),
            coverage,
            reliability: 1.0,
            format: LineFormat::TagBlock,
            delay_ms: (0, 0),
            min_interval_ms: 0,
            corrupt_rate: 0.0,
            fragment_loss_rate: 0.0,
        }
    }

    #[test]
    fn terrestrial_range_is_exact() {
        let station = LatLon { lat_deg: 42.9, lon_deg: 132.3 };
        let receivers = [receiver("vl", Coverage::Terrestrial { at: station, range_m: 74_080.0 })];
        let index = ReceiverIndex::new(&receivers);
        let mut out = Vec::new();
        for bearing in (0..360).step_by(15) {
            out.clear();
            index.covering(station.destination(f64::from(bearing), 74_000.0), Timestamp::from_unix_ms(0), &mut out);
            assert_eq!(out, [0], "just inside at {bearing}°");
            out.clear();
            index.covering(station.destination(f64::from(bearing), 74_200.0), Timestamp::from_unix_ms(0), &mut out);
            assert!(out.is_empty(), "just outside at {bearing}°");
        }
    }

    #[test]
    fn stations_near_the_antimeridian_and_poles_are_found() {
        let receivers = [
            receiver("east", Coverage::Terrestrial { at: LatLon { lat_deg: 60.0, lon_deg: 179.8 }, range_m: 50_000.0 }),
            receiver("north", Coverage::Terrestrial { at: LatLon { lat_deg: 89.5, lon_deg: 0.0 }, range_m: 100_000.0 }),
        ];
        let index = ReceiverIndex::new(&receivers);
        let mut out = Vec::new();
        index.covering(LatLon { lat_deg: 60.0, lon_deg: -179.7 }, Timestamp::from_unix_ms(0), &mut out);
        assert_eq!(out, [0]);
        out.clear();
        index.covering(LatLon { lat_deg: 89.9, lon_deg: 170.0 }, Timestamp::from_unix_ms(0), &mut out);
        assert_eq!(out, [1]);
    }

    #[test]
    fn satellite_passes_say_when_they_change() {
        let receivers = [receiver("sat", Coverage::Satellite { revisit_ms: 90 * 60_000, pass_ms: 10 * 60_000 })];
        let index = ReceiverIndex::new(&receivers);
        for minute in (0..400).step_by(7) {
            let t = Timestamp::from_unix_ms(minute * 60_000 + 1234);
            let (overhead, _, until) = index.satellite_pass(0, 131.0, t);
            let mut out = Vec::new();
            index.satellites_overhead(131.0, t, &mut out);
            assert_eq!(overhead, !out.is_empty());
            for probe in [t.plus_ms(1), until.plus_ms(-1)] {
                out.clear();
                index.satellites_overhead(131.0, probe, &mut out);
                assert_eq!(!out.is_empty(), overhead, "unchanged until {until}");
            }
            out.clear();
            index.satellites_overhead(131.0, until, &mut out);
            assert_ne!(!out.is_empty(), overhead, "changes at {until}");
        }
    }

    #[test]
    fn satellites_cover_a_share_of_the_time() {
        let receivers = [receiver("sat", Coverage::Satellite { revisit_ms: 90 * 60_000, pass_ms: 10 * 60_000 })];
        let index = ReceiverIndex::new(&receivers);
        let p = LatLon { lat_deg: 42.5, lon_deg: 131.0 };
        let mut out = Vec::new();
        let mut covered = 0;
        for minute in 0..(90 * 100) {
            out.clear();
            index.covering(p, Timestamp::from_unix_ms(minute * 60_000), &mut out);
            covered += out.len();
        }
        assert_eq!(covered, 10 * 100);
    }
}
