//! `tumen lists import` end to end: OFAC's two files in one import, a
//! re-import that reports what changed, the errors a user meets (a file
//! that is no list, an alt.csv alone) naming the file, and nothing stored
//! when the import fails.

use std::path::Path;
use std::process::{Command, Output};

fn tumen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tumen")).args(args).output().expect("tumen runs")
}

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
