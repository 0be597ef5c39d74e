//! Screening the registry: every MMSI's broadcast identities (names, call
//! signs, IMO numbers, the MMSI) against every watch-list entry; each hit
//! at the shown threshold or above is a `watchlist_hit` event with its
//! score, the fields that agreed, and as evidence the first report of
//! each agreeing value.

use std::collections::BTreeMap;

use tumen_model::{Event, EventKind, Evidence, event::Value};
use tumen_model::{Mmsi, Timestamp};
use tumen_store::{StaticField, StaticSpan};

use crate::entry::WatchEntry;
use crate::matching::{Agreement, Hit, Identity, MMSI_SCORE, Screen, Thresholds};
use crate::normalize;

/// The registry fields screening reads.
pub const FIELDS: [StaticField; 3] = [StaticField::Name, StaticField::CallSign, StaticField::Imo];

/// A stretch of an MMSI's history between changes of the IMO number it
/// broadcast: one ship's tenure of the number, as far as AIS tells (MMSIs
/// pass from ship to ship). An MMSI that never broadcast an IMO number is
/// one tenure. Screening compares each tenure on its own, so an MMSI
/// agrees with a listed ship only while it was that ship's.
#[derive(Clone, Debug, PartialEq)]
pub struct Tenure {
    /// The IMO number broadcast (normalized), if any.
    pub imo: Option<String>,
    /// From (none: the start of the history)…
    pub from: Option<Timestamp>,
    /// …until, not included (none: the end of the history).
    pub until: Option<Timestamp>,
}

impl Tenure {
    pub fn overlaps(&self, span: &StaticSpan) -> bool {
        self.from.is_none_or(|from| span.last_time >= from) && self.until.is_none_or(|until| span.first_time < until)
    }

    /// The part of `span` inside the tenure.
    fn clip(&self, span: &StaticSpan) -> (Timestamp, Timestamp) {
        let start = self.from.map_or(span.first_time, |from| span.first_time.max(from));
        let end = self.until.map_or(span.last_time, |until| span.last_time.min(until));
        (start, end.max(start))
    }

    /// What the MMSI broadcast during the tenure.
    fn identity(&self, mmsi: Mmsi, spans: &[StaticSpan]) -> Identity {
        let values = |field: StaticField| {
            let mut values: Vec<String> =
                spans.iter().filter(|s| s.field == field && self.overlaps(s)).map(|s| s.value.clone()).collect();
            values.sort();
            values.dedup();
            values
        };
        Identity {
            mmsi: mmsi.0.to_string(),
            imos: self.imo.iter().cloned().collect(),
            names: values(StaticField::Name),
            call_signs: values(StaticField::CallSign),
        }
    }
}

/// The tenures of one MMSI's history (its spans of every field).
pub fn tenures(spans: &[StaticSpan]) -> Vec<Tenure> {
    let mut imo_spans: Vec<&StaticSpan> = spans.iter().filter(|s| s.field == StaticField::Imo).collect();
    imo_spans.sort_by_key(|s| s.first_time);
    let mut tenures: Vec<Tenure> = Vec::new();
    for span in imo_spans {
        let imo = normalize::code(&span.value);
        if tenures.last().is_some_and(|last| last.imo.as_deref() == Some(imo.as_str())) {
            continue;
        }
        let from = match tenures.last_mut() {
            Some(last) => {
                last.until = Some(span.first_time);
                Some(span.first_time)
            }
            None => None,
        };
        tenures.push(Tenure { imo: Some(imo), from, until: None });
    }
    if tenures.is_empty() {
        tenures.push(Tenure { imo: None, from: None, until: None });
    }
    tenures
}

/// Every hit of `histories` (as `Catalog::static_histories` gives them for
/// [`FIELDS`]) against `entries`: each MMSI's tenures screened apart, one
/// event per MMSI and entry.
pub fn watchlist_hits(
    histories: &[(Mmsi, Vec<StaticSpan>)],
    entries: &[WatchEntry],
    thresholds: Thresholds,
) -> Vec<Event> {
    let screen = Screen::new(entries, thresholds);
    let mut owners: Vec<(usize, Tenure)> = Vec::new();
    let mut identities: Vec<Identity> = Vec::new();
    for (index, (mmsi, spans)) in histories.iter().enumerate() {
        for tenure in tenures(spans) {
            identities.push(tenure.identity(*mmsi, spans));
            owners.push((index, tenure));
        }
    }
    let mut held: BTreeMap<(usize, usize), Vec<(&Tenure, Hit)>> = BTreeMap::new();
    for ((index, tenure), hits) in owners.iter().zip(screen.screen_all(&identities)) {
        for hit in hits {
            held.entry((*index, hit.entry)).or_default().push((tenure, hit));
        }
    }
    let mut events = Vec::new();
    for ((index, entry), tenure_hits) in held {
        let (mmsi, spans) = &histories[index];
        let hit = merged(&tenure_hits);
        let event = hit_event(*mmsi, spans, &entries[entry], &hit, &tenure_hits, thresholds);
        events.extend(list_conflicts(&event, &entries[entry], &hit, *mmsi));
        events.push(event);
    }
    events
}

