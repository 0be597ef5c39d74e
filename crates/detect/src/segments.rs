//! Implausible jumps, after Global Fishing Watch's track segmenter
//! (gpsdio-segment): one MMSI's positions are split into segments, each a
//! track a real ship could have sailed — a new position joins the open
//! segment it can be reached from at no more than `max_speed_knots` (the
//! one it fits best, by the speed it reports, wins), else it opens a new
//! segment; a segment silent for `max_gap_hours` closes.
//!
//! While another track is established, a new segment is only a candidate
//! until it has `min_positions` reports: its reports are held back from the
//! detectors. A candidate that never gets there while the established
//! track goes on is not a ship: its reports are outliers — data quality,
//! not behaviour ([`OutlierKind`]), kept out of every detector. Reports
//! that cannot be anywhere (latitude ±90°, (0, 0)) and reports the track
//! explains once a coordinate's sign is flipped are outliers at once.
//!
//! An established track's latest report is given out when the next one
//! arrives: when the report before it reaches the new one well and it fits
//! neither, it was off the track (a fix stamped minutes wrong, a glitch),
//! and it becomes an outlier instead of splitting the track. A candidate
//! grows only by reports that sail like a ship, and scatter round an
//! established track (near it, heard far less often) never becomes one.
//!
//! A segment that was established while another was in use is a second
//! track of the same MMSI, reported when it closes:
//!
//! - `jump`: the positions moved away and came back (the main track is
//!   silent meanwhile) — displaced positions, spoofed or corrupted;
//! - `two_tracks`: both tracks kept reporting, positions alternating
//!   between them — one MMSI in two places at once (two transmitters with
//!   one MMSI: a cloned identity or a misconfigured transponder).

use std::collections::BTreeMap;

use crate::fix::Fix;
use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE, Timestamp};

use crate::event::{Event, EventKind, Value, hours_between};
use crate::profile::SegmentProfile;
use crate::track_path::{KEPT_ALONE_MS, KEPT_SHARED_MS, TrackPath};

/// At most this many segments are open at once; beyond, the least recently
/// used closes (a transponder spraying positions everywhere is one event,
/// not thousands of open segments).
const MAX_OPEN_SEGMENTS: usize = 6;

/// Position noise of a fix (GNSS, and AIS's 1/10 000 minute resolution).
const GNSS_NOISE_M: f64 = 30.0;

/// How fast the distance a ship covers may stray from its reported speed:
/// about a knot (speed changes, currents, rounding).
const SPEED_UNCERTAINTY_M_PER_S: f64 = 0.5;

/// Alternations between two tracks that make them two transmitters rather
/// than a jump out and back (which alternates twice).
const MIN_ALTERNATIONS_FOR_TWO_TRACKS: u32 = 4;

/// A candidate's reports must span this long to make a track: one
/// corrupted message heard three times in two seconds is not a ship.
const CANDIDATE_MIN_SPAN_MS: i64 = 60_000;

/// A second track within this distance of the first one's path, this
/// long earlier or later, for this share of its own path, is the first
/// one's ship heard with a clock that is off (satellite receivers stamp
/// minutes to hours wrong; a second ship sails its own course).
const ALONG_PATH_M: f64 = 1_000.0;
const ALONG_PATH_SHIFT_MS: i64 = 4 * 3_600_000;
const ALONG_PATH_SHARE: f64 = 0.8;
const ALONG_PATH_MIN_POINTS: u32 = 2;

/// Reports this close in time are at one time (receivers stamp to the
/// second).
const SAME_TIME_MS: i64 = 1_000;

/// A candidate grows only by reports within this many standard deviations
/// of the distance its speeds allow: glitches scattered round a ship reach
/// one another at 30 kn, but do not sail like one.
const CANDIDATE_MAX_Z: f64 = 4.0;

/// An established track's last report is a glitch when the report before
/// it reaches the next one within `GLITCH_GOOD_Z` standard deviations and
/// the last one fits neither by `GLITCH_POOR_Z`.
const GLITCH_GOOD_Z: f64 = 3.0;
const GLITCH_POOR_Z: f64 = 6.0;

/// A candidate whose reports all lie within this distance of the
/// established track, and which is heard less than this share as often as
/// the established track reports meanwhile, is scatter round it: GPS
/// glitches, not a second ship.
const SCATTER_NEAR_M: f64 = 8_000.0;
const SCATTER_MAX_SHARE: f64 = 0.2;

/// How a report fits an open segment.
#[derive(Clone, Copy, Debug)]
struct Fit {
    index: usize,
    /// The segment's last report was off the track, and is dropped.
    drop_last: bool,
}

/// How well a report follows another: [`SegmentDetector::misfit`].
#[derive(Clone, Copy, Debug)]
struct Misfit {
    /// The distance's departure from what the speeds allow, in standard
    /// deviations.
    z: f64,
    /// The standard deviation, metres.
    sigma_m: f64,
    agrees_as_candidate: bool,
}

