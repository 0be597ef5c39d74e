//! Tracks resampled on a fixed time grid, as Global Fishing Watch does for
//! encounters: every vessel gets a position at each grid time between two
//! of its reports less than `max_interpolation_minutes` apart (linear
//! interpolation; none across longer gaps), so vessels can be compared
//! time slot by time slot.
//!
//! Each vessel has a [`GridSampler`]; all of them write into one
//! [`GridBuffer`] of slots, read back in time order once no vessel can
//! still add to them (the watermark: a slot can only be filled by a report
//! at most the interpolation limit later).

use std::collections::VecDeque;

use crate::fix::Fix;
use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE};

/// The grid every encounter profile shares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub step_ms: i64,
    pub max_interpolation_ms: i64,
}

impl Default for Grid {
    /// GFW: 10 minutes, no interpolation across gaps of an hour or more.
    fn default() -> Self {
        Grid { step_ms: 10 * 60_000, max_interpolation_ms: 60 * 60_000 }
    }
}

/// A vessel at one grid time: 24 bytes, as a global day holds millions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridPoint {
    pub mmsi: u32,
    pub lat_deg: f32,
    pub lon_deg: f32,
    /// Reported speed over ground (implied where not reported), 0.01 kn.
    pub speed_centiknots: u16,
    /// The report nearest in time: source id (24 bits) and line (40 bits).
    pub record: u64,
}

impl GridPoint {
    pub fn position(&self) -> LatLon {
        LatLon { lat_deg: f64::from(self.lat_deg), lon_deg: f64::from(self.lon_deg) }
    }

    pub fn speed_knots(&self) -> f64 {
        f64::from(self.speed_centiknots) / 100.0
    }

    /// The source id and line of the report nearest in time.
    pub fn record(&self) -> (u32, u64) {
        ((self.record >> 40) as u32, self.record & ((1 << 40) - 1))
    }
}

fn pack_record(row: &Fix) -> u64 {
    (u64::from(row.origin.source_id.min((1 << 24) - 1)) << 40) | row.origin.line.min((1 << 40) - 1)
}

/// One vessel's sampler; feed its positions in time order.
#[derive(Default)]
pub struct GridSampler {
    previous: Option<Fix>,
    /// The first grid time after the previous report's: most reports come
    /// before it and are passed over without a division.
    next_grid_ms: i64,
}

impl GridSampler {
    pub fn feed(&mut self, row: &Fix, grid: &Grid, buffer: &mut GridBuffer) {
        let (t1, ms) = (row.time.unix_ms(), grid.step_ms);
        if let Some(before) = &self.previous
            && t1 >= before.time.unix_ms()
            && t1 < self.next_grid_ms
        {
            self.previous = Some(*row);
            return;
        }
        self.next_grid_ms = (t1.div_euclid(ms) + 1) * ms;
        match &self.previous {
            Some(before) => {
                let t0 = before.time.unix_ms();
                let span = t1 - t0;
                if span > 0 && span < grid.max_interpolation_ms {
                    let (from, to) = (before.position(), row.position());
                    // Only needed where a report gives no speed.
                    let implied_knots =
                        || from.near_distance_m(to) / METRES_PER_NAUTICAL_MILE / (span as f64 / 3_600_000.0);
                    // Grid times in (t0, t1].
                    let mut slot = t0.div_euclid(ms) + 1;
                    while slot * ms <= t1 {
                        let f = (slot * ms - t0) as f64 / span as f64;
                        let nearer = if f < 0.5 { before } else { row };
                        let speed = match (before.sog_knots, row.sog_knots) {
                            (Some(a), Some(b)) => f64::from(a) + (f64::from(b) - f64::from(a)) * f,
                            _ => implied_knots(),
                        };
                        buffer.push(
                            slot,
                            GridPoint {
                                mmsi: row.mmsi.0,
                                lat_deg: (from.lat_deg + (to.lat_deg - from.lat_deg) * f) as f32,
                                // Across the antimeridian the shorter way round.
                                lon_deg: interpolate_lon(from.lon_deg, to.lon_deg, f) as f32,
                                speed_centiknots: (speed * 100.0).round().clamp(0.0, 65_535.0) as u16,
                                record: pack_record(nearer),
                            },
                        );
                        slot += 1;
                    }
                }
            }
            None if t1.rem_euclid(ms) == 0 => buffer.push(
                t1 / ms,
                GridPoint {
                    mmsi: row.mmsi.0,
                    lat_deg: row.lat_deg as f32,
                    lon_deg: row.lon_deg as f32,
                    speed_centiknots: (f64::from(row.sog_knots.unwrap_or(0.0)) * 100.0).round() as u16,
                    record: pack_record(row),
                },
            ),
            None => {}
        }
        self.previous = Some(*row);
    }
}

