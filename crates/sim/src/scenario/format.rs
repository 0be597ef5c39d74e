//! The scenario file as written: one struct per TOML table, every key
//! documented (`docs/scenarios.md` is the user's version of this file).
//! Unknown keys are errors. Cross-references (place, route, vessel ids) are
//! checked later, in `compile`, with the line of the table that holds them.

use serde::Deserialize;
use toml::Spanned;
use tumen_model::PlaceKind;

use super::values::{NonNegative, Point, Positive, Probability, Range, Target, Time};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub scenario: Header,
    #[serde(default)]
    pub output: Outputs,
    #[serde(default, rename = "place")]
    pub places: Vec<Spanned<PlaceSpec>>,
    #[serde(default, rename = "route")]
    pub routes: Vec<Spanned<RouteSpec>>,
    #[serde(default, rename = "receiver")]
    pub receivers: Vec<Spanned<ReceiverSpec>>,
    #[serde(default, rename = "vessel")]
    pub vessels: Vec<Spanned<VesselSpec>>,
    #[serde(default, rename = "encounter")]
    pub encounters: Vec<Spanned<EncounterSpec>>,
    #[serde(default, rename = "behaviour")]
    pub behaviours: Vec<Spanned<BehaviourSpec>>,
    #[serde(default, rename = "traffic")]
    pub traffic: Vec<Spanned<TrafficSpec>>,
    #[serde(default, rename = "imagery")]
    pub imagery: Vec<Spanned<ImagerySpec>>,
    #[serde(default, rename = "structure")]
    pub structures: Vec<Spanned<StructureSpec>>,
    #[serde(default, rename = "facility")]
    pub facilities: Vec<Spanned<FacilitySpec>>,
    #[serde(default, rename = "shipment")]
    pub shipments: Vec<Spanned<ShipmentSpec>>,
}

/// `[scenario]`: name, time span and default seed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Short name, used in file names and the truth file.
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// AIS is simulated from `start` to `end`.
    pub start: Time,
    pub end: Time,
    /// The seed used when `--seed` is not given.
    #[serde(default)]
    pub seed: u64,
}

/// `[output]`: which files to write.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    #[serde(default = "yes")]
    pub nmea: bool,
    /// Write `ais.nmea.gz` instead of `ais.nmea`.
    #[serde(default)]
    pub gzip: bool,
    #[serde(default = "yes")]
    pub noaa_csv: bool,
    #[serde(default = "yes")]
    pub dma_csv: bool,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs { nmea: true, gzip: false, noaa_csv: true, dma_csv: true }
    }
}

fn yes() -> bool {
    true
}

/// `[[place]]`: a port, anchorage, rail facility, border crossing, depot or
/// zone; a point with a radius or a polygon.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceSpec {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub kind: PlaceKind,
    /// ISO 3166 alpha-2 country code.
    #[serde(default)]
    pub country: Option<String>,
    /// Centre of a point place (or of a polygon, computed when absent).
    #[serde(default)]
    pub at: Option<Point>,
    /// Radius of a point place.
    #[serde(default)]
    pub radius_km: Option<Positive>,
    /// Outline `[[lat, lon], …]`, at least three corners.
    #[serde(default)]
    pub polygon: Option<Vec<Point>>,
    #[serde(default)]
    pub watched: bool,
}

/// `[[route]]`: waypoints ships follow between places; a vessel sailing
/// with `route = "id"` takes it in whichever direction starts nearer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    pub id: String,
    pub waypoints: Vec<Point>,
    /// The waypoints follow water the 1:10m map calls land (a canal, a
    /// river): sailed as drawn, not round the "land".
    #[serde(default)]
    pub waterway: bool,
}

