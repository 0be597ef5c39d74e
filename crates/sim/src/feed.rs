//! The AIS feed: every vessel's transmissions, heard (or not) by the
//! receivers, written as NMEA lines in the order they reach the user, and
//! the heard position reports as NOAA and DMA CSV rows.
//!
//! Time advances in windows. In each window the vessels are split between
//! worker threads; each vessel draws from its own random stream, so the
//! output is the same for any number of threads. A writer thread sorts
//! each window's lines by arrival time and holds back those that arrive in
//! a later window (satellite AIS reaches users minutes to hours late), so
//! memory stays bounded by the window and the longest delay.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::io::{self, Write};
use std::sync::mpsc;

use rand::{Rng, RngCore};
use rand_pcg::Pcg64Mcg;
use tumen_ais::{Message, SentenceOptions, TagBlockOptions, UscgTrailer, append_sentences};
use tumen_model::{LatLon, Timestamp};

use crate::csv_rows;
use crate::plan::{Kinematics, Motion, wrap_deg};
use crate::radio::{self, Fix, STATIC_INTERVAL_MS, Voyage};
use crate::reception::ReceiverIndex;
use crate::scenario::format::{AisClass, GlitchMode, LineFormat};
use crate::traffic::stream;
use crate::world::{SpoofKind, Vessel, World};

/// Where the feed goes; `None` skips that output.
#[derive(Default)]
pub struct FeedOutputs {
    pub nmea: Option<Box<dyn Write + Send>>,
    pub noaa_csv: Option<Box<dyn Write + Send>>,
    pub dma_csv: Option<Box<dyn Write + Send>>,
}

/// Counts of what the feed holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FeedStats {
    /// Messages transmitted (vessels with AIS on).
    pub transmissions: u64,
    pub position_reports: u64,
    pub static_reports: u64,
    /// Transmissions no receiver heard.
    pub unheard: u64,
    /// (position report, receiver) pairs heard but not passed on by a
    /// thinning receiver.
    pub thinned: u64,
    /// (message, receiver) pairs: a message heard by two receivers counts twice.
    pub receptions: u64,
    pub lines: u64,
    /// Lines written with a wrong checksum.
    pub corrupted_lines: u64,
    /// Fragments of multi-sentence messages left out.
    pub lost_fragments: u64,
    /// Receptions with a corrupted or missing line, which a strict decoder
    /// cannot decode.
    pub damaged_messages: u64,
    /// Lines whose receiver time is earlier than that of a line before them.
    pub out_of_order_lines: u64,
    pub noaa_rows: u64,
    pub dma_rows: u64,
    pub per_receiver: Vec<ReceiverStats>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReceiverStats {
    pub id: String,
    pub messages: u64,
    pub lines: u64,
}

/// Tunables of the generator.
#[derive(Clone, Copy, Debug, Default)]
pub struct FeedConfig {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
}

/// Standard deviation of GNSS position noise on reported positions.
const GNSS_NOISE_M: f64 = 3.0;
const SOG_NOISE_KNOTS: f64 = 0.1;
const COG_NOISE_DEG: f64 = 0.5;

/// Order of lines in the output: arrival, then vessel, transmission,
/// receiver — unique, so the order is total and the same on every run.
/// Packed into one number (48 bits of milliseconds since 1970, 32 + 32 +
/// 16) so that sorting and merging compare once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct LineKey(u128);

impl LineKey {
    const MAX: LineKey = LineKey(u128::MAX);

    fn new(arrival_ms: i64, vessel: u32, transmission: u32, receiver: u16) -> LineKey {
        let arrival = arrival_ms.clamp(0, (1 << 48) - 1) as u128;
        LineKey(arrival << 80 | u128::from(vessel) << 48 | u128::from(transmission) << 16 | u128::from(receiver))
    }

    fn arrival_ms(self) -> i64 {
        (self.0 >> 80) as i64
    }
}

#[derive(Clone, Copy, Debug)]
struct LineItem {
    key: LineKey,
    receiver_time_ms: i64,
    lines: u32,
    start: u32,
    len: u32,
}

/// Order of CSV rows: time, vessel, transmission.
type RowKey = (i64, u32, u32);

#[derive(Clone, Copy, Debug)]
struct RowItem {
    key: RowKey,
    start: u32,
    len: u32,
}

/// One worker's output for one window.
#[derive(Default)]
struct Chunk {
    lines: Vec<u8>,
    line_items: Vec<LineItem>,
    noaa: Vec<u8>,
    noaa_items: Vec<RowItem>,
    dma: Vec<u8>,
    dma_items: Vec<RowItem>,
    stats: FeedStats,
    /// Scratch: the receivers that heard the current transmission.
    heard: Vec<u16>,
    /// Scratch: the buffer `sort` gathers into.
    spare: Vec<u8>,
}

impl Chunk {
    /// Puts lines and rows in output order, each in one contiguous run, so
    /// the writer reads them front to back. Done by the workers, in
    /// parallel: gathering from all over a window's buffer is the costly
    /// part of ordering.
    fn sort(&mut self) {
        self.line_items.sort_unstable_by_key(|i| i.key);
        gather(&mut self.lines, self.line_items.iter_mut().map(|i| (&mut i.start, i.len)), &mut self.spare);
        self.noaa_items.sort_unstable_by_key(|r| r.key);
        gather(&mut self.noaa, self.noaa_items.iter_mut().map(|i| (&mut i.start, i.len)), &mut self.spare);
        self.dma_items.sort_unstable_by_key(|r| r.key);
        gather(&mut self.dma, self.dma_items.iter_mut().map(|i| (&mut i.start, i.len)), &mut self.spare);
    }

