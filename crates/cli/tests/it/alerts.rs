//! Alerts end to end on the demo's dataset (the 2023 case) with a watch
//! list naming ANGARA: `tumen run` raises each alert once — printed as a
//! JSON line, stored, and posted to a webhook this test serves — and a
//! re-run raises none again; `tumen watch` on a live feed this test serves
//! alerts when the listed ship enters Najin, from that very message, and
//! when a ship falls silent near Dunay.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;
use tumen_ais::message::PositionReport;
use tumen_ais::{Message, SentenceOptions, TagBlockOptions, encode_sentences};
use tumen_model::{Mmsi, Timestamp};

use crate::support::{Server, TUMEN, copy_dir, demo_data, tumen_ok as tumen};

const ANGARA: u32 = 273_356_110;
const MARIA: u32 = 273_214_860;

/// The demo's dataset with a watch list naming ANGARA by its IMO number.
fn listed_case(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(demo_data(), &data);
    let list = dir.join("list.ftm.json");
    std::fs::write(
        &list,
        r#"{"id": "test-angara", "schema": "Vessel", "properties": {"name": ["ANGARA"], "imoNumber": ["IMO9179969"], "flag": ["ru"]}}"#,
    )
    .unwrap();
    tumen(&["lists", "import", list.to_str().unwrap(), "--data", data.to_str().unwrap()]);
    data
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Serves HTTP on loopback, answering 200 and keeping each request body.
fn webhook_server() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&bodies);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 {
                    break;
                }
                if header == "\r\n" {
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    kept.lock().unwrap().push(String::from_utf8(body).unwrap());
                    let _ = reader.get_mut().write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                    length = 0;
                    continue;
                }
                if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap();
                }
            }
        }
    });
    (port, bodies)
}

