//! What the command line's tests share: the `tumen` binary and helpers to
//! run it, the scenarios and the demo made once per test run (read-only:
//! a test that writes copies first), a server on a free loopback port with
//! its token, and a reader of its server-sent events.

#![allow(dead_code)] // each test module uses its own part

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock, mpsc};

use serde_json::Value;

pub const TUMEN: &str = env!("CARGO_BIN_EXE_tumen");

/// Runs `tumen` with `args`.
pub fn tumen(args: &[&str]) -> Output {
    Command::new(TUMEN).args(args).output().expect("tumen runs")
}

/// Runs `tumen`, checks that it succeeded, and returns its standard output.
pub fn tumen_ok(args: &[&str]) -> String {
    let out = tumen(args);
    assert!(out.status.success(), "tumen {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("tumen writes UTF-8")
}

/// Whether python3 imports `modules` (comma-separated).
pub fn python_has(modules: &str) -> bool {
    Command::new("python3").args(["-c", &format!("import {modules}")]).output().is_ok_and(|o| o.status.success())
}

/// A copy of `from` (a directory) at `to`, for a test that changes a
/// shared fixture.
pub fn copy_dir(from: &Path, to: &Path) {
    let copied = Command::new("cp").arg("-r").arg(from).arg(to).status().unwrap();
    assert!(copied.success(), "cp -r {} {}", from.display(), to.display());
}

/// Where this test run keeps its fixtures: under Cargo's directory for
/// test data, one directory per run (the previous runs' removed), so a
/// run leaves at most its own behind.
fn fixtures_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let all = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-fixtures");
        if let Ok(entries) = std::fs::read_dir(&all) {
            for entry in entries.flatten() {
                let pid = entry.file_name().to_string_lossy().parse::<u32>().ok();
                if pid.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let root = all.join(std::process::id().to_string());
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        root
    })
}

/// `make(dir)` run once per test run for `key`, in a directory of its own;
/// tests asking for the same key meanwhile wait for it, others go on.
fn once(key: &str, make: impl FnOnce(&Path)) -> &'static Path {
    static MADE: Mutex<Option<HashMap<String, &'static OnceLock<PathBuf>>>> = Mutex::new(None);
    let cell = *MADE
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .entry(key.to_owned())
        .or_insert_with(|| Box::leak(Box::new(OnceLock::new())));
    cell.get_or_init(|| {
        let dir = fixtures_root().join(key);
        make(&dir);
        dir
    })
}

/// A shipped scenario's files (`tumen simulate NAME`), made once per run.
pub fn simulated(scenario: &str) -> &'static Path {
    once(&format!("sim-{scenario}"), |dir| {
        tumen_ok(&["simulate", scenario, "--out", dir.to_str().unwrap(), "-q"]);
    })
}

/// A shipped scenario's dataset as a user makes it: its AIS ingested, its
/// places, satellite scenes and detections and facility counts imported,
/// and `tumen run` done; made once per run (the files are `simulated`).
pub fn analysed(scenario: &str) -> &'static Path {
    let case = simulated(scenario);
    once(&format!("data-{scenario}"), |data| {
        import_case(case, data, true);
        tumen_ok(&["run", "--data", data.to_str().unwrap()]);
    })
}

/// Ingests a simulated case's AIS into `data` and imports its places and —
/// `imagery`, where the scenario has them — its satellite scenes and
/// detections and facility counts.
fn import_case(case: &Path, data: &Path, imagery: bool) {
    let (case, data) = (case.to_str().unwrap(), data.to_str().unwrap());
    tumen_ok(&["ingest", &format!("{case}/ais.nmea"), "--data", data, "-q"]);
    tumen_ok(&["places", "import", &format!("{case}/gazetteer.geojson"), "--data", data]);
    if imagery && Path::new(case).join("detections.csv").exists() {
        let (scenes, detections) = (format!("{case}/scenes.csv"), format!("{case}/detections.csv"));
        tumen_ok(&["detections", "import", &detections, &scenes, "--data", data]);
    }
    if imagery && Path::new(case).join("observations.csv").exists() {
        tumen_ok(&["observations", "import", &format!("{case}/observations.csv"), "--data", data]);
    }
}

/// `tumen demo` run once per test run: its output directory and what it
/// printed.
pub struct Demo {
    pub out: PathBuf,
    pub stdout: String,
    pub stderr: String,
}