/// `[[receiver]]`: an AIS receiving station or satellite constellation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverSpec {
    /// Written as the tag-block source `s:` (or USCG station).
    pub id: String,
    pub kind: ReceiverKind,
    /// Terrestrial: the antenna.
    #[serde(default)]
    pub at: Option<Point>,
    /// Terrestrial: reception range.
    #[serde(default)]
    pub range_nm: Option<Positive>,
    /// Probability that a transmission within coverage is received.
    #[serde(default = "default_reliability")]
    pub reliability: Probability,
    /// How lines are stamped with the receiver and time.
    #[serde(default)]
    pub format: LineFormat,
    /// Delay from reception to the line's place in the output, in seconds.
    #[serde(default)]
    pub delay_s: Option<Range>,
    /// Satellite: a pass over any point recurs every `revisit_minutes`
    /// and lasts `pass_minutes`.
    #[serde(default)]
    pub revisit_minutes: Option<Positive>,
    #[serde(default)]
    pub pass_minutes: Option<Positive>,
    /// Forward at most one position report per vessel every so many
    /// seconds, as aggregators that thin their feeds do (static reports
    /// always pass).
    #[serde(default)]
    pub min_interval_s: Option<NonNegative>,
    /// Share of lines written with a wrong checksum.
    #[serde(default)]
    pub corrupt_rate: Probability,
    /// Share of multi-sentence messages that lose one fragment.
    #[serde(default)]
    pub fragment_loss_rate: Probability,
}

fn default_reliability() -> Probability {
    Probability(0.95)
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReceiverKind {
    Terrestrial,
    Satellite,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineFormat {
    /// `\s:<id>,c:<unix seconds>*hh\!AIVDM…`
    #[default]
    TagBlock,
    /// `!AIVDM…*hh,r<id>,<unix seconds>`
    Uscg,
    /// `!AIVDM…` with neither receiver nor time.
    Bare,
}

/// `[[vessel]]`: a named vessel with its identity, its changes, and its
/// itinerary.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VesselSpec {
    pub id: String,
    pub mmsi: u32,
    #[serde(default)]
    pub imo: Option<u32>,
    pub name: String,
    #[serde(default)]
    pub call_sign: Option<String>,
    /// ISO 3166 alpha-2 country code of the flag claimed.
    #[serde(default)]
    pub flag: Option<String>,
    /// AIS ship type code (70 cargo, 80 tanker, 30 fishing …).
    #[serde(default = "default_ship_type")]
    pub ship_type: u8,
    #[serde(default)]
    pub class: AisClass,
    pub length_m: Positive,
    pub beam_m: Positive,
    /// Draught at the start; 0 means not reported.
    #[serde(default)]
    pub draught_m: NonNegative,
    #[serde(default)]
    pub destination: Option<String>,
    /// Speed of `sail_to` steps that give none.
    #[serde(default = "default_speed")]
    pub service_speed_knots: Positive,
    /// When the vessel appears; the scenario start by default.
    #[serde(default)]
    pub start: Option<Time>,
    /// Where it is at `start`: moored at a place, or drifting at a point.
    pub at: Target,
    /// Whether its AIS transmits at `start`.
    #[serde(default = "yes")]
    pub ais: bool,
    /// Label for the truth: this vessel takes part in the illicit activity.
    #[serde(default)]
    pub illicit: bool,
    #[serde(default)]
    pub itinerary: Vec<Spanned<StepSpec>>,
    #[serde(default, rename = "identity")]
    pub identity_changes: Vec<Spanned<IdentityChangeSpec>>,
}

fn default_ship_type() -> u8 {
    70
}

fn default_speed() -> Positive {
    Positive(12.0)
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
pub enum AisClass {
    #[default]
    A,
    B,
}

/// One itinerary step; exactly one of `sail_to`, `stop`, `anchor`,
/// `loiter`, `fish`, `meet` says what it is.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// Sail to a place (its berth) or a position.
    #[serde(default)]
    pub sail_to: Option<Target>,
    /// Follow this route's waypoints on the way.
    #[serde(default)]
    pub route: Option<String>,
    /// Waypoints of this leg, before the route's.
    #[serde(default)]
    pub via: Option<Vec<Point>>,
    #[serde(default)]
    pub speed_knots: Option<Positive>,
    /// Stay moored at a place (sailing to its berth first if elsewhere).
    #[serde(default)]
    pub stop: Option<String>,
    /// Lie at anchor at a place or position (sailing there first).
    #[serde(default)]
    pub anchor: Option<Target>,
    /// Loiter (slow circles, under 2 kn) around a place or position.
    #[serde(default)]
    pub loiter: Option<Target>,
    /// Fish (trawl in circles, "engaged in fishing") around a place or
    /// position.
    #[serde(default)]
    pub fish: Option<Target>,
    /// Meet another vessel as the `[[encounter]]` of this id says.
    #[serde(default)]
    pub meet: Option<String>,
    /// How long a stop, anchorage, loitering or fishing lasts …
    #[serde(default)]
    pub hours: Option<NonNegative>,
    /// … or until when.
    #[serde(default)]
    pub until: Option<Time>,
    /// Loitering or fishing circle radius (default 1 km, fishing 2 km).
    #[serde(default)]
    pub radius_km: Option<Positive>,
    /// Draught reported from the end of this step (loaded or unloaded).
    #[serde(default)]
    pub draught_m: Option<NonNegative>,
    /// Shipment ids loaded or unloaded during this stop.
    #[serde(default)]
    pub load: Option<String>,
    #[serde(default)]
    pub unload: Option<String>,
    /// Switch AIS off or on when this step begins.
    #[serde(default)]
    pub ais: Option<OnOff>,
    /// Hours into the step at which the `ais` switch happens (default 0).
    #[serde(default)]
    pub ais_after_hours: Option<NonNegative>,
    /// AIS destination broadcast from this step on.
    #[serde(default)]
    pub destination: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OnOff {
    On,
    Off,
}

/// `[[vessel.identity]]`: from `at` on, the vessel broadcasts these
/// identity fields. Giving another vessel's MMSI makes two ships share one
/// MMSI; giving another's IMO makes one IMO broadcast by two ships.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityChangeSpec {
    pub at: Time,
    #[serde(default)]
    pub mmsi: Option<u32>,
    #[serde(default)]
    pub imo: Option<u32>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub call_sign: Option<String>,
    #[serde(default)]
    pub flag: Option<String>,
    #[serde(default)]
    pub ship_type: Option<u8>,
}

/// `[[encounter]]`: two vessels side by side at sea. Each has a `meet`
/// step naming this encounter; it sails so as to arrive at `start`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncounterSpec {
    pub id: String,
    pub vessels: [String; 2],
    pub at: Point,
    pub start: Time,
    pub hours: Positive,
    /// Distance between the two hulls' AIS antennas.
    #[serde(default = "default_encounter_distance")]
    pub distance_m: Positive,
    /// Both drift together at this speed.
    #[serde(default = "default_drift")]
    pub drift_knots: NonNegative,
    /// What both report meanwhile: ships in a ship-to-ship transfer often
    /// say "moored" (to each other) or "at anchor" far offshore.
    #[serde(default)]
    pub status: MeetingStatus,
    #[serde(default)]
    pub illicit: bool,
}

