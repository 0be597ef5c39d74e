//! A named vessel's itinerary steps → its plan, with the AIS switches,
//! draught and destination changes and cargo operations the steps carry.

use std::collections::HashMap;
use std::sync::Arc;

use toml::Spanned;
use tumen_model::{LatLon, Timestamp};

use super::format::{OnOff, StepSpec};
use super::stable_fraction;
use super::values::Target;
use crate::path::Path;
use crate::plan::{Activity, Motion, Plan, knots_to_mps};
use crate::world::{CargoOperation, Encounter, Interval, Place, Timeline};

/// A route of the scenario: its points (sailed round capes), and whether it
/// is a waterway the map calls land, sailed as drawn.
pub(super) struct Route {
    pub points: Vec<LatLon>,
    pub waterway: bool,
}

/// What the steps may refer to.
pub(super) struct Context<'a> {
    pub places: &'a [Place],
    pub place_ids: &'a HashMap<String, usize>,
    pub routes: &'a HashMap<String, Route>,
    pub encounters: &'a [Encounter],
    pub encounter_ids: &'a HashMap<String, usize>,
    /// Index of the vessel being compiled.
    pub vessel: usize,
    pub vessel_id: &'a str,
    pub world_end: Timestamp,
}

/// The compiled itinerary.
pub(super) struct Compiled {
    pub plan: Plan,
    /// AIS switched on (`true`) or off at these instants, in time order.
    pub ais_switches: Vec<(Timestamp, bool)>,
    pub draught_m: Timeline<f64>,
    pub destination: Timeline<String>,
    pub cargo: Vec<CargoOperation>,
    /// Encounters this vessel's `meet` steps take part in.
    pub meets: Vec<usize>,
}

/// An error at a byte offset of the scenario text.
pub(super) type StepError = (usize, String);

/// Where the vessel is resting between steps.
#[derive(Clone, Copy, PartialEq)]
enum Rest {
    Moored(usize),
    Anchored(Option<usize>),
    AtSea,
}

struct Cursor {
    time: Timestamp,
    position: LatLon,
    heading_deg: f64,
    rest: Rest,
}

const DEFAULT_LOITER_RADIUS_M: f64 = 1000.0;
const DEFAULT_LOITER_KNOTS: f64 = 1.5;
/// Loitering as Global Fishing Watch defines it (FACTS.md §2).
const LOITERING_BELOW_KNOTS: f64 = 2.0;
/// Circles within this radius are loitering at any speed (confinement).
const CONFINED_RADIUS_M: f64 = 1852.0;
const DEFAULT_FISHING_RADIUS_M: f64 = 2000.0;
const DEFAULT_FISHING_KNOTS: f64 = 3.5;

/// Compiles `steps`; the vessel is at `at` from `start`.
#[allow(clippy::too_many_arguments)]
pub(super) fn compile(
    context: &Context<'_>,
    steps: &[Spanned<StepSpec>],
    at: &Target,
    at_offset: usize,
    start: Timestamp,
    service_speed_knots: f64,
    initial_draught_m: f64,
    initial_destination: String,
) -> Result<Compiled, StepError> {
    let (position, rest) = match at {
        Target::Place(id) => {
            let place = context.place(id, at_offset)?;
            (context.berth(place), Rest::Moored(place))
        }
        Target::Point(p) => (*p, Rest::AtSea),
    };
    let mut compiler = Compiler {
        context,
        plan: Plan::new(),
        cursor: Cursor {
            time: start,
            position,
            heading_deg: 360.0 * stable_fraction(&[context.vessel_id, "heading"]),
            rest,
        },
        compiled_switches: Vec::new(),
        draught_m: Timeline::new(initial_draught_m),
        destination: Timeline::new(initial_destination),
        cargo: Vec::new(),
        meets: Vec::new(),
        service_speed_knots,
    };
    for (number, step) in steps.iter().enumerate() {
        compiler.step(step.get_ref(), step.span().start).map_err(|(offset, message)| {
            (offset, format!("step {} of vessel \"{}\": {message}", number + 1, context.vessel_id))
        })?;
    }
    let end = context.world_end.max(compiler.cursor.time);
    compiler.hold_until(end);
    let mut ais_switches = compiler.compiled_switches;
    ais_switches.sort_by_key(|(t, _)| *t);
    Ok(Compiled {
        plan: compiler.plan,
        ais_switches,
        draught_m: compiler.draught_m,
        destination: compiler.destination,
        cargo: compiler.cargo,
        meets: compiler.meets,
    })
}

