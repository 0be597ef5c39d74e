//! Facility counts against their own history. For each site and object
//! class, each count is judged against the counts before it (up to
//! `baseline_years` back): a robust level and trend (Theil–Sen over the
//! monthly medians), a yearly cycle (one harmonic, fitted with bisquare
//! weights so past spikes do not bend it), and a robust spread (1.4826 ×
//! the median absolute deviation of what is left, at least one object).
//! A count at least `anomaly_min_z` spreads and `anomaly_min_excess`
//! objects above the expected one is an anomaly; anomalous counts with no
//! ordinary count between them are one event, judged against the history
//! before its first.
//!
//! The Tumangang case (FACTS.md §1): ~73 rail cars against at most ~20 in
//! five years stands out by tens of spreads; a summer peak that recurs
//! every year is expected by the cycle, not flagged.

use std::collections::BTreeMap;
use std::f64::consts::TAU;

use tumen_model::{Observation, Timestamp};

use crate::profile::FusionProfile;

const DAY_MS: f64 = 86_400_000.0;
const YEAR_MS: f64 = 365.2425 * DAY_MS;

/// What a count is expected to be, from its history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Baseline {
    /// Expected count at the time judged: level + trend + cycle.
    pub expected: f64,
    /// Robust standard deviation of the history around its expectation.
    pub spread: f64,
    pub trend_per_year: f64,
    /// Half the peak-to-trough swing of the yearly cycle.
    pub seasonal_amplitude: f64,
    pub observations: usize,
    pub from: Timestamp,
    pub to: Timestamp,
    /// The highest count in the history (index into the series).
    pub highest: usize,
}

/// The baseline at `time` from `history` (counts before it, time-ordered),
/// if the history is long enough to judge by.
pub fn baseline(history: &[&Observation], time: Timestamp, profile: &FusionProfile) -> Option<Baseline> {
    let (first, last) = (history.first()?, history.last()?);
    let span_days = last.time.ms_since(first.time) as f64 / DAY_MS;
    if history.len() < profile.baseline_min_observations || span_days < profile.baseline_min_days {
        return None;
    }
    let t0 = first.time.unix_ms() as f64;
    let years = |t: Timestamp| (t.unix_ms() as f64 - t0) / YEAR_MS;
    let points: Vec<(f64, f64)> = history.iter().map(|o| (years(o.time), f64::from(o.count))).collect();

    // Level and trend from monthly medians: a burst of images in one month
    // weighs as one month.
    let monthly = monthly_medians(&points);
    let (level, trend) = theil_sen(&monthly);
    let detrended: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x, y - level - trend * x)).collect();
    // A yearly cycle only from at least a year and a half of history.
    let cycle = if span_days >= 540.0 { harmonic(&detrended) } else { (0.0, 0.0) };
    let seasonal = |x: f64| cycle.0 * (TAU * x).cos() + cycle.1 * (TAU * x).sin();
    let mut residuals: Vec<f64> = detrended.iter().map(|&(x, r)| r - seasonal(x)).collect();
    let centre = median(&mut residuals.clone());
    let mut deviations: Vec<f64> = residuals.iter_mut().map(|r| (*r - centre).abs()).collect();
    let spread = (1.4826 * median(&mut deviations)).max(1.0);
    let x = years(time);
    let highest =
        history.iter().enumerate().max_by_key(|(i, o)| (o.count, std::cmp::Reverse(*i))).map_or(0, |(i, _)| i);
    Some(Baseline {
        expected: (level + trend * x + seasonal(x) + centre).max(0.0),
        spread,
        trend_per_year: trend,
        seasonal_amplitude: cycle.0.hypot(cycle.1),
        observations: history.len(),
        from: first.time,
        to: last.time,
        highest,
    })
}

/// A run of anomalous counts at one site.
#[derive(Clone, Debug, PartialEq)]
pub struct Anomaly<'o> {
    pub site: String,
    pub counts: Vec<&'o Observation>,
    pub peak: &'o Observation,
    pub baseline: Baseline,
    /// Spreads above the expected count, at the peak.
    pub z: f64,
    /// The history's highest count.
    pub highest: &'o Observation,
}

/// Every anomaly among `observations` whose counts fall in
/// `[from, to]` (the whole series is the history).
pub fn anomalies<'o>(
    observations: &'o [Observation],
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    profile: &FusionProfile,
) -> Vec<Anomaly<'o>> {
    let mut series: BTreeMap<(&str, tumen_model::ObjectClass), Vec<&Observation>> = BTreeMap::new();
    for o in observations {
        series.entry((o.site.as_str(), o.object)).or_default().push(o);
    }
    let reach_ms = (profile.baseline_years * YEAR_MS) as i64;
    let mut found = Vec::new();
    for ((site, _), mut counts) in series {
        counts.sort_by_key(|o| o.time);
        let mut i = 0;
        while i < counts.len() {
            let o = counts[i];
            let in_window = from.is_none_or(|f| o.time >= f) && to.is_none_or(|t| o.time <= t);
            let start = counts.partition_point(|h| o.time.ms_since(h.time) > reach_ms);
            let history = &counts[start..i];
            let judged = baseline(history, o.time, profile).filter(|_| in_window);
            let Some(base) = judged.filter(|b| is_anomalous(o, b, profile)) else {
                i += 1;
                continue;
            };
            // The run: following counts anomalous against the same history.
            let mut run = vec![o];
            let mut j = i + 1;
            while j < counts.len() {
                let next = counts[j];
                let rebased =
                    Baseline { expected: expected_at(history, next.time, profile).unwrap_or(base.expected), ..base };
                if !is_anomalous(next, &rebased, profile) {
                    break;
                }
                run.push(next);
                j += 1;
            }
            let peak = *run.iter().max_by_key(|o| o.count).expect("a run has a count");
            let peak_base =
                Baseline { expected: expected_at(history, peak.time, profile).unwrap_or(base.expected), ..base };
            found.push(Anomaly {
                site: site.to_owned(),
                z: (f64::from(peak.count) - peak_base.expected) / peak_base.spread,
                counts: run,
                peak,
                highest: history[base.highest],
                baseline: peak_base,
            });
            i = j;
        }
    }
    found
}

