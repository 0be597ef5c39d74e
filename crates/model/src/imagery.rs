//! What imagery gives: scenes (when an image was taken, the ground it
//! covers), the vessel detections in them, and counts of objects at
//! facilities.

use crate::{LatLon, Timestamp};

/// One image: when it was taken and, when the provider says, the ground it
/// covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// The provider's scene id (Sentinel-1's product name, say).
    pub id: String,
    /// The satellite or sensor, when the provider names it.
    pub satellite: Option<String>,
    /// When the image was taken.
    pub time: Timestamp,
    /// The footprint's outer ring, closed (first = last); empty when the
    /// provider gave none.
    pub footprint: Vec<LatLon>,
    /// Where it was read from (0 until an import registers the file).
    pub source_id: u32,
    /// The line of that source (the feature's number for GeoJSON).
    pub line: u64,
}

/// A vessel-like object an image shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    /// The provider's id, else the file and line.
    pub id: String,
    /// The scene it was seen in, when the provider says.
    pub scene_id: Option<String>,
    /// When the image was taken.
    pub time: Timestamp,
    /// Where the object is.
    pub position: LatLon,
    /// Its length as measured in the image.
    pub length_m: Option<f64>,
    /// Its width as measured in the image.
    pub width_m: Option<f64>,
    /// Its heading as measured in the image, degrees from north.
    pub heading_deg: Option<f64>,
    /// The provider's confidence that this is a vessel, 0–1.
    pub confidence: Option<f64>,
    /// The MMSI the provider itself matched, if it did (GFW's `ssvid`).
    pub provider_mmsi: Option<u32>,
    /// Where it was read from (0 until an import registers the file).
    pub source_id: u32,
    /// The line of that source.
    pub line: u64,
}

/// What a facility observation counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectClass {
    /// Rail freight cars (`rail_car`).
    RailCar,
    /// Shipping containers (`container`).
    Container,
    /// Vessels (`vessel`).
    Vessel,
    /// Road vehicles (`vehicle`).
    Vehicle,
}

impl ObjectClass {
    /// Every class, in the order listings give them.
    pub const ALL: [ObjectClass; 4] =
        [ObjectClass::RailCar, ObjectClass::Container, ObjectClass::Vessel, ObjectClass::Vehicle];

    /// The written name (`rail_car`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectClass::RailCar => "rail_car",
            ObjectClass::Container => "container",
            ObjectClass::Vessel => "vessel",
            ObjectClass::Vehicle => "vehicle",
        }
    }

    /// A count in words: "73 rail cars", "1 container".
    pub fn counted(self, count: f64) -> String {
        format!("{count:.0} {}", if count.round() == 1.0 { self.singular() } else { self.plural() })
    }

    /// The class's name for one object: "rail car".
    pub fn singular(self) -> &'static str {
        match self {
            ObjectClass::RailCar => "rail car",
            ObjectClass::Container => "container",
            ObjectClass::Vessel => "vessel",
            ObjectClass::Vehicle => "vehicle",
        }
    }

    /// The class's name for several: "rail cars", a chart's unit.
    pub fn plural(self) -> &'static str {
        match self {
            ObjectClass::RailCar => "rail cars",
            ObjectClass::Container => "containers",
            ObjectClass::Vessel => "vessels",
            ObjectClass::Vehicle => "vehicles",
        }
    }

    /// A count of the class named `class` in words (any spelling
    /// [`ObjectClass::parse`] reads; an unknown class as given).
    pub fn counted_as(class: &str, count: f64) -> String {
        match ObjectClass::parse(class) {
            Some(known) => known.counted(count),
            None => format!("{count:.0} {}", class.replace('_', " ")),
        }
    }

    /// Read loosely: `rail car`, `Rail_Cars`, `railcar`, `wagons` are one.
    pub fn parse(text: &str) -> Option<ObjectClass> {
        let key: String = text.to_ascii_lowercase().chars().filter(char::is_ascii_alphabetic).collect();
        match key.trim_end_matches('s') {
            "railcar" | "wagon" | "freightcar" => Some(ObjectClass::RailCar),
            "container" => Some(ObjectClass::Container),
            "vessel" | "ship" | "boat" => Some(ObjectClass::Vessel),
            "vehicle" | "truck" | "car" => Some(ObjectClass::Vehicle),
            _ => None,
        }
    }
}

/// One count of objects at a site on an image date.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// The site's id (a gazetteer place id where there is one).
    pub site: String,
    /// The site's name, when the file gives one.
    pub site_name: Option<String>,
    /// Where the site is, when the file gives it.
    pub position: Option<LatLon>,
    /// When the image was taken.
    pub time: Timestamp,
    /// What was counted.
    pub object: ObjectClass,
    /// How many.
    pub count: u32,
    /// Who counted (a provider, an analyst); free text.
    pub provider: Option<String>,
    /// Where it was read from (0 until an import registers the file).
    pub source_id: u32,
    /// The line of that source.
    pub line: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(ObjectClass::RailCar.counted(73.0), "73 rail cars");
        assert_eq!(ObjectClass::RailCar.counted(1.0), "1 rail car");
        assert_eq!(ObjectClass::counted_as("container", 300.0), "300 containers");
        assert_eq!(ObjectClass::counted_as("crane_arm", 2.0), "2 crane arm");
    }

    #[test]
    fn object_classes_read_loosely() {
        for text in ["rail_car", "Rail Cars", "railcar", "wagons", "RAIL-CAR"] {
            assert_eq!(ObjectClass::parse(text), Some(ObjectClass::RailCar), "{text}");
        }
        assert_eq!(ObjectClass::parse("containers"), Some(ObjectClass::Container));
        assert_eq!(ObjectClass::parse("aircraft"), None);
        for class in ObjectClass::ALL {
            assert_eq!(ObjectClass::parse(class.as_str()), Some(class));
        }
    }
}
