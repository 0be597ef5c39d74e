//! Facility observations: counts of objects at a site on image dates — an
//! ordinary level with a seasonal swing and noise, plus whatever shipments
//! and stated spikes bring.

use rand::Rng;
use rand_distr::{Distribution, Normal};
use tumen_model::Timestamp;

use crate::plan::Activity;
use crate::scenario::format::{LegMode, ObjectClass};
use crate::traffic::stream;
use crate::world::{Facility, World};

const DAY_MS: f64 = 86_400_000.0;
const YEAR_DAYS: f64 = 365.2425;

/// One count and what it is made of.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub facility: usize,
    pub time: Timestamp,
    pub count: u32,
    /// Level plus season, before noise.
    pub expected_baseline: f64,
    /// Objects added by stated spikes.
    pub spike: f64,
    /// Objects the scenario's activity puts there (shipments' rail cars and
    /// containers, the scenario's own vessels), and whose they are.
    pub activity: u32,
    pub activity_sources: Vec<String>,
}

/// Every facility's observations, in facility then time order.
pub fn observe(world: &World) -> Vec<Observation> {
    let mut observations = Vec::new();
    for (index, facility) in world.facilities.iter().enumerate() {
        let mut rng = stream(world.seed, &[4, index as u64]);
        let noise = Normal::new(0.0, facility.noise.max(0.0)).expect("finite noise");
        let every_ms = (facility.every_days * DAY_MS) as i64;
        let mut times = Vec::new();
        let mut nominal = facility.first;
        while nominal <= facility.until {
            let jitter_ms = if facility.jitter_days > 0.0 {
                (rng.random_range(-facility.jitter_days..=facility.jitter_days) * DAY_MS) as i64
            } else {
                0
            };
            times.push(nominal.plus_ms(jitter_ms));
            nominal = nominal.plus_ms(every_ms.max(3_600_000));
        }
        times.extend(&facility.extra_dates);
        times.sort();
        times.dedup();
        for time in times {
            let expected_baseline = facility.baseline + seasonal(facility, time);
            let spike: f64 = facility.spikes.iter().filter(|(w, _)| w.contains(time)).map(|(_, add)| add).sum();
            let (activity, activity_sources) = activity_objects(world, facility, time);
            let noisy = expected_baseline + noise.sample(&mut rng);
            let count = (noisy.max(0.0) + spike + f64::from(activity)).round() as u32;
            observations.push(Observation {
                facility: index,
                time,
                count,
                expected_baseline,
                spike,
                activity,
                activity_sources,
            });
        }
    }
    observations
}

/// The seasonal swing: a cosine peaking mid-`peak_month`.
fn seasonal(facility: &Facility, time: Timestamp) -> f64 {
    if facility.seasonal_amplitude == 0.0 {
        return 0.0;
    }
    let day_of_year = time.unix_ms().rem_euclid((YEAR_DAYS * DAY_MS) as i64) as f64 / DAY_MS;
    let peak_day = (f64::from(facility.peak_month) - 0.5) * YEAR_DAYS / 12.0;
    facility.seasonal_amplitude * (std::f64::consts::TAU * (day_of_year - peak_day) / YEAR_DAYS).cos()
}

/// Objects the scenario puts at the site at `time`: rail cars of rail
/// legs, containers of any leg, the scenario's own (not background) vessels
/// moored or anchored there.
fn activity_objects(world: &World, facility: &Facility, time: Timestamp) -> (u32, Vec<String>) {
    let mut total = 0;
    let mut ids = Vec::new();
    match facility.object {
        ObjectClass::RailCar | ObjectClass::Container => {
            for shipment in &world.shipments {
                let mut here = 0;
                for leg in &shipment.legs {
                    let present = leg.presence.iter().any(|(site, w)| *site == facility.site && w.contains(time));
                    if !present {
                        continue;
                    }
                    here += match (facility.object, leg.mode) {
                        (ObjectClass::RailCar, LegMode::Rail) => leg.cars,
                        (ObjectClass::Container, _) => shipment.containers,
                        _ => 0,
                    };
                }
                if here > 0 {
                    total += here;
                    ids.push(shipment.id.clone());
                }
            }
        }
        ObjectClass::Vessel => {
            for vessel in &world.vessels {
                let moored = vessel.plan.segment_index_at(time).is_some_and(|i| {
                    matches!(
                        vessel.plan.segments()[i].activity,
                        Activity::Moored { place: Some(p) } | Activity::Anchored { place: Some(p) } if p == facility.site
                    )
                });
                if moored && !vessel.background {
                    total += 1;
                    ids.push(vessel.id.clone());
                }
            }
        }
        ObjectClass::Vehicle => {}
    }
    (total, ids)
}

/// `site,site_name,lat,lon,time,object_class,count,source`
pub fn observations_csv(world: &World, observations: &[Observation]) -> String {
    let mut out = String::from("site,site_name,lat,lon,time,object_class,count,source\n");
    for o in observations {
        let facility = &world.facilities[o.facility];
        let site = &world.places[facility.site];
        let object = match facility.object {
            ObjectClass::RailCar => "rail_car",
            ObjectClass::Container => "container",
            ObjectClass::Vessel => "vessel",
            ObjectClass::Vehicle => "vehicle",
        };
        let name = if site.name.contains([',', '"']) {
            format!("\"{}\"", site.name.replace('"', "\"\""))
        } else {
            site.name.clone()
        };
        out.push_str(&format!(
            "{},{},{:.6},{:.6},{},{},{},{}\n",
            site.id, name, site.center.lat_deg, site.center.lon_deg, o.time, object, o.count, facility.source
        ));
    }
    out
}
