//! Maritime Mobile Service Identities (ITU-R M.585).

use std::fmt;

/// A Maritime Mobile Service Identity as broadcast: the 30-bit number in
/// every AIS message. Any value an AIS message can carry is representable;
/// [`Mmsi::kind`] says what the number claims to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Mmsi(pub u32);

/// What an MMSI's digit pattern says about the station (ITU-R M.585 Annex 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MmsiKind {
    /// `MIDxxxxxx`: a ship station; first digit 2–7.
    Ship,
    /// `0MIDxxxxx`: a group of ship stations.
    Group,
    /// `00MIDxxxx`: a coast station (base stations report with these).
    CoastStation,
    /// `111MIDxxx`: a SAR aircraft.
    SarAircraft,
    /// `99MIDxxxx`: an aid to navigation.
    AidToNavigation,
    /// `98MIDxxxx`: a craft associated with a parent ship (tender, lifeboat).
    CraftAssociatedWithParentShip,
    /// `8MIDxxxxx`: a hand-held VHF with DSC and GNSS.
    Handheld,
    /// `970xxyyyy`: an AIS search-and-rescue transmitter.
    Sart,
    /// `972xxyyyy`: a man-overboard device.
    ManOverboard,
    /// `974xxyyyy`: an EPIRB with AIS.
    Epirb,
    /// Anything else, including numbers above 999 999 999.
    Other,
}

impl MmsiKind {
    /// A short name for tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MmsiKind::Ship => "ship",
            MmsiKind::Group => "group",
            MmsiKind::CoastStation => "coast station",
            MmsiKind::SarAircraft => "SAR aircraft",
            MmsiKind::AidToNavigation => "aid to navigation",
            MmsiKind::CraftAssociatedWithParentShip => "craft of a parent ship",
            MmsiKind::Handheld => "handheld VHF",
            MmsiKind::Sart => "SART",
            MmsiKind::ManOverboard => "man overboard",
            MmsiKind::Epirb => "EPIRB",
            MmsiKind::Other => "other",
        }
    }
}

impl Mmsi {
    /// An MMSI as people type one: up to nine digits (0 included: a
    /// transponder never set up broadcasts it, and ingest archives it).
    pub fn parse(text: &str) -> Option<Mmsi> {
        (!text.is_empty() && text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok().map(Mmsi))
            .flatten()
    }

    /// The classification its digits claim.
    pub fn kind(self) -> MmsiKind {
        let n = self.0;
        if n > 999_999_999 {
            return MmsiKind::Other;
        }
        let d1 = n / 100_000_000;
        let d12 = n / 10_000_000;
        let d123 = n / 1_000_000;
        match (d1, d12, d123) {
            (_, _, 970) => MmsiKind::Sart,
            (_, _, 972) => MmsiKind::ManOverboard,
            (_, _, 974) => MmsiKind::Epirb,
            (_, _, 111) => MmsiKind::SarAircraft,
            (_, 99, _) => MmsiKind::AidToNavigation,
            (_, 98, _) => MmsiKind::CraftAssociatedWithParentShip,
            (2..=7, _, _) => MmsiKind::Ship,
            (8, _, _) => MmsiKind::Handheld,
            // Leading zeros: 00MID… coast station, 0MID… group. The MID's own
            // first digit is 2–7, which tells a group from a coast station.
            (0, 0, _) if (2..=7).contains(&(n / 1_000_000)) => MmsiKind::CoastStation,
            (0, 2..=7, _) => MmsiKind::Group,
            _ => MmsiKind::Other,
        }
    }

