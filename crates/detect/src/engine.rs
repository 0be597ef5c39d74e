//! Runs the detectors over the archive: day after day in archive order
//! (vessel, then time), each vessel's detectors carrying their state from
//! one day to the next, so a gap or a port call across midnight is one
//! event. Memory: one set of detector states per vessel seen, and the read
//! buffers of one day's files.

use std::collections::HashMap;

use tumen_model::Mmsi;
use tumen_places::{Gazetteer, Land};
use tumen_store::{Dataset, StoreError};

use crate::event::Event;
use crate::gap::GapDetector;
use crate::on_land::OnLandDetector;
use crate::port_visit::PortVisitDetector;
use crate::profile::Profiles;

/// Every event the detectors find in the dataset's archive, ordered by
/// start time, then id.
pub fn detect_archive(dataset: &Dataset, gazetteer: &Gazetteer, profiles: &Profiles) -> Result<Vec<Event>, StoreError> {
    let mut vessels: HashMap<Mmsi, VesselDetectors<'_>> = HashMap::new();
    let mut events = Vec::new();
    for day in dataset.catalog().days()? {
        dataset.for_each_position_of_day(day, |row| {
            let detectors = vessels.entry(row.mmsi).or_insert_with(|| VesselDetectors {
                gap: GapDetector::new(profiles.gap.clone(), gazetteer, Land::embedded()),
                port_visit: PortVisitDetector::new(profiles.port_visit.clone(), gazetteer),
                on_land: OnLandDetector::new(profiles.on_land.clone(), Land::embedded(), gazetteer),
            });
            events.extend(detectors.gap.feed(&row));
            events.extend(detectors.port_visit.feed(&row));
            events.extend(detectors.on_land.feed(&row));
        })?;
    }
    let data_end = dataset.catalog().latest_time()?;
    for detectors in vessels.values_mut() {
        events.extend(data_end.and_then(|end| detectors.gap.finish(end)));
        events.extend(detectors.port_visit.finish());
        events.extend(detectors.on_land.finish());
    }
    events.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    Ok(events)
}

struct VesselDetectors<'g> {
    gap: GapDetector<'g>,
    port_visit: PortVisitDetector<'g>,
    on_land: OnLandDetector<'g>,
}
