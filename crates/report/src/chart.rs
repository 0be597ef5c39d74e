//! A facility's counts over the years (rail cars, containers), each
//! unusual count drawn against what its history expected and the highest
//! count before it: the "73 where five years never showed more than ~20"
//! picture.

use std::fmt::Write;

use tumen_model::Timestamp;

use crate::labels::{LabelLayout, Rect};
use crate::svg::{escape, path_through, px};

/// Spike labels' size (the `.spike` style).
const SPIKE_FONT_PX: f64 = 12.0;

/// One count of one class of objects at one site.
#[derive(Clone, Debug)]
pub struct Count {
    pub at_ms: i64,
    pub count: u32,
    /// Where it comes from ("file:line").
    pub cited: String,
}

/// A count the fusion found unusual.
#[derive(Clone, Debug)]
pub struct Spike {
    /// When the unusual run of counts began (the highest before it is
    /// what the run is measured against).
    pub from_ms: i64,
    /// Its highest count's time, where it is drawn.
    pub at_ms: i64,
    pub count: f64,
    pub expected: f64,
    pub link: Option<String>,
}

#[derive(Clone, Debug)]
pub struct CountSeries {
    pub title: String,
    /// What is counted, plural ("rail cars"): the vertical axis's unit.
    pub unit: String,
    pub counts: Vec<Count>,
    pub spikes: Vec<Spike>,
}

const LEFT_PX: f64 = 58.0;
const BOTTOM_PX: f64 = 22.0;

