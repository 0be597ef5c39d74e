//! International applications (DAC 1): IMO SN.1/Circ.236 and SN.1/Circ.289.

use super::{ArrayPayload, Payload};
use crate::message::layout::Layout;
use crate::message::trailing_text;
use crate::text::AisString;

/// A month/day/hour/minute quadruple as these messages send times
/// (month 0, day 0, hour 24, minute 60 mean not available).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayTime {
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

impl DayTime {
    fn layout<L: Layout>(&mut self, l: &mut L, start: usize) {
        l.field(&mut self.month, start, 4);
        l.field(&mut self.day, start + 4, 5);
        l.field(&mut self.hour, start + 9, 5);
        l.field(&mut self.minute, start + 14, 6);
    }
}

/// DAC 1 FI 12 (type 6): dangerous cargo indication, IMO236.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DangerousCargo236 {
    /// UN/LOCODE of the last port of call.
    pub last_port: AisString<5>,
    pub departure: DayTime,
    /// UN/LOCODE of the next port of call.
    pub next_port: AisString<5>,
    pub eta: DayTime,
    /// Main dangerous good.
    pub dangerous_good: AisString<20>,
    /// IMDG class or division.
    pub imd_category: AisString<4>,
    /// UN number 1–3363.
    pub un_number: u16,
    pub amount: u16,
    /// 0 n/a, 1 kg, 2 tonnes, 3 kilotonnes.
    pub unit: u8,
}

impl Payload for DangerousCargo236 {
    const MIN_BITS: usize = 269;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.text(&mut self.last_port, 0, 5);
        self.departure.layout(l, 30);
        l.text(&mut self.next_port, 50, 5);
        self.eta.layout(l, 80);
        l.text(&mut self.dangerous_good, 100, 20);
        l.text(&mut self.imd_category, 220, 4);
        l.field(&mut self.un_number, 244, 13);
        l.field(&mut self.amount, 257, 10);
        l.field(&mut self.unit, 267, 2);
        l.spare(269, 3);
    }
}

/// One prediction of a tidal window, IMO236 layout (positions in
/// 1/10 000 minute, latitude first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TidalEntry236 {
    pub lat_min_e4: i32,
    pub lon_min_e4: i32,
    pub from_hour: u8,
    pub from_minute: u8,
    pub to_hour: u8,
    pub to_minute: u8,
    /// Predicted current direction in degrees; 360 n/a.
    pub current_dir_deg: u16,
    /// Predicted current speed in 0.1 knot; 127 n/a.
    pub current_speed_knots_e1: u8,
}

/// DAC 1 FI 14 (type 6): tidal window, IMO236.
pub type TidalWindow236 = TidalWindow<TidalEntry236>;

impl TidalEntry for TidalEntry236 {
    const BITS: usize = 93;
    fn layout<L: Layout>(&mut self, l: &mut L, at: usize) {
        l.field(&mut self.lat_min_e4, at, 27);
        l.field(&mut self.lon_min_e4, at + 27, 28);
        l.field(&mut self.from_hour, at + 55, 5);
        l.field(&mut self.from_minute, at + 60, 6);
        l.field(&mut self.to_hour, at + 66, 5);
        l.field(&mut self.to_minute, at + 71, 6);
        l.field(&mut self.current_dir_deg, at + 77, 9);
        l.field(&mut self.current_speed_knots_e1, at + 86, 7);
    }
    fn raw_fields(&self) -> TidalFields {
        TidalFields {
            lon: self.lon_min_e4,
            lat: self.lat_min_e4,
            times: [self.from_hour, self.from_minute, self.to_hour, self.to_minute],
            current_dir_deg: self.current_dir_deg,
            current_speed_knots_e1: self.current_speed_knots_e1,
        }
    }
}

/// A tidal window: month, day and one to three predictions. The two IMO
/// circulars lay the predictions out differently ([`TidalEntry236`],
/// [`TidalEntry289`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TidalWindow<E> {
    pub month: u8,
    pub day: u8,
    entries: [E; 3],
    count: u8,
}

impl<E: Copy + Default> TidalWindow<E> {
    /// The predictions (1–3).
    pub fn entries(&self) -> &[E] {
        &self.entries[..usize::from(self.count)]
    }

