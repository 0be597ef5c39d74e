//! `tumen lists import` end to end: OFAC's two files in one import, a
//! re-import that reports what changed, the errors a user meets (a file
//! that is no list, an alt.csv alone) naming the file, and nothing stored
//! when the import fails.

use std::path::Path;

use crate::support::tumen;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../screen/tests/fixtures").join(name).display().to_string()
}

#[test]
fn lists_are_imported_reimported_and_bad_files_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    let out = tumen(&["lists", "import", &fixture("sdn.csv"), &fixture("alt.csv"), "--data", &data]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("ofac-sdn (ofac-sdn): 2 vessels; 2 added, 0 removed, 0 changed"), "{stderr}");
    assert!(stderr.contains("sdn.csv:4: 3 fields where sdn.csv has 12"), "{stderr}");

    // Without its alt.csv the names it gave are gone: both entries changed.
    let out = tumen(&["lists", "import", &fixture("sdn.csv"), "--data", &data]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 added, 0 removed, 2 changed"));

    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "hello\nworld\n").unwrap();
    for (args, says) in [
        (vec![notes.display().to_string()], "notes.txt: not a watch list"),
        (vec![fixture("alt.csv")], "is read with its sdn.csv"),
        (vec![fixture("un1718.csv"), fixture("eu-annex-xlii.csv")], "import one list at a time"),
    ] {
        let mut command = vec!["lists".to_owned(), "import".to_owned()];
        command.extend(args);
        command.extend(["--data".to_owned(), data.clone()]);
        let command: Vec<&str> = command.iter().map(String::as_str).collect();
        let out = tumen(&command);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(says), "{command:?}: {stderr}");
    }
    let listed = String::from_utf8(tumen(&["lists", "list", "--data", &data, "--format", "json"]).stdout).unwrap();
    assert_eq!(listed.lines().count(), 1, "only the OFAC list is stored: {listed}");
}

/// A UN 1718 vessels table of `names` (IMO numbers 9000001…), with `row`
/// in place of the vessel line numbered `broken` (1-based), if any.
fn un_table(names: &[&str], broken: Option<(usize, &str)>) -> String {
    let mut text = String::from(
        "vessel_name,imo_number,designated_owner,mmsi,flag,call_sign,other_information,type,date_of_designation\n",
    );
    for (i, name) in names.iter().enumerate() {
        match broken {
            Some((n, row)) if n == i + 1 => text.push_str(row),
            _ => text.push_str(&format!("{name},{},,,DPRK,,,Cargo,2018-03-30", 9_000_001 + i)),
        }
        text.push('\n');
    }
    text
}

#[test]
fn a_broken_download_never_empties_a_list() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let import = |file: &str, extra: &[&str]| {
        let mut args = vec!["lists", "import", file, "--data", &data];
        args.extend(extra);
        let out = tumen(&args);
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let ships = ["ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT"];
    let (ok, stderr) = import(&write("un.csv", &un_table(&ships, None)), &[]);
    assert!(ok && stderr.contains("6 vessels; 6 added"), "{stderr}");

    // The same entries from another file are not "changed".
    let (ok, stderr) = import(&write("un-copy.csv", &un_table(&ships, None)), &[]);
    assert!(ok && stderr.contains("6 vessels; 0 added, 0 removed, 0 changed"), "{stderr}");

    // A quote opened in CHARLIE's row (line 4) and never closed: that row is
    // refused with its line, and the rows after it are read as rows.
    let unclosed = un_table(&ships, Some((3, "\"CHARLIE,9000003,,,DPRK,,,Cargo,2018-03-30")));
    let (ok, stderr) = import(&write("un-unclosed.csv", &unclosed), &[]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("5 vessels; 0 added, 1 removed, 0 changed"), "{stderr}");
    assert!(stderr.contains("un-unclosed.csv:4: a quote opened on line 4"), "{stderr}");
    let entries =
        String::from_utf8(tumen(&["lists", "list", "--data", &data, "--entries", "all", "--format", "json"]).stdout)
            .unwrap();
    for kept in ["DELTA", "ECHO", "FOXTROT"] {
        assert!(entries.contains(kept), "{kept} swallowed: {entries}");
    }

    // A truncated download would remove most of the list: refused, the
    // list untouched; --replace replaces it anyway.
    let (ok, stderr) = import(&write("un-truncated.csv", &un_table(&ships[..1], None)), &[]);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("would remove 4 of its 5 entries"), "{stderr}");
    let listed = String::from_utf8(tumen(&["lists", "list", "--data", &data, "--format", "json"]).stdout).unwrap();
    assert!(listed.contains("\"vessels\":5"), "the list is as it was: {listed}");
    let (ok, stderr) = import(&dir.path().join("un-truncated.csv").display().to_string(), &["--replace"]);
    assert!(ok && stderr.contains("1 vessels; 0 added, 4 removed"), "{stderr}");

    // Another format under the list's name: refused, naming both.
    let (ok, stderr) = import(&fixture("eu-annex-xlii.csv"), &["--list", "un-1718"]);
    assert!(!ok && stderr.contains("refusing to replace un-1718") && stderr.contains("reads as eu"), "{stderr}");
}

#[test]
fn a_newcomers_mistakes_are_told_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    let out = tumen(&["lists", "import", &fixture("un1718.csv"), "--data", &data]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = |args: &[&str]| {
        let out = tumen(args);
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    // A list that is not there.
    let (code, stderr) = said(&["lists", "list", "--data", &data, "--entries", "NOSUCH"]);
    assert!(code != Some(0) && stderr.contains("no list \"NOSUCH\"") && stderr.contains("un-1718"), "{stderr}");
    // A name where an MMSI goes; an MMSI with no positions.
    let (code, stderr) = said(&["track", "ANGARA", "--data", &data]);
    assert!(code != Some(0) && stderr.contains("tumen vessels --name"), "{stderr}");
    let (code, stderr) = said(&["track", "999999999", "--data", &data]);
    assert!(code == Some(1) && stderr.contains("no positions of"), "{stderr}");
    // Findings asked for before `tumen run`.
    let (code, stderr) = said(&["events", "--data", &data]);
    assert!(code == Some(0) && stderr.contains("tumen run --data"), "{stderr}");
    let (code, stderr) = said(&["chains", "--data", &data]);
    assert!(code == Some(0) && stderr.contains("tumen run --data"), "{stderr}");
}