impl Context<'_> {
    fn place(&self, id: &str, offset: usize) -> Result<usize, StepError> {
        self.place_ids.get(id).copied().ok_or_else(|| (offset, format!("unknown place \"{id}\"")))
    }

    /// The vessel's berth at a place: a fixed spot within the inner part of
    /// the place, different for each vessel.
    fn berth(&self, place: usize) -> LatLon {
        self.spot(place, "berth")
    }

    fn spot(&self, place: usize, purpose: &str) -> LatLon {
        let place_ref = &self.places[place];
        let spread_m = place_ref.radius_m.map_or(300.0, |r| (r * 0.3).min(600.0));
        let bearing = 360.0 * stable_fraction(&[self.vessel_id, &place_ref.id, purpose, "bearing"]);
        let distance = spread_m * stable_fraction(&[self.vessel_id, &place_ref.id, purpose, "distance"]).sqrt();
        place_ref.center.destination(bearing, distance)
    }
}

struct Compiler<'a> {
    context: &'a Context<'a>,
    plan: Plan,
    cursor: Cursor,
    compiled_switches: Vec<(Timestamp, bool)>,
    draught_m: Timeline<f64>,
    destination: Timeline<String>,
    cargo: Vec<CargoOperation>,
    meets: Vec<usize>,
    service_speed_knots: f64,
}

