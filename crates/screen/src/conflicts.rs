//! Identity conflicts: broadcast identities that cannot all be true at
//! once, from the registry —
//!
//! - `shared_imo`: one IMO number broadcast by two MMSIs over overlapping
//!   times (two transmitters claim one hull: a clone, or a laundered
//!   identity);
//! - `two_imos`: one MMSI broadcasting two IMO numbers over overlapping
//!   times (two ships on one MMSI, or a misconfigured transponder).
//!
//! A handover — the number moving to a new MMSI after the old one fell
//! silent — does not overlap and is an identity change instead.

use std::collections::{BTreeMap, HashMap};

use tumen_model::{Event, EventKind, event::Value};
use tumen_model::{Mmsi, Timestamp};
use tumen_store::{StaticField, StaticSpan};

/// Every conflict in `histories` (spans of the IMO field, at least).
pub fn identity_conflicts(histories: &[(Mmsi, Vec<StaticSpan>)]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut by_imo: HashMap<&str, Vec<(Mmsi, &StaticSpan)>> = HashMap::new();
    for (mmsi, spans) in histories {
        let imos: Vec<&StaticSpan> = spans.iter().filter(|s| s.field == StaticField::Imo).collect();
        for (i, a) in imos.iter().enumerate() {
            for b in &imos[i + 1..] {
                if a.value != b.value && overlap(a, b).is_some() {
                    events.push(conflict("two_imos", vec![*mmsi], a, b, &a.value, &b.value));
                }
            }
            by_imo.entry(a.value.as_str()).or_default().push((*mmsi, a));
        }
    }
    let mut imos: Vec<&&str> = by_imo.keys().collect();
    imos.sort_unstable();
    for imo in imos {
        let carriers = &by_imo[*imo];
        for (i, (mmsi_a, a)) in carriers.iter().enumerate() {
            for (mmsi_b, b) in &carriers[i + 1..] {
                if mmsi_a != mmsi_b && overlap(a, b).is_some() {
                    let mut mmsis = vec![*mmsi_a, *mmsi_b];
                    mmsis.sort();
                    events.push(conflict("shared_imo", mmsis, a, b, imo, imo));
                }
            }
        }
    }
    dedupe(events)
}

/// The time two spans share, if any (spans that only touch do not: one
/// value ending as the other begins is a change, not a conflict).
fn overlap(a: &StaticSpan, b: &StaticSpan) -> Option<(Timestamp, Timestamp)> {
    let (start, end) = (a.first_time.max(b.first_time), a.last_time.min(b.last_time));
    (start < end).then_some((start, end))
}

fn conflict(kind: &str, mmsis: Vec<Mmsi>, a: &StaticSpan, b: &StaticSpan, value_a: &str, value_b: &str) -> Event {
    let (start, end) = overlap(a, b).expect("conflicts overlap");
    let mut attributes = BTreeMap::new();
    attributes.insert("conflict", Value::Text(kind.to_owned()));
    attributes.insert(
        "values",
        Value::Text(if value_a == value_b { value_a.to_owned() } else { format!("{value_a}, {value_b}") }),
    );
    let evidence = [a, b].iter().map(|span| span.first_report("first report of a conflicting IMO number")).collect();
    Event {
        id: Event::make_id(
            EventKind::IdentityConflict,
            &mmsis,
            start,
            &format!("conflicts:{kind}:{value_a}:{value_b}"),
        ),
        kind: EventKind::IdentityConflict,
        mmsis,
        start,
        end,
        position: None,
        place: None,
        attributes,
        confidence: 3,
        profile: "conflicts".into(),
        evidence,
    }
}

/// Day-by-day spans can repeat a conflict: one event per id.
fn dedupe(mut events: Vec<Event>) -> Vec<Event> {
    events.sort_by(|a, b| a.id.cmp(&b.id).then(a.start.cmp(&b.start)));
    events.dedup_by(|later, earlier| {
        if later.id == earlier.id {
            earlier.end = earlier.end.max(later.end);
            true
        } else {
            false
        }
    });
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    fn imo(value: &str, first_h: i64, last_h: i64) -> StaticSpan {
        StaticSpan {
            field: StaticField::Imo,
            value: value.into(),
            first_time: Timestamp::from_unix_ms(first_h * HOUR_MS),
            last_time: Timestamp::from_unix_ms(last_h * HOUR_MS),
            reports: 3,
            source_id: 1,
            first_line: first_h as u64,
        }
    }

    #[test]
    fn shared_and_double_imos_overlap_and_handovers_do_not() {
        let histories = vec![
            (Mmsi(273_100_011), vec![imo("9310094", 0, 10), imo("9310109", 4, 24)]),
            (Mmsi(273_100_014), vec![imo("9310111", 0, 6), imo("9310094", 6, 24)]),
            (Mmsi(511_100_012), vec![imo("9310094", 10, 24)]),
        ];
        let events = identity_conflicts(&histories);
        let kinds: Vec<(String, Vec<u32>)> = events
            .iter()
            .map(|e| match &e.attributes["conflict"] {
                Value::Text(t) => (t.clone(), e.mmsis.iter().map(|m| m.0).collect()),
                _ => unreachable!(),
            })
            .collect();
        assert!(kinds.contains(&("two_imos".into(), vec![273_100_011])), "{kinds:?}");
        assert!(kinds.contains(&("shared_imo".into(), vec![273_100_011, 273_100_014])), "{kinds:?}");
        assert!(kinds.contains(&("shared_imo".into(), vec![273_100_014, 511_100_012])), "{kinds:?}");
        // 273100011 → 511100012 at 10:00 is a handover, touching not overlapping.
        assert!(!kinds.contains(&("shared_imo".into(), vec![273_100_011, 511_100_012])), "{kinds:?}");
        assert_eq!(events.len(), 3);
    }
}
