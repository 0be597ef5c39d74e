//! The SVG map: Mercator over the case's area, land from Tumen's own
//! coastline (Natural Earth 1:10m, and GSHHG's full resolution round the
//! curated places: see [`Basemap`]), then places, tracks (AIS silences
//! dashed), routes (sea legs, rail legs) and event marks, a legend and a
//! scale bar. Every mark carries a `<title>` naming what it shows, and the
//! event marks link to their row of the evidence table.

use std::collections::BTreeSet;
use std::f64::consts::FRAC_PI_4;
use std::fmt::Write;

use tumen_model::{Event, EventKind, LatLon, PlaceKind};
use tumen_places::{Borders, CoastDetail, Land};

use crate::labels::{LabelLayout, Rect, text_width_px};
use crate::svg::{escape, path_through, px};

/// The land a map is drawn on: Natural Earth's coast everywhere and, where
/// it has one, a finer coast inside the detail's region (a ship at Dunay's
/// quays is drawn on the water, not 1.5 km inland).
#[derive(Clone, Copy)]
pub struct Basemap<'a> {
    pub land: &'a Land,
    pub detail: Option<&'a CoastDetail>,
    /// Country borders and names; none drawn without.
    pub borders: Option<&'a Borders>,
}

impl Basemap<'static> {
    /// The coastlines shipped with Tumen.
    pub fn embedded() -> Basemap<'static> {
        Basemap { land: Land::embedded(), detail: Some(CoastDetail::embedded()), borders: Some(Borders::embedded()) }
    }
}

/// A Mercator view of an area, fitted to a width in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    lon_min: f64,
    /// Mercator ordinates of the top and bottom, in degree-like units.
    y_max: f64,
    pixels_per_degree: f64,
    pub width_px: f64,
    pub height_px: f64,
}

/// Mercator's ordinate of a latitude, scaled like longitude degrees.
fn mercator(lat_deg: f64) -> f64 {
    let lat = lat_deg.clamp(-85.0, 85.0).to_radians();
    (FRAC_PI_4 + lat / 2.0).tan().ln().to_degrees()
}

fn inverse_mercator(y: f64) -> f64 {
    (2.0 * y.to_radians().exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
}

impl MapView {
    /// The view holding every point with a margin, at least `min_span_deg`
    /// across, `width_px` wide and between a third and three quarters of
    /// that high (the area grows to keep the aspect).
    pub fn fit(points: &[LatLon], width_px: f64, min_span_deg: f64) -> MapView {
        let (mut lon_min, mut lon_max, mut lat_min, mut lat_max) = (180.0f64, -180.0f64, 85.0f64, -85.0f64);
        for p in points.iter().filter(|p| p.lat_deg.is_finite() && p.lon_deg.is_finite()) {
            lon_min = lon_min.min(p.lon_deg);
            lon_max = lon_max.max(p.lon_deg);
            lat_min = lat_min.min(p.lat_deg.clamp(-85.0, 85.0));
            lat_max = lat_max.max(p.lat_deg.clamp(-85.0, 85.0));
        }
        if lon_min > lon_max {
            (lon_min, lon_max, lat_min, lat_max) = (-180.0, 180.0, -60.0, 75.0);
        }
        let (mut x0, mut x1) = (lon_min, lon_max);
        let (mut y0, mut y1) = (mercator(lat_min), mercator(lat_max));
        // A margin of an eighth each side, and the least span.
        let grow = |low: &mut f64, high: &mut f64, least: f64| {
            let span = (*high - *low).max(least);
            let centre = (*low + *high) / 2.0;
            *low = centre - span * 0.625;
            *high = centre + span * 0.625;
        };
        grow(&mut x0, &mut x1, min_span_deg);
        grow(&mut y0, &mut y1, min_span_deg);
        // Keep the height between a third and three quarters of the width.
        let aspect = (y1 - y0) / (x1 - x0);
        if aspect > 0.75 {
            let widen = (y1 - y0) / 0.75 - (x1 - x0);
            x0 -= widen / 2.0;
            x1 += widen / 2.0;
        } else if aspect < 1.0 / 3.0 {
            let heighten = (x1 - x0) / 3.0 - (y1 - y0);
            y0 -= heighten / 2.0;
            y1 += heighten / 2.0;
        }
        let pixels_per_degree = width_px / (x1 - x0);
        MapView { lon_min: x0, y_max: y1, pixels_per_degree, width_px, height_px: (y1 - y0) * pixels_per_degree }
    }

    /// Pixel (x, y) of a longitude and latitude.
    pub fn xy(&self, lon_deg: f64, lat_deg: f64) -> (f64, f64) {
        ((lon_deg - self.lon_min) * self.pixels_per_degree, (self.y_max - mercator(lat_deg)) * self.pixels_per_degree)
    }

    /// The area shown: (lon_min, lat_min, lon_max, lat_max).
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let lon_max = self.lon_min + self.width_px / self.pixels_per_degree;
        let lat_min = inverse_mercator(self.y_max - self.height_px / self.pixels_per_degree);
        (self.lon_min, lat_min, lon_max, inverse_mercator(self.y_max))
    }

    /// Kilometres a pixel spans at the middle of the view.
    fn km_per_pixel(&self) -> f64 {
        let (_, lat_min, _, lat_max) = self.bounds();
        let mid_lat = (lat_min + lat_max) / 2.0;
        tumen_model::METRES_PER_DEGREE / 1000.0 * mid_lat.to_radians().cos() / self.pixels_per_degree
    }
}

