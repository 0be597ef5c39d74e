//! The full-resolution coastline round Tumen's curated places, for drawing
//! maps only: GSHHG 2.3.7 full resolution (LGPL-3.0-or-later, see
//! `data/land/NOTICE.md`), shipped in `data/land/gshhg-f-near-watched.bin`
//! and made by `scripts/make_coast_detail.py`, which documents the format.
//!
//! Natural Earth's 1:10m coast ([`crate::Land`]) is a kilometre or more off
//! in bays and river mouths: at the report's zoom a ship at Dunay's quays
//! would be drawn on land. Inside this layer's region (every 0.25° tile
//! within 0.6° of a curated place) maps draw this coast instead; outside it
//! Natural Earth's. The detectors keep Natural Earth's everywhere: one
//! coastline for every judgement, whatever the place.

use std::sync::OnceLock;

use crate::land::{Input, LandError, Ring, rings_meeting};

static EMBEDDED: &[u8] = include_bytes!("../../../data/land/gshhg-f-near-watched.bin");
const MAGIC: &[u8] = b"TUMENCOAST1";

/// The detail coastline: where it applies, the land there, and its shore.
pub struct CoastDetail {
    /// The region's outline (even-odd: its holes are rings too).
    region: Vec<Ring>,
    /// Land clipped to the region (even-odd: lakes are rings inside land).
    land: Vec<Ring>,
    /// The shore inside the region, as open lines: what a map strokes (the
    /// land rings' edges along the region's border are not shore).
    shore: Vec<Ring>,
}

impl CoastDetail {
    /// The detail shipped with Tumen, parsed once per process.
    pub fn embedded() -> &'static CoastDetail {
        static DETAIL: OnceLock<CoastDetail> = OnceLock::new();
        DETAIL.get_or_init(|| CoastDetail::parse(EMBEDDED).expect("the embedded coast detail is well formed (tested)"))
    }

    /// Reads the format `scripts/make_coast_detail.py` writes.
    pub fn parse(bytes: &[u8]) -> Result<CoastDetail, LandError> {
        let mut input = Input { bytes };
        if input.take(MAGIC.len())? != MAGIC {
            return Err(LandError::Format("not a Tumen coast detail file"));
        }
        let transform = [input.f64()?, input.f64()?, input.f64()?, input.f64()?];
        let region = read_section(&mut input, transform)?;
        let land = read_section(&mut input, transform)?;
        let shore = read_section(&mut input, transform)?;
        if !input.bytes.is_empty() {
            return Err(LandError::Format("bytes after the last section"));
        }
        Ok(CoastDetail { region, land, shore })
    }

    /// The region's rings that meet a bounding box (lon, lat degrees).
    pub fn region_within(&self, lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> Vec<&[[f32; 2]]> {
        rings_meeting(&self.region, lon_min, lat_min, lon_max, lat_max)
    }

    /// The land rings that meet a bounding box.
    pub fn land_within(&self, lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> Vec<&[[f32; 2]]> {
        rings_meeting(&self.land, lon_min, lat_min, lon_max, lat_max)
    }

    /// The shore lines that meet a bounding box.
    pub fn shore_within(&self, lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> Vec<&[[f32; 2]]> {
        rings_meeting(&self.shore, lon_min, lat_min, lon_max, lat_max)
    }
}

/// One section: a count of rings, each a [`read_ring`].
pub(crate) fn read_section(input: &mut Input, transform: [f64; 4]) -> Result<Vec<Ring>, LandError> {
    let count = input.u32()?;
    let mut rings = Vec::with_capacity(count.min(1 << 16) as usize);
    for _ in 0..count {
        rings.push(read_ring(input, transform)?);
    }
    Ok(rings)
}

/// A count of points and their zigzag-varint deltas, quantized by
/// `transform` (scale lon, scale lat, translate lon, translate lat).
pub(crate) fn read_ring(
    input: &mut Input,
    [scale_lon, scale_lat, translate_lon, translate_lat]: [f64; 4],
) -> Result<Ring, LandError> {
    let points = input.u32()?;
    let mut ring = Ring::with_capacity(points);
    let (mut x, mut y) = (0i64, 0i64);
    for _ in 0..points {
        x += input.zigzag_varint()?;
        y += input.zigzag_varint()?;
        ring.push([x as f64 * scale_lon + translate_lon, y as f64 * scale_lat + translate_lat]);
    }
    Ok(ring)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Gazetteer, Land};

    /// Even-odd: a point is inside when an eastward ray crosses the rings
    /// an odd number of times.
    fn inside(rings: &[&[[f32; 2]]], lon: f64, lat: f64) -> bool {
        let mut odd = false;
        for ring in rings {
            for pair in ring.windows(2) {
                let ([x1, y1], [x2, y2]) = (pair[0].map(f64::from), pair[1].map(f64::from));
                if (y1 > lat) != (y2 > lat) && lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1) {
                    odd = !odd;
                }
            }
        }
        odd
    }

    #[test]
    fn every_curated_place_lies_in_the_region() {
        let detail = CoastDetail::embedded();
        let curated =
            Gazetteer::embedded().places().iter().filter(|p| !p.id.starts_with("gfw-") && !p.id.starts_with("wpi-"));
        for place in curated {
            let c = place.centre();
            let region = detail.region_within(c.lon_deg, c.lat_deg, c.lon_deg, c.lat_deg);
            assert!(inside(&region, c.lon_deg, c.lat_deg), "{} is outside the detail region", place.id);
        }
    }

    #[test]
    fn the_detail_shore_is_where_natural_earth_is_wrong() {
        let detail = CoastDetail::embedded();
        let land = |lon: f64, lat: f64| inside(&detail.land_within(lon, lat, lon, lat), lon, lat);
        // Both points are on the wrong side of Natural Earth's coast: the
        // bay west of Dunay (1.2 km from GSHHG's shore) is land there, the
        // Dunay peninsula's east side (0.7 km inland) sea.
        assert!(!land(132.29, 42.89), "the bay west of Dunay is water");
        assert!(Land::embedded().is_on_land(42.89, 132.29), "Natural Earth has it on land");
        assert!(land(132.36, 42.87), "the Dunay peninsula is land");
        assert!(!Land::embedded().is_on_land(42.87, 132.36), "Natural Earth has it at sea");
        assert!(!land(132.0, 42.5), "Peter the Great Gulf is water");
    }

    #[test]
    fn damaged_detail_is_an_error_not_a_panic() {
        assert!(CoastDetail::parse(b"").is_err());
        assert!(CoastDetail::parse(b"TUMENLAND1").is_err());
        for cut in [20, 100, EMBEDDED.len() / 2, EMBEDDED.len() - 1] {
            assert!(CoastDetail::parse(&EMBEDDED[..cut]).is_err(), "cut at {cut}");
        }
    }
}
