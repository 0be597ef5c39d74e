//! `tumen ingest` killed with SIGKILL at random moments and run again ends
//! with exactly the dataset a clean run makes: the same positions (rows,
//! values, evidence), the same identity registry, the same rejects and
//! counts — nothing lost, nothing doubled.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use tumen_store::Dataset;

use crate::support::{TUMEN, simulated};
/// Small batches, so that a run has many commits to be killed between.
const BATCH_LINES: &str = "40000";

fn ingest_command(data: &Path, sources: &[PathBuf]) -> Command {
    let mut command = Command::new(TUMEN);
    command.arg("ingest").args(sources).arg("--data").arg(data).args(["--batch-lines", BATCH_LINES, "--json", "-q"]);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// Everything a dataset holds, as comparable text.
fn contents(data: &Path) -> (Vec<String>, String, Vec<String>, Vec<String>) {
    let dataset = Dataset::open(data).unwrap();
    let positions: Vec<String> = dataset.all_positions().unwrap().iter().map(|r| format!("{r:?}")).collect();
    let registry = dataset.catalog().registry_dump().unwrap();
    let mut rejects = Vec::new();
    for file in dataset.catalog().reject_files().unwrap() {
        rejects.extend(std::fs::read_to_string(data.join(file)).unwrap().lines().map(str::to_owned));
    }
    rejects.sort();
    let sources = dataset
        .catalog()
        .sources()
        .unwrap()
        .iter()
        .map(|s| {
            let hash = s.content_hash.as_deref().unwrap_or("no hash");
            format!("{} {} {} {} {} {} {hash}", s.id, s.status, s.lines, s.positions, s.rejects, s.format)
        })
        .collect();
    (positions, registry, rejects, sources)
}

#[test]
fn a_killed_ingest_run_again_makes_exactly_the_clean_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let (najin, receivers) = (simulated("najin-dunay-2023"), simulated("receivers"));
    // The second source gzip-compressed: resuming it decompresses up to the
    // checkpoint.
    let plain = std::fs::read(receivers.join("ais.nmea")).unwrap();
    let gz_path = dir.path().join("receivers.nmea.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&gz_path).unwrap(), flate2::Compression::fast());
    gz.write_all(&plain).unwrap();
    gz.finish().unwrap();
    let sources = vec![najin.join("ais.nmea"), gz_path];

    let clean = dir.path().join("clean");
    let started = Instant::now();
    let out = ingest_command(&clean, &sources).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let clean_run = started.elapsed();
    let expected = contents(&clean);
    assert!(expected.0.len() > 900_000, "the najin scenario has ~945k positions");

    // Trials on fresh datasets: each is killed twice at moments spread over
    // a clean run's length (from a fixed seed), then run to its end.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next_delay = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let fraction = (seed >> 11) as f64 / (1u64 << 53) as f64;
        clean_run.mul_f64(0.6 * fraction)
    };
    let mut kills = 0;
    let mut resumed = 0;
    let mut cut_mid_source = 0;
    for trial in 0..5 {
        let killed = dir.path().join(format!("killed-{trial}"));
        for kill in 0..2 {
            let mut child = ingest_command(&killed, &sources).spawn().unwrap();
            let delay = next_delay();
            if kill == 0 {
                // First kill: soon after the first commit (within a tenth
                // of a clean run), so that it falls inside a source once
                // per trial however loaded the machine is; the second
                // anywhere (hashing, a source, compaction).
                wait_for_a_commit(&killed, &mut child);
                std::thread::sleep(delay / 6);
            } else {
                std::thread::sleep(delay);
            }
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap(); // SIGKILL
                kills += 1;
            }
            child.wait().unwrap();
            // Killed between two commits of a source?
            let dataset = Dataset::open_read_only(&killed).unwrap();
            if dataset
                .catalog()
                .sources()
                .unwrap()
                .iter()
                .any(|s| s.status == tumen_store::SourceStatus::Ingesting && s.lines > 0)
            {
                cut_mid_source += 1;
            }
        }
        let out = ingest_command(&killed, &sources).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        resumed +=
            stdout.matches("\"resumed_after_line\":").count() - stdout.matches("\"resumed_after_line\":null").count();

        let got = contents(&killed);
        assert_eq!(got.3, expected.3, "trial {trial}: sources");
        assert_eq!(got.0.len(), expected.0.len(), "trial {trial}: positions");
        assert!(got.0 == expected.0, "trial {trial}: positions differ");
        assert!(got.1 == expected.1, "trial {trial}: registry differs");
        assert_eq!(got.2, expected.2, "trial {trial}: rejects");
        assert_only_named_files(&killed);
    }
    assert!(kills >= 6, "only {kills} runs were killed before they ended");
    assert!(cut_mid_source >= 4, "only {cut_mid_source} kills fell between two commits of a source");
    assert!(resumed >= 1, "no final run resumed a source from a checkpoint");
}