impl Compiler<'_> {
    fn step(&mut self, step: &StepSpec, offset: usize) -> Result<(), StepError> {
        let actions = [
            step.sail_to.is_some(),
            step.stop.is_some(),
            step.anchor.is_some(),
            step.loiter.is_some(),
            step.fish.is_some(),
            step.meet.is_some(),
        ];
        if actions.iter().filter(|&&a| a).count() != 1 {
            return Err((offset, "a step needs exactly one of sail_to, stop, anchor, loiter, fish, meet".into()));
        }
        let step_start = self.cursor.time;
        if let Some(destination) = &step.destination {
            self.destination.set(step_start, destination.clone());
        }
        if let Some(switch) = step.ais {
            let after_ms = hours_to_ms(step.ais_after_hours.map_or(0.0, |h| h.0));
            self.compiled_switches.push((step_start.plus_ms(after_ms), switch == OnOff::On));
        } else if step.ais_after_hours.is_some() {
            return Err((offset, "ais_after_hours needs ais = \"on\" or \"off\"".into()));
        }
        let speed = step.speed_knots.map_or(self.service_speed_knots, |s| s.0);
        if (step.load.is_some() || step.unload.is_some()) && step.stop.is_none() && step.anchor.is_none() {
            return Err((offset, "load and unload belong to a stop or anchor step".into()));
        }
        if (step.sail_to.is_some() || step.meet.is_some()) && (step.hours.is_some() || step.until.is_some()) {
            return Err((offset, "hours and until belong to stop, anchor and loiter steps".into()));
        }

        if let Some(target) = &step.sail_to {
            let point = match target {
                Target::Place(id) => self.context.berth(self.context.place(id, offset)?),
                Target::Point(p) => *p,
            };
            let points = self.leg_points(step, point, offset)?;
            self.sail(&points, speed);
            if let Target::Place(id) = target {
                self.cursor.rest = Rest::Moored(self.context.place(id, offset)?);
            }
        } else if let Some(id) = &step.stop {
            let place = self.context.place(id, offset)?;
            if self.cursor.rest != Rest::Moored(place) {
                let points = self.leg_points(step, self.context.berth(place), offset)?;
                self.sail(&points, speed);
            }
            self.cursor.rest = Rest::Moored(place);
            let arrival = self.cursor.time;
            let end = self.stay_end(step, offset)?;
            self.hold_until(end);
            self.record_cargo(step, place, Interval { start: arrival, end });
        } else if let Some(target) = &step.anchor {
            let (point, place) = match target {
                Target::Place(id) => {
                    let place = self.context.place(id, offset)?;
                    (self.context.spot(place, "anchorage"), Some(place))
                }
                Target::Point(p) => (*p, None),
            };
            let points = self.leg_points(step, point, offset)?;
            self.sail(&points, speed);
            self.cursor.rest = Rest::Anchored(place);
            let arrival = self.cursor.time;
            let end = self.stay_end(step, offset)?;
            self.hold_until(end);
            if let Some(place) = place {
                self.record_cargo(step, place, Interval { start: arrival, end });
            } else if step.load.is_some() || step.unload.is_some() {
                return Err((offset, "load and unload need a place, not a position".into()));
            }
        } else if let Some(target) = step.loiter.as_ref().or(step.fish.as_ref()) {
            let fishing = step.fish.is_some();
            let center = match target {
                Target::Place(id) => self.context.places[self.context.place(id, offset)?].center,
                Target::Point(p) => *p,
            };
            let (default_radius_m, default_knots) = if fishing {
                (DEFAULT_FISHING_RADIUS_M, DEFAULT_FISHING_KNOTS)
            } else {
                (DEFAULT_LOITER_RADIUS_M, DEFAULT_LOITER_KNOTS)
            };
            let radius_m = step.radius_km.map_or(default_radius_m, |r| r.0 * 1000.0);
            let circle_knots = step.speed_knots.map_or(default_knots, |s| s.0);
            // Loitering is slow (GFW's rule) or confined (Tumen's second
            // rule: within a nautical mile at any speed).
            if !fishing && circle_knots >= LOITERING_BELOW_KNOTS && radius_m > CONFINED_RADIUS_M {
                return Err((
                    offset,
                    format!(
                        "loitering is slower than {LOITERING_BELOW_KNOTS} kn or within a radius of {} km; \
                         use fish or sail_to for other circles",
                        CONFINED_RADIUS_M / 1000.0
                    ),
                ));
            }
            let entry = center.destination(0.0, radius_m);
            let points = self.leg_points(step, entry, offset)?;
            self.sail(&points, self.service_speed_knots);
            let end = self.stay_end(step, offset)?;
            let (nav_status, activity) = if fishing {
                (crate::plan::nav_status::ENGAGED_IN_FISHING, Activity::Fishing)
            } else {
                (crate::plan::nav_status::UNDER_WAY_USING_ENGINE, Activity::Loitering)
            };
            let motion =
                Motion::Circle { center, radius_m, speed_knots: circle_knots, start_angle_deg: 0.0, nav_status };
            self.push(end, motion, activity);
        } else if let Some(id) = &step.meet {
            self.meet(step, id, speed, offset)?;
        }
        if let Some(draught) = step.draught_m {
            self.draught_m.set(self.cursor.time, draught.0);
        }
        Ok(())
    }

    fn meet(&mut self, step: &StepSpec, id: &str, speed: f64, offset: usize) -> Result<(), StepError> {
        let index =
            *self.context.encounter_ids.get(id).ok_or_else(|| (offset, format!("unknown encounter \"{id}\"")))?;
        let encounter = &self.context.encounters[index];
        let Some(side) = encounter.vessels.iter().position(|&v| v == self.context.vessel) else {
            return Err((offset, format!("encounter \"{id}\" is between two other vessels")));
        };
        if self.meets.contains(&index) {
            return Err((offset, format!("meets encounter \"{id}\" twice")));
        }
        self.meets.push(index);
        let station = encounter.station(side);
        let points = self.leg_points(step, station, offset)?;
        let path = Path::new(&points);
        let travel_ms = (path.length_m() / knots_to_mps(speed) * 1000.0).round() as i64;
        let departure = encounter.interval.start.plus_ms(-travel_ms);
        if departure < self.cursor.time {
            return Err((
                offset,
                format!(
                    "cannot reach encounter \"{id}\" by {}: at {speed} kn it would have to leave at {departure}, \
                     but the previous steps end at {}",
                    encounter.interval.start, self.cursor.time
                ),
            ));
        }
        self.hold_until(departure);
        self.sail(&points, speed);
        let motion = Motion::Drift {
            from: station,
            set_deg: encounter.set_deg,
            speed_knots: encounter.drift_knots,
            heading_deg: encounter.set_deg,
            nav_status: encounter.nav_status,
        };
        self.push(encounter.interval.end, motion, Activity::Meeting { encounter: index });
        Ok(())
    }

    /// Points of a leg from the current position: `via`, the route
    /// (oriented to start nearer), then `to`.
    fn leg_points(&self, step: &StepSpec, to: LatLon, offset: usize) -> Result<Vec<LatLon>, StepError> {
        let mut points = vec![self.cursor.position];
        points.extend(step.via.iter().flatten().map(|p| p.0));
        let Some(route_id) = &step.route else {
            points.push(to);
            return Ok(crate::sea::route(&points));
        };
        let route =
            self.context.routes.get(route_id).ok_or_else(|| (offset, format!("unknown route \"{route_id}\"")))?;
        let here = *points.last().expect("starts with the current position");
        let forward = route.points.first().map_or(0.0, |p| p.distance_m(here))
            <= route.points.last().map_or(0.0, |p| p.distance_m(here));
        let mut along: Vec<LatLon> = route.points.clone();
        if !forward {
            along.reverse();
        }
        if !route.waterway {
            points.extend(along);
            points.push(to);
            return Ok(crate::sea::route(&points));
        }
        // To the waterway's start round the land, along it as drawn, and
        // on from its end round the land.
        points.push(along[0]);
        let mut out = crate::sea::route(&points);
        out.extend(along.iter().skip(1).copied());
        let onward = crate::sea::route(&[*along.last().expect("a route has points"), to]);
        out.extend(onward.into_iter().skip(1));
        Ok(out)
    }

    fn sail(&mut self, points: &[LatLon], speed_knots: f64) {
        let path = Path::new(points);
        if path.length_m() < 1.0 {
            return;
        }
        let duration_ms = (path.length_m() / knots_to_mps(speed_knots) * 1000.0).round() as i64;
        let end = self.cursor.time.plus_ms(duration_ms);
        let (last, course) = path.at(path.length_m());
        self.push(end, Motion::Sail { path: Arc::new(path), speed_knots }, Activity::Sailing);
        self.cursor.position = last;
        self.cursor.heading_deg = course;
        self.cursor.rest = Rest::AtSea;
    }

    /// End of a stop, anchorage or loitering: `hours` after arrival or `until`.
    fn stay_end(&self, step: &StepSpec, offset: usize) -> Result<Timestamp, StepError> {
        match (step.hours, step.until) {
            (Some(hours), None) => Ok(self.cursor.time.plus_ms(hours_to_ms(hours.0))),
            (None, Some(until)) if until.0 >= self.cursor.time => Ok(until.0),
            (None, Some(until)) => {
                Err((offset, format!("arrives at {}, after its until = {}", self.cursor.time, until.0)))
            }
            _ => Err((offset, "a stop, anchor, loiter or fish step needs hours or until (one of them)".into())),
        }
    }

    /// Stays where the cursor rests until `end`.
    fn hold_until(&mut self, end: Timestamp) {
        if end <= self.cursor.time {
            return;
        }
        let (motion, activity) = match self.cursor.rest {
            Rest::Moored(place) => (
                Motion::Still { at: self.cursor.position, heading_deg: self.cursor.heading_deg, anchored: false },
                Activity::Moored { place: Some(place) },
            ),
            Rest::Anchored(place) => (
                Motion::Still { at: self.cursor.position, heading_deg: self.cursor.heading_deg, anchored: true },
                Activity::Anchored { place },
            ),
            Rest::AtSea => (
                Motion::Drift {
                    from: self.cursor.position,
                    set_deg: self.cursor.heading_deg,
                    speed_knots: 0.0,
                    heading_deg: self.cursor.heading_deg,
                    nav_status: crate::plan::nav_status::UNDER_WAY_USING_ENGINE,
                },
                Activity::Waiting,
            ),
        };
        self.push(end, motion, activity);
    }

    /// Appends a segment from the cursor to `end` and moves the cursor.
    fn push(&mut self, end: Timestamp, motion: Motion, activity: Activity) {
        self.plan.push(self.cursor.time, end, motion, activity);
        if let Some(state) = self.plan.last_state() {
            self.cursor.position = match activity {
                // An anchored ship's anchor stays put while it swings.
                Activity::Anchored { .. } | Activity::Moored { .. } => self.cursor.position,
                _ => state.position,
            };
            if !matches!(activity, Activity::Anchored { .. }) {
                self.cursor.heading_deg = state.heading_deg;
            }
        }
        self.cursor.time = self.cursor.time.max(end);
    }

    fn record_cargo(&mut self, step: &StepSpec, place: usize, stop: Interval) {
        for (shipment, loading) in [(&step.load, true), (&step.unload, false)] {
            if let Some(shipment) = shipment {
                self.cargo.push(CargoOperation { shipment: shipment.clone(), loading, place, stop });
            }
        }
    }
}

pub(super) fn hours_to_ms(hours: f64) -> i64 {
    (hours * 3_600_000.0).round() as i64
}