impl Misfit {
    /// Negative log-likelihood (lower is better); taken only when segments
    /// compete for a report (a logarithm per report otherwise).
    fn score(&self) -> f64 {
        self.z * self.z + 2.0 * self.sigma_m.ln()
    }
}

/// Why a report is data quality, not behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutlierKind {
    /// Latitude ±90° or the point (0, 0): where no ship reports from.
    Impossible,
    /// The track explains it once the sign of its longitude or latitude is
    /// flipped (−32° sent as +32°).
    SignFlip,
    /// Another report at the same second puts the ship elsewhere, and the
    /// track goes on from the other.
    SameTime,
    /// Off the track, and the track went on without it.
    OffTrack,
    /// A second track along the first one's own path, hours earlier or
    /// later: the same ship, through a receiver whose clock is off.
    TimeShifted,
    /// On an MMSI no one station can have (zero, 123456789, 111111111: a
    /// transponder left at its default): any number of boats.
    InvalidMmsi,
}

impl OutlierKind {
    pub const ALL: [OutlierKind; 6] = [
        OutlierKind::Impossible,
        OutlierKind::SignFlip,
        OutlierKind::SameTime,
        OutlierKind::OffTrack,
        OutlierKind::TimeShifted,
        OutlierKind::InvalidMmsi,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutlierKind::Impossible => "impossible_position",
            OutlierKind::SignFlip => "sign_flip",
            OutlierKind::SameTime => "same_time_elsewhere",
            OutlierKind::OffTrack => "off_track",
            OutlierKind::TimeShifted => "time_shifted",
            OutlierKind::InvalidMmsi => "invalid_mmsi",
        }
    }
}

/// What the segmenter made of a report, in the order the vessel's
/// detectors are to take it. A struct with the report first, not an enum
/// carrying it: every report passes through one, and the enum's copies went
/// through temporaries at offsets their reads did not match (a stalled load
/// per report).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub fix: Fix,
    pub what: Placement,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Placement {
    /// A report on track `id`. A candidate track's reports come when it is
    /// established, after reports of other tracks that are newer.
    OnTrack(u32),
    /// A report that is data quality, not behaviour.
    Outlier(OutlierKind),
    /// Track `id` closed (the report is its last); `second`: it was a
    /// second track.
    Closed { id: u32, second: bool },
    /// Second track `id`, which closed, ran along track `of`'s path hours
    /// off: the same ship's reports stamped wrong. `positions` reports from
    /// the report (its first) on; no jump, no second ship.
    TimeShifted { id: u32, of: u32, positions: u32 },
}

impl Placed {
    fn on_track(fix: Fix, id: u32) -> Placed {
        Placed { fix, what: Placement::OnTrack(id) }
    }

    fn outlier(fix: Fix, kind: OutlierKind) -> Placed {
        Placed { fix, what: Placement::Outlier(kind) }
    }
}

/// One vessel's segmenter; feed its positions in time order.
pub struct SegmentDetector {
    profile: SegmentProfile,
    open: Vec<Segment>,
    next_id: u32,
    /// The segment the latest position joined.
    current: Option<u32>,
    /// The established segment the latest position on one joined.
    current_established: Option<u32>,
}

struct Segment {
    id: u32,
    first: Fix,
    last: Fix,
    /// Whether `last` of an established track is still to be given out (it
    /// waits for the next report to confirm it).
    last_pending: bool,
    /// The report before `last`, while `last` is pending.
    before_last: Option<Fix>,
    positions: u32,
    /// A candidate's reports, held back until it is established; with what
    /// they are if it never is.
    held: Vec<(Fix, OutlierKind)>,
    established: bool,
    /// Reports the established tracks took while this one was a
    /// candidate: any contradicts a ship, so unestablished it is noise.
    contradictions: u32,
    /// Whether each of this candidate's reports lay within
    /// [`SCATTER_NEAR_M`] of the established track's latest report.
    near_established: bool,
    /// The segment in use when this one opened, and its last position then:
    /// the track this one departed from.
    departed_from: Option<(u32, Fix)>,
    /// Positions that moved from this segment to the one it departed from
    /// or back: 2 for a jump out and back, many for two transmitters.
    alternations: u32,
    /// The first position of the departed-from track after this segment
    /// last reported (the return from a jump).
    returned_to: Option<Fix>,
    /// The departed-from track's last position while this one was open.
    partner_last: Option<Fix>,
    /// Where the track went (the last hours), each point marked once it is
    /// found along the departed-from track's path.
    path: TrackPath,
}

impl Segment {
    /// Gives out the established track's pending last report, if any.
    fn give_out_pending(&mut self, placed: &mut Vec<Placed>) {
        if self.last_pending {
            self.last_pending = false;
            self.before_last = None;
            placed.push(Placed::on_track(self.last, self.id));
        }
    }

