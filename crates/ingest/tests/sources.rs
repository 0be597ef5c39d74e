//! Ingest of small files made for the purpose: what becomes a position, an
//! identity field or a reject, and how duplicates, order and re-ingest
//! behave. The files are written with `tumen-ais`'s encoder.

use std::path::Path;

use tumen_ais::message::{
    ClassBPositionReport, PositionReport, StaticAndVoyageData, StaticDataPartA, StaticDataPartB, StaticDataReport,
    Type24Dimensions,
};
use tumen_ais::{AisString, Message};
use tumen_ais::{SentenceOptions, TagBlockOptions, UscgTrailer, encode_sentences};
use tumen_ingest::{IngestConfig, NoProgress, Outcome, ingest_file};
use tumen_model::{Mmsi, Timestamp};
use tumen_store::{Dataset, StaticField, StationClass, TimeOrigin};

const T0: i64 = 1_694_067_000; // 2023-09-07T06:10:00Z

fn position(mmsi: u32, lat_deg: f64, lon_deg: f64) -> Message {
    Message::Position(PositionReport {
        msg_type: 1,
        mmsi: Mmsi(mmsi),
        nav_status: 0,
        sog_knots_e1: 123,
        lon_min_e4: (lon_deg * 600_000.0).round() as i32,
        lat_min_e4: (lat_deg * 600_000.0).round() as i32,
        cog_deg_e1: 450,
        heading_deg: 44,
        utc_second: 0,
        ..Default::default()
    })
}

fn tagged(message: &Message, receiver: &str, unix_s: i64) -> Vec<String> {
    let options = SentenceOptions {
        tag_block: Some(TagBlockOptions {
            source: Some(receiver),
            receiver_time: Timestamp::from_unix_seconds(unix_s),
            group_id: Some(7),
        }),
        ..SentenceOptions::default()
    };
    encode_sentences(message, &options).unwrap()
}

fn uscg(message: &Message, station: &str, unix_s: i64) -> Vec<String> {
    let options = SentenceOptions {
        uscg_trailer: Some(UscgTrailer { station, receiver_time: Timestamp::from_unix_seconds(unix_s).unwrap() }),
        ..SentenceOptions::default()
    };
    encode_sentences(message, &options).unwrap()
}

fn bare(message: &Message) -> Vec<String> {
    encode_sentences(message, &SentenceOptions::default()).unwrap()
}

fn write(dir: &Path, name: &str, lines: &[String]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn ingest(dataset: &mut Dataset, path: &Path) -> tumen_ingest::SourceSummary {
    match ingest_file(dataset, path, &IngestConfig::default(), &NoProgress).unwrap() {
        Outcome::Ingested(summary) => *summary,
        Outcome::AlreadyIngested(_) => panic!("{} was new", path.display()),
    }
}

fn rejects(dataset: &Dataset) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for file in dataset.catalog().reject_files().unwrap() {
        for line in std::fs::read_to_string(dataset.root().join(file)).unwrap().lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            out.push((fields[1].parse().unwrap(), fields[2].to_owned()));
        }
    }
    out.sort();
    out
}

