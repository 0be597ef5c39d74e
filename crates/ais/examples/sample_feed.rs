//! Writes `data/sample.nmea`, the small feed the README decodes: synthetic
//! vessels on the Rajin → Dunay route, written through this crate's
//! encoder in the shapes real feeds have (tag blocks, USCG trailers, a
//! Gatehouse line, other NMEA talkers, multi-sentence messages) and with
//! the faults real feeds have (a bad checksum, a lost fragment, noise).
//!
//! `cargo run -p tumen-ais --example sample_feed > data/sample.nmea`
//! (`tests/sample_feed.rs` checks the committed file is this output).

use tumen_ais::application::{self, Application, MetHydro289, Wind};
use tumen_ais::message::*;
use tumen_ais::{AisString, Bits, Message, SentenceOptions, TagBlockOptions, encode_sentences};
use tumen_model::{Mmsi, Timestamp};

/// Start of the sample: 2023-09-07 06:00 UTC.
const START_S: i64 = 1_694_066_400;

/// An NMEA sentence with its checksum.
fn nmea(start: char, body: &str) -> String {
    format!("{start}{body}*{:02X}", body.bytes().fold(0, |a, b| a ^ b))
}

fn minutes_to_e4(deg: f64) -> i32 {
    (deg * 600_000.0).round() as i32
}

fn with_tags(message: &Message, t_s: i64, source: &str, group: Option<u32>, channel: u8) -> Vec<String> {
    let options = SentenceOptions {
        channel: Some(channel),
        sequence_id: group.map_or(0, |g| (g % 10) as u8),
        tag_block: Some(TagBlockOptions {
            source: Some(source),
            receiver_time: Timestamp::from_unix_seconds(t_s),
            group_id: group,
        }),
        ..SentenceOptions::default()
    };
    encode_sentences(message, &options).expect("sample messages fit their fields")
}

fn position(mmsi: u32, lat: f64, lon: f64, sog_knots: f64, cog_deg: f64, status: u8, second: u8) -> Message {
    Message::Position(PositionReport {
        msg_type: 1,
        repeat: 0,
        mmsi: Mmsi(mmsi),
        nav_status: status,
        rot_raw: 0,
        sog_knots_e1: (sog_knots * 10.0).round() as u16,
        position_accuracy: false,
        lon_min_e4: minutes_to_e4(lon),
        lat_min_e4: minutes_to_e4(lat),
        cog_deg_e1: (cog_deg * 10.0).round() as u16,
        heading_deg: cog_deg.round() as u16 % 360,
        utc_second: second,
        maneuver: 0,
        raim: false,
        radio_status: 49_152,
    })
}

