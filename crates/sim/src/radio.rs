//! What a vessel's AIS transponder sends and when: report intervals after
//! ITU-R M.1371, and the messages built from the vessel's state.

use tumen_ais::AisString;
use tumen_ais::Message;
use tumen_ais::message::{
    ClassBPositionReport, PositionReport, StaticAndVoyageData, StaticDataPartA, StaticDataPartB, StaticDataReport,
    Type24Dimensions,
};
use tumen_model::{Mmsi, Timestamp};

use crate::plan::{Kinematics, nav_status};
use crate::scenario::format::AisClass;
use crate::world::Identity;

/// Static and voyage data (type 5, or type 24 A and B) every six minutes.
pub const STATIC_INTERVAL_MS: i64 = 360_000;

/// Time to the next position report (ITU-R M.1371-5 Annex 1, Table 1):
/// class A at anchor or moored and slower than 3 kn every 3 min, otherwise
/// every 10 s up to 14 kn, 6 s up to 23 kn, 2 s above; class B "CS" every
/// 30 s above 2 kn, else every 3 min.
pub fn position_interval_ms(class: AisClass, sog_knots: f64, nav_status: u8) -> i64 {
    match class {
        AisClass::A => {
            let resting = matches!(nav_status, nav_status::AT_ANCHOR | nav_status::MOORED);
            if resting && sog_knots < 3.0 {
                180_000
            } else if sog_knots <= 14.0 {
                10_000
            } else if sog_knots <= 23.0 {
                6_000
            } else {
                2_000
            }
        }
        AisClass::B => {
            if sog_knots > 2.0 {
                30_000
            } else {
                180_000
            }
        }
    }
}

/// A position report's values exactly as transmitted (AIS units), so the
/// CSV exports and the truth show what a decoder reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fix {
    pub time: Timestamp,
    pub mmsi: u32,
    pub lat_min_e4: i32,
    pub lon_min_e4: i32,
    pub sog_knots_e1: u16,
    /// 3600 = not available.
    pub cog_deg_e1: u16,
    /// 511 = not available.
    pub heading_deg: u16,
    pub nav_status: u8,
    /// −128 = not available.
    pub rot_raw: i8,
}

impl Fix {
    /// Quantises a (reported) state.
    pub fn new(time: Timestamp, mmsi: u32, state: &Kinematics) -> Fix {
        let resting = matches!(state.nav_status, nav_status::AT_ANCHOR | nav_status::MOORED);
        Fix {
            time,
            mmsi,
            lat_min_e4: (state.position.lat_deg * 600_000.0).round() as i32,
            lon_min_e4: (state.position.lon_deg * 600_000.0).round() as i32,
            sog_knots_e1: ((state.sog_knots.max(0.0) * 10.0).round() as u16).min(1022),
            cog_deg_e1: ((crate::plan::wrap_deg(state.cog_deg) * 10.0).round() as u16) % 3600,
            heading_deg: (crate::plan::wrap_deg(state.heading_deg).round() as u16) % 360,
            nav_status: state.nav_status,
            rot_raw: if resting { -128 } else { 0 },
        }
    }

    pub fn lat_deg(&self) -> f64 {
        f64::from(self.lat_min_e4) / 600_000.0
    }

    pub fn lon_deg(&self) -> f64 {
        f64::from(self.lon_min_e4) / 600_000.0
    }

    /// The class A (type 1) or class B (type 18) report of this fix.
    pub fn message(&self, class: AisClass) -> Message {
        let utc_second = (self.time.unix_seconds().rem_euclid(60)) as u8;
        match class {
            AisClass::A => Message::Position(PositionReport {
                msg_type: 1,
                repeat: 0,
                mmsi: Mmsi(self.mmsi),
                nav_status: self.nav_status,
                rot_raw: self.rot_raw,
                sog_knots_e1: self.sog_knots_e1,
                position_accuracy: false,
                lon_min_e4: self.lon_min_e4,
                lat_min_e4: self.lat_min_e4,
                cog_deg_e1: self.cog_deg_e1,
                heading_deg: self.heading_deg,
                utc_second,
                maneuver: 0,
                raim: false,
                // SOTDMA: sync to UTC, slot timeout 3, a slot number.
                radio_status: (3 << 14) | (u32::from(utc_second) * 37),
            }),
            AisClass::B => Message::ClassBPosition(ClassBPositionReport {
                repeat: 0,
                mmsi: Mmsi(self.mmsi),
                reserved: 0,
                sog_knots_e1: self.sog_knots_e1,
                position_accuracy: false,
                lon_min_e4: self.lon_min_e4,
                lat_min_e4: self.lat_min_e4,
                cog_deg_e1: self.cog_deg_e1,
                heading_deg: self.heading_deg,
                utc_second,
                regional: 0,
                cs_unit: true,
                display: false,
                dsc: true,
                band: true,
                msg22: true,
                assigned: false,
                raim: false,
                // Carrier-sense units send the fixed ITDMA filler.
                radio_status: 0b1100000000000000110,
            }),
        }
    }
}