/// Waits until the running ingest has committed a batch (or ended).
fn wait_for_a_commit(data: &Path, child: &mut std::process::Child) {
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        if let Ok(dataset) = Dataset::open_read_only(data)
            && dataset.catalog().sources().unwrap_or_default().iter().any(|s| s.lines > 0)
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// No file the catalog does not name, and no temporary file, is left.
fn assert_only_named_files(data: &Path) {
    let dataset = Dataset::open(data).unwrap();
    let mut named: Vec<String> = dataset.catalog().part_files().unwrap();
    named.extend(dataset.catalog().reject_files().unwrap());
    named.sort();
    let mut on_disk = Vec::new();
    for top in ["positions", "rejects"] {
        for entry in walk(&data.join(top)) {
            on_disk.push(entry.strip_prefix(data).unwrap().to_string_lossy().into_owned());
        }
    }
    on_disk.sort();
    assert_eq!(on_disk, named);
}
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

/// Positions, the sum of `receivers_heard`, identity reports and rejects
/// of a dataset: what counting a line twice would inflate.
fn totals(data: &Path) -> (usize, u64, u64, u64) {
    let dataset = Dataset::open(data).unwrap();
    let positions = dataset.all_positions().unwrap();
    let heard = positions.iter().map(|r| u64::from(r.receivers_heard)).sum();
    let sources = dataset.catalog().sources().unwrap();
    let statics = dataset.catalog().registry_dump().unwrap().lines().count() as u64;
    let rejects = sources.iter().map(|s| s.rejects).sum();
    (positions.len(), heard, statics, rejects)
}

#[test]
fn a_file_read_again_whole_after_it_failed_or_grew_counts_each_line_once() {
    let dir = tempfile::tempdir().unwrap();
    let receivers = simulated("receivers");
    let plain = std::fs::read(receivers.join("ais.nmea")).unwrap();
    let whole = dir.path().join("whole.nmea.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&whole).unwrap(), flate2::Compression::fast());
    gz.write_all(&plain).unwrap();
    gz.finish().unwrap();
    let clean = dir.path().join("clean");
    assert!(ingest_command(&clean, std::slice::from_ref(&whole)).output().unwrap().status.success());
    let expected = totals(&clean);

    // A download cut off at 60 %: the ingest fails midway, keeping what it
    // committed; the whole file then takes that source up where it stopped.
    let gz_bytes = std::fs::read(&whole).unwrap();
    let cut = dir.path().join("cut.nmea.gz");
    std::fs::write(&cut, &gz_bytes[..gz_bytes.len() * 6 / 10]).unwrap();
    let data = dir.path().join("cut-then-whole");
    let failed = ingest_command(&data, std::slice::from_ref(&cut)).output().unwrap();
    assert!(!failed.status.success(), "a truncated gzip is an error");
    let partial = totals(&data);
    assert!(partial.0 > 0 && partial.0 < expected.0, "what was read before the cut is kept: {partial:?}");
    let out = ingest_command(&data, std::slice::from_ref(&whole)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(totals(&data), expected, "positions, receivers heard, identity, rejects");
    let sources = Dataset::open(&data).unwrap().catalog().sources().unwrap();
    assert_eq!(sources.len(), 1, "one source, now the whole file: {sources:?}");
    assert!(sources[0].location.ends_with("whole.nmea.gz") && sources[0].status == tumen_store::SourceStatus::Done);

    // A log read when half written, read again when whole: the second read
    // goes on from where the first ended.
    let text = String::from_utf8(plain).unwrap();
    let half = text.match_indices('\n').nth(text.lines().count() / 2).unwrap().0 + 1;
    let log = dir.path().join("receiver.log");
    std::fs::write(&log, &text[..half]).unwrap();
    let data = dir.path().join("grown");
    assert!(ingest_command(&data, std::slice::from_ref(&log)).output().unwrap().status.success());
    std::fs::write(&log, &text).unwrap();
    let out = ingest_command(&data, std::slice::from_ref(&log)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let clean_plain = dir.path().join("clean-plain");
    assert!(ingest_command(&clean_plain, std::slice::from_ref(&log)).output().unwrap().status.success());
    let (grown, once) = (totals(&data), totals(&clean_plain));
    // Identity rows are per source: the two reads of the log keep two.
    assert_eq!((grown.0, grown.1, grown.3), (once.0, once.1, once.3), "positions, receivers heard, rejects");
}

#[test]
fn files_that_are_not_ais_are_refused_with_the_reason_and_nothing_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let un = "vessel_name,imo_number,designated_owner,mmsi,flag,call_sign,other_information,type,date_of_designation\nALPHA,9000001,,,DPRK,,,Cargo,2018-03-30\n";
    let list = write("un.csv", un.as_bytes());
    let imported = Command::new(TUMEN).args(["lists", "import"]).arg(&list).arg("--data").arg(&data).output().unwrap();
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    for (file, says) in [
        (write("README.md", b"# Tumen\n\nTumen follows suspected illicit shipments.\n"), "none of its first"),
        (write("page.html", b"<!DOCTYPE html><html><body>AIS</body></html>\n"), "none of its first"),
        (
            write("places.kml", b"<?xml version=\"1.0\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"/>\n"),
            "none of its first",
        ),
        (write("archive.parquet", b"PAR1\x15\x04\x15\x00\x00PAR1"), "a Parquet file"),
        (list.clone(), "not AIS"),
    ] {
        let out = Command::new(TUMEN).arg("ingest").arg(&file).arg("--data").arg(&data).arg("-q").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}: {stderr}", file.display());
        assert!(stderr.contains(says) && stderr.contains(file.file_name().unwrap().to_str().unwrap()), "{stderr}");
        assert!(!stderr.contains("UNIQUE") && !stderr.contains("constraint"), "no raw SQLite message: {stderr}");
    }
    let sources = Dataset::open(&data).unwrap().catalog().sources().unwrap();
    assert_eq!(sources.len(), 1, "only the list is recorded: {sources:?}");
}

#[test]
fn check_finds_a_dataset_whole_and_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let receivers = simulated("receivers");
    let data = dir.path().join("data");
    let sources = vec![receivers.join("ais.nmea")];
    assert!(ingest_command(&data, &sources).output().unwrap().status.success());
    let check = || {
        let out = Command::new(TUMEN).arg("check").arg("--data").arg(&data).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, said) = check();
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("whole"), "{said}");
    // A part deleted by hand: named, and the status says so.
    let part = Dataset::open_read_only(&data).unwrap().catalog().part_files().unwrap().remove(0);
    std::fs::remove_file(data.join(&part)).unwrap();
    let (code, said) = check();
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("missing part") && said.contains(&part), "{said}");
    // Readers fail on the missing file until it is forgotten.
    let run = || Command::new(TUMEN).arg("run").arg("--data").arg(&data).output().unwrap();
    assert!(!run().status.success());
    let repair = Command::new(TUMEN).args(["check", "--repair", "--data"]).arg(&data).output().unwrap();
    let said = String::from_utf8_lossy(&repair.stdout);
    assert!(repair.status.success() && said.contains("forgot part") && said.contains("rows"), "{said}");
    let (code, said) = check();
    assert_eq!(code, Some(0), "whole again: {said}");
    assert!(run().status.success(), "readers work again");
}
