//! AIS messages: types 1–27 with every field, decoded from and encoded to
//! payload bits.
//!
//! Each type is a plain struct of raw field values exactly as transmitted,
//! including the "not available" sentinels (longitude 181°, speed 1023,
//! heading 511 …), with accessor methods that return scaled values in named
//! units and `None` for the sentinels. Field names carry their unit; a
//! suffix `_e<k>` means the integer is the quantity in that unit times 10^k
//! (`sog_knots_e1` is speed in 0.1 knot, `lon_min_e4` longitude in
//! 1/10 000 minute).

/// `lon_deg` and `lat_deg` for a message whose raw coordinates are
/// `$lon` and `$lat`, in 1/`$per_degree` degree.
macro_rules! position_accessors {
    ($ty:ty, $lon:ident, $lat:ident, $per_degree:expr) => {
        impl $ty {
            /// Longitude in degrees, `None` when not available or out of range.
            pub fn lon_deg(&self) -> Option<f64> {
                $crate::message::lon_deg(self.$lon, $per_degree)
            }

            /// Latitude in degrees, `None` when not available or out of range.
            pub fn lat_deg(&self) -> Option<f64> {
                $crate::message::lat_deg(self.$lat, $per_degree)
            }
        }
    };
}

/// `sog_knots`, `cog_deg` and `heading_deg` for the reports that carry
/// `sog_knots_e1`, `cog_deg_e1` and `heading_deg`.
macro_rules! motion_accessors {
    ($ty:ty) => {
        impl $ty {
            /// Speed over ground in knots, `None` when not available.
            pub fn sog_knots(&self) -> Option<f64> {
                (self.sog_knots_e1 != $crate::message::SOG_NOT_AVAILABLE).then(|| f64::from(self.sog_knots_e1) / 10.0)
            }

            /// Course over ground in degrees, `None` when not available.
            pub fn cog_deg(&self) -> Option<f64> {
                (self.cog_deg_e1 < $crate::message::COG_NOT_AVAILABLE).then(|| f64::from(self.cog_deg_e1) / 10.0)
            }

            /// True heading in degrees, `None` when not available.
            pub fn heading_deg(&self) -> Option<u16> {
                (self.heading_deg < 360).then_some(self.heading_deg)
            }
        }
    };
}

pub(crate) use {motion_accessors, position_accessors};

mod binary;
pub(crate) mod layout;
mod link;
mod position;
mod safety;
mod static_data;

use tumen_model::Mmsi;

pub use binary::{
    Ack, Acknowledge, AddressedBinary, BroadcastBinary, DgnssCorrection, MultiSlotBinary, SingleSlotBinary,
};
pub use layout::FieldOverflow;
pub use link::{
    AssignedModeCommand, ChannelManagement, ChannelTarget, DataLinkManagement, GroupAssignment, Interrogation,
    SlotReservation, UtcInquiry,
};
pub use position::{
    BaseStationReport, COG_NOT_AVAILABLE, ClassBExtendedReport, ClassBPositionReport, HEADING_NOT_AVAILABLE,
    LAT_NOT_AVAILABLE_MIN_E4, LON_NOT_AVAILABLE_MIN_E4, LongRangeReport, PositionReport, ROT_NOT_AVAILABLE,
    SOG_NOT_AVAILABLE, SarAircraftReport,
};
pub(crate) use safety::trailing_text;
pub use safety::{AddressedSafety, BroadcastSafety, MAX_SAFETY_TEXT_CHARS};
pub use static_data::{
    AidToNavigationReport, StaticAndVoyageData, StaticDataPartA, StaticDataPartB, StaticDataReport, Type24Dimensions,
};

use crate::bits::Bits;
use crate::reject::RejectReason;
use layout::{Layout, Reader, Writer};