    /// A tidal window from 1–3 predictions; `None` for other counts.
    pub fn new(month: u8, day: u8, entries: &[E]) -> Option<TidalWindow<E>> {
        let mut window = TidalWindow { month, day, entries: [E::default(); 3], count: 0 };
        window.entries.get_mut(..entries.len())?.copy_from_slice(entries);
        window.count = entries.len() as u8;
        (window.count > 0).then_some(window)
    }
}

/// The layout of one prediction, and its fields as gpsd prints them.
pub(crate) trait TidalEntry: Copy + Default {
    const BITS: usize;
    fn layout<L: Layout>(&mut self, l: &mut L, at: usize);
    fn raw_fields(&self) -> TidalFields;
}

/// One prediction's raw fields, whichever layout it came in.
pub(crate) struct TidalFields {
    pub lon: i32,
    pub lat: i32,
    /// From hour, from minute, to hour, to minute.
    pub times: [u8; 4],
    pub current_dir_deg: u16,
    pub current_speed_knots_e1: u8,
}

impl<E: TidalEntry> ArrayPayload for TidalWindow<E> {
    const HEADER_BITS: usize = 9;
    const ELEMENT_BITS: usize = E::BITS;
    const MAX_ELEMENTS: usize = 3;
}

impl<E: TidalEntry> Payload for TidalWindow<E> {
    const MIN_BITS: usize = 9 + E::BITS;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.month, 0, 4);
        l.field(&mut self.day, 4, 5);
        if L::DECODING {
            self.count = ((l.bit_len() - Self::HEADER_BITS) / E::BITS).min(3) as u8;
        }
        for (i, e) in self.entries.iter_mut().enumerate().take(usize::from(self.count)) {
            e.layout(l, 9 + E::BITS * i);
        }
        if !L::DECODING {
            let end = 9 + E::BITS * usize::from(self.count);
            l.spare(end, end.next_multiple_of(8) - end);
        }
    }
}

/// DAC 1 FI 16 (type 6): number of persons on board, IMO289.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PersonsOnBoard {
    /// 0 n/a; 8191 means 8191 or more.
    pub persons: u16,
}

impl Payload for PersonsOnBoard {
    const MIN_BITS: usize = 13;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.persons, 0, 13);
        l.spare(13, 35);
    }
}

/// DAC 1 FI 18 (type 6): clearance time to enter port, IMO289.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClearanceTime {
    pub linkage: u16,
    pub clearance: DayTime,
    pub port_name: AisString<20>,
    /// UN/LOCODE of the destination.
    pub destination: AisString<5>,
    /// Position in 1/1000 minute.
    pub lon_min_e3: i32,
    pub lat_min_e3: i32,
}

impl Payload for ClearanceTime {
    const MIN_BITS: usize = 229;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.linkage, 0, 10);
        self.clearance.layout(l, 10);
        l.text(&mut self.port_name, 30, 20);
        l.text(&mut self.destination, 150, 5);
        l.field(&mut self.lon_min_e3, 180, 25);
        l.field(&mut self.lat_min_e3, 205, 24);
        l.spare(229, 43);
    }
}

/// DAC 1 FI 30 (type 6) and FI 29 (type 8): free text, IMO289.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextDescription {
    pub linkage: u16,
    pub text: AisString<161>,
}

impl Payload for TextDescription {
    const MIN_BITS: usize = 16;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.linkage, 0, 10);
        trailing_text(l, &mut self.text, 10);
    }
}

/// One prediction of a tidal window, IMO289 layout (positions in
/// 1/1000 minute, longitude first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TidalEntry289 {
    pub lon_min_e3: i32,
    pub lat_min_e3: i32,
    pub from_hour: u8,
    pub from_minute: u8,
    pub to_hour: u8,
    pub to_minute: u8,
    /// Predicted current direction in degrees; 360 n/a.
    pub current_dir_deg: u16,
    /// Predicted current speed in 0.1 knot; 251 n/a.
    pub current_speed_knots_e1: u8,
}

/// DAC 1 FI 32 (type 6): tidal window, IMO289.
pub type TidalWindow289 = TidalWindow<TidalEntry289>;