    /// Empties the chunk for reuse, keeping its buffers' capacity: a new
    /// window's buffers would be fresh pages, and faulting them in costs
    /// more than the work that fills them.
    fn reset(&mut self) {
        self.lines.clear();
        self.line_items.clear();
        self.noaa.clear();
        self.noaa_items.clear();
        self.dma.clear();
        self.dma_items.clear();
        self.stats = FeedStats::default();
    }
}

/// Rewrites `bytes` so the pieces `(start, len)` lie one after another in
/// the order given, updating each start. `spare` is the buffer gathered
/// into; it is swapped with `bytes`.
fn gather<'a>(bytes: &mut Vec<u8>, pieces: impl Iterator<Item = (&'a mut u32, u32)>, spare: &mut Vec<u8>) {
    spare.clear();
    spare.reserve(bytes.len());
    for (start, len) in pieces {
        let from = *start as usize;
        *start = spare.len() as u32;
        spare.extend_from_slice(&bytes[from..from + len as usize]);
    }
    std::mem::swap(bytes, spare);
}

/// How long a vessel's terrestrial coverage is reused before it is looked
/// up again: a ship moves at most a few hundred metres in that time, far
/// less than any station's range.
const COVERAGE_REFRESH_MS: i64 = 60_000;

/// The transmitter state of one vessel.
struct Radio {
    vessel: u32,
    rng: Pcg64Mcg,
    next_position: Timestamp,
    next_static: Timestamp,
    transmissions: u32,
    segment: usize,
    /// When each thinning receiver last forwarded this vessel's position.
    last_forwarded: Vec<(u16, i64)>,
    /// Terrestrial receivers in range, and the longitude satellite passes
    /// are timed by, as of the last lookup; valid until `coverage_until`.
    coverage: Vec<u16>,
    coverage_lon_deg: f64,
    coverage_until: Timestamp,
    /// Per satellite: whether it is overhead, its receiver index, and
    /// until when that holds.
    passes: Vec<(bool, u16, Timestamp)>,
    /// End of the vessel's plan (or of the world).
    end: Timestamp,
    /// The current segment's end, speed and status.
    segment_end: Timestamp,
    sog_knots: f64,
    nav_status: u8,
    /// Whether the transmitter is off, and until when that holds.
    dark: bool,
    dark_until: Timestamp,
    motion: MotionCache,
    /// The MMSI broadcast, and until when.
    mmsi: u32,
    mmsi_until: Timestamp,
    /// Copied from the vessel, so reports need not read it.
    class: AisClass,
    spoofs: bool,
    glitches: bool,
}

/// The true state at one instant and its rates of change, valid for a
/// smooth stretch ([`Segment::smooth_until`], at most five minutes): states
/// between are interpolated instead of computed with spherical
/// trigonometry for every report, with an error under a metre — below the
/// 3 m GNSS noise every report carries.
#[derive(Clone, Copy, Default)]
struct MotionCache {
    segment: usize,
    t0_ms: i64,
    until_ms: i64,
    state: Option<Kinematics>,
    /// Cosine of the latitude, for offsets in metres.
    cos_lat: f64,
    lat_per_ms: f64,
    lon_per_ms: f64,
    cog_per_ms: f64,
    heading_per_ms: f64,
}

/// Longest stretch one cached state is interpolated over.
const MOTION_CACHE_MS: i64 = 300_000;

impl MotionCache {
    /// The state at `t` in segment `segment_index` of `vessel`'s plan; the
    /// plan itself is read only when the cache must be refreshed.
    fn state_at(&mut self, segment_index: usize, vessel: &Vessel, t: Timestamp) -> Kinematics {
        let t_ms = t.unix_ms();
        match self.state {
            Some(base) if segment_index == self.segment && (self.t0_ms..self.until_ms).contains(&t_ms) => {
                let dt = (t_ms - self.t0_ms) as f64;
                Kinematics {
                    position: LatLon {
                        lat_deg: base.position.lat_deg + self.lat_per_ms * dt,
                        lon_deg: tumen_model::wrap_lon_deg(base.position.lon_deg + self.lon_per_ms * dt),
                    },
                    cog_deg: wrap_deg(base.cog_deg + self.cog_per_ms * dt),
                    heading_deg: wrap_deg(base.heading_deg + self.heading_per_ms * dt),
                    ..base
                }
            }
            _ => {
                let segment = &vessel.plan.segments()[segment_index];
                let start = segment.state_at(t);
                let until = segment.smooth_until(t).min(t.plus_ms(MOTION_CACHE_MS));
                let span_ms = until.ms_since(t);
                let cos_lat = start.position.lat_deg.to_radians().cos();
                *self = MotionCache {
                    segment: segment_index,
                    t0_ms: t_ms,
                    until_ms: t_ms + span_ms.max(1),
                    state: Some(start),
                    cos_lat,
                    ..MotionCache::default()
                };
                match segment.motion {
                    // Straight stretches: the velocity gives the rates, no
                    // second position needed.
                    Motion::Sail { .. } | Motion::Drift { .. } if span_ms > 0 => {
                        let speed_mps = crate::plan::knots_to_mps(start.sog_knots);
                        let (sin, cos) = start.cog_deg.to_radians().sin_cos();
                        let metres_per_degree = tumen_model::EARTH_MEAN_RADIUS_M.to_radians();
                        self.lat_per_ms = speed_mps * cos / metres_per_degree / 1000.0;
                        self.lon_per_ms = speed_mps * sin / (metres_per_degree * cos_lat.max(1e-6)) / 1000.0;
                    }
                    _ if span_ms > 0 => {
                        let end = segment.state_at(until);
                        let span = span_ms as f64;
                        let turn = |from: f64, to: f64| (wrap_deg(to - from + 540.0) - 180.0) / span;
                        self.lat_per_ms = (end.position.lat_deg - start.position.lat_deg) / span;
                        self.lon_per_ms = turn(start.position.lon_deg, end.position.lon_deg);
                        self.cog_per_ms = turn(start.cog_deg, end.cog_deg);
                        self.heading_per_ms = turn(start.heading_deg, end.heading_deg);
                    }
                    _ => {}
                }
                start
            }
        }
    }
}

