//! The report page: one self-contained HTML file (inline CSS and SVG, no
//! script, no network) that opens offline and prints: the finding and how
//! its confidence was reached, the maps, the timeline, the vessels'
//! identities and list hits, the facility charts, and the evidence table
//! in which every claim cites its records by file and line.

use std::collections::BTreeMap;
use std::fmt::Write;

use tumen_model::{Event, EventKind, LatLon, Mmsi, Timestamp};
use tumen_store::{StaticField, StaticSpan};

use crate::case::{Case, Subject, file_name};
use crate::describe::{day, days, describe, join_mmsis, minute, period};
use crate::map::{self, Basemap, MapContent, MapView, Mark, MarkKind, Route, RouteKind, TrackLine};
use crate::svg::escape;
use crate::timeline::{self, Band, Lane, Moment, Span, SpanStyle};
use crate::{chart, map::SILENCE_DRAWN_MS};

const PAGE_PX: f64 = 1000.0;

/// The report's style sheet (also served to the dashboard, which shows reports).
pub const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b2631;margin:0;background:#fafafa}
main{max-width:1040px;margin:0 auto;padding:20px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #1b2631}
.sub{color:#566573;margin:0}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:12px 0}
.facts dt{color:#566573}.facts dd{margin:0}
.confidence{font-size:22px;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:13px;background:#fff}
th,td{border:1px solid #d5d8dc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eaecee}
tr:target{background:#fcf3cf}
code{font:12px ui-monospace,Menlo,Consolas,monospace}
ul.records{margin:0;padding-left:16px}
svg{display:block;max-width:100%;height:auto;background:#fff;margin:6px 0}
.label{font:600 12px sans-serif;fill:#1b2631;paint-order:stroke;stroke:#fff;stroke-width:3px}
.country{font:600 13px sans-serif;fill:#7d6e55;letter-spacing:1px;opacity:0.85}
.legend-text,.tick,.attribution{font:11px sans-serif;fill:#333}
.lane-label{font:12px sans-serif;fill:#1b2631}
.band-label{font:11px sans-serif;fill:#7d6608}
.spike{font:600 12px sans-serif;fill:#c0392b}
.note{color:#566573;font-size:13px}
.lead{font-size:17px;margin:10px 0}
.simulated{background:#fdebd0;border:2px solid #ca6f1e;color:#6e2c00;font-weight:600;padding:8px 12px;margin:0 0 12px;position:sticky;top:0;z-index:2}
@media print{body{background:#fff}main{max-width:none}.simulated{position:fixed;top:0;left:0;right:0;margin:0}main.with-notice{padding-top:56px}}
"#;

/// The report as one HTML document.
pub fn render(case: &Case, basemap: &Basemap, generated: Timestamp) -> String {
    let mut page = String::with_capacity(256 * 1024);
    let (title, subtitle) = headline(case);
    let _ = write!(
        page,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{}</title><style>{STYLE}</style></head><body><main>"#,
        escape(&title)
    );
    let notice = simulated_notice(case);
    if !notice.is_empty() {
        // On screen the notice stays at the top as the page scrolls; in
        // print it is repeated at the top of every page.
        page = page.replacen("<main>", r#"<main class="with-notice">"#, 1);
        page.push_str(&notice);
    }
    let _ = write!(page, r#"<header><h1>{}</h1><p class="sub">{}</p></header>"#, escape(&title), escape(&subtitle));
    let sea_leg = sea_leg(case, basemap);
    summary(&mut page, case, sea_leg.as_ref());
    maps(&mut page, case, basemap, sea_leg.as_ref());
    timeline_section(&mut page, case);
    vessels(&mut page, case);
    facilities(&mut page, case);
    evidence(&mut page, case);
    sources(&mut page, case);
    let _ = write!(
        page,
        r#"<footer><h2>About this report</h2><p class="note">Written by Tumen {} on {generated} from the dataset <code>{}</code>. Every event is stored there with the records it rests on: <code>tumen events --data {} --format json</code> lists them; each record above is cited by the file it came from and its line, so it can be read in the original. Confidence levels are the detectors' own (1 weak – 4 strong); a chain's confidence is the probability that one of its named vessels sailed the leg times the suspicion its indicators' stated weights give (1 − ∏(1 − w)). Coastline: Natural Earth 1:10m, public domain.</p></footer>"#,
        env!("CARGO_PKG_VERSION"),
        escape(&case.dataset),
        escape(&case.dataset)
    );
    page.push_str("</main></body></html>\n");
    page
}

fn headline(case: &Case) -> (String, String) {
    match &case.subject {
        Subject::Chain { chain, .. } => (
            format!(
                "Suspected shipment {} → {}",
                place_name(case, &chain.origin),
                place_name(case, &chain.destination)
            ),
            format!(
                "{} · corridor {} · loading {} · landing {}",
                chain.id,
                chain.corridor,
                days(chain.loading_from, chain.loading_to),
                days(chain.landing_from, chain.landing_to)
            ),
        ),
        Subject::Vessel(mmsi) => (
            format!("Vessel {}", vessel_label(case, *mmsi)),
            format!("{} – {} · {} events", day(case.from), day(case.to), case.events.len()),
        ),
    }
}

fn summary(page: &mut String, case: &Case, sea_leg: Option<&SeaLeg>) {
    page.push_str(r#"<section id="summary"><h2>Finding</h2>"#);
    match &case.subject {
        Subject::Chain { chain, corridor } => {
            lead(page, case, chain);
            let _ = write!(
                page,
                r#"<p class="confidence">Confidence {:.2}</p><dl class="facts"><dt>Vessels</dt><dd>{}</dd><dt>From</dt><dd>{} (loading {})</dd><dt>To</dt><dd>{} (landing {})</dd><dt>Sea distance</dt><dd>{}</dd><dt>Onward</dt><dd>{}</dd></dl>"#,
                chain.confidence,
                escape(&chain.vessels.iter().map(|&m| vessel_label(case, m)).collect::<Vec<_>>().join("; ")),
                escape(&place_name(case, &chain.origin)),
                period(chain.loading_from, chain.loading_to),
                escape(&place_name(case, &chain.destination)),
                period(chain.landing_from, chain.landing_to),
                sea_distance(chain.sea_nm, sea_leg),
                escape(&onward(case, chain, corridor.as_ref())),
            );
            if chain.vessels.len() > 1 {
                page.push_str(r#"<p class="note">The leg was seen only from orbit: each vessel listed could have sailed it, the likeliest first; the reasons are the first's.</p>"#);
            }
            page.push_str("<table><tr><th>Weight</th><th>Indicator</th><th>Rests on</th></tr>");
            for reason in &chain.reasons {
                let rests_on = reason
                    .event
                    .as_deref()
                    .map(|id| format!(r##"<a href="#{}"><code>{}</code></a>"##, escape(id), escape(id)))
                    .unwrap_or_default();
                let _ = write!(
                    page,
                    "<tr><td>+{:.2}</td><td>{}</td><td>{rests_on}</td></tr>",
                    reason.weight,
                    escape(&reason.what)
                );
            }
            let _ = write!(
                page,
                r#"</table><p class="note">Suspicion = 1 − ∏(1 − weight) over the indicators = {:.3}: how strongly the leg looks like a shipment (weights are Tumen's stated ones, docs/chains.md; no single indicator proves one). The probability that one of the named vessels sailed the leg is {:.3} ({:.3} for the first named). Confidence = {:.3} × {:.3} = {:.3}.</p>"#,
                chain.suspicion,
                chain.leg_probability,
                chain.identity_probability,
                chain.leg_probability,
                chain.suspicion,
                chain.confidence
            );
        }
        Subject::Vessel(mmsi) => {
            let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
            for e in &case.events {
                *by_kind.entry(e.kind.as_str()).or_default() += 1;
            }
            let counts: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {}", k.replace('_', " "))).collect();
            let flag =
                Mmsi(*mmsi).mid_allocation().map_or("unknown".to_owned(), |a| format!("{} ({})", a.name, a.iso_alpha2));
            let _ = write!(
                page,
                r#"<dl class="facts"><dt>MMSI</dt><dd>{mmsi}</dd><dt>Flag its MMSI claims</dt><dd>{}</dd><dt>Events</dt><dd>{}</dd></dl>"#,
                escape(&flag),
                escape(&if counts.is_empty() {
                    "none stored (events come from `tumen run` over the dataset)".to_owned()
                } else {
                    counts.join(", ")
                })
            );
        }
    }
    page.push_str("</section>");
}

/// The finding in one paragraph, before its table: which ship(s), from
/// where to where, when, why suspicious, how sure.
fn lead(page: &mut String, case: &Case, chain: &tumen_chain::Chain) {
    let names: Vec<String> = chain.vessels.iter().map(|&m| vessel_label(case, m)).collect();
    let who = match names.as_slice() {
        [] => "An unidentified ship".to_owned(),
        [one] if chain.identity_probability >= 0.999 => format!("The ship {one}"),
        [one] => format!("A ship seen only from orbit, probably {one} ({:.0} %),", chain.identity_probability * 100.0),
        [first, rest @ ..] => format!(
            "A ship seen only from orbit — {first} ({:.0} %), or else {} —",
            chain.identity_probability * 100.0,
            rest.join(" or ")
        ),
    };
    let mut why: Vec<&str> = chain.reasons.iter().filter(|r| r.weight >= 0.3).map(|r| r.what.as_str()).collect();
    why.truncate(4);
    let why = if why.is_empty() { "the voyage itself".to_owned() } else { why.join("; ") };
    let _ = write!(
        page,
        r#"<p class="lead">{} is suspected of carrying cargo from {} (there {}) to {} (there {}). Why: {}. How sure: confidence {:.2} — one of the named ships sailed this leg with probability {:.2}, and its indicators give a suspicion of {:.2}.</p>"#,
        escape(&who),
        escape(&place_name(case, &chain.origin)),
        period(chain.loading_from, chain.loading_to),
        escape(&place_name(case, &chain.destination)),
        period(chain.landing_from, chain.landing_to),
        escape(&why),
        chain.confidence,
        chain.leg_probability,
        chain.suspicion
    );
}

/// An identity field's value for a reader: ship types by name.
fn static_value(span: &StaticSpan) -> String {
    match (span.field, span.value.parse::<u8>()) {
        (StaticField::ShipType, Ok(code)) => format!("{} ({code})", tumen_ais::vocabulary::ship_type(code)),
        _ => span.value.clone(),
    }
}

/// The banner of a report built from simulated data: empty for real data.
fn simulated_notice(case: &Case) -> String {
    let scenarios: std::collections::BTreeSet<&str> =
        case.provenance.iter().filter_map(|s| s.simulated.as_deref()).collect();
    if scenarios.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = scenarios.into_iter().collect();
    format!(
        r#"<p class="simulated" id="simulated-data">Simulated data: this report was built from Tumen's simulator (scenario {}), not from real observations. Its ships, positions and findings are invented to test Tumen; see the sources below.</p>"#,
        escape(&names.join(", "))
    )
}

/// Every source of the dataset: what a reader needs to tell real from
/// simulated and to find the originals.
fn sources(page: &mut String, case: &Case) {
    page.push_str(r#"<section id="sources"><h2>Sources</h2><table><tr><th>#</th><th>File or feed</th><th>Kind</th><th>Format</th><th>Lines</th><th>Content hash</th><th>Origin</th></tr>"#);
    for source in &case.provenance {
        let origin = match &source.simulated {
            Some(scenario) => format!("simulated (scenario {scenario})"),
            None => "as supplied".to_owned(),
        };
        let _ = write!(
            page,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            source.id,
            escape(&source.location),
            escape(&source.kind),
            escape(&source.format),
            source.lines,
            escape(source.content_hash.as_deref().unwrap_or("—")),
            escape(&origin)
        );
    }
    page.push_str("</table></section>");
}

/// The sea leg's length in words: by sea round the coast when a route was
/// found, and the great-circle distance beside it.
fn sea_distance(great_circle_nm: Option<f64>, sea_leg: Option<&SeaLeg>) -> String {
    match (sea_leg.and_then(|l| l.by_sea_nm), great_circle_nm) {
        (Some(by_sea), Some(gc)) => {
            format!("{by_sea:.0} nm by sea round the coast (Natural Earth 1:10m; {gc:.0} nm great-circle)")
        }
        (Some(by_sea), None) => format!("{by_sea:.0} nm by sea round the coast (Natural Earth 1:10m)"),
        (None, Some(gc)) => format!("{gc:.0} nm great-circle (no route round the coast found; the voyage is longer)"),
        (None, None) => "unknown".into(),
    }
}

/// The corridor's rail facilities split by the route they lie on: those
/// nearer the landing port than the origin are on the line onward from
/// the landing port; those nearer the origin are on the rail-only route
/// overland from the origin's side (as Tumangang and Khasan are for the
/// Najin → Dunay corridor): their counts speak of the same trade in the
/// same period, not of this cargo's path.
struct RailRoutes {
    onward: Vec<String>,
    overland: Vec<String>,
}

fn rail_routes(case: &Case, chain: &tumen_chain::Chain, corridor: &tumen_chain::Corridor) -> RailRoutes {
    let (origin, destination) = (place_centre(case, &chain.origin), place_centre(case, &chain.destination));
    let mut onward: Vec<(f64, String)> = Vec::new();
    let mut overland: Vec<(f64, String)> = Vec::new();
    for id in &corridor.rail_facilities {
        let Some(at) = place_centre(case, id) else { continue };
        let to_origin = origin.map_or(f64::INFINITY, |o| at.distance_m(o));
        let to_destination = destination.map_or(f64::INFINITY, |d| at.distance_m(d));
        if to_destination <= to_origin {
            onward.push((to_destination, id.clone()));
        } else {
            overland.push((to_origin, id.clone()));
        }
    }
    // Each route's stops nearest its start first.
    let order = |mut stops: Vec<(f64, String)>| {
        stops.sort_by(|a, b| a.0.total_cmp(&b.0));
        stops.into_iter().map(|(_, id)| id).collect()
    };
    RailRoutes { onward: order(onward), overland: order(overland) }
}

/// The way on in words: by rail from the landing port to the depots, and
/// the overland route's facilities as what they are.
fn onward(case: &Case, chain: &tumen_chain::Chain, corridor: Option<&tumen_chain::Corridor>) -> String {
    let Some(corridor) = corridor else { return "no corridor configured".into() };
    let routes = rail_routes(case, chain, corridor);
    let names = |ids: &[String]| ids.iter().map(|id| place_name(case, id)).collect::<Vec<_>>();
    let mut stops = vec![place_name(case, &chain.destination)];
    stops.extend(names(&routes.onward));
    stops.extend(names(&corridor.depots));
    let distance = match chain.rail_km {
        Some(km) => format!("{km:.0} km by rail"),
        None => "rail distance not configured; drawn as straight lines".into(),
    };
    let mut text = format!("by rail {} ({distance})", stops.join(" → "));
    if !routes.overland.is_empty() {
        let _ = write!(
            text,
            "; {} lie on the rail-only route overland from the {} side — their counts speak of the same period, not of this cargo's path",
            names(&routes.overland).join(" and "),
            place_name(case, &chain.origin)
        );
    }
    text
}

/// The chain's sea leg as drawn and measured: round the land when a route
/// over water was found, else a straight line.
struct SeaLeg {
    stops: Vec<LatLon>,
    by_sea_nm: Option<f64>,
}

fn sea_leg(case: &Case, basemap: &Basemap) -> Option<SeaLeg> {
    let Subject::Chain { chain, .. } = &case.subject else { return None };
    let (from, to) = (place_centre(case, &chain.origin)?, place_centre(case, &chain.destination)?);
    Some(match tumen_places::sea_route(basemap.land, from, to) {
        Some(route) => SeaLeg { stops: route.points, by_sea_nm: Some(route.length_nm) },
        None => SeaLeg { stops: vec![from, to], by_sea_nm: None },
    })
}

fn maps(page: &mut String, case: &Case, basemap: &Basemap, sea_leg: Option<&SeaLeg>) {
    page.push_str(r#"<section id="map"><h2>Map</h2>"#);
    let all: Vec<&Event> = case.events.iter().chain(&case.context).collect();
    let marks: Vec<Mark> =
        all.iter().filter(|e| e.kind != EventKind::PortVisit).filter_map(|e| Mark::of_event(e)).collect();
    let tracks: Vec<TrackLine> = case
        .tracks
        .iter()
        .filter(|t| !t.points.is_empty())
        .map(|t| TrackLine { label: vessel_label(case, t.mmsi), points: t.points.clone() })
        .collect();
    let sea_routes = sea_routes(case, sea_leg);
    // The sea map fits the water: tracks, marks at sea, the chain's ports.
    let mut fit: Vec<LatLon> = tracks
        .iter()
        .flat_map(|t| t.points.iter().map(|&(_, lat, lon)| LatLon { lat_deg: lat, lon_deg: lon }))
        .collect();
    fit.extend(marks.iter().filter(|m| m.kind != MarkKind::FacilitySpike).map(|m| m.at));
    fit.extend(sea_routes.iter().flat_map(|r| r.stops.iter().copied()));
    if fit.is_empty() {
        fit.extend(marks.iter().map(|m| m.at));
    }
    let sea_view = MapView::fit(&fit, PAGE_PX, 0.5);
    let content = MapContent { places: case.places.clone(), tracks, routes: sea_routes.clone(), marks: marks.clone() };
    page.push_str(&map::render(&sea_view, basemap, &content, "the sea: tracks, silences, satellite detections"));
    // The whole corridor, when its rail and depots lie outside the sea map.
    if let Subject::Chain { corridor: Some(corridor), .. } = &case.subject {
        let (lon_min, lat_min, lon_max, lat_max) = sea_view.bounds();
        let onward: Vec<LatLon> =
            corridor.rail_facilities.iter().chain(&corridor.depots).filter_map(|id| place_centre(case, id)).collect();
        let outside = onward
            .iter()
            .any(|p| p.lon_deg < lon_min || p.lon_deg > lon_max || p.lat_deg < lat_min || p.lat_deg > lat_max);
        if outside {
            let mut routes = sea_routes;
            routes.extend(rail_route(case));
            let points: Vec<LatLon> = case.places.iter().map(|p| p.centre).collect();
            let view = MapView::fit(&points, PAGE_PX, 2.0);
            let spikes: Vec<Mark> = marks.into_iter().filter(|m| m.kind == MarkKind::FacilitySpike).collect();
            let content = MapContent { places: case.places.clone(), tracks: Vec::new(), routes, marks: spikes };
            page.push_str(
                r#"<p class="note">The way on: the corridor's rail facilities and depots, and where counts rose.</p>"#,
            );
            page.push_str(&map::render(&view, basemap, &content, "the corridor: sea and rail legs, facility spikes"));
        }
    }
    page.push_str("</section>");
}

/// The chain's sea leg, origin to destination, along its route.
fn sea_routes(case: &Case, sea_leg: Option<&SeaLeg>) -> Vec<Route> {
    let (Subject::Chain { chain, .. }, Some(leg)) = (&case.subject, sea_leg) else { return Vec::new() };
    let how = match leg.by_sea_nm {
        Some(nm) => format!(", {nm:.0} nm by sea"),
        None => chain.sea_nm.map(|nm| format!(", {nm:.0} nm great-circle")).unwrap_or_default(),
    };
    vec![Route {
        stops: leg.stops.clone(),
        kind: RouteKind::Sea,
        title: format!(
            "suspected sea leg {} → {}{how}",
            place_name(case, &chain.origin),
            place_name(case, &chain.destination)
        ),
    }]
}

/// The rail legs, schematic (Tumen has no rail network): landing port →
/// the facilities on its line → depots; and the overland route's
/// facilities → depots, drawn apart.
fn rail_route(case: &Case) -> Vec<Route> {
    let Subject::Chain { chain, corridor: Some(corridor) } = &case.subject else { return Vec::new() };
    let routes = rail_routes(case, chain, corridor);
    let depots: Vec<LatLon> = corridor.depots.iter().filter_map(|id| place_centre(case, id)).collect();
    let mut drawn = Vec::new();
    let mut onward: Vec<LatLon> = place_centre(case, &chain.destination).into_iter().collect();
    onward.extend(routes.onward.iter().filter_map(|id| place_centre(case, id)));
    onward.extend(&depots);
    if onward.len() >= 2 {
        drawn.push(Route {
            stops: onward,
            kind: RouteKind::Rail,
            title: format!(
                "rail leg from {} (schematic: straight lines between the places)",
                place_name(case, &chain.destination)
            ),
        });
    }
    let mut overland: Vec<LatLon> = routes.overland.iter().filter_map(|id| place_centre(case, id)).collect();
    overland.extend(&depots);
    if overland.len() >= 2 {
        drawn.push(Route {
            stops: overland,
            kind: RouteKind::RailOverland,
            title:
                "rail-only route overland (schematic): its counts speak of the same period, not of this cargo's path"
                    .into(),
        });
    }
    drawn
}

fn timeline_section(page: &mut String, case: &Case) {
    page.push_str(r#"<section id="timeline"><h2>Timeline</h2>"#);
    let all: Vec<&Event> = case.events.iter().chain(&case.context).collect();
    let mut lanes = Vec::new();
    // A sighting from orbit that could be any of several of the case's
    // vessels is drawn once, in a lane of its own naming them all.
    let tracked: Vec<u32> = case.tracks.iter().map(|t| t.mmsi).collect();
    let ambiguous = |e: &Event| {
        e.kind == EventKind::DarkDetection && e.mmsis.iter().filter(|m| tracked.contains(&m.0)).count() >= 2
    };
    for track in &case.tracks {
        let times: Vec<i64> = track.points.iter().map(|p| p.0).collect();
        let mut lane = Lane {
            label: vessel_label(case, track.mmsi),
            heard: timeline::heard_stretches(&times, SILENCE_DRAWN_MS),
            ..Lane::default()
        };
        for e in all.iter().filter(|e| e.involves(Mmsi(track.mmsi)) && !ambiguous(e)) {
            let label = format!("{} – {}: {}", e.start, e.end, describe(e));
            let link = Some(e.id.clone());
            let (from_ms, to_ms) = (e.start.unix_ms(), e.end.unix_ms());
            let style = SpanStyle::of_event(e.kind);
            match style {
                Some(style) => lane.spans.push(Span { from_ms, to_ms, style, label, link }),
                None => lane.moments.push(Moment { at_ms: from_ms, kind: MarkKind::of_event(e.kind), label, link }),
            }
        }
        lanes.push(lane);
    }
    let mut shared: BTreeMap<Vec<u32>, Lane> = BTreeMap::new();
    for e in all.iter().filter(|e| ambiguous(e)) {
        let candidates: Vec<u32> = e.mmsis.iter().map(|m| m.0).filter(|m| tracked.contains(m)).collect();
        let names: Vec<String> = candidates.iter().map(|&m| vessel_name(case, m)).collect();
        let lane = shared
            .entry(candidates)
            .or_insert_with(|| Lane { label: format!("{} (from orbit)", names.join(" or ")), ..Lane::default() });
        lane.moments.push(Moment {
            at_ms: e.start.unix_ms(),
            kind: MarkKind::of_event(e.kind),
            label: format!("{}: {}", minute(e.start), describe(e)),
            link: Some(e.id.clone()),
        });
    }
    lanes.extend(shared.into_values());
    // Facilities, and what satellites saw that names no vessel.
    let mut by_place: BTreeMap<String, Lane> = BTreeMap::new();
    for e in all.iter().filter(|e| e.mmsis.is_empty()) {
        let place = e.place.clone().unwrap_or_else(|| "elsewhere".into());
        let lane = by_place
            .entry(place.clone())
            .or_insert_with(|| Lane { label: place_name(case, &place), ..Lane::default() });
        lane.moments.push(Moment {
            at_ms: e.start.unix_ms(),
            kind: MarkKind::of_event(e.kind),
            label: format!("{}: {}", e.start, describe(e)),
            link: Some(e.id.clone()),
        });
    }
    lanes.extend(by_place.into_values());
    let bands = match &case.subject {
        Subject::Chain { chain, .. } => vec![
            Band { from_ms: chain.loading_from.unix_ms(), to_ms: chain.loading_to.unix_ms(), label: "loading".into() },
            Band { from_ms: chain.landing_from.unix_ms(), to_ms: chain.landing_to.unix_ms(), label: "landing".into() },
        ],
        Subject::Vessel(_) => Vec::new(),
    };
    page.push_str(&timeline::render(&lanes, &bands, case.from.unix_ms(), case.to.unix_ms(), PAGE_PX));
    page.push_str(r#"<p class="note">Grey: AIS heard. Blue: in port. Orange dashes: AIS silent. Red diamonds: seen by satellite, not on AIS. Red squares: unusual counts. Hover for details; click to reach the evidence.</p></section>"#);
}

fn vessels(page: &mut String, case: &Case) {
    page.push_str(r#"<section id="vessels"><h2>Vessels</h2>"#);
    for (mmsi, spans) in &case.identities {
        let flag = Mmsi(*mmsi).mid_allocation().map_or("unknown".to_owned(), |a| a.name.to_owned());
        let _ = write!(
            page,
            "<h3>{}</h3><p class=\"note\">MMSI {mmsi}; its MID claims {}.</p>",
            escape(&vessel_label(case, *mmsi)),
            escape(&flag)
        );
        if spans.is_empty() {
            page.push_str(r#"<p class="note">No identity reports (static messages) in the dataset.</p>"#);
        } else {
            page.push_str("<table><tr><th>Field</th><th>Value</th><th>First</th><th>Last</th><th>Reports</th><th>First report</th></tr>");
            for span in spans.iter().filter(|s| s.field != StaticField::Eta) {
                let _ = write!(
                    page,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                    span.field.as_str(),
                    escape(&static_value(span)),
                    minute(span.first_time),
                    minute(span.last_time),
                    span.reports,
                    escape(&cite(case, span.source_id, span.first_line))
                );
            }
            page.push_str("</table>");
        }
        let hits: Vec<&Event> = case
            .events
            .iter()
            .chain(&case.context)
            .filter(|e| {
                e.involves(Mmsi(*mmsi)) && matches!(e.kind, EventKind::WatchlistHit | EventKind::IdentityConflict)
            })
            .collect();
        if hits.is_empty() {
            page.push_str(r#"<p class="note">No watch-list hit or identity conflict.</p>"#);
        }
        for hit in hits {
            let _ = write!(page, r##"<p>⚑ <a href="#{}">{}</a></p>"##, escape(&hit.id), escape(&describe(hit)));
        }
    }
    page.push_str("</section>");
}

fn facilities(page: &mut String, case: &Case) {
    if case.facilities.is_empty() {
        return;
    }
    page.push_str(r#"<section id="facilities"><h2>Facilities</h2>"#);
    for series in &case.facilities {
        let _ = write!(page, "<h3>{}</h3>", escape(&series.title));
        page.push_str(&chart::render(series, PAGE_PX, 240.0));
    }
    page.push_str(r#"<p class="note">Each dot is one count from imagery (hover for its file and line); red: counts the history did not explain, drawn from what was expected; dashed: the highest count before.</p></section>"#);
}

fn evidence(page: &mut String, case: &Case) {
    page.push_str(r#"<section id="evidence"><h2>Evidence</h2>"#);
    evidence_table(page, case, &case.events);
    if !case.context.is_empty() {
        page.push_str(
            r#"<h3>Around it</h3><p class="note">The vessels' other events in the window, and their list hits.</p>"#,
        );
        evidence_table(page, case, &case.context);
    }
    page.push_str("</section>");
}

fn evidence_table(page: &mut String, case: &Case, events: &[Event]) {
    page.push_str("<table><tr><th>Event</th><th>When (UTC)</th><th>Where</th><th>Vessels</th><th>Conf.</th><th>What</th><th>Records</th></tr>");
    for e in events {
        let place = match (e.place.as_deref(), e.position) {
            (Some(place), Some(p)) => {
                format!("{}<br>{:.4}, {:.4}", escape(&place_name(case, place)), p.lat_deg, p.lon_deg)
            }
            (None, Some(p)) => format!("{:.4}, {:.4}", p.lat_deg, p.lon_deg),
            (Some(place), None) => escape(&place_name(case, place)),
            (None, None) => "—".into(),
        };
        let _ = write!(
            page,
            r#"<tr id="{}"><td>{}<br><code>{}</code></td><td>{}<br>{}</td><td>{place}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            escape(&e.id),
            escape(&e.kind.as_str().replace('_', " ")),
            escape(&e.id),
            e.start,
            e.end,
            escape(&join_mmsis(&e.mmsis)),
            e.confidence,
            escape(&describe(e)),
            records(case, e)
        );
    }
    page.push_str("</table>");
}

/// An event's evidence: each record's role, time, position and citation.
fn records(case: &Case, event: &Event) -> String {
    let mut items = String::from(r#"<ul class="records">"#);
    for record in &event.evidence {
        let at = record.position.map(|p| format!(" at {:.4}, {:.4}", p.lat_deg, p.lon_deg)).unwrap_or_default();
        let _ = write!(
            items,
            "<li>{}: {}{at} — <code>{}</code></li>",
            escape(record.role),
            record.time,
            escape(&cite(case, record.source_id, record.line))
        );
    }
    items.push_str("</ul>");
    items
}

/// A record's citation: the file's name and the line.
fn cite(case: &Case, source_id: u32, line: u64) -> String {
    match case.sources.get(&source_id) {
        Some(location) => format!("{}:{line}", file_name(location)),
        None => format!("source {source_id}:{line}"),
    }
}

/// "273214860 ANGARA" with the last name the vessel broadcast.
fn vessel_label(case: &Case, mmsi: u32) -> String {
    match broadcast_name(case, mmsi) {
        Some(name) => format!("{mmsi} {name}"),
        None => mmsi.to_string(),
    }
}

/// The last name a vessel broadcast, if it broadcast one.
fn broadcast_name(case: &Case, mmsi: u32) -> Option<String> {
    case.identities.iter().find(|(m, _)| *m == mmsi).and_then(|(_, spans)| last_value(spans, StaticField::Name))
}

fn last_value(spans: &[StaticSpan], field: StaticField) -> Option<String> {
    spans.iter().filter(|s| s.field == field).max_by_key(|s| s.last_time).map(|s| s.value.clone())
}

/// A vessel's name alone when it has one, else its MMSI.
fn vessel_name(case: &Case, mmsi: u32) -> String {
    broadcast_name(case, mmsi).unwrap_or_else(|| mmsi.to_string())
}

/// Where a place of the case is, by id.
fn place_centre(case: &Case, id: &str) -> Option<LatLon> {
    case.places.iter().find(|p| p.id == id).map(|p| p.centre)
}

fn place_name(case: &Case, id: &str) -> String {
    case.places.iter().find(|p| p.id == id).map_or_else(|| id.to_owned(), |p| p.name.clone())
}