impl TidalEntry for TidalEntry289 {
    const BITS: usize = 88;
    fn layout<L: Layout>(&mut self, l: &mut L, at: usize) {
        l.field(&mut self.lon_min_e3, at, 25);
        l.field(&mut self.lat_min_e3, at + 25, 24);
        l.field(&mut self.from_hour, at + 49, 5);
        l.field(&mut self.from_minute, at + 54, 6);
        l.field(&mut self.to_hour, at + 60, 5);
        l.field(&mut self.to_minute, at + 65, 6);
        l.field(&mut self.current_dir_deg, at + 71, 9);
        l.field(&mut self.current_speed_knots_e1, at + 80, 8);
    }
    fn raw_fields(&self) -> TidalFields {
        TidalFields {
            lon: self.lon_min_e3,
            lat: self.lat_min_e3,
            times: [self.from_hour, self.from_minute, self.to_hour, self.to_minute],
            current_dir_deg: self.current_dir_deg,
            current_speed_knots_e1: self.current_speed_knots_e1,
        }
    }
}

/// When and how the wind blew, as both met/hydro reports lay it out (48
/// contiguous bits): UTC day, hour, minute (31/24/60 or 31/31/63 n/a by
/// circular), 10-minute mean and gust speeds in knots (127 n/a), their
/// directions in degrees (360 n/a).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wind {
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub speed_knots: u8,
    pub gust_knots: u8,
    pub dir_deg: u16,
    pub gust_dir_deg: u16,
}

impl Wind {
    fn layout<L: Layout>(&mut self, l: &mut L, at: usize) {
        l.field(&mut self.day, at, 5);
        l.field(&mut self.hour, at + 5, 5);
        l.field(&mut self.minute, at + 10, 6);
        l.field(&mut self.speed_knots, at + 16, 7);
        l.field(&mut self.gust_knots, at + 23, 7);
        l.field(&mut self.dir_deg, at + 30, 9);
        l.field(&mut self.gust_dir_deg, at + 39, 9);
    }
}

/// The sea-state fields IMO236 and IMO289 met/hydro reports share, raw.
/// Directions in degrees (360 n/a), speeds in 0.1 knot (255 n/a), depths and
/// heights in 0.1 m, periods in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeaState {
    pub current_speed_knots_e1: u8,
    pub current_dir_deg: u16,
    pub current2_speed_knots_e1: u8,
    pub current2_dir_deg: u16,
    pub current2_depth_m_e1: u8,
    pub current3_speed_knots_e1: u8,
    pub current3_dir_deg: u16,
    pub current3_depth_m_e1: u8,
    pub wave_height_m_e1: u8,
    pub wave_period_s: u8,
    pub wave_dir_deg: u16,
    pub swell_height_m_e1: u8,
    pub swell_period_s: u8,
    pub swell_dir_deg: u16,
    /// Beaufort scale 0–12; 13 n/a.
    pub beaufort: u8,
}

impl SeaState {
    fn layout<L: Layout>(&mut self, l: &mut L, at: usize) {
        l.field(&mut self.current_speed_knots_e1, at, 8);
        l.field(&mut self.current_dir_deg, at + 8, 9);
        l.field(&mut self.current2_speed_knots_e1, at + 17, 8);
        l.field(&mut self.current2_dir_deg, at + 25, 9);
        l.field(&mut self.current2_depth_m_e1, at + 34, 5);
        l.field(&mut self.current3_speed_knots_e1, at + 39, 8);
        l.field(&mut self.current3_dir_deg, at + 47, 9);
        l.field(&mut self.current3_depth_m_e1, at + 56, 5);
        l.field(&mut self.wave_height_m_e1, at + 61, 8);
        l.field(&mut self.wave_period_s, at + 69, 6);
        l.field(&mut self.wave_dir_deg, at + 75, 9);
        l.field(&mut self.swell_height_m_e1, at + 84, 8);
        l.field(&mut self.swell_period_s, at + 92, 6);
        l.field(&mut self.swell_dir_deg, at + 98, 9);
        l.field(&mut self.beaufort, at + 107, 4);
    }
}

