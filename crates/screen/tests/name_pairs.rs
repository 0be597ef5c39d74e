//! True and false name matches, as a screener meets them: vessel names as
//! sanctions lists and AIS write them (prefixes, run-together words, a
//! letter off, sister ships numbered apart). Each pair is judged by the
//! ladder with the default thresholds: a match (≥ 0.70), shown as a weak
//! hit (≥ 0.50), or nothing.

use tumen_screen::{Identity, Screen, Thresholds, WatchEntry};

#[derive(Debug, PartialEq)]
enum Verdict {
    Match,
    Shown,
    Nothing,
}

fn verdict(listed: &str, broadcast: &str) -> Verdict {
    let entries = [WatchEntry { list: "t".into(), id: "1".into(), name: listed.into(), ..WatchEntry::default() }];
    let screen = Screen::new(&entries, Thresholds::default());
    let identity = Identity { mmsi: "273000001".into(), names: vec![broadcast.into()], ..Identity::default() };
    match screen.screen(&identity).first().map(|h| h.score) {
        Some(s) if s >= 0.70 => Verdict::Match,
        Some(_) => Verdict::Shown,
        None => Verdict::Nothing,
    }
}

#[test]
fn names_that_are_the_same_ship() {
    for (listed, broadcast) in [
        ("SNOW STORM 1", "SNOW STOM 1"),          // a letter dropped
        ("OCEAN PRINCESS", "M/T OCEAN PRINCESS"), // a vessel prefix
        ("OCEAN PRINCESS", "MV. OCEAN-PRINCESS"),
        ("CHON MA SAN", "CHONMASAN"), // run together
        ("KUM UN SAN 3", "KUMUNSAN 3"),
        ("SAEBYOL", "SAE BYOL"), // split apart
        ("TIAN YOU", "TIANYOU"),
        ("NEW REGENT", "new regent"), // case
        ("SEA BREEZE", "SEA BREZE"),
        ("ASIA BRIDGE 1", "ASIA BRIDGE 1"),
        ("YU PHYONG 5", "YUPHYONG 5"),
    ] {
        assert_eq!(verdict(listed, broadcast), Verdict::Match, "{listed} ~ {broadcast}");
    }
}

#[test]
fn sister_ships_and_near_names_are_not_matches() {
    for (listed, broadcast, expected) in [
        // Numbered sisters: the number penalty keeps them below a match;
        // in a short name the edit weighs enough to show nothing.
        ("SNOW STORM 1", "SNOW STORM 2", Verdict::Shown),
        ("ASIA BRIDGE 1", "ASIA BRIDGE 2", Verdict::Shown),
        ("JI SONG 6", "JI SONG 8", Verdict::Nothing),
        ("YU JONG 2", "YU JONG 8", Verdict::Nothing),
        // One letter off in a short name is too much to call a match.
        ("KATRIN", "KATRINE", Verdict::Shown),
        ("RICH", "RICHY", Verdict::Shown),
        // Two letters off in a five-letter name, or another name: nothing.
        ("HUA FU", "HAU FU", Verdict::Nothing),
        ("SNOW STORM 1", "SNOW WHITE 1", Verdict::Nothing),
        ("SEA BREEZE", "SEA BREEZE STAR", Verdict::Nothing),
        ("OCEAN PRINCESS", "OCEAN PRIDE", Verdict::Nothing),
    ] {
        assert_eq!(verdict(listed, broadcast), expected, "{listed} ~ {broadcast}");
    }
}