/// One decoded AIS message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    /// Types 1, 2, 3.
    Position(PositionReport),
    /// Types 4 and 11.
    BaseStation(BaseStationReport),
    /// Type 5.
    StaticAndVoyage(StaticAndVoyageData),
    /// Type 6.
    AddressedBinary(AddressedBinary),
    /// Types 7 and 13.
    Acknowledge(Acknowledge),
    /// Type 8.
    BroadcastBinary(BroadcastBinary),
    /// Type 9.
    SarAircraft(SarAircraftReport),
    /// Type 10.
    UtcInquiry(UtcInquiry),
    /// Type 12.
    AddressedSafety(AddressedSafety),
    /// Type 14.
    BroadcastSafety(BroadcastSafety),
    /// Type 15.
    Interrogation(Interrogation),
    /// Type 16.
    AssignedMode(AssignedModeCommand),
    /// Type 17.
    Dgnss(DgnssCorrection),
    /// Type 18.
    ClassBPosition(ClassBPositionReport),
    /// Type 19.
    ClassBExtended(ClassBExtendedReport),
    /// Type 20.
    DataLinkManagement(DataLinkManagement),
    /// Type 21.
    AidToNavigation(AidToNavigationReport),
    /// Type 22.
    ChannelManagement(ChannelManagement),
    /// Type 23.
    GroupAssignment(GroupAssignment),
    /// Type 24, part A or B.
    StaticData(StaticDataReport),
    /// Type 25.
    SingleSlotBinary(SingleSlotBinary),
    /// Type 26.
    MultiSlotBinary(MultiSlotBinary),
    /// Type 27.
    LongRange(LongRangeReport),
}

/// The bit lengths accepted for each message type.
///
/// The policy is gpsd's (the de-facto reference): fixed-size types accept
/// their standard length and anything longer (the extra bits are ignored),
/// because transmitters in the wild pad badly; a few accept shorter forms
/// seen in the wild (types 1–3 from 163 bits, type 5 from 420, type 24
/// part A from 160). Variable types accept their standard range; type 27
/// is 96 bits or a whole 168-bit slot, nothing between. One
/// deliberate difference: type 24 part B is accepted from 162 bits, the
/// end of its last field, where gpsd wants 168.
pub fn accepted_bits(msg_type: u8) -> Option<(usize, usize)> {
    use crate::bits::MAX_MESSAGE_BITS as MAX;
    Some(match msg_type {
        1..=3 => (163, 204),
        4 | 11 => (168, MAX),
        5 => (420, MAX),
        6 => (88, 1008),
        7 | 13 => (72, 168),
        8 => (56, 1008),
        9 => (168, MAX),
        10 => (72, MAX),
        12 => (72, 1008),
        14 => (40, 1008),
        15 => (88, 168),
        16 => (96, 168),
        17 => (80, 816),
        18 => (168, MAX),
        19 => (312, MAX),
        20 => (72, 186),
        21 => (272, 368),
        22 => (168, MAX),
        23 => (160, MAX),
        // Part A 160–168, part B from 162: checked in `decode`.
        24 => (160, MAX),
        25 => (40, 168),
        26 => (60, 1004),
        27 => (96, 168),
        _ => return None,
    })
}

impl Message {
    /// Decodes a message from its payload bits.
    pub fn decode(bits: &Bits) -> Result<Message, RejectReason> {
        let mut message = Message::UtcInquiry(UtcInquiry::default());
        Message::decode_into(bits, &mut message)?;
        Ok(message)
    }

