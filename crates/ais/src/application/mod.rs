//! Application payloads of binary messages 6 and 8, identified by their
//! designated area code (DAC) and function identifier (FI).
//!
//! Decoded here: the IMO SN.1/Circ.236 and 289 messages seen in real traffic
//! (meteorological and hydrographic data, dangerous cargo, tidal windows,
//! clearance time, persons on board, text descriptions, route information,
//! VTS synthetic targets), the Inland AIS messages (ship static data,
//! persons on board, water levels, signal status) and the GLA AtoN
//! monitoring message. Everything else stays raw bits with its DAC/FI.
//!
//! A payload is decoded only when it holds every field of its layout
//! (arrays: whole elements only). A short payload stays raw rather than
//! being padded with invented zeros; gpsd pads, and the conformance test
//! lists where that makes a difference.

mod imo;
mod inland;

pub(crate) use imo::TidalEntry;
pub use imo::{
    Cargo, ClearanceTime, DangerousCargo236, DangerousCargo289, DayTime, MetHydro236, MetHydro289, PersonsOnBoard,
    RouteInformation, SeaState, TargetId, TextDescription, TidalEntry236, TidalEntry289, TidalWindow, TidalWindow236,
    TidalWindow289, VtsTarget, VtsTargets, Waypoint, Wind,
};
pub use inland::{AtonMonitoring, Gauge, InlandPersonsOnBoard, InlandSignal, InlandStaticVoyage, InlandWaterLevels};

use crate::bits::Bits;
use crate::message::layout::{Layout, Reader, Writer};

/// A decoded application payload of a type 6 or type 8 message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Application {
    /// Type 6, DAC 1, FI 12.
    DangerousCargo236(DangerousCargo236),
    /// Type 6, DAC 1, FI 14.
    TidalWindow236(TidalWindow236),
    /// Type 6, DAC 1, FI 16.
    PersonsOnBoard(PersonsOnBoard),
    /// Type 6, DAC 1, FI 18.
    ClearanceTime(ClearanceTime),
    /// Type 6, DAC 1, FI 30 (addressed) and type 8, DAC 1, FI 29 (broadcast).
    TextDescription(TextDescription),
    /// Type 6, DAC 1, FI 32.
    TidalWindow289(TidalWindow289),
    /// Type 6, DAC 200, FI 55.
    InlandPersonsOnBoard(InlandPersonsOnBoard),
    /// Type 6, DAC 235 or 250, FI 10.
    AtonMonitoring(AtonMonitoring),
    /// Type 8, DAC 1, FI 11.
    MetHydro236(MetHydro236),
    /// Type 8, DAC 1, FI 31.
    MetHydro289(MetHydro289),
    /// Type 8, DAC 200, FI 10.
    InlandStaticVoyage(InlandStaticVoyage),
    /// Type 6, DAC 1, FI 25.
    DangerousCargo289(DangerousCargo289),
    /// Type 6, DAC 1, FI 28 (addressed) and type 8, DAC 1, FI 27 (broadcast).
    RouteInformation(RouteInformation),
    /// Type 8, DAC 1, FI 17.
    VtsTargets(VtsTargets),
    /// Type 8, DAC 200, FI 24.
    InlandWaterLevels(InlandWaterLevels),
    /// Type 8, DAC 200, FI 40.
    InlandSignal(InlandSignal),
}

/// Decodes the payload of a type 6 message, if its DAC/FI is known and the
/// payload is complete.
pub fn decode_addressed(dac: u16, fi: u8, data: &Bits) -> Option<Application> {
    Some(match (dac, fi) {
        (1, 12) => Application::DangerousCargo236(read(data)?),
        (1, 14) => Application::TidalWindow236(read_array(data)?),
        (1, 16) => Application::PersonsOnBoard(read(data)?),
        (1, 18) => Application::ClearanceTime(read(data)?),
        (1, 25) => Application::DangerousCargo289(read_array(data)?),
        (1, 28) => Application::RouteInformation(imo::read_route(data)?),
        (1, 30) => Application::TextDescription(read(data)?),
        (1, 32) => Application::TidalWindow289(read_array(data)?),
        (200, 55) => Application::InlandPersonsOnBoard(read(data)?),
        (235 | 250, 10) => Application::AtonMonitoring(read(data)?),
        _ => return None,
    })
}

