//! Regional applications: Inland AIS (DAC 200) and the GLA AtoN monitoring
//! message of the UK and Ireland (DAC 235/250).

use super::Payload;
use crate::message::layout::Layout;
use crate::text::AisString;

/// DAC 200 FI 10 (type 8): inland ship static and voyage-related data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InlandStaticVoyage {
    /// European Vessel Identification Number (ENI).
    pub eni: AisString<8>,
    /// Length in 0.1 m; 0 n/a.
    pub length_m_e1: u16,
    /// Beam in 0.1 m; 0 n/a.
    pub beam_m_e1: u16,
    /// ERI ship or combination type (8000–8999).
    pub eri_ship_type: u16,
    /// Blue cones/lights 0–3, 4 B-flag, 5 unknown.
    pub hazard: u8,
    /// Draught in 0.01 m; 0 n/a.
    pub draught_m_e2: u16,
    /// 0 n/a, 1 unloaded, 2 loaded.
    pub loaded: u8,
    pub speed_quality_high: bool,
    pub course_quality_high: bool,
    pub heading_quality_high: bool,
}

impl Payload for InlandStaticVoyage {
    const MIN_BITS: usize = 104;
    const EXACT_BITS: Option<usize> = Some(112);
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.text(&mut self.eni, 0, 8);
        l.field(&mut self.length_m_e1, 48, 13);
        l.field(&mut self.beam_m_e1, 61, 10);
        l.field(&mut self.eri_ship_type, 71, 14);
        l.field(&mut self.hazard, 85, 3);
        l.field(&mut self.draught_m_e2, 88, 11);
        l.field(&mut self.loaded, 99, 2);
        l.field(&mut self.speed_quality_high, 101, 1);
        l.field(&mut self.course_quality_high, 102, 1);
        l.field(&mut self.heading_quality_high, 103, 1);
        l.spare(104, 8);
    }
}

/// DAC 200 FI 55 (type 6): number of persons on board an inland vessel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InlandPersonsOnBoard {
    /// 255 n/a.
    pub crew: u8,
    /// 8191 n/a.
    pub passengers: u16,
    /// Shipboard personnel; 255 n/a.
    pub personnel: u8,
}

impl Payload for InlandPersonsOnBoard {
    const MIN_BITS: usize = 29;
    const EXACT_BITS: Option<usize> = Some(80);
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.crew, 0, 8);
        l.field(&mut self.passengers, 8, 13);
        l.field(&mut self.personnel, 21, 8);
        l.spare(29, 51);
    }
}

/// DAC 235/250 FI 10 (type 6): AtoN monitoring data (GLA).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AtonMonitoring {
    /// Internal analogue voltage in 0.05 V.
    pub analogue_internal_v_x20: u16,
    /// External analogue #1 in 0.05 V.
    pub analogue_ext1_v_x20: u16,
    /// External analogue #2 in 0.05 V.
    pub analogue_ext2_v_x20: u16,
    /// 0 none, 1 not monitored, 2 operational, 3 error.
    pub racon: u8,
    /// 0 none, 1 on, 2 off, 3 error.
    pub light: u8,
    /// Health alarm.
    pub alarm: bool,
    /// Eight digital inputs.
    pub status_external: u8,
    pub off_position: bool,
}

impl Payload for AtonMonitoring {
    const MIN_BITS: usize = 44;
    const EXACT_BITS: Option<usize> = Some(48);
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.analogue_internal_v_x20, 0, 10);
        l.field(&mut self.analogue_ext1_v_x20, 10, 10);
        l.field(&mut self.analogue_ext2_v_x20, 20, 10);
        l.field(&mut self.racon, 30, 2);
        l.field(&mut self.light, 32, 2);
        l.field(&mut self.alarm, 34, 1);
        l.field(&mut self.status_external, 35, 8);
        l.field(&mut self.off_position, 43, 1);
        l.spare(44, 4);
    }
}

/// One gauge of an Inland water-level report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gauge {
    /// 0 unknown.
    pub id: u16,
    /// Water level in cm; 0 unknown.
    pub level_cm: i16,
}

/// DAC 200 FI 24 (type 8): water levels at up to four gauges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InlandWaterLevels {
    /// UN country code, two characters.
    pub country: AisString<2>,
    pub gauges: [Gauge; 4],
}

impl Payload for InlandWaterLevels {
    const MIN_BITS: usize = 112;
    const EXACT_BITS: Option<usize> = Some(112);
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.text(&mut self.country, 0, 2);
        for (i, g) in self.gauges.iter_mut().enumerate() {
            l.field(&mut g.id, 12 + 25 * i, 11);
            l.field(&mut g.level_cm, 23 + 25 * i, 14);
        }
    }
}

/// DAC 200 FI 40 (type 8): status of a signal (lock, bridge, fairway light).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InlandSignal {
    /// Position in 1/10 000 minute.
    pub lon_min_e4: i32,
    pub lat_min_e4: i32,
    /// Signal form (Inland AIS annex C).
    pub form: u8,
    /// Orientation in degrees; 511 n/a.
    pub facing_deg: u16,
    /// 0 unknown, 1 upstream, 2 downstream, 3 to left bank, 4 to right bank.
    pub direction: u8,
    /// Light status, three bits per light.
    pub status: u32,
}

impl Payload for InlandSignal {
    const MIN_BITS: usize = 101;
    const EXACT_BITS: Option<usize> = Some(112);
    fn layout<L: Layout>(&mut self, l: &mut L) {
        l.field(&mut self.lon_min_e4, 0, 28);
        l.field(&mut self.lat_min_e4, 28, 27);
        l.field(&mut self.form, 55, 4);
        l.field(&mut self.facing_deg, 59, 9);
        l.field(&mut self.direction, 68, 3);
        l.field(&mut self.status, 71, 30);
        l.spare(101, 11);
    }
}
