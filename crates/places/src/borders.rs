//! Country borders and names, for drawing maps only: Natural Earth 1:10m
//! admin-0 countries (public domain), shipped in
//! `data/land/ne-10m-borders.bin` and made by `scripts/make_borders.py`,
//! which documents the format. Borders are the lines two countries share
//! (coasts come from [`crate::Land`]); each country carries points inside
//! it (a 0.5° grid's and one per part) so that a map of any extent has a
//! place inside the country to write its name. Natural Earth draws the
//! borders a country holds on the ground; no detector reads them.

use std::sync::OnceLock;

use crate::coast_detail::{read_ring, read_section};
use crate::land::{Input, LandError, Ring, rings_meeting};

static EMBEDDED: &[u8] = include_bytes!("../../../data/land/ne-10m-borders.bin");
const MAGIC: &[u8] = b"TUMENBORDERS1";

/// One country: its name and the points its name may be written at.
struct Country {
    name: String,
    /// The grid's points inside it (0.5°, and 0.1° near curated places).
    grid: Ring,
    /// A point inside each of its parts.
    parts: Ring,
}

/// A view narrower than this (degrees) may name a country by its parts'
/// points alone: an island or an enclave named when zoomed in to it, not
/// on a continent's map.
const PARTS_NAMED_BELOW_DEG: f64 = 4.0;

/// The land borders between countries, and the countries' names.
pub struct Borders {
    lines: Vec<Ring>,
    countries: Vec<Country>,
}

impl Borders {
    /// The borders shipped with Tumen, parsed once per process.
    pub fn embedded() -> &'static Borders {
        static BORDERS: OnceLock<Borders> = OnceLock::new();
        BORDERS.get_or_init(|| Borders::parse(EMBEDDED).expect("the embedded borders are well formed (tested)"))
    }

    /// Reads the format `scripts/make_borders.py` writes.
    pub fn parse(bytes: &[u8]) -> Result<Borders, LandError> {
        let mut input = Input { bytes };
        if input.take(MAGIC.len())? != MAGIC {
            return Err(LandError::Format("not a Tumen borders file"));
        }
        let transform = [input.f64()?, input.f64()?, input.f64()?, input.f64()?];
        let lines = read_section(&mut input, transform)?;
        let count = input.u32()?;
        let mut countries = Vec::with_capacity(count.min(1 << 10) as usize);
        for _ in 0..count {
            let length = usize::from(input.take(1)?[0]);
            let name = std::str::from_utf8(input.take(length)?)
                .map_err(|_| LandError::Format("a country name is not UTF-8"))?
                .to_owned();
            let grid = read_ring(&mut input, transform)?;
            let parts = read_ring(&mut input, transform)?;
            countries.push(Country { name, grid, parts });
        }
        if !input.bytes.is_empty() {
            return Err(LandError::Format("bytes after the last country"));
        }
        Ok(Borders { lines, countries })
    }

    /// The border lines that meet a bounding box (lon, lat degrees).
    pub fn lines_within(&self, lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> Vec<&[[f32; 2]]> {
        rings_meeting(&self.lines, lon_min, lat_min, lon_max, lat_max)
    }

    /// Each country to name in the bounding box: its name and the points
    /// inside both (lon, lat) — its grid's, or when none and the box is
    /// small, its parts'.
    pub fn names_within(&self, lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> Vec<(&str, Vec<[f32; 2]>)> {
        let inside = |&[lon, lat]: &[f32; 2]| {
            let (lon, lat) = (f64::from(lon), f64::from(lat));
            (lon_min..=lon_max).contains(&lon) && (lat_min..=lat_max).contains(&lat)
        };
        let within = |ring: &Ring| -> Vec<[f32; 2]> {
            if !ring.meets(lon_min, lat_min, lon_max, lat_max) {
                return Vec::new();
            }
            ring.points.iter().copied().filter(inside).collect()
        };
        let zoomed_in = (lon_max - lon_min).max(lat_max - lat_min) < PARTS_NAMED_BELOW_DEG;
        self.countries
            .iter()
            .map(|c| {
                let grid = within(&c.grid);
                let points = if grid.is_empty() && zoomed_in { within(&c.parts) } else { grid };
                (c.name.as_str(), points)
            })
            .filter(|(_, points)| !points.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tumen_river_border_and_its_three_countries_are_there() {
        let borders = Borders::embedded();
        // Round the mouth of the Tumen: China, North Korea and Russia meet.
        let (lon_min, lat_min, lon_max, lat_max) = (129.5, 41.8, 131.5, 43.5);
        assert!(!borders.lines_within(lon_min, lat_min, lon_max, lat_max).is_empty());
        let names: Vec<&str> =
            borders.names_within(lon_min, lat_min, lon_max, lat_max).into_iter().map(|(n, _)| n).collect();
        for country in ["China", "North Korea", "Russia"] {
            assert!(names.contains(&country), "{country} not in {names:?}");
        }
        // Zoomed in at Najin, North Korea is named near it.
        let close = borders.names_within(130.0, 42.0, 130.6, 42.5);
        assert!(close.iter().any(|(n, _)| *n == "North Korea"), "{close:?}");
        // A continent's map names no enclave: Dhekelia (a British base
        // area on Cyprus, smaller than the grid) only when zoomed in.
        let names = |b: [f64; 4]| -> Vec<String> {
            borders.names_within(b[0], b[1], b[2], b[3]).into_iter().map(|(n, _)| n.to_owned()).collect()
        };
        assert!(!names([20.0, 25.0, 60.0, 50.0]).iter().any(|n| n == "Dhekelia"));
        assert!(names([33.0, 34.5, 34.5, 35.5]).iter().any(|n| n == "Dhekelia"));
        // The open Pacific has neither.
        assert!(borders.lines_within(-150.0, -40.0, -140.0, -30.0).is_empty());
        assert!(borders.names_within(-150.0, -40.0, -140.0, -30.0).is_empty());
    }

    #[test]
    fn damaged_borders_are_an_error_not_a_panic() {
        assert!(Borders::parse(b"").is_err());
        assert!(Borders::parse(&EMBEDDED[..EMBEDDED.len() / 2]).is_err());
        assert!(Borders::parse(b"TUMENBORDERS1xxxx").is_err());
    }
}
