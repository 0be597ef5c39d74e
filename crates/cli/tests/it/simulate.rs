//! `tumen simulate` as a user runs it: shipped and own scenarios, the
//! files it writes, errors that name the line, exit codes.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tumen")).args(args).output().expect("tumen runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

#[test]
fn lists_the_shipped_scenarios() {
    let (code, stdout, _) = run(&["simulate", "--list"]);
    assert_eq!(code, 0);
    for name in ["najin-dunay-2023", "global-day", "ais-off", "encounter", "spoofing", "identity"] {
        assert!(stdout.lines().any(|l| l == name), "{name} missing from {stdout}");
    }
}

#[test]
fn a_shipped_scenario_writes_every_file_and_its_feed_decodes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let (code, _, stderr) = run(&["simulate", "receivers", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("receivers:") && stderr.contains("lines"), "summary: {stderr}");
    for file in [
        "ais.nmea",
        "positions_noaa.csv",
        "positions_dma.csv",
        "scenes.csv",
        "detections.csv",
        "observations.csv",
        "gazetteer.geojson",
        "truth.json",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
        assert!(!out.join(format!("{file}.partial")).exists());
    }
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("truth.json")).unwrap()).unwrap();
    assert_eq!(truth["schema"], "tumen.sim.truth/1");
    let feed = &truth["feed"];

    // The decoder accounts for every line the simulator says it wrote.
    let nmea = out.join("ais.nmea");
    let (code, stdout, stderr) = run(&["decode", "--format", "stats", "-q", nmea.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let stat = |key: &str| {
        stdout.lines().find_map(|l| l.strip_prefix(&format!("{key}\t"))).map_or(0, |v| v.parse::<u64>().unwrap())
    };
    assert_eq!(stat("lines"), feed["lines"].as_u64().unwrap());
    assert_eq!(stat("rejected.bad_checksum"), feed["corrupted_lines"].as_u64().unwrap());
    assert_eq!(stat("messages"), feed["receptions"].as_u64().unwrap() - feed["damaged_messages"].as_u64().unwrap());
}

#[test]
fn the_same_seed_gives_the_same_files_and_another_seed_others() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    for (out, seed) in [("a", "9"), ("b", "9"), ("c", "10")] {
        let (code, _, stderr) = run(&["simulate", "encounter", "--out", &path(out), "--seed", seed, "-q"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.is_empty(), "quiet: {stderr}");
    }
    let read = |out: &str| std::fs::read(dir.path().join(out).join("ais.nmea")).unwrap();
    assert_eq!(read("a"), read("b"));
    assert_ne!(read("a"), read("c"));
}

#[test]
fn a_scenario_file_with_an_error_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "[scenario]\nname = \"bad\"\nstart = 2023-09-01\nend = 2023-09-02\n\n[[place]]\nid = \"p\"\nkind = \"port\"\nat = [42.0, 131.0]\nradius_km = 2\ncolour = \"red\"\n",
    )
    .unwrap();
    let (code, _, stderr) =
        run(&["simulate", file.to_str().unwrap(), "--out", dir.path().join("out").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("bad.toml:11:") && stderr.contains("colour"), "{stderr}");
    assert!(!dir.path().join("out").join("ais.nmea").exists());

    let (code, _, stderr) = run(&["simulate", "no-such-scenario", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no-such-scenario") && stderr.contains("--list"), "{stderr}");
}
