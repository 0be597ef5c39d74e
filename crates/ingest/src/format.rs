//! What a source holds, detected from its first line.

use crate::csv_formats::Dialect;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// NMEA 0183 AIS sentences, with or without tag blocks, USCG trailers,
    /// `$PGHP` lines or logger time prefixes.
    Nmea,
    /// NOAA MarineCadastre CSV (`MMSI,BaseDateTime,LAT,LON,…`).
    NoaaCsv,
    /// Danish Maritime Authority CSV (`# Timestamp,Type of mobile,MMSI,…`).
    DmaCsv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Nmea => "nmea",
            Format::NoaaCsv => "noaa_csv",
            Format::DmaCsv => "dma_csv",
        }
    }

    /// Reads a format name as users write it (`nmea`, `noaa`, `dma`, or the
    /// catalog's names).
    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "nmea" | "aivdm" => Some(Format::Nmea),
            "noaa" | "noaa_csv" | "marinecadastre" => Some(Format::NoaaCsv),
            "dma" | "dma_csv" => Some(Format::DmaCsv),
            _ => None,
        }
    }

    pub fn csv_dialect(self) -> Option<Dialect> {
        match self {
            Format::Nmea => None,
            Format::NoaaCsv => Some(Dialect::Noaa),
            Format::DmaCsv => Some(Dialect::Dma),
        }
    }

    /// The format of a stream that starts with `head` (its first bytes,
    /// decompressed): a CSV header names its dialect; anything else is
    /// read as NMEA, whose reader rejects what is not.
    pub fn detect(head: &[u8]) -> Format {
        let first_line = head
            .split(|&b| b == b'\n')
            .map(|l| l.strip_prefix(b"\xef\xbb\xbf").unwrap_or(l))
            .find(|l| !l.iter().all(u8::is_ascii_whitespace))
            .unwrap_or(b"");
        let normalized: Vec<u8> =
            first_line.iter().filter(|b| !matches!(b, b'"' | b' ' | b'\r')).map(u8::to_ascii_lowercase).collect();
        if normalized.starts_with(b"mmsi,basedatetime,") {
            Format::NoaaCsv
        } else if normalized.starts_with(b"#timestamp,typeofmobile,")
            || normalized.starts_with(b"timestamp,typeofmobile,")
        {
            Format::DmaCsv
        } else {
            Format::Nmea
        }
    }
}

/// Why a stream that starts with `head` (its first bytes, decompressed) is
/// not AIS, if it is not: binary (with the kind when its magic number
/// tells), or text none of whose first lines is an AIS sentence (`VDM` or
/// `VDO`, any talker, with or without tag blocks or prefixes) or `$PGHP`
/// line, and no CSV header Tumen reads. `forced` (the user named the
/// format) lets text through: the reader rejects each line it cannot read.
pub fn not_ais(head: &[u8], forced: bool) -> Option<String> {
    if head.is_empty() {
        return None;
    }
    let magic: [(&[u8], &str); 7] = [
        (b"PAR1", "a Parquet file"),
        (b"PK\x03\x04", "a zip archive (unzip it and ingest what it holds)"),
        (b"%PDF", "a PDF document"),
        (b"SQLite format 3", "an SQLite database"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"BZh", "a bzip2 file (decompress it first: Tumen reads plain and gzip)"),
    ];
    if let Some((_, kind)) = magic.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(format!("not AIS: {kind}"));
    }
    if head.contains(&0) {
        return Some("not AIS: binary content (NUL bytes in its first 64 KB)".into());
    }
    if forced || Format::detect(head) != Format::Nmea {
        return None;
    }
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"VDM,") || has(b"VDO,") || has(b"$PGHP") {
        return None;
    }
    let first_line: String = String::from_utf8_lossy(head)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    Some(format!(
        "not AIS: none of its first {} lines is an AIS sentence (!AIVDM, !AIVDO, any talker) or a NOAA or DMA CSV header; it begins {first_line:?} (--format nmea reads it anyway)",
        head.split(|&b| b == b'\n').count()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_ais_is_told_and_named() {
        assert_eq!(not_ais(b"!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C\n", false), None);
        assert_eq!(
            not_ais(b"\\s:2573345,c:1671580802*05\\!BSVDM,1,1,,B,13u?etPv2;0n:dDPwUM1U1Cb069D,0*3D\n", false),
            None
        );
        assert_eq!(not_ais(b"MMSI,BaseDateTime,LAT,LON\n", false), None);
        assert_eq!(not_ais(b"", false), None, "an empty file is read (and says 0 lines)");
        let readme = not_ais(b"# Tumen\n\nTumen follows suspected illicit shipments.\n", false).unwrap();
        assert!(readme.contains("not AIS") && readme.contains("# Tumen"), "{readme}");
        assert!(not_ais(b"<!DOCTYPE html><html>", false).is_some());
        assert!(not_ais(b"<?xml version=\"1.0\"?><kml>", false).is_some());
        assert!(not_ais(b"PAR1\x15\x04", false).unwrap().contains("Parquet"));
        assert!(not_ais(b"PAR1\x15\x04", true).unwrap().contains("Parquet"), "binary even when forced");
        assert_eq!(not_ais(b"<html>", true), None, "text, when the format is named, is read");
    }

    #[test]
    fn detects_the_csv_dialects_by_header_and_defaults_to_nmea() {
        assert_eq!(Format::detect(b"MMSI,BaseDateTime,LAT,LON,SOG\n1,2"), Format::NoaaCsv);
        assert_eq!(Format::detect(b"\xef\xbb\xbf# Timestamp,Type of mobile,MMSI\n"), Format::DmaCsv);
        assert_eq!(Format::detect(b"\n\"Timestamp\",\"Type of mobile\",MMSI\n"), Format::DmaCsv);
        assert_eq!(Format::detect(b"!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C\n"), Format::Nmea);
        assert_eq!(Format::detect(b""), Format::Nmea);
    }
}
