//! Places: where things are. The gazetteer ([`gazetteer`]) names ports,
//! anchorages, rail facilities, border crossings, depots and zones, read
//! from GeoJSON ([`read`]) and indexed for point queries (`index`); the
//! land and its coastline ([`land`]) answer "is this on land?" and "how far
//! is the shore?" for the detectors (a position on land is spoofed or
//! wrong; loitering and encounters near shore are treated differently);
//! round the curated places a finer coastline ([`coast_detail`]) is there
//! for drawing maps.

pub mod borders;
pub mod coast_detail;
mod crossings;
pub mod gazetteer;
pub mod geojson;
mod index;
pub mod land;
pub mod read;
pub mod sea_route;

pub use borders::Borders;
pub use coast_detail::CoastDetail;
pub use gazetteer::{Gazetteer, Place, PlaceKind, Shape};
pub use land::{Land, LandError};
pub use read::{DEFAULT_RADIUS_KM, FeatureError, GazetteerError, ReadPlaces, read_geojson, slug};
pub use sea_route::{SeaRoute, sea_route};