/// Generates the whole feed of `world` into `outputs`; `progress` is called
/// with the simulated time reached after each window.
///
/// Each worker thread owns a share of the vessels and runs through all the
/// windows on its own, handing each window's sorted chunk to the writer
/// (this thread) through a short queue; the writer takes window `k` from
/// every worker in worker order, so the output does not depend on timing.
/// No worker waits for another except through the writer's queues.
pub fn generate(
    world: &World,
    outputs: FeedOutputs,
    config: FeedConfig,
    progress: &(dyn Fn(Timestamp) + Sync),
) -> io::Result<FeedStats> {
    let index = ReceiverIndex::new(&world.receivers);
    let mut radios: Vec<Radio> =
        world.vessels.iter().enumerate().map(|(i, vessel)| Radio::new(world, i, vessel)).collect();
    let threads = match config.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    // Small worlds: few long windows on one worker; large ones: one-minute
    // windows, so memory stays small, on every core.
    let (window_ms, workers) = if world.vessels.len() < 1000 { (3_600_000, 1) } else { (60_000, threads.max(1)) };
    let windows = Windows { start: world.start, end: world.end, window_ms };
    let wants = Wants { noaa: outputs.noaa_csv.is_some(), dma: outputs.dma_csv.is_some() };
    let context = Context { world, index: &index, wants };
    let receiver_ids: Vec<String> = world.receivers.iter().map(|r| r.id.clone()).collect();

    let per_worker = radios.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let mut queues = Vec::new();
        for part in radios.chunks_mut(per_worker) {
            let (to_writer, from_worker) = mpsc::sync_channel::<Chunk>(3);
            let (recycle, recycled) = mpsc::channel::<Chunk>();
            let context = &context;
            scope.spawn(move || run_worker(part, context, windows, &to_writer, &recycled));
            queues.push((from_worker, recycle));
        }
        write_feed(outputs, windows, &queues, &receiver_ids, progress)
    })
}

/// The windows a run is cut into.
#[derive(Clone, Copy)]
struct Windows {
    start: Timestamp,
    end: Timestamp,
    window_ms: i64,
}

impl Windows {
    /// The end of each window in turn.
    fn ends(self) -> impl Iterator<Item = Timestamp> {
        let mut window_start = self.start;
        std::iter::from_fn(move || {
            if window_start >= self.end {
                return None;
            }
            window_start = window_start.plus_ms(self.window_ms).min(self.end);
            Some(window_start)
        })
    }
}

/// One worker: its vessels through every window, a sorted chunk per window
/// to the writer. Stops early if the writer has stopped.
fn run_worker(
    radios: &mut [Radio],
    context: &Context<'_>,
    windows: Windows,
    to_writer: &mpsc::SyncSender<Chunk>,
    recycled: &mpsc::Receiver<Chunk>,
) {
    for window_end in windows.ends() {
        let mut chunk = match recycled.try_recv() {
            Ok(mut chunk) => {
                chunk.reset();
                chunk
            }
            Err(_) => Chunk::default(),
        };
        for radio in radios.iter_mut() {
            radio.advance(context, window_end, &mut chunk);
        }
        chunk.sort();
        if to_writer.send(chunk).is_err() {
            return;
        }
    }
}

#[derive(Clone, Copy)]
struct Wants {
    noaa: bool,
    dma: bool,
}

struct Context<'a> {
    world: &'a World,
    index: &'a ReceiverIndex,
    wants: Wants,
}

impl Radio {
    fn new(world: &World, index: usize, vessel: &Vessel) -> Radio {
        let mut rng = stream(world.seed, &[2, index as u64]);
        let start = vessel.plan.start().unwrap_or(world.end).max(world.start);
        // Transponders are not synchronised: each starts at its own phase.
        let next_position = start.plus_ms(rng.random_range(0..10_000));
        let next_static = start.plus_ms(rng.random_range(0..STATIC_INTERVAL_MS));
        Radio {
            vessel: index as u32,
            rng,
            next_position,
            next_static,
            transmissions: 0,
            segment: 0,
            last_forwarded: Vec::new(),
            coverage: Vec::new(),
            coverage_lon_deg: 0.0,
            coverage_until: Timestamp::from_unix_ms(i64::MIN),
            passes: Vec::new(),
            end: vessel.plan.end().map_or(world.start, |end| end.min(world.end)),
            segment_end: Timestamp::from_unix_ms(i64::MIN),
            sog_knots: 0.0,
            nav_status: 0,
            dark: false,
            dark_until: Timestamp::from_unix_ms(i64::MIN),
            motion: MotionCache::default(),
            mmsi: 0,
            mmsi_until: Timestamp::from_unix_ms(i64::MIN),
            class: vessel.class,
            spoofs: !vessel.spoofs.is_empty(),
            glitches: !vessel.glitches.is_empty(),
        }
    }