/// The series as an SVG chart `width_px` × `height_px`.
pub fn render(series: &CountSeries, width_px: f64, height_px: f64) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"##,
        escape(&series.title),
        w = px(width_px),
        h = px(height_px)
    );
    let times = series.counts.iter().map(|c| c.at_ms).chain(series.spikes.iter().map(|s| s.at_ms));
    let (from_ms, to_ms) = times.fold((i64::MAX, i64::MIN), |(a, b), t| (a.min(t), b.max(t)));
    if from_ms > to_ms {
        svg.push_str("</svg>");
        return svg;
    }
    // A little room after the last count, so a spike there is not on the edge.
    let to_ms = to_ms.max(from_ms + 86_400_000);
    let to_ms = to_ms + (to_ms - from_ms) / 30;
    let highest = series.counts.iter().map(|c| f64::from(c.count)).chain(series.spikes.iter().map(|s| s.count));
    let y_top = nice_ceiling(highest.fold(1.0, f64::max) * 1.1);
    let (plot_w, plot_h) = (width_px - LEFT_PX - 10.0, height_px - BOTTOM_PX - 10.0);
    let x = |t: i64| LEFT_PX + (t - from_ms) as f64 / (to_ms - from_ms) as f64 * plot_w;
    let y = |v: f64| 10.0 + plot_h - v / y_top * plot_h;
    let mut layout = LabelLayout::new(width_px, height_px);
    // The unit, along the vertical axis.
    let _ = write!(
        svg,
        r##"<text x="12" y="{}" transform="rotate(-90 12 {})" text-anchor="middle" class="tick">{}</text>"##,
        px(10.0 + plot_h / 2.0),
        px(10.0 + plot_h / 2.0),
        escape(&series.unit)
    );
    // Axes: counts every quarter of the top, and years.
    for i in 0..=4 {
        let v = y_top * f64::from(i) / 4.0;
        let _ = write!(
            svg,
            r##"<path d="M{} {}H{}" stroke="#eee"/><text x="{}" y="{}" text-anchor="end" class="tick">{}</text>"##,
            px(LEFT_PX),
            px(y(v)),
            px(width_px - 10.0),
            px(LEFT_PX - 4.0),
            px(y(v) + 4.0),
            v.round()
        );
    }
    let first_year = Timestamp::from_unix_ms(from_ms).utc_fields().map_or(1970, |f| f.year);
    let last_year = Timestamp::from_unix_ms(to_ms).utc_fields().map_or(1970, |f| f.year);
    for year in first_year + 1..=last_year {
        if let Some(t) = Timestamp::from_utc_fields(year, 1, 1, 0, 0, 0, 0) {
            let at = x(t.unix_ms());
            let _ = write!(
                svg,
                r##"<path d="M{} 10V{}" stroke="#eee"/><text x="{}" y="{}" class="tick">{year}</text>"##,
                px(at),
                px(10.0 + plot_h),
                px(at + 2.0),
                px(height_px - 6.0)
            );
        }
    }
    // The highest count before the first spike: what "never more than"
    // means.
    let first_spike = series.spikes.iter().map(|s| s.from_ms.min(s.at_ms)).min().unwrap_or(i64::MAX);
    if let Some(before) = series.counts.iter().filter(|c| c.at_ms < first_spike).map(|c| c.count).max() {
        let _ = write!(
            svg,
            r##"<path d="M{} {}H{}" stroke="#7f8c8d" stroke-dasharray="4 4"/><text x="{}" y="{}" class="tick">highest before: {before}</text>"##,
            px(LEFT_PX),
            px(y(f64::from(before))),
            px(width_px - 10.0),
            px(LEFT_PX + 4.0),
            px(y(f64::from(before)) - 4.0)
        );
        let text_px = crate::labels::text_width_px(&format!("highest before: {before}"), 11.0);
        let baseline = y(f64::from(before)) - 4.0;
        layout.block(Rect {
            left: LEFT_PX + 4.0,
            top: baseline - 11.0,
            right: LEFT_PX + 4.0 + text_px,
            bottom: baseline + 3.0,
        });
    }
    let points: Vec<(f64, f64)> = series.counts.iter().map(|c| (x(c.at_ms), y(f64::from(c.count)))).collect();
    let _ =
        write!(svg, r##"<path d="{}" fill="none" stroke="#5d6d7e" stroke-width="1"/>"##, path_through(&points, false));
    for (c, (cx, cy)) in series.counts.iter().zip(&points) {
        let _ = write!(
            svg,
            r##"<circle cx="{}" cy="{}" r="2.2" fill="#1f4e79"><title>{}: {} ({})</title></circle>"##,
            px(*cx),
            px(*cy),
            Timestamp::from_unix_ms(c.at_ms),
            c.count,
            escape(&c.cited)
        );
    }
    // The counts' dots and the dashed line are left for the labels to
    // avoid; spikes are labelled highest first, each where it is free.
    for &(cx, cy) in &points {
        layout.block(Rect::around(cx, cy, 2.2));
    }
    let mut spikes: Vec<&Spike> = series.spikes.iter().collect();
    spikes.sort_by(|a, b| b.count.total_cmp(&a.count).then(a.at_ms.cmp(&b.at_ms)));
    for spike in &spikes {
        layout.block(Rect::around(x(spike.at_ms), y(spike.count), 5.0));
    }
    for spike in spikes {
        let (sx, top, bottom) = (x(spike.at_ms), y(spike.count), y(spike.expected));
        let text = format!("{:.0} vs {:.0} expected", spike.count, spike.expected);
        let label = layout
            .place_beside(sx, top, 5.0, &text, SPIKE_FONT_PX)
            .map(|spot| spot.svg_text("spike", &text, None))
            .unwrap_or_default();
        let mark = format!(
            r##"<path d="M{x} {bottom}V{top}" stroke="#c0392b" stroke-width="2"/><circle cx="{x}" cy="{top}" r="4.5" fill="#c0392b"/>{label}<title>{when}: {count:.0} {unit} against {expected:.0} expected</title>"##,
            x = px(sx),
            top = px(top),
            bottom = px(bottom),
            count = spike.count,
            unit = escape(&series.unit),
            expected = spike.expected,
            when = crate::describe::minute(Timestamp::from_unix_ms(spike.at_ms))
        );
        match &spike.link {
            Some(anchor) => {
                let _ = write!(svg, r##"<a href="#{}"><g>{mark}</g></a>"##, escape(anchor));
            }
            None => svg.push_str(&mark),
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The least of 1, 2, 5 × 10^k at or above `v`.
fn nice_ceiling(v: f64) -> f64 {
    let magnitude = 10f64.powf(v.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|&n| n >= v).unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_ceiling(80.3), 100.0);
        assert_eq!(nice_ceiling(17.0), 20.0);
        assert_eq!(nice_ceiling(0.2), 1.0);
    }

    #[test]
    fn a_spike_is_drawn_against_its_expectation_and_the_highest_before() {
        let day = 86_400_000;
        let counts: Vec<Count> = (0..20)
            .map(|i| Count { at_ms: i * 30 * day, count: 10 + (i % 5) as u32, cited: "obs.csv:2".into() })
            .collect();
        let series = CountSeries {
            title: "Tumangang rail cars".into(),
            unit: "rail cars".into(),
            counts,
            spikes: vec![Spike {
                from_ms: 600 * day,
                at_ms: 600 * day,
                count: 73.0,
                expected: 12.0,
                link: Some("e1".into()),
            }],
        };
        let svg = render(&series, 600.0, 200.0);
        assert!(svg.contains("73 vs 12 expected"));
        assert!(svg.contains("highest before: 14"));
        assert!(svg.contains("href=\"#e1\""));
        assert!(svg.contains("obs.csv:2"));
        assert!(svg.contains(">rail cars<"), "the unit is on the axis");
    }

    #[test]
    fn spike_labels_close_together_do_not_overprint() {
        let day = 86_400_000;
        let counts: Vec<Count> =
            (0..40).map(|i| Count { at_ms: i * 30 * day, count: 5, cited: "obs.csv:2".into() }).collect();
        let spike =
            |at: i64, count: f64| Spike { from_ms: at * day, at_ms: at * day, count, expected: 6.0, link: None };
        let series = CountSeries {
            title: "Tikhoretsk".into(),
            unit: "rail cars".into(),
            counts,
            spikes: vec![spike(1100, 57.0), spike(1104, 47.0), spike(1108, 52.0)],
        };
        let svg = render(&series, 1000.0, 240.0);
        for label in ["57 vs 6 expected", "47 vs 6 expected", "52 vs 6 expected"] {
            assert!(svg.contains(&format!(">{label}<")), "{label} left out");
        }
    }
}
