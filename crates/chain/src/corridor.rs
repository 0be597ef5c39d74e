//! Corridors: the routes a suspected shipment takes — origin ports,
//! destination ports, the rail facilities and depots the cargo goes on to
//! — as configuration (`[[corridor]]` in `tumen.toml`), places named by
//! their gazetteer ids. The 2023 corridor (Najin / Rajin → Dunay /
//! Vostochny → the Khasan–Tumangang rail crossing → the Tikhoretsk depot)
//! ships as the default.

use serde::Deserialize;
use tumen_places::Gazetteer;

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corridor {
    pub id: String,
    /// Where cargo is loaded.
    pub origins: Vec<String>,
    /// Where it is landed.
    pub destinations: Vec<String>,
    /// Rail facilities and border crossings the cargo passes on its way
    /// on (their counts are watched after an arrival).
    #[serde(default)]
    pub rail_facilities: Vec<String>,
    /// Where it ends up.
    #[serde(default)]
    pub depots: Vec<String>,
    /// Rail distance from the destinations to the depots, if known (km).
    #[serde(default)]
    pub rail_km: Option<f64>,
    /// A voyage longer than this from origin to destination is not one leg.
    #[serde(default = "default_voyage_days")]
    pub max_voyage_days: f64,
    /// Rail and depot activity counts for a chain this long after the
    /// arrival (and, for the origin side's rail, this long before loading).
    #[serde(default = "default_onward_days")]
    pub onward_days: f64,
}

fn default_voyage_days() -> f64 {
    5.0
}

fn default_onward_days() -> f64 {
    30.0
}

impl Corridor {
    /// The corridor of the 2023 case (FACTS.md §1).
    pub fn najin_dunay_2023() -> Corridor {
        Corridor {
            id: "najin-dunay-2023".into(),
            origins: vec!["najin".into()],
            destinations: vec!["dunay".into(), "vostochny".into()],
            rail_facilities: vec!["tumangang".into(), "khasan".into()],
            depots: vec!["tikhoretsk-depot".into()],
            // Vladivostok to Tikhoretsk by the Trans-Siberian and the
            // southern lines: of the order of 9,000 km (not in FACTS; an
            // estimate, kept as such in reports).
            rail_km: None,
            max_voyage_days: default_voyage_days(),
            onward_days: default_onward_days(),
        }
    }
}

impl Corridor {
    /// Every place the corridor names, in its order: origins, destinations,
    /// rail facilities, depots.
    pub fn places(&self) -> impl Iterator<Item = &str> {
        self.origins
            .iter()
            .chain(&self.destinations)
            .chain(&self.rail_facilities)
            .chain(&self.depots)
            .map(String::as_str)
    }

    /// The places it names that the gazetteer does not know: a corridor
    /// with a misspelt id would otherwise never link a chain, silently.
    pub fn unknown_places<'a>(&'a self, gazetteer: &Gazetteer) -> Vec<&'a str> {
        self.places().filter(|id| gazetteer.get(id).is_none()).collect()
    }
}

/// `[[corridor]]` tables, or the default corridor when there are none.
pub fn corridors_or_default(configured: &[Corridor]) -> Vec<Corridor> {
    if configured.is_empty() { vec![Corridor::najin_dunay_2023()] } else { configured.to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corridor_may_name_any_place_of_the_world_and_only_those() {
        let gazetteer = Gazetteer::embedded();
        assert!(Corridor::najin_dunay_2023().unknown_places(gazetteer).is_empty());
        // Rotterdam → Barcelona by the world's anchorages and ports.
        let world = Corridor {
            id: "north-sea-med".into(),
            origins: vec!["gfw-nld-rotterdam".into()],
            destinations: vec!["gfw-esp-barcelona".into(), "gfw-esp-barcelonaa".into()],
            ..Corridor::najin_dunay_2023()
        };
        assert_eq!(world.unknown_places(gazetteer), vec!["gfw-esp-barcelonaa"]);
    }
}
