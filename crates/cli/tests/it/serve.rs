//! `tumen serve` over the demo's dataset: the token guards everything but
//! the health check; the OpenAPI document is true — each documented
//! endpoint answers its documented parameters, and refuses others naming
//! exactly the documented ones; bad requests — path traversal, injection,
//! oversized limits, URIs and bodies, malformed values — get a 4xx with a
//! reason, never a 5xx; and no token is refused off loopback.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

use crate::support::{Server, TUMEN, agent, demo_data};

fn server() -> Server {
    Server::start(demo_data())
}

fn get(server: &Server, path: &str, token: Option<&str>) -> (u16, String) {
    server.get_with(path, token)
}

fn get_json(server: &Server, path: &str) -> Value {
    server.get_json(path)
}

#[test]
fn the_token_guards_everything_but_the_health_check() {
    let server = server();
    assert_eq!(get(&server, "/health", None).0, 200);
    let doc = get_json(&server, "/api/openapi.json");
    for path in doc["paths"].as_object().unwrap().keys().filter(|p| *p != "/health") {
        let path = path.replace("{mmsi}", "273214860").replace("{id}", "x").replace("{site}", "tumangang");
        assert_eq!(get(&server, &path, None).0, 401, "{path} without a token");
        assert_eq!(get(&server, &path, Some("not-the-token-at-all")).0, 401, "{path} with a wrong token");
    }
}

#[test]
fn the_openapi_document_is_true() {
    let server = server();
    let doc = get_json(&server, "/api/openapi.json");
    assert_eq!(doc["openapi"], "3.1.0");
    let chain_id = get_json(&server, "/api/chains")[0]["id"].as_str().unwrap().to_owned();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 10);
    for (template, item) in paths {
        let parameters = item["get"]["parameters"].as_array().unwrap();
        let mut path = template.clone();
        let mut query = Vec::new();
        for p in parameters {
            let (name, example) = (p["name"].as_str().unwrap(), p["example"].as_str().unwrap());
            if p["in"] == "path" {
                let value = if name == "id" { chain_id.as_str() } else { example };
                path = path.replace(&format!("{{{name}}}"), value);
            } else {
                query.push(format!("{name}={example}"));
            }
        }
        // Every documented parameter with its example: 200 and what the
        // document says it answers.
        let full = if query.is_empty() { path.clone() } else { format!("{path}?{}", query.join("&")) };
        let media = item["get"]["responses"]["200"]["content"].as_object().unwrap().keys().next().unwrap().clone();
        match media.as_str() {
            "application/json" => {
                let answer = get_json(&server, &full);
                assert!(answer.is_object() || answer.is_array(), "{full}");
            }
            // Opens with the right type (events come only when raised).
            "text/event-stream" => drop(server.events(&full, None)),
            "text/html" => {
                let (status, body) = get(&server, &full, Some(&server.token));
                assert_eq!(status, 200, "{full}: {body}");
                assert!(body.starts_with("<!DOCTYPE html>"), "{full}");
            }
            "image/svg+xml" => {
                let (status, body) = get(&server, &full, Some(&server.token));
                assert_eq!(status, 200, "{full}: {body}");
                assert!(body.starts_with("<svg"), "{full}");
            }
            other => panic!("{template}: {other}"),
        }
        if template == "/health" {
            continue;
        }
        // An undocumented one: 400, naming exactly the documented ones.
        let (status, body) = get(&server, &format!("{path}?undocumented=1"), Some(&server.token));
        assert_eq!(status, 400, "{template}: {body}");
        let error: Value = serde_json::from_str(&body).unwrap();
        let takes: BTreeSet<&str> = error["error"]
            .as_str()
            .unwrap()
            .split("takes: ")
            .nth(1)
            .map(|list| list.split(", ").filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        let documented: BTreeSet<&str> =
            parameters.iter().filter(|p| p["in"] == "query").map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(takes, documented, "{template}: the document and the handler agree on parameters");
    }
    // Answers hold what the dataset holds.
    let maria = get_json(&server, "/api/vessels?q=MARIA");
    assert_eq!(maria[0]["mmsi"], 273_214_860);
    let track = get_json(&server, "/api/vessels/273214860/track?from=2023-10-10&to=2023-10-11&format=geojson");
    assert_eq!(track["type"], "FeatureCollection");
    let dark = get_json(&server, "/api/events?kind=dark_detection&place=najin");
    assert!(dark.as_array().unwrap().iter().all(|e| e["kind"] == "dark_detection" && e["place"] == "najin"));
    let chain = get_json(&server, &format!("/api/chains/{chain_id}"));
    assert_eq!(chain["linked_events"].as_array().unwrap().len(), chain["events"].as_array().unwrap().len());
    // Ids as people type them: a place in any case, a chain by its first
    // characters (as on the command line); a miss suggests near places.
    assert_eq!(get_json(&server, "/api/events?kind=dark_detection&place=Najin"), dark);
    let prefix = &chain_id[..14];
    assert_eq!(get_json(&server, &format!("/api/chains/{prefix}"))["id"], chain["id"]);
    let (status, body) = get(&server, "/api/events?place=naj", Some(&server.token));
    assert_eq!(status, 400);
    assert!(body.contains("did you mean") && body.contains("najin"), "{body}");
}

