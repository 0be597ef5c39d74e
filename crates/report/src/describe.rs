//! Events in words: one line a reader understands without the attribute
//! names ("AIS silent 1,277 h, 60 km from where it fell silent").

use tumen_model::{Event, EventKind};

/// What the event says, from its kind, place and attributes.
pub fn describe(event: &Event) -> String {
    let number = |key: &str| event.number(key);
    let text = |key: &str| event.text(key).map(str::to_owned);
    let place = event.place.as_deref().map(|p| format!(" at {p}")).unwrap_or_default();
    let hours = number("duration_hours").map(|h| format!("{h:.1} h")).unwrap_or_default();
    match event.kind {
        EventKind::PortVisit if event.flag("duration_unknown") == Some(true) => {
            format!("in port{place}, heard once there: for how long is unknown")
        }
        EventKind::PortVisit => format!("in port{place} for {hours}"),
        EventKind::DataQuality => {
            let kinds = [
                ("off_track", "off the track"),
                ("sign_flip", "with a coordinate's sign flipped"),
                ("same_time_elsewhere", "at the same second elsewhere"),
                ("impossible_position", "at (0, 0) or a pole"),
                ("time_shifted", "stamped hours off"),
                ("invalid_mmsi", "on an MMSI no one station can have"),
            ];
            let parts: Vec<String> =
                kinds.iter().filter_map(|(key, words)| number(key).map(|n| format!("{n:.0} {words}"))).collect();
            format!(
                "data quality, not behaviour: {} report(s) no detector used ({})",
                number("reports").map_or("?".into(), |n| format!("{n:.0}")),
                parts.join("; ")
            )
        }
        EventKind::SharedMmsi => {
            let names = text("names").map(|n| format!("; names heard: {n}")).unwrap_or_default();
            format!(
                "one MMSI, several transmitters: {} second track(s) up to {} km apart{names}",
                number("second_tracks").map_or("?".into(), |n| format!("{n:.0}")),
                number("max_offset_km").map_or("?".into(), |d| format!("{d:.0}"))
            )
        }
        EventKind::Gap | EventKind::AisDisabling => {
            let moved =
                number("distance_km").map(|d| format!(", {d:.0} km from where it fell silent")).unwrap_or_default();
            let shore = number("distance_to_shore_nm").map(|d| format!(", {d:.0} nm from shore")).unwrap_or_default();
            let what = if event.kind == EventKind::AisDisabling {
                "AIS switched off (silent where it should be heard)"
            } else {
                "AIS gap"
            };
            format!("{what}: {hours}{moved}{shore}")
        }
        EventKind::Encounter => format!(
            "met {} at sea for {hours}, {} m apart at closest",
            join_mmsis(&event.mmsis),
            number("min_distance_m").map_or("?".into(), |d| format!("{d:.0}"))
        ),
        EventKind::Loitering => format!("loitered {hours}{place}"),
        EventKind::DarkDetection => {
            let sensor = text("satellite").unwrap_or_else(|| "satellite".into());
            let candidates = text("candidates")
                .map(|c| format!("; could be {c}"))
                .unwrap_or_else(|| "; no silent vessel explains it".into());
            format!(
                "a vessel of {} m seen by {sensor}{place}, not on AIS{candidates}",
                number("detected_length_m").map_or("?".into(), |l| format!("{l:.0}"))
            )
        }
        EventKind::DetectionMatch => format!(
            "seen by satellite {} m from where its AIS put it (score {})",
            number("distance_m").map_or("?".into(), |d| format!("{d:.0}")),
            number("score").map_or("?".into(), |s| format!("{s:.2}"))
        ),
        EventKind::NotDetected => {
            format!("AIS put it in scene {} but the satellite saw nothing there", text("scene_id").unwrap_or_default())
        }
        EventKind::FacilityAnomaly => format!(
            "{}: {} counted against {} expected (z {}; highest in {} earlier counts: {})",
            text("site").unwrap_or_default(),
            number("peak_count").map_or("?".into(), |c| tumen_model::ObjectClass::counted_as(
                &text("object_class").unwrap_or_default(),
                c
            )),
            number("expected").map_or("?".into(), |c| format!("{c:.0}")),
            number("z").map_or("?".into(), |z| format!("{z:.1}")),
            number("history_observations").map_or("?".into(), |n| format!("{n:.0}")),
            number("history_highest").map_or("?".into(), |c| format!("{c:.0}")),
        ),
        EventKind::DraughtChange => format!(
            "draught {} → {} m ({})",
            number("from_m").map_or("?".into(), |d| format!("{d:.1}")),
            number("to_m").map_or("?".into(), |d| format!("{d:.1}")),
            text("direction").unwrap_or_default()
        ),
        EventKind::WatchlistHit => format!(
            "{} on {}: {} (score {}; agreeing: {})",
            if event.flag("matched") == Some(true) { "listed" } else { "resembles an entry" },
            text("list").unwrap_or_default(),
            text("entry_name").unwrap_or_default(),
            number("score").map_or("?".into(), |s| format!("{s:.2}")),
            text("agreements").unwrap_or_default()
        ),
        EventKind::IdentityConflict => {
            format!("{}: {}", text("conflict").unwrap_or_default(), text("detail").unwrap_or_default())
        }
        EventKind::IdentityChange => {
            let field = text("field").unwrap_or_else(|| "identity".into());
            match (text("from"), text("to")) {
                (Some(from), Some(to)) => format!("{field} changed: {from} → {to}"),
                _ => format!("{field} changed"),
            }
        }
        EventKind::Spoofing => format!("spoofing{place}"),
    }
}