/// DAC 1 FI 11 (type 8): meteorological and hydrographic data, IMO236
/// (superseded by FI 31 but still broadcast). All fields unsigned with
/// offsets, raw as sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MetHydro236 {
    /// Latitude in 1/1000 minute.
    pub lat_min_e3: i32,
    /// Longitude in 1/1000 minute.
    pub lon_min_e3: i32,
    pub wind: Wind,
    /// Air temperature: (°C + 60) × 10; 2047 n/a.
    pub air_temp_raw: u16,
    /// Relative humidity in %; 127 n/a.
    pub humidity_pct: u8,
    /// Dew point: (°C + 20) × 10; 1023 n/a.
    pub dew_point_raw: u16,
    /// Air pressure: hPa − 800; 511 n/a.
    pub pressure_raw: u16,
    pub pressure_tendency: u8,
    /// Visibility in 0.1 nautical mile; 255 n/a.
    pub visibility_nm_e1: u8,
    /// Water level: (m + 10) × 10; 511 n/a.
    pub water_level_raw: u16,
    pub water_level_trend: u8,
    pub sea: SeaState,
    /// Water temperature: (°C + 10) × 10; 1023 n/a.
    pub water_temp_raw: u16,
    pub precipitation: u8,
    /// Salinity in 0.1 ‰; 511 n/a.
    pub salinity_e1: u16,
    pub ice: u8,
}

impl Payload for MetHydro236 {
    const MIN_BITS: usize = 290;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.lat_min_e3, 0, 24);
        l.field(&mut self.lon_min_e3, 24, 25);
        self.wind.layout(l, 49);
        l.field(&mut self.air_temp_raw, 97, 11);
        l.field(&mut self.humidity_pct, 108, 7);
        l.field(&mut self.dew_point_raw, 115, 10);
        l.field(&mut self.pressure_raw, 125, 9);
        l.field(&mut self.pressure_tendency, 134, 2);
        l.field(&mut self.visibility_nm_e1, 136, 8);
        l.field(&mut self.water_level_raw, 144, 9);
        l.field(&mut self.water_level_trend, 153, 2);
        self.sea.layout(l, 155);
        l.field(&mut self.water_temp_raw, 266, 10);
        l.field(&mut self.precipitation, 276, 3);
        l.field(&mut self.salinity_e1, 279, 9);
        l.field(&mut self.ice, 288, 2);
        l.spare(290, 6);
    }
}

/// DAC 1 FI 31 (type 8): meteorological and hydrographic data, IMO289.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MetHydro289 {
    /// Longitude in 1/1000 minute; 181° n/a.
    pub lon_min_e3: i32,
    /// Latitude in 1/1000 minute; 91° n/a.
    pub lat_min_e3: i32,
    pub position_accuracy: bool,
    pub wind: Wind,
    /// Air temperature in 0.1 °C; −1024 n/a.
    pub air_temp_c_e1: i16,
    /// Relative humidity in %; 101 n/a.
    pub humidity_pct: u8,
    /// Dew point in 0.1 °C; 501 n/a.
    pub dew_point_c_e1: i16,
    /// Air pressure: hPa − 799; 511 n/a.
    pub pressure_raw: u16,
    pub pressure_tendency: u8,
    /// Visibility is greater than the value given.
    pub visibility_greater: bool,
    /// Visibility in 0.1 nautical mile; 127 n/a.
    pub visibility_nm_e1: u8,
    /// Water level: (m + 10) × 100; 4001 n/a.
    pub water_level_raw: u16,
    pub water_level_trend: u8,
    pub sea: SeaState,
    /// Water temperature in 0.1 °C; 501 n/a.
    pub water_temp_c_e1: i16,
    pub precipitation: u8,
    /// Salinity in 0.1 ‰; 510 n/a, 511 sensor unavailable.
    pub salinity_e1: u16,
    pub ice: u8,
}

impl Payload for MetHydro289 {
    const MIN_BITS: usize = 294;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.lon_min_e3, 0, 25);
        l.field(&mut self.lat_min_e3, 25, 24);
        l.field(&mut self.position_accuracy, 49, 1);
        self.wind.layout(l, 50);
        l.field(&mut self.air_temp_c_e1, 98, 11);
        l.field(&mut self.humidity_pct, 109, 7);
        l.field(&mut self.dew_point_c_e1, 116, 10);
        l.field(&mut self.pressure_raw, 126, 9);
        l.field(&mut self.pressure_tendency, 135, 2);
        l.field(&mut self.visibility_greater, 137, 1);
        l.field(&mut self.visibility_nm_e1, 138, 7);
        l.field(&mut self.water_level_raw, 145, 12);
        l.field(&mut self.water_level_trend, 157, 2);
        self.sea.layout(l, 159);
        l.field(&mut self.water_temp_c_e1, 270, 10);
        l.field(&mut self.precipitation, 280, 3);
        l.field(&mut self.salinity_e1, 283, 9);
        l.field(&mut self.ice, 292, 2);
        l.spare(294, 10);
    }
}