#[test]
fn bad_requests_get_a_reason_and_never_a_server_error() {
    let server = server();
    let long = format!("/api/events?place={}", "x".repeat(9_000));
    let attempts = [
        // Traversal: nothing is served from the file system by path.
        "/../../etc/passwd",
        "/api/../../etc/passwd",
        "/api/vessels/..%2F..%2Fetc%2Fpasswd",
        "/api/facilities/..%2F..%2Fcatalog.sqlite",
        "/api/facilities/%2e%2e%2f%2e%2e%2fserver-token",
        "/api/chains/..%2Fserver-token",
        "/api/chains/..%2F..%2Fcatalog.sqlite/report",
        "/api/vessels/..%2Fserver-token/report",
        "/assets/..%2Fserver-token",
        "/assets/../server-token",
        // Injection: values are bound, and checked where they have a form.
        "/api/events?kind=port_visit'%20OR%20'1'='1",
        "/api/events?mmsi=1%20OR%201=1",
        "/api/events?place=najin'%3B%20DROP%20TABLE%20events%3B--",
        "/api/vessels?imo=9182590%3BSELECT",
        "/api/events/map.svg?place=najin'%20OR%201=1--",
        "/api/events/timeline.svg?kind=%3Cscript%3E",
        // Malformed and out of bounds.
        "/api/events?limit=99999999",
        "/api/events?limit=-1",
        "/api/events?from=yesterday",
        "/api/events?from=2023-13-45",
        "/api/vessels/0",
        "/api/vessels/12345678901",
        "/api/vessels/abc/track",
        "/api/vessels/273214860/track?format=kml",
        "/api/vessels/273214860/track?from=2023-10-11&to=2023-10-10",
        "/api/chains?min_confidence=7",
        "/api/chains/no-such-chain",
        "/api/chains/no-such-chain/report",
        "/api/vessels/999999999/report",
        "/api/vessels/273214860/report?from=soon",
        "/api/events/map.svg?limit=10001",
        "/api/alerts/stream?since=0",
        "/api/facilities/tumangang?class=unicorn",
        "/api/facilities/nowhere",
        "/api/events?kind=%ff%fe",
        "/api/events?kind=%zz",
        "/api/nothing-here",
        long.as_str(),
    ];
    for path in attempts {
        let (status, body) = get(&server, path, Some(&server.token));
        assert!((400..500).contains(&status), "{path}: {status} {body}");
        if status != 404 || path.starts_with("/api/") {
            let error: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: {body}"));
            assert!(error["error"].as_str().is_some_and(|e| !e.is_empty()), "{path}: {body}");
        }
    }
    // Free text is searched for as it is: an injection finds nothing.
    assert_eq!(get_json(&server, "/api/vessels?q='%20OR%201=1%20--"), serde_json::json!([]));
    assert_eq!(get_json(&server, "/api/vessels?q=%25"), serde_json::json!([]), "LIKE wildcards are literal");
    // The injections changed nothing: the events are all there.
    assert!(!get_json(&server, "/api/events?kind=port_visit&limit=5").as_array().unwrap().is_empty());
    // A stream resumed from an id this server never wrote.
    for id in ["nonsense", "1:../../etc", "1:a b", "x:alert-1"] {
        let response = agent()
            .get(format!("{}/api/alerts/stream", server.base))
            .header("Authorization", format!("Bearer {}", server.token))
            .header("Last-Event-ID", id)
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "Last-Event-ID {id:?}");
    }
    // A body where none belongs, and a large one.
    let big = "x".repeat(64 * 1024);
    for (path, body) in [("/api/events", "{}"), ("/api/events", big.as_str())] {
        let response = agent()
            .post(format!("{}{path}", server.base))
            .header("Authorization", format!("Bearer {}", server.token))
            .send(body)
            .unwrap();
        assert!((400..500).contains(&response.status().as_u16()), "POST {path}: {}", response.status());
    }
}

#[test]
fn no_token_is_refused_off_loopback() {
    let out = Command::new(TUMEN)
        .args(["serve", "--no-token", "--bind", "0.0.0.0:0", "--data"])
        .arg(demo_data())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a token"));
}

