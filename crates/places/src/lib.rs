//! Places: where things are. The gazetteer ([`gazetteer`]) names ports,
//! anchorages, rail facilities, border crossings, depots and zones; the land
//! and its coastline ([`land`]) answer "is this on land?" and "how far is
//! the shore?" for the detectors (a position on land is spoofed or wrong;
//! loitering and encounters near shore are treated differently).

pub mod gazetteer;
pub mod land;

pub use gazetteer::{FeatureError, Gazetteer, GazetteerError, Place, PlaceKind, Shape, read_geojson};
pub use land::{Land, LandError};