    /// Whether this candidate is scatter round an established track: its
    /// reports all lie near that track, and it is heard far less often
    /// (GPS glitches a few kilometres off; a second transmitter reports at
    /// its own rate).
    fn is_scatter(&self) -> bool {
        self.near_established && SCATTER_MAX_SHARE * f64::from(self.contradictions) > f64::from(self.positions)
    }
}

impl SegmentDetector {
    pub fn new(profile: SegmentProfile) -> SegmentDetector {
        SegmentDetector { profile, open: Vec::new(), next_id: 0, current: None, current_established: None }
    }

    /// Places `row`: what became of it and of earlier reports it settles
    /// is added to `placed`, in order; events of second tracks that closed
    /// to `events`.
    pub fn feed(&mut self, row: &Fix, events: &mut Vec<Event>, placed: &mut Vec<Placed>) {
        if impossible(row) {
            placed.push(Placed::outlier(*row, OutlierKind::Impossible));
            return;
        }
        self.close_silent(row, events, placed);
        let fit = self.best_fit(row, row.position());
        let best = fit.map(|fit| fit.index);
        // A report no established track explains as it is, but does with a
        // sign flipped, is the track's (even when earlier flipped reports
        // have made a candidate of their own).
        if best.is_none_or(|i| !self.open[i].established) && self.explained_flipped(row) {
            placed.push(Placed::outlier(*row, OutlierKind::SignFlip));
            return;
        }
        if let Some(Fit { index, drop_last: true }) = fit {
            let segment = &mut self.open[index];
            placed.push(Placed::outlier(segment.last, OutlierKind::OffTrack));
            segment.last = segment.before_last.take().expect("a last report is dropped only with one before it");
            segment.last_pending = false;
            segment.positions -= 1;
        }
        let joined = match best {
            Some(i) => {
                let keep_ms = if self.open.len() > 1 { KEPT_SHARED_MS } else { KEPT_ALONE_MS };
                if self.open[i].last_pending {
                    let (last, id) = (self.open[i].last, self.open[i].id);
                    self.give_out_pending_before(last.time, id, placed);
                    self.open[i].give_out_pending(placed);
                }
                let segment = &mut self.open[i];
                segment.before_last = Some(segment.last);
                segment.last = *row;
                segment.positions += 1;
                segment.path.push(row.time, row.position(), keep_ms);
                if segment.established {
                    segment.last_pending = true;
                } else {
                    let kind = self.conflict_kind(row);
                    let near = self.near_established(row);
                    let segment = &mut self.open[i];
                    segment.held.push((*row, kind));
                    segment.near_established &= near;
                    if segment.positions >= self.profile.min_positions
                        && segment.last.time.ms_since(segment.first.time) >= CANDIDATE_MIN_SPAN_MS
                        && !segment.is_scatter()
                    {
                        segment.established = true;
                        segment.held.pop();
                        segment.last_pending = true;
                        let held = std::mem::take(&mut segment.held);
                        let id = segment.id;
                        // The other tracks' pending reports came first.
                        self.give_out_pending_before(row.time, id, placed);
                        placed.extend(held.into_iter().map(|(fix, _)| Placed::on_track(fix, id)));
                    }
                }
                let id = self.open[i].id;
                self.compare_along(id, row);
                id
            }
            None => {
                let established_open = self.open.iter().any(|s| s.established);
                if self.open.len() == MAX_OPEN_SEGMENTS {
                    let oldest =
                        (0..self.open.len()).min_by_key(|&i| self.open[i].last.time).expect("segments are open");
                    let segment = self.open.remove(oldest);
                    self.close(segment, events, placed);
                }
                let departed_from = self
                    .current_established
                    .and_then(|id| self.open.iter().find(|s| s.id == id))
                    .map(|s| (s.id, s.last));
                let id = self.next_id;
                self.next_id += 1;
                let established = !established_open || self.profile.min_positions <= 1;
                let held = if established { Vec::new() } else { vec![(*row, self.conflict_kind(row))] };
                self.open.push(Segment {
                    id,
                    first: *row,
                    last: *row,
                    last_pending: established,
                    before_last: None,
                    positions: 1,
                    held,
                    established,
                    contradictions: 0,
                    near_established: self.near_established(row),
                    departed_from,
                    alternations: 0,
                    returned_to: None,
                    partner_last: None,
                    path: TrackPath::default(),
                });
                self.open.last_mut().expect("just pushed").path.push(row.time, row.position(), KEPT_SHARED_MS);
                self.compare_along(id, row);
                id
            }
        };
        if let Some(previous) = self.current.filter(|&p| p != joined) {
            self.record_alternation(previous, joined, row);
        }
        self.current = Some(joined);
        if self.open.iter().any(|s| s.id == joined && s.established) {
            self.current_established = Some(joined);
            self.mark_same_time_twins(row);
            for candidate in self.open.iter_mut().filter(|s| !s.established) {
                candidate.contradictions += 1;
            }
        }
    }