#[test]
fn a_place_imported_while_serving_is_known_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let copied = Command::new("cp").arg("-r").arg(demo_data()).arg(&data).status().unwrap();
    assert!(copied.success());
    let server = Server::start(&data);
    let (status, body) = server.get("/api/events?place=my-berth");
    assert_eq!(status, 400, "{body}");
    let places = dir.path().join("mine.geojson");
    std::fs::write(
        &places,
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [131.87, 43.09]},
            "properties": {"id": "my-berth", "name": "A berth I watch", "kind": "anchorage", "radius_km": 0.5}}]}"#,
    )
    .unwrap();
    let import = Command::new(TUMEN).args(["places", "import"]).arg(&places).arg("--data").arg(&data).output().unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    assert_eq!(server.get_json("/api/events?place=my-berth"), serde_json::json!([]));
    let ids: Vec<Value> = server.get_json("/api/places")["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id"].clone())
        .collect();
    assert!(ids.contains(&Value::from("my-berth")), "{ids:?}");
}

#[test]
fn the_server_stops_promptly_with_alert_streams_open() {
    let mut server = server();
    let streams: Vec<_> = (0..3).map(|_| server.events("/api/alerts/stream", None)).collect();
    let status = server.terminate(std::time::Duration::from_secs(10)).expect("stopped within 10 s of SIGTERM");
    assert!(status.success(), "{status}");
    drop(streams);
}

/// One raw HTTP/1.1 exchange: the status code and the whole answer.
fn raw(server: &Server, request: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let address = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

#[test]
fn another_sites_name_a_large_body_and_content_sniffing_are_refused() {
    let server = server();
    let token = &server.token;
    let get = |host: &str, extra: &str| {
        format!(
            "GET /api/places HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n{extra}\r\n"
        )
    };
    // Addressed to this machine: answered, and marked not to be sniffed.
    let (status, answer) = raw(&server, &get("127.0.0.1", ""));
    assert_eq!(status, 200, "{answer}");
    assert!(answer.to_ascii_lowercase().contains("x-content-type-options: nosniff"), "{answer}");
    let (status, _) = raw(&server, &get("localhost:1234", ""));
    assert_eq!(status, 200);
    // A page of another site whose name resolves here (DNS rebinding).
    let (status, answer) = raw(&server, &get("attacker.example", ""));
    assert_eq!(status, 421, "{answer}");
    assert!(answer.contains("localhost, 127.0.0.1 or [::1]"), "{answer}");
    // A GET with a body over 16 KB, declared or chunked.
    let big = "x".repeat(20_000);
    let (status, _) =
        raw(&server, &format!("{}{big}", get("127.0.0.1", &format!("Content-Length: {}\r\n", big.len()))));
    assert_eq!(status, 413);
    let chunked =
        format!("{}{:x}\r\n{big}\r\n0\r\n\r\n", get("127.0.0.1", "Transfer-Encoding: chunked\r\n"), big.len());
    let (status, _) = raw(&server, &chunked);
    assert_eq!(status, 413);
    // A small one is read and the request answered.
    let (status, _) = raw(&server, &format!("{}hello", get("127.0.0.1", "Content-Length: 5\r\n")));
    assert_eq!(status, 200);
}

#[test]
fn hundreds_of_slow_clients_leave_the_analyst_answered() {
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = server();
    let address: SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        // A connection from a loopback address of our choosing (Linux
        // answers every 127.x address): the crowd from one, the analyst
        // from another.
        let connect = |from: Ipv4Addr| async move {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind(SocketAddr::new(IpAddr::V4(from), 0)).unwrap();
            socket.connect(address).await
        };
        let crowd = Ipv4Addr::new(127, 0, 0, 2);
        let mut slow = Vec::new();
        for _ in 0..300 {
            // Headers begun and never finished.
            if let Ok(mut stream) = connect(crowd).await {
                let _ = stream.write_all(b"GET /api/places HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await;
                slow.push(stream);
            }
        }
        // The analyst, meanwhile, from this machine's usual address.
        let started = Instant::now();
        let mut analyst = connect(Ipv4Addr::LOCALHOST).await.expect("the analyst connects");
        let request = format!(
            "GET /api/chains HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
            server.token
        );
        analyst.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), analyst.read_to_end(&mut answer)).await.unwrap().unwrap();
        let answered_in = started.elapsed();
        assert!(answer.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer[..answer.len().min(200)]));
        eprintln!("answered in {answered_in:?} beside {} slow connections", slow.len());

        // Beyond its share, the crowd's connections are closed at once; the
        // rest when their headers do not come in time.
        let mut closed_at_once = 0;
        for stream in &mut slow {
            let mut byte = [0u8; 1];
            // Closed: an end of stream or a reset.
            if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut byte)).await {
                closed_at_once += 1;
            }
        }
        assert!(closed_at_once >= 300 - 64, "{closed_at_once} of 300 closed at once");
        let waited = Instant::now();
        let mut still_open = 0;
        for stream in &mut slow {
            let mut rest = Vec::new();
            let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut rest)).await;
            if read.is_err() {
                still_open += 1;
            }
        }
        assert_eq!(still_open, 0, "every slow connection is closed within the header timeout");
        eprintln!("the slow ones closed within {:?}", waited.elapsed());
    });
}
