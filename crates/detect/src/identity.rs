//! Identity and draught changes, read from the registry's history of what
//! each MMSI broadcast (issue 4: values per day, joined into spans).
//!
//! - On one MMSI, a field's value followed by another that begins after
//!   every earlier value ended is a change (name, call sign, IMO number).
//!   Values that overlap in time are not a change but a conflict — two
//!   transmitters on one MMSI, or one misconfigured — which screening
//!   reports (issue 6) and the segmenter sees in the positions.
//! - One IMO number moving to a new MMSI after the old one fell silent (at
//!   most `max_handover_hours` before) is the same ship re-registered: an
//!   MMSI change, a flag change when the two MMSIs' MIDs are of different
//!   countries (AIS carries no flag: the MID is the flag it claims), and
//!   name and call sign changes across the handover.
//! - A draught that changes by at least `min_draught_change_m` is cargo
//!   loaded or unloaded; the engine names the port visit or dark period it
//!   happened in.
//!
//! An event spans from the old value's last report to the new value's
//! first: the change happened in between. Positions are filled in by the
//! engine from the vessel's track.

use std::collections::{BTreeMap, HashMap};

use tumen_model::{Mmsi, Timestamp};
use tumen_store::{StaticField, StaticSpan};

use crate::event::{Event, EventKind, Value};
use crate::profile::IdentityProfile;

/// The registry fields these detectors read.
pub const FIELDS: [StaticField; 4] = [StaticField::Name, StaticField::CallSign, StaticField::Imo, StaticField::Draught];

/// Every identity and draught change in `histories` (as
/// `Catalog::static_histories` gives them), positions unset.
pub fn identity_changes(histories: &[(Mmsi, Vec<StaticSpan>)], profile: &IdentityProfile) -> Vec<Event> {
    let mut events = Vec::new();
    let mut imo_spans: HashMap<&str, Vec<(Mmsi, &StaticSpan)>> = HashMap::new();
    for (mmsi, spans) in histories {
        for field in [StaticField::Name, StaticField::CallSign, StaticField::Imo, StaticField::Draught] {
            let of_field: Vec<&StaticSpan> = spans.iter().filter(|s| s.field == field).collect();
            for (before, after) in successions(&of_field) {
                events.extend(field_change(*mmsi, field, before, after, profile));
            }
        }
        for span in spans.iter().filter(|s| s.field == StaticField::Imo) {
            imo_spans.entry(span.value.as_str()).or_default().push((*mmsi, span));
        }
    }
    let by_mmsi: HashMap<Mmsi, &Vec<StaticSpan>> = histories.iter().map(|(m, s)| (*m, s)).collect();
    let mut imos: Vec<&&str> = imo_spans.keys().collect();
    imos.sort_unstable();
    for imo in imos {
        events.extend(handovers(imo, &imo_spans[*imo], &by_mmsi, profile));
    }
    events
}

/// Pairs of spans (earlier, later) where `later` begins after every span
/// before it ended and holds a different value.
fn successions<'a>(spans: &[&'a StaticSpan]) -> Vec<(&'a StaticSpan, &'a StaticSpan)> {
    let mut pairs = Vec::new();
    let mut latest_end: Option<Timestamp> = None;
    for pair in spans.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        let ended = latest_end.map_or(before.last_time, |t| t.max(before.last_time));
        if after.first_time >= ended && after.value != before.value {
            pairs.push((before, after));
        }
        latest_end = Some(ended);
    }
    pairs
}

fn field_change(
    mmsi: Mmsi,
    field: StaticField,
    before: &StaticSpan,
    after: &StaticSpan,
    profile: &IdentityProfile,
) -> Option<Event> {
    if field == StaticField::Draught {
        let (from, to) = (before.value.parse::<f64>().ok()?, after.value.parse::<f64>().ok()?);
        // 0 is "not available", not an empty ship.
        if from <= 0.0 || to <= 0.0 || (to - from).abs() < profile.min_draught_change_m {
            return None;
        }
        let mut attributes = BTreeMap::new();
        attributes.insert("from_m", Value::Number(from));
        attributes.insert("to_m", Value::Number(to));
        attributes.insert("change_m", Value::Number(to - from));
        attributes.insert("direction", Value::Text(if to > from { "loaded" } else { "unloaded" }.to_owned()));
        return Some(change_event(EventKind::DraughtChange, vec![mmsi], before, after, attributes, 2, profile));
    }
    let name = field_name(field);
    Some(change_event(
        EventKind::IdentityChange,
        vec![mmsi],
        before,
        after,
        change_attributes(name, before, after),
        3,
        profile,
    ))
}

