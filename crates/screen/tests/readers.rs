//! The list readers over fixtures made from the documented formats
//! (`../shared/FACTS.md` §4), every quirk in them: OFAC's `-0-` nulls, IMO
//! numbers in two remark spellings, `fka`/`aka` names in alt.csv, the DOS
//! end-of-file line; the UN table's `1: X 2: Y` cells; EU former names in
//! parentheses; the UK list's report-date line and one row per name;
//! OpenSanctions' `IMO`-prefixed numbers and other schemas; OFAC's
//! advanced XML, joined through its reference values, agreeing with the CSV.

use std::path::Path;

use tumen_screen::{ListFormat, ReadError, WatchEntry, read_lists};

fn fixture(name: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    (name.to_owned(), std::fs::read_to_string(path).unwrap())
}

fn by_name<'a>(entries: &'a [WatchEntry], name: &str) -> &'a WatchEntry {
    entries.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("{name} in {entries:#?}"))
}

#[test]
fn formats_are_told_from_content() {
    for (file, format) in [
        ("sdn.csv", ListFormat::OfacSdnCsv),
        ("alt.csv", ListFormat::OfacAltCsv),
        ("SDN_ADVANCED.xml", ListFormat::OfacAdvancedXml),
        ("un1718.csv", ListFormat::Un1718Csv),
        ("eu-annex-xlii.csv", ListFormat::EuCsv),
        ("uk-sanctions-list.csv", ListFormat::UkCsv),
        ("opensanctions-vessels.ftm.json", ListFormat::OpenSanctionsFtm),
    ] {
        assert_eq!(ListFormat::detect(&fixture(file).1), Some(format), "{file}");
    }
    assert_eq!(ListFormat::detect("hello,world\n1,2\n"), None);
    let err = read_lists(&[("notes.txt".into(), "hello\n".into())], None).unwrap_err();
    assert!(matches!(err, ReadError::Unrecognized { .. }) && err.to_string().contains("notes.txt"));
}

#[test]
fn ofac_vessels_with_remarks_and_former_names() {
    let read = read_lists(&[fixture("sdn.csv"), fixture("alt.csv")], None).unwrap();
    assert_eq!(read.format, ListFormat::OfacSdnCsv);
    assert_eq!(read.entries.len(), 2, "people and companies are not vessels: {:#?}", read.entries);
    let storm = by_name(&read.entries, "SNOW STORM 1");
    assert_eq!(storm.id, "36002");
    assert_eq!(storm.imos, ["9187629"]);
    assert_eq!(storm.mmsis, ["511100345"]);
    assert_eq!(storm.call_signs, ["T8AB2"]);
    assert_eq!(storm.flags, ["Palau"]);
    assert_eq!(storm.former_flags, ["Panama"]);
    assert_eq!(storm.programs, ["DPRK3", "RUSSIA-EO14024"]);
    assert_eq!(storm.owners, ["EASTERN SEA SHIPPING CO., LTD"]);
    assert_eq!(storm.former_names, ["OCEAN BREEZE"]);
    assert_eq!(storm.aliases, ["S. STORM 1"]);
    assert_eq!(storm.line, 2);
    let horizon = by_name(&read.entries, "POLAR HORIZON");
    assert_eq!(horizon.imos, ["9345673"], "the 2025 spelling");
    assert!(horizon.call_signs.is_empty(), "-0- is null");
    assert_eq!(horizon.former_names, ["HORIZON STAR"]);
    // The short row is skipped with its line; the DOS end-of-file line is not a row.
    assert_eq!(read.skipped.len(), 1, "{:?}", read.skipped);
    assert_eq!((read.skipped[0].file.as_str(), read.skipped[0].line), ("sdn.csv", 4));
    // alt.csv alone cannot be placed.
    assert!(matches!(read_lists(&[fixture("alt.csv")], None), Err(ReadError::AltWithoutSdn { .. })));
}

#[test]
fn un_numbered_cells_and_imos_in_text() {
    let read = read_lists(&[fixture("un1718.csv")], None).unwrap();
    assert_eq!(read.entries.len(), 2);
    let kang = by_name(&read.entries, "KANG MYONG");
    assert_eq!(kang.former_names, ["KANG MYONG 1"]);
    assert_eq!((kang.id.as_str(), kang.mmsis.as_slice()), ("imo:8800121", &["445123000".to_owned()][..]));
    assert_eq!(kang.designated.as_deref(), Some("2018-03-30"));
    let ji = by_name(&read.entries, "JI SONG 6");
    assert_eq!(ji.imos, ["9123453", "9123461", "9567893"]);
    assert_eq!(read.skipped.len(), 1);
    assert_eq!(read.skipped[0].line, 4);
}