#[test]
fn run_raises_each_alert_once_prints_stores_and_posts_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = listed_case(dir.path());
    let data = data.to_str().unwrap();
    let (port, posted) = webhook_server();
    std::fs::write(
        Path::new(data).join("tumen.toml"),
        format!(
            "[alerts]\nwebhook = \"http://127.0.0.1:{port}/hook\"\n\
             [[alerts.rule]]\nid = \"listed\"\nwhen = \"listed_vessel_in_zone\"\n\
             [[alerts.rule]]\nid = \"dark\"\nwhen = \"went_dark_near_port\"\n\
             [[alerts.rule]]\nid = \"seen\"\nwhen = \"dark_detection\"\nplaces = [\"najin\", \"dunay\"]\n\
             [[alerts.rule]]\nid = \"spike\"\nwhen = \"facility_anomaly\"\nmin_z = 8\n\
             [[alerts.rule]]\nid = \"shipment\"\nwhen = \"chain\"\nmin_confidence = 0.7\n"
        ),
    )
    .unwrap();
    let printed = lines(&tumen(&["run", "--data", data]));
    let of = |rule: &str| printed.iter().filter(|a| a["rule"] == rule).collect::<Vec<_>>();
    // ANGARA is listed and was in watched waters.
    let listed = of("listed");
    assert!(!listed.is_empty() && listed.iter().all(|a| a["mmsis"][0] == ANGARA), "{listed:#?}");
    assert!(listed[0]["message"].as_str().unwrap().contains("ANGARA"));
    assert_eq!(listed[0]["evidence"][0]["source_id"], 1, "cites its AIS position");
    // The ships going dark near the ports, the dark calls at Najin and
    // Dunay only, the big spikes, the strong chains.
    let dark = of("dark");
    assert!(dark.iter().any(|a| a["mmsis"][0] == MARIA) && dark.iter().any(|a| a["mmsis"][0] == ANGARA), "{dark:#?}");
    assert!(of("seen").iter().all(|a| a["place"] == "najin" || a["place"] == "dunay"));
    assert!(!of("seen").is_empty());
    assert!(of("spike").iter().any(|a| a["place"] == "tumangang"));
    let chains = of("shipment");
    let stated = |a: &Value| -> f64 {
        let message = a["message"].as_str().unwrap();
        let after = &message[message.find("confidence ").expect("a confidence") + "confidence ".len()..];
        after.split(|c: char| !(c.is_ascii_digit() || c == '.')).next().unwrap().parse().unwrap()
    };
    assert!(!chains.is_empty() && chains.iter().all(|a| stated(a) >= 0.7), "{chains:#?}");
    // Stored once each (beside the demo's, raised by the default rules),
    // each posted once.
    let stored = lines(&tumen(&["alerts", "--data", data, "--format", "json"]));
    let ours = ["listed", "dark", "seen", "spike", "shipment"];
    assert_eq!(stored.iter().filter(|a| ours.contains(&a["rule"].as_str().unwrap())).count(), printed.len());
    let mut ids: Vec<&str> = printed.iter().map(|a| a["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), printed.len(), "no alert twice");
    let posted_ids = |bodies: &[String]| {
        let mut ids: Vec<String> = bodies
            .iter()
            .map(|b| serde_json::from_str::<Value>(b).unwrap()["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(posted_ids(&posted.lock().unwrap()), ids);
    assert!(tumen(&["alerts", "--data", data]).contains("[webhook: 200 OK]"));
    // A re-run finds the same and raises nothing.
    let again = tumen(&["run", "--data", data]);
    assert!(again.is_empty(), "{again}");
    assert_eq!(posted.lock().unwrap().len(), ids.len());
}

/// A tagged position report.
fn report(mmsi: u32, unix_s: i64, lat_deg: f64, lon_deg: f64) -> String {
    let message = Message::Position(PositionReport {
        msg_type: 1,
        mmsi: Mmsi(mmsi),
        sog_knots_e1: 5,
        lon_min_e4: (lon_deg * 600_000.0).round() as i32,
        lat_min_e4: (lat_deg * 600_000.0).round() as i32,
        cog_deg_e1: 900,
        heading_deg: 90,
        ..Default::default()
    });
    let options = SentenceOptions {
        tag_block: Some(TagBlockOptions {
            source: Some("test-rx"),
            receiver_time: Timestamp::from_unix_seconds(unix_s),
            group_id: None,
        }),
        ..SentenceOptions::default()
    };
    encode_sentences(&message, &options).unwrap().remove(0) + "\r\n"
}

#[test]
fn watch_alerts_from_the_triggering_message_and_on_silence() {
    let dir = tempfile::tempdir().unwrap();
    let data = listed_case(dir.path());
    tumen(&["run", "--data", data.to_str().unwrap()]);
    std::fs::write(
        data.join("tumen.toml"),
        "[[alerts.rule]]\nid = \"angara-at-najin\"\nwhen = \"listed_vessel_in_zone\"\nplaces = [\"najin\"]\n\
         [[alerts.rule]]\nwhen = \"went_dark_near_port\"\nplaces = [\"dunay\"]\nsilent_hours = 0.0005\n",
    )
    .unwrap();
    // A team's server on the same dataset, its alert stream open before
    // the watch starts.
    let server = Server::start(&data);
    let stream = server.events("/api/alerts/stream", None);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut watch = Command::new(TUMEN)
        .args(["watch", &format!("tcp://127.0.0.1:{port}"), "--run-every-minutes", "0", "--stop-after", "12"])
        .arg("--data")
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Each alert line with when it came.
    let (seen, alerts) = mpsc::channel::<(Instant, Value)>();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = seen.send((Instant::now(), serde_json::from_str(&line.unwrap()).unwrap()));
        }
    });
    let (mut feed, _) = listener.accept().unwrap();
    // After the archive: ANGARA at sea, then in Najin; MARIA at Dunay, then
    // nothing more from her.
    let t0 = 1_700_000_000;
    feed.write_all(report(ANGARA, t0, 42.0, 131.0).as_bytes()).unwrap();
    feed.write_all(report(MARIA, t0 + 1, 42.88, 132.33).as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let sent = Instant::now();
    feed.write_all(report(ANGARA, t0 + 60, 42.2333, 130.3).as_bytes()).unwrap();
    feed.flush().unwrap();
    let (arrived, entered) = alerts.recv_timeout(Duration::from_secs(10)).expect("an alert for ANGARA at Najin");
    assert_eq!(
        (entered["rule"].as_str(), entered["mmsis"][0].as_u64()),
        (Some("angara-at-najin"), Some(ANGARA as u64))
    );
    assert_eq!(entered["time"], Timestamp::from_unix_seconds(t0 + 60).unwrap().to_string());
    eprintln!(
        "listed vessel in zone: alerted {:.0} ms after the message was sent",
        (arrived - sent).as_secs_f64() * 1000.0
    );
    // MARIA silent 1.8 s of data time near Dunay.
    let (_, silent) = alerts.recv_timeout(Duration::from_secs(10)).expect("an alert for MARIA gone silent");
    assert_eq!(
        (silent["rule"].as_str(), silent["mmsis"][0].as_u64()),
        (Some("went_dark_near_port"), Some(MARIA as u64))
    );
    assert_eq!(silent["place"], "dunay");
    drop(feed);
    let status = watch.wait().unwrap();
    let mut stderr = String::new();
    watch.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(status.success(), "{stderr}");
    assert!(alerts.try_recv().is_err(), "no other alert");
    // Stored, and the feed's positions are in the archive.
    let stored = lines(&tumen(&[
        "alerts",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
        "--from",
        "2023-11-14",
        "--to",
        "2023-11-15",
    ]));
    assert_eq!(stored.len(), 2, "{stored:#?}");
    // The server's stream carried both, in the order raised.
    let (event, first_id, first) = stream.recv_timeout(Duration::from_secs(5)).expect("the first alert streamed");
    let (_, second_id, second) = stream.recv_timeout(Duration::from_secs(5)).expect("the second alert streamed");
    assert_eq!(event, "alert");
    let streamed: Vec<Value> = [first, second].iter().map(|d| serde_json::from_str(d).unwrap()).collect();
    assert_eq!(streamed, [entered, silent]);
    assert!(stream.recv_timeout(Duration::from_millis(1500)).is_err(), "no other alert streamed");
    // A client that lost the stream after the first resumes from its id
    // and gets the second at once, from the catalog.
    let resumed = server.events("/api/alerts/stream", Some(&first_id));
    let (_, id, missed) = resumed.recv_timeout(Duration::from_secs(5)).expect("the alert missed");
    assert_eq!((id, serde_json::from_str::<Value>(&missed).unwrap()), (second_id, streamed[1].clone()));
    let (status, body) = server.get("/api/alerts");
    assert_eq!(status, 200, "{body}");
    let track = tumen(&["track", &ANGARA.to_string(), "--from", "2023-11-14", "--data", data.to_str().unwrap()]);
    assert_eq!(track.lines().count(), 2, "{track}");
}