/// A place on the map.
#[derive(Clone, Debug)]
pub struct PlaceMark {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub centre: LatLon,
}

impl PlaceMark {
    pub fn of(place: &tumen_places::Place) -> PlaceMark {
        PlaceMark { id: place.id.clone(), name: place.name.clone(), kind: place.kind, centre: place.centre() }
    }
}

/// A vessel's positions, in time order.
#[derive(Clone, Debug, Default)]
pub struct TrackLine {
    pub label: String,
    /// (time ms, lat, lon).
    pub points: Vec<(i64, f64, f64)>,
}

/// What a mark is; drawn in a symbol and colour of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    /// A vessel seen by satellite that AIS did not explain.
    DarkDetection,
    /// A satellite detection matched to an AIS vessel.
    MatchedDetection,
    /// Where a vessel fell silent.
    WentDark,
    /// Two vessels together at sea.
    Encounter,
    /// An unusual count at a facility.
    FacilitySpike,
    /// Anything else located.
    Other,
}

impl MarkKind {
    pub fn of_event(kind: EventKind) -> MarkKind {
        match kind {
            EventKind::DarkDetection => MarkKind::DarkDetection,
            EventKind::DetectionMatch => MarkKind::MatchedDetection,
            EventKind::Gap | EventKind::AisDisabling => MarkKind::WentDark,
            EventKind::Encounter => MarkKind::Encounter,
            EventKind::FacilityAnomaly => MarkKind::FacilitySpike,
            _ => MarkKind::Other,
        }
    }

    fn legend(self) -> &'static str {
        match self {
            MarkKind::DarkDetection => "vessel seen by satellite, not on AIS",
            MarkKind::MatchedDetection => "satellite detection matched to AIS",
            MarkKind::WentDark => "AIS fell silent here",
            MarkKind::Encounter => "meeting at sea",
            MarkKind::FacilitySpike => "unusual count at a facility",
            MarkKind::Other => "other event",
        }
    }

    /// The symbol centred on (x, y).
    fn symbol(self, x: f64, y: f64) -> String {
        let (x, y) = (px(x), px(y));
        match self {
            MarkKind::DarkDetection => {
                format!(
                    r##"<path d="M{x} {y}m0 -7l7 7l-7 7l-7 -7z" fill="#c0392b" stroke="#fff" stroke-width="1.2"/>"##
                )
            }
            MarkKind::MatchedDetection => {
                format!(r##"<circle cx="{x}" cy="{y}" r="3.5" fill="#2e86c1" stroke="#fff" stroke-width="0.8"/>"##)
            }
            MarkKind::WentDark => {
                format!(r##"<circle cx="{x}" cy="{y}" r="5.5" fill="#fff" stroke="#e67e22" stroke-width="2.5"/>"##)
            }
            MarkKind::Encounter => {
                format!(r##"<path d="M{x} {y}m-6 -6l12 12m0 -12l-12 12" stroke="#8e44ad" stroke-width="3"/>"##)
            }
            MarkKind::FacilitySpike => format!(
                r##"<rect x="{x}" y="{y}" transform="translate(-7 -7)" width="14" height="14" fill="#c0392b" stroke="#fff" stroke-width="1.2"/>"##
            ),
            MarkKind::Other => format!(r##"<circle cx="{x}" cy="{y}" r="3" fill="#7f8c8d"/>"##),
        }
    }
}

/// An event on the map.
#[derive(Clone, Debug)]
pub struct Mark {
    pub kind: MarkKind,
    pub at: LatLon,
    /// Shown on hover.
    pub title: String,
    /// The evidence table's anchor.
    pub link: Option<String>,
}

impl Mark {
    /// An event's mark, if it is located: its kind's symbol, the event in
    /// words on hover, a link to its row.
    pub fn of_event(e: &Event) -> Option<Mark> {
        Some(Mark {
            kind: MarkKind::of_event(e.kind),
            at: e.position?,
            title: format!("{} {}: {}", e.start, e.kind, crate::describe::describe(e)),
            link: Some(e.id.clone()),
        })
    }
}

/// A line between places: a sea leg or a rail leg.
#[derive(Clone, Debug)]
pub struct Route {
    pub stops: Vec<LatLon>,
    pub kind: RouteKind,
    pub title: String,
}

/// What a route is, each drawn in a style of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// The suspected voyage.
    Sea,
    /// The cargo's way on by rail from where it landed.
    Rail,
    /// A rail route the cargo did not take whose counts corroborate the
    /// period (the overland crossing from the origin's side).
    RailOverland,
}

impl RouteKind {
    fn stroke(self) -> &'static str {
        match self {
            RouteKind::Sea => r##"stroke="#c0392b" stroke-width="2.5" stroke-dasharray="8 5" opacity="0.85""##,
            RouteKind::Rail => r##"stroke="#222" stroke-width="2.5" stroke-dasharray="10 4 2 4""##,
            RouteKind::RailOverland => r##"stroke="#7f8c8d" stroke-width="1.8" stroke-dasharray="2 4""##,
        }
    }

    fn legend(self) -> &'static str {
        match self {
            RouteKind::Sea => "suspected sea leg",
            RouteKind::Rail => "rail on from the landing port (schematic)",
            RouteKind::RailOverland => "rail-only route overland (schematic; corroborates)",
        }
    }
}