/// One cargo of an IMO289 dangerous cargo indication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cargo {
    /// 1 IMDG, 2 IGC, 3 IMSBC, 4 MARPOL Annex I, 5 MARPOL Annex II (IBC), 6 regional.
    pub code: u8,
    /// Class, UN number or category, by `code`.
    pub subtype: u16,
}

/// DAC 1 FI 25 (type 6): dangerous cargo indication, IMO289 — what a ship
/// declares it carries (IMDG class and UN number for munitions).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DangerousCargo289 {
    /// 0 n/a, 1 kg, 2 tonnes, 3 kilotonnes.
    pub unit: u8,
    pub amount: u16,
    cargos: [Cargo; 28],
    count: u8,
}

impl DangerousCargo289 {
    /// The declared cargos (1–28).
    pub fn cargos(&self) -> &[Cargo] {
        &self.cargos[..usize::from(self.count)]
    }

    /// A declaration of 1–28 cargos; `None` for other counts.
    pub fn new(unit: u8, amount: u16, cargos: &[Cargo]) -> Option<DangerousCargo289> {
        let mut out = DangerousCargo289 { unit, amount, ..Default::default() };
        out.cargos.get_mut(..cargos.len())?.copy_from_slice(cargos);
        out.count = cargos.len() as u8;
        (out.count > 0).then_some(out)
    }
}

impl ArrayPayload for DangerousCargo289 {
    const HEADER_BITS: usize = 12;
    const ELEMENT_BITS: usize = 17;
    const MAX_ELEMENTS: usize = 28;
}

impl Payload for DangerousCargo289 {
    const MIN_BITS: usize = 12 + 17;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.unit, 0, 2);
        l.field(&mut self.amount, 2, 10);
        if L::DECODING {
            self.count = ((l.bit_len() - Self::HEADER_BITS) / Self::ELEMENT_BITS).min(Self::MAX_ELEMENTS) as u8;
        }
        for (i, cargo) in self.cargos.iter_mut().enumerate().take(usize::from(self.count)) {
            l.field(&mut cargo.code, 12 + 17 * i, 4);
            l.field(&mut cargo.subtype, 16 + 17 * i, 13);
        }
        if !L::DECODING {
            let end = 12 + 17 * usize::from(self.count);
            l.spare(end, end.next_multiple_of(8) - end);
        }
    }
}

/// A waypoint of a route, in 1/10 000 minute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Waypoint {
    pub lon_min_e4: i32,
    pub lat_min_e4: i32,
}

/// DAC 1 FI 28 (type 6) and FI 27 (type 8): route information, IMO289.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteInformation {
    pub linkage: u16,
    /// 0 ship, 1 authority, 2–7 reserved.
    pub sender: u8,
    /// 0 undefined, 1 mandatory, 2 recommended, 3 alternative, 4 through
    /// ice, 5 ship route plan, 31 cancel the route of this linkage.
    pub route_type: u8,
    pub start: DayTime,
    /// Minutes from the start; 0 cancels.
    pub duration_min: u32,
    waypoints: [Waypoint; 16],
    count: u8,
}

impl RouteInformation {
    /// The waypoints (1–16).
    pub fn waypoints(&self) -> &[Waypoint] {
        &self.waypoints[..usize::from(self.count)]
    }

    /// Sets the waypoints (at most 16); false, changing nothing, for more.
    pub fn set_waypoints(&mut self, waypoints: &[Waypoint]) -> bool {
        let Some(slots) = self.waypoints.get_mut(..waypoints.len()) else { return false };
        slots.copy_from_slice(waypoints);
        self.count = waypoints.len() as u8;
        true
    }

    /// The waypoint count the payload declares must fit in it, whole.
    fn fits(data_bits: usize, declared: usize) -> bool {
        (1..=16).contains(&declared) && 61 + 55 * declared <= data_bits
    }
}

