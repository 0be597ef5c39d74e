//! `tumen decode` as a user runs it: the binary, real files, exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

fn tumen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tumen"))
}

fn sample() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sample.nmea").to_owned()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = tumen().args(args).output().expect("tumen runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

#[test]
fn gpsd_json_is_one_valid_object_per_line() {
    let (code, stdout, stderr) = run(&["decode", &sample()]);
    assert_eq!(code, 0, "{stderr}");
    let objects: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect();
    // 15 messages; gpsd prints one object for the type 24 pair.
    assert_eq!(objects.len(), 14);
    assert!(objects.iter().all(|o| o["class"] == "AIS" && o["scaled"] == true));
    let static_voyage = &objects[0];
    assert_eq!(static_voyage["type"], 5);
    assert_eq!(static_voyage["shipname"], "SAMPLE CARGO ONE");
    assert_eq!(static_voyage["destination"], "DUNAY");
    assert_eq!(static_voyage["draught"], 4.8);
    let class_b_static = objects.iter().find(|o| o["type"] == 24).expect("merged type 24");
    assert_eq!(class_b_static["shipname"], "SAMPLE YACHT");
    assert_eq!(class_b_static["callsign"], "D7SMP");
    // The summary names what was rejected.
    assert!(stderr.contains("15 messages") && stderr.contains("3 lines rejected"), "{stderr}");
    assert!(stderr.contains("bad_checksum 1") && stderr.contains("incomplete_message 1"), "{stderr}");
}

#[test]
fn unscaled_json_keeps_raw_values() {
    let (code, stdout, _) = run(&["decode", "--format", "gpsd-json-unscaled", "-q", &sample()]);
    assert_eq!(code, 0);
    let first: serde_json::Value = serde_json::from_str(stdout.lines().nth(1).unwrap()).unwrap();
    assert_eq!(first["type"], 1);
    assert_eq!(first["scaled"], false);
    assert_eq!(first["lat"], 42.17 * 600_000.0);
    assert_eq!(first["speed"], 102);
}

#[test]
fn gzip_and_stdin_give_the_same_output_as_the_plain_file() {
    let plain = run(&["decode", "-q", &sample()]).1;
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("sample.nmea.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    encoder.write_all(&std::fs::read(sample()).unwrap()).unwrap();
    encoder.finish().unwrap();
    assert_eq!(run(&["decode", "-q", gz.to_str().unwrap()]).1, plain);

    let mut child = tumen().args(["decode", "-q", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&std::fs::read(&gz).unwrap()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), plain, "gzip on stdin");
}

#[test]
fn rejects_file_names_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.tsv");
    let (code, _, _) = run(&["decode", "-q", "--rejects", rejects.to_str().unwrap(), &sample()]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&rejects).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.splitn(4, '\t').collect()).collect();
    assert_eq!(text.lines().next(), Some("file\tline\treason\ttext"));
    let sample_lines: Vec<String> = std::fs::read_to_string(sample()).unwrap().lines().map(str::to_owned).collect();
    let reasons: Vec<&str> = rows.iter().map(|r| r[2]).collect();
    assert_eq!(reasons, ["bad_checksum", "not_nmea", "incomplete_message"]);
    for row in &rows {
        assert!(row[0].ends_with("sample.nmea"));
        let line: usize = row[1].parse().unwrap();
        assert_eq!(row[3], sample_lines[line - 1], "the rejected text is the input line");
    }
}

#[test]
fn lenient_accepts_the_bad_checksum_and_says_so() {
    let (code, stdout, _) = run(&["decode", "--format", "stats", "--lenient", "-q", &sample()]);
    assert_eq!(code, 0);
    assert!(stdout.contains("messages\t16\n"), "{stdout}");
    assert!(stdout.contains("messages.bad_checksum_accepted\t1\n"), "{stdout}");
    assert!(!stdout.contains("rejected.bad_checksum"), "{stdout}");
}

#[test]
fn stats_count_types_and_reasons() {
    let (code, stdout, _) = run(&["decode", "--format", "stats", "-q", &sample()]);
    assert_eq!(code, 0);
    for expected in [
        "lines\t23\n",
        "blank_or_comment\t2\n",
        "other_sentences\t2\n",
        "messages\t15\n",
        "messages.type1\t9\n",
        "messages.type24\t2\n",
        "rejected_lines\t3\n",
        "rejected.not_nmea\t1\n",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in\n{stdout}");
    }
}

#[test]
fn csv_has_a_header_and_a_row_per_message() {
    let (code, stdout, _) = run(&["decode", "--format", "csv", "-q", &sample()]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 15);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let first_position = &rows[1];
    assert_eq!(&first_position[column("type")], "1");
    assert_eq!(&first_position[column("receiver_time")], "2023-09-07T06:10:00Z");
    assert_eq!(&first_position[column("source")], "rajin-shore");
    assert_eq!(&first_position[column("lat")], "42.170000");
    assert_eq!(&first_position[column("sog_knots")], "10.2");
    let uscg = rows.iter().find(|r| &r[column("station")] == "rDUNAY01").expect("USCG trailer row");
    assert_eq!(&uscg[column("receiver_time")], "2023-09-07T06:00:00Z");
}

#[test]
fn a_missing_file_is_reported_and_the_others_still_decoded() {
    let (code, stdout, stderr) = run(&["decode", "-q", "no-such-file.nmea", &sample()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no-such-file.nmea"), "{stderr}");
    assert_eq!(stdout.lines().count(), 14);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.nmea");
    let sample_text = std::fs::read_to_string(sample()).unwrap();
    std::fs::write(&big, sample_text.repeat(5000)).unwrap();
    let mut child = tumen()
        .args(["decode", "-q", big.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn meta_adds_line_time_source_and_station() {
    let (code, stdout, _) = run(&["decode", "-q", "--meta", &sample()]);
    assert_eq!(code, 0);
    let objects: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let first = &objects[1];
    assert_eq!(first["type"], 1);
    assert_eq!(first["line"], 5);
    assert_eq!(first["received"], "2023-09-07T06:10:00Z");
    assert_eq!(first["source"], "rajin-shore");
    let uscg = objects.iter().find(|o| o["station"] == "rDUNAY01").expect("USCG station");
    assert_eq!(uscg["received"], "2023-09-07T06:00:00Z");
    let gatehouse = objects.iter().find(|o| o["type"] == 4).expect("base station");
    assert_eq!(gatehouse["received"], "2023-09-07T06:30:00Z");
    assert_eq!(gatehouse["station"], "2734001");
}

#[test]
fn output_file_holds_what_stdout_would() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let (code, stdout, _) = run(&["decode", "-q", "--output", out.to_str().unwrap(), &sample()]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), run(&["decode", "-q", &sample()]).1);
}

#[test]
fn binary_garbage_is_rejected_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.bin");
    // A deterministic mix of bytes, newlines every so often, and one
    // valid sentence in the middle.
    let mut bytes: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let valid = b"\n!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n";
    bytes.splice(100_000..100_000, valid.iter().copied());
    std::fs::write(&garbage, &bytes).unwrap();
    let (code, stdout, _) = run(&["decode", "-q", "--format", "stats", garbage.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.contains("messages\t1\n"), "{stdout}");
}