fn field_name(field: StaticField) -> &'static str {
    match field {
        StaticField::CallSign => "call_sign",
        other => other.as_str(),
    }
}

fn change_attributes(field: &str, before: &StaticSpan, after: &StaticSpan) -> BTreeMap<&'static str, Value> {
    let mut attributes = BTreeMap::new();
    attributes.insert("field", Value::Text(field.to_owned()));
    attributes.insert("from", Value::Text(before.value.clone()));
    attributes.insert("to", Value::Text(after.value.clone()));
    attributes
}

/// An IMO number's MMSIs in time order: each MMSI that takes the number
/// over from one that fell silent just before is a re-registration.
fn handovers(
    imo: &str,
    spans: &[(Mmsi, &StaticSpan)],
    histories: &HashMap<Mmsi, &Vec<StaticSpan>>,
    profile: &IdentityProfile,
) -> Vec<Event> {
    let mut ordered: Vec<&(Mmsi, &StaticSpan)> = spans.iter().collect();
    ordered.sort_by_key(|(mmsi, span)| (span.first_time, *mmsi));
    let mut events = Vec::new();
    for (i, (new_mmsi, new_span)) in ordered.iter().enumerate() {
        // The MMSI that carried the number until just before and fell
        // silent with it (others still using it are conflicts, not this).
        let Some((old_mmsi, old_span)) = ordered[..i]
            .iter()
            .filter(|(m, s)| m != new_mmsi && s.last_time <= new_span.first_time)
            .max_by_key(|(_, s)| s.last_time)
            .copied()
        else {
            continue;
        };
        let silent_hours = new_span.first_time.ms_since(old_span.last_time) as f64 / 3_600_000.0;
        let used_again = ordered.iter().any(|(m, s)| m == old_mmsi && s.last_time > new_span.first_time);
        if silent_hours > profile.max_handover_hours || used_again {
            continue;
        }
        let mmsis = vec![*old_mmsi, *new_mmsi];
        let mut attributes = BTreeMap::new();
        attributes.insert("field", Value::Text("mmsi".to_owned()));
        attributes.insert("from", Value::Text(old_mmsi.0.to_string()));
        attributes.insert("to", Value::Text(new_mmsi.0.to_string()));
        attributes.insert("imo", Value::Text(imo.to_owned()));
        events.push(change_event(EventKind::IdentityChange, mmsis.clone(), old_span, new_span, attributes, 3, profile));
        let flags = (old_mmsi.mid_allocation(), new_mmsi.mid_allocation());
        let (old_flag, new_flag) = (flags.0.map_or("", |a| a.iso_alpha2), flags.1.map_or("", |a| a.iso_alpha2));
        if old_flag != new_flag {
            let mut attributes = BTreeMap::new();
            attributes.insert("field", Value::Text("flag".to_owned()));
            attributes.insert("from", Value::Text(old_flag.to_owned()));
            attributes.insert("to", Value::Text(new_flag.to_owned()));
            attributes.insert("imo", Value::Text(imo.to_owned()));
            events.push(change_event(
                EventKind::IdentityChange,
                mmsis.clone(),
                old_span,
                new_span,
                attributes,
                3,
                profile,
            ));
        }
        // Name and call sign either side of the handover: the old MMSI's
        // value that ended nearest it, the new one's that began nearest it.
        for field in [StaticField::Name, StaticField::CallSign] {
            let nearest = |mmsi: Mmsi, at: Timestamp, end: bool| {
                histories.get(&mmsi).and_then(|spans| {
                    spans.iter().filter(|s| s.field == field).min_by_key(|s| {
                        let t = if end { s.last_time } else { s.first_time };
                        t.ms_since(at).abs()
                    })
                })
            };
            let (Some(before), Some(after)) =
                (nearest(*old_mmsi, old_span.last_time, true), nearest(*new_mmsi, new_span.first_time, false))
            else {
                continue;
            };
            if before.value != after.value {
                let mut attributes = change_attributes(field_name(field), before, after);
                attributes.insert("imo", Value::Text(imo.to_owned()));
                events.push(change_event(
                    EventKind::IdentityChange,
                    mmsis.clone(),
                    old_span,
                    new_span,
                    attributes,
                    3,
                    profile,
                ));
            }
        }
    }
    events
}