    /// Transmits everything due before `window_end`. The vessel's own data
    /// is read only when something is heard or a segment, identity or dark
    /// period changes: a global day has tens of thousands of vessels, and
    /// what is touched per transmission must stay in this struct.
    fn advance(&mut self, context: &Context<'_>, window_end: Timestamp, out: &mut Chunk) {
        let end = window_end.min(self.end);
        if self.next_position.min(self.next_static) >= end {
            return;
        }
        let vessel = &context.world.vessels[self.vessel as usize];
        let mut heard = std::mem::take(&mut out.heard);
        loop {
            let position_due = self.next_position <= self.next_static;
            let t = if position_due { self.next_position } else { self.next_static };
            if t >= end {
                break;
            }
            if t >= self.segment_end {
                self.enter_segment(vessel, t);
            }
            if t >= self.dark_until {
                self.refresh_dark(vessel, t);
            }
            if position_due {
                if !self.dark {
                    out.stats.position_reports += 1;
                    self.hear(context, vessel, t, true, &mut heard, &mut out.stats);
                    if !heard.is_empty() {
                        let state = self.motion.state_at(self.segment, vessel, t);
                        let mut reported = self.reported_state(vessel, &state, t);
                        let twin = self.glitches.then(|| self.glitch(vessel, t, &mut reported)).flatten();
                        if t >= self.mmsi_until {
                            self.mmsi = vessel.identity.at(t).mmsi;
                            self.mmsi_until =
                                vessel.identity.next_change_after(t).unwrap_or(Timestamp::from_unix_ms(i64::MAX));
                        }
                        let fix = Fix::new(t, self.mmsi, &reported);
                        let channel = self.channel();
                        self.emit(context, &fix.message(self.class), t, channel, &heard, out);
                        self.write_rows(context, vessel, &fix, out);
                        if let Some(twin) = twin {
                            // A transmission of its own (its own group id).
                            self.transmissions = self.transmissions.wrapping_add(1);
                            let fix = Fix::new(t, self.mmsi, &twin);
                            self.emit(context, &fix.message(self.class), t, self.channel(), &heard, out);
                            self.write_rows(context, vessel, &fix, out);
                        }
                    }
                }
                let jitter = self.rng.random_range(-100..=100);
                let interval = radio::position_interval_ms(self.class, self.sog_knots, self.nav_status);
                self.next_position = t.plus_ms(interval + jitter);
            } else {
                if !self.dark {
                    let segment = &vessel.plan.segments()[self.segment];
                    let identity = vessel.identity.at(t);
                    let eta = match &segment.motion {
                        Motion::Sail { .. } => Some(segment.end),
                        _ => None,
                    };
                    let voyage =
                        Voyage { draught_m: *vessel.draught_m.at(t), destination: vessel.destination.at(t), eta };
                    let (first, second) =
                        radio::static_messages(vessel.class, identity, vessel.length_m, vessel.beam_m, &voyage);
                    // A class B unit sends its type 24 parts A and B in
                    // consecutive slots of one channel, as real units do (and
                    // as gpsd needs to merge them).
                    let channel = self.channel();
                    for (message, at) in [(Some(first), t), (second, t.plus_ms(1000))] {
                        let Some(message) = message else { continue };
                        out.stats.static_reports += 1;
                        self.hear(context, vessel, at, false, &mut heard, &mut out.stats);
                        self.emit(context, &message, at, channel, &heard, out);
                    }
                }
                let jitter = self.rng.random_range(-1000..=1000);
                self.next_static = t.plus_ms(STATIC_INTERVAL_MS + jitter);
            }
        }
        out.heard = heard;
    }

    /// Moves to the segment covering `t` and caches what the report
    /// interval depends on.
    fn enter_segment(&mut self, vessel: &Vessel, t: Timestamp) {
        let segments = vessel.plan.segments();
        while self.segment + 1 < segments.len() && segments[self.segment].end <= t {
            self.segment += 1;
        }
        let segment = &segments[self.segment];
        (self.sog_knots, self.nav_status) = segment.speed_and_status();
        self.segment_end = segment.end;
    }

    /// Whether the transmitter is off at `t`, and until when that holds.
    fn refresh_dark(&mut self, vessel: &Vessel, t: Timestamp) {
        let index = vessel.dark.partition_point(|d| d.interval.end <= t);
        match vessel.dark.get(index) {
            Some(period) if period.interval.contains(t) => {
                self.dark = true;
                self.dark_until = period.interval.end;
            }
            Some(period) => {
                self.dark = false;
                self.dark_until = period.interval.start;
            }
            None => {
                self.dark = false;
                self.dark_until = Timestamp::from_unix_ms(i64::MAX);
            }
        }
    }

