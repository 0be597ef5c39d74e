//! Encode → decode round trips, as property tests.
//!
//! Messages of every type 1–27 are generated two ways: from explicit field
//! strategies for the types the pipeline lives on (1–3, 5, 18, 24, 27), and
//! for every type by decoding random payloads of the type's accepted
//! lengths (which reaches every representable field value). Each message
//! must survive `encode` → `decode` unchanged, and again through sentences
//! with tag blocks and the streaming decoder.

use proptest::prelude::*;
use tumen_ais::application;
use tumen_ais::message::*;
use tumen_ais::{
    AisString, Bits, Decoded, Decoder, DecoderConfig, FnSink, MAX_MESSAGE_BITS, Message, Rejected, SentenceOptions,
    TagBlockOptions, UscgTrailer, accepted_bits, encode_sentences,
};
use tumen_model::{Mmsi, Timestamp};

fn mmsi() -> impl Strategy<Value = Mmsi> {
    (0u32..(1 << 30)).prop_map(Mmsi)
}

/// Six-bit text of up to `max` characters: any six-bit character but `@`.
fn text<const N: usize>(max: usize) -> impl Strategy<Value = AisString<N>> {
    proptest::collection::vec(prop_oneof![0x41u8..=0x5F, 0x20u8..=0x3F], 0..=max.min(N))
        .prop_map(|chars| AisString::new(std::str::from_utf8(&chars).unwrap()).unwrap())
}

fn unsigned(bits: u32) -> impl Strategy<Value = u32> {
    0u32..(1 << bits)
}

fn signed(bits: u32) -> impl Strategy<Value = i32> {
    -(1i32 << (bits - 1))..(1i32 << (bits - 1))
}

fn position_report() -> impl Strategy<Value = Message> {
    (
        (1u8..=3, 0u8..4, mmsi(), unsigned(4), any::<i8>(), unsigned(10)),
        (any::<bool>(), signed(28), signed(27), unsigned(12), unsigned(9), unsigned(6)),
        (unsigned(2), any::<bool>(), unsigned(19)),
    )
        .prop_map(|((t, r, mmsi, status, rot, sog), (acc, lon, lat, cog, hdg, sec), (man, raim, radio))| {
            Message::Position(PositionReport {
                msg_type: t,
                repeat: r,
                mmsi,
                nav_status: status as u8,
                rot_raw: rot,
                sog_knots_e1: sog as u16,
                position_accuracy: acc,
                lon_min_e4: lon,
                lat_min_e4: lat,
                cog_deg_e1: cog as u16,
                heading_deg: hdg as u16,
                utc_second: sec as u8,
                maneuver: man as u8,
                raim,
                radio_status: radio,
            })
        })
}

fn static_voyage() -> impl Strategy<Value = Message> {
    (
        (0u8..4, mmsi(), unsigned(2), unsigned(30), text::<7>(7), text::<20>(20)),
        (unsigned(8), unsigned(9), unsigned(9), unsigned(6), unsigned(6), unsigned(4)),
        (unsigned(4), unsigned(5), unsigned(5), unsigned(6), unsigned(8), text::<20>(20), any::<bool>()),
    )
        .prop_map(
            |((r, mmsi, ver, imo, cs, name), (st, bow, stern, port, stbd, epfd), (mo, d, h, mi, dr, dest, dte))| {
                Message::StaticAndVoyage(StaticAndVoyageData {
                    repeat: r,
                    mmsi,
                    ais_version: ver as u8,
                    imo,
                    callsign: cs,
                    shipname: name,
                    ship_type: st as u8,
                    to_bow_m: bow as u16,
                    to_stern_m: stern as u16,
                    to_port_m: port as u8,
                    to_starboard_m: stbd as u8,
                    epfd: epfd as u8,
                    eta_month: mo as u8,
                    eta_day: d as u8,
                    eta_hour: h as u8,
                    eta_minute: mi as u8,
                    draught_m_e1: dr as u8,
                    destination: dest,
                    dte,
                })
            },
        )
}