    /// Decodes into an existing message, sparing the copy of a large enum on
    /// the hot path. On error `out` holds an unspecified message.
    pub fn decode_into(bits: &Bits, out: &mut Message) -> Result<(), RejectReason> {
        if bits.is_empty() {
            return Err(RejectReason::EmptyPayload);
        }
        let msg_type = bits.unsigned(0, 6) as u8;
        let (min, max) = accepted_bits(msg_type).ok_or(RejectReason::UnknownMessageType)?;
        let len = bits.len();
        if len < min || len > max {
            return Err(RejectReason::BadLength);
        }
        let mut r = Reader::new(bits);
        // Sets `out` to the variant with default fields, then reads the
        // fields in place.
        macro_rules! read {
            ($variant:ident, $ty:ty) => {{
                *out = Message::$variant(<$ty>::default());
                if let Message::$variant(m) = out {
                    m.layout(&mut r);
                }
            }};
        }
        match msg_type {
            1..=3 => read!(Position, PositionReport),
            4 | 11 => read!(BaseStation, BaseStationReport),
            5 => read!(StaticAndVoyage, StaticAndVoyageData),
            6 => read!(AddressedBinary, AddressedBinary),
            7 | 13 => read!(Acknowledge, Acknowledge),
            8 => read!(BroadcastBinary, BroadcastBinary),
            9 => read!(SarAircraft, SarAircraftReport),
            10 => read!(UtcInquiry, UtcInquiry),
            12 => read!(AddressedSafety, AddressedSafety),
            14 => read!(BroadcastSafety, BroadcastSafety),
            15 => read!(Interrogation, Interrogation),
            16 => read!(AssignedMode, AssignedModeCommand),
            17 => read!(Dgnss, DgnssCorrection),
            18 => read!(ClassBPosition, ClassBPositionReport),
            19 => read!(ClassBExtended, ClassBExtendedReport),
            20 => read!(DataLinkManagement, DataLinkManagement),
            21 => read!(AidToNavigation, AidToNavigationReport),
            22 => read!(ChannelManagement, ChannelManagement),
            23 => read!(GroupAssignment, GroupAssignment),
            24 => match bits.unsigned(38, 2) {
                0 if len <= 168 => {
                    let mut part = StaticDataPartA::default();
                    part.layout(&mut r);
                    *out = Message::StaticData(StaticDataReport::PartA(part));
                }
                1 if len >= 162 => {
                    let mut part = StaticDataPartB::default();
                    part.layout(&mut r);
                    *out = Message::StaticData(StaticDataReport::PartB(part));
                }
                0 | 1 => return Err(RejectReason::BadLength),
                _ => return Err(RejectReason::BadType24Part),
            },
            25 => {
                read!(SingleSlotBinary, SingleSlotBinary);
                if let Message::SingleSlotBinary(m) = out
                    && len < 40 + 30 * usize::from(m.dest_mmsi.is_some()) + 16 * usize::from(m.app_id.is_some())
                {
                    return Err(RejectReason::BadLength);
                }
            }
            26 => {
                read!(MultiSlotBinary, MultiSlotBinary);
                if let Message::MultiSlotBinary(m) = out
                    && len < 60 + 30 * usize::from(m.dest_mmsi.is_some()) + 16 * usize::from(m.app_id.is_some())
                {
                    return Err(RejectReason::BadLength);
                }
            }
            // 96 bits, or a whole 168-bit slot as some transmitters send it;
            // other lengths are misframed (gpsd agrees).
            27 if len == 96 || len == 168 => read!(LongRange, LongRangeReport),
            27 => return Err(RejectReason::BadLength),
            _ => return Err(RejectReason::UnknownMessageType),
        }
        Ok(())
    }

    /// Encodes the message to payload bits. Fails when a field's value does
    /// not fit its width (an MMSI above 2^30, a heading above 511 …) or the
    /// message would exceed [`crate::bits::MAX_MESSAGE_BITS`].
    pub fn encode(&self) -> Result<Bits, FieldOverflow> {
        let mut w = Writer::new();
        let mut m = *self;
        match &mut m {
            Message::Position(x) => x.layout(&mut w),
            Message::BaseStation(x) => x.layout(&mut w),
            Message::StaticAndVoyage(x) => x.layout(&mut w),
            Message::AddressedBinary(x) => x.layout(&mut w),
            Message::Acknowledge(x) => x.layout(&mut w),
            Message::BroadcastBinary(x) => x.layout(&mut w),
            Message::SarAircraft(x) => x.layout(&mut w),
            Message::UtcInquiry(x) => x.layout(&mut w),
            Message::AddressedSafety(x) => x.layout(&mut w),
            Message::BroadcastSafety(x) => x.layout(&mut w),
            Message::Interrogation(x) => x.layout(&mut w),
            Message::AssignedMode(x) => x.layout(&mut w),
            Message::Dgnss(x) => x.layout(&mut w),
            Message::ClassBPosition(x) => x.layout(&mut w),
            Message::ClassBExtended(x) => x.layout(&mut w),
            Message::DataLinkManagement(x) => x.layout(&mut w),
            Message::AidToNavigation(x) => x.layout(&mut w),
            Message::ChannelManagement(x) => x.layout(&mut w),
            Message::GroupAssignment(x) => x.layout(&mut w),
            Message::StaticData(StaticDataReport::PartA(x)) => x.layout(&mut w),
            Message::StaticData(StaticDataReport::PartB(x)) => x.layout(&mut w),
            Message::SingleSlotBinary(x) => x.layout(&mut w),
            Message::MultiSlotBinary(x) => x.layout(&mut w),
            Message::LongRange(x) => x.layout(&mut w),
        }
        match w.overflow {
            Some(overflow) => Err(overflow),
            None => Ok(w.bits),
        }
    }

