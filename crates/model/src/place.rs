//! What kind of place a place is — shared by the scenarios the simulator
//! reads, the gazetteer, and the events that name places.

/// The kinds of place, written in snake case (`rail_facility`) in scenario
/// files, GeoJSON properties and on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A port: where ships berth.
    Port,
    /// An anchorage: where ships wait or transfer at anchor.
    Anchorage,
    /// A rail facility: a yard, a terminal, a border station.
    RailFacility,
    /// A border crossing.
    BorderCrossing,
    /// A depot: where cargo is stored inland.
    Depot,
    /// A zone: an area watched as a whole (a gulf, a strait).
    Zone,
}

impl PlaceKind {
    /// Every kind, in the order listings give them.
    pub const ALL: [PlaceKind; 6] = [
        PlaceKind::Port,
        PlaceKind::Anchorage,
        PlaceKind::RailFacility,
        PlaceKind::BorderCrossing,
        PlaceKind::Depot,
        PlaceKind::Zone,
    ];

    /// The written name (the same serde uses).
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Port => "port",
            PlaceKind::Anchorage => "anchorage",
            PlaceKind::RailFacility => "rail_facility",
            PlaceKind::BorderCrossing => "border_crossing",
            PlaceKind::Depot => "depot",
            PlaceKind::Zone => "zone",
        }
    }

    /// The kind written `text` (as [`PlaceKind::as_str`] writes it).
    pub fn parse(text: &str) -> Option<PlaceKind> {
        PlaceKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Where a vessel can call: ports and anchorages.
    pub fn is_maritime(self) -> bool {
        matches!(self, PlaceKind::Port | PlaceKind::Anchorage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_serdes_names() {
        for kind in PlaceKind::ALL {
            let json = format!("\"{}\"", kind.as_str());
            assert_eq!(serde_json::from_str::<PlaceKind>(&json).unwrap(), kind);
            assert_eq!(PlaceKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(PlaceKind::parse("harbour"), None);
    }
}