fn class_b_position() -> impl Strategy<Value = Message> {
    (
        (0u8..4, mmsi(), unsigned(8), unsigned(10), any::<bool>(), signed(28), signed(27)),
        (unsigned(12), unsigned(9), unsigned(6), unsigned(2), any::<[bool; 7]>(), unsigned(20)),
    )
        .prop_map(|((r, mmsi, res, sog, acc, lon, lat), (cog, hdg, sec, reg, flags, radio))| {
            Message::ClassBPosition(ClassBPositionReport {
                repeat: r,
                mmsi,
                reserved: res as u8,
                sog_knots_e1: sog as u16,
                position_accuracy: acc,
                lon_min_e4: lon,
                lat_min_e4: lat,
                cog_deg_e1: cog as u16,
                heading_deg: hdg as u16,
                utc_second: sec as u8,
                regional: reg as u8,
                cs_unit: flags[0],
                display: flags[1],
                dsc: flags[2],
                band: flags[3],
                msg22: flags[4],
                assigned: flags[5],
                raim: flags[6],
                radio_status: radio,
            })
        })
}

fn static_data_report() -> impl Strategy<Value = Message> {
    let part_a = (0u8..4, mmsi(), text::<20>(20)).prop_map(|(repeat, mmsi, shipname)| {
        Message::StaticData(StaticDataReport::PartA(StaticDataPartA { repeat, mmsi, shipname }))
    });
    let part_b = (
        (0u8..4, mmsi(), unsigned(8), text::<3>(3), unsigned(4), unsigned(20), text::<7>(7)),
        (unsigned(9), unsigned(9), unsigned(6), unsigned(6), mmsi()),
    )
        .prop_map(|((repeat, mmsi, st, vendor, model, serial, cs), (bow, stern, port, stbd, mother))| {
            // Auxiliary craft (98MIDxxxx) send their mother ship's MMSI instead of dimensions.
            let dimensions = if mmsi.0 / 10_000_000 == 98 {
                Type24Dimensions::MothershipMmsi(mother)
            } else {
                Type24Dimensions::Ship {
                    to_bow_m: bow as u16,
                    to_stern_m: stern as u16,
                    to_port_m: port as u8,
                    to_starboard_m: stbd as u8,
                }
            };
            Message::StaticData(StaticDataReport::PartB(StaticDataPartB {
                repeat,
                mmsi,
                ship_type: st as u8,
                vendor_id: vendor,
                unit_model: model as u8,
                serial_number: serial,
                callsign: cs,
                dimensions,
            }))
        });
    prop_oneof![part_a, part_b]
}

fn long_range() -> impl Strategy<Value = Message> {
    (
        (0u8..4, mmsi(), any::<bool>(), any::<bool>(), unsigned(4)),
        (signed(18), signed(17), unsigned(6), unsigned(9), any::<bool>()),
    )
        .prop_map(|((r, mmsi, acc, raim, status), (lon, lat, sog, cog, stale))| {
            Message::LongRange(LongRangeReport {
                repeat: r,
                mmsi,
                position_accuracy: acc,
                raim,
                nav_status: status as u8,
                lon_min_e1: lon,
                lat_min_e1: lat,
                sog_knots: sog as u8,
                cog_deg: cog as u16,
                position_latency_high: stale,
            })
        })
}

/// Random payloads of every type at lengths the type accepts; the ones that
/// decode are messages with arbitrary field values.
fn any_type_payload() -> impl Strategy<Value = Bits> {
    (1u8..=27, proptest::collection::vec(any::<u8>(), MAX_MESSAGE_BITS / 8), any::<u16>()).prop_map(
        |(msg_type, bytes, pick)| {
            let (min, max) = accepted_bits(msg_type).unwrap();
            let max = max.min(min + 256);
            let len = min + usize::from(pick) % (max - min + 1);
            let mut bits = Bits::from_bytes(&bytes, len).unwrap();
            // Put the type in the first six bits.
            let mut with_type = Bits::new();
            with_type.push(6, u64::from(msg_type));
            with_type.push_bits(&bits.slice(6, len - 6));
            bits = with_type;
            bits
        },
    )
}

