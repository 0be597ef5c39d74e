//! Position rows in the two CSV exports analysts get AIS in (columns in
//! `../shared/FACTS.md` §5): NOAA MarineCadastre and the Danish Maritime
//! Authority. Values are the transmitted ones, so a row equals what a
//! decoder reads from the NMEA line it came from; latitude and longitude
//! carry six decimals, enough to recover the AIS value exactly
//! (1/600 000°).

use crate::radio::{Fix, dimensions};
use crate::scenario::format::AisClass;
use crate::world::Identity;

pub const NOAA_HEADER: &str = "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass\n";

pub const DMA_HEADER: &str = "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D\n";

/// What a row says besides the fix: the vessel's identity and voyage data
/// at the time of the fix, as the exports join them from static reports.
pub struct RowContext<'a> {
    pub fix: &'a Fix,
    pub class: AisClass,
    pub identity: &'a Identity,
    pub length_m: f64,
    pub beam_m: f64,
    pub draught_m: f64,
    pub destination: &'a str,
}

/// `MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass`
///
/// As MarineCadastre writes them: time `2023-09-07T06:30:00`, COG 360.0 and
/// heading 511 when not available, IMO as `IMO9161003`, empty when unknown.
pub fn noaa_row(row: &RowContext<'_>, out: &mut Vec<u8>) {
    let fix = row.fix;
    push_int(out, fix.mmsi);
    out.push(b',');
    if let Some(f) = fix.time.utc_fields() {
        push_text(
            out,
            &format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", f.year, f.month, f.day, f.hour, f.minute, f.second),
        );
    }
    out.push(b',');
    push_degrees(out, fix.lat_deg());
    out.push(b',');
    push_degrees(out, fix.lon_deg());
    out.push(b',');
    push_tenths(out, i64::from(fix.sog_knots_e1));
    out.push(b',');
    push_tenths(out, i64::from(fix.cog_deg_e1));
    out.push(b',');
    push_int(out, fix.heading_deg);
    out.push(b',');
    push_csv_text(out, &row.identity.name);
    out.push(b',');
    if let Some(imo) = row.identity.imo.filter(|&imo| imo != 0) {
        out.extend_from_slice(b"IMO");
        push_int(out, imo);
    }
    out.push(b',');
    push_csv_text(out, &row.identity.call_sign);
    out.push(b',');
    push_int(out, row.identity.ship_type);
    out.push(b',');
    push_int(out, fix.nav_status);
    out.push(b',');
    let (to_bow, to_stern, to_port, to_starboard) = dimensions(row.length_m, row.beam_m);
    push_int(out, u32::from(to_bow) + u32::from(to_stern));
    out.push(b',');
    push_int(out, u32::from(to_port) + u32::from(to_starboard));
    out.push(b',');
    if row.draught_m > 0.0 {
        push_tenths(out, (row.draught_m * 10.0).round() as i64);
    }
    out.push(b',');
    // Cargo: the exports leave it empty for most vessels.
    out.push(b',');
    out.push(match row.class {
        AisClass::A => b'A',
        AisClass::B => b'B',
    });
    out.push(b'\n');
}

/// The DMA export's columns. Time `07/09/2023 06:30:00`; text values
/// `Unknown` when not reported; empty numbers when not available.
pub fn dma_row(row: &RowContext<'_>, out: &mut Vec<u8>) {
    let fix = row.fix;
    if let Some(f) = fix.time.utc_fields() {
        push_text(
            out,
            &format!("{:02}/{:02}/{:04} {:02}:{:02}:{:02}", f.day, f.month, f.year, f.hour, f.minute, f.second),
        );
    }
    out.push(b',');
    push_text(out, if row.class == AisClass::A { "Class A" } else { "Class B" });
    out.push(b',');
    push_int(out, fix.mmsi);
    out.push(b',');
    push_degrees(out, fix.lat_deg());
    out.push(b',');
    push_degrees(out, fix.lon_deg());
    out.push(b',');
    push_text(out, if row.class == AisClass::A { dma_nav_status(fix.nav_status) } else { "Unknown value" });
    out.push(b',');
    if fix.rot_raw != -128 && row.class == AisClass::A {
        push_text(out, "0.0");
    }
    out.push(b',');
    push_tenths(out, i64::from(fix.sog_knots_e1));
    out.push(b',');
    if fix.cog_deg_e1 < 3600 {
        push_tenths(out, i64::from(fix.cog_deg_e1));
    }
    out.push(b',');
    if fix.heading_deg < 360 {
        push_int(out, fix.heading_deg);
    }
    out.push(b',');
    match row.identity.imo.filter(|&imo| imo != 0) {
        Some(imo) => push_int(out, imo),
        None => push_text(out, "Unknown"),
    }
    out.push(b',');
    push_csv_text_or_unknown(out, &row.identity.call_sign);
    out.push(b',');
    push_csv_text_or_unknown(out, &row.identity.name);
    out.push(b',');
    push_text(out, dma_ship_type(row.identity.ship_type));
    out.push(b',');
    out.push(b',');
    let (to_bow, to_stern, to_port, to_starboard) = dimensions(row.length_m, row.beam_m);
    push_int(out, u32::from(to_port) + u32::from(to_starboard));
    out.push(b',');
    push_int(out, u32::from(to_bow) + u32::from(to_stern));
    out.push(b',');
    push_text(out, "GPS");
    out.push(b',');
    if row.draught_m > 0.0 {
        push_tenths(out, (row.draught_m * 10.0).round() as i64);
    }
    out.push(b',');
    push_csv_text_or_unknown(out, row.destination);
    out.push(b',');
    // ETA is in the static report; the position row leaves it empty.
    out.push(b',');
    push_text(out, "AIS");
    for value in [to_bow, to_stern, u16::from(to_port), u16::from(to_starboard)] {
        out.push(b',');
        push_int(out, value);
    }
    out.push(b'\n');
}