    /// The message type number, 1–27.
    pub fn msg_type(&self) -> u8 {
        match self {
            Message::Position(m) => m.msg_type,
            Message::BaseStation(m) => m.msg_type,
            Message::StaticAndVoyage(_) => 5,
            Message::AddressedBinary(_) => 6,
            Message::Acknowledge(m) => m.msg_type,
            Message::BroadcastBinary(_) => 8,
            Message::SarAircraft(_) => 9,
            Message::UtcInquiry(_) => 10,
            Message::AddressedSafety(_) => 12,
            Message::BroadcastSafety(_) => 14,
            Message::Interrogation(_) => 15,
            Message::AssignedMode(_) => 16,
            Message::Dgnss(_) => 17,
            Message::ClassBPosition(_) => 18,
            Message::ClassBExtended(_) => 19,
            Message::DataLinkManagement(_) => 20,
            Message::AidToNavigation(_) => 21,
            Message::ChannelManagement(_) => 22,
            Message::GroupAssignment(_) => 23,
            Message::StaticData(_) => 24,
            Message::SingleSlotBinary(_) => 25,
            Message::MultiSlotBinary(_) => 26,
            Message::LongRange(_) => 27,
        }
    }

    /// The sender's MMSI.
    pub fn mmsi(&self) -> Mmsi {
        self.header().1
    }

    /// The repeat indicator 0–3.
    pub fn repeat(&self) -> u8 {
        self.header().0
    }

    fn header(&self) -> (u8, Mmsi) {
        match self {
            Message::Position(m) => (m.repeat, m.mmsi),
            Message::BaseStation(m) => (m.repeat, m.mmsi),
            Message::StaticAndVoyage(m) => (m.repeat, m.mmsi),
            Message::AddressedBinary(m) => (m.repeat, m.mmsi),
            Message::Acknowledge(m) => (m.repeat, m.mmsi),
            Message::BroadcastBinary(m) => (m.repeat, m.mmsi),
            Message::SarAircraft(m) => (m.repeat, m.mmsi),
            Message::UtcInquiry(m) => (m.repeat, m.mmsi),
            Message::AddressedSafety(m) => (m.repeat, m.mmsi),
            Message::BroadcastSafety(m) => (m.repeat, m.mmsi),
            Message::Interrogation(m) => (m.repeat, m.mmsi),
            Message::AssignedMode(m) => (m.repeat, m.mmsi),
            Message::Dgnss(m) => (m.repeat, m.mmsi),
            Message::ClassBPosition(m) => (m.repeat, m.mmsi),
            Message::ClassBExtended(m) => (m.repeat, m.mmsi),
            Message::DataLinkManagement(m) => (m.repeat, m.mmsi),
            Message::AidToNavigation(m) => (m.repeat, m.mmsi),
            Message::ChannelManagement(m) => (m.repeat, m.mmsi),
            Message::GroupAssignment(m) => (m.repeat, m.mmsi),
            Message::StaticData(StaticDataReport::PartA(m)) => (m.repeat, m.mmsi),
            Message::StaticData(StaticDataReport::PartB(m)) => (m.repeat, m.mmsi),
            Message::SingleSlotBinary(m) => (m.repeat, m.mmsi),
            Message::MultiSlotBinary(m) => (m.repeat, m.mmsi),
            Message::LongRange(m) => (m.repeat, m.mmsi),
        }
    }
}

/// The common first 38 bits: type, repeat indicator, MMSI.
pub(crate) fn header<L: Layout>(l: &mut L, msg_type: &mut u8, repeat: &mut u8, mmsi: &mut Mmsi) {
    l.field(msg_type, 0, 6);
    l.field(repeat, 6, 2);
    l.field(mmsi, 8, 30);
}

/// Degrees from a raw longitude in 1/`per_degree` degree units; `None` for
/// the 181° "not available" value and anything else outside ±180°.
pub(crate) fn lon_deg(raw: i32, per_degree: f64) -> Option<f64> {
    let deg = f64::from(raw) / per_degree;
    (-180.0..=180.0).contains(&deg).then_some(deg)
}

/// Degrees from a raw latitude; `None` for 91° and anything outside ±90°.
pub(crate) fn lat_deg(raw: i32, per_degree: f64) -> Option<f64> {
    let deg = f64::from(raw) / per_degree;
    (-90.0..=90.0).contains(&deg).then_some(deg)
}