#[test]
fn eu_former_names_in_parentheses() {
    let read = read_lists(&[fixture("eu-annex-xlii.csv")], None).unwrap();
    let breeze = by_name(&read.entries, "SEA BREEZE");
    assert_eq!(breeze.former_names, ["OCEAN STAR", "SUN"]);
    assert_eq!((breeze.imos.as_slice(), breeze.id.as_str()), (&["9789013".to_owned()][..], "imo:9789013"));
    assert_eq!(by_name(&read.entries, "RICH").former_names, ["RICHY", "RICHARD"]);
    assert_eq!(by_name(&read.entries, "ANONYMOUS VESSEL").id, "name:ANONYMOUS VESSEL");
}

#[test]
fn uk_rows_per_name_are_one_ship() {
    let read = read_lists(&[fixture("uk-sanctions-list.csv")], None).unwrap();
    assert_eq!(read.entries.len(), 1, "{:#?}", read.entries);
    let horizon = &read.entries[0];
    assert_eq!((horizon.id.as_str(), horizon.name.as_str()), ("RUS1234", "POLAR HORIZON"));
    assert_eq!(horizon.aliases, ["HORIZON STAR"]);
    assert_eq!(horizon.imos, ["9345673"]);
    assert_eq!(horizon.former_flags, ["Cameroon", "Gabon"]);
    assert_eq!(horizon.owners, ["NORTH ROUTE LLC"]);
    assert_eq!(horizon.line, 3);
    assert_eq!(read.skipped.len(), 1, "the nameless ship: {:?}", read.skipped);
    assert_eq!(read.skipped[0].line, 6);
}

#[test]
fn opensanctions_vessels_and_a_broken_line() {
    let read = read_lists(&[fixture("opensanctions-vessels.ftm.json")], None).unwrap();
    assert_eq!(read.entries.len(), 2);
    let storm = by_name(&read.entries, "SNOW STORM 1");
    assert_eq!(storm.imos, ["9187629"]);
    assert_eq!(storm.former_names, ["OCEAN BREEZE"]);
    assert_eq!(storm.former_flags, ["pa"]);
    assert_eq!(by_name(&read.entries, "JI SONG 6").imos, ["9123453"]);
    assert_eq!(read.skipped.len(), 1);
    assert_eq!(read.skipped[0].line, 3);
}

#[test]
fn ofac_advanced_xml_agrees_with_the_csv() {
    let xml = read_lists(&[fixture("SDN_ADVANCED.xml")], None).unwrap();
    let csv = read_lists(&[fixture("sdn.csv"), fixture("alt.csv")], None).unwrap();
    assert_eq!(
        (xml.format, xml.list.as_str(), csv.list.as_str()),
        (ListFormat::OfacAdvancedXml, "ofac-sdn", "ofac-sdn")
    );
    for name in ["SNOW STORM 1", "POLAR HORIZON"] {
        let (x, c) = (by_name(&xml.entries, name), by_name(&csv.entries, name));
        assert_eq!(x.id, c.id, "{name}: the profile id is OFAC's entity number");
        assert_eq!(x.imos, c.imos, "{name}");
        assert_eq!(x.mmsis, c.mmsis, "{name}");
        assert_eq!(x.call_signs, c.call_signs, "{name}");
        assert_eq!(x.flags, c.flags, "{name}");
        assert_eq!(x.former_flags, c.former_flags, "{name}");
        assert_eq!(x.programs, c.programs, "{name}");
        assert_eq!(x.former_names, c.former_names, "{name}");
        assert_eq!(x.aliases, c.aliases, "{name}");
        assert_eq!(x.vessel_type, c.vessel_type, "{name}");
        // The CSV's "Linked To:" is the XML's profile relationship.
        assert_eq!(x.owners.len(), c.owners.len(), "{name}");
    }
}