    /// Which receivers hear (and pass on) a transmission at `t`: each
    /// receiver in coverage with its reliability, then thinning receivers
    /// drop position reports that come too soon after the last one they
    /// passed on.
    fn hear(
        &mut self,
        context: &Context<'_>,
        vessel: &Vessel,
        t: Timestamp,
        is_position: bool,
        heard: &mut Vec<u16>,
        stats: &mut FeedStats,
    ) {
        self.transmissions = self.transmissions.wrapping_add(1);
        stats.transmissions += 1;
        if t >= self.coverage_until {
            let position = self.motion.state_at(self.segment, vessel, t).position;
            self.coverage.clear();
            context.index.terrestrial_covering(position, &mut self.coverage);
            self.coverage_lon_deg = position.lon_deg;
            self.coverage_until = t.plus_ms(COVERAGE_REFRESH_MS);
            self.passes.clear();
            for n in 0..context.index.satellite_count() {
                self.passes.push(context.index.satellite_pass(n, position.lon_deg, t));
            }
        }
        heard.clear();
        for &receiver in &self.coverage {
            if self.rng.random_bool(context.world.receivers[usize::from(receiver)].reliability) {
                heard.push(receiver);
            }
        }
        for n in 0..self.passes.len() {
            if t >= self.passes[n].2 {
                self.passes[n] = context.index.satellite_pass(n, self.coverage_lon_deg, t);
            }
            let (overhead, receiver, _) = self.passes[n];
            if overhead && self.rng.random_bool(context.world.receivers[usize::from(receiver)].reliability) {
                heard.push(receiver);
            }
        }
        if heard.is_empty() {
            stats.unheard += 1;
            return;
        }
        if is_position {
            let before = heard.len();
            heard.retain(|&receiver| {
                let min_interval_ms = context.world.receivers[usize::from(receiver)].min_interval_ms;
                min_interval_ms == 0 || forward(&mut self.last_forwarded, receiver, t, min_interval_ms)
            });
            stats.thinned += (before - heard.len()) as u64;
        }
        heard.sort_unstable();
    }

    /// What the transponder reports: the true state with GNSS noise, or a
    /// spoofed position.
    fn reported_state(&mut self, vessel: &Vessel, state: &Kinematics, t: Timestamp) -> Kinematics {
        let mut reported = *state;
        let (dn, de) = (unit_noise(&mut self.rng) * GNSS_NOISE_M, unit_noise(&mut self.rng) * GNSS_NOISE_M);
        reported.position = offset_with(state.position, dn, de, self.motion.cos_lat);
        if state.sog_knots > 0.0 {
            reported.sog_knots = (state.sog_knots + unit_noise(&mut self.rng) * SOG_NOISE_KNOTS).max(0.0);
            reported.cog_deg = wrap_deg(state.cog_deg + unit_noise(&mut self.rng) * COG_NOISE_DEG);
        }
        if let Some(spoof) = self.spoofs.then(|| vessel.spoof_at(t)).flatten() {
            match spoof.kind {
                SpoofKind::Jump { north_m, east_m } => reported.position = offset(reported.position, north_m, east_m),
                SpoofKind::Circle { center, radius_m, speed_knots } => {
                    let elapsed_s = t.ms_since(spoof.interval.start) as f64 / 1000.0;
                    let angle = (crate::plan::knots_to_mps(speed_knots) * elapsed_s / radius_m).to_degrees();
                    reported.position = center.destination(angle.rem_euclid(360.0), radius_m);
                    reported.sog_knots = speed_knots;
                    reported.cog_deg = (angle + 90.0).rem_euclid(360.0);
                    reported.heading_deg = reported.cog_deg;
                    reported.nav_status = crate::plan::nav_status::UNDER_WAY_USING_ENGINE;
                }
                SpoofKind::Fixed { at } => {
                    reported.position = at;
                    reported.sog_knots = 0.0;
                }
            }
        }
        reported
    }

    /// Spoils `reported` as the vessel's transponder habit at `t` has it
    /// (for its share of reports); a `same_time` habit gives a second
    /// report at the same second instead, returned.
    fn glitch(&mut self, vessel: &Vessel, t: Timestamp, reported: &mut Kinematics) -> Option<Kinematics> {
        let glitch = vessel.glitch_at(t)?;
        if glitch.mode == GlitchMode::StaleStatus {
            reported.nav_status = crate::plan::nav_status::MOORED;
            return None;
        }
        if !self.rng.random_bool(glitch.share) {
            return None;
        }
        let bearing_deg = self.rng.random_range(0.0..360.0);
        let offset_m = glitch.mode.offset_m().map(|(from, to)| self.rng.random_range(from..to));
        match (glitch.mode, offset_m) {
            (GlitchMode::OffTrack, Some(metres)) => {
                reported.position = reported.position.destination(bearing_deg, metres);
            }
            (GlitchMode::SameTime, Some(metres)) => {
                let mut twin = *reported;
                twin.position = reported.position.destination(bearing_deg, metres);
                return Some(twin);
            }
            (GlitchMode::SignFlip, _) => reported.position.lon_deg = -reported.position.lon_deg,
            (GlitchMode::NullIsland, _) => reported.position = LatLon { lat_deg: 0.0, lon_deg: 0.0 },
            _ => {}
        }
        None
    }

    /// The radio channel of the next transmission: A and B in turn.
    fn channel(&self) -> u8 {
        if self.transmissions.is_multiple_of(2) { b'A' } else { b'B' }
    }

