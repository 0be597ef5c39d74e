//! Screening the registry: every MMSI's broadcast identities (names, call
//! signs, IMO numbers, the MMSI) against every watch-list entry; each hit
//! at the shown threshold or above is a `watchlist_hit` event with its
//! score, the fields that agreed, and as evidence the first report of
//! each agreeing value.

use std::collections::BTreeMap;

use tumen_detect::{Event, EventKind, Evidence, event::Value};
use tumen_model::{Mmsi, Timestamp};
use tumen_store::{StaticField, StaticSpan};

use crate::entry::WatchEntry;
use crate::matching::{Identity, Screen, Thresholds};
use crate::normalize;

/// The registry fields screening reads.
pub const FIELDS: [StaticField; 3] = [StaticField::Name, StaticField::CallSign, StaticField::Imo];

/// Every hit of `histories` (as `Catalog::static_histories` gives them for
/// [`FIELDS`]) against `entries`.
pub fn watchlist_hits(
    histories: &[(Mmsi, Vec<StaticSpan>)],
    entries: &[WatchEntry],
    thresholds: Thresholds,
) -> Vec<Event> {
    let screen = Screen::new(entries, thresholds);
    let identities: Vec<Identity> = histories
        .iter()
        .map(|(mmsi, spans)| {
            let values = |field: StaticField| {
                let mut values: Vec<String> =
                    spans.iter().filter(|s| s.field == field).map(|s| s.value.clone()).collect();
                values.sort();
                values.dedup();
                values
            };
            Identity {
                mmsi: mmsi.0.to_string(),
                imos: values(StaticField::Imo),
                names: values(StaticField::Name),
                call_signs: values(StaticField::CallSign),
            }
        })
        .collect();
    let mut events = Vec::new();
    for ((mmsi, spans), hits) in histories.iter().zip(screen.screen_all(&identities)) {
        for hit in hits {
            let event = hit_event(*mmsi, spans, &entries[hit.entry], &hit, thresholds);
            events.extend(list_conflicts(&event, &entries[hit.entry], &hit, *mmsi));
            events.push(event);
        }
    }
    events
}

/// What a listed vessel broadcasts against what the list says of it: an IMO
/// hit under another name (`listed_imo_other_name`: renamed, or the number
/// borrowed), and an MMSI whose MID is of none of the list's flags
/// (`flag_not_listed`: re-flagged, or a false flag) — each a conflict
/// event beside the hit, which it never lowers.
fn list_conflicts(hit_event: &Event, entry: &WatchEntry, hit: &crate::Hit, mmsi: Mmsi) -> Vec<Event> {
    let mut conflicts = Vec::new();
    let agreed = |field: &str| hit.agreements.iter().any(|a| a.field == field);
    let mut add = |kind: &str, detail: String| {
        let mut event = hit_event.clone();
        event.kind = EventKind::IdentityConflict;
        event.profile = "conflicts".into();
        event.id = Event::make_id(
            EventKind::IdentityConflict,
            &[mmsi],
            event.start,
            &format!("conflicts:{kind}:{}:{}", entry.list, entry.id),
        );
        event.attributes.insert("conflict", Value::Text(kind.to_owned()));
        event.attributes.insert("detail", Value::Text(detail));
        event.confidence = 3;
        conflicts.push(event);
    };
    if agreed("imo") && !agreed("name") {
        add("listed_imo_other_name", format!("listed as {}", entry.name));
    }
    let flags = entry.flags.iter().map(|f| f.to_ascii_uppercase()).collect::<Vec<_>>();
    if let Some(mid) = mmsi.mid_allocation()
        && !flags.is_empty()
        && (agreed("imo") || agreed("mmsi"))
        && !flags.iter().any(|f| f == mid.iso_alpha2 || *f == mid.name.to_ascii_uppercase())
    {
        add(
            "flag_not_listed",
            format!("MID {} ({}) against listed {}", mid.mid, mid.iso_alpha2, entry.flags.join(", ")),
        );
    }
    conflicts
}

fn hit_event(mmsi: Mmsi, spans: &[StaticSpan], entry: &WatchEntry, hit: &crate::Hit, thresholds: Thresholds) -> Event {
    // The spans that carried an agreeing value (an MMSI agrees all along).
    let agreeing: Vec<&StaticSpan> = spans
        .iter()
        .filter(|span| {
            hit.agreements.iter().any(|a| {
                a.field == "mmsi"
                    || (a.field == field_name(span.field)
                        && normalize::name(&a.broadcast) == normalize::name(&span.value))
            })
        })
        .collect();
    let start = agreeing.iter().map(|s| s.first_time).min().unwrap_or(Timestamp::from_unix_ms(0));
    let end = agreeing.iter().map(|s| s.last_time).max().unwrap_or(start);
    let mut evidence: Vec<Evidence> = Vec::new();
    for span in agreeing.iter().filter(|s| hit.agreements.iter().any(|a| a.field == field_name(s.field))) {
        let role = match span.field {
            StaticField::Imo => "first report of the listed IMO number",
            StaticField::CallSign => "first report of the listed call sign",
            _ => "first report of the listed name",
        };
        evidence.push(Evidence::first_report(span, role));
    }
    let fields: Vec<&str> = {
        let mut f: Vec<&str> = hit.agreements.iter().map(|a| a.field).collect();
        f.dedup();
        f
    };
    let agreements: Vec<String> =
        hit.agreements.iter().map(|a| format!("{} {} ~ {} ({:.2})", a.field, a.broadcast, a.listed, a.score)).collect();
    let mut attributes = BTreeMap::new();
    attributes.insert("list", Value::Text(entry.list.clone()));
    attributes.insert("entry_id", Value::Text(entry.id.clone()));
    attributes.insert("entry_name", Value::Text(entry.name.clone()));
    attributes.insert("list_line", Value::Number(entry.line as f64));
    attributes.insert("score", Value::Number(hit.score));
    attributes.insert("matched", Value::Flag(hit.score >= thresholds.matched));
    attributes.insert("fields", Value::Text(fields.join(",")));
    attributes.insert("agreements", Value::Text(agreements.join("; ")));
    if !entry.programs.is_empty() {
        attributes.insert("programs", Value::Text(entry.programs.join(", ")));
    }
    if !entry.flags.is_empty() {
        attributes.insert("listed_flags", Value::Text(entry.flags.join(", ")));
    }
    if let Some(claimed) = mmsi.mid_allocation() {
        attributes.insert("mid_flag", Value::Text(claimed.iso_alpha2.to_owned()));
    }
    let profile = "screen".to_owned();
    let key = format!("{profile}:{}:{}", entry.list, entry.id);
    Event {
        id: Event::make_id(EventKind::WatchlistHit, &[mmsi], start, &key),
        kind: EventKind::WatchlistHit,
        mmsis: vec![mmsi],
        start,
        end,
        position: None,
        place: None,
        attributes,
        confidence: if hit.score >= 0.95 {
            4
        } else if hit.score >= thresholds.matched {
            3
        } else {
            2
        },
        profile,
        evidence,
    }
}

fn field_name(field: StaticField) -> &'static str {
    match field {
        StaticField::Imo => "imo",
        StaticField::CallSign => "call_sign",
        StaticField::Name => "name",
        _ => "",
    }
}