#[test]
fn ofac_advanced_xml_features_dates_and_skips() {
    let read = read_lists(&[fixture("SDN_ADVANCED.xml")], None).unwrap();
    let names: Vec<&str> = read.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["SNOW STORM 1", "POLAR HORIZON", "CHON MA SAN"], "people and companies are not vessels");
    let storm = by_name(&read.entries, "SNOW STORM 1");
    assert_eq!((storm.line, storm.designated.as_deref()), (128, Some("2018-02-23")), "the earliest entry event");
    assert_eq!(storm.owners, ["EASTERN SEA SHIPPING CO., LTD."]);
    let chon = by_name(&read.entries, "CHON MA SAN");
    assert_eq!(chon.flags, ["Korea, North"], "a flag given as a location");
    assert_eq!(chon.aliases, ["PAEK MA"], "n.k.a. is another name of the ship");
    assert_eq!(chon.owners, ["KOREA KUMBYOL TRADING COMPANY"]);
    assert_eq!(chon.imos, ["8914934"]);
    assert_eq!((chon.designated.as_deref(), chon.programs.as_slice()), (Some("2017"), &["DPRK2".to_owned()][..]));
    assert_eq!(chon.remarks, "Hull repainted at Nampo; owner's & manager's address unknown.");
    // The party of an unknown subtype is skipped with its line.
    assert_eq!(read.skipped.len(), 1, "{:?}", read.skipped);
    assert_eq!(read.skipped[0].line, 226);
    assert!(read.skipped[0].reason.contains("77"), "{}", read.skipped[0].reason);
    // Lines hold on a CRLF copy.
    let (file, text) = fixture("SDN_ADVANCED.xml");
    let crlf = read_lists(&[(file, text.replace('\n', "\r\n"))], None).unwrap();
    assert_eq!(by_name(&crlf.entries, "SNOW STORM 1").line, 128);
    assert_eq!(crlf.skipped[0].line, 226);
}

#[test]
fn a_truncated_or_broken_xml_list_is_refused_whole() {
    let (file, text) = fixture("SDN_ADVANCED.xml");
    let cut = &text[..text.find("<DistinctParty FixedRef=\"36005\">").unwrap()];
    let err = read_lists(&[(file.clone(), cut.to_owned())], None).unwrap_err();
    assert!(matches!(err, ReadError::Malformed { .. }), "{err}");
    assert!(err.to_string().contains("truncated") && err.to_string().contains("SDN_ADVANCED.xml"), "{err}");
    let broken = text.replace("<Comment>DPRK2</Comment>", "<Comment>DPRK2</Coment>");
    let err = read_lists(&[(file, broken)], None).unwrap_err();
    let ReadError::Malformed { line, .. } = err else { panic!("{err}") };
    assert_eq!(line, text.lines().position(|l| l.contains("DPRK2")).unwrap() as u64 + 1, "{err}");
}

#[test]
fn an_unknown_xml_entity_is_kept_in_the_name_and_reported() {
    let (file, text) = fixture("SDN_ADVANCED.xml");
    let odd = text.replace(">SNOW STORM 1</NamePartValue>", ">SNOW STORM &lol9;</NamePartValue>");
    let read = read_lists(&[(file, odd)], None).unwrap();
    assert!(read.entries.iter().any(|e| e.name == "SNOW STORM &lol9;"), "the name keeps what it said");
    let warned: Vec<_> = read.skipped.iter().filter(|s| s.reason.contains("&lol9;")).collect();
    assert_eq!(warned.len(), 1, "{:?}", read.skipped);
    assert_eq!(warned[0].line, 135);
}

#[test]
fn a_name_no_ship_could_bear_is_refused_with_its_line() {
    let header =
        "vessel_name,imo_number,designated_owner,mmsi,flag,call_sign,other_information,type,date_of_designation";
    let text = format!(
        "{header}\n{},9000001,,,DPRK,,,Cargo,2018-03-30\nBRAVO,9000002,,,DPRK,,,Cargo,2018-03-30\n",
        "A".repeat(50_000)
    );
    let read = read_lists(&[("un.csv".to_owned(), text)], None).unwrap();
    assert_eq!(read.entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["BRAVO"]);
    assert_eq!(read.skipped.len(), 1, "{:?}", read.skipped);
    assert_eq!(read.skipped[0].line, 2);
    assert!(read.skipped[0].reason.contains("50000 characters"), "{}", read.skipped[0].reason);
}
