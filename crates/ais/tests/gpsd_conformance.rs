//! Conformance with gpsd's own AIS regression corpus.
//!
//! `../shared/corpora/ais/gpsd/*.oracle.jsonl` holds gpsd's test inputs
//! grouped by the object gpsd printed for them, with gpsd's unscaled JSON
//! (`gpsdecode -u -j`). Every group is decoded here and every field of our
//! gpsd-compatible output is compared with gpsd's, ignoring only the
//! `*_text` description strings. The groups where we differ on purpose are
//! listed in `KNOWN_DIFFERENCES`, each with the reason; the test fails on
//! any other difference and on a listed difference that no longer occurs.
//! Skipped, saying so, when `../shared` is absent.

mod common;

use std::collections::BTreeMap;

use serde_json::Value;
use tumen_ais::gpsd::GpsdJson;
use tumen_ais::{Decoded, Decoder, DecoderConfig, FnSink, Rejected};

/// (file, line of the group's first sentence, why we differ from gpsd).
const KNOWN_DIFFERENCES: &[(&str, u64, &str)] = &[
    // Binary payloads too short for their application layout: gpsd decodes
    // them anyway, reading bits the message does not have as zeros, and so
    // reports fields that were never sent (a lon/lat of 0, times of
    // "00-00T00:00Z"). We keep such payloads as raw data.
    ("sample.aivdm", 211, "6/1/12 dangerous cargo: 56 of its 269 data bits"),
    ("sample.aivdm", 213, "6/1/14 tidal window: 80 data bits, no complete 93-bit prediction"),
    ("sample.aivdm", 215, "6/1/18 clearance time: 80 of its 229 data bits"),
    ("sample.aivdm", 1030, "6/1/18 clearance time: 80 of its 229 data bits"),
    ("sample.aivdm", 1034, "6/1/18 clearance time: 80 of its 229 data bits"),
    ("sample.aivdm", 1036, "6/1/32 tidal window: 80 data bits, no complete 88-bit prediction"),
    ("sample.aivdm", 1037, "6/1/32 tidal window: 80 data bits, no complete 88-bit prediction"),
    // Type 26 ends with a 20-bit radio status; gpsd never reads it and
    // prints 0. It also copies the data's last partial byte with the radio
    // bits that follow it, where we write zeros after the data's last bit.
    ("sample.aivdm", 926, "type 26 radio status (gpsd: always 0)"),
    ("sample.aivdm", 946, "type 26 radio status (gpsd: always 0)"),
    ("sample.aivdm", 951, "type 26 radio status; padding bits of the data's last byte"),
    ("sample.aivdm", 956, "type 26 radio status (gpsd: always 0)"),
    ("sample.aivdm", 961, "type 26 radio status; padding bits of the data's last byte"),
];

/// Scaled-only differences (file, line, why).
const KNOWN_SCALED_DIFFERENCES: &[(&str, u64, &str)] = &[
    // 8/1/31 water level 0.99 m below datum: gpsd subtracts the offset in
    // unsigned arithmetic and prints 42949672.9; we print -0.1.
    ("ais-nmea-type6-fid55.log", 742, "8/1/31 water level below datum (gpsd: unsigned underflow)"),
    ("ais-nmea-type6-fid55.log", 744, "8/1/31 water level below datum (gpsd: unsigned underflow)"),
];

/// Field-level conventions where scaled output differs on purpose, wherever
/// they occur.
fn accepted_scaled_difference(key: &str, ours: Option<&Value>, gpsd: Option<&Value>) -> bool {
    match (key, ours, gpsd) {
        // gpsd squares the rate-of-turn indicator and loses its sign; we
        // keep it (negative = turning to port).
        ("turn", Some(a), Some(b)) => a.as_f64().zip(b.as_f64()).is_some_and(|(a, b)| a == -b),
        // Type 27 prints its status as words; gpsd spells "manoeuverability".
        ("status", Some(Value::String(a)), Some(Value::String(b))) => {
            a == "Restricted manoeuvrability" && b == "Restricted manoeuverability"
        }
        _ => false,
    }
}

#[derive(Debug)]
struct Group {
    file: String,
    line: u64,
    nmea: Vec<String>,
    expected: Vec<Value>,
    expected_scaled: Vec<Value>,
}

fn load_groups(dir: &std::path::Path) -> Vec<Group> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".oracle.jsonl"))
        .collect();
    files.sort();
    let mut groups = Vec::new();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().replace(".oracle.jsonl", "");
        for (i, line) in std::fs::read_to_string(&path).expect("oracle file").lines().enumerate() {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{file}:{}: {e}", i + 1));
            groups.push(Group {
                file: file.clone(),
                line: v["line"].as_u64().expect("line"),
                nmea: v["nmea"].as_array().expect("nmea").iter().map(|s| s.as_str().unwrap().to_owned()).collect(),
                expected: v["unscaled"].as_array().expect("unscaled").clone(),
                expected_scaled: v["scaled"].as_array().expect("scaled").clone(),
            });
        }
    }
    groups
}