/// One entry's hits over an MMSI's tenures as one: the best score, every
/// agreement (each at its best).
fn merged(tenure_hits: &[(&Tenure, Hit)]) -> Hit {
    let mut agreements: Vec<Agreement> = tenure_hits.iter().flat_map(|(_, hit)| hit.agreements.clone()).collect();
    agreements.sort_by(|a, b| {
        (a.field, &a.broadcast, &a.listed).cmp(&(b.field, &b.broadcast, &b.listed)).then(b.score.total_cmp(&a.score))
    });
    agreements.dedup_by(|a, b| a.field == b.field && a.broadcast == b.broadcast && a.listed == b.listed);
    agreements.sort_by(|a, b| b.score.total_cmp(&a.score));
    let score = agreements.first().map_or(0.0, |a| a.score);
    Hit { entry: tenure_hits[0].1.entry, score, agreements }
}

/// What a listed vessel broadcasts against what the list says of it: an IMO
/// hit under another name (`listed_imo_other_name`: renamed, or the number
/// borrowed), and an MMSI whose MID is of none of the list's flags
/// (`flag_not_listed`: re-flagged, or a false flag) — each a conflict
/// event beside the hit, which it never lowers.
fn list_conflicts(hit_event: &Event, entry: &WatchEntry, hit: &Hit, mmsi: Mmsi) -> Vec<Event> {
    let mut conflicts = Vec::new();
    // An MMSI agreement counts only in full (not a number since reused).
    let agreed =
        |field: &str| hit.agreements.iter().any(|a| a.field == field && (field != "mmsi" || a.score >= MMSI_SCORE));
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

fn hit_event(
    mmsi: Mmsi,
    spans: &[StaticSpan],
    entry: &WatchEntry,
    hit: &Hit,
    tenure_hits: &[(&Tenure, Hit)],
    thresholds: Thresholds,
) -> Event {
    // The event covers the tenures in which the entry matched (or, for a
    // hit never matched, those in which it was shown), and within them the
    // spans that carried an agreeing value — every span, for a tenure in
    // which the MMSI itself agreed.
    let bar = hit.score.min(thresholds.matched);
    let mut agreeing: Vec<Agreeing> = Vec::new();
    for (tenure, tenure_hit) in tenure_hits.iter().filter(|(_, h)| h.score >= bar) {
        let mmsi_held = tenure_hit.agreements.iter().any(|a| a.field == "mmsi" && a.score >= MMSI_SCORE);
        for span in spans.iter().filter(|s| tenure.overlaps(s)) {
            let carried = tenure_hit.agreements.iter().any(|a| {
                a.field == field_name(span.field) && normalize::name(&a.broadcast) == normalize::name(&span.value)
            });
            if mmsi_held || carried {
                let (start, end) = tenure.clip(span);
                agreeing.push(Agreeing { span, start, end, carried, mmsi_held });
            }
        }
    }
    agreeing.sort_by_key(|a| a.start);
    let start = agreeing.first().map_or(Timestamp::from_unix_ms(0), |a| a.start);
    let end = agreeing.iter().map(|a| a.end).max().unwrap_or(start);
    let mut evidence: Vec<Evidence> = Vec::new();
    // Under the listed MMSI: its first report in the window.
    if let Some(first) = agreeing.iter().find(|a| a.mmsi_held) {
        evidence.push(first.span.first_report("first report under the listed MMSI"));
    }
    for a in agreeing.iter().filter(|a| a.carried) {
        let role = match a.span.field {
            StaticField::Imo => "first report of the listed IMO number",
            StaticField::CallSign => "first report of the listed call sign",
            _ => "first report of the listed name",
        };
        let cited = a.span.first_report(role);
        if !evidence.iter().any(|e| e.source_id == cited.source_id && e.line == cited.line && e.role == cited.role) {
            evidence.push(cited);
        }
    }
    if entry.source_id != 0 {
        evidence.push(Evidence {
            source_id: entry.source_id,
            line: entry.line,
            time: Timestamp::from_unix_ms(entry.imported_unix_ms),
            position: None,
            role: "the list's entry",
        });
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

/// A registry span inside the event's window.
struct Agreeing<'s> {
    span: &'s StaticSpan,
    /// The span clipped to its tenure.
    start: Timestamp,
    end: Timestamp,
    /// It carried a value that agreed with the entry.
    carried: bool,
    /// It was sent while the MMSI agreed (in full).
    mmsi_held: bool,
}

fn field_name(field: StaticField) -> &'static str {
    match field {
        StaticField::Imo => "imo",
        StaticField::CallSign => "call_sign",
        StaticField::Name => "name",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 86_400_000;

    fn span(field: StaticField, value: &str, first_day: i64, last_day: i64, line: u64) -> StaticSpan {
        StaticSpan {
            field,
            value: value.into(),
            first_time: Timestamp::from_unix_ms(first_day * DAY_MS),
            last_time: Timestamp::from_unix_ms(last_day * DAY_MS),
            reports: 10,
            source_id: 1,
            first_line: line,
        }
    }

    fn storm() -> WatchEntry {
        WatchEntry {
            list: "test".into(),
            id: "36002".into(),
            name: "SNOW STORM 1".into(),
            imos: vec!["9187629".into()],
            mmsis: vec!["511100345".into()],
            flags: vec!["Palau".into()],
            ..WatchEntry::default()
        }
    }

    #[test]
    fn tenures_split_where_the_imo_number_changes() {
        let spans = [
            span(StaticField::Imo, "9187629", 1, 10, 1),
            span(StaticField::Imo, "9999995", 20, 30, 2),
            span(StaticField::Imo, "9187629", 40, 50, 3),
        ];
        let t = tenures(&spans);
        let at = |day: i64| Some(Timestamp::from_unix_ms(day * DAY_MS));
        assert_eq!(t.len(), 3);
        assert_eq!((t[0].imo.as_deref(), t[0].from, t[0].until), (Some("9187629"), None, at(20)));
        assert_eq!((t[1].imo.as_deref(), t[1].from, t[1].until), (Some("9999995"), at(20), at(40)));
        assert_eq!((t[2].from, t[2].until), (at(40), None));
        assert_eq!(tenures(&[span(StaticField::Name, "X", 1, 2, 1)]), [Tenure { imo: None, from: None, until: None }]);
    }

    #[test]
    fn an_mmsi_agrees_only_while_it_was_the_listed_ships() {
        // The listed ship used the MMSI until day 10; from day 20 another
        // ship (another IMO number, another name) has it.
        let spans = vec![
            span(StaticField::Imo, "9187629", 1, 10, 11),
            span(StaticField::Name, "SNOW STORM 1", 1, 10, 12),
            span(StaticField::Imo, "9999995", 20, 30, 21),
            span(StaticField::Name, "BLUE SKY", 20, 30, 22),
        ];
        let events = watchlist_hits(&[(Mmsi(511100345), spans)], &[storm()], Thresholds::default());
        let hit: Vec<&Event> = events.iter().filter(|e| e.kind == EventKind::WatchlistHit).collect();
        assert_eq!(hit.len(), 1, "{events:#?}");
        assert_eq!(hit[0].attributes.get("score"), Some(&Value::Number(0.95)));
        assert_eq!(
            (hit[0].start.unix_ms(), hit[0].end.unix_ms()),
            (DAY_MS, 10 * DAY_MS),
            "the listed ship's tenure only"
        );
        let lines: Vec<u64> = hit[0].evidence.iter().map(|e| e.line).collect();
        assert!(lines.contains(&11) && lines.contains(&12), "{:?}", hit[0].evidence);
        assert!(!lines.contains(&21) && !lines.contains(&22), "the later ship's reports are not evidence: {lines:?}");

        // The later ship alone under the MMSI: a weak hit, not a match.
        let later =
            vec![span(StaticField::Imo, "9999995", 20, 30, 21), span(StaticField::Name, "BLUE SKY", 20, 30, 22)];
        let events = watchlist_hits(&[(Mmsi(511100345), later)], &[storm()], Thresholds::default());
        assert_eq!(events.len(), 1, "no conflict events beside a hit that is not one: {events:#?}");
        assert_eq!(events[0].attributes.get("matched"), Some(&Value::Flag(false)));
        assert_eq!(events[0].attributes.get("score"), Some(&Value::Number(0.5)));

        // A reused MMSI of another flag is no flag conflict of the listed ship.
        let mut russian = storm();
        russian.mmsis = vec!["273000111".into()];
        let later = vec![span(StaticField::Imo, "9999995", 20, 30, 21)];
        let events = watchlist_hits(&[(Mmsi(273000111), later)], &[russian], Thresholds::default());
        assert_eq!(events.len(), 1, "{events:#?}");

        // An MMSI that never sent an IMO number agrees all along.
        let plain = vec![span(StaticField::Name, "OCEAN DAWN", 3, 9, 31)];
        let events = watchlist_hits(&[(Mmsi(511100345), plain)], &[storm()], Thresholds::default());
        assert_eq!(events[0].attributes.get("score"), Some(&Value::Number(0.95)));
        assert_eq!(events[0].evidence[0].role, "first report under the listed MMSI");
        assert_eq!((events[0].start.unix_ms(), events[0].end.unix_ms()), (3 * DAY_MS, 9 * DAY_MS));
    }
}