pub fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let mut printed = None;
        let out = once("demo", |out| {
            let run = tumen(&["demo", "--out", out.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
            assert!(run.status.success(), "{stderr}");
            printed = Some((String::from_utf8_lossy(&run.stdout).into_owned(), stderr));
        });
        let (stdout, stderr) = printed.expect("the demo is run once, here");
        Demo { out: out.to_owned(), stdout, stderr }
    })
}

/// The demo's dataset.
pub fn demo_data() -> &'static Path {
    static DATA: OnceLock<PathBuf> = OnceLock::new();
    DATA.get_or_init(|| demo().out.join("data"))
}

pub use tumen_test_support::shared_dir;

/// A dataset in `dir` for the distributed runs' tests: the Najin → Dunay
/// scenario's AIS and places, a watch list naming two of its ships (one by
/// IMO number), so a run places registry events, and — `imagery` — its
/// satellite scenes, detections and facility counts; `tumen run` done.
pub fn watched_najin_dataset(dir: &Path, imagery: bool) -> PathBuf {
    let data = dir.join("data");
    import_case(simulated("najin-dunay-2023"), &data, imagery);
    let data_arg = data.to_str().unwrap();
    let list = dir.join("sdn.csv");
    std::fs::write(
        &list,
        "36101,\"ANGARA\",vessel,DPRK3,-0- ,-0- ,\"General Cargo\",-0- ,-0- ,\"Russia\",-0- ,\"Identification Number IMO 9179969.\"\n\
         36102,\"SEA REEFER\",vessel,DPRK3,-0- ,-0- ,\"Reefer\",-0- ,-0- ,\"Russia\",-0- ,-0- \n",
    )
    .unwrap();
    tumen_ok(&["lists", "import", list.to_str().unwrap(), "--data", data_arg]);
    tumen_ok(&["run", "--data", data_arg]);
    data
}

/// A `tumen serve` on a free loopback port, killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    pub token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serves `data` (its token made on first start).
    pub fn start(data: &Path) -> Server {
        let mut child = Command::new(TUMEN)
            .args(["serve", "--bind", "127.0.0.1:0", "--data"])
            .arg(data)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        // Keep reading what it says, so it never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        let address =
            line.split("http://").nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or_else(|| panic!("{line}"));
        let token = std::fs::read_to_string(data.join("server-token")).unwrap().trim().to_owned();
        Server { child, base: format!("http://{address}"), token }
    }

    /// Asks the server to stop (SIGTERM, as a supervisor does) and waits up
    /// to `within` for it to exit; its exit status, if it did.
    pub fn terminate(&mut self, within: std::time::Duration) -> Option<std::process::ExitStatus> {
        let sent = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status().unwrap();
        assert!(sent.success());
        let start = std::time::Instant::now();
        while start.elapsed() < within {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }

    /// Status and body of a GET, with the token given (or none).
    pub fn get_with(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut request = agent().get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let mut response = request.call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
        (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
    }

    /// Status and body of a GET with the server's token.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_with(path, Some(&self.token))
    }

    /// The JSON answer of a GET that must succeed.
    pub fn get_json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// The events of a server-sent event stream, as they come: (event, id,
    /// data). Read on a thread until the stream or the receiver ends.
    pub fn events(&self, path: &str, last_event_id: Option<&str>) -> mpsc::Receiver<(String, String, String)> {
        let mut request =
            agent().get(format!("{}{path}", self.base)).header("Authorization", format!("Bearer {}", self.token));
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.call().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(content_type.starts_with("text/event-stream"), "{content_type}");
        let (tx, rx) = mpsc::channel();
        let reader = BufReader::new(response.into_body().into_reader());
        std::thread::spawn(move || {
            let (mut event, mut id, mut data) = (String::new(), String::new(), String::new());
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if line.is_empty() {
                    if !data.is_empty()
                        && tx.send((std::mem::take(&mut event), id.clone(), std::mem::take(&mut data))).is_err()
                    {
                        return;
                    }
                } else if let Some(value) = line.strip_prefix("event:") {
                    event = value.trim_start().to_owned();
                } else if let Some(value) = line.strip_prefix("id:") {
                    id = value.trim_start().to_owned();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.strip_prefix(' ').unwrap_or(value));
                }
            }
        });
        rx
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}