/// Our gpsd JSON for each group, decoding each file as one stream.
fn decode_groups(groups: &[Group], scaled: bool) -> Vec<Result<Vec<Value>, String>> {
    let mut results = Vec::with_capacity(groups.len());
    let mut current_file = String::new();
    let mut decoder = Decoder::new(DecoderConfig::default());
    let mut json = GpsdJson::new(scaled, "stdin");
    for group in groups {
        if group.file != current_file {
            current_file = group.file.clone();
            decoder = Decoder::new(DecoderConfig::default());
            json = GpsdJson::new(scaled, "stdin");
        }
        let mut objects = Vec::new();
        let mut rejects = Vec::new();
        let mut sink = FnSink {
            on_message: |d: &Decoded<'_>| {
                let mut out = String::new();
                if json.write(d.message, d.meta.channel, &mut out) {
                    objects.push(serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{out}: {e}")));
                }
            },
            on_reject: |r: &Rejected<'_>| rejects.push(format!("{} ({})", r.reason, String::from_utf8_lossy(r.line))),
        };
        for line in &group.nmea {
            decoder.feed_line(line.as_bytes(), &mut sink);
        }
        results.push(if rejects.is_empty() { Ok(objects) } else { Err(rejects.join("; ")) });
    }
    results
}

/// The differing fields of two objects, `*_text` fields and accepted
/// conventions ignored.
fn field_differences(
    ours: &Value,
    gpsd: &Value,
    accepted: fn(&str, Option<&Value>, Option<&Value>) -> bool,
) -> Vec<String> {
    let (Some(ours), Some(gpsd)) = (ours.as_object(), gpsd.as_object()) else {
        return vec![format!("not objects: {ours} vs {gpsd}")];
    };
    let keys: std::collections::BTreeSet<&String> = ours.keys().chain(gpsd.keys()).collect();
    keys.into_iter()
        .filter(|k| !k.ends_with("_text"))
        .filter_map(|k| {
            let (a, b) = (ours.get(k), gpsd.get(k));
            (a != b && !accepted(k, a, b)).then(|| format!("{k}: ours {} gpsd {}", show(a), show(b)))
        })
        .collect()
}

fn show(v: Option<&Value>) -> String {
    v.map_or("(absent)".to_owned(), Value::to_string)
}

#[test]
fn agrees_with_gpsd_on_its_regression_corpus() {
    let Some(shared) = common::shared_dir("agrees_with_gpsd_on_its_regression_corpus") else {
        return;
    };
    let groups = load_groups(&shared.join("corpora/ais/gpsd"));
    assert!(groups.len() > 1900, "expected the whole corpus, found {} groups", groups.len());
    let results = decode_groups(&groups, false);
    compare(&groups, results, |g| &g.expected, KNOWN_DIFFERENCES, |_, _, _| false, "unscaled");
}

/// The same for gpsd's scaled JSON (`gpsdecode -j`): numbers in degrees,
/// knots, metres, with gpsd's decimals. Differences: the unscaled ones, and
/// the rate of turn, whose sign gpsd drops when it squares the indicator.
#[test]
fn agrees_with_gpsd_scaled_output() {
    let Some(shared) = common::shared_dir("agrees_with_gpsd_scaled_output") else {
        return;
    };
    let groups = load_groups(&shared.join("corpora/ais/gpsd"));
    let results = decode_groups(&groups, true);
    let mut known: Vec<(&str, u64, &str)> = KNOWN_DIFFERENCES.to_vec();
    known.extend_from_slice(KNOWN_SCALED_DIFFERENCES);
    compare(&groups, results, |g| &g.expected_scaled, &known, accepted_scaled_difference, "scaled");
}

fn compare(
    groups: &[Group],
    results: Vec<Result<Vec<Value>, String>>,
    expected_of: impl Fn(&Group) -> &Vec<Value>,
    known_differences: &[(&str, u64, &str)],
    accepted: fn(&str, Option<&Value>, Option<&Value>) -> bool,
    what: &str,
) {
    let mut differences: BTreeMap<(String, u64), String> = BTreeMap::new();
    let mut fields_compared = 0usize;
    for (group, result) in groups.iter().zip(results) {
        let expected = expected_of(group);
        let problem = match result {
            // gpsd printed nothing and we rejected the lines: the same output.
            Err(_) if expected.is_empty() => None,
            Err(rejects) => Some(format!("rejected: {rejects}")),
            Ok(ours) if ours.len() != expected.len() => {
                Some(format!("{} objects, gpsd {}: ours {ours:?}", ours.len(), expected.len()))
            }
            Ok(ours) => {
                let diffs: Vec<String> = ours
                    .iter()
                    .zip(expected)
                    .flat_map(|(a, b)| {
                        fields_compared += b.as_object().map_or(0, |o| o.len());
                        field_differences(a, b, accepted)
                    })
                    .collect();
                (!diffs.is_empty()).then(|| diffs.join("; "))
            }
        };
        if let Some(problem) = problem {
            differences.insert((group.file.clone(), group.line), format!("{problem}  <- {:?}", group.nmea));
        }
    }

    let known: BTreeMap<(String, u64), &str> =
        known_differences.iter().map(|(f, l, why)| ((f.to_string(), *l), *why)).collect();
    let unexpected: Vec<String> = differences
        .iter()
        .filter(|(k, _)| !known.contains_key(*k))
        .map(|((f, l), d)| format!("{f}:{l}: {d}"))
        .collect();
    let fixed: Vec<String> =
        known.keys().filter(|k| !differences.contains_key(*k)).map(|(f, l)| format!("{f}:{l}")).collect();
    eprintln!(
        "gpsd conformance ({what}): {} groups, {} fields compared, {} known differences, {} unexpected",
        groups.len(),
        fields_compared,
        known.len(),
        unexpected.len()
    );
    assert!(unexpected.is_empty(), "{} groups differ from gpsd ({what}):\n{}", unexpected.len(), unexpected.join("\n"));
    assert!(fixed.is_empty(), "listed differences no longer occur (remove them): {fixed:?}");
}