    /// Why the number cannot be one station's, if it cannot: zero, a
    /// number no kind of station has (123456789: no kind begins with 1 but
    /// SAR aircraft, 111…), or one digit nine times (111111111,
    /// 999999999) — what transponders left at their factory default send,
    /// so a track on one is any number of boats, not a vessel's behaviour.
    /// An unallocated MID alone (600011817) is not enough: a boat
    /// misprogrammed so is still one boat, and `tumen vessels` shows its
    /// flag as unallocated. (`MID000000`, another common default, carries a
    /// real MID: the segmenter tells its ships apart.)
    pub fn not_one_station(self) -> Option<&'static str> {
        let n = self.0;
        if n == 0 {
            return Some("zero");
        }
        if n.is_multiple_of(111_111_111) && n <= 999_999_999 {
            return Some("one digit nine times, a factory default");
        }
        match self.kind() {
            MmsiKind::Other => Some("no station has such a number"),
            _ => None,
        }
    }

    /// The country or area its MID is allocated to, if the number carries
    /// an allocated MID.
    pub fn mid_allocation(self) -> Option<crate::mid::MidAllocation> {
        self.mid().and_then(crate::mid::allocation)
    }

    /// The Maritime Identification Digits (country code) the number carries,
    /// read from the position its kind puts them in; `None` for SART, MOB,
    /// EPIRB and unclassifiable numbers.
    pub fn mid(self) -> Option<u16> {
        let n = self.0;
        let mid = match self.kind() {
            MmsiKind::Ship => n / 1_000_000,
            MmsiKind::Group => n / 100_000,
            MmsiKind::CoastStation => n / 10_000,
            MmsiKind::SarAircraft => (n / 1_000) % 1000,
            MmsiKind::AidToNavigation | MmsiKind::CraftAssociatedWithParentShip => (n / 10_000) % 1000,
            MmsiKind::Handheld => (n / 100_000) % 1000,
            MmsiKind::Sart | MmsiKind::ManOverboard | MmsiKind::Epirb | MmsiKind::Other => return None,
        };
        Some(mid as u16)
    }
}

impl fmt::Display for Mmsi {
    /// Nine digits with leading zeros, as MMSIs are written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:09}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mmsis_are_up_to_nine_digits() {
        assert_eq!(Mmsi::parse("273214860"), Some(Mmsi(273_214_860)));
        assert_eq!(Mmsi::parse("0"), Some(Mmsi(0)));
        for bad in ["", "ANGARA", "1234567890", "+12345", " 12345", "12 345"] {
            assert_eq!(Mmsi::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn kinds_and_mids() {
        let cases = [
            (273_123_456, MmsiKind::Ship, Some(273)),
            (445_000_001, MmsiKind::Ship, Some(445)),
            (27_312_345, MmsiKind::Group, Some(273)),
            (2_655_651, MmsiKind::CoastStation, Some(265)),
            (3_669_702, MmsiKind::CoastStation, Some(366)),
            (111_273_123, MmsiKind::SarAircraft, Some(273)),
            (992_509_976, MmsiKind::AidToNavigation, Some(250)),
            (982_730_001, MmsiKind::CraftAssociatedWithParentShip, Some(273)),
            (827_312_345, MmsiKind::Handheld, Some(273)),
            (970_123_456, MmsiKind::Sart, None),
            (972_123_456, MmsiKind::ManOverboard, None),
            (974_123_456, MmsiKind::Epirb, None),
            (1_000_000_000, MmsiKind::Other, None),
            (123_456_789, MmsiKind::Other, None),
        ];
        for (n, kind, mid) in cases {
            assert_eq!(Mmsi(n).kind(), kind, "{n}");
            assert_eq!(Mmsi(n).mid(), mid, "{n}");
        }
    }

    #[test]
    fn numbers_no_station_can_have() {
        for (n, reason) in [
            (0, Some("zero")),
            (123_456_789, Some("no station has such a number")),
            (111_111_111, Some("one digit nine times, a factory default")),
            (999_999_999, Some("one digit nine times, a factory default")),
            (600_011_817, None),
            (1_000_000_000, Some("no station has such a number")),
            (1_234_567, Some("no station has such a number")),
            (273_356_110, None),
            (240_000_000, None),
            (2_734_561, None),
            (970_123_456, None),
        ] {
            assert_eq!(Mmsi(n).not_one_station(), reason, "{n}");
        }
    }

    #[test]
    fn prints_nine_digits() {
        assert_eq!(Mmsi(3_669_702).to_string(), "003669702");
    }

    #[test]
    fn mids_name_their_country_in_every_kind() {
        assert_eq!(Mmsi(445_128_000).mid_allocation().unwrap().iso_alpha2, "KP");
        assert_eq!(Mmsi(2_731_234).mid_allocation().unwrap().iso_alpha2, "RU", "00MID coast station");
        assert_eq!(Mmsi(992_731_234).mid_allocation().unwrap().iso_alpha2, "RU", "99MID aid to navigation");
        assert_eq!(Mmsi(111_273_123).mid_allocation().unwrap().iso_alpha2, "RU", "111MID SAR aircraft");
        assert_eq!(Mmsi(970_123_456).mid_allocation(), None, "a SART carries no MID");
        assert_eq!(Mmsi(217_000_000).mid_allocation(), None, "217 is not allocated");
    }
}