fn interpolate_lon(a: f64, b: f64, f: f64) -> f64 {
    let delta = tumen_model::lon_difference_deg(a, b);
    tumen_model::wrap_lon_deg(a + delta * f)
}

/// Grid slots in time order, each the points of every vessel at that time.
#[derive(Default)]
pub struct GridBuffer {
    /// The slot `slots[0]` holds.
    first_slot: i64,
    started: bool,
    slots: VecDeque<Vec<GridPoint>>,
    /// Points for slots already handed out (reports arriving out of order
    /// in a live feed): counted, not used.
    pub late_points: u64,
}

impl GridBuffer {
    /// A buffer whose first slot is `first_slot`: points for earlier slots
    /// are late. Started at the first slot of the data, no point is late
    /// because of the order in which vessels came.
    pub fn starting_at(first_slot: i64) -> GridBuffer {
        GridBuffer { first_slot, started: true, ..GridBuffer::default() }
    }

    fn push(&mut self, slot: i64, point: GridPoint) {
        if !self.started {
            (self.first_slot, self.started) = (slot, true);
        }
        if slot < self.first_slot {
            self.late_points += 1;
            return;
        }
        let index = usize::try_from(slot - self.first_slot).expect("slot after the first");
        if index >= self.slots.len() {
            self.slots.resize_with(index + 1, Vec::new);
        }
        self.slots[index].push(point);
    }

    /// The slots before `until_slot`, oldest first, with their slot numbers;
    /// later pushes to them are late.
    pub fn take_before(&mut self, until_slot: i64) -> Vec<(i64, Vec<GridPoint>)> {
        let mut taken = Vec::new();
        while self.started && self.first_slot < until_slot {
            let Some(points) = self.slots.pop_front() else {
                self.first_slot = until_slot;
                break;
            };
            taken.push((self.first_slot, points));
            self.first_slot += 1;
        }
        taken
    }

    /// Every slot still held.
    pub fn take_all(&mut self) -> Vec<(i64, Vec<GridPoint>)> {
        self.take_before(self.first_slot + self.slots.len() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    const MINUTE_MS: i64 = 60_000;

    #[test]
    fn reports_are_interpolated_on_the_grid_but_not_across_an_hour() {
        let (grid, mut buffer, mut sampler) = (Grid::default(), GridBuffer::default(), GridSampler::default());
        // 00:05 and 00:25: grid times 00:10 and 00:20; then 01:25 (an hour
        // later: nothing); then 01:35: 01:30.
        for (minute, lat) in [(5, 42.0), (25, 42.2), (85, 43.0), (95, 43.1)] {
            sampler.feed(&position(3, minute * MINUTE_MS, lat, 131.0, 1.0), &grid, &mut buffer);
        }
        let slots: Vec<(i64, Vec<GridPoint>)> =
            buffer.take_all().into_iter().filter(|(_, points)| !points.is_empty()).collect();
        let times: Vec<i64> = slots.iter().map(|(slot, _)| slot * 10).collect();
        assert_eq!(times, [10, 20, 90]);
        assert!((slots[0].1[0].lat_deg - 42.05).abs() < 1e-5);
        assert!((slots[1].1[0].lat_deg - 42.15).abs() < 1e-5);
        // The nearer report is the evidence: 00:05 for 00:10, 00:25 for 00:20.
        assert_eq!(slots[0].1[0].record(), (1, (5 * MINUTE_MS) as u64));
        assert_eq!(slots[1].1[0].record(), (1, (25 * MINUTE_MS) as u64));
    }

    #[test]
    fn slots_are_handed_out_once_and_late_points_counted() {
        let (grid, mut buffer, mut sampler) = (Grid::default(), GridBuffer::default(), GridSampler::default());
        sampler.feed(&position(3, 0, 42.0, 131.0, 1.0), &grid, &mut buffer);
        sampler.feed(&position(3, 30 * MINUTE_MS, 42.0, 131.0, 1.0), &grid, &mut buffer);
        assert_eq!(buffer.take_before(2).len(), 2);
        assert_eq!(buffer.take_before(2).len(), 0);
        let mut other = GridSampler::default();
        other.feed(&position(4, 0, 42.0, 131.0, 1.0), &grid, &mut buffer);
        other.feed(&position(4, 15 * MINUTE_MS, 42.0, 131.0, 1.0), &grid, &mut buffer);
        // Its 00:00 and 00:10 were handed out already.
        assert_eq!(buffer.late_points, 2);
        assert_eq!(buffer.take_all().len(), 2);
    }
}