    /// A candidate's latest report at the same second as `row`, which an
    /// established track took, and out of its reach, is what it will be if
    /// the candidate never becomes a track: the same report twice, once
    /// wrong (heard in either order).
    fn mark_same_time_twins(&mut self, row: &Fix) {
        let here = row.position();
        let reach = |s: &Segment| self.misfit(&s.last, row, here).is_some();
        let twins: Vec<usize> = (0..self.open.len())
            .filter(|&i| {
                let s = &self.open[i];
                !s.established && s.last.time.ms_since(row.time).abs() <= SAME_TIME_MS && !reach(s)
            })
            .collect();
        for i in twins {
            if let Some((_, kind)) = self.open[i].held.last_mut() {
                *kind = OutlierKind::SameTime;
            }
        }
    }

    /// Whether `row` lies within [`SCATTER_NEAR_M`] of the established
    /// track's latest report.
    fn near_established(&self, row: &Fix) -> bool {
        self.current_established
            .and_then(|id| self.open.iter().find(|s| s.id == id))
            .is_some_and(|s| s.last.position().near_distance_m(row.position()) <= SCATTER_NEAR_M)
    }

    /// Gives out the pending last reports, up to `t`, of the established
    /// tracks other than `except`: reports reach the detectors in time
    /// order wherever the segmenter can keep it.
    fn give_out_pending_before(&mut self, t: Timestamp, except: u32, placed: &mut Vec<Placed>) {
        for other in self.open.iter_mut().filter(|s| s.id != except && s.last.time <= t) {
            other.give_out_pending(placed);
        }
    }

    /// The open segment `row` fits best, if any. A short segment must fit
    /// clearly better than a long one to win (a candidate of one report
    /// against a track of hundreds: the track, unless it is far off). A
    /// candidate takes only reports that agree with its speeds; an
    /// established track takes any within reach, but a last report off the
    /// track is dropped ([`Fit::drop_last`]).
    fn best_fit(&self, row: &Fix, here: LatLon) -> Option<Fit> {
        let compete = self.open.len() > 1;
        // Plain locals, not a tuple through `min_by`: this runs for every
        // report, and the tuple's copies cost more than the comparisons.
        let (mut best, mut best_score, mut best_time) = (None, f64::INFINITY, Timestamp::from_unix_ms(i64::MIN));
        for (index, s) in self.open.iter().enumerate() {
            let Some((misfit, drop_last)) = self.fit_to(s, row, here) else { continue };
            let score = if compete { misfit.score() + short_segment_penalty(s.positions) } else { 0.0 };
            // Equal fits: the track heard last.
            if best.is_none() || score < best_score || (score == best_score && s.last.time > best_time) {
                (best, best_score, best_time) = (Some(Fit { index, drop_last }), score, s.last.time);
            }
        }
        best
    }

    /// How `row` fits segment `s`, if it can join it, and whether the
    /// segment's last report is then dropped.
    fn fit_to(&self, s: &Segment, row: &Fix, here: LatLon) -> Option<(Misfit, bool)> {
        if s.established {
            let keep = self.misfit(&s.last, row, here);
            // A last report that fits the new one is no glitch (the common
            // case: the other fits are not computed).
            let glitch = keep.is_none_or(|k| k.z > GLITCH_POOR_Z).then(|| self.glitch_before(s, row, here));
            match glitch.flatten() {
                Some(misfit) => Some((misfit, true)),
                None => Some((keep?, false)),
            }
        } else {
            let fit = self.misfit(&s.last, row, here)?;
            (speeds_agree(&s.last, row, here) && fit.agrees_as_candidate).then_some((fit, false))
        }
    }

    /// Whether the established track `s`'s last report, still pending, was
    /// off the track, given that it does not fit `row`: the report before
    /// it reaches `row` well, and does not reach the last one either (a fix
    /// stamped minutes wrong, a glitch). Then the misfit of `row` from the
    /// report before.
    fn glitch_before(&self, s: &Segment, row: &Fix, here: LatLon) -> Option<Misfit> {
        let before = s.before_last.as_ref().filter(|_| s.last_pending)?;
        let skip = self.misfit(before, row, here)?;
        if skip.z > GLITCH_GOOD_Z {
            return None;
        }
        let poor = |fit: Option<Misfit>| fit.is_none_or(|f| f.z > GLITCH_POOR_Z);
        poor(self.misfit(before, &s.last, s.last.position())).then_some(skip)
    }