fn assert_round_trip(message: &Message) -> Result<(), TestCaseError> {
    let bits = message.encode().map_err(|e| TestCaseError::fail(format!("encode {message:?}: {e:?}")))?;
    let back = Message::decode(&bits).map_err(|e| TestCaseError::fail(format!("decode of {message:?}: {e}")))?;
    prop_assert_eq!(&back, message);
    Ok(())
}

/// Decodes sentences with the streaming decoder; returns the messages.
fn decode_lines(lines: &[String]) -> (Vec<Message>, Vec<String>) {
    let mut messages = Vec::new();
    let mut rejects = Vec::new();
    let mut sink = FnSink {
        on_message: |d: &Decoded<'_>| messages.push(*d.message),
        on_reject: |r: &Rejected<'_>| rejects.push(format!("{}: {}", r.reason, String::from_utf8_lossy(r.line))),
    };
    let mut decoder = Decoder::new(DecoderConfig::default());
    for line in lines {
        decoder.feed_line(line.as_bytes(), &mut sink);
    }
    decoder.finish(&mut sink);
    (messages, rejects)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn position_reports_round_trip(m in position_report()) { assert_round_trip(&m)?; }

    #[test]
    fn static_and_voyage_round_trips(m in static_voyage()) { assert_round_trip(&m)?; }

    #[test]
    fn class_b_positions_round_trip(m in class_b_position()) { assert_round_trip(&m)?; }

    #[test]
    fn static_data_reports_round_trip(m in static_data_report()) { assert_round_trip(&m)?; }

    #[test]
    fn long_range_reports_round_trip(m in long_range()) { assert_round_trip(&m)?; }

    #[test]
    fn every_type_round_trips(bits in any_type_payload()) {
        if let Ok(message) = Message::decode(&bits) {
            assert_round_trip(&message)?;
            // The re-encoded message holds the same fields: decoding it again
            // and encoding once more gives the same bits.
            let again = message.encode().unwrap();
            prop_assert_eq!(Message::decode(&again).unwrap().encode().unwrap(), again);
        }
    }

    #[test]
    fn sentences_with_receiver_identities_round_trip(
        m in prop_oneof![position_report(), static_voyage(), class_b_position(), static_data_report(), long_range()],
        seconds in 1_000_000_000i64..2_000_000_000,
        group in proptest::option::of(1u32..100_000),
        chunk in 20usize..70,
        seq in 0u8..10,
        uscg in any::<bool>(),
    ) {
        let time = Timestamp::from_unix_seconds(seconds).unwrap();
        let options = SentenceOptions {
            max_payload_chars: chunk,
            sequence_id: seq,
            tag_block: (!uscg).then_some(TagBlockOptions { source: Some("stn-1"), receiver_time: Some(time), group_id: group }),
            uscg_trailer: uscg.then_some(UscgTrailer { station: "r003669945", receiver_time: time }),
            ..SentenceOptions::default()
        };
        let lines = encode_sentences(&m, &options).unwrap();
        let mut messages = Vec::new();
        let mut rejects = Vec::new();
        let mut sink = FnSink {
            on_message: |d: &Decoded<'_>| {
                messages.push((*d.message, d.meta.receiver_time, d.meta.source.map(str::to_owned), d.meta.station.map(str::to_owned)))
            },
            on_reject: |r: &Rejected<'_>| rejects.push(format!("{}: {}", r.reason, String::from_utf8_lossy(r.line))),
        };
        let mut decoder = Decoder::new(DecoderConfig::default());
        for line in &lines {
            decoder.feed_line(line.as_bytes(), &mut sink);
        }
        decoder.finish(&mut sink);
        prop_assert!(rejects.is_empty(), "{:?}", rejects);
        let (source, station) = if uscg { (None, Some("r003669945".to_owned())) } else { (Some("stn-1".to_owned()), None) };
        prop_assert_eq!(messages, vec![(m, Some(time), source, station)]);
    }
}