    /// Writes the lines each receiver in `receivers` makes of `message`.
    fn emit(
        &mut self,
        context: &Context<'_>,
        message: &Message,
        t: Timestamp,
        channel: u8,
        receivers: &[u16],
        out: &mut Chunk,
    ) {
        if receivers.is_empty() {
            return;
        }
        let Ok(bits) = message.encode() else {
            // Every field the simulator fills is within its width.
            debug_assert!(false, "simulated message does not encode: {message:?}");
            return;
        };
        let receiver_time = Timestamp::from_unix_ms(t.unix_ms().div_euclid(1000) * 1000);
        let group_id = (self.vessel.wrapping_mul(7919).wrapping_add(self.transmissions)) % 100_000;
        for &receiver_index in receivers {
            let receiver = &context.world.receivers[usize::from(receiver_index)];
            let (low, high) = receiver.delay_ms;
            let delay = if high > low { self.rng.random_range(low..=high) } else { low };
            let options = SentenceOptions {
                channel: Some(channel),
                sequence_id: (self.transmissions % 10) as u8,
                tag_block: (receiver.format == LineFormat::TagBlock).then_some(TagBlockOptions {
                    source: Some(&receiver.id),
                    receiver_time: Some(receiver_time),
                    group_id: Some(group_id),
                }),
                uscg_trailer: (receiver.format == LineFormat::Uscg)
                    .then_some(UscgTrailer { station: &receiver.id, receiver_time }),
                ..SentenceOptions::default()
            };
            let start = out.lines.len();
            let Ok(count) = append_sentences(&bits, &options, &mut out.lines) else {
                out.lines.truncate(start);
                continue;
            };
            let mut written = count as u64;
            let mut damaged = false;
            if count > 1 && receiver.fragment_loss_rate > 0.0 && self.rng.random_bool(receiver.fragment_loss_rate) {
                drop_line(&mut out.lines, start, self.rng.random_range(0..count));
                written -= 1;
                out.stats.lost_fragments += 1;
                damaged = true;
            }
            if receiver.corrupt_rate > 0.0 {
                let mut line_start = start;
                while line_start < out.lines.len() {
                    let line_end = line_start + out.lines[line_start..].iter().position(|&b| b == b'\n').unwrap_or(0);
                    if self.rng.random_bool(receiver.corrupt_rate) {
                        corrupt_line(&mut out.lines[line_start..line_end], &mut self.rng);
                        out.stats.corrupted_lines += 1;
                        damaged = true;
                    }
                    line_start = line_end + 1;
                }
            }
            out.stats.damaged_messages += u64::from(damaged);
            out.stats.receptions += 1;
            out.stats.lines += written;
            let stats = receiver_stats(&mut out.stats, context.world, usize::from(receiver_index));
            stats.messages += 1;
            stats.lines += written;
            out.line_items.push(LineItem {
                key: LineKey::new(t.unix_ms() + delay, self.vessel, self.transmissions, receiver_index),
                receiver_time_ms: receiver_time.unix_ms(),
                lines: written as u32,
                start: start as u32,
                len: (out.lines.len() - start) as u32,
            });
        }
    }

    fn write_rows(&mut self, context: &Context<'_>, vessel: &Vessel, fix: &Fix, out: &mut Chunk) {
        if !context.wants.noaa && !context.wants.dma {
            return;
        }
        let key = (fix.time.unix_ms(), self.vessel, self.transmissions);
        let row = csv_rows::RowContext {
            fix,
            class: vessel.class,
            identity: vessel.identity.at(fix.time),
            length_m: vessel.length_m,
            beam_m: vessel.beam_m,
            draught_m: *vessel.draught_m.at(fix.time),
            destination: vessel.destination.at(fix.time),
        };
        if context.wants.noaa {
            let start = out.noaa.len();
            csv_rows::noaa_row(&row, &mut out.noaa);
            out.noaa_items.push(RowItem { key, start: start as u32, len: (out.noaa.len() - start) as u32 });
            out.stats.noaa_rows += 1;
        }
        if context.wants.dma {
            let start = out.dma.len();
            csv_rows::dma_row(&row, &mut out.dma);
            out.dma_items.push(RowItem { key, start: start as u32, len: (out.dma.len() - start) as u32 });
            out.stats.dma_rows += 1;
        }
    }
}

/// Whether a thinning receiver forwards a position at `t`; records it if so.
fn forward(last_forwarded: &mut Vec<(u16, i64)>, receiver: u16, t: Timestamp, min_interval_ms: i64) -> bool {
    match last_forwarded.iter_mut().find(|(r, _)| *r == receiver) {
        Some((_, last)) if t.unix_ms() - *last < min_interval_ms => false,
        Some((_, last)) => {
            *last = t.unix_ms();
            true
        }
        None => {
            last_forwarded.push((receiver, t.unix_ms()));
            true
        }
    }
}

fn receiver_stats<'a>(stats: &'a mut FeedStats, world: &World, index: usize) -> &'a mut ReceiverStats {
    if stats.per_receiver.len() < world.receivers.len() {
        stats.per_receiver =
            world.receivers.iter().map(|r| ReceiverStats { id: r.id.clone(), messages: 0, lines: 0 }).collect();
    }
    &mut stats.per_receiver[index]
}

/// Moves a position by metres north and east.
fn offset(p: LatLon, north_m: f64, east_m: f64) -> LatLon {
    offset_with(p, north_m, east_m, p.lat_deg.to_radians().cos())
}