#[test]
fn positions_time_receivers_duplicates_and_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    // Line 1: heard by "north" (tag block) at T0 + 60 — written first, but
    // later than line 2's report: the archive puts them in order.
    lines.extend(tagged(&position(273_000_001, 42.6, 130.8), "north", T0 + 60));
    // Line 2: an earlier report.
    lines.extend(tagged(&position(273_000_001, 42.5, 130.7), "north", T0));
    // Line 3: line 1's transmission heard by a second receiver, a second
    // later on its clock: one row, heard twice.
    lines.extend(uscg(&position(273_000_001, 42.6, 130.8), "rSOUTH", T0 + 61));
    // Line 4: no receiver time at all: rejected, never timed by guess.
    lines.extend(bare(&position(273_000_002, 42.0, 131.0)));
    // Line 5: position not available (91°, 181°).
    lines.extend(tagged(&position(273_000_003, 91.0, 181.0), "north", T0));
    // Line 6: a corrupted checksum.
    let mut corrupted = tagged(&position(273_000_004, 42.0, 131.0), "north", T0).remove(0);
    corrupted.pop();
    corrupted.push('0');
    lines.push(corrupted);
    // Line 7: a class B report the next UTC day.
    let class_b = Message::ClassBPosition(ClassBPositionReport {
        mmsi: Mmsi(338_000_001),
        sog_knots_e1: 1023,
        lon_min_e4: 130 * 600_000,
        lat_min_e4: 42 * 600_000,
        cog_deg_e1: 3600,
        heading_deg: 511,
        ..Default::default()
    });
    lines.extend(tagged(&class_b, "north", T0 + 86_400));
    let path = write(dir.path(), "feed.nmea", &lines);

    let mut dataset = Dataset::open(&dir.path().join("data")).unwrap();
    let summary = ingest(&mut dataset, &path);
    dataset.compact().unwrap();
    assert_eq!(summary.counts.lines, 7);
    assert_eq!(summary.counts.positions, 4, "three class A rows read, one class B");

    let rows = dataset.all_positions().unwrap();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let (first, second, b) = (&rows[0], &rows[1], &rows[2]);
    assert_eq!((first.mmsi.0, first.time.unix_ms() / 1000, first.origin.line), (273_000_001, T0, 2));
    assert_eq!((second.time.unix_ms() / 1000, second.origin.line, second.receivers_heard), (T0 + 60, 1, 2));
    assert_eq!(second.receiver.as_deref(), Some("north"));
    assert_eq!(second.time_origin, TimeOrigin::TagBlock);
    assert_eq!(second.sog_knots, Some(12.3));
    assert_eq!(second.cog_deg, Some(45.0));
    assert_eq!(second.heading_deg, Some(44));
    assert_eq!(second.nav_status, Some(0));
    assert!((second.lat_deg - 42.6).abs() < 1e-9 && (second.lon_deg - 130.8).abs() < 1e-9);
    assert_eq!((b.mmsi.0, b.class, b.msg_type), (338_000_001, StationClass::B, 18));
    assert_eq!((b.sog_knots, b.cog_deg, b.heading_deg, b.nav_status), (None, None, None, None));

    let rejected = rejects(&dataset);
    assert_eq!(
        rejected,
        [(4, "no receiver time".to_owned()), (5, "position not available".to_owned()), (6, "bad_checksum".to_owned())]
    );
    let counts = dataset.catalog().reject_counts(summary.source_id).unwrap();
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<u64>(), 3);

    // The same content again, under another name: nothing to do.
    let copy = dir.path().join("copy.nmea");
    std::fs::copy(&path, &copy).unwrap();
    let again = ingest_file(&mut dataset, &copy, &IngestConfig::default(), &NoProgress).unwrap();
    assert!(matches!(again, Outcome::AlreadyIngested(ref r) if r.id == summary.source_id));
    assert_eq!(dataset.all_positions().unwrap().len(), 3);
}

#[test]
fn a_file_hashed_as_it_is_read_is_known_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let mut dataset = Dataset::open(&dir.path().join("data")).unwrap();
    let lines: Vec<String> = (0..50)
        .flat_map(|k| tagged(&position(273_000_000 + k, 43.0, 131.9), "rx", 1_694_000_000 + i64::from(k)))
        .collect();
    let path = write(dir.path(), "a.nmea", &lines);
    let summary = ingest(&mut dataset, &path);
    // Hashed while read (no file of its size before): the hash recorded is
    // the file's, so a copy is known.
    let source = dataset.catalog().source(summary.source_id).unwrap().unwrap();
    assert_eq!(source.content_hash.as_deref(), Some(tumen_ingest::content_hash(&path).unwrap().as_str()));
    let copy = dir.path().join("copy.nmea");
    std::fs::copy(&path, &copy).unwrap();
    let again = ingest_file(&mut dataset, &copy, &IngestConfig::default(), &NoProgress).unwrap();
    assert!(matches!(again, Outcome::AlreadyIngested(ref r) if r.id == summary.source_id));
    // The same size, another content (one digit changed): a new source.
    let mut other = std::fs::read(&path).unwrap();
    let at = other.iter().position(|b| *b == b',').unwrap() - 1;
    other[at] = if other[at] == b'1' { b'2' } else { b'1' };
    let other_path = dir.path().join("other.nmea");
    std::fs::write(&other_path, &other).unwrap();
    let second = ingest(&mut dataset, &other_path);
    assert_ne!(second.source_id, summary.source_id);

    // Gzip: the hash is of the bytes as stored.
    let gz_path = dir.path().join("b.nmea.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&gz_path).unwrap(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, lines[..30].join("\n").as_bytes()).unwrap();
    gz.finish().unwrap();
    let gz_summary = ingest(&mut dataset, &gz_path);
    let source = dataset.catalog().source(gz_summary.source_id).unwrap().unwrap();
    assert_eq!(source.content_hash.as_deref(), Some(tumen_ingest::content_hash(&gz_path).unwrap().as_str()));
}