fn is_anomalous(o: &Observation, base: &Baseline, profile: &FusionProfile) -> bool {
    let excess = f64::from(o.count) - base.expected;
    excess >= profile.anomaly_min_excess && excess / base.spread >= profile.anomaly_min_z
}

fn expected_at(history: &[&Observation], time: Timestamp, profile: &FusionProfile) -> Option<f64> {
    baseline(history, time, profile).map(|b| b.expected)
}

/// Medians per 30.4-day bin of `(years, value)` points, at the bins' mean
/// times.
fn monthly_medians(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut bins: BTreeMap<i64, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for &(x, y) in points {
        let bin = bins.entry((x * 12.0).floor() as i64).or_default();
        bin.0.push(x);
        bin.1.push(y);
    }
    bins.into_values().map(|(xs, mut ys)| (xs.iter().sum::<f64>() / xs.len() as f64, median(&mut ys))).collect()
}

/// Theil–Sen line through `points`: (value at x = 0, slope).
fn theil_sen(points: &[(f64, f64)]) -> (f64, f64) {
    let mut slopes = Vec::new();
    for (i, a) in points.iter().enumerate() {
        for b in &points[i + 1..] {
            if (b.0 - a.0).abs() > 1e-9 {
                slopes.push((b.1 - a.1) / (b.0 - a.0));
            }
        }
    }
    let slope = if slopes.is_empty() { 0.0 } else { median(&mut slopes) };
    let mut intercepts: Vec<f64> = points.iter().map(|&(x, y)| y - slope * x).collect();
    (median(&mut intercepts), slope)
}

/// One yearly harmonic `(a, b)` of `a cos 2πx + b sin 2πx` through
/// `(years, residual)` points, by least squares reweighted with Tukey's
/// bisquare so that spikes in the history carry no weight.
fn harmonic(points: &[(f64, f64)]) -> (f64, f64) {
    let mut weights = vec![1.0; points.len()];
    let mut fit = (0.0, 0.0);
    for _ in 0..8 {
        let (mut cc, mut ss, mut cs, mut yc, mut ys) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&(x, y), w) in points.iter().zip(&weights) {
            let (c, s) = ((TAU * x).cos(), (TAU * x).sin());
            cc += w * c * c;
            ss += w * s * s;
            cs += w * c * s;
            yc += w * y * c;
            ys += w * y * s;
        }
        let det = cc * ss - cs * cs;
        if det.abs() < 1e-9 {
            return (0.0, 0.0);
        }
        fit = ((yc * ss - ys * cs) / det, (ys * cc - yc * cs) / det);
        let mut residuals: Vec<f64> =
            points.iter().map(|&(x, y)| y - fit.0 * (TAU * x).cos() - fit.1 * (TAU * x).sin()).collect();
        let scale = (1.4826 * median(&mut residuals.iter().map(|r| r.abs()).collect::<Vec<_>>())).max(1e-6);
        for (w, r) in weights.iter_mut().zip(&mut residuals) {
            let u = *r / (4.685 * scale);
            *w = if u.abs() < 1.0 { (1.0 - u * u).powi(2) } else { 0.0 };
        }
    }
    fit
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_model::ObjectClass;

    fn series(days: &[(f64, u32)]) -> Vec<Observation> {
        days.iter()
            .enumerate()
            .map(|(i, &(day, count))| Observation {
                site: "tumangang".into(),
                site_name: None,
                position: None,
                time: Timestamp::from_unix_ms((day * DAY_MS) as i64),
                object: ObjectClass::RailCar,
                count,
                provider: None,
                source_id: 1,
                line: i as u64 + 2,
            })
            .collect()
    }

    /// Five years every 14 days: 8 cars, ±4 with the seasons (peak in July),
    /// a little deterministic noise.
    fn ordinary_years() -> Vec<(f64, u32)> {
        (0..130)
            .map(|k| {
                let day = 14.0 * k as f64;
                let season = 4.0 * (TAU * (day - 196.0) / 365.2425).cos();
                let noise = [0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5][k % 7];
                (day, (8.0 + season + noise).round().max(0.0) as u32)
            })
            .collect()
    }

    #[test]
    fn a_spike_far_above_five_years_stands_out_and_summers_do_not() {
        let mut days = ordinary_years();
        days.push((1822.0, 73));
        days.push((1836.0, 60));
        days.push((1850.0, 9));
        let observations = series(&days);
        let found = anomalies(&observations, None, None, &FusionProfile::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        let spike = &found[0];
        assert_eq!((spike.peak.count, spike.counts.len()), (73, 2));
        assert!(spike.z > 15.0, "{}", spike.z);
        assert!(spike.baseline.seasonal_amplitude > 2.5, "the cycle is learnt: {:?}", spike.baseline);
        assert!(spike.highest.count <= 14);
    }

    #[test]
    fn a_short_history_judges_nothing() {
        let observations = series(&[(0.0, 8), (14.0, 9), (28.0, 7), (42.0, 70)]);
        assert!(anomalies(&observations, None, None, &FusionProfile::default()).is_empty());
    }
}