fn dma_nav_status(code: u8) -> &'static str {
    match code {
        0 => "Under way using engine",
        1 => "At anchor",
        2 => "Not under command",
        3 => "Restricted maneuverability",
        4 => "Constrained by her draught",
        5 => "Moored",
        6 => "Aground",
        7 => "Engaged in fishing",
        8 => "Under way sailing",
        _ => "Unknown value",
    }
}

fn dma_ship_type(code: u8) -> &'static str {
    match code {
        20..=29 => "WIG",
        30 => "Fishing",
        31 | 32 => "Towing",
        33 => "Dredging",
        34 => "Diving",
        35 => "Military",
        36 => "Sailing",
        37 => "Pleasure",
        40..=49 => "HSC",
        50 => "Pilot",
        51 => "SAR",
        52 => "Tug",
        53 => "Port tender",
        54 => "Anti-pollution",
        55 => "Law enforcement",
        58 => "Medical",
        60..=69 => "Passenger",
        70..=79 => "Cargo",
        80..=89 => "Tanker",
        90..=99 => "Other",
        _ => "Undefined",
    }
}

fn push_int(out: &mut Vec<u8>, value: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

fn push_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(text.as_bytes());
}

/// `value / 10` with one decimal, from an integer in tenths.
fn push_tenths(out: &mut Vec<u8>, tenths: i64) {
    if tenths < 0 {
        out.push(b'-');
    }
    let tenths = tenths.unsigned_abs();
    push_int(out, tenths / 10);
    out.push(b'.');
    out.push(b'0' + (tenths % 10) as u8);
}

/// Degrees with six decimals.
fn push_degrees(out: &mut Vec<u8>, degrees: f64) {
    let micro = (degrees * 1e6).round() as i64;
    if micro < 0 {
        out.push(b'-');
    }
    let micro = micro.unsigned_abs();
    push_int(out, micro / 1_000_000);
    out.push(b'.');
    let fraction = micro % 1_000_000;
    let digits = itoa::Buffer::new().format(fraction).len();
    out.extend(std::iter::repeat_n(b'0', 6 - digits));
    push_int(out, fraction);
}

/// A text field, quoted when it holds a comma, quote or line break.
fn push_csv_text(out: &mut Vec<u8>, text: &str) {
    if text.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in text.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        push_text(out, text);
    }
}

fn push_csv_text_or_unknown(out: &mut Vec<u8>, text: &str) {
    if text.is_empty() { push_text(out, "Unknown") } else { push_csv_text(out, text) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_model::Timestamp;

    fn sample() -> (Fix, Identity) {
        let fix = Fix {
            time: Timestamp::parse_lenient("2023-09-07T06:30:05Z").unwrap(),
            mmsi: 273_000_001,
            lat_min_e4: 25_339_980,
            lon_min_e4: -78_180_000,
            sog_knots_e1: 105,
            cog_deg_e1: 3600,
            heading_deg: 511,
            nav_status: 0,
            rot_raw: 0,
        };
        let identity = Identity {
            mmsi: 273_000_001,
            imo: Some(9_161_003),
            name: "LADY, R".into(),
            call_sign: "UBAB7".into(),
            flag: Some("RU".into()),
            ship_type: 70,
        };
        (fix, identity)
    }

    fn row_text(write: fn(&RowContext<'_>, &mut Vec<u8>), draught_m: f64, destination: &str) -> String {
        let (fix, identity) = sample();
        let row = RowContext {
            fix: &fix,
            class: AisClass::A,
            identity: &identity,
            length_m: 120.0,
            beam_m: 17.0,
            draught_m,
            destination,
        };
        let mut out = Vec::new();
        write(&row, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn noaa_rows_have_the_marinecadastre_shape() {
        assert_eq!(
            row_text(noaa_row, 6.5, "DUNAY"),
            "273000001,2023-09-07T06:30:05,42.233300,-130.300000,10.5,360.0,511,\"LADY, R\",IMO9161003,UBAB7,70,0,120,18,6.5,,A\n"
        );
        assert_eq!(NOAA_HEADER.split(',').count(), 17);
    }

    #[test]
    fn dma_rows_have_the_dma_shape() {
        assert_eq!(
            row_text(dma_row, 0.0, ""),
            "07/09/2023 06:30:05,Class A,273000001,42.233300,-130.300000,Under way using engine,0.0,10.5,,,9161003,UBAB7,\"LADY, R\",Cargo,,18,120,GPS,,Unknown,,AIS,96,24,9,9\n"
        );
        assert_eq!(DMA_HEADER.split(',').count(), 26);
    }
}