#[test]
fn identity_fields_from_type_5_and_type_24_parts() {
    let dir = tempfile::tempdir().unwrap();
    let type5 = Message::StaticAndVoyage(StaticAndVoyageData {
        mmsi: Mmsi(273_000_001),
        imo: 9_161_003,
        callsign: AisString::new("UBAB2").unwrap(),
        shipname: AisString::new("ANGARA").unwrap(),
        ship_type: 70,
        to_bow_m: 100,
        to_stern_m: 20,
        to_port_m: 10,
        to_starboard_m: 8,
        eta_month: 9,
        eta_day: 8,
        eta_hour: 24,
        eta_minute: 60,
        draught_m_e1: 65,
        destination: AisString::new("RU DNY").unwrap(),
        ..Default::default()
    });
    let renamed = match type5 {
        Message::StaticAndVoyage(mut s) => {
            s.shipname = AisString::new("LADY R").unwrap();
            s.draught_m_e1 = 82;
            Message::StaticAndVoyage(s)
        }
        _ => unreachable!(),
    };
    let part_a = Message::StaticData(StaticDataReport::PartA(StaticDataPartA {
        mmsi: Mmsi(338_000_001),
        shipname: AisString::new("SEA BREEZE").unwrap(),
        ..Default::default()
    }));
    let part_b = Message::StaticData(StaticDataReport::PartB(StaticDataPartB {
        mmsi: Mmsi(338_000_001),
        ship_type: 37,
        callsign: AisString::new("WDA1234").unwrap(),
        dimensions: Type24Dimensions::Ship { to_bow_m: 8, to_stern_m: 4, to_port_m: 2, to_starboard_m: 2 },
        ..Default::default()
    }));
    let mut lines = Vec::new();
    lines.extend(tagged(&type5, "north", T0));
    lines.extend(tagged(&type5, "north", T0 + 360));
    lines.extend(tagged(&renamed, "north", T0 + 86_400 * 3));
    lines.extend(tagged(&part_a, "north", T0));
    lines.extend(tagged(&part_b, "north", T0 + 30));
    let path = write(dir.path(), "statics.nmea", &lines);
    let mut dataset = Dataset::open(&dir.path().join("data")).unwrap();
    ingest(&mut dataset, &path);

    let history = dataset.catalog().static_history(Mmsi(273_000_001)).unwrap();
    let values = |field: StaticField| -> Vec<(String, i64, i64)> {
        history
            .iter()
            .filter(|s| s.field == field)
            .map(|s| (s.value.clone(), s.first_time.unix_ms() / 1000, s.last_time.unix_ms() / 1000))
            .collect()
    };
    assert_eq!(
        values(StaticField::Name),
        [("ANGARA".to_owned(), T0, T0 + 360), ("LADY R".to_owned(), T0 + 86_400 * 3, T0 + 86_400 * 3)]
    );
    assert_eq!(values(StaticField::Imo), [("9161003".to_owned(), T0, T0 + 86_400 * 3)]);
    assert_eq!(values(StaticField::CallSign)[0].0, "UBAB2");
    assert_eq!(values(StaticField::ShipType)[0].0, "70");
    assert_eq!(values(StaticField::Dimensions)[0].0, "120x18");
    assert_eq!(values(StaticField::Draught).iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["6.5", "8.2"]);
    assert_eq!(values(StaticField::Destination)[0].0, "RU DNY");
    assert_eq!(values(StaticField::Eta)[0].0, "09-08", "hour 24 = not available");
    assert_eq!(values(StaticField::Class)[0].0, "A");
    // The first report of a value is its evidence.
    let name = history.iter().find(|s| s.field == StaticField::Name).unwrap();
    assert_eq!(name.first_line, 1);

    // Type 24: part A's name and part B's call sign, one class B vessel.
    let b = dataset.catalog().static_history(Mmsi(338_000_001)).unwrap();
    let get = |field| b.iter().find(|s| s.field == field).map(|s| s.value.as_str());
    assert_eq!(get(StaticField::Name), Some("SEA BREEZE"));
    assert_eq!(get(StaticField::CallSign), Some("WDA1234"));
    assert_eq!(get(StaticField::ShipType), Some("37"));
    assert_eq!(get(StaticField::Dimensions), Some("12x4"));
    assert_eq!(get(StaticField::Class), Some("B"));
}

