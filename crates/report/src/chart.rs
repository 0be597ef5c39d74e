//! A facility's counts over the years (rail cars, containers), each
//! unusual count drawn against what its history expected and the highest
//! count before it: the "73 where five years never showed more than ~20"
//! picture.

use std::fmt::Write;

use tumen_model::Timestamp;

use crate::svg::{escape, path_through, px};

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
    pub at_ms: i64,
    pub count: f64,
    pub expected: f64,
    pub link: Option<String>,
}

#[derive(Clone, Debug)]
pub struct CountSeries {
    pub title: String,
    pub counts: Vec<Count>,
    pub spikes: Vec<Spike>,
}

const LEFT_PX: f64 = 44.0;
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
    let first_spike = series.spikes.iter().map(|s| s.at_ms).min().unwrap_or(i64::MAX);
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
    let mut spikes: Vec<&Spike> = series.spikes.iter().collect();
    spikes.sort_by_key(|s| s.at_ms);
    // Labels of spikes close together are stacked, not overprinted.
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for spike in spikes {
        let (sx, top, bottom) = (x(spike.at_ms), y(spike.count), y(spike.expected));
        let lx = (sx + 6.0).min(width_px - 150.0);
        let mut ly = top + 4.0;
        while placed.iter().any(|&(px_, py)| (px_ - lx).abs() < 150.0 && (py - ly).abs() < 14.0) {
            ly += 14.0;
        }
        placed.push((lx, ly));
        let mark = format!(
            r##"<path d="M{x} {bottom}V{top}" stroke="#c0392b" stroke-width="2"/><circle cx="{x}" cy="{top}" r="4.5" fill="#c0392b"/><text x="{lx}" y="{ly}" class="spike">{count:.0} vs {expected:.0} expected</text><title>{when}: {count:.0} against {expected:.0} expected</title>"##,
            x = px(sx),
            top = px(top),
            bottom = px(bottom),
            lx = px(lx),
            ly = px(ly),
            count = spike.count,
            expected = spike.expected,
            when = Timestamp::from_unix_ms(spike.at_ms)
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
            counts,
            spikes: vec![Spike { at_ms: 600 * day, count: 73.0, expected: 12.0, link: Some("e1".into()) }],
        };
        let svg = render(&series, 600.0, 200.0);
        assert!(svg.contains("73 vs 12 expected"));
        assert!(svg.contains("highest before: 14"));
        assert!(svg.contains("href=\"#e1\""));
        assert!(svg.contains("obs.csv:2"));
    }
}