/// [`offset`] with the cosine of the latitude given (it changes too little
/// over a few kilometres to compute for every report).
fn offset_with(p: LatLon, north_m: f64, east_m: f64, cos_lat: f64) -> LatLon {
    let lat_deg = p.lat_deg + (north_m / tumen_model::EARTH_MEAN_RADIUS_M).to_degrees();
    let lon_deg = p.lon_deg + (east_m / (tumen_model::EARTH_MEAN_RADIUS_M * cos_lat.max(1e-6))).to_degrees();
    LatLon { lat_deg: lat_deg.clamp(-90.0, 90.0), lon_deg: tumen_model::wrap_lon_deg(lon_deg) }
}

/// A sample of unit variance from one random word: the sum of four 16-bit
/// uniforms (Irwin–Hall), centred and scaled. Near enough to normal for
/// measurement noise (it never exceeds 3.5 σ), and a fraction of the cost
/// of an exact normal sample, which this path would pay four times per
/// report.
fn unit_noise(rng: &mut Pcg64Mcg) -> f64 {
    let word = rng.next_u64();
    let sum = (word & 0xffff) + ((word >> 16) & 0xffff) + ((word >> 32) & 0xffff) + (word >> 48);
    ((sum as f64 + 2.0) / 65_536.0 - 2.0) * 3f64.sqrt()
}

/// Removes the `n`th line from `lines[start..]`.
fn drop_line(lines: &mut Vec<u8>, start: usize, n: usize) {
    let mut line_start = start;
    for _ in 0..n {
        line_start += lines[line_start..].iter().position(|&b| b == b'\n').map_or(0, |p| p + 1);
    }
    let line_end = line_start + lines[line_start..].iter().position(|&b| b == b'\n').map_or(0, |p| p + 1);
    lines.drain(line_start..line_end);
}

/// Changes one payload character so the checksum no longer matches, as a
/// bit error on the air or in transfer does.
fn corrupt_line(line: &mut [u8], rng: &mut Pcg64Mcg) {
    let Some(bang) = line.iter().position(|&b| b == b'!') else { return };
    // The payload is the sixth field: after five commas.
    let mut commas = 0;
    let mut payload_start = None;
    for (i, &b) in line.iter().enumerate().skip(bang) {
        if b == b',' {
            commas += 1;
            if commas == 5 {
                payload_start = Some(i + 1);
                break;
            }
        }
    }
    let Some(payload_start) = payload_start else { return };
    let payload_len = line[payload_start..].iter().position(|&b| b == b',').unwrap_or(0);
    if payload_len == 0 {
        return;
    }
    let at = payload_start + rng.random_range(0..payload_len);
    // Next character of the payload alphabet ('0'–'W', '`'–'w'), wrapping.
    line[at] = match line[at] {
        b'W' => b'`',
        b'w' => b'0',
        c => c + 1,
    };
}

/// A worker's sorted lines of one window, kept until all are written.
struct Run {
    chunk: Chunk,
    worker: usize,
    next: usize,
}

/// The writer: takes each window's chunks from the workers, merges their
/// sorted runs, including those of earlier windows whose lines arrive late
/// (satellite AIS), and writes lines up to each window's end; writes the
/// CSV rows; hands finished chunks back for reuse; returns the summed
/// statistics.
fn write_feed(
    outputs: FeedOutputs,
    windows: Windows,
    queues: &[(mpsc::Receiver<Chunk>, mpsc::Sender<Chunk>)],
    receiver_ids: &[String],
    progress: &(dyn Fn(Timestamp) + Sync),
) -> io::Result<FeedStats> {
    let mut nmea = outputs.nmea.map(|w| io::BufWriter::with_capacity(1 << 20, w));
    let mut noaa = outputs.noaa_csv.map(|w| io::BufWriter::with_capacity(1 << 20, w));
    let mut dma = outputs.dma_csv.map(|w| io::BufWriter::with_capacity(1 << 20, w));
    if let Some(w) = &mut noaa {
        w.write_all(csv_rows::NOAA_HEADER.as_bytes())?;
    }
    if let Some(w) = &mut dma {
        w.write_all(csv_rows::DMA_HEADER.as_bytes())?;
    }
    let mut stats = FeedStats {
        per_receiver: receiver_ids.iter().map(|id| ReceiverStats { id: id.clone(), ..Default::default() }).collect(),
        ..FeedStats::default()
    };
    let mut runs: VecDeque<Run> = VecDeque::new();
    let mut latest_receiver_time = i64::MIN;
    for window_end in windows.ends() {
        let mut chunks = Vec::with_capacity(queues.len());
        for (from_worker, _) in queues {
            chunks.push(from_worker.recv().map_err(|_| io::Error::other("a feed worker stopped"))?);
        }
        for chunk in &chunks {
            add_stats(&mut stats, &chunk.stats);
        }
        write_rows_merged(&chunks, |c| (&c.noaa, &c.noaa_items), noaa.as_mut())?;
        write_rows_merged(&chunks, |c| (&c.dma, &c.dma_items), dma.as_mut())?;
        runs.extend(chunks.into_iter().enumerate().map(|(worker, chunk)| Run { chunk, worker, next: 0 }));
        write_lines_merged(&mut runs, window_end.unix_ms(), &mut latest_receiver_time, &mut stats, nmea.as_mut())?;
        while runs.front().is_some_and(|run| run.next == run.chunk.line_items.len()) {
            let done = runs.pop_front().expect("checked");
            // A worker that has finished no longer takes chunks back.
            let _ = queues[done.worker].1.send(done.chunk);
        }
        progress(window_end);
    }
    write_lines_merged(&mut runs, i64::MAX, &mut latest_receiver_time, &mut stats, nmea.as_mut())?;
    for writer in [&mut nmea, &mut noaa, &mut dma].into_iter().flatten() {
        writer.flush()?;
    }
    Ok(stats)
}