/// Application payloads: random data of each known DAC/FI's length that
/// decodes must encode back to a payload that decodes to the same.
#[test]
fn application_payloads_round_trip() {
    use proptest::test_runner::TestRunner;
    let cases: &[(bool, u16, u8, usize, usize)] = &[
        // (addressed, dac, fi, min data bits, max data bits)
        (true, 1, 12, 269, 272),
        (true, 1, 14, 102, 288),
        (true, 1, 16, 13, 48),
        (true, 1, 18, 229, 272),
        (true, 1, 30, 16, 900),
        (true, 1, 32, 97, 280),
        (true, 200, 55, 80, 80),
        (true, 235, 10, 48, 48),
        (false, 1, 11, 290, 296),
        (false, 1, 29, 16, 900),
        (false, 1, 31, 294, 304),
        (false, 200, 10, 112, 112),
        (true, 1, 25, 29, 500),
        (true, 1, 28, 116, 960),
        (false, 1, 27, 116, 960),
        (false, 1, 17, 122, 500),
        (false, 200, 24, 112, 112),
        (false, 200, 40, 112, 112),
    ];
    for &(addressed, dac, fi, min, max) in cases {
        // A runner per payload kind: a runner's case budget is spent by one run.
        let mut runner = TestRunner::default();
        let strategy = (proptest::collection::vec(any::<u8>(), 128), min..=max);
        let decoded = std::cell::Cell::new(0);
        runner
            .run(&strategy, |(bytes, len)| {
                let data = Bits::from_bytes(&bytes, len).unwrap();
                let app = if addressed {
                    application::decode_addressed(dac, fi, &data)
                } else {
                    application::decode_broadcast(dac, fi, &data)
                };
                let Some(app) = app else { return Ok(()) };
                decoded.set(decoded.get() + 1);
                let bits = application::encode(&app).unwrap();
                let again = if addressed {
                    application::decode_addressed(dac, fi, &bits)
                } else {
                    application::decode_broadcast(dac, fi, &bits)
                };
                prop_assert_eq!(again, Some(app));
                Ok(())
            })
            .unwrap_or_else(|e| panic!("DAC {dac} FI {fi}: {e}"));
        assert!(decoded.get() > 0, "DAC {dac} FI {fi}: no random payload decoded");
    }
}

/// Every message type decodes from a payload of zeros at its minimum length
/// (at least 168 bits), so the random-payload generator reaches all 27.
#[test]
fn every_type_decodes_from_some_payload() {
    for msg_type in 1u8..=27 {
        let (min, max) = accepted_bits(msg_type).unwrap();
        let mut bits = Bits::new();
        bits.push(6, u64::from(msg_type));
        while bits.len() < min.max(168).min(max) {
            bits.push(1, 0);
        }
        assert_eq!(Message::decode(&bits).map(|m| m.msg_type()), Ok(msg_type), "type {msg_type}");
    }
}

/// A hand-made check of one known sentence, field by field, against values
/// read off the AIVDM reference's worked example.
#[test]
fn known_type1_fields() {
    let (messages, rejects) = decode_lines(&["!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A".to_owned()]);
    assert!(rejects.is_empty());
    let Message::Position(p) = messages[0] else { panic!("{messages:?}") };
    assert_eq!(p.mmsi, Mmsi(371_798_000));
    assert_eq!(p.rot_raw, -127);
    assert_eq!(p.sog_knots(), Some(12.3));
    assert!((p.lon_deg().unwrap() + 123.395_383).abs() < 1e-6);
    assert!((p.lat_deg().unwrap() - 48.381_633).abs() < 1e-6);
    assert_eq!(p.cog_deg(), Some(224.0));
    assert_eq!(p.heading_deg(), Some(215));
    assert_eq!(p.utc_second, 33);
    assert_eq!(p.radio_status, 34_017);
}
