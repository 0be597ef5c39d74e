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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_csv_dialects_by_header_and_defaults_to_nmea() {
        assert_eq!(Format::detect(b"MMSI,BaseDateTime,LAT,LON,SOG\n1,2"), Format::NoaaCsv);
        assert_eq!(Format::detect(b"\xef\xbb\xbf# Timestamp,Type of mobile,MMSI\n"), Format::DmaCsv);
        assert_eq!(Format::detect(b"\n\"Timestamp\",\"Type of mobile\",MMSI\n"), Format::DmaCsv);
        assert_eq!(Format::detect(b"!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C\n"), Format::Nmea);
        assert_eq!(Format::detect(b""), Format::Nmea);
    }
}