/// Writes, in key order, every line of `runs` that arrives before
/// `due_before_ms`.
fn write_lines_merged(
    runs: &mut VecDeque<Run>,
    due_before_ms: i64,
    latest_receiver_time: &mut i64,
    stats: &mut FeedStats,
    mut out: Option<&mut impl Write>,
) -> io::Result<()> {
    let mut heads: BinaryHeap<Reverse<(LineKey, usize)>> = runs
        .iter()
        .enumerate()
        .filter_map(|(r, run)| run.chunk.line_items.get(run.next).map(|item| Reverse((item.key, r))))
        .collect();
    while let Some(Reverse((key, r))) = heads.pop() {
        if key.arrival_ms() >= due_before_ms {
            break;
        }
        // Take this run's lines up to the next run's head in one go.
        let limit = heads.peek().map_or(LineKey::MAX, |Reverse((other, _))| *other);
        let run = &mut runs[r];
        let first = run.next;
        while let Some(item) = run.chunk.line_items.get(run.next) {
            if item.key >= limit || item.key.arrival_ms() >= due_before_ms {
                heads.push(Reverse((item.key, r)));
                break;
            }
            if item.receiver_time_ms < *latest_receiver_time {
                stats.out_of_order_lines += u64::from(item.lines);
            }
            *latest_receiver_time = (*latest_receiver_time).max(item.receiver_time_ms);
            run.next += 1;
        }
        if let Some(out) = out.as_mut() {
            let items = &run.chunk.line_items[first..run.next];
            if let (Some(a), Some(b)) = (items.first(), items.last()) {
                // Consecutive items of a sorted run are contiguous bytes.
                out.write_all(&run.chunk.lines[a.start as usize..(b.start + b.len) as usize])?;
            }
        }
    }
    Ok(())
}

/// Writes the CSV rows of one window's chunks, merged in key order.
fn write_rows_merged<'c>(
    chunks: &'c [Chunk],
    rows_of: impl Fn(&'c Chunk) -> (&'c Vec<u8>, &'c Vec<RowItem>),
    out: Option<&mut impl Write>,
) -> io::Result<()> {
    let Some(out) = out else { return Ok(()) };
    let mut cursors = vec![0usize; chunks.len()];
    loop {
        let next =
            (0..chunks.len()).filter_map(|c| rows_of(&chunks[c]).1.get(cursors[c]).map(|row| (row.key, c))).min();
        let Some((_, c)) = next else { return Ok(()) };
        let (bytes, items) = rows_of(&chunks[c]);
        let row = items[cursors[c]];
        out.write_all(&bytes[row.start as usize..(row.start + row.len) as usize])?;
        cursors[c] += 1;
    }
}

fn add_stats(total: &mut FeedStats, part: &FeedStats) {
    total.transmissions += part.transmissions;
    total.position_reports += part.position_reports;
    total.static_reports += part.static_reports;
    total.unheard += part.unheard;
    total.thinned += part.thinned;
    total.receptions += part.receptions;
    total.lines += part.lines;
    total.corrupted_lines += part.corrupted_lines;
    total.lost_fragments += part.lost_fragments;
    total.damaged_messages += part.damaged_messages;
    total.noaa_rows += part.noaa_rows;
    total.dma_rows += part.dma_rows;
    for (sum, add) in total.per_receiver.iter_mut().zip(&part.per_receiver) {
        sum.messages += add.messages;
        sum.lines += add.lines;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn noise_has_zero_mean_and_unit_variance() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let samples: Vec<f64> = (0..200_000).map(|_| unit_noise(&mut rng)).collect();
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        let variance = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / samples.len() as f64;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((variance - 1.0).abs() < 0.01, "{variance}");
        assert!(samples.iter().all(|x| x.abs() <= 3.47));
        // About as many beyond 2 σ as a normal has (4.6 %).
        let beyond = samples.iter().filter(|x| x.abs() > 2.0).count() as f64 / samples.len() as f64;
        assert!((0.03..0.06).contains(&beyond), "{beyond}");
    }

    #[test]
    fn corrupting_a_line_breaks_only_its_checksum() {
        let mut rng = Pcg64Mcg::seed_from_u64(1);
        for _ in 0..200 {
            let mut line = b"\\s:a,c:1*55\\!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*23".to_vec();
            let original = line.clone();
            corrupt_line(&mut line, &mut rng);
            let changed: Vec<usize> = (0..line.len()).filter(|&i| line[i] != original[i]).collect();
            assert_eq!(changed.len(), 1);
            assert!((26..54).contains(&changed[0]), "{changed:?}");
            assert!(line[26..54].iter().all(|&c| (b'0'..=b'W').contains(&c) || (b'`'..=b'w').contains(&c)));
        }
    }

    #[test]
    fn dropping_a_fragment_keeps_the_others() {
        let mut lines = b"x\na1\na2\na3\ny\n".to_vec();
        drop_line(&mut lines, 2, 1);
        assert_eq!(lines, b"x\na1\na3\ny\n");
        drop_line(&mut lines, 2, 1);
        assert_eq!(lines, b"x\na1\ny\n");
    }
}
