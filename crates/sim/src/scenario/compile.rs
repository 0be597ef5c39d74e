//! Checks a read scenario and compiles it into a [`World`].

use std::collections::HashMap;

use geo::Centroid;
use toml::Spanned;
use tumen_ais::AisString;
use tumen_model::{LatLon, Timestamp};

use super::format::*;
use super::itinerary::{self, hours_to_ms};
use super::values::Target;
use super::{ScenarioError, line_of, stable_fraction};
use crate::traffic::{self, TakenIdentities, TrafficArea};
use crate::world::*;

/// Default delays between reception and output, by receiver kind.
const TERRESTRIAL_DELAY_S: (f64, f64) = (0.0, 2.0);
const SATELLITE_DELAY_S: (f64, f64) = (600.0, 5400.0);
/// How finely zone-triggered AIS switching is resolved.
const ZONE_SAMPLING_MS: i64 = 10_000;
const DAY_MS: f64 = 86_400_000.0;

pub(super) fn compile(file: ScenarioFile, text: &str, name: &str, seed: Option<u64>) -> Result<World, ScenarioError> {
    let c = Compiler { text, file_name: name };
    let header = &file.scenario;
    if header.end.0 <= header.start.0 {
        return Err(c.error_at(None, "scenario end must be after its start".into()));
    }
    let mut world = World {
        name: header.name.clone(),
        description: header.description.clone(),
        start: header.start.0,
        end: header.end.0,
        seed: seed.unwrap_or(header.seed),
        outputs: file.output,
        places: Vec::new(),
        receivers: Vec::new(),
        vessels: Vec::new(),
        encounters: Vec::new(),
        scenes: Vec::new(),
        structures: Vec::new(),
        facilities: Vec::new(),
        shipments: Vec::new(),
    };

    let place_ids = c.unique_ids(&file.places, |p| &p.id, "place")?;
    for place in &file.places {
        world.places.push(c.place(place)?);
    }
    let route_ids = c.unique_ids(&file.routes, |r| &r.id, "route")?;
    let mut routes = HashMap::new();
    for route in &file.routes {
        if route.get_ref().waypoints.len() < 2 {
            return Err(c.error(route, format!("route \"{}\" needs at least two waypoints", route.get_ref().id)));
        }
        let waypoints: Vec<LatLon> = route.get_ref().waypoints.iter().map(|p| p.0).collect();
        // Drawn by hand: capes in the way are sailed round, unless the
        // route is a waterway the map does not have.
        let waterway = route.get_ref().waterway;
        let points = if waterway { waypoints } else { crate::sea::route(&waypoints) };
        routes.insert(route.get_ref().id.clone(), itinerary::Route { points, waterway });
    }
    drop(route_ids);
    c.unique_ids(&file.receivers, |r| &r.id, "receiver")?;
    for receiver in &file.receivers {
        world.receivers.push(c.receiver(receiver)?);
    }

    let vessel_ids = c.unique_ids(&file.vessels, |v| &v.id, "vessel")?;
    let encounter_ids = c.unique_ids(&file.encounters, |e| &e.id, "encounter")?;
    for encounter in &file.encounters {
        world.encounters.push(c.encounter(encounter, &vessel_ids)?);
    }

    let mut meets: Vec<Vec<usize>> = vec![Vec::new(); world.encounters.len()];
    for (index, vessel) in file.vessels.iter().enumerate() {
        let context = itinerary::Context {
            places: &world.places,
            place_ids: &place_ids,
            routes: &routes,
            encounters: &world.encounters,
            encounter_ids: &encounter_ids,
            vessel: index,
            vessel_id: &vessel.get_ref().id,
            world_end: world.end,
        };
        let (compiled_vessel, vessel_meets) = c.vessel(vessel, &context, world.start)?;
        for encounter in vessel_meets {
            meets[encounter].push(index);
        }
        world.vessels.push(compiled_vessel);
    }
    for (encounter, spec) in file.encounters.iter().enumerate() {
        for &vessel in &world.encounters[encounter].vessels {
            if !meets[encounter].contains(&vessel) {
                let message = format!(
                    "encounter \"{}\": vessel \"{}\" has no `meet = \"{}\"` step",
                    spec.get_ref().id,
                    world.vessels[vessel].id,
                    spec.get_ref().id
                );
                return Err(c.error(spec, message));
            }
        }
    }

    for behaviour in &file.behaviours {
        c.behaviour(behaviour, &vessel_ids, &place_ids, &mut world)?;
    }
    for vessel in &mut world.vessels {
        merge_dark_periods(&mut vessel.dark);
        vessel.spoofs.sort_by_key(|s| s.interval.start);
        vessel.glitches.sort_by_key(|g| g.interval.start);
    }

    c.unique_ids(&file.traffic, |t| &t.id, "traffic")?;
    let mut taken = TakenIdentities::default();
    for identity in world.vessels.iter().flat_map(|v| v.identity.values()) {
        taken.mmsi.insert(identity.mmsi);
        taken.imo.extend(identity.imo);
    }
    for (index, spec) in file.traffic.iter().enumerate() {
        let area = c.traffic_area(spec, &routes)?;
        let generated = traffic::generate(
            spec.get_ref(),
            &area,
            index,
            world.seed,
            world.start,
            world.end,
            &world.places,
            &mut taken,
        );
        world.vessels.extend(generated);
    }

    c.unique_ids(&file.imagery, |i| &i.id, "imagery")?;
    for imagery in &file.imagery {
        c.scenes(imagery, &place_ids, &mut world)?;
    }
    c.unique_ids(&file.structures, |s| &s.id, "structure")?;
    for structure in &file.structures {
        let s = structure.get_ref();
        world.structures.push(Structure { id: s.id.clone(), at: s.at.0, length_m: s.length_m.0 });
    }
    for facility in &file.facilities {
        world.facilities.push(c.facility(facility, &place_ids)?);
    }
    c.unique_ids(&file.shipments, |s| &s.id, "shipment")?;
    for shipment in &file.shipments {
        let compiled = c.shipment(shipment, &vessel_ids, &place_ids, &world)?;
        world.shipments.push(compiled);
    }
    c.check_cargo_references(&file, &world)?;
    Ok(world)
}