/// The UTC date of an instant, `YYYY-MM-DD`.
pub fn day(t: tumen_model::Timestamp) -> String {
    t.to_string().chars().take(10).collect()
}

/// A time as a reader wants it: to the minute, in UTC.
pub fn minute(t: tumen_model::Timestamp) -> String {
    let text = t.to_string();
    match (text.get(..10), text.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => text,
    }
}

/// From one time to another, to the minute: one time when they are the
/// same minute, the date once when they share it.
pub fn period(from: tumen_model::Timestamp, to: tumen_model::Timestamp) -> String {
    let (start, end) = (minute(from), minute(to));
    if start == end {
        start
    } else if start.get(..10) == end.get(..10) {
        format!("{} – {}", start.trim_end_matches(" UTC"), end.get(11..).unwrap_or(&end))
    } else {
        format!("{start} – {end}")
    }
}

/// From one day to another: one day when they are the same.
pub fn days(from: tumen_model::Timestamp, to: tumen_model::Timestamp) -> String {
    let (start, end) = (day(from), day(to));
    if start == end { start } else { format!("{start} – {end}") }
}

pub fn join_mmsis(mmsis: &[impl std::fmt::Display]) -> String {
    mmsis.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_model::{Mmsi, Timestamp};

    fn event(kind: &str, attributes: &str) -> Event {
        Event {
            id: "e".into(),
            kind: kind.parse().unwrap(),
            mmsis: vec![Mmsi(273214860)],
            start: Timestamp::from_unix_ms(0),
            end: Timestamp::from_unix_ms(0),
            position: None,
            place: Some("najin".into()),
            confidence: 3,
            profile: "p".into(),
            attributes: Event::attributes_from_json(attributes).unwrap(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn events_read_as_sentences() {
        assert_eq!(
            describe(&event("ais_disabling", r#"{"duration_hours": 1277.06, "distance_km": 60.2}"#)),
            "AIS switched off (silent where it should be heard): 1277.1 h, 60 km from where it fell silent"
        );
        let spike = r#"{"site":"tumangang","object_class":"rail_car","peak_count":73,"expected":9.2,"z":11.3,"history_observations":95,"history_highest":21}"#;
        assert_eq!(
            describe(&event("facility_anomaly", spike)),
            "tumangang: 73 rail cars counted against 9 expected (z 11.3; highest in 95 earlier counts: 21)"
        );
        assert_eq!(
            describe(&event("data_quality", r#"{"reports": 5, "sign_flip": 4, "impossible_position": 1}"#)),
            "data quality, not behaviour: 5 report(s) no detector used (4 with a coordinate's sign flipped; 1 at (0, 0) or a pole)"
        );
        assert_eq!(
            describe(&event("port_visit", r#"{"duration_unknown": true, "positions": 1}"#)),
            "in port at najin, heard once there: for how long is unknown"
        );
        // Missing attributes still give a line.
        assert_eq!(describe(&event("spoofing", "{}")), "spoofing at najin");
        assert_eq!(describe(&event("gap", "{}")), "AIS gap: ");
    }

    #[test]
    fn periods_say_each_date_once() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(period(t("2023-10-01T02:10:00Z"), t("2023-10-01T02:10:30Z")), "2023-10-01 02:10 UTC");
        assert_eq!(period(t("2023-10-01T02:10:00Z"), t("2023-10-01T14:30:00Z")), "2023-10-01 02:10 – 14:30 UTC");
        assert_eq!(
            period(t("2023-09-30T22:00:00Z"), t("2023-10-01T02:10:00Z")),
            "2023-09-30 22:00 UTC – 2023-10-01 02:10 UTC"
        );
        assert_eq!(days(t("2023-10-01T02:10:00Z"), t("2023-10-01T14:30:00Z")), "2023-10-01");
        assert_eq!(days(t("2023-09-30T02:10:00Z"), t("2023-10-01T14:30:00Z")), "2023-09-30 – 2023-10-01");
    }
}