/// Decodes the payload of a type 8 message, if its DAC/FI is known and the
/// payload is complete.
pub fn decode_broadcast(dac: u16, fi: u8, data: &Bits) -> Option<Application> {
    Some(match (dac, fi) {
        (1, 11) => Application::MetHydro236(read(data)?),
        (1, 17) => Application::VtsTargets(read_array(data)?),
        (1, 27) => Application::RouteInformation(imo::read_route(data)?),
        (1, 29) => Application::TextDescription(read(data)?),
        (1, 31) => Application::MetHydro289(read(data)?),
        (200, 10) => {
            let inland: InlandStaticVoyage = read(data)?;
            // Hazard codes above 5 are undefined: such a payload is not this
            // message (gpsd makes the same check).
            if inland.hazard > 5 {
                return None;
            }
            Application::InlandStaticVoyage(inland)
        }
        (200, 24) => Application::InlandWaterLevels(read(data)?),
        (200, 40) => Application::InlandSignal(read(data)?),
        _ => return None,
    })
}

/// Encodes an application payload to the data bits of its message.
pub fn encode(app: &Application) -> Result<Bits, crate::message::FieldOverflow> {
    let mut w = Writer::new();
    let mut app = *app;
    match &mut app {
        Application::DangerousCargo236(x) => x.layout(&mut w),
        Application::TidalWindow236(x) => x.layout(&mut w),
        Application::PersonsOnBoard(x) => x.layout(&mut w),
        Application::ClearanceTime(x) => x.layout(&mut w),
        Application::TextDescription(x) => x.layout(&mut w),
        Application::TidalWindow289(x) => x.layout(&mut w),
        Application::InlandPersonsOnBoard(x) => x.layout(&mut w),
        Application::AtonMonitoring(x) => x.layout(&mut w),
        Application::MetHydro236(x) => x.layout(&mut w),
        Application::MetHydro289(x) => x.layout(&mut w),
        Application::InlandStaticVoyage(x) => x.layout(&mut w),
        Application::DangerousCargo289(x) => x.layout(&mut w),
        Application::RouteInformation(x) => x.layout(&mut w),
        Application::VtsTargets(x) => x.layout(&mut w),
        Application::InlandWaterLevels(x) => x.layout(&mut w),
        Application::InlandSignal(x) => x.layout(&mut w),
    }
    match w.overflow {
        Some(overflow) => Err(overflow),
        None => Ok(w.bits),
    }
}

/// A fixed-layout payload: its layout and the bits it needs.
pub(crate) trait Payload: Default {
    /// The bit just past the last field (spare bits at the end excluded).
    const MIN_BITS: usize;
    /// Fixed-length messages (the regional ones) must be exactly this long;
    /// another length means the payload is something else under the same
    /// DAC/FI.
    const EXACT_BITS: Option<usize> = None;
    fn layout<L: Layout>(&mut self, l: &mut L);
}

pub(crate) fn read<P: Payload>(data: &Bits) -> Option<P> {
    if data.len() < P::MIN_BITS || P::EXACT_BITS.is_some_and(|exact| data.len() != exact) {
        return None;
    }
    let mut payload = P::default();
    payload.layout(&mut Reader::new(data));
    Some(payload)
}

/// A payload of a header and an array of whole elements.
pub(crate) trait ArrayPayload: Payload {
    const HEADER_BITS: usize;
    const ELEMENT_BITS: usize;
    const MAX_ELEMENTS: usize;
}

fn read_array<P: ArrayPayload>(data: &Bits) -> Option<P> {
    let elements = data.len().saturating_sub(P::HEADER_BITS) / P::ELEMENT_BITS;
    if elements == 0 || elements > P::MAX_ELEMENTS {
        return None;
    }
    read(data)
}