struct Compiler<'a> {
    text: &'a str,
    file_name: &'a str,
}

impl Compiler<'_> {
    fn error_at(&self, offset: Option<usize>, message: String) -> ScenarioError {
        ScenarioError { file: self.file_name.to_owned(), line: offset.map(|o| line_of(self.text, o)), message }
    }

    fn error<T>(&self, spanned: &Spanned<T>, message: String) -> ScenarioError {
        self.error_at(Some(spanned.span().start), message)
    }

    fn unique_ids<T>(
        &self,
        items: &[Spanned<T>],
        id: impl Fn(&T) -> &String,
        what: &str,
    ) -> Result<HashMap<String, usize>, ScenarioError> {
        let mut ids = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            let item_id = id(item.get_ref());
            if item_id.is_empty() {
                return Err(self.error(item, format!("{what} id must not be empty")));
            }
            if ids.insert(item_id.clone(), index).is_some() {
                return Err(self.error(item, format!("{what} id \"{item_id}\" is used twice")));
            }
        }
        Ok(ids)
    }

    fn place(&self, spanned: &Spanned<PlaceSpec>) -> Result<Place, ScenarioError> {
        let spec = spanned.get_ref();
        let polygon = match &spec.polygon {
            Some(corners) if corners.len() < 3 => {
                return Err(
                    self.error(spanned, format!("place \"{}\": a polygon needs at least three corners", spec.id))
                );
            }
            Some(corners) => Some(Place::polygon_from(&corners.iter().map(|p| p.0).collect::<Vec<_>>())),
            None => None,
        };
        let center = match (&spec.at, &polygon) {
            (Some(at), _) => at.0,
            (None, Some(polygon)) => {
                let c = polygon.centroid().expect("a polygon of three corners has a centroid");
                LatLon { lat_deg: c.y(), lon_deg: c.x() }
            }
            (None, None) => return Err(self.error(spanned, format!("place \"{}\" needs `at` or `polygon`", spec.id))),
        };
        if polygon.is_none() && spec.radius_km.is_none() {
            return Err(self.error(spanned, format!("place \"{}\": a point place needs radius_km", spec.id)));
        }
        Ok(Place {
            id: spec.id.clone(),
            name: spec.name.clone().unwrap_or_else(|| spec.id.clone()),
            kind: spec.kind,
            country: spec.country.clone(),
            center,
            radius_m: spec.radius_km.map(|r| r.0 * 1000.0),
            polygon,
            watched: spec.watched,
        })
    }

    fn receiver(&self, spanned: &Spanned<ReceiverSpec>) -> Result<Receiver, ScenarioError> {
        let spec = spanned.get_ref();
        let (coverage, default_delay) = match spec.kind {
            ReceiverKind::Terrestrial => {
                let (Some(at), Some(range)) = (spec.at, spec.range_nm) else {
                    return Err(self.error(
                        spanned,
                        format!("receiver \"{}\": a terrestrial receiver needs at and range_nm", spec.id),
                    ));
                };
                (Coverage::Terrestrial { at: at.0, range_m: range.0 * 1852.0 }, TERRESTRIAL_DELAY_S)
            }
            ReceiverKind::Satellite => {
                let (Some(revisit), Some(pass)) = (spec.revisit_minutes, spec.pass_minutes) else {
                    return Err(self.error(
                        spanned,
                        format!(
                            "receiver \"{}\": a satellite receiver needs revisit_minutes and pass_minutes",
                            spec.id
                        ),
                    ));
                };
                if pass.0 > revisit.0 {
                    return Err(
                        self.error(spanned, format!("receiver \"{}\": pass_minutes exceeds revisit_minutes", spec.id))
                    );
                }
                let minutes = |m: f64| (m * 60_000.0).round() as i64;
                (Coverage::Satellite { revisit_ms: minutes(revisit.0), pass_ms: minutes(pass.0) }, SATELLITE_DELAY_S)
            }
        };
        if spec.id.bytes().any(|b| !b.is_ascii_graphic() || matches!(b, b'\\' | b',' | b'*' | b'!' | b'$')) {
            return Err(self.error(
                spanned,
                format!(
                    "receiver id \"{}\" must be printable ASCII without \\ , * ! $ (it is written into every line)",
                    spec.id
                ),
            ));
        }
        let delay = spec.delay_s.map_or(default_delay, |r| (r.low, r.high));
        Ok(Receiver {
            id: spec.id.clone(),
            coverage,
            reliability: spec.reliability.0,
            format: spec.format,
            delay_ms: ((delay.0 * 1000.0) as i64, (delay.1 * 1000.0) as i64),
            min_interval_ms: spec.min_interval_s.map_or(0, |s| (s.0 * 1000.0) as i64),
            corrupt_rate: spec.corrupt_rate.0,
            fragment_loss_rate: spec.fragment_loss_rate.0,
        })
    }

    fn encounter(
        &self,
        spanned: &Spanned<EncounterSpec>,
        vessel_ids: &HashMap<String, usize>,
    ) -> Result<Encounter, ScenarioError> {
        let spec = spanned.get_ref();
        let mut vessels = [0; 2];
        for (slot, id) in vessels.iter_mut().zip(&spec.vessels) {
            *slot = *vessel_ids
                .get(id)
                .ok_or_else(|| self.error(spanned, format!("encounter \"{}\": unknown vessel \"{id}\"", spec.id)))?;
        }
        if vessels[0] == vessels[1] {
            return Err(self.error(spanned, format!("encounter \"{}\" needs two different vessels", spec.id)));
        }
        Ok(Encounter {
            id: spec.id.clone(),
            vessels,
            at: spec.at.0,
            interval: Interval { start: spec.start.0, end: spec.start.0.plus_ms(hours_to_ms(spec.hours.0)) },
            distance_m: spec.distance_m.0,
            drift_knots: spec.drift_knots.0,
            set_deg: (360.0 * stable_fraction(&[&spec.id, "set"])).round(),
            nav_status: spec.status.nav_status(),
            illicit: spec.illicit,
        })
    }

    fn vessel(
        &self,
        spanned: &Spanned<VesselSpec>,
        context: &itinerary::Context<'_>,
        world_start: Timestamp,
    ) -> Result<(Vessel, Vec<usize>), ScenarioError> {
        let spec = spanned.get_ref();
        let here = |message: String| self.error(spanned, format!("vessel \"{}\": {message}", spec.id));
        let initial = Identity {
            mmsi: spec.mmsi,
            imo: spec.imo,
            name: spec.name.clone(),
            call_sign: spec.call_sign.clone().unwrap_or_default(),
            flag: spec.flag.clone(),
            ship_type: spec.ship_type,
        };
        check_identity(&initial).map_err(here)?;
        let mut identity = Timeline::new(initial.clone());
        let mut last_change = None;
        for change in &spec.identity_changes {
            let c = change.get_ref();
            if last_change.is_some_and(|t| c.at.0 <= t) {
                return Err(
                    self.error(change, format!("vessel \"{}\": identity changes must be in time order", spec.id))
                );
            }
            last_change = Some(c.at.0);
            let mut next = identity.at(c.at.0).clone();
            if let Some(mmsi) = c.mmsi {
                next.mmsi = mmsi;
            }
            if c.imo.is_some() {
                next.imo = c.imo;
            }
            if let Some(name) = &c.name {
                next.name = name.clone();
            }
            if let Some(call_sign) = &c.call_sign {
                next.call_sign = call_sign.clone();
            }
            if c.flag.is_some() {
                next.flag = c.flag.clone();
            }
            if let Some(ship_type) = c.ship_type {
                next.ship_type = ship_type;
            }
            check_identity(&next).map_err(|m| self.error(change, format!("vessel \"{}\": {m}", spec.id)))?;
            identity.set(c.at.0, next);
        }
        if let Some(destination) = &spec.destination {
            AisString::<20>::new(destination).map_err(|e| here(format!("destination {destination:?}: {e}")))?;
        }
        let start = spec.start.map_or(world_start, |t| t.0);
        let compiled = itinerary::compile(
            context,
            &spec.itinerary,
            &spec.at,
            spanned.span().start,
            start,
            spec.service_speed_knots.0,
            spec.draught_m.0,
            spec.destination.clone().unwrap_or_default(),
        )
        .map_err(|(offset, message)| self.error_at(Some(offset), message))?;
        for destination in compiled.destination.values() {
            AisString::<20>::new(destination).map_err(|e| here(format!("destination {destination:?}: {e}")))?;
        }
        for draught in compiled.draught_m.values() {
            if *draught > 25.5 {
                return Err(here(format!("draught {draught} m is more than AIS can carry (25.5 m)")));
            }
        }
        let mut dark =
            dark_periods_from_switches(spec.ais, start, &compiled.ais_switches, compiled.plan.end().unwrap_or(start));
        for period in &mut dark {
            period.illicit = spec.illicit;
        }
        let vessel = Vessel {
            id: spec.id.clone(),
            background: false,
            illicit: spec.illicit,
            class: spec.class,
            length_m: spec.length_m.0,
            beam_m: spec.beam_m.0,
            identity,
            draught_m: compiled.draught_m,
            destination: compiled.destination,
            plan: compiled.plan,
            dark,
            spoofs: Vec::new(),
            glitches: Vec::new(),
            cargo: compiled.cargo,
        };
        Ok((vessel, compiled.meets))
    }

    fn behaviour(
        &self,
        spanned: &Spanned<BehaviourSpec>,
        vessel_ids: &HashMap<String, usize>,
        place_ids: &HashMap<String, usize>,
        world: &mut World,
    ) -> Result<(), ScenarioError> {
        let spec = spanned.get_ref();
        let here = |message: String| self.error(spanned, format!("behaviour of \"{}\": {message}", spec.vessel));
        let vessel_index = *vessel_ids.get(&spec.vessel).ok_or_else(|| here("unknown vessel".into()))?;
        let window = match (spec.from, spec.until) {
            (Some(from), Some(until)) if until.0 > from.0 => Some(Interval { start: from.0, end: until.0 }),
            (Some(_), Some(_)) => return Err(here("until must be after from".into())),
            (None, None) => None,
            _ => return Err(here("give both from and until, or neither".into())),
        };
        match spec.kind {
            BehaviourKind::AisOff => {
                let Some(zone_id) = &spec.zone else {
                    let interval = window.ok_or_else(|| here("ais_off needs from and until, or a zone".into()))?;
                    world.vessels[vessel_index].dark.push(DarkPeriod {
                        interval,
                        illicit: spec.illicit,
                        cause: "behaviour".into(),
                    });
                    return Ok(());
                };
                let zone = *place_ids.get(zone_id).ok_or_else(|| here(format!("unknown place \"{zone_id}\"")))?;
                let vessel = &world.vessels[vessel_index];
                let (Some(plan_start), Some(plan_end)) = (vessel.plan.start(), vessel.plan.end()) else {
                    return Ok(());
                };
                let window = window.unwrap_or(Interval { start: plan_start, end: plan_end });
                let intervals = zone_intervals(vessel, &world.places[zone], window);
                let cause = format!("zone:{zone_id}");
                let vessel = &mut world.vessels[vessel_index];
                for interval in intervals {
                    vessel.dark.push(DarkPeriod { interval, illicit: spec.illicit, cause: cause.clone() });
                }
            }
            BehaviourKind::Spoof => {
                let interval = window.ok_or_else(|| here("spoof needs from and until".into()))?;
                let kind = match spec.mode {
                    Some(SpoofMode::Jump) => {
                        let [north_km, east_km] =
                            spec.offset_km.ok_or_else(|| here("a jump needs offset_km".into()))?;
                        SpoofKind::Jump { north_m: north_km * 1000.0, east_m: east_km * 1000.0 }
                    }
                    Some(SpoofMode::Circle) => {
                        let (Some(center), Some(radius)) = (spec.center, spec.radius_km) else {
                            return Err(here("a circle needs center and radius_km".into()));
                        };
                        SpoofKind::Circle {
                            center: center.0,
                            radius_m: radius.0 * 1000.0,
                            speed_knots: spec.speed_knots.map_or(20.0, |s| s.0),
                        }
                    }
                    Some(SpoofMode::Fixed) => {
                        SpoofKind::Fixed { at: spec.at.ok_or_else(|| here("fixed needs at".into()))?.0 }
                    }
                    None => return Err(here("spoof needs mode = \"jump\", \"circle\" or \"fixed\"".into())),
                };
                world.vessels[vessel_index].spoofs.push(Spoof { interval, kind, illicit: spec.illicit });
            }
            BehaviourKind::Glitch => {
                let interval = window.ok_or_else(|| here("glitch needs from and until".into()))?;
                let mode = spec.glitch.ok_or_else(|| {
                    here("glitch needs glitch = \"off_track\", \"sign_flip\", \"null_island\", \"same_time\" or \"stale_status\"".into())
                })?;
                let share = if mode == GlitchMode::StaleStatus { 1.0 } else { spec.share.map_or(0.02, |s| s.0) };
                world.vessels[vessel_index].glitches.push(Glitch { interval, mode, share });
            }
        }
        Ok(())
    }

    fn traffic_area(
        &self,
        spanned: &Spanned<TrafficSpec>,
        routes: &HashMap<String, itinerary::Route>,
    ) -> Result<TrafficArea, ScenarioError> {
        let spec = spanned.get_ref();
        let here = |message: String| self.error(spanned, format!("traffic \"{}\": {message}", spec.id));
        if spec.ship_types.is_empty() || spec.flags.is_empty() {
            return Err(here("ship_types and flags must not be empty".into()));
        }
        for flag in &spec.flags {
            if crate::flags::mids(flag).is_none() {
                return Err(here(format!("no MID is allocated to flag \"{flag}\" (ISO 3166 alpha-2 expected)")));
            }
        }
        match spec.kind {
            TrafficKind::Lanes => {
                if spec.routes.is_empty() {
                    return Err(here("lanes traffic needs routes".into()));
                }
                let mut lanes = Vec::new();
                for id in &spec.routes {
                    lanes.push(
                        routes
                            .get(id)
                            .map(|r| r.points.clone())
                            .ok_or_else(|| here(format!("unknown route \"{id}\"")))?,
                    );
                }
                Ok(TrafficArea::Lanes(lanes))
            }
            TrafficKind::Area | TrafficKind::Fishing => {
                let [south, west, north, east] = spec.area.ok_or_else(|| here("area traffic needs area".into()))?;
                if !(-90.0..=90.0).contains(&south) || !(-90.0..=90.0).contains(&north) || south >= north {
                    return Err(here("area is [south, west, north, east] with south < north".into()));
                }
                if !(-180.0..=180.0).contains(&west) || !(-180.0..=180.0).contains(&east) {
                    return Err(here("area longitudes must be in [-180, 180]".into()));
                }
                Ok(TrafficArea::Box { south, west, north, east })
            }
        }
    }

    fn scenes(
        &self,
        spanned: &Spanned<ImagerySpec>,
        place_ids: &HashMap<String, usize>,
        world: &mut World,
    ) -> Result<(), ScenarioError> {
        let spec = spanned.get_ref();
        let center = match &spec.over {
            Target::Place(id) => {
                let place = place_ids
                    .get(id)
                    .ok_or_else(|| self.error(spanned, format!("imagery \"{}\": unknown place \"{id}\"", spec.id)))?;
                world.places[*place].center
            }
            Target::Point(p) => *p,
        };
        let until = spec.until.map_or(world.end, |t| t.0);
        let mut time = spec.first.0;
        let mut number = 1;
        loop {
            world.scenes.push(Scene {
                id: format!("{}-{number}", spec.id),
                satellite: spec.satellite.clone(),
                time,
                center,
                width_m: spec.width_km.0 * 1000.0,
                height_m: spec.height_km.0 * 1000.0,
                detection_probability: spec.detection_probability.0,
                position_error_m: spec.position_error_m.0,
                length_error: spec.length_error.0,
                false_alarms: spec.false_alarms.0,
            });
            let Some(every) = spec.every_hours else { break };
            time = time.plus_ms(hours_to_ms(every.0));
            number += 1;
            if time > until {
                break;
            }
            if number > 100_000 {
                return Err(self.error(spanned, format!("imagery \"{}\" makes more than 100 000 scenes", spec.id)));
            }
        }
        Ok(())
    }

    fn facility(
        &self,
        spanned: &Spanned<FacilitySpec>,
        place_ids: &HashMap<String, usize>,
    ) -> Result<Facility, ScenarioError> {
        let spec = spanned.get_ref();
        let here = |message: String| self.error(spanned, format!("facility at \"{}\": {message}", spec.site));
        let site = *place_ids.get(&spec.site).ok_or_else(|| here("unknown place".into()))?;
        if spec.until.0 <= spec.first.0 {
            return Err(here("until must be after first".into()));
        }
        if !(1..=12).contains(&spec.peak_month) {
            return Err(here("peak_month must be 1–12".into()));
        }
        let days = spec.until.0.ms_since(spec.first.0) as f64 / DAY_MS;
        if days / spec.every_days.0 > 1_000_000.0 {
            return Err(here("more than a million image dates".into()));
        }
        let mut spikes = Vec::new();
        for spike in &spec.spikes {
            if spike.until.0 <= spike.from.0 {
                return Err(here("a spike's until must be after its from".into()));
            }
            spikes.push((Interval { start: spike.from.0, end: spike.until.0 }, spike.add.0));
        }
        Ok(Facility {
            site,
            object: spec.object,
            source: spec.source.clone(),
            first: spec.first.0,
            until: spec.until.0,
            every_days: spec.every_days.0,
            jitter_days: spec.jitter_days.0,
            extra_dates: spec.dates.iter().map(|t| t.0).collect(),
            baseline: spec.baseline.0,
            seasonal_amplitude: spec.seasonal_amplitude.0,
            peak_month: spec.peak_month,
            noise: spec.noise.0,
            spikes,
        })
    }

    fn shipment(
        &self,
        spanned: &Spanned<ShipmentSpec>,
        vessel_ids: &HashMap<String, usize>,
        place_ids: &HashMap<String, usize>,
        world: &World,
    ) -> Result<Shipment, ScenarioError> {
        let spec = spanned.get_ref();
        let here = |message: String| self.error(spanned, format!("shipment \"{}\": {message}", spec.id));
        if spec.legs.is_empty() {
            return Err(here("needs at least one leg".into()));
        }
        let place = |id: &String| place_ids.get(id).copied().ok_or_else(|| here(format!("unknown place \"{id}\"")));
        let mut legs: Vec<Leg> = Vec::new();
        for (number, leg) in spec.legs.iter().enumerate() {
            let here = |message: String| here(format!("leg {}: {message}", number + 1));
            let (from, to) = (place(&leg.from)?, place(&leg.to)?);
            let dwell_ms = (leg.dwell_days.0 * DAY_MS) as i64;
            let compiled = match leg.mode {
                LegMode::Sea => {
                    let vessel_id = leg.vessel.as_ref().ok_or_else(|| here("a sea leg needs a vessel".into()))?;
                    let vessel_index =
                        *vessel_ids.get(vessel_id).ok_or_else(|| here(format!("unknown vessel \"{vessel_id}\"")))?;
                    let vessel = &world.vessels[vessel_index];
                    let loading = vessel
                        .cargo
                        .iter()
                        .find(|op| op.loading && op.shipment == spec.id && op.place == from)
                        .ok_or_else(|| {
                            here(format!(
                                "vessel \"{vessel_id}\" has no stop at \"{}\" with load = \"{}\"",
                                leg.from, spec.id
                            ))
                        })?;
                    let unloading = vessel
                        .cargo
                        .iter()
                        .find(|op| {
                            !op.loading && op.shipment == spec.id && op.place == to && op.stop.start >= loading.stop.end
                        })
                        .ok_or_else(|| {
                            here(format!(
                                "vessel \"{vessel_id}\" has no later stop at \"{}\" with unload = \"{}\"",
                                leg.to, spec.id
                            ))
                        })?;
                    Leg {
                        mode: LegMode::Sea,
                        vessel: Some(vessel_index),
                        from,
                        to,
                        depart: loading.stop.end,
                        arrive: unloading.stop.start,
                        cars: leg.cars,
                        presence: vec![(from, loading.stop), (to, unloading.stop)],
                    }
                }
                LegMode::Rail => {
                    let depart = match (leg.depart, legs.last()) {
                        (Some(depart), _) => depart.0,
                        (None, Some(previous)) => {
                            previous.arrive.plus_ms(hours_to_ms(leg.after_hours.map_or(24.0, |h| h.0)))
                        }
                        (None, None) => return Err(here("the first leg needs depart".into())),
                    };
                    let days = leg.days.ok_or_else(|| here("a rail leg needs days".into()))?.0;
                    let arrive = depart.plus_ms((days * DAY_MS) as i64);
                    let mut presence = vec![(from, Interval { start: depart.plus_ms(-dwell_ms), end: depart })];
                    let stops = leg.via.len() as i64 + 1;
                    for (i, via) in leg.via.iter().enumerate() {
                        let at = depart.plus_ms(arrive.ms_since(depart) * (i as i64 + 1) / stops);
                        presence.push((place(via)?, Interval { start: at, end: at.plus_ms(dwell_ms.max(1)) }));
                    }
                    presence.push((to, Interval { start: arrive, end: arrive.plus_ms(dwell_ms.max(1)) }));
                    Leg { mode: LegMode::Rail, vessel: None, from, to, depart, arrive, cars: leg.cars, presence }
                }
            };
            if let Some(previous) = legs.last()
                && previous.to != compiled.from
            {
                return Err(here("starts where the previous leg did not end".into()));
            }
            legs.push(compiled);
        }
        Ok(Shipment { id: spec.id.clone(), cargo: spec.cargo.clone(), containers: spec.containers, legs })
    }

    /// Every `load`/`unload` names a shipment that exists.
    fn check_cargo_references(&self, file: &ScenarioFile, world: &World) -> Result<(), ScenarioError> {
        for (spanned, vessel) in file.vessels.iter().zip(&world.vessels) {
            for op in &vessel.cargo {
                if !world.shipments.iter().any(|s| s.id == op.shipment) {
                    return Err(self.error(
                        spanned,
                        format!("vessel \"{}\": load/unload of unknown shipment \"{}\"", vessel.id, op.shipment),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Identity fields AIS can carry.
fn check_identity(identity: &Identity) -> Result<(), String> {
    if identity.mmsi > 999_999_999 {
        return Err(format!("MMSI {} has more than nine digits", identity.mmsi));
    }
    if identity.imo.is_some_and(|imo| imo >= 1 << 30) {
        return Err("IMO number does not fit AIS's 30 bits".into());
    }
    AisString::<20>::new(&identity.name).map_err(|e| format!("name {:?}: {e}", identity.name))?;
    AisString::<7>::new(&identity.call_sign).map_err(|e| format!("call sign {:?}: {e}", identity.call_sign))?;
    Ok(())
}

/// Off-intervals from the AIS switch sequence, up to `plan_end`.
fn dark_periods_from_switches(
    on_at_start: bool,
    start: Timestamp,
    switches: &[(Timestamp, bool)],
    plan_end: Timestamp,
) -> Vec<DarkPeriod> {
    let mut periods = Vec::new();
    let mut off_since = (!on_at_start).then_some(start);
    for &(at, on) in switches {
        match (on, off_since) {
            (true, Some(since)) => {
                if at > since {
                    periods.push(DarkPeriod {
                        interval: Interval { start: since, end: at },
                        illicit: false,
                        cause: "itinerary".into(),
                    });
                }
                off_since = None;
            }
            (false, None) => off_since = Some(at),
            _ => {}
        }
    }
    if let Some(since) = off_since
        && plan_end > since
    {
        periods.push(DarkPeriod {
            interval: Interval { start: since, end: plan_end },
            illicit: false,
            cause: "itinerary".into(),
        });
    }
    periods
}

/// Intervals within `window` during which the vessel is inside `zone`.
fn zone_intervals(vessel: &Vessel, zone: &Place, window: Interval) -> Vec<Interval> {
    let mut intervals = Vec::new();
    let mut inside_since = None;
    let mut t = window.start;
    while t < window.end {
        let inside = vessel.plan.state_at(t).is_some_and(|k| zone.contains(k.position));
        match (inside, inside_since) {
            (true, None) => inside_since = Some(t),
            (false, Some(since)) => {
                intervals.push(Interval { start: since, end: t });
                inside_since = None;
            }
            _ => {}
        }
        t = t.plus_ms(ZONE_SAMPLING_MS);
    }
    if let Some(since) = inside_since {
        intervals.push(Interval { start: since, end: window.end });
    }
    intervals
}

/// Sorts and merges overlapping dark periods (the union is when the
/// transmitter is off); a merged period is illicit if any part was.
fn merge_dark_periods(periods: &mut Vec<DarkPeriod>) {
    periods.sort_by_key(|p| p.interval.start);
    let mut merged: Vec<DarkPeriod> = Vec::with_capacity(periods.len());
    for period in periods.drain(..) {
        match merged.last_mut() {
            Some(last) if period.interval.start <= last.interval.end => {
                last.interval.end = last.interval.end.max(period.interval.end);
                last.illicit |= period.illicit;
                if !last.cause.split('+').any(|c| c == period.cause) {
                    last.cause = format!("{}+{}", last.cause, period.cause);
                }
            }
            _ => merged.push(period),
        }
    }
    *periods = merged;
}
