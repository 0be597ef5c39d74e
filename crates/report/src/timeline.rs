//! The timeline: one lane per vessel and per facility over the case's
//! window — when AIS heard the vessel, its port calls, its silences, what
//! satellites saw, the facility spikes — with the chain's loading and
//! landing windows shaded behind.

use std::fmt::Write;

use tumen_model::{EventKind, Timestamp};

use crate::labels::{LabelLayout, text_width_px};
use crate::map::MarkKind;
use crate::svg::{escape, px};

/// How a span is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanStyle {
    /// At a port or anchorage.
    PortCall,
    /// AIS silent (a gap or a disabling).
    Silent,
    /// Anything else lasting (loitering, an encounter).
    Other,
}

impl SpanStyle {
    /// How an event of `kind` is drawn when it lasts; `None`: as a moment.
    pub fn of_event(kind: EventKind) -> Option<SpanStyle> {
        match kind {
            EventKind::PortVisit => Some(SpanStyle::PortCall),
            EventKind::Gap | EventKind::AisDisabling => Some(SpanStyle::Silent),
            EventKind::Loitering | EventKind::Encounter => Some(SpanStyle::Other),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Span {
    pub from_ms: i64,
    pub to_ms: i64,
    pub style: SpanStyle,
    pub label: String,
    pub link: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Moment {
    pub at_ms: i64,
    pub kind: MarkKind,
    pub label: String,
    pub link: Option<String>,
}

/// One row of the timeline.
#[derive(Clone, Debug, Default)]
pub struct Lane {
    pub label: String,
    /// Stretches in which AIS heard the vessel.
    pub heard: Vec<(i64, i64)>,
    pub spans: Vec<Span>,
    pub moments: Vec<Moment>,
}

/// A shaded window behind every lane.
#[derive(Clone, Debug)]
pub struct Band {
    pub from_ms: i64,
    pub to_ms: i64,
    pub label: String,
}

const LABEL_PX: f64 = 190.0;
const LANE_PX: f64 = 34.0;
/// Two rows of window labels, then the dates.
const AXIS_PX: f64 = 48.0;
const TEXT_PX: f64 = 11.0;
const LANE_TEXT_PX: f64 = 12.0;

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Tick spacing: the first of these giving at most ten ticks.
const TICK_STEPS_MS: [i64; 9] = [
    3_600_000,
    6 * 3_600_000,
    86_400_000,
    2 * 86_400_000,
    7 * 86_400_000,
    14 * 86_400_000,
    30 * 86_400_000,
    91 * 86_400_000,
    365 * 86_400_000,
];

/// The timeline as an SVG element `width_px` wide.
pub fn render(lanes: &[Lane], bands: &[Band], from_ms: i64, to_ms: i64, width_px: f64) -> String {
    let to_ms = to_ms.max(from_ms + 3_600_000);
    let plot_px = width_px - LABEL_PX - 10.0;
    let x = |t: i64| LABEL_PX + (t.clamp(from_ms, to_ms) - from_ms) as f64 / (to_ms - from_ms) as f64 * plot_px;
    let height = AXIS_PX + lanes.len().max(1) as f64 * LANE_PX + 8.0;
    let mut layout = LabelLayout::new(width_px, height);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="timeline">"##,
        w = px(width_px),
        h = px(height)
    );
    for band in bands {
        let (x0, x1) = (x(band.from_ms), x(band.to_ms));
        let _ = write!(
            svg,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#f9e79f" opacity="0.55"><title>{}</title></rect>"##,
            px(x0),
            px(AXIS_PX - 6.0),
            px((x1 - x0).max(2.0)),
            px(height - AXIS_PX),
            escape(&band.label),
        );
        // Over the window's start, else its end, on the first row free.
        let spots = [(x0, 13.0, "start"), (x1, 13.0, "end"), (x0, 27.0, "start"), (x1, 27.0, "end")];
        if let Some(spot) = layout.place_at(&spots, &band.label, TEXT_PX) {
            svg.push_str(&spot.svg_text("band-label", &band.label, None));
        }
    }
    draw_axis(&mut svg, from_ms, to_ms, &x, height, &mut layout);
    for (i, lane) in lanes.iter().enumerate() {
        let top = AXIS_PX + i as f64 * LANE_PX;
        let mid = top + LANE_PX / 2.0;
        let _ = write!(
            svg,
            r##"<text x="4" y="{}" class="lane-label">{}<title>{}</title></text><path d="M{} {}H{}" stroke="#ddd"/>"##,
            px(mid + 4.0),
            escape(&fitted(&lane.label, LABEL_PX - 10.0, LANE_TEXT_PX)),
            escape(&lane.label),
            px(LABEL_PX),
            px(mid),
            px(width_px - 10.0)
        );
        for &(a, b) in &lane.heard {
            let _ = write!(
                svg,
                r##"<rect x="{}" y="{}" width="{}" height="4" fill="#85929e"><title>AIS heard</title></rect>"##,
                px(x(a)),
                px(mid - 2.0),
                px((x(b) - x(a)).max(1.0))
            );
        }
        for span in &lane.spans {
            let (x0, x1) = (x(span.from_ms), x(span.to_ms));
            let shape = match span.style {
                SpanStyle::PortCall => format!(
                    r##"<rect x="{}" y="{}" width="{}" height="14" rx="2" fill="#2e86c1"/>"##,
                    px(x0),
                    px(mid - 7.0),
                    px((x1 - x0).max(3.0))
                ),
                SpanStyle::Silent => format!(
                    r##"<path d="M{} {}H{}" stroke="#e67e22" stroke-width="4" stroke-dasharray="5 3"/>"##,
                    px(x0),
                    px(mid),
                    px(x1.max(x0 + 3.0))
                ),
                SpanStyle::Other => format!(
                    r##"<rect x="{}" y="{}" width="{}" height="10" fill="#8e44ad" opacity="0.7"/>"##,
                    px(x0),
                    px(mid - 5.0),
                    px((x1 - x0).max(3.0))
                ),
            };
            linked(&mut svg, &shape, &span.label, span.link.as_deref());
        }
        for moment in &lane.moments {
            let shape = moment_symbol(moment.kind, x(moment.at_ms), mid);
            linked(&mut svg, &shape, &moment.label, moment.link.as_deref());
        }
    }
    svg.push_str("</svg>");
    svg
}

fn moment_symbol(kind: MarkKind, x: f64, y: f64) -> String {
    let (x, y) = (px(x), px(y));
    match kind {
        MarkKind::DarkDetection => {
            format!(r##"<path d="M{x} {y}m0 -8l8 8l-8 8l-8 -8z" fill="#c0392b" stroke="#fff"/>"##)
        }
        MarkKind::FacilitySpike => {
            format!(r##"<rect x="{x}" y="{y}" transform="translate(-7 -7)" width="14" height="14" fill="#c0392b"/>"##)
        }
        MarkKind::MatchedDetection => format!(r##"<circle cx="{x}" cy="{y}" r="4" fill="#2e86c1" stroke="#fff"/>"##),
        MarkKind::WentDark => {
            format!(r##"<circle cx="{x}" cy="{y}" r="5" fill="#fff" stroke="#e67e22" stroke-width="2.5"/>"##)
        }
        MarkKind::Encounter => {
            format!(r##"<path d="M{x} {y}m-6 -6l12 12m0 -12l-12 12" stroke="#8e44ad" stroke-width="3"/>"##)
        }
        MarkKind::Other => format!(r##"<circle cx="{x}" cy="{y}" r="4" fill="#566573"/>"##),
    }
}

/// A shape with its hover title, linked to its evidence row when it has one.
fn linked(svg: &mut String, shape: &str, label: &str, link: Option<&str>) {
    let title = format!("<title>{}</title>", escape(label));
    match link {
        Some(anchor) => {
            let _ = write!(svg, r##"<a href="#{}"><g>{shape}{title}</g></a>"##, escape(anchor));
        }
        None => {
            let _ = write!(svg, "<g>{shape}{title}</g>");
        }
    }
}

/// `text` cut to fit `width_px` at `font_px`, with an ellipsis when cut.
fn fitted(text: &str, width_px: f64, font_px: f64) -> String {
    if text_width_px(text, font_px) <= width_px {
        return text.to_owned();
    }
    let mut cut: String = text.to_owned();
    while !cut.is_empty() && text_width_px(&format!("{cut}…"), font_px) > width_px {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

fn draw_axis(
    svg: &mut String,
    from_ms: i64,
    to_ms: i64,
    x: &dyn Fn(i64) -> f64,
    height: f64,
    layout: &mut LabelLayout,
) {
    let step = TICK_STEPS_MS.iter().copied().find(|s| (to_ms - from_ms) / s <= 10).unwrap_or(TICK_STEPS_MS[8]);
    // Ticks on whole steps from midnight UTC.
    let mut tick = from_ms.div_euclid(86_400_000) * 86_400_000;
    while tick < from_ms {
        tick += step;
    }
    let mut last_year = None;
    while tick <= to_ms {
        let label = Timestamp::from_unix_ms(tick).utc_fields().map(|f| {
            let year = if last_year != Some(f.year) { format!(" {}", f.year) } else { String::new() };
            last_year = Some(f.year);
            if step < 86_400_000 {
                format!("{} {} {:02}:00{year}", f.day, MONTHS[(f.month - 1) as usize], f.hour)
            } else {
                format!("{} {}{year}", f.day, MONTHS[(f.month - 1) as usize])
            }
        });
        let at = x(tick);
        let label = label.unwrap_or_default();
        let _ = write!(svg, r##"<path d="M{} {}V{}" stroke="#eee"/>"##, px(at), px(AXIS_PX - 4.0), px(height - 8.0));
        // Right of its line, or left of it at the right edge.
        let spots = [(at + 2.0, AXIS_PX - 6.0, "start"), (at - 2.0, AXIS_PX - 6.0, "end")];
        if let Some(spot) = layout.place_at(&spots, &label, TEXT_PX) {
            svg.push_str(&spot.svg_text("tick", &label, None));
        }
        tick += step;
    }
}

/// Stretches of `times_ms` (sorted) with no silence longer than `gap_ms`.
pub fn heard_stretches(times_ms: &[i64], gap_ms: i64) -> Vec<(i64, i64)> {
    let mut stretches: Vec<(i64, i64)> = Vec::new();
    for &t in times_ms {
        match stretches.last_mut() {
            Some((_, end)) if t - *end <= gap_ms => *end = t,
            _ => stretches.push((t, t)),
        }
    }
    stretches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretches_break_at_silences() {
        assert_eq!(heard_stretches(&[0, 10, 20, 100, 110], 30), vec![(0, 20), (100, 110)]);
        assert!(heard_stretches(&[], 30).is_empty());
    }

    #[test]
    fn lanes_spans_and_bands_are_drawn_with_their_links() {
        let day = 86_400_000;
        let lane = Lane {
            label: "273214860 ANGARA".into(),
            heard: vec![(0, day)],
            spans: vec![Span {
                from_ms: 2 * day,
                to_ms: 3 * day,
                style: SpanStyle::PortCall,
                label: "at najin".into(),
                link: Some("port_visit-1".into()),
            }],
            moments: vec![Moment { at_ms: 4 * day, kind: MarkKind::DarkDetection, label: "seen".into(), link: None }],
        };
        let band = Band { from_ms: 2 * day, to_ms: 3 * day, label: "loading".into() };
        let svg = render(&[lane], &[band], 0, 10 * day, 900.0);
        assert!(svg.contains("273214860 ANGARA"));
        assert!(svg.contains("href=\"#port_visit-1\""));
        assert!(svg.contains(">loading<"));
        // Daily ticks over ten days, the year on the first.
        assert!(svg.contains(">1 Jan 1970<") && svg.contains(">2 Jan<"), "{svg}");
    }

    #[test]
    fn long_lane_names_are_cut_to_their_margin_and_kept_whole_on_hover() {
        let long = "Tikhoretsk ammunition depot (719th base, near Kamenny)";
        let cut = fitted(long, LABEL_PX - 10.0, LANE_TEXT_PX);
        assert!(cut.ends_with('…') && cut.len() < long.len());
        assert!(text_width_px(&cut, LANE_TEXT_PX) <= LABEL_PX - 10.0);
        assert_eq!(fitted("MARIA", LABEL_PX - 10.0, LANE_TEXT_PX), "MARIA");
        let lane = Lane { label: long.into(), ..Lane::default() };
        let svg = render(&[lane], &[], 0, 86_400_000, 900.0);
        assert!(svg.contains(&format!("<title>{long}</title>")));
    }

    #[test]
    fn window_labels_close_together_take_two_rows() {
        let day = 86_400_000;
        let bands = [
            Band { from_ms: 2 * day, to_ms: 2 * day, label: "loading".into() },
            Band { from_ms: 2 * day + 3_600_000, to_ms: 2 * day + 3_600_000, label: "landing".into() },
        ];
        let svg = render(&[], &bands, 0, 30 * day, 900.0);
        assert!(svg.contains(r#"y="13" text-anchor="start" class="band-label">loading<"#), "{svg}");
        assert!(svg.contains(r#"y="27" text-anchor="start" class="band-label">landing<"#), "{svg}");
    }
}