impl Payload for RouteInformation {
    const MIN_BITS: usize = 61 + 55;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.linkage, 0, 10);
        l.field(&mut self.sender, 10, 3);
        l.field(&mut self.route_type, 13, 5);
        self.start.layout(l, 18);
        l.field(&mut self.duration_min, 38, 18);
        l.field(&mut self.count, 56, 5);
        for (i, w) in self.waypoints.iter_mut().enumerate().take(usize::from(self.count).min(16)) {
            l.field(&mut w.lon_min_e4, 61 + 55 * i, 28);
            l.field(&mut w.lat_min_e4, 89 + 55 * i, 27);
        }
        if !L::DECODING {
            let end = 61 + 55 * usize::from(self.count);
            l.spare(end, end.next_multiple_of(8) - end);
        }
    }
}

/// Decodes route information only when the declared waypoints are all there.
pub(crate) fn read_route(data: &crate::bits::Bits) -> Option<RouteInformation> {
    let declared = data.unsigned(56, 5) as usize;
    if !RouteInformation::fits(data.len(), declared) {
        return None;
    }
    super::read(data)
}

/// How a VTS target is identified. Numbers are the 42-bit identifier
/// field as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetId {
    Mmsi(u64),
    Imo(u64),
    Callsign(AisString<7>),
    Other(AisString<7>),
}

impl Default for TargetId {
    fn default() -> Self {
        TargetId::Other(AisString::default())
    }
}

/// One target a VTS station tracks (by radar) and broadcasts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VtsTarget {
    pub id: TargetId,
    /// Latitude in 1/1000 minute; 91° n/a.
    pub lat_min_e3: i32,
    /// Longitude in 1/1000 minute; 181° n/a.
    pub lon_min_e3: i32,
    /// Course over ground in degrees; 360 n/a.
    pub cog_deg: u16,
    pub utc_second: u8,
    /// Speed over ground in knots; 255 n/a.
    pub sog_knots: u16,
}

/// DAC 1 FI 17 (type 8): VTS-generated (synthetic) targets — vessels a
/// shore radar sees, whether or not they transmit AIS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VtsTargets {
    targets: [VtsTarget; 4],
    count: u8,
}

impl VtsTargets {
    /// The targets (1–4).
    pub fn targets(&self) -> &[VtsTarget] {
        &self.targets[..usize::from(self.count)]
    }

    /// 1–4 targets; `None` for other counts.
    pub fn new(targets: &[VtsTarget]) -> Option<VtsTargets> {
        let mut out = VtsTargets::default();
        out.targets.get_mut(..targets.len())?.copy_from_slice(targets);
        out.count = targets.len() as u8;
        (out.count > 0).then_some(out)
    }
}

impl ArrayPayload for VtsTargets {
    const HEADER_BITS: usize = 0;
    const ELEMENT_BITS: usize = 122;
    const MAX_ELEMENTS: usize = 4;
}

impl Payload for VtsTargets {
    const MIN_BITS: usize = 122;
    fn layout<L: Layout>(&mut self, l: &mut L) {
        if L::DECODING {
            self.count = (l.bit_len() / Self::ELEMENT_BITS).min(Self::MAX_ELEMENTS) as u8;
        }
        for (i, t) in self.targets.iter_mut().enumerate().take(usize::from(self.count)) {
            let at = 122 * i;
            let mut kind: u8 = match t.id {
                TargetId::Mmsi(_) => 0,
                TargetId::Imo(_) => 1,
                TargetId::Callsign(_) => 2,
                TargetId::Other(_) => 3,
            };
            l.field(&mut kind, at, 2);
            if L::DECODING {
                t.id = match kind {
                    0 => TargetId::Mmsi(0),
                    1 => TargetId::Imo(0),
                    2 => TargetId::Callsign(AisString::default()),
                    _ => TargetId::Other(AisString::default()),
                };
            }
            match &mut t.id {
                TargetId::Mmsi(n) | TargetId::Imo(n) => l.field(n, at + 2, 42),
                TargetId::Callsign(text) | TargetId::Other(text) => l.text(text, at + 2, 7),
            }
            l.spare(at + 44, 4);
            l.field(&mut t.lat_min_e3, at + 48, 24);
            l.field(&mut t.lon_min_e3, at + 72, 25);
            l.field(&mut t.cog_deg, at + 97, 9);
            l.field(&mut t.utc_second, at + 106, 6);
            l.field(&mut t.sog_knots, at + 112, 10);
        }
        if !L::DECODING {
            let end = 122 * usize::from(self.count);
            l.spare(end, end.next_multiple_of(8) - end);
        }
    }
}
