//! Events chosen by a filter (the dashboard's overview) on one map and one
//! timeline, drawn as a report draws a case: the same Mercator view, land,
//! marks and lanes. Every mark links to `#EVENT_ID`, the row the page that
//! shows them gives the event.

use std::collections::{BTreeMap, BTreeSet};

use tumen_model::{Event, LatLon};
use tumen_places::Gazetteer;

use crate::describe::describe;
use crate::map::{self, Basemap, MapContent, MapView, Mark, MarkKind, PlaceMark};
use crate::timeline::{self, Lane, Moment, Span, SpanStyle};

/// The events' located ones on a map fitted to them, with the places they
/// name; `None` when none is located.
pub fn events_map(events: &[Event], gazetteer: &Gazetteer, basemap: &Basemap, width_px: f64) -> Option<String> {
    let marks: Vec<Mark> = events.iter().filter_map(Mark::of_event).collect();
    if marks.is_empty() {
        return None;
    }
    let named: BTreeSet<&str> = events.iter().filter_map(|e| e.place.as_deref()).collect();
    let places: Vec<PlaceMark> = named.into_iter().filter_map(|id| gazetteer.get(id)).map(PlaceMark::of).collect();
    let points: Vec<LatLon> = marks.iter().map(|m| m.at).collect();
    let view = MapView::fit(&points, width_px, 0.5);
    let caption = format!("{} events", marks.len());
    Some(map::render(&view, basemap, &MapContent { places, tracks: Vec::new(), routes: Vec::new(), marks }, &caption))
}

/// The events on a timeline, one lane per kind; `None` when there are none.
pub fn events_timeline(events: &[Event], width_px: f64) -> Option<String> {
    let from_ms = events.iter().map(|e| e.start.unix_ms()).min()?;
    let to_ms = events.iter().map(|e| e.end.unix_ms()).max()?;
    let mut lanes: BTreeMap<&str, Lane> = BTreeMap::new();
    for e in events {
        let lane = lanes
            .entry(e.kind.as_str())
            .or_insert_with(|| Lane { label: e.kind.as_str().to_owned(), ..Lane::default() });
        let label = format!("{} – {}: {}", e.start, e.end, describe(e));
        let link = Some(e.id.clone());
        let style = SpanStyle::of_event(e.kind);
        match style {
            Some(style) => {
                lane.spans.push(Span { from_ms: e.start.unix_ms(), to_ms: e.end.unix_ms(), style, label, link })
            }
            None => {
                lane.moments.push(Moment { at_ms: e.start.unix_ms(), kind: MarkKind::of_event(e.kind), label, link })
            }
        }
    }
    let lanes: Vec<Lane> = lanes.into_values().collect();
    Some(timeline::render(&lanes, &[], from_ms, to_ms, width_px))
}
