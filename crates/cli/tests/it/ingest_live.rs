//! `tumen ingest tcp://…` and `udp://…` against servers this test runs:
//! lines timed by their tag blocks or, without one, by arrival; a dropped
//! connection is reconnected; a SIGKILL loses at most the last flush
//! interval.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, UdpSocket};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tumen_ais::message::PositionReport;
use tumen_ais::{Message, SentenceOptions, TagBlockOptions, encode_sentences};
use tumen_model::{Mmsi, Timestamp};
use tumen_store::{Dataset, TimeOrigin};

use crate::support::TUMEN;

/// A tagged position line of `mmsi` at `unix_s`, or an untagged one.
fn line(mmsi: u32, unix_s: Option<i64>) -> String {
    let message = Message::Position(PositionReport {
        msg_type: 1,
        mmsi: Mmsi(mmsi),
        sog_knots_e1: 100,
        lon_min_e4: 130 * 600_000,
        lat_min_e4: 42 * 600_000,
        cog_deg_e1: 900,
        heading_deg: 90,
        ..Default::default()
    });
    let options = SentenceOptions {
        tag_block: unix_s.map(|t| TagBlockOptions {
            source: Some("test-rx"),
            receiver_time: Timestamp::from_unix_seconds(t),
            group_id: None,
        }),
        ..SentenceOptions::default()
    };
    encode_sentences(&message, &options).unwrap().remove(0) + "\r\n"
}

fn positions(data: &Path) -> Vec<tumen_store::PositionRow> {
    Dataset::open_read_only(data).unwrap().all_positions().unwrap()
}

#[test]
fn tcp_feed_with_a_dropped_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        // First connection: 50 tagged lines, then the server hangs up
        // mid-line.
        let (mut first, _) = listener.accept().unwrap();
        for i in 0..50 {
            first.write_all(line(273_000_001, Some(1_694_067_000 + i * 10)).as_bytes()).unwrap();
        }
        first.write_all(b"!AIVDM,1,1,,A,13u?et").unwrap();
        drop(first);
        // Second connection (after tumen reconnects): 30 more, and one
        // line without a receiver time, timed by its arrival.
        let (mut second, _) = listener.accept().unwrap();
        for i in 50..80 {
            second.write_all(line(273_000_001, Some(1_694_067_000 + i * 10)).as_bytes()).unwrap();
        }
        second.write_all(line(273_000_002, None).as_bytes()).unwrap();
        second.flush().unwrap();
        std::thread::sleep(Duration::from_secs(5));
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let before = Timestamp::now();
    let out = Command::new(TUMEN)
        .args([
            "ingest",
            &format!("tcp://127.0.0.1:{port}"),
            "--flush-seconds",
            "0.2",
            "--stop-after",
            "2.5",
            "--json",
            "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("closed the connection") && stderr.contains("reconnecting"), "{stderr}");
    assert_eq!(stderr.matches("connected to").count(), 2, "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["counts"]["positions"], 81, "{summary}");
    assert_eq!(
        summary["counts"]["rejects"]["bad_checksum"].as_u64().unwrap_or(0)
            + summary["counts"]["rejects"]["missing_checksum"].as_u64().unwrap_or(0),
        1,
        "the cut line: {summary}"
    );
    server.join().unwrap();

    let rows = positions(&data);
    assert_eq!(rows.len(), 81);
    let tagged: Vec<i64> = rows.iter().filter(|r| r.mmsi.0 == 273_000_001).map(|r| r.time.unix_ms() / 1000).collect();
    assert_eq!(tagged, (0..80).map(|i| 1_694_067_000 + i * 10).collect::<Vec<_>>());
    let arrival = rows.iter().find(|r| r.mmsi.0 == 273_000_002).unwrap();
    assert_eq!(arrival.time_origin, TimeOrigin::Arrival);
    assert!(arrival.time >= before && arrival.time <= Timestamp::now());
}

#[test]
fn udp_feed_and_a_kill_loses_at_most_the_last_flush_interval() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = Command::new(TUMEN)
        .args(["ingest", "udp://127.0.0.1:0", "--flush-seconds", "0.2", "--data"])
        .arg(&data)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // The port it bound, from its "listening on" line.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let address = first.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(first.contains("listening on"), "{first}");

    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    for i in 0..40 {
        // Two lines per datagram, as some forwarders send.
        let datagram =
            line(273_000_003, Some(1_694_067_000 + i * 20)) + &line(273_000_003, Some(1_694_067_010 + i * 20));
        socket.send_to(datagram.as_bytes(), &address).unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }
    // Past a flush interval (with margin for a loaded machine), every
    // line must be committed; then kill without warning.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && positions(&data).len() < 80 {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let rows = positions(&data);
    assert_eq!(rows.len(), 80, "committed before the kill");
    assert!(rows.windows(2).all(|w| w[0].time < w[1].time));
}
