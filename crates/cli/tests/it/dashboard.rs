//! The dashboard in a real browser: Debian `chromium`, headless, driven
//! over the DevTools protocol with real mouse and keyboard input. Signs in
//! with the token, sees the overview (map, timeline, events, chains, the
//! alerts with the live stream connected), zooms and pans the map, opens a
//! chain, opens one of its vessels, goes back — with a screenshot of each
//! page (written under the build's temporary directory and named in the
//! output). SKIPPED when chromium is missing.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Server, demo_data};
use base64::Engine;
use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// A headless chromium and one page of it, over the DevTools protocol.
struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn launch() -> Option<Browser> {
        let chromium = ["chromium", "chromium-browser"]
            .into_iter()
            .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))?;
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(chromium)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"])
            .args(["--remote-debugging-port=0", "--window-size=1280,1000"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let mut endpoint = None;
        for line in stderr.lines() {
            let line = line.unwrap();
            if let Some(url) = line.split("DevTools listening on ").nth(1) {
                endpoint = Some(url.trim().to_owned());
                break;
            }
        }
        let endpoint = endpoint.expect("chromium names its DevTools endpoint");
        let (socket, _) = tungstenite::connect(endpoint.as_str()).unwrap();
        let mut browser = Browser { child, socket, session: String::new(), next_id: 0, _profile: profile };
        let target = browser.call("Target.createTarget", json!({ "url": "about:blank" }));
        let attached =
            browser.call("Target.attachToTarget", json!({ "targetId": target["targetId"], "flatten": true }));
        browser.session = attached["sessionId"].as_str().unwrap().to_owned();
        browser.call("Page.enable", json!({}));
        Some(browser)
    }

    /// Sends a command (to the page once attached) and waits for its answer.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            command["sessionId"] = json!(self.session);
        }
        self.socket.send(Message::text(command.to_string())).unwrap();
        loop {
            let Message::Text(text) = self.socket.read().unwrap() else { continue };
            let answer: Value = serde_json::from_str(&text).unwrap();
            if answer["id"] == id {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
        }
    }

    /// Evaluates JavaScript in the page (awaiting a promise) and returns
    /// its value.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .call("Runtime.evaluate", json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }));
        assert!(result.get("exceptionDetails").is_none(), "{expression}: {result}");
        result["result"]["value"].clone()
    }

    /// Waits until `condition` (JavaScript) is true, for at most 20 s.
    fn wait_until(&mut self, condition: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            // Not there yet (or the page still loading) is false.
            if self
                .eval(&format!("(() => {{ try {{ return Boolean({condition}); }} catch (e) {{ return false; }} }})()"))
                == json!(true)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let body = self.eval("document.body.innerText.slice(0, 2000)");
        panic!("waited 20 s for {condition}; the page says: {body}");
    }

    fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
    }

    /// The centre of the first element `selector` finds, scrolled into view
    /// (of its first line, for a link that wraps: the middle of its whole
    /// box may fall between its lines).
    fn centre(&mut self, selector: &str) -> (f64, f64) {
        let at = self.eval(&format!(
            "(() => {{ const e = document.querySelector({selector:?}); e.scrollIntoView({{block: 'center'}}); \
             const r = e.getClientRects()[0]; return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        (at[0].as_f64().unwrap(), at[1].as_f64().unwrap())
    }

    fn mouse(&mut self, kind: &str, (x, y): (f64, f64), extra: Value) {
        let mut params = json!({ "type": kind, "x": x, "y": y });
        params.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        self.call("Input.dispatchMouseEvent", params);
    }

    /// A left click, as a person makes it.
    fn click(&mut self, selector: &str) {
        let at = self.centre(selector);
        self.mouse("mouseMoved", at, json!({}));
        self.mouse("mousePressed", at, json!({ "button": "left", "buttons": 1, "clickCount": 1 }));
        self.mouse("mouseReleased", at, json!({ "button": "left", "buttons": 0, "clickCount": 1 }));
    }

    fn screenshot(&mut self, name: &str) -> PathBuf {
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": false }));
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(png.len() > 30_000, "{name}: a {} byte screenshot is a blank page", png.len());
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
        path
    }

    fn view_box(&mut self, selector: &str) -> Vec<f64> {
        let text = self.eval(&format!("document.querySelector({selector:?}).getAttribute('viewBox')"));
        text.as_str().unwrap().split_whitespace().map(|v| v.parse().unwrap()).collect()
    }
}

#[test]
fn a_person_signs_in_opens_a_chain_then_a_vessel() {
    let Some(mut browser) = Browser::launch() else {
        eprintln!("SKIPPED: no chromium (Debian: apt-get install chromium)");
        return;
    };
    let server = Server::start(demo_data());

    // No token yet: the sign-in form; typing the token in opens the overview.
    browser.navigate(&format!("{}/", server.base));
    browser.wait_until("!document.getElementById('sign-in').hidden");
    browser.click("#sign-in input[name=token]");
    browser.call("Input.insertText", json!({ "text": server.token }));
    browser.click("#sign-in button");
    browser.wait_until("document.querySelector('#overview-map svg.map')");
    browser.wait_until("document.querySelector('#overview-timeline svg.timeline')");
    browser.wait_until("document.querySelector('#events table tr[id]')");
    browser.wait_until("document.querySelector('#chains a.chain')");
    browser.wait_until("document.querySelectorAll('#alerts li').length > 0");
    browser.wait_until("document.getElementById('live').textContent.startsWith('alerts: live')");
    let events = browser.eval("document.querySelectorAll('#events tr[id]').length").as_u64().unwrap();
    assert!(events > 100, "{events} events listed");
    // Vessels are named once their identity arrives; alerts on a chain
    // link to it.
    browser.wait_until("[...document.querySelectorAll('a.vessel')].some(a => a.textContent.includes('MARIA'))");
    browser.wait_until("document.querySelector('#alerts a.chain[href^=\"/ui/chains/chain-\"]')");
    // Every map mark links to an event row of the page.
    let unresolved = browser.eval(
        "[...document.querySelectorAll('#overview-map a')].map(a => a.getAttribute('href')).filter(h => h.startsWith('#') && !document.getElementById(h.slice(1))).length",
    );
    assert_eq!(unresolved, json!(0), "map marks whose event row is missing");
    browser.screenshot("overview");

    // The map zooms about the pointer and pans by dragging.
    let map = "#overview-map svg.map";
    let home = browser.view_box(map);
    let centre = browser.centre(map);
    browser.mouse("mouseWheel", centre, json!({ "deltaX": 0, "deltaY": -400 }));
    browser.wait_until(&format!("document.querySelector({map:?}).viewBox.baseVal.width < {}", home[2]));
    let zoomed = browser.view_box(map);
    assert!(zoomed[2] < home[2] * 0.9, "zoomed in: {home:?} → {zoomed:?}");
    browser.mouse("mousePressed", centre, json!({ "button": "left", "buttons": 1, "clickCount": 1 }));
    browser.mouse("mouseMoved", (centre.0 + 120.0, centre.1 + 40.0), json!({ "button": "left", "buttons": 1 }));
    browser.mouse("mouseReleased", (centre.0 + 120.0, centre.1 + 40.0), json!({ "button": "left", "buttons": 0 }));
    let panned = browser.view_box(map);
    assert!(panned[0] < zoomed[0] && panned[1] < zoomed[1], "dragged right and down: {zoomed:?} → {panned:?}");
    assert_eq!(panned[2], zoomed[2], "panning keeps the zoom");
    browser.screenshot("overview-map-zoomed");
    browser.click(".zoom-buttons button[title='whole map']");
    assert_eq!(browser.view_box(map), home);

    // Open the strongest chain: its report, in the page.
    let chain = browser.eval("document.querySelector('#chains a.chain').getAttribute('href')");
    browser.click("#chains a.chain");
    browser.wait_until("document.querySelector('#report #evidence table')");
    assert_eq!(browser.eval("location.pathname"), chain);
    let title = browser.eval("document.querySelector('#report h1').textContent");
    assert!(title.as_str().unwrap().starts_with("Suspected shipment"), "{title}");
    assert!(browser.eval("document.querySelectorAll('#report .zoomable svg.map').length").as_u64().unwrap() >= 1);
    browser.screenshot("chain");

    // One of its vessels: the vessel's own report.
    let vessel = browser.eval("document.querySelector('#report #vessels a.vessel').getAttribute('href')");
    browser.click("#report #vessels a.vessel");
    browser.wait_until(
        "document.querySelector('#report h1') && document.querySelector('#report h1').textContent.startsWith('Vessel')",
    );
    assert_eq!(browser.eval("location.pathname"), vessel);
    browser.wait_until("document.querySelector('#report #evidence')");
    browser.screenshot("vessel");

    // Back to the chain, as the browser's back button does.
    browser.eval("history.back()");
    browser.wait_until("document.querySelector('#report h1') && document.querySelector('#report h1').textContent.startsWith('Suspected shipment')");
    assert_eq!(browser.eval("location.pathname"), chain);
}