    /// Whether an established track explains `row` with the sign of its
    /// longitude or latitude flipped.
    fn explained_flipped(&self, row: &Fix) -> bool {
        let flipped = [
            LatLon { lat_deg: row.lat_deg, lon_deg: -row.lon_deg },
            LatLon { lat_deg: -row.lat_deg, lon_deg: row.lon_deg },
        ];
        flipped
            .iter()
            .filter(|p| p.lat_deg != row.lat_deg || p.lon_deg != row.lon_deg)
            .any(|&p| self.open.iter().filter(|s| s.established).any(|s| self.misfit(&s.last, row, p).is_some()))
    }

    /// What a held report is if its candidate never becomes a track: at
    /// one time with the established track's latest report, or off track.
    fn conflict_kind(&self, row: &Fix) -> OutlierKind {
        let established_last = self.current_established.and_then(|id| self.open.iter().find(|s| s.id == id));
        match established_last {
            Some(s) if row.time.ms_since(s.last.time).abs() <= SAME_TIME_MS => OutlierKind::SameTime,
            _ => OutlierKind::OffTrack,
        }
    }

    /// Whether the segment `id` departed from another (a second track).
    pub fn is_second_track(&self, id: u32) -> bool {
        self.open.iter().any(|s| s.id == id && s.departed_from.is_some())
    }

    /// At the end of the data, closes every segment (oldest first, so a
    /// partner's last position is known before the segments that departed
    /// from it are reported).
    pub fn finish(&mut self, events: &mut Vec<Event>, placed: &mut Vec<Placed>) {
        let mut pending: Vec<&mut Segment> = self.open.iter_mut().filter(|s| s.last_pending).collect();
        pending.sort_by_key(|s| s.last.time);
        for segment in pending {
            segment.give_out_pending(placed);
        }
        while !self.open.is_empty() {
            let segment = self.open.remove(0);
            self.close(segment, events, placed);
        }
        self.current = None;
        self.current_established = None;
    }

    /// How badly `row` fits a segment whose last report is `from`: none if
    /// out of reach (the speed limit, plus the noise allowance); else a
    /// negative log-likelihood: the distance travelled against those the
    /// two reports' speeds give, with an uncertainty that grows with the time
    /// between (position noise, plus about a knot). A track heard seconds
    /// ago that the report continues fits far better than one silent for
    /// hours, whose reach has grown to take in anything — even when the
    /// silent one's distance happens to match.
    fn misfit(&self, from: &Fix, row: &Fix, here: LatLon) -> Option<Misfit> {
        let seconds = row.time.ms_since(from.time).unsigned_abs() as f64 / 1000.0;
        let reach_m =
            self.profile.max_speed_knots * METRES_PER_NAUTICAL_MILE / 3600.0 * seconds + self.profile.position_noise_m;
        let metres = from.position().near_distance_within_m(here, reach_m)?;
        // Between the speeds the two reports give (a ship speeding up or
        // slowing down covers a distance in between).
        let metres_at = |knots: f32| f64::from(knots) * METRES_PER_NAUTICAL_MILE / 3600.0 * seconds;
        let (low_m, high_m) = match (from.sog_knots, row.sog_knots) {
            (Some(a), Some(b)) => (metres_at(a.min(b)), metres_at(a.max(b))),
            (Some(k), None) | (None, Some(k)) => (metres_at(k), metres_at(k)),
            (None, None) => (metres, metres),
        };
        let off_m = (low_m - metres).max(metres - high_m).max(0.0);
        let sigma_m = SPEED_UNCERTAINTY_M_PER_S * seconds + GNSS_NOISE_M;
        let z = off_m / sigma_m;
        // A reported 0 on both says little (many exports write it for
        // "unknown"): a candidate is not held to it.
        let both_zero = from.sog_knots.unwrap_or(0.0) < 0.5 && row.sog_knots.unwrap_or(0.0) < 0.5;
        Some(Misfit { z, sigma_m, agrees_as_candidate: both_zero || z <= CANDIDATE_MAX_Z })
    }

    fn record_alternation(&mut self, previous: u32, joined: u32, row: &Fix) {
        for segment in &mut self.open {
            let Some((partner, _)) = &segment.departed_from else { continue };
            if segment.id == previous && *partner == joined {
                // Back on the track it departed from.
                segment.alternations += 1;
                segment.returned_to.get_or_insert(*row);
            } else if segment.id == joined && *partner == previous {
                segment.alternations += 1;
            }
        }
    }

    fn close_silent(&mut self, row: &Fix, events: &mut Vec<Event>, placed: &mut Vec<Placed>) {
        // In milliseconds: a division per open segment per report was a
        // measurable part of the run.
        let max_gap_ms = self.profile.max_gap_hours * 3_600_000.0;
        while let Some(i) = self.open.iter().position(|s| row.time.ms_since(s.last.time) as f64 > max_gap_ms) {
            let segment = self.open.remove(i);
            if self.current == Some(segment.id) {
                self.current = None;
            }
            if self.current_established == Some(segment.id) {
                self.current_established = None;
            }
            self.close(segment, events, placed);
        }
    }

