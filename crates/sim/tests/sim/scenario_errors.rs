//! A scenario that is wrong says where: every error names the file and the
//! line, and says what is wrong in the scenario's own terms.

use tumen_sim::ScenarioError;

const HEADER: &str = "[scenario]\nname = \"t\"\nstart = 2023-09-01T00:00:00Z\nend = 2023-09-02T00:00:00Z\n";

const PLACES: &str = r#"
[[place]]
id = "a"
kind = "port"
at = [42.0, 131.0]
radius_km = 2

[[place]]
id = "b"
kind = "port"
at = [42.5, 131.5]
radius_km = 2
"#;

fn error(text: &str) -> ScenarioError {
    match tumen_sim::load(text, "bad.toml", None) {
        Ok(_) => panic!("scenario was accepted:\n{text}"),
        Err(error) => error,
    }
}

/// The 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in text")) + 1
}

fn vessel(itinerary: &str) -> String {
    format!(
        "\n[[vessel]]\nid = \"v\"\nmmsi = 273000001\nname = \"V\"\nlength_m = 100\nbeam_m = 15\nat = \"a\"\nitinerary = [\n{itinerary}\n]\n"
    )
}

#[test]
fn unknown_keys_are_errors_with_their_line() {
    let text = format!(
        "{HEADER}{PLACES}\n[[receiver]]\nid = \"r\"\nkind = \"terrestrial\"\nat = [42.0, 131.0]\nrange_nm = 40\nrange_km = 70\n"
    );
    let e = error(&text);
    assert_eq!(e.file, "bad.toml");
    assert_eq!(e.line, Some(line_of(&text, "range_km")), "{e}");
    assert!(e.message.contains("range_km"), "{e}");
    assert!(e.to_string().starts_with(&format!("bad.toml:{}:", line_of(&text, "range_km"))), "{e}");
}

#[test]
fn bad_values_name_their_line() {
    let text = format!("{HEADER}\n[[place]]\nid = \"x\"\nkind = \"port\"\nat = [131.0, 42.0]\nradius_km = 2\n");
    let e = error(&text);
    assert_eq!(e.line, Some(line_of(&text, "at = [131.0")), "{e}");
    assert!(e.message.contains("not a position"), "{e}");

    let text = format!("{HEADER}\n[[place]]\nid = \"x\"\nkind = \"harbour\"\nat = [42.0, 131.0]\nradius_km = 2\n");
    let e = error(&text);
    assert_eq!(e.line, Some(line_of(&text, "harbour")), "{e}");

    let text = "[scenario]\nname = \"t\"\nstart = \"last tuesday\"\nend = 2023-09-02\n";
    let e = error(text);
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.message.contains("not a time"), "{e}");

    let text = format!(
        "{HEADER}{PLACES}\n[[receiver]]\nid = \"r\"\nkind = \"satellite\"\nrevisit_minutes = 90\npass_minutes = 10\nreliability = 1.5\n"
    );
    let e = error(&text);
    assert_eq!(e.line, Some(line_of(&text, "reliability")), "{e}");
    assert!(e.message.contains("probability"), "{e}");
}

#[test]
fn references_are_checked_at_the_step_that_makes_them() {
    let text =
        format!("{HEADER}{PLACES}{}", vessel("  { stop = \"b\", hours = 2 },\n  { stop = \"nowhere\", hours = 2 },"));
    let e = error(&text);
    assert_eq!(e.line, Some(line_of(&text, "nowhere")), "{e}");
    assert!(e.message.contains("step 2 of vessel \"v\"") && e.message.contains("unknown place \"nowhere\""), "{e}");

    let text = format!("{HEADER}{PLACES}{}", vessel("  { stop = \"b\", route = \"missing\", hours = 2 },"));
    assert!(error(&text).message.contains("unknown route \"missing\""));

    let text = format!("{HEADER}{PLACES}{}", vessel("  { stop = \"b\" },"));
    assert!(error(&text).message.contains("needs hours or until"));

    let text = format!("{HEADER}{PLACES}{}", vessel("  { stop = \"b\", anchor = \"a\", hours = 1 },"));
    assert!(error(&text).message.contains("exactly one of"));

    let text =
        format!("{HEADER}{PLACES}{}", vessel("  { loiter = \"b\", speed_knots = 5, radius_km = 3, hours = 1 },"));
    assert!(error(&text).message.contains("slower than 2 kn"));
}

#[test]
fn encounters_must_be_reachable_and_joined_by_both() {
    let encounter = "\n[[encounter]]\nid = \"e\"\nvessels = [\"v\", \"w\"]\nat = [42.3, 131.3]\nstart = 2023-09-01T03:00:00Z\nhours = 2\n";
    let w = "\n[[vessel]]\nid = \"w\"\nmmsi = 273000002\nname = \"W\"\nlength_m = 90\nbeam_m = 14\nat = \"b\"\nitinerary = [\n  { meet = \"e\" },\n]\n";
    // v first spends five hours in port: too late for a meeting at 03:00.
    let text =
        format!("{HEADER}{PLACES}{encounter}{w}{}", vessel("  { stop = \"a\", hours = 5 },\n  { meet = \"e\" },"));
    let e = error(&text);
    // The line of v's meet step, the last one in the file.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(e.line, Some(lines.iter().rposition(|l| l.contains("{ meet = \"e\" }")).unwrap() + 1), "{e}");
    assert!(e.message.contains("cannot reach encounter \"e\""), "{e}");

    let text = format!("{HEADER}{PLACES}{encounter}{w}{}", vessel("  { stop = \"a\", hours = 5 },"));
    let e = error(&text);
    assert_eq!(e.line, Some(line_of(&text, "[[encounter]]")), "{e}");
    assert!(e.message.contains("has no `meet = \"e\"` step"), "{e}");
}

#[test]
fn ids_are_unique_and_identities_fit_ais() {
    let text = format!("{HEADER}{PLACES}\n[[place]]\nid = \"a\"\nkind = \"zone\"\nat = [1.0, 1.0]\nradius_km = 1\n");
    let e = error(&text);
    assert!(e.message.contains("place id \"a\" is used twice"), "{e}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(e.line, Some(lines.iter().rposition(|l| *l == "[[place]]").unwrap() + 1), "{e}");

    let text =
        format!("{HEADER}{PLACES}{}", vessel("").replace("name = \"V\"", "name = \"A NAME FAR TOO LONG FOR AIS\""));
    assert!(error(&text).message.contains("name"));

    let text = format!("{HEADER}{PLACES}{}", vessel("").replace("mmsi = 273000001", "mmsi = 2730000010"));
    assert!(error(&text).message.contains("nine digits"));

    let text = format!(
        "{HEADER}{PLACES}\n[[traffic]]\nid = \"t\"\ncount = 3\nkind = \"area\"\narea = [42, 131, 43, 132]\nflags = [\"ZZ\"]\n"
    );
    assert!(error(&text).message.contains("no MID is allocated to flag \"ZZ\""));
}
