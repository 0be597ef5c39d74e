//! Data-link and station management: types 10, 15, 16, 20, 22, 23.

use tumen_model::Mmsi;

use super::header;
use super::layout::Layout;

/// Type 10: UTC/date inquiry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UtcInquiry {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub dest_mmsi: Mmsi,
}

impl UtcInquiry {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 10, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        l.field(&mut self.dest_mmsi, 40, 30);
        l.spare(70, 2);
    }
}

/// Type 15: interrogation of up to two stations for up to three messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Interrogation {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub mmsi1: Mmsi,
    pub type1_1: u8,
    pub offset1_1: u16,
    pub type1_2: u8,
    pub offset1_2: u16,
    pub mmsi2: Mmsi,
    pub type2_1: u8,
    pub offset2_1: u16,
}

impl Interrogation {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 15, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        l.field(&mut self.mmsi1, 40, 30);
        l.field(&mut self.type1_1, 70, 6);
        l.field(&mut self.offset1_1, 76, 12);
        // The message is 88, 110 or 160 bits long depending on how many
        // requests it holds; absent requests read as zero.
        let second = if L::DECODING {
            l.bit_len() > 90
        } else {
            self.type1_2 != 0 || self.offset1_2 != 0 || self.has_second_station()
        };
        if second {
            l.spare(88, 2);
            l.field(&mut self.type1_2, 90, 6);
            l.field(&mut self.offset1_2, 96, 12);
            let third = if L::DECODING { l.bit_len() > 110 } else { self.has_second_station() };
            if third {
                l.spare(108, 2);
                l.field(&mut self.mmsi2, 110, 30);
                l.field(&mut self.type2_1, 140, 6);
                l.field(&mut self.offset2_1, 146, 12);
                l.spare(158, 2);
            } else if !L::DECODING {
                l.spare(108, 4);
            }
        }
    }

    fn has_second_station(&self) -> bool {
        self.mmsi2.0 != 0 || self.type2_1 != 0 || self.offset2_1 != 0
    }
}

/// Type 16: assigned-mode command for one or two stations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AssignedModeCommand {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub mmsi1: Mmsi,
    pub offset1: u16,
    pub increment1: u16,
    pub mmsi2: Mmsi,
    pub offset2: u16,
    pub increment2: u16,
}

impl AssignedModeCommand {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 16, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        l.field(&mut self.mmsi1, 40, 30);
        l.field(&mut self.offset1, 70, 12);
        l.field(&mut self.increment1, 82, 10);
        // 96 bits for one station, 144 for two.
        let second = if L::DECODING {
            l.bit_len() >= 144
        } else {
            self.mmsi2.0 != 0 || self.offset2 != 0 || self.increment2 != 0
        };
        if second {
            l.field(&mut self.mmsi2, 92, 30);
            l.field(&mut self.offset2, 122, 12);
            l.field(&mut self.increment2, 134, 10);
        } else {
            l.spare(92, 4);
        }
    }
}

/// Type 20: data-link management (slot reservations).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DataLinkManagement {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Up to four reservations; absent ones are zero.
    pub reservations: [SlotReservation; 4],
}

/// One block of reserved slots in a type 20.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlotReservation {
    pub offset: u16,
    pub number: u8,
    pub timeout_min: u8,
    pub increment: u16,
}

impl DataLinkManagement {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 20, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        let count = if L::DECODING {
            4
        } else {
            self.reservations.iter().rposition(|r| *r != SlotReservation::default()).map_or(1, |i| i + 1)
        };
        for (i, r) in self.reservations.iter_mut().enumerate().take(count) {
            let at = 40 + 30 * i;
            l.field(&mut r.offset, at, 12);
            l.field(&mut r.number, at + 12, 4);
            l.field(&mut r.timeout_min, at + 16, 3);
            l.field(&mut r.increment, at + 19, 11);
        }
        if !L::DECODING {
            let end = 40 + 30 * count;
            l.spare(end, end.next_multiple_of(8) - end);
        }
    }
}

/// Type 22: channel management.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChannelManagement {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub channel_a: u16,
    pub channel_b: u16,
    pub txrx_mode: u8,
    /// High power when true.
    pub high_power: bool,
    /// The area, or the two stations, the command applies to.
    pub target: ChannelTarget,
    pub band_a: bool,
    pub band_b: bool,
    pub zone_size: u8,
}

/// What a type 22 applies to: an area (broadcast) or two stations (addressed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelTarget {
    /// Corners in 1/10 minute.
    Area {
        ne_lon_min_e1: i32,
        ne_lat_min_e1: i32,
        sw_lon_min_e1: i32,
        sw_lat_min_e1: i32,
    },
    Stations {
        dest1: Mmsi,
        dest2: Mmsi,
    },
}

impl Default for ChannelTarget {
    fn default() -> Self {
        ChannelTarget::Area { ne_lon_min_e1: 0, ne_lat_min_e1: 0, sw_lon_min_e1: 0, sw_lat_min_e1: 0 }
    }
}

impl ChannelManagement {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 22, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        l.field(&mut self.channel_a, 40, 12);
        l.field(&mut self.channel_b, 52, 12);
        l.field(&mut self.txrx_mode, 64, 4);
        l.field(&mut self.high_power, 68, 1);
        let mut addressed = matches!(self.target, ChannelTarget::Stations { .. });
        l.field(&mut addressed, 139, 1);
        if L::DECODING {
            self.target = if addressed {
                ChannelTarget::Stations { dest1: Mmsi::default(), dest2: Mmsi::default() }
            } else {
                ChannelTarget::default()
            };
        }
        match &mut self.target {
            ChannelTarget::Area { ne_lon_min_e1, ne_lat_min_e1, sw_lon_min_e1, sw_lat_min_e1 } => {
                l.field(ne_lon_min_e1, 69, 18);
                l.field(ne_lat_min_e1, 87, 17);
                l.field(sw_lon_min_e1, 104, 18);
                l.field(sw_lat_min_e1, 122, 17);
            }
            ChannelTarget::Stations { dest1, dest2 } => {
                l.field(dest1, 69, 30);
                l.spare(99, 5);
                l.field(dest2, 104, 30);
                l.spare(134, 5);
            }
        }
        l.field(&mut self.band_a, 140, 1);
        l.field(&mut self.band_b, 141, 1);
        l.field(&mut self.zone_size, 142, 3);
        l.spare(145, 23);
    }
}

/// Type 23: group assignment command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupAssignment {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Corners in 1/10 minute.
    pub ne_lon_min_e1: i32,
    pub ne_lat_min_e1: i32,
    pub sw_lon_min_e1: i32,
    pub sw_lat_min_e1: i32,
    pub station_type: u8,
    pub ship_type: u8,
    pub txrx_mode: u8,
    /// Reporting interval code (see ITU-R M.1371 table 77).
    pub interval: u8,
    /// Quiet time in minutes; 0 none.
    pub quiet_min: u8,
}

impl GroupAssignment {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 23, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        l.field(&mut self.ne_lon_min_e1, 40, 18);
        l.field(&mut self.ne_lat_min_e1, 58, 17);
        l.field(&mut self.sw_lon_min_e1, 75, 18);
        l.field(&mut self.sw_lat_min_e1, 93, 17);
        l.field(&mut self.station_type, 110, 4);
        l.field(&mut self.ship_type, 114, 8);
        l.spare(122, 22);
        l.field(&mut self.txrx_mode, 144, 2);
        l.field(&mut self.interval, 146, 4);
        l.field(&mut self.quiet_min, 150, 4);
        l.spare(154, 6);
    }
}
