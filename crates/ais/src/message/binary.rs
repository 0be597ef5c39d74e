//! Binary messages (6, 8, 25, 26), their acknowledgements (7, 13) and DGNSS
//! corrections (17).
//!
//! Types 6 and 8 carry an application identifier (DAC, FI) and a payload;
//! [`crate::application`] decodes the payloads it knows.

use tumen_model::Mmsi;

use super::header;
use super::layout::Layout;
use crate::application::{self, Application};
use crate::bits::Bits;

/// Type 6: binary message addressed to one station.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddressedBinary {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Sequence number 0–3.
    pub seqno: u8,
    pub dest_mmsi: Mmsi,
    pub retransmit: bool,
    /// Designated area code: 1 international, 200 inland, 366 USA, …
    pub dac: u16,
    /// Function identifier within the DAC.
    pub fi: u8,
    /// The application payload, bits 88 to the end.
    pub data: Bits,
}

impl AddressedBinary {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 6, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.seqno, 38, 2);
        l.field(&mut self.dest_mmsi, 40, 30);
        l.field(&mut self.retransmit, 70, 1);
        l.spare(71, 1);
        l.field(&mut self.dac, 72, 10);
        l.field(&mut self.fi, 82, 6);
        l.data_to_end(&mut self.data, 88, 0);
    }

    /// The payload decoded, when its DAC/FI is one this crate knows.
    pub fn application(&self) -> Option<Application> {
        application::decode_addressed(self.dac, self.fi, &self.data)
    }
}

/// Type 8: binary broadcast message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BroadcastBinary {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Designated area code: 1 international, 200 inland, 366 USA, …
    pub dac: u16,
    /// Function identifier within the DAC.
    pub fi: u8,
    /// The application payload, bits 56 to the end.
    pub data: Bits,
}

impl BroadcastBinary {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 8, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        l.field(&mut self.dac, 40, 10);
        l.field(&mut self.fi, 50, 6);
        l.data_to_end(&mut self.data, 56, 0);
    }

    /// The payload decoded, when its DAC/FI is one this crate knows.
    pub fn application(&self) -> Option<Application> {
        application::decode_broadcast(self.dac, self.fi, &self.data)
    }
}

/// Types 7 (binary acknowledge) and 13 (safety-related acknowledge).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Acknowledge {
    /// 7 or 13.
    pub msg_type: u8,
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Up to four acknowledged stations; absent entries are zero.
    pub acks: [Ack; 4],
}

/// One acknowledged message: the station and its sequence number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ack {
    pub mmsi: Mmsi,
    pub seqno: u8,
}

impl Acknowledge {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut self.msg_type, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        // Decoding reads all four (absent ones read as zero); encoding writes
        // up to the last one present.
        let count =
            if L::DECODING { 4 } else { self.acks.iter().rposition(|a| *a != Ack::default()).map_or(1, |i| i + 1) };
        for (i, ack) in self.acks.iter_mut().enumerate().take(count) {
            l.field(&mut ack.mmsi, 40 + 32 * i, 30);
            l.field(&mut ack.seqno, 70 + 32 * i, 2);
        }
    }

    /// The acknowledged entries present (non-zero MMSI).
    pub fn present(&self) -> impl Iterator<Item = &Ack> {
        self.acks.iter().filter(|a| a.mmsi.0 != 0)
    }
}

/// Type 17: DGNSS broadcast of GNSS corrections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DgnssCorrection {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Reference station longitude in 1/10 minute.
    pub lon_min_e1: i32,
    /// Reference station latitude in 1/10 minute.
    pub lat_min_e1: i32,
    /// RTCM SC-104 correction data, bits 80 to the end.
    pub data: Bits,
}

impl DgnssCorrection {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 17, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        l.field(&mut self.lon_min_e1, 40, 18);
        l.field(&mut self.lat_min_e1, 58, 17);
        l.spare(75, 5);
        l.data_to_end(&mut self.data, 80, 0);
    }
}

/// Type 25: single-slot binary message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SingleSlotBinary {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Destination, when the message is addressed.
    pub dest_mmsi: Option<Mmsi>,
    /// Application id (DAC ≪ 6 | FI), when the payload is structured.
    pub app_id: Option<u16>,
    pub data: Bits,
}

impl SingleSlotBinary {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 25, &mut self.repeat, &mut self.mmsi);
        let data_start = binary_mode(l, &mut self.dest_mmsi, &mut self.app_id);
        l.data_to_end(&mut self.data, data_start, 0);
    }
}

/// Type 26: multiple-slot binary message with communication state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MultiSlotBinary {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Destination, when the message is addressed.
    pub dest_mmsi: Option<Mmsi>,
    /// Application id (DAC ≪ 6 | FI), when the payload is structured.
    pub app_id: Option<u16>,
    pub data: Bits,
    /// The last 20 bits: communication-state selector flag and state.
    pub radio_status: u32,
}

impl MultiSlotBinary {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 26, &mut self.repeat, &mut self.mmsi);
        let data_start = binary_mode(l, &mut self.dest_mmsi, &mut self.app_id);
        l.data_to_end(&mut self.data, data_start, 20);
        let radio_start = data_start + self.data.len();
        l.field(&mut self.radio_status, radio_start, 20);
    }
}

/// The addressed and structured flags of types 25 and 26 and the fields they
/// switch on; returns where the data begins.
fn binary_mode<L: Layout>(l: &mut L, dest_mmsi: &mut Option<Mmsi>, app_id: &mut Option<u16>) -> usize {
    let mut addressed = dest_mmsi.is_some();
    let mut structured = app_id.is_some();
    l.field(&mut addressed, 38, 1);
    l.field(&mut structured, 39, 1);
    let mut at = 40;
    if addressed {
        let mut mmsi = dest_mmsi.unwrap_or_default();
        l.field(&mut mmsi, at, 30);
        *dest_mmsi = Some(mmsi);
        at += 30;
    } else {
        *dest_mmsi = None;
    }
    if structured {
        let mut id = app_id.unwrap_or_default();
        l.field(&mut id, at, 16);
        *app_id = Some(id);
        at += 16;
    } else {
        *app_id = None;
    }
    at
}

super::position_accessors!(DgnssCorrection, lon_min_e1, lat_min_e1, 600.0);