    /// Closes a segment: a candidate that contradicted an established
    /// track leaves its reports as outliers; one that did not (the vessel's
    /// only track, short) gives them to the detectors now. Tells the
    /// segments that departed from it where it ended, and reports it if it
    /// was a second track.
    fn close(&mut self, mut segment: Segment, events: &mut Vec<Event>, placed: &mut Vec<Placed>) {
        segment.give_out_pending(placed);
        if !segment.established {
            if segment.contradictions > 0 {
                placed.extend(segment.held.drain(..).map(|(fix, kind)| Placed::outlier(fix, kind)));
                return;
            }
            placed.extend(segment.held.drain(..).map(|(fix, _)| Placed::on_track(fix, segment.id)));
        }
        for other in &mut self.open {
            if other.departed_from.as_ref().is_some_and(|(id, _)| *id == segment.id) {
                other.partner_last = Some(segment.last);
            }
        }
        placed.push(Placed {
            fix: segment.last,
            what: Placement::Closed { id: segment.id, second: segment.departed_from.is_some() },
        });
        if let Some((partner, departed_at)) = &segment.departed_from
            && segment.positions >= self.profile.min_positions
        {
            if self.along_partner(&segment) {
                placed.push(Placed {
                    fix: segment.first,
                    what: Placement::TimeShifted { id: segment.id, of: *partner, positions: segment.positions },
                });
            } else {
                events.push(self.event(&segment, departed_at));
            }
        }
    }

    /// Compares a report that joined track `id` with the path of the track
    /// it departed from (is it where that ship was, hours ago?), and marks
    /// the points it passes on the paths of the tracks that departed from
    /// it (were they where this ship is now, hours early?).
    fn compare_along(&mut self, id: u32, row: &Fix) {
        let here = row.position();
        let partner = self.open.iter().find(|s| s.id == id).and_then(|s| s.departed_from.map(|(p, _)| p));
        let along_partner = partner
            .and_then(|p| self.open.iter().find(|s| s.id == p))
            .and_then(|p| p.path.passes(row.time, here, ALONG_PATH_M, ALONG_PATH_SHIFT_MS));
        for segment in &mut self.open {
            if segment.id == id {
                if let Some(along) = along_partner {
                    segment.path.mark_latest(along);
                }
            } else if segment.departed_from.is_some_and(|(p, _)| p == id) {
                segment.path.mark_passed(row.time, here, ALONG_PATH_M, ALONG_PATH_SHIFT_MS);
            }
        }
    }

    /// Whether a second track ran along the path of the track it departed
    /// from: within [`ALONG_PATH_M`], [`ALONG_PATH_SHIFT_MS`] earlier or
    /// later, for [`ALONG_PATH_SHARE`] of its path.
    fn along_partner(&self, segment: &Segment) -> bool {
        let (points, along) = segment.path.along_count();
        points >= ALONG_PATH_MIN_POINTS && f64::from(along) >= ALONG_PATH_SHARE * f64::from(points)
    }

    fn event(&self, segment: &Segment, departed_at: &Fix) -> Event {
        let two_tracks = segment.alternations >= MIN_ALTERNATIONS_FOR_TWO_TRACKS;
        let (start, end) = if two_tracks {
            // While both reported: until the earlier of the two last positions.
            let partner_end = segment.partner_last.as_ref().map_or(segment.last.time, |p| p.time);
            (segment.first.time, segment.last.time.min(partner_end).max(segment.first.time))
        } else {
            (segment.first.time, segment.last.time)
        };
        let offset_m = departed_at.position().distance_m(segment.first.position());
        let jump_hours = hours_between(departed_at.time, segment.first.time);
        let mut attributes = BTreeMap::new();
        attributes.insert("mode", Value::Text(if two_tracks { "two_tracks" } else { "jump" }.to_owned()));
        attributes.insert("positions", Value::Number(f64::from(segment.positions)));
        attributes.insert("offset_km", Value::Number(offset_m / 1000.0));
        if jump_hours > 0.0 {
            attributes.insert("implied_speed_knots", Value::Number(offset_m / METRES_PER_NAUTICAL_MILE / jump_hours));
        }
        attributes.insert("alternations", Value::Number(f64::from(segment.alternations)));
        let mut evidence = vec![
            departed_at.evidence("last position on the main track"),
            segment.first.evidence("first position of the second track"),
            segment.last.evidence("last position of the second track"),
        ];
        if let Some(back) = &segment.returned_to {
            evidence.push(back.evidence("next position on the main track"));
        }
        let confidence = match (two_tracks, segment.positions) {
            (true, _) => 4,
            (false, n) if n >= 20 => 3,
            _ => 2,
        };
        Event {
            id: Event::make_id(EventKind::Spoofing, &[segment.first.mmsi], start, &self.profile.name),
            kind: EventKind::Spoofing,
            mmsis: vec![segment.first.mmsi],
            start,
            end,
            position: Some(segment.first.position()),
            place: None,
            attributes,
            confidence,
            profile: self.profile.name.clone(),
            evidence,
        }
    }
}