/// The voyage fields of static data.
#[derive(Clone, Debug, PartialEq)]
pub struct Voyage<'a> {
    pub draught_m: f64,
    pub destination: &'a str,
    /// Estimated arrival, when the vessel is sailing to a known end.
    pub eta: Option<Timestamp>,
}

/// Hull dimensions as AIS reference-point distances `(to bow, to stern,
/// to port, to starboard)`: the antenna a fifth of the length from the
/// stern, where most cargo ships have their bridge, and centred across the
/// beam.
pub fn dimensions(length_m: f64, beam_m: f64) -> (u16, u16, u8, u8) {
    let to_stern = (length_m * 0.2).round().clamp(0.0, 511.0) as u16;
    let to_bow = (length_m.round() as u16).saturating_sub(to_stern).min(511);
    let half_beam = (beam_m / 2.0).round().clamp(0.0, 63.0) as u8;
    (to_bow, to_stern, half_beam, half_beam)
}

/// Type 5 for class A; type 24 parts A and B for class B.
pub fn static_messages(
    class: AisClass,
    identity: &Identity,
    length_m: f64,
    beam_m: f64,
    voyage: &Voyage<'_>,
) -> (Message, Option<Message>) {
    let (to_bow_m, to_stern_m, to_port_m, to_starboard_m) = dimensions(length_m, beam_m);
    let mmsi = Mmsi(identity.mmsi);
    let callsign = AisString::new_lossy(&identity.call_sign);
    let shipname = AisString::new_lossy(&identity.name);
    match class {
        AisClass::A => {
            let eta = voyage.eta.and_then(|t| t.utc_fields());
            let message = Message::StaticAndVoyage(StaticAndVoyageData {
                repeat: 0,
                mmsi,
                ais_version: 2,
                imo: identity.imo.unwrap_or(0),
                callsign,
                shipname,
                ship_type: identity.ship_type,
                to_bow_m,
                to_stern_m,
                to_port_m,
                to_starboard_m,
                epfd: 1,
                eta_month: eta.map_or(0, |f| f.month as u8),
                eta_day: eta.map_or(0, |f| f.day as u8),
                eta_hour: eta.map_or(24, |f| f.hour as u8),
                eta_minute: eta.map_or(60, |f| f.minute as u8),
                draught_m_e1: (voyage.draught_m * 10.0).round().clamp(0.0, 255.0) as u8,
                destination: AisString::new_lossy(voyage.destination),
                dte: false,
            });
            (message, None)
        }
        AisClass::B => {
            let part_a = Message::StaticData(StaticDataReport::PartA(StaticDataPartA { repeat: 0, mmsi, shipname }));
            let part_b = Message::StaticData(StaticDataReport::PartB(StaticDataPartB {
                repeat: 0,
                mmsi,
                ship_type: identity.ship_type,
                vendor_id: AisString::new_lossy("TMN"),
                unit_model: 1,
                serial_number: identity.mmsi % 1_000_000,
                callsign,
                dimensions: Type24Dimensions::Ship { to_bow_m, to_stern_m, to_port_m, to_starboard_m },
            }));
            (part_a, Some(part_b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_model::LatLon;

    #[test]
    fn intervals_follow_itu_r_m1371() {
        assert_eq!(position_interval_ms(AisClass::A, 0.0, nav_status::MOORED), 180_000);
        assert_eq!(position_interval_ms(AisClass::A, 0.1, nav_status::AT_ANCHOR), 180_000);
        assert_eq!(position_interval_ms(AisClass::A, 0.0, nav_status::UNDER_WAY_USING_ENGINE), 10_000);
        assert_eq!(position_interval_ms(AisClass::A, 12.0, 0), 10_000);
        assert_eq!(position_interval_ms(AisClass::A, 18.0, 0), 6_000);
        assert_eq!(position_interval_ms(AisClass::A, 25.0, 0), 2_000);
        assert_eq!(position_interval_ms(AisClass::B, 8.0, 0), 30_000);
        assert_eq!(position_interval_ms(AisClass::B, 1.0, 0), 180_000);
    }

    #[test]
    fn fixes_quantise_to_ais_units() {
        let k = Kinematics {
            position: LatLon { lat_deg: 42.2333, lon_deg: 130.3 },
            sog_knots: 10.46,
            cog_deg: 359.97,
            heading_deg: 359.6,
            nav_status: 0,
        };
        let fix = Fix::new(Timestamp::from_unix_ms(0), 273_000_001, &k);
        assert_eq!(fix.lat_min_e4, 25_339_980);
        assert_eq!(fix.sog_knots_e1, 105);
        assert_eq!(fix.cog_deg_e1, 0, "359.97° rounds to 360.0, which is 0");
        assert_eq!(fix.heading_deg, 0);
        let Message::Position(report) = fix.message(AisClass::A) else { panic!("class A sends type 1") };
        assert_eq!(report.lat_deg(), Some(fix.lat_deg()));
    }

    #[test]
    fn dimensions_add_up_to_the_hull() {
        let (bow, stern, port, starboard) = dimensions(120.0, 17.0);
        assert_eq!(bow + stern, 120);
        assert_eq!((port, starboard), (9, 9));
    }
}