/// The navigational status two vessels report while they meet.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    #[default]
    UnderWay,
    Moored,
    AtAnchor,
}

impl MeetingStatus {
    pub fn nav_status(self) -> u8 {
        match self {
            MeetingStatus::UnderWay => crate::plan::nav_status::UNDER_WAY_USING_ENGINE,
            MeetingStatus::Moored => crate::plan::nav_status::MOORED,
            MeetingStatus::AtAnchor => crate::plan::nav_status::AT_ANCHOR,
        }
    }
}

fn default_encounter_distance() -> Positive {
    Positive(40.0)
}

fn default_drift() -> NonNegative {
    NonNegative(0.4)
}

/// `[[behaviour]]`: AIS switched off or spoofed, for one vessel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourSpec {
    pub kind: BehaviourKind,
    pub vessel: String,
    /// When (both required unless `zone` is given).
    #[serde(default)]
    pub from: Option<Time>,
    #[serde(default)]
    pub until: Option<Time>,
    /// `ais_off`: off whenever the vessel is inside this place.
    #[serde(default)]
    pub zone: Option<String>,
    /// `spoof`: how the broadcast position is false.
    #[serde(default)]
    pub mode: Option<SpoofMode>,
    /// `jump`: broadcast positions displaced by `[north_km, east_km]`.
    #[serde(default)]
    pub offset_km: Option<[f64; 2]>,
    /// `circle`: centre and radius of the false circle track, and its speed
    /// (about 20 kn in the cases documented).
    #[serde(default)]
    pub center: Option<Point>,
    #[serde(default)]
    pub radius_km: Option<Positive>,
    #[serde(default)]
    pub speed_knots: Option<Positive>,
    /// `fixed`: the one position broadcast (e.g. on land).
    #[serde(default)]
    pub at: Option<Point>,
    /// `glitch`: what goes wrong with the transponder's reports.
    #[serde(default)]
    pub glitch: Option<GlitchMode>,
    /// `glitch`: the share of position reports it spoils (default 0.02;
    /// `stale_status` spoils every report).
    #[serde(default)]
    pub share: Option<Probability>,
    #[serde(default)]
    pub illicit: bool,
}

