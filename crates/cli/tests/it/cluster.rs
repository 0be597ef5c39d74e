//! The distributed run on a real Spark cluster (the module's name sorts it
//! among the first tests: the longest, it runs beside the others, not after
//! them): a standalone master and
//! two workers on 127.0.0.1, started from the pyspark package's own
//! `spark-class`, run `spark/tumen_spark.py` over a simulated dataset (the
//! Najin → Dunay scenario with its places, satellite detections, facility
//! counts and a watch list, so the run places registry events and fuses);
//! its events must be exactly those `tumen run` stored. Needs Java 17 and `pip install pyspark "pandas<3"` (`.ci/run`
//! installs them); says SKIPPED without them.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use tumen_model::Event;
use tumen_store::events_of;
use tumen_store::{Dataset, EventQuery};

use crate::support::{TUMEN, watched_najin_dataset};

/// Processes killed when the test ends, however it ends.
struct Cluster(Vec<Child>);

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The pyspark package's directory, if Python has it (and Java is there).
fn spark_home() -> Option<PathBuf> {
    let java = Command::new("java").arg("-version").output().ok()?;
    if !java.status.success() {
        return None;
    }
    let out = Command::new("python3")
        .args(["-c", "import pyspark, pandas, pyarrow, os; print(os.path.dirname(pyspark.__file__))"])
        .output()
        .ok()?;
    out.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn stored_events(data: &Path) -> Vec<Event> {
    let dataset = Dataset::open_read_only(data).unwrap();
    let query = EventQuery { kind: None, mmsi: None, place: None, from: None, to: None, limit: u64::MAX >> 1 };
    let mut events = dataset.catalog().events(&query).unwrap();
    events.sort_by(|a, b| a.id.cmp(&b.id));
    events
}

fn spark_events(out: &Path) -> Vec<Event> {
    let mut events = Vec::new();
    for entry in fs::read_dir(out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "parquet") {
            let reader =
                ParquetRecordBatchReaderBuilder::try_new(fs::File::open(&path).unwrap()).unwrap().build().unwrap();
            for batch in reader {
                events.extend(events_of(&batch.unwrap()).unwrap());
            }
        }
    }
    events.sort_by(|a, b| a.id.cmp(&b.id));
    events
}

fn start(home: &Path, dir: &Path, class: &str, args: &[String], log: &str) -> Child {
    Command::new(home.join("bin/spark-class"))
        .arg(class)
        .args(args)
        .env("SPARK_HOME", home)
        .env("SPARK_WORKER_DIR", dir.join("work"))
        .env("SPARK_LOCAL_DIRS", dir.join("local"))
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .stdout(Stdio::null())
        .stderr(fs::File::create(dir.join(log)).unwrap())
        .spawn()
        .unwrap()
}

#[test]
fn a_spark_cluster_finds_exactly_the_events_of_tumen_run() {
    let Some(home) = spark_home() else {
        eprintln!("SKIPPED: the Spark test needs Java and python3 with pyspark, pandas and pyarrow");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = watched_najin_dataset(dir.path(), true);

    let (port, ui) = (free_port(), free_port());
    let master = format!("spark://127.0.0.1:{port}");
    let mut cluster = Cluster(Vec::new());
    cluster.0.push(start(
        &home,
        dir.path(),
        "org.apache.spark.deploy.master.Master",
        &[
            "--host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            port.to_string(),
            "--webui-port".into(),
            ui.to_string(),
        ],
        "master.log",
    ));
    for n in 0..2 {
        cluster.0.push(start(
            &home,
            dir.path(),
            "org.apache.spark.deploy.worker.Worker",
            &[
                "--host".into(),
                "127.0.0.1".into(),
                "--cores".into(),
                "1".into(),
                "--memory".into(),
                "1g".into(),
                "--webui-port".into(),
                free_port().to_string(),
                master.clone(),
            ],
            &format!("worker-{n}.log"),
        ));
    }
    // Both workers registered with the master.
    let started = Instant::now();
    loop {
        let status = ureq::get(&format!("http://127.0.0.1:{ui}/json/"))
            .call()
            .ok()
            .and_then(|mut response| response.body_mut().read_to_string().ok());
        let alive = status
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|status| status["aliveworkers"].as_u64());
        if alive == Some(2) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the cluster did not come up: {}",
            fs::read_to_string(dir.path().join("master.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(500));
    }

    let out = dir.path().join("events");
    let job = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spark/tumen_spark.py");
    let submit = Command::new(home.join("bin/spark-submit"))
        .env("SPARK_HOME", &home)
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("SPARK_LOCAL_DIRS", dir.path().join("local"))
        .env("PYSPARK_PYTHON", "python3")
        .args(["--master", &master, "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=1g"])
        .arg(&job)
        .args(["--data", data.to_str().unwrap(), "--tumen", TUMEN, "--out", out.to_str().unwrap()])
        .args(["--partitions", "4"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&submit.stdout);
    assert!(submit.status.success(), "spark-submit: {stdout}\n{}", String::from_utf8_lossy(&submit.stderr));
    assert!(stdout.contains("tumen on Spark:"), "{stdout}");

    let (expected, found) = (stored_events(&data), spark_events(&out));
    fn kinds(events: &[Event]) -> Vec<&str> {
        let mut kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }
    // What the run rests on: the detectors of single vessels, encounters,
    // draught changes placed on visits, and the registry's events placed.
    for kind in ["port_visit", "gap", "encounter", "loitering", "draught_change", "watchlist_hit", "dark_detection"] {
        assert!(kinds(&expected).contains(&kind), "tumen run found no {kind}: {:?}", kinds(&expected));
    }
    assert_eq!(found.len(), expected.len(), "{stdout}");
    for (f, e) in found.iter().zip(&expected) {
        assert_eq!(f, e);
    }
}