/// Everything drawn on one map.
#[derive(Clone, Debug, Default)]
pub struct MapContent {
    pub places: Vec<PlaceMark>,
    pub tracks: Vec<TrackLine>,
    pub routes: Vec<Route>,
    pub marks: Vec<Mark>,
}

/// A silence longer than this between two positions of a track is drawn
/// dashed: the vessel was not heard.
pub const SILENCE_DRAWN_MS: i64 = 2 * 3_600_000;

const TRACK_COLOURS: [&str; 6] = ["#1f4e79", "#117a65", "#7d3c98", "#a04000", "#2e4053", "#b7950b"];

/// The map as an SVG element: the view, with its legend in a band below.
pub fn render(view: &MapView, basemap: &Basemap, content: &MapContent, caption: &str) -> String {
    let (w, h) = (view.width_px, view.height_px);
    let mut body = String::new();
    let _ = write!(body, r##"<rect width="{}" height="{}" fill="#dbe9f4"/>"##, px(w), px(h));
    let detail_drawn = draw_land(&mut body, view, basemap);
    if let Some(borders) = basemap.borders {
        draw_borders(&mut body, view, borders);
    }
    for route in &content.routes {
        let points: Vec<(f64, f64)> = route.stops.iter().map(|p| view.xy(p.lon_deg, p.lat_deg)).collect();
        let style = route.kind.stroke();
        let _ = write!(
            body,
            r##"<path d="{}" fill="none" {style}><title>{}</title></path>"##,
            path_through(&points, false),
            escape(&route.title)
        );
    }
    for (i, track) in content.tracks.iter().enumerate() {
        draw_track(&mut body, view, track, TRACK_COLOURS[i % TRACK_COLOURS.len()]);
    }
    let mut layout = LabelLayout::new(w, h);
    draw_scale_bar(&mut body, view, &mut layout);
    let attribution = if detail_drawn {
        "Coast and borders: Natural Earth 1:10m (public domain); GSHHG full resolution (LGPL-3.0), Wessel &amp; Smith"
    } else {
        "Coast and borders: Natural Earth 1:10m (public domain)"
    };
    let _ = write!(
        body,
        r##"<text x="{}" y="{}" text-anchor="end" class="attribution">{attribution}</text>"##,
        px(w - 6.0),
        px(h - 6.0),
    );
    let attribution_px = text_width_px(&attribution.replace("&amp;", "&"), 11.0);
    layout.block(Rect { left: w - 6.0 - attribution_px, top: h - 18.0, right: w, bottom: h });
    let shown: Vec<(&PlaceMark, f64, f64)> = content
        .places
        .iter()
        .filter(|p| p.kind != PlaceKind::Zone)
        .map(|p| {
            let (x, y) = view.xy(p.centre.lon_deg, p.centre.lat_deg);
            (p, x, y)
        })
        .filter(|&(_, x, y)| (0.0..=w).contains(&x) && (0.0..=h).contains(&y))
        .collect();
    for &(place, x, y) in &shown {
        layout.block(Rect::around(x, y, PLACE_SYMBOL_HALF_PX));
        let _ = write!(
            body,
            r##"<g class="place">{}<title>{} ({})</title></g>"##,
            place_symbol(place.kind, x, y),
            escape(&place.name),
            place.kind.as_str()
        );
    }
    let mut kinds = BTreeSet::new();
    for mark in &content.marks {
        let (x, y) = view.xy(mark.at.lon_deg, mark.at.lat_deg);
        if !(0.0..=w).contains(&x) || !(0.0..=h).contains(&y) {
            continue;
        }
        kinds.insert(mark.kind);
        layout.block(Rect::around(x, y, MARK_SYMBOL_HALF_PX));
        let symbol = mark.kind.symbol(x, y);
        let title = format!("<title>{}</title>", escape(&mark.title));
        match &mark.link {
            Some(anchor) => {
                let _ = write!(body, r##"<a href="#{}"><g>{symbol}{title}</g></a>"##, escape(anchor));
            }
            None => {
                let _ = write!(body, "<g>{symbol}{title}</g>");
            }
        }
    }
    // Labels last, over everything, each where it is free; countries' names
    // after the places', where room is left.
    let mut place_labels = String::new();
    for &(place, x, y) in &shown {
        if let Some(spot) = layout.place_beside(x, y, PLACE_SYMBOL_HALF_PX, &place.name, LABEL_FONT_PX) {
            let title = format!("{} ({})", place.name, place.kind.as_str());
            place_labels.push_str(&spot.svg_text("label", &place.name, Some(&title)));
        }
    }
    if let Some(borders) = basemap.borders {
        name_countries(&mut body, view, borders, &mut layout);
    }
    body.push_str(&place_labels);
    let legend = legend_rows(content, &kinds);
    let legend_px = LEGEND_ROW_PX * legend.len().div_ceil(LEGEND_COLUMNS) as f64 + 10.0;
    let total_h = h + legend_px;
    let mut svg = String::with_capacity(body.len() + 4096);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">"##,
        px(w),
        px(total_h),
        px(w),
        px(total_h),
        escape(caption)
    );
    svg.push_str(&body);
    let column_px = w / LEGEND_COLUMNS as f64;
    for (i, (symbol, label)) in legend.iter().enumerate() {
        let (column, row) = (i % LEGEND_COLUMNS, i / LEGEND_COLUMNS);
        let (x, y) = (8.0 + column as f64 * column_px, h + 14.0 + row as f64 * LEGEND_ROW_PX);
        let _ = write!(
            svg,
            r##"<g transform="translate({} {})">{symbol}</g><text x="{}" y="{}" class="legend-text">{}</text>"##,
            px(x),
            px(y),
            px(x + 30.0),
            px(y + 4.0),
            escape(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

const LEGEND_COLUMNS: usize = 3;
const LEGEND_ROW_PX: f64 = 18.0;

const LAND_FILL: &str = "#efe9dc";
const SHORE_STROKE: &str = r##"stroke="#9c8f74" stroke-width="0.6""##;

/// Draws the land in a viewport of its own (nothing spills into the legend
/// band): Natural Earth's outside the detail's region, the detail's inside
/// it — its land filled without a stroke, since its edges along the
/// region's border are not shore, and its shore stroked as lines. Whether
/// the detail was drawn.
fn draw_land(body: &mut String, view: &MapView, basemap: &Basemap) -> bool {
    let (w, h) = (view.width_px, view.height_px);
    let (lon_min, lat_min, lon_max, lat_max) = view.bounds();
    let coarse = rings_path(view, basemap.land.rings_within(lon_min, lat_min, lon_max, lat_max));
    let detail = basemap.detail.map(|d| {
        (
            rings_path(view, d.region_within(lon_min, lat_min, lon_max, lat_max)),
            rings_path(view, d.land_within(lon_min, lat_min, lon_max, lat_max)),
            lines_path(view, d.shore_within(lon_min, lat_min, lon_max, lat_max)),
        )
    });
    let _ = write!(body, r#"<svg width="{}" height="{}">"#, px(w), px(h));
    let drawn = match detail {
        Some((region, land, shore)) if !region.is_empty() => {
            // The view less the region (even-odd), as the coarse land's clip.
            let id = format!("outside-detail-{}", clip_id(view));
            let margin = CLIP_MARGIN_PX;
            let _ = write!(
                body,
                r##"<clipPath id="{id}"><path d="M{} {}H{}V{}H{}Z{region}" clip-rule="evenodd"/></clipPath>"##,
                px(-margin),
                px(-margin),
                px(w + margin),
                px(h + margin),
                px(-margin)
            );
            if !coarse.is_empty() {
                let _ = write!(
                    body,
                    r##"<path d="{coarse}" fill="{LAND_FILL}" {SHORE_STROKE} fill-rule="evenodd" clip-path="url(#{id})"/>"##
                );
            }
            if !land.is_empty() {
                let _ = write!(body, r##"<path d="{land}" fill="{LAND_FILL}" fill-rule="evenodd"/>"##);
            }
            if !shore.is_empty() {
                let _ = write!(body, r##"<path d="{shore}" fill="none" {SHORE_STROKE}/>"##);
            }
            true
        }
        _ => {
            if !coarse.is_empty() {
                let _ = write!(body, r##"<path d="{coarse}" fill="{LAND_FILL}" {SHORE_STROKE} fill-rule="evenodd"/>"##);
            }
            false
        }
    };
    body.push_str("</svg>");
    drawn
}

/// How far past the view clipped shapes reach, so their cut edges fall
/// outside it.
const CLIP_MARGIN_PX: f64 = 8.0;

/// An id for a view's clip path, the same for the same view (a page with
/// two maps of one view defines one shape twice, harmlessly).
fn clip_id(view: &MapView) -> String {
    let (lon_min, lat_min, lon_max, lat_max) = view.bounds();
    format!("{:.0}-{:.0}-{:.0}-{:.0}", lon_min * 1e4, lat_min * 1e4, lon_max * 1e4, lat_max * 1e4).replace('-', "m")
}

/// Rings as one even-odd path: each clipped to the view (with a margin)
/// and thinned to points at least half a pixel apart.
fn rings_path(view: &MapView, rings: Vec<&[[f32; 2]]>) -> String {
    let margin = CLIP_MARGIN_PX;
    let clip = (-margin, -margin, view.width_px + margin, view.height_px + margin);
    let mut d = String::new();
    for ring in rings {
        let projected: Vec<(f64, f64)> = ring.iter().map(|p| view.xy(f64::from(p[0]), f64::from(p[1]))).collect();
        let clipped = clip_polygon(&projected, clip);
        let thinned = thin(&clipped, 0.5);
        if thinned.len() >= 3 {
            d.push_str(&path_through(&thinned, true));
        }
    }
    d
}

/// Open lines as one path: the stretches with a point inside the view
/// (with a margin), thinned like rings.
fn lines_path(view: &MapView, lines: Vec<&[[f32; 2]]>) -> String {
    let margin = CLIP_MARGIN_PX;
    let inside = |&(x, y): &(f64, f64)| {
        (-margin..=view.width_px + margin).contains(&x) && (-margin..=view.height_px + margin).contains(&y)
    };
    let mut d = String::new();
    for line in lines {
        let projected: Vec<(f64, f64)> = line.iter().map(|p| view.xy(f64::from(p[0]), f64::from(p[1]))).collect();
        for stretch in stretches_inside(&projected, inside) {
            let thinned = thin(stretch, 0.5);
            if thinned.len() >= 2 {
                d.push_str(&path_through(&thinned, false));
            }
        }
    }
    d
}

/// The stretches of a line whose segments have an end inside.
fn stretches_inside(points: &[(f64, f64)], inside: impl Fn(&(f64, f64)) -> bool) -> Vec<&[(f64, f64)]> {
    let mut stretches = Vec::new();
    let mut start = None;
    for i in 0..points.len().saturating_sub(1) {
        let kept = inside(&points[i]) || inside(&points[i + 1]);
        match (kept, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                stretches.push(&points[from..=i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        stretches.push(&points[from..]);
    }
    stretches
}

/// Sutherland–Hodgman: the part of a polygon inside an axis-aligned
/// rectangle (x0, y0, x1, y1). A concave ring may come back with edges
/// running along the rectangle; filled, they fall outside the view.
fn clip_polygon(points: &[(f64, f64)], (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Vec<(f64, f64)> {
    type Inside = fn(f64, f64, f64) -> bool;
    let edges: [(Inside, f64, bool); 4] = [
        (|x, _, e| x >= e, x0, true),
        (|x, _, e| x <= e, x1, true),
        (|_, y, e| y >= e, y0, false),
        (|_, y, e| y <= e, y1, false),
    ];
    let mut polygon = points.to_vec();
    for (inside, edge, vertical) in edges {
        if polygon.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(polygon.len());
        let crossing = |a: (f64, f64), b: (f64, f64)| {
            if vertical {
                let t = (edge - a.0) / (b.0 - a.0);
                (edge, a.1 + t * (b.1 - a.1))
            } else {
                let t = (edge - a.1) / (b.1 - a.1);
                (a.0 + t * (b.0 - a.0), edge)
            }
        };
        let mut previous = *polygon.last().expect("not empty");
        for &current in &polygon {
            let (current_in, previous_in) = (inside(current.0, current.1, edge), inside(previous.0, previous.1, edge));
            if current_in {
                if !previous_in {
                    out.push(crossing(previous, current));
                }
                out.push(current);
            } else if previous_in {
                out.push(crossing(previous, current));
            }
            previous = current;
        }
        polygon = out;
    }
    polygon
}

/// The points at least `min_px` from the last one kept (the last point
/// always kept).
fn thin(points: &[(f64, f64)], min_px: f64) -> Vec<(f64, f64)> {
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len() / 4 + 2);
    for (i, &p) in points.iter().enumerate() {
        let far = kept.last().is_none_or(|&(x, y)| (p.0 - x).abs() + (p.1 - y).abs() >= min_px);
        if far || i + 1 == points.len() {
            kept.push(p);
        }
    }
    kept
}

/// A track: heard stretches solid, silences longer than
/// [`SILENCE_DRAWN_MS`] dashed from the last fix before to the first after.
fn draw_track(svg: &mut String, view: &MapView, track: &TrackLine, colour: &str) {
    let mut heard: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    let mut silences = Vec::new();
    let mut previous: Option<(i64, (f64, f64))> = None;
    for &(time_ms, lat, lon) in &track.points {
        let xy = view.xy(lon, lat);
        if let Some((before_ms, before_xy)) = previous
            && time_ms - before_ms > SILENCE_DRAWN_MS
        {
            silences.push((before_xy, xy, (time_ms - before_ms) as f64 / 3_600_000.0));
            heard.push(Vec::new());
        }
        heard.last_mut().expect("never empty").push(xy);
        previous = Some((time_ms, xy));
    }
    let _ = write!(svg, r##"<g class="track"><title>{}</title>"##, escape(&track.label));
    for stretch in heard.iter().map(|s| thin(s, 1.0)).filter(|s| s.len() >= 2) {
        let _ = write!(
            svg,
            r##"<path d="{}" fill="none" stroke="{colour}" stroke-width="1.8" stroke-linejoin="round"/>"##,
            path_through(&stretch, false)
        );
    }
    for (from, to, hours) in silences {
        let _ = write!(
            svg,
            r##"<path d="{}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-dasharray="3 4"><title>{}: silent {hours:.1} h</title></path>"##,
            path_through(&[from, to], false),
            escape(&track.label)
        );
    }
    svg.push_str("</g>");
}

/// Land borders as thin dashed lines over the land, inside the view.
fn draw_borders(body: &mut String, view: &MapView, borders: &Borders) {
    let (lon_min, lat_min, lon_max, lat_max) = view.bounds();
    let lines = lines_path(view, borders.lines_within(lon_min, lat_min, lon_max, lat_max));
    if !lines.is_empty() {
        let _ = write!(
            body,
            r##"<svg width="{}" height="{}"><path d="{lines}" fill="none" stroke="#8e7f66" stroke-width="1.1" stroke-dasharray="5 2 1 2" class="border"/></svg>"##,
            px(view.width_px),
            px(view.height_px)
        );
    }
}

/// Each country in the view named once, in capitals, at the point inside
/// it nearest the middle of its part of the view where the name is free.
fn name_countries(body: &mut String, view: &MapView, borders: &Borders, layout: &mut LabelLayout) {
    let (lon_min, lat_min, lon_max, lat_max) = view.bounds();
    for (name, points) in borders.names_within(lon_min, lat_min, lon_max, lat_max) {
        let text = name.to_uppercase();
        let xy: Vec<(f64, f64)> = points.iter().map(|p| view.xy(f64::from(p[0]), f64::from(p[1]))).collect();
        let middle = (
            xy.iter().map(|p| p.0).sum::<f64>() / xy.len() as f64,
            xy.iter().map(|p| p.1).sum::<f64>() / xy.len() as f64,
        );
        let mut spots: Vec<(f64, f64, &'static str)> =
            xy.iter().map(|&(x, y)| (x, y + COUNTRY_FONT_PX * 0.35, "middle")).collect();
        spots.sort_by(|a, b| {
            let d = |s: &(f64, f64, &str)| (s.0 - middle.0).powi(2) + (s.1 - middle.1).powi(2);
            d(a).total_cmp(&d(b))
        });
        spots.truncate(24);
        // The style spaces letters 1 px apart.
        let width = text_width_px(&text, COUNTRY_FONT_PX) + text.chars().count() as f64;
        if let Some(spot) = layout.place_width_at(&spots, width, COUNTRY_FONT_PX) {
            body.push_str(&spot.svg_text("country", &text, None));
        }
    }
}

/// Country names' size (the `.country` style).
const COUNTRY_FONT_PX: f64 = 13.0;

/// How far a place's symbol and an event's mark reach from their point.
const PLACE_SYMBOL_HALF_PX: f64 = 6.0;
const MARK_SYMBOL_HALF_PX: f64 = 7.0;
/// Place labels' size (the `.label` style).
const LABEL_FONT_PX: f64 = 12.0;

/// A place's symbol centred on (x, y): ports and anchorages a ring, rail
/// facilities and crossings a square, depots a triangle.
fn place_symbol(kind: PlaceKind, x: f64, y: f64) -> String {
    match kind {
        PlaceKind::Port | PlaceKind::Anchorage => {
            format!(r##"<circle cx="{}" cy="{}" r="5" fill="#fff" stroke="#1b2631" stroke-width="2"/>"##, px(x), px(y))
        }
        PlaceKind::RailFacility | PlaceKind::BorderCrossing => {
            format!(r##"<rect x="{}" y="{}" width="9" height="9" fill="#1b2631"/>"##, px(x - 4.5), px(y - 4.5))
        }
        PlaceKind::Depot => format!(r##"<path d="M{} {}l6 10h-12z" fill="#1b2631"/>"##, px(x), px(y - 6.0)),
        PlaceKind::Zone => String::new(),
    }
}

/// The legend: a symbol and a label for each thing drawn.
fn legend_rows(content: &MapContent, kinds: &BTreeSet<MarkKind>) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Vec::new();
    for (i, track) in content.tracks.iter().enumerate() {
        let colour = TRACK_COLOURS[i % TRACK_COLOURS.len()];
        rows.push((
            format!(r##"<path d="M0 0h22" stroke="{colour}" stroke-width="2"/>"##),
            format!("{} (AIS)", track.label),
        ));
    }
    if !content.tracks.is_empty() {
        rows.push((
            r##"<path d="M0 0h22" stroke="#555" stroke-width="1.6" stroke-dasharray="3 4"/>"##.to_owned(),
            "AIS silent".to_owned(),
        ));
    }
    for kind in [RouteKind::Sea, RouteKind::Rail, RouteKind::RailOverland] {
        if content.routes.iter().any(|r| r.kind == kind) {
            rows.push((format!(r##"<path d="M0 0h22" {}/>"##, kind.stroke()), kind.legend().to_owned()));
        }
    }
    for kind in kinds {
        rows.push((kind.symbol(11.0, 0.0), kind.legend().to_owned()));
    }
    rows
}

/// A bar of a round number of kilometres, about a seventh of the width.
fn draw_scale_bar(svg: &mut String, view: &MapView, layout: &mut LabelLayout) {
    let km_per_px = view.km_per_pixel();
    let wanted_km = km_per_px * view.width_px / 7.0;
    let magnitude = 10f64.powf(wanted_km.log10().floor());
    let km = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).rfind(|&k| k <= wanted_km).unwrap_or(magnitude);
    let bar_px = km / km_per_px;
    let (x, y) = (view.width_px - bar_px - 16.0, view.height_px - 24.0);
    let label = if km >= 1.0 { format!("{km:.0} km") } else { format!("{:.0} m", km * 1000.0) };
    layout.block(Rect { left: x - 4.0, top: y - 20.0, right: x + bar_px + 4.0, bottom: y + 2.0 });
    let _ = write!(
        svg,
        r##"<g class="scale"><path d="M{} {}v-5h{}v5" fill="none" stroke="#222" stroke-width="1.5"/><text x="{}" y="{}" text-anchor="middle" class="legend-text">{label}</text></g>"##,
        px(x),
        px(y),
        px(bar_px),
        px(x + bar_px / 2.0),
        px(y - 8.0)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat_deg: f64, lon_deg: f64) -> LatLon {
        LatLon { lat_deg, lon_deg }
    }

    #[test]
    fn the_view_holds_every_point_inside_its_margin() {
        let points = [at(42.23, 130.3), at(42.9, 132.4), at(45.83, 40.13)];
        let view = MapView::fit(&points, 960.0, 0.5);
        for p in points {
            let (x, y) = view.xy(p.lon_deg, p.lat_deg);
            assert!(x > 0.0 && x < view.width_px && y > 0.0 && y < view.height_px, "{p:?} at {x},{y}");
        }
        assert!(view.height_px >= 960.0 / 3.0 - 1e-6 && view.height_px <= 960.0 * 0.75 + 1e-6);
        let (lon_min, lat_min, lon_max, lat_max) = view.bounds();
        assert!(lon_min < 40.13 && lon_max > 132.4 && lat_min < 42.23 && lat_max > 45.83);
    }

    #[test]
    fn north_is_up_and_east_is_right() {
        let view = MapView::fit(&[at(42.0, 130.0), at(43.0, 132.0)], 800.0, 0.5);
        let (west_x, south_y) = view.xy(130.0, 42.0);
        let (east_x, north_y) = view.xy(132.0, 43.0);
        assert!(east_x > west_x && north_y < south_y);
    }

    #[test]
    fn a_polygon_is_clipped_to_the_rectangle() {
        let square = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)];
        let clipped = clip_polygon(&square, (0.0, 0.0, 5.0, 5.0));
        assert!(clipped.iter().all(|&(x, y)| (0.0..=5.0).contains(&x) && (0.0..=5.0).contains(&y)));
        let area: f64 = clipped.iter().zip(clipped.iter().cycle().skip(1)).map(|(a, b)| a.0 * b.1 - b.0 * a.1).sum();
        assert!((area.abs() / 2.0 - 25.0).abs() < 1e-9);
    }

    #[test]
    fn the_land_of_the_case_is_drawn_and_the_sea_is_not() {
        let basemap = Basemap::embedded();
        let view = MapView::fit(&[at(42.2, 130.2), at(43.2, 132.6)], 600.0, 0.5);
        let svg = render(&view, &basemap, &MapContent::default(), "test");
        assert!(svg.contains("fill-rule=\"evenodd\""), "no land drawn");
        // Open sea far from any shore has no land path at all.
        let view = MapView::fit(&[at(-40.0, -120.0), at(-39.0, -119.0)], 600.0, 0.5);
        assert!(!render(&view, &basemap, &MapContent::default(), "test").contains("evenodd"));
    }

    #[test]
    fn the_finer_coast_is_drawn_round_the_curated_places_only() {
        let basemap = Basemap::embedded();
        let dunay = MapView::fit(&[at(42.85, 132.25), at(42.92, 132.42)], 600.0, 0.1);
        let svg = render(&dunay, &basemap, &MapContent::default(), "test");
        assert!(svg.contains("clip-path=\"url(#outside-detail-"), "Natural Earth's coast is not cut out");
        assert!(svg.contains("GSHHG"), "the detail's source is not credited");
        // Cape Town: Natural Earth only, credited alone.
        let elsewhere = MapView::fit(&[at(-34.0, 18.3), at(-33.8, 18.5)], 600.0, 0.1);
        let svg = render(&elsewhere, &basemap, &MapContent::default(), "test");
        assert!(svg.contains("evenodd") && !svg.contains("clip-path") && !svg.contains("GSHHG"));
        // Without the detail, the Dunay view is drawn as before.
        let coarse = Basemap { detail: None, ..basemap };
        assert!(!render(&dunay, &coarse, &MapContent::default(), "test").contains("GSHHG"));
    }

    #[test]
    fn a_line_keeps_the_stretches_that_touch_the_view() {
        let xs = [-5.0, -4.0, 1.0, 2.0, 12.0, 14.0, 13.0, 3.0];
        let line: Vec<(f64, f64)> = xs.iter().map(|&x| (x, 0.0)).collect();
        let inside = |&(x, _): &(f64, f64)| (0.0..=10.0).contains(&x);
        let stretches = stretches_inside(&line, inside);
        // Out at both ends of a segment is dropped; a segment reaching in
        // is kept whole.
        assert_eq!(stretches, vec![&line[1..=4], &line[6..]]);
    }

    #[test]
    fn borders_and_the_countries_either_side_are_drawn() {
        let view = MapView::fit(&[at(42.23, 130.3), at(42.9, 132.35)], 1000.0, 0.5);
        let svg = render(&view, &Basemap::embedded(), &MapContent::default(), "t");
        assert!(svg.contains(r#"class="border""#), "no border drawn");
        for name in [">NORTH KOREA<", ">RUSSIA<", ">CHINA<"] {
            assert!(svg.contains(name), "{name} not named");
        }
        let without = Basemap { borders: None, ..Basemap::embedded() };
        assert!(!render(&view, &without, &MapContent::default(), "t").contains(r#"class="border""#));
    }

    #[test]
    fn place_labels_stay_inside_the_frame_and_off_each_other() {
        let view = MapView::fit(&[at(42.0, 130.0), at(43.0, 132.0)], 800.0, 0.5);
        let (lon_min, _, lon_max, _) = view.bounds();
        let place = |id: &str, lat: f64, lon: f64| PlaceMark {
            id: id.into(),
            name: format!("{id} with a long name"),
            kind: PlaceKind::Port,
            centre: at(lat, lon),
        };
        // One at the east edge, two on top of each other.
        let content = MapContent {
            places: vec![place("east", 42.5, lon_max - 0.01), place("a", 42.5, 131.0), place("b", 42.5, 131.001)],
            ..MapContent::default()
        };
        let svg = render(&view, &Basemap { borders: None, ..Basemap::embedded() }, &content, "t");
        let east = svg.find(">east with a long name<").expect("the edge place is labelled");
        assert!(svg[..east].rfind("text-anchor=\"end\"") > svg[..east].rfind("<text"), "turned inwards");
        assert!(svg.contains(">a with a long name<") && svg.contains(">b with a long name<"));
        assert!(lon_min < 131.0);
    }

    #[test]
    fn silences_are_dashed_and_marks_link_to_their_evidence() {
        let view = MapView::fit(&[at(42.0, 130.0), at(43.0, 132.0)], 800.0, 0.5);
        let track = TrackLine {
            label: "TEST <1>".into(),
            points: vec![(0, 42.1, 130.1), (600_000, 42.2, 130.2), (600_000 + SILENCE_DRAWN_MS + 1, 42.8, 131.8)],
        };
        let content = MapContent {
            tracks: vec![track],
            marks: vec![Mark {
                kind: MarkKind::DarkDetection,
                at: at(42.5, 131.0),
                title: "dark".into(),
                link: Some("ev-1".into()),
            }],
            ..MapContent::default()
        };
        let svg = render(&view, &Basemap::embedded(), &content, "t");
        assert!(svg.contains("stroke-dasharray=\"3 4\""));
        assert!(svg.contains("silent 2.0 h"));
        assert!(svg.contains("href=\"#ev-1\""));
        assert!(svg.contains("TEST &lt;1&gt;"));
    }
}