#[test]
fn noaa_and_dma_rows_equal_the_nmea_of_the_same_message() {
    let dir = tempfile::tempdir().unwrap();
    let nmea = write(dir.path(), "a.nmea", &tagged(&position(273_000_001, 42.612345, 130.712345), "north", T0));
    let noaa = write(
        dir.path(),
        "a.csv",
        &[
            "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass".to_owned(),
            format!("273000001,2023-09-07T06:10:00,{:.6},{:.6},12.3,45.0,44,ANGARA,IMO9161003,UBAB2,70,0,120,18,6.5,,A", 
                (42.612345f64 * 600_000.0).round() / 600_000.0, (130.712345f64 * 600_000.0).round() / 600_000.0),
            "273000002,2023-09-07T06:11:00,91.0,181.0,102.3,360.0,511,,,,,,,,,,A".to_owned(),
            "273000003,not a time,1,2,,,,,,,,,,,,,A".to_owned(),
            "\"338000001\",2023-09-07T06:12:00,42.1,130.1,0.0,360.0,511,\"SEA, BREEZE\",,,37,,12,4,,,B".to_owned(),
        ],
    );
    let dma = write(
        dir.path(),
        "b.csv",
        &[
            "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D".to_owned(),
            "07/09/2023 06:10:00,Class A,273000001,42.612345,130.712345,Under way using engine,0.0,12.3,45.0,44,9161003,UBAB2,ANGARA,Cargo,,18,120,GPS,6.5,RU DNY,08/09/2023 12:00:00,AIS,100,20,10,8".to_owned(),
            "07/09/2023 06:10:00,Base Station,002734000,42.0,131.0,Unknown value,,,,,Unknown,Unknown,Unknown,Undefined,,,,GPS,,Unknown,,AIS,,,,".to_owned(),
        ],
    );
    let mut dataset = Dataset::open(&dir.path().join("data")).unwrap();
    for path in [&nmea, &noaa, &dma] {
        ingest(&mut dataset, path);
    }
    dataset.compact().unwrap();
    let rows = dataset.all_positions().unwrap();
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let a = &rows[0];
    assert_eq!(a.receivers_heard, 3, "one transmission from NMEA, NOAA and DMA");
    assert_eq!(a.origin.source_id, 1, "the first source read is the row's evidence");
    let b = &rows[1];
    assert_eq!(
        (b.mmsi.0, b.class, b.sog_knots, b.cog_deg, b.heading_deg),
        (338_000_001, StationClass::B, Some(0.0), None, None)
    );

    let names = dataset.catalog().static_history(Mmsi(338_000_001)).unwrap();
    assert!(names.iter().any(|s| s.field == StaticField::Name && s.value == "SEA, BREEZE"));
    let history = dataset.catalog().static_history(Mmsi(273_000_001)).unwrap();
    let values = |field| history.iter().filter(|s| s.field == field).map(|s| s.value.as_str()).collect::<Vec<_>>();
    assert_eq!(values(StaticField::Imo), ["9161003"]);
    assert_eq!(values(StaticField::Dimensions), ["120x18"]);
    assert_eq!(values(StaticField::Eta), ["09-08T12:00"]);
    assert_eq!(values(StaticField::Destination), ["RU DNY"]);

    let rejected = rejects(&dataset);
    assert_eq!(rejected, [(3, "position not available".to_owned()), (4, "bad time".to_owned())]);
}

#[test]
fn a_csv_without_the_needed_columns_is_an_error_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.csv", &["MMSI,BaseDateTime,LATITUDE,LON".to_owned(), "1,2,3,4".to_owned()]);
    let mut dataset = Dataset::open(&dir.path().join("data")).unwrap();
    let error = ingest_file(&mut dataset, &path, &IngestConfig::default(), &NoProgress).unwrap_err().to_string();
    assert!(error.contains("bad.csv:1:") && error.contains("latitude"), "{error}");
}
