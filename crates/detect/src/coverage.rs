//! What stretches of time the archive covers, so that a silence still open
//! at the end of a vessel's data ends where the data that could have heard
//! it ends — not at the newest report of an unrelated later extract. Real
//! archives are often extracts of different periods side by side (a month
//! of 2014 beside a week of 2017): a ship last heard at the end of the 2014
//! month has not been dark for three years.
//!
//! A span is a run of consecutive UTC days holding reports, from the first
//! report of its first day to the last of its last day. A silence open at
//! the end of a vessel's data is measured to the end of the span it began
//! in. (Sources are not told apart: a feed that stops while another goes
//! on still covers the days the other fills.)

use tumen_model::Timestamp;
use tumen_store::DayExtent;

/// The spans of time the archive holds reports for, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    spans: Vec<(Timestamp, Timestamp)>,
}

impl Coverage {
    /// Spans from the days that hold reports, each day with its earliest
    /// and latest report; no span runs past `until` (a run's window).
    pub fn from_days(days: impl IntoIterator<Item = DayExtent>, until: Option<Timestamp>) -> Coverage {
        let mut days: Vec<DayExtent> = days.into_iter().collect();
        days.sort_by_key(|d| d.day);
        let mut spans: Vec<(i64, Timestamp, Timestamp)> = Vec::new();
        for DayExtent { day, first, last } in days {
            match spans.last_mut() {
                Some((last_day, _, end)) if day <= *last_day + 1 => {
                    *last_day = day;
                    *end = (*end).max(last);
                }
                _ => spans.push((day, first, last)),
            }
        }
        let cap = |t: Timestamp| until.map_or(t, |u| t.min(u));
        Coverage { spans: spans.into_iter().map(|(_, start, end)| (start, cap(end))).collect() }
    }

    /// Everything up to `end`: one span (for callers that know only where
    /// the data ends).
    pub fn until(end: Option<Timestamp>) -> Coverage {
        Coverage { spans: end.map(|e| (Timestamp::from_unix_ms(i64::MIN / 2), e)).into_iter().collect() }
    }

    /// Where the data that covers `t` ends: the end of the span `t` falls
    /// in (or, between spans, the end of the one before); `None` when no
    /// span begins at or before `t`.
    pub fn end_after(&self, t: Timestamp) -> Option<Timestamp> {
        let index = self.spans.partition_point(|&(start, _)| start <= t);
        let (_, end) = *self.spans.get(index.checked_sub(1)?)?;
        Some(end.max(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 86_400_000;

    fn at(day: i64, hour: i64) -> Timestamp {
        Timestamp::from_unix_ms(day * DAY_MS + hour * 3_600_000)
    }

    #[test]
    fn a_silence_ends_with_the_extract_it_began_in() {
        // Days 10–12 (an extract), then days 900–901 (another, years on).
        let days = [
            (901, at(901, 0), at(901, 20)),
            (10, at(10, 1), at(10, 23)),
            (11, at(11, 0), at(11, 23)),
            (12, at(12, 0), at(12, 6)),
            (900, at(900, 3), at(900, 23)),
        ];
        let coverage = Coverage::from_days(days.map(|(day, first, last)| DayExtent { day, first, last }), None);
        assert_eq!(coverage.end_after(at(11, 5)), Some(at(12, 6)));
        assert_eq!(coverage.end_after(at(900, 5)), Some(at(901, 20)));
        // Between the two: the earlier extract's end (already past).
        assert_eq!(coverage.end_after(at(500, 0)), Some(at(500, 0)));
        assert_eq!(coverage.end_after(at(5, 0)), None);
        // A run's window caps every span.
        assert_eq!(
            Coverage::from_days(days.map(|(day, first, last)| DayExtent { day, first, last }), Some(at(11, 12)))
                .end_after(at(11, 5)),
            Some(at(11, 12))
        );
        assert_eq!(Coverage::until(Some(at(3, 0))).end_after(at(1, 0)), Some(at(3, 0)));
        assert_eq!(Coverage::until(None).end_after(at(1, 0)), None);
    }
}