/// Transponder habits of real AIS (FACTS.md §8): data quality, not
/// behaviour — Tumen must count them and raise nothing else.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GlitchMode {
    /// A report 0.3–5 km off the true position.
    OffTrack,
    /// The longitude's sign flipped (−32° sent as +32°).
    SignFlip,
    /// The position (0, 0): a receiver or unit without a fix.
    NullIsland,
    /// A second report at the same second, 1–3 km away.
    SameTime,
    /// Navigational status left at "moored" while the ship sails.
    StaleStatus,
}

impl GlitchMode {
    /// How far from the true position a spoiled report lies, in metres
    /// (from, to), for the habits that displace one.
    pub fn offset_m(self) -> Option<(f64, f64)> {
        match self {
            GlitchMode::OffTrack => Some((300.0, 5_000.0)),
            GlitchMode::SameTime => Some((1_000.0, 3_000.0)),
            GlitchMode::SignFlip | GlitchMode::NullIsland | GlitchMode::StaleStatus => None,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BehaviourKind {
    AisOff,
    Spoof,
    Glitch,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpoofMode {
    Jump,
    Circle,
    Fixed,
}

/// `[[traffic]]`: background vessels, generated from the seed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficSpec {
    pub id: String,
    pub count: u32,
    /// `lanes`: vessels shuttle along `routes`, with port stays at their
    /// ends. `area`: vessels wander between random points of `area`;
    /// `fishing` vessels trawl slowly there instead.
    pub kind: TrafficKind,
    #[serde(default)]
    pub routes: Vec<String>,
    /// `[south, west, north, east]` in degrees.
    #[serde(default)]
    pub area: Option<[f64; 4]>,
    /// AIS ship type codes to draw from.
    #[serde(default = "default_ship_types")]
    pub ship_types: Vec<u8>,
    /// Flags (ISO 3166 alpha-2) to draw from; decide the MMSI's MID.
    #[serde(default = "default_flags")]
    pub flags: Vec<String>,
    #[serde(default = "default_traffic_speed")]
    pub speed_knots: Range,
    #[serde(default = "default_traffic_length")]
    pub length_m: Range,
    #[serde(default)]
    pub class_b_share: Probability,
    /// Port stay at lane ends, and anchorage stays in areas.
    #[serde(default = "default_dwell")]
    pub dwell_hours: Range,
    /// Share of vessels that stay at anchor the whole time (areas).
    #[serde(default)]
    pub anchored_share: Probability,
}

fn default_ship_types() -> Vec<u8> {
    vec![70, 70, 70, 80, 80, 60, 52]
}

fn default_flags() -> Vec<String> {
    ["PA", "LR", "MH", "SG", "HK", "MT", "CN", "GR", "JP", "KR", "RU"].map(String::from).to_vec()
}

fn default_traffic_speed() -> Range {
    Range { low: 9.0, high: 15.0 }
}

fn default_traffic_length() -> Range {
    Range { low: 60.0, high: 250.0 }
}

fn default_dwell() -> Range {
    Range { low: 6.0, high: 48.0 }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TrafficKind {
    Lanes,
    Area,
    Fishing,
}

/// `[[imagery]]`: satellite scenes over a place, once or repeated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagerySpec {
    pub id: String,
    #[serde(default = "default_satellite")]
    pub satellite: String,
    /// Scene centre.
    pub over: Target,
    pub width_km: Positive,
    pub height_km: Positive,
    pub first: Time,
    /// Repeat every so many hours until `until` (or the scenario end).
    #[serde(default)]
    pub every_hours: Option<Positive>,
    #[serde(default)]
    pub until: Option<Time>,
    /// Probability of detecting a vessel of 40 m or more; smaller vessels
    /// are detected in proportion to their length.
    #[serde(default = "default_detection_probability")]
    pub detection_probability: Probability,
    /// Standard deviation of the position error, each axis.
    #[serde(default = "default_position_error")]
    pub position_error_m: NonNegative,
    /// Standard deviation of the length error, as a share of the length.
    #[serde(default = "default_length_error")]
    pub length_error: NonNegative,
    /// Mean number of false detections per scene.
    #[serde(default)]
    pub false_alarms: NonNegative,
}

fn default_satellite() -> String {
    "SAR-1".into()
}

fn default_detection_probability() -> Probability {
    Probability(0.9)
}

fn default_position_error() -> NonNegative {
    NonNegative(50.0)
}

fn default_length_error() -> NonNegative {
    NonNegative(0.15)
}

/// `[[structure]]`: a fixed object at sea (platform, wreck) that imagery
/// detects like a vessel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructureSpec {
    pub id: String,
    pub at: Point,
    pub length_m: Positive,
}

/// `[[facility]]`: counts of objects at a site on image dates.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilitySpec {
    /// A place id.
    pub site: String,
    pub object: ObjectClass,
    #[serde(default = "default_observation_source")]
    pub source: String,
    /// Image dates: from `first` to `until`, every `every_days` give or
    /// take `jitter_days`.
    pub first: Time,
    pub until: Time,
    pub every_days: Positive,
    #[serde(default)]
    pub jitter_days: NonNegative,
    /// Further image dates (e.g. a published image).
    #[serde(default)]
    pub dates: Vec<Time>,
    /// Ordinary level, seasonal swing (peak in `peak_month`) and noise
    /// (standard deviation).
    pub baseline: NonNegative,
    #[serde(default)]
    pub seasonal_amplitude: NonNegative,
    #[serde(default = "default_peak_month")]
    pub peak_month: u8,
    #[serde(default)]
    pub noise: NonNegative,
    /// Extra objects present in a window.
    #[serde(default)]
    pub spikes: Vec<SpikeSpec>,
}

fn default_observation_source() -> String {
    "imagery".into()
}

fn default_peak_month() -> u8 {
    7
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikeSpec {
    pub from: Time,
    pub until: Time,
    pub add: NonNegative,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectClass {
    RailCar,
    Container,
    Vessel,
    Vehicle,
}

/// `[[shipment]]`: cargo moved from origin to destination in legs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShipmentSpec {
    pub id: String,
    #[serde(default)]
    pub cargo: String,
    #[serde(default)]
    pub containers: u32,
    pub legs: Vec<LegSpec>,
}

/// A shipment leg. `sea`: the vessel's stops with `load`/`unload` of this
/// shipment give its times. `rail`: leaves `from` at `depart` (or
/// `after_hours` after the previous leg arrives), passes `via` and reaches
/// `to` after `days`; its `cars` are counted at each site for
/// `dwell_days`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegSpec {
    pub mode: LegMode,
    #[serde(default)]
    pub vessel: Option<String>,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub via: Vec<String>,
    #[serde(default)]
    pub depart: Option<Time>,
    #[serde(default)]
    pub after_hours: Option<NonNegative>,
    #[serde(default)]
    pub days: Option<Positive>,
    #[serde(default)]
    pub cars: u32,
    #[serde(default = "default_dwell_days")]
    pub dwell_days: NonNegative,
}

fn default_dwell_days() -> NonNegative {
    NonNegative(2.0)
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegMode {
    Sea,
    Rail,
}