pub fn sample_lines() -> Vec<String> {
    let mut lines = vec![
        "# Tumen sample feed: synthetic vessels, Rajin -> Dunay, 2023-09-07.".to_owned(),
        "# Written by crates/ais/examples/sample_feed.rs; every fault below is deliberate.".to_owned(),
    ];
    let cargo = 273_456_780; // a Russian-flagged cargo ship (MID 273)
    let tug = 273_998_120;
    let yacht = 440_123_450; // class B, Korean MID

    // Static data for the cargo ship: two sentences grouped by `g:`.
    let static_voyage = Message::StaticAndVoyage(StaticAndVoyageData {
        mmsi: Mmsi(cargo),
        ais_version: 2,
        imo: 9_876_543,
        callsign: AisString::new("UBXY7").unwrap(),
        shipname: AisString::new("SAMPLE CARGO ONE").unwrap(),
        ship_type: 70,
        to_bow_m: 90,
        to_stern_m: 30,
        to_port_m: 9,
        to_starboard_m: 9,
        epfd: 1,
        eta_month: 9,
        eta_day: 7,
        eta_hour: 18,
        eta_minute: 0,
        draught_m_e1: 48,
        destination: AisString::new("DUNAY").unwrap(),
        ..Default::default()
    });
    lines.extend(with_tags(&static_voyage, START_S, "rajin-shore", Some(1201), b'A'));

    // The voyage along the coast, one report every ten minutes, then silence.
    let track = [
        (42.170, 130.420, 10.2, 60.0),
        (42.230, 130.560, 10.4, 61.0),
        (42.290, 130.700, 10.3, 62.0),
        (42.350, 130.870, 10.1, 64.0),
        (42.410, 131.040, 10.5, 66.0),
    ];
    for (i, (lat, lon, sog, cog)) in track.into_iter().enumerate() {
        let t = START_S + 600 * (i as i64 + 1);
        let channel = if i % 2 == 0 { b'A' } else { b'B' };
        lines.extend(with_tags(
            &position(cargo, lat, lon, sog, cog, 0, (t % 60) as u8),
            t,
            "rajin-shore",
            None,
            channel,
        ));
    }

    // Another NMEA talker on the same line: a GPS fix, interleaved.
    lines.push(nmea('$', "GPGGA,063000.00,4250.5367,N,13220.1234,E,1,09,1.03,-6.0,M,45.8,M,,"));

    // A tug in port at Dunay, heard by a USCG-style receiver (station, time
    // after the checksum).
    for i in 0..3 {
        let t = START_S + 900 * i;
        let m = position(tug, 42.8788, 132.3352, 0.0, 0.0, 5, (t % 60) as u8);
        let sentence = encode_sentences(&m, &SentenceOptions::default()).unwrap().remove(0);
        lines.push(format!("{sentence},rDUNAY01,{t}"));
    }

    // A Gatehouse-wrapped base station report from Vladivostok.
    lines.push(nmea('$', "PGHP,1,2023,9,7,6,30,0,0,273,,2734001,1,00"));
    let base = Message::BaseStation(BaseStationReport {
        msg_type: 4,
        mmsi: Mmsi(2_734_001),
        year: 2023,
        month: 9,
        day: 7,
        hour: 6,
        minute: 30,
        second: 0,
        position_accuracy: true,
        lon_min_e4: minutes_to_e4(131.9000),
        lat_min_e4: minutes_to_e4(43.1167),
        epfd: 7,
        ..Default::default()
    });
    lines.extend(encode_sentences(&base, &SentenceOptions { talker: *b"BS", ..Default::default() }).unwrap());

    // A class B yacht and its two static-data parts.
    let t = START_S + 1800;
    let class_b = Message::ClassBPosition(ClassBPositionReport {
        mmsi: Mmsi(yacht),
        sog_knots_e1: 55,
        lon_min_e4: minutes_to_e4(132.8833),
        lat_min_e4: minutes_to_e4(42.7800),
        cog_deg_e1: 1800,
        heading_deg: 511,
        utc_second: 12,
        cs_unit: true,
        msg22: true,
        radio_status: 393_222,
        ..Default::default()
    });
    lines.extend(with_tags(&class_b, t, "nakhodka", None, b'B'));
    let part_a = Message::StaticData(StaticDataReport::PartA(StaticDataPartA {
        mmsi: Mmsi(yacht),
        shipname: AisString::new("SAMPLE YACHT").unwrap(),
        ..Default::default()
    }));
    let part_b = Message::StaticData(StaticDataReport::PartB(StaticDataPartB {
        mmsi: Mmsi(yacht),
        ship_type: 37,
        vendor_id: AisString::new("TMN").unwrap(),
        unit_model: 1,
        serial_number: 4242,
        callsign: AisString::new("D7SMP").unwrap(),
        dimensions: Type24Dimensions::Ship { to_bow_m: 8, to_stern_m: 4, to_port_m: 2, to_starboard_m: 2 },
        ..Default::default()
    }));
    lines.extend(with_tags(&part_a, t + 1, "nakhodka", None, b'B'));
    lines.extend(with_tags(&part_b, t + 2, "nakhodka", None, b'B'));

    // A weather station's IMO289 met/hydro broadcast (type 8, DAC 1, FI 31).
    let met = MetHydro289 {
        lon_min_e3: (132.3352f64 * 60_000.0).round() as i32,
        lat_min_e3: (42.8788f64 * 60_000.0).round() as i32,
        wind: Wind { day: 7, hour: 6, minute: 0, speed_knots: 12, gust_knots: 18, dir_deg: 225, gust_dir_deg: 230 },
        air_temp_c_e1: 184,
        humidity_pct: 71,
        dew_point_c_e1: 131,
        pressure_raw: 1012 - 799,
        visibility_nm_e1: 80,
        water_level_raw: 1000,
        water_temp_c_e1: 201,
        salinity_e1: 510,
        ..Default::default()
    };
    let data: Bits = application::encode(&Application::MetHydro289(met)).unwrap();
    let weather =
        Message::BroadcastBinary(BroadcastBinary { mmsi: Mmsi(2_734_002), dac: 1, fi: 31, data, ..Default::default() });
    lines.extend(with_tags(&weather, START_S + 300, "vladivostok", Some(1202), b'A'));

    // Faults, as real feeds have them.
    let mut bad =
        with_tags(&position(cargo, 42.47, 131.30, 10.2, 70.0, 0, 5), START_S + 3600, "rajin-shore", None, b'A');
    let last = bad.last_mut().unwrap();
    last.replace_range(last.len() - 2.., "00"); // a corrupted NMEA checksum
    lines.append(&mut bad);
    let mut lost = with_tags(&static_voyage, START_S + 3700, "rajin-shore", Some(1203), b'A');
    lost.truncate(1); // the second fragment never arrived
    lines.append(&mut lost);
    lines.push("~~ receiver restarted ~~".to_owned());

    // Then the ship is heard again near Dunay, at anchor.
    let t = START_S + 6 * 3600;
    lines.extend(with_tags(&position(cargo, 42.8700, 132.3200, 0.1, 12.0, 1, 0), t, "dunay-shore", None, b'B'));
    lines
}

#[allow(dead_code)]
fn main() {
    for line in sample_lines() {
        println!("{line}");
    }
}