fn change_event(
    kind: EventKind,
    mmsis: Vec<Mmsi>,
    before: &StaticSpan,
    after: &StaticSpan,
    attributes: BTreeMap<&'static str, Value>,
    confidence: u8,
    profile: &IdentityProfile,
) -> Event {
    // The field is part of the identity of the event: several fields
    // change at one handover.
    let field = match attributes.get("field") {
        Some(Value::Text(f)) => format!("{}:{f}", profile.name),
        _ => profile.name.clone(),
    };
    let evidence =
        vec![before.first_report("first report of the old value"), after.first_report("first report of the new value")];
    let (start, end) = (before.last_time.min(after.first_time), after.first_time);
    Event {
        id: Event::make_id(kind, &mmsis, end, &field),
        kind,
        mmsis,
        start,
        end,
        position: None,
        place: None,
        attributes,
        confidence,
        profile: profile.name.clone(),
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    fn span(field: StaticField, value: &str, first_h: i64, last_h: i64) -> StaticSpan {
        StaticSpan {
            field,
            value: value.to_owned(),
            first_time: Timestamp::from_unix_ms(first_h * HOUR_MS),
            last_time: Timestamp::from_unix_ms(last_h * HOUR_MS),
            reports: 10,
            source_id: 1,
            first_line: first_h as u64,
        }
    }

    fn fields(events: &[Event]) -> Vec<(String, String, String)> {
        let text = |e: &Event, k: &str| match e.attributes.get(k) {
            Some(Value::Text(t)) => t.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let mut out: Vec<_> = events.iter().map(|e| (text(e, "field"), text(e, "from"), text(e, "to"))).collect();
        out.sort();
        out
    }

    #[test]
    fn a_rename_on_one_mmsi_is_a_change_and_two_names_at_once_are_not() {
        let renamed = vec![(
            Mmsi(273_100_011),
            vec![span(StaticField::Name, "OLD", 0, 10), span(StaticField::Name, "NEW", 10, 20)],
        )];
        let events = identity_changes(&renamed, &IdentityProfile::default());
        assert_eq!(fields(&events), [("name".into(), "OLD".into(), "NEW".into())]);
        assert_eq!((events[0].start.unix_ms(), events[0].end.unix_ms()), (10 * HOUR_MS, 10 * HOUR_MS));
        let alternating = vec![(
            Mmsi(273_100_011),
            vec![span(StaticField::Name, "ONE", 0, 10), span(StaticField::Name, "TWO", 4, 20)],
        )];
        assert!(identity_changes(&alternating, &IdentityProfile::default()).is_empty());
    }

    #[test]
    fn an_imo_moving_to_a_new_mmsi_is_a_reregistration_with_its_flag_name_and_call_sign() {
        let histories = vec![
            (
                Mmsi(273_100_011),
                vec![
                    span(StaticField::Name, "SIM CHAMELEON", 0, 10),
                    span(StaticField::CallSign, "UBCM1", 0, 10),
                    span(StaticField::Imo, "9310094", 0, 10),
                ],
            ),
            (
                Mmsi(511_100_012),
                vec![
                    span(StaticField::Name, "SIM NEW NAME", 10, 24),
                    span(StaticField::CallSign, "T8NN2", 10, 24),
                    span(StaticField::Imo, "9310094", 10, 24),
                ],
            ),
            // Another ship that takes the number while the first still
            // uses it: a conflict, not a handover.
            (Mmsi(273_100_014), vec![span(StaticField::Imo, "9310094", 6, 24)]),
        ];
        let events = identity_changes(&histories, &IdentityProfile::default());
        assert_eq!(
            fields(&events),
            [
                ("call_sign".into(), "UBCM1".into(), "T8NN2".into()),
                ("flag".into(), "RU".into(), "PW".into()),
                ("mmsi".into(), "273100011".into(), "511100012".into()),
                ("name".into(), "SIM CHAMELEON".into(), "SIM NEW NAME".into()),
            ]
        );
        assert!(events.iter().all(|e| e.mmsis == [Mmsi(273_100_011), Mmsi(511_100_012)]));
        let ids: std::collections::HashSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), 4, "one id per field");
    }

    #[test]
    fn draught_changes_below_the_threshold_or_from_unknown_are_not_cargo() {
        let history = |values: &[(&str, i64, i64)]| {
            vec![(Mmsi(273_100_016), values.iter().map(|&(v, a, b)| span(StaticField::Draught, v, a, b)).collect())]
        };
        let events = identity_changes(
            &history(&[("4.2", 0, 10), ("7.4", 10, 20), ("7.2", 20, 30)]),
            &IdentityProfile::default(),
        );
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, EventKind::DraughtChange);
        assert_eq!(events[0].attributes["direction"], Value::Text("loaded".into()));
        assert!(identity_changes(&history(&[("0.0", 0, 10), ("7.4", 10, 20)]), &IdentityProfile::default()).is_empty());
    }
}