/// Whether the speed implied between two reports an hour or more apart is
/// one their reported speeds allow (half as fast again, plus 3 kn): what a
/// candidate track must show to grow across hours. Over hours the 30 kn
/// reach takes in tens of miles, and corrupted reports — bit errors
/// cluster near the true position with the sign flipped — chain into a
/// "ship" whose implied speeds match nothing it reports. Minutes apart,
/// the reach is test enough; a reported 0 (what many exports write for
/// "unknown") says nothing.
fn speeds_agree(from: &Fix, row: &Fix, here: LatLon) -> bool {
    let (Some(a), Some(b)) = (from.sog_knots, row.sog_knots) else { return true };
    let hours = row.time.ms_since(from.time).unsigned_abs() as f64 / 3_600_000.0;
    let reported = f64::from(a.max(b));
    if hours < 1.0 || reported < 0.5 {
        return true;
    }
    from.position().near_distance_m(here) / METRES_PER_NAUTICAL_MILE / hours <= 1.5 * reported + 3.0
}

/// Where no ship reports from: a pole, or (0, 0) — the position of a
/// receiver or decoder that had none.
fn impossible(row: &Fix) -> bool {
    row.lat_deg.abs() >= 90.0 || (row.lat_deg == 0.0 && row.lon_deg == 0.0)
}

