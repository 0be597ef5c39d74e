//! `tumen report` and `tumen export` over the demo's dataset (the 2023
//! case, simulated): the report is one self-contained page whose every
//! link resolves and whose citations point at the lines that hold the
//! records; it renders in a real browser (Debian `chromium`, headless);
//! the exports are valid GeoJSON, schema-valid KML 2.2 (the OGC schema
//! shipped in PyPI `pykml`, checked by `lxml`), CSV and Parquet that
//! DuckDB reads. Tests needing a tool that is missing say SKIPPED.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{python_has, tumen};

/// The demo's output directory (made once per test run).
fn demo() -> &'static Path {
    &crate::support::demo().out
}

fn data() -> String {
    demo().join("data").display().to_string()
}

fn strong_chains() -> Vec<Value> {
    let listed = tumen(&["chains", "--data", &data(), "--min-confidence", "0.7", "--format", "json"]);
    String::from_utf8(listed.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Every `attr="…"` value in `html`.
fn attribute_values<'h>(html: &'h str, attribute: &str) -> Vec<&'h str> {
    let needle = format!("{attribute}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn the_demo_report_is_self_contained_and_every_link_and_citation_holds() {
    let html = std::fs::read_to_string(demo().join("report.html")).unwrap();
    for part in [r#"class="map""#, r#"class="timeline""#, r#"id="evidence""#, r#"id="vessels""#, r#"id="facilities""#] {
        assert!(html.contains(part), "the report has {part}");
    }
    // Made from the simulator, it says so at the top, lists its sources
    // as simulated, and opens with the finding in words.
    let notice = html.find(r#"id="simulated-data""#).expect("the simulated-data notice");
    assert!(notice < html.find("<h1>").unwrap(), "the notice comes first");
    assert!(html.contains(r#"<section id="sources">"#) && html.contains("simulated (scenario najin-dunay-2023)"));
    let lead = html.find(r#"<p class="lead">"#).expect("a plain-language summary");
    assert!(lead < html.find(r#"<dl class="facts">"#).unwrap(), "the summary before the table");
    assert!(html[lead..].contains(" UTC") && html.contains("is suspected of carrying cargo from"));
    // Opens offline: no script, nothing fetched.
    assert!(!html.contains("<script"));
    let external: Vec<&str> = attribute_values(&html, "href")
        .into_iter()
        .chain(attribute_values(&html, "src"))
        .filter(|v| !v.starts_with('#'))
        .collect();
    assert!(external.is_empty(), "links out of the page: {external:?}");
    // Every in-page link has its target.
    let ids: BTreeSet<&str> = attribute_values(&html, "id").into_iter().collect();
    for target in attribute_values(&html, "href") {
        assert!(ids.contains(&target[1..]), "link {target} has no target");
    }
    // The strongest chain's events each have their evidence row.
    let chains = strong_chains();
    // By the demo's rule.
    let strongest = chains
        .iter()
        .min_by(|a, b| {
            let chain = |c: &Value| serde_json::from_value::<tumen_chain::Chain>(c.clone()).unwrap();
            chain(a).stronger_first(&chain(b))
        })
        .unwrap();
    assert!(html.contains(strongest["id"].as_str().unwrap()));
    for event in strongest["events"].as_array().unwrap() {
        assert!(ids.contains(event.as_str().unwrap()), "no evidence row for {event}");
    }
    // The rail facility of the case is on the page, with its chart.
    assert!(html.contains("Tumangang") && html.contains("vs"), "the Tumangang spike is charted");

    // Citations name the file and the line that holds the record: each
    // satellite detection cited is on its line of detections.csv.
    let detections = std::fs::read_to_string(demo().join("case/detections.csv")).unwrap();
    let lines: Vec<&str> = detections.lines().collect();
    let mut checked = 0;
    let events = tumen(&["events", "--data", &data(), "--kind", "dark_detection", "--format", "json"]);
    for event in String::from_utf8(events.stdout).unwrap().lines().map(|l| serde_json::from_str::<Value>(l).unwrap()) {
        if !ids.contains(event["id"].as_str().unwrap()) {
            continue;
        }
        let line = event["evidence"][0]["line"].as_u64().unwrap() as usize;
        assert!(html.contains(&format!("detections.csv:{line}")), "the report cites detections.csv:{line}");
        let detection_id = event["attributes"]["detection_id"].as_str().unwrap();
        assert!(lines[line - 1].contains(detection_id), "line {line} holds {detection_id}: {}", lines[line - 1]);
        checked += 1;
    }
    assert!(checked >= 2, "the report's dark detections were checked against their lines ({checked})");
}

#[test]
fn a_vessel_report_shows_its_identity_and_a_missing_subject_is_a_clear_error() {
    let out = demo().join("maria.html");
    let made = tumen(&["report", "273214860", "--data", &data(), "--out", out.to_str().unwrap()]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Vessel 273214860 MARIA"), "titled by its broadcast name");
    assert!(html.contains("<td>imo</td>") && html.contains("ais.nmea:"), "identity history cited");
    assert!(html.contains("Russia"), "the flag its MMSI claims");

    let missing = demo().join("none.html");
    let refused = tumen(&["report", "chain-00000000", "--data", &data(), "--out", missing.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no chain chain-00000000"));
    assert!(!missing.exists(), "nothing written for a missing subject");
    let unknown = tumen(&["report", "999999999", "--data", &data(), "--out", missing.to_str().unwrap()]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("MMSI 999999999"));
}

#[test]
fn the_report_renders_in_a_real_browser() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium (Debian: apt-get install chromium)");
        return;
    };
    let report = demo().join("report.html");
    let browser = |extra: &[&str]| headless(chromium, &report, extra);
    // The DOM as the browser built it: the parts are there, as elements.
    let dom = browser(&["--dump-dom"]);
    assert!(dom.status.success(), "{}", String::from_utf8_lossy(&dom.stderr));
    let dom = String::from_utf8_lossy(&dom.stdout);
    for part in [
        "<svg",
        r#"class="map""#,
        r#"class="timeline""#,
        r#"<section id="evidence">"#,
        "<table>",
        r#"id="simulated-data""#,
    ] {
        assert!(dom.contains(part), "the rendered page has {part}");
    }
    // And a picture of it: a real PNG of the window, not blank.
    let png = demo().join("report.png");
    let shot = browser(&[&format!("--screenshot={}", png.display())]);
    assert!(shot.status.success(), "{}", String::from_utf8_lossy(&shot.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (1100, 2400));
    // A blank page compresses to a few kilobytes; maps and tables do not.
    assert!(bytes.len() > 100_000, "screenshot of {} bytes looks blank", bytes.len());
    eprintln!("screenshot: {}", png.display());
}

/// A script that measures, in the browser, every label of every drawing
/// (map, timeline, chart) and lists those cut by their drawing's frame
/// (a map's: its picture, not the legend band) or drawn over another.
const LABEL_CHECK: &str = r#"<script>
(function(){
  const problems=[];
  document.querySelectorAll('svg').forEach((svg,n)=>{
    const vb=svg.viewBox&&svg.viewBox.baseVal;
    if(!vb||!vb.width) return;
    const on=svg.getBoundingClientRect(), k=vb.width/on.width;
    let frame={r:vb.width,b:vb.height};
    if(svg.classList.contains('map')){const sea=svg.querySelector('rect');frame={r:+sea.getAttribute('width'),b:+sea.getAttribute('height')};}
    const texts=[...svg.querySelectorAll('text.label,text.spike,text.lane-label,text.band-label,text.tick,text.country')];
    const boxes=texts.map(t=>{const b=t.getBoundingClientRect();return {text:t.textContent,l:(b.left-on.left)*k,t:(b.top-on.top)*k,r:(b.right-on.left)*k,b:(b.bottom-on.top)*k};});
    boxes.forEach((a,i)=>{
      if(a.l<-0.5||a.t<-0.5||a.r>frame.r+0.5||a.b>frame.b+0.5) problems.push('drawing '+n+': "'+a.text+'" cut by the frame');
      boxes.slice(i+1).forEach(b=>{if(a.l<b.r-0.5&&b.l<a.r-0.5&&a.t<b.b-0.5&&b.t<a.b-0.5) problems.push('drawing '+n+': "'+a.text+'" over "'+b.text+'"');});
    });
    if(svg.classList.contains('map')) problems.push('labels:'+boxes.length);
  });
  const out=document.createElement('pre');out.id='label-check';out.textContent=JSON.stringify(problems);document.body.appendChild(out);
})();
</script>"#;

/// The label problems the browser finds in a report, and how many labels
/// its maps have.
fn labels_in_browser(chromium: &str, report: &Path) -> (Vec<String>, usize) {
    let checked = report.with_extension("checked.html");
    let html = std::fs::read_to_string(report).unwrap();
    std::fs::write(&checked, html.replace("</body>", &format!("{LABEL_CHECK}</body>"))).unwrap();
    let dom = headless(chromium, &checked, &["--dump-dom"]);
    assert!(dom.status.success(), "{}", String::from_utf8_lossy(&dom.stderr));
    let dom = String::from_utf8_lossy(&dom.stdout);
    let start = dom.find(r#"<pre id="label-check">"#).expect("the check ran") + r#"<pre id="label-check">"#.len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end].replace("&quot;", "\"").replace("&amp;", "&");
    let found: Vec<String> = serde_json::from_str(&text).unwrap();
    let labels = found.iter().filter_map(|p| p.strip_prefix("labels:")).map(|n| n.parse::<usize>().unwrap()).sum();
    (found.into_iter().filter(|p| !p.starts_with("labels:")).collect(), labels)
}

/// Headless `chromium` on `page` in a 1100 × 2400 window, with `extra`
/// switches (`--dump-dom`, `--screenshot=…`).
fn headless(chromium: &str, page: &Path, extra: &[&str]) -> Output {
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,2400"])
        .args(extra)
        .arg(&url)
        .output()
        .unwrap()
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn no_label_is_cut_or_drawn_over_another_in_the_browser() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium (Debian: apt-get install chromium)");
        return;
    };
    let vessel = demo().join("angara.html");
    let made = tumen(&["report", "273356110", "--data", &data(), "--out", vessel.to_str().unwrap()]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    for report in [demo().join("report.html"), vessel] {
        let (problems, labels) = labels_in_browser(chromium, &report);
        assert!(problems.is_empty(), "{}: {problems:#?}", report.display());
        // The check saw the maps' labels: places and countries.
        assert!(labels >= 5, "{}: only {labels} map labels measured", report.display());
        eprintln!("{}: {labels} map labels, none cut or overprinted", report.display());
    }
}

/// RFC 7946's rules that QGIS relies on: a FeatureCollection of Features,
/// each with an object of properties and a null or well-formed geometry
/// whose positions are [longitude, latitude] in range.
fn assert_valid_geojson(collection: &Value) -> usize {
    assert_eq!(collection["type"], "FeatureCollection");
    let position_ok = |p: &Value| {
        let p = p.as_array().unwrap();
        p.len() == 2
            && (-180.0..=180.0).contains(&p[0].as_f64().unwrap())
            && (-90.0..=90.0).contains(&p[1].as_f64().unwrap())
    };
    let features = collection["features"].as_array().unwrap();
    for feature in features {
        assert_eq!(feature["type"], "Feature");
        assert!(feature["properties"].is_object());
        let geometry = &feature["geometry"];
        if geometry.is_null() {
            continue;
        }
        let coordinates = &geometry["coordinates"];
        match geometry["type"].as_str().unwrap() {
            "Point" => assert!(position_ok(coordinates)),
            "LineString" => {
                let line = coordinates.as_array().unwrap();
                assert!(line.len() >= 2 && line.iter().all(position_ok));
            }
            "MultiLineString" => {
                for line in coordinates.as_array().unwrap() {
                    let line = line.as_array().unwrap();
                    assert!(line.len() >= 2 && line.iter().all(position_ok));
                }
            }
            other => panic!("unexpected geometry {other}"),
        }
    }
    features.len()
}

fn export(what: &str, format: &str, extra: &[&str]) -> PathBuf {
    let out = demo().join(format!("export-{what}{}.{format}", extra.join("").replace("--", "-")));
    let data = data();
    let mut args = vec!["export", what, "--format", format, "--data", &data, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = tumen(&args);
    assert!(run.status.success(), "export {what} {format}: {}", String::from_utf8_lossy(&run.stderr));
    out
}

#[test]
fn exports_are_valid_geojson_csv_and_parquet_and_agree() {
    let vessels = ["--mmsi", "273214860", "--mmsi", "273356110"];
    for (what, extra) in [("events", &[][..]), ("chains", &[][..]), ("tracks", &vessels[..])] {
        let geojson: Value =
            serde_json::from_str(&std::fs::read_to_string(export(what, "geojson", extra)).unwrap()).unwrap();
        let features = assert_valid_geojson(&geojson);
        assert!(features > 0, "{what}: no features");
        // CSV: a header, one row a feature (tracks: one row a position).
        let mut reader = csv::Reader::from_path(export(what, "csv", extra)).unwrap();
        let header = reader.headers().unwrap().clone();
        assert_eq!(header.iter().next_back(), Some("wkt"));
        let rows = reader.records().map(Result::unwrap).count();
        if what == "tracks" {
            assert_eq!(features, 2, "one line feature a vessel");
            let positions: u64 = geojson["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["properties"]["positions"].as_u64().unwrap())
                .sum();
            assert_eq!(rows as u64, positions);
        } else {
            assert_eq!(rows, features, "{what}: CSV and GeoJSON agree");
        }
        // Parquet read back: the same rows, times as UTC timestamps.
        let parquet = export(what, "parquet", extra);
        let file = std::fs::File::open(&parquet).unwrap();
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let schema = reader.schema().clone();
        let parquet_rows: usize = reader.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
        assert_eq!(parquet_rows, rows, "{what}: Parquet and CSV agree");
        let time_column = match what {
            "events" | "chains" => "start",
            _ => "time",
        };
        assert!(
            matches!(schema.field_with_name(time_column).unwrap().data_type(), arrow_schema::DataType::Timestamp(_, Some(tz)) if tz.as_ref() == "UTC"),
            "{what}: {time_column} is a UTC timestamp"
        );
    }
    // Filters hold: events of one kind only.
    let dark: Value = serde_json::from_str(
        &std::fs::read_to_string(export("events", "geojson", &["--kind", "dark_detection"])).unwrap(),
    )
    .unwrap();
    assert!(dark["features"].as_array().unwrap().iter().all(|f| f["properties"]["kind"] == "dark_detection"));
    // `tumen events --format geojson` writes the same features.
    let listed = tumen(&["events", "--data", &data(), "--kind", "dark_detection", "--format", "geojson"]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&listed.stdout).unwrap(), dark);
    // Without vessels, tracks are refused with the way to the archive.
    let refused = tumen(&["export", "tracks", "--format", "csv", "--data", &data()]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("--mmsi"));
    let refused = tumen(&["export", "events", "--format", "parquet", "--data", &data()]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("--out"));

    if !python_has("duckdb") {
        eprintln!("SKIPPED (DuckDB part): duckdb not installed (pip install duckdb)");
        return;
    }
    let events = export("events", "parquet", &[]);
    let query = format!(
        "import duckdb; print(duckdb.sql(\"SELECT count(*), count(DISTINCT id), min(start) FROM '{}' WHERE kind = 'dark_detection'\").fetchall()[0])",
        events.display()
    );
    let out = Command::new("python3").args(["-c", &query]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let answer = String::from_utf8_lossy(&out.stdout);
    let n = dark["features"].as_array().unwrap().len();
    assert!(answer.starts_with(&format!("({n}, {n}, datetime.datetime(2023")), "DuckDB read {answer}");
}

#[test]
fn kml_exports_validate_against_the_ogc_schema() {
    if !python_has("lxml, pykml") {
        eprintln!(
            "SKIPPED: lxml and pykml not installed (pip install lxml pykml): the OGC KML 2.2 schema ships in pykml"
        );
        return;
    }
    let vessels = ["--mmsi", "273214860", "--mmsi", "273356110"];
    let files: Vec<PathBuf> = [("events", &[][..]), ("chains", &[][..]), ("tracks", &vessels[..])]
        .into_iter()
        .map(|(what, extra)| export(what, "kml", extra))
        .collect();
    // A control the schema must refuse: a Placemark's name after its
    // geometry (out of the schema's order).
    let broken = demo().join("broken.kml");
    std::fs::write(
        &broken,
        r#"<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><Point><coordinates>1,2</coordinates></Point><name>late</name></Placemark></Document></kml>"#,
    )
    .unwrap();
    let script = r#"
import os, sys, pykml, lxml.etree as et
schema = et.XMLSchema(et.parse(os.path.join(os.path.dirname(pykml.__file__), "schemas", "ogckml22.xsd")))
for path in sys.argv[1:]:
    ok = schema.validate(et.parse(path))
    print(path, "valid" if ok else "invalid: " + str(schema.error_log.last_error))
"#;
    let out = Command::new("python3").args(["-c", script]).args(&files).arg(&broken).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout);
    for file in &files {
        assert!(report.contains(&format!("{} valid", file.display())), "{report}");
    }
    assert!(
        report.contains(&format!("{} invalid", broken.display())),
        "the schema check refuses a broken file: {report}"
    );
}