/// What a segment of `positions` reports pays to win a report, in the units
/// of [`SegmentDetector::misfit`]: about 4.6 for one report, 1.4 for three,
/// nothing for tens (a track's history is evidence that it is the ship;
/// after GFW's weighting of short segments).
fn short_segment_penalty(positions: u32) -> f64 {
    let a = f64::from(positions) / 10.0;
    2.0 * ((1.0 + a * a).sqrt() / a).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    const MINUTE_MS: i64 = 60_000;

    fn run(points: &[(i64, f64, f64)]) -> Vec<Event> {
        run_placed(points).0
    }

    /// The events, and what became of each report, in order.
    fn run_placed(points: &[(i64, f64, f64)]) -> (Vec<Event>, Vec<Placed>) {
        let mut d = SegmentDetector::new(SegmentProfile::default());
        let (mut events, mut placed) = (Vec::new(), Vec::new());
        for &(minute, lat, lon) in points {
            d.feed(&position(8, minute * MINUTE_MS, lat, lon, 10.0), &mut events, &mut placed);
        }
        d.finish(&mut events, &mut placed);
        (events, placed)
    }

    #[test]
    fn outliers_are_data_quality_and_never_reach_a_track() {
        let mut points: Vec<_> = sailing(0..60).collect();
        // A wild fix 30 km off instead of minute 20; at minute 30 a second report
        // at the same second 1.2 km away; at 40–42 the longitude's sign
        // flipped three times running; at 50 (0, 0) and the South Pole.
        points[20] = (20, 41.73, 131.05);
        let (_, lat, lon) = sailing(30..31).next().unwrap();
        points.insert(31, (30, lat + 0.011, lon));
        for m in 40..43 {
            let (_, lat, lon) = sailing(m..m + 1).next().unwrap();
            points.push((m, lat, -lon));
        }
        points.push((50, 0.0, 0.0));
        points.push((50, -90.0, 131.1));
        points.sort_by_key(|p| p.0);
        let (events, placed) = run_placed(&points);
        assert!(events.is_empty(), "{events:#?}");
        let outliers: Vec<(i64, OutlierKind)> = placed
            .iter()
            .filter_map(|p| match p.what {
                Placement::Outlier(kind) => Some((p.fix.time.unix_ms() / MINUTE_MS, kind)),
                _ => None,
            })
            .collect();
        let mut expected = vec![
            (20, OutlierKind::OffTrack),
            (30, OutlierKind::SameTime),
            (40, OutlierKind::SignFlip),
            (41, OutlierKind::SignFlip),
            (42, OutlierKind::SignFlip),
            (50, OutlierKind::Impossible),
            (50, OutlierKind::Impossible),
        ];
        let mut sorted = outliers.clone();
        sorted.sort();
        expected.sort();
        assert_eq!(sorted, expected);
        // Every other report is on the one track, in time order.
        let on_track: Vec<(i64, u32)> = placed
            .iter()
            .filter_map(|p| match p.what {
                Placement::OnTrack(id) => Some((p.fix.time.unix_ms(), id)),
                _ => None,
            })
            .collect();
        assert_eq!(on_track.len(), 59);
        assert!(on_track.iter().all(|&(_, id)| id == 0));
        assert!(on_track.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn a_fix_stamped_minutes_wrong_is_an_outlier_not_a_second_track() {
        // Minute 30 reports where the ship is at minute 50 (40 kn from
        // minute 29: within reach); minute 31 is then out of reach from it,
        // but on track from minute 29.
        let mut points: Vec<_> = sailing(0..120).collect();
        let (_, lat, lon) = sailing(50..51).next().unwrap();
        points[30] = (30, lat, lon);
        let (events, placed) = run_placed(&points);
        assert!(events.is_empty(), "{events:#?}");
        let outliers: Vec<_> = placed
            .iter()
            .filter_map(|p| match p.what {
                Placement::Outlier(kind) => Some((p.fix.time.unix_ms() / MINUTE_MS, kind)),
                _ => None,
            })
            .collect();
        assert_eq!(outliers, vec![(30, OutlierKind::OffTrack)]);
        let tracks: std::collections::BTreeSet<u32> = placed
            .iter()
            .filter_map(|p| match p.what {
                Placement::OnTrack(id) => Some(id),
                _ => None,
            })
            .collect();
        assert_eq!(tracks.len(), 1);
    }

    /// A ship sailing east at ~10 kn: one position a minute.
    fn sailing(minutes: std::ops::Range<i64>) -> impl Iterator<Item = (i64, f64, f64)> {
        minutes.map(|m| (m, 42.0, 131.0 + m as f64 * 0.00226))
    }

    #[test]
    fn a_plausible_track_is_one_segment() {
        assert!(run(&sailing(0..600).collect::<Vec<_>>()).is_empty());
    }

    #[test]
    fn positions_displaced_for_two_hours_are_one_jump() {
        let mut points: Vec<_> = sailing(0..60).collect();
        // 60 km south for two hours, then back where the ship really is.
        points.extend(sailing(60..180).map(|(m, lat, lon)| (m, lat - 0.54, lon)));
        points.extend(sailing(180..240));
        let events = run(&points);
        assert_eq!(events.len(), 1, "{events:#?}");
        let e = &events[0];
        assert_eq!(e.attributes["mode"], Value::Text("jump".into()));
        assert_eq!((e.start.unix_ms(), e.end.unix_ms()), (60 * MINUTE_MS, 179 * MINUTE_MS));
        assert_eq!(e.evidence.len(), 4);
        assert_eq!(e.evidence[3].line, (180 * MINUTE_MS) as u64);
    }

    #[test]
    fn a_long_displacement_stays_one_jump_when_the_main_track_could_reach_it() {
        // 88 km south for six hours: after three hours the main track's
        // reach (30 kn) takes the displaced positions in, but the displaced
        // track, a minute old and at the speed reported, keeps them.
        let mut points: Vec<_> = sailing(0..60).collect();
        points.extend(sailing(60..420).map(|(m, lat, lon)| (m, lat - 0.8, lon)));
        points.extend(sailing(420..480));
        let events = run(&points);
        assert_eq!(events.len(), 1, "{events:#?}");
        assert_eq!(events[0].attributes["mode"], Value::Text("jump".into()));
        assert_eq!(events[0].attributes["alternations"], Value::Number(2.0));
    }

    #[test]
    fn two_ships_on_one_mmsi_are_two_tracks_while_both_report() {
        // Ship A sails all along; from minute 60 to 240 ship B, 80 km north
        // and sailing alike, sends the same MMSI every other minute.
        let mut points = Vec::new();
        for m in 0..400 {
            let (_, lat, lon) = sailing(m..m + 1).next().unwrap();
            if (60..240).contains(&m) && m % 2 == 1 {
                points.push((m, lat + 0.72, lon + 0.3));
            } else {
                points.push((m, lat, lon));
            }
        }
        let events = run(&points);
        assert_eq!(events.len(), 1, "{events:#?}");
        assert_eq!(events[0].attributes["mode"], Value::Text("two_tracks".into()));
        assert_eq!(events[0].confidence, 4);
        assert_eq!((events[0].start.unix_ms(), events[0].end.unix_ms()), (61 * MINUTE_MS, 239 * MINUTE_MS));
    }

    #[test]
    fn single_bad_fixes_and_the_speed_limit_boundary() {
        let mut points: Vec<_> = sailing(0..30).collect();
        points.push((30, 10.0, 10.0));
        points.extend(sailing(31..60));
        assert!(run(&points).is_empty(), "one wild fix is noise");
        // 30 kn is plausible, 31 kn is not (plus the 0.5 km noise allowance).
        let noise_nm = SegmentProfile::default().position_noise_m / METRES_PER_NAUTICAL_MILE;
        let deg_for = |nm: f64| (nm + noise_nm) / 60.0;
        let fast =
            |knots: f64| -> Vec<_> { (0..10).map(|h| (h * 60, 40.0 + h as f64 * deg_for(knots), 135.0)).collect() };
        assert!(run(&fast(29.9)).is_empty());
        let events = run(&fast(31.0));
        assert!(events.is_empty(), "each hourly fix opens its own segment of one position: {events:#?}");
    }
}
