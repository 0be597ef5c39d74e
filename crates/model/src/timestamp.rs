//! UTC instants with millisecond resolution.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};

/// A UTC instant: milliseconds since 1970-01-01T00:00:00Z.
///
/// Every time in Tumen is one of these. Receiver times from tag blocks
/// (`c:`), USCG trailers, Gatehouse `$PGHP` lines and CSV columns all become a
/// `Timestamp`; printing uses RFC 3339 with millisecond precision when the
/// instant has a fraction of a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

/// Smallest and largest instants that print as four-digit years
/// (0000-01-01 and 9999-12-31T23:59:59.999Z); parsing and the unit-guessing
/// constructors refuse anything outside.
const MIN_MS: i64 = -62_167_219_200_000;
const MAX_MS: i64 = 253_402_300_799_999;

impl Timestamp {
    /// The earliest instant that prints (0000-01-01T00:00:00Z): the open
    /// start of a range.
    pub const EARLIEST: Timestamp = Timestamp(MIN_MS);
    /// The latest instant that prints (9999-12-31T23:59:59.999Z): the open
    /// end of a range.
    pub const LATEST: Timestamp = Timestamp(MAX_MS);

    /// The instant `ms` milliseconds after the Unix epoch.
    pub const fn from_unix_ms(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    /// The instant `seconds` after the Unix epoch; `None` if it overflows.
    pub const fn from_unix_seconds(seconds: i64) -> Option<Timestamp> {
        match seconds.checked_mul(1000) {
            Some(ms) => Some(Timestamp(ms)),
            None => None,
        }
    }

    /// Reads a Unix time whose unit is not stated, as NMEA tag blocks' `c:`
    /// field is "seconds or milliseconds": values of 10^11 and above are taken
    /// as milliseconds (10^11 seconds is the year 5138; 10^11 ms is 1973).
    pub fn from_unix_seconds_or_ms(value: i64) -> Option<Timestamp> {
        const MS_THRESHOLD: i64 = 100_000_000_000;
        let ms = if value.abs() >= MS_THRESHOLD { value } else { value * 1000 };
        (MIN_MS..=MAX_MS).contains(&ms).then_some(Timestamp(ms))
    }

    /// Reads fractional Unix seconds (`1085889680.25`), as USCG trailers and
    /// some loggers write them; rounds to the nearest millisecond.
    pub fn from_unix_seconds_f64(seconds: f64) -> Option<Timestamp> {
        let ms = (seconds * 1000.0).round();
        if !ms.is_finite() || ms < MIN_MS as f64 || ms > MAX_MS as f64 {
            return None;
        }
        Some(Timestamp(ms as i64))
    }

    /// The current time from the system clock — for when data arrive
    /// (live feeds) and when things were done, never for when they happened.
    pub fn now() -> Timestamp {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Timestamp(since_epoch.as_millis().min(MAX_MS as u128) as i64)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_ms(self) -> i64 {
        self.0
    }

    /// Whole seconds since the Unix epoch (rounded toward negative infinity).
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// The instant `delta_ms` later (earlier when negative), saturating.
    pub const fn plus_ms(self, delta_ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(delta_ms))
    }

    /// Milliseconds from `earlier` to `self` (negative if `earlier` is later).
    pub const fn ms_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Builds an instant from calendar fields, as Gatehouse `$PGHP` lines and
    /// AIS type 4 reports carry them. `None` if any field is out of range.
    pub fn from_utc_fields(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        millisecond: u32,
    ) -> Option<Timestamp> {
        use chrono::{NaiveDate, NaiveTime};
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        let time = NaiveTime::from_hms_milli_opt(hour, minute, second, millisecond)?;
        let ms = date.and_time(time).and_utc().timestamp_millis();
        (MIN_MS..=MAX_MS).contains(&ms).then_some(Timestamp(ms))
    }

    /// Reads the time formats loggers and exports write, all taken as UTC
    /// unless they say otherwise: RFC 3339 (`2023-09-07T06:10:00Z`, any
    /// offset), the same without a zone and with `T` or a space
    /// (`2023-09-07 06:10:00.123`), and Unix time in seconds or
    /// milliseconds, with or without a fraction (`1694067000`,
    /// `1694067000.25`). `None` for anything else.
    pub fn parse_lenient(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        if let Ok(t) = text.parse::<Timestamp>() {
            return Some(t);
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return match text.parse::<i64>() {
                Ok(n) => Timestamp::from_unix_seconds_or_ms(n),
                Err(_) => Timestamp::from_unix_seconds_f64(text.parse().ok()?),
            };
        }
        let naive = text.strip_suffix('Z').unwrap_or(text);
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(naive, format) {
                let ms = dt.and_utc().timestamp_millis();
                return (MIN_MS..=MAX_MS).contains(&ms).then_some(Timestamp(ms));
            }
        }
        None
    }

    /// The calendar fields of this instant in UTC; `None` outside the
    /// years 0000–9999.
    pub fn utc_fields(self) -> Option<UtcFields> {
        use chrono::{Datelike, Timelike};
        let dt = self.to_datetime().filter(|_| (MIN_MS..=MAX_MS).contains(&self.0))?;
        Some(UtcFields {
            year: dt.year(),
            month: dt.month(),
            day: dt.day(),
            hour: dt.hour(),
            minute: dt.minute(),
            second: dt.second(),
            millisecond: dt.timestamp_subsec_millis(),
        })
    }

    fn to_datetime(self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.0)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC: `2023-09-07T06:30:00Z`, or with milliseconds
    /// (`…:00.250Z`) when the instant has a fraction of a second.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_datetime() {
            Some(dt) => {
                let format = if self.0.rem_euclid(1000) == 0 { SecondsFormat::Secs } else { SecondsFormat::Millis };
                f.write_str(&dt.to_rfc3339_opts(format, true))
            }
            None => write!(f, "{}ms", self.0),
        }
    }
}

/// Calendar fields of a [`Timestamp`] in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcFields {
    /// The year (four digits).
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
    /// 0–23.
    pub hour: u32,
    /// 0–59.
    pub minute: u32,
    /// 0–59 (no leap seconds).
    pub second: u32,
    /// 0–999.
    pub millisecond: u32,
}

/// Why a text could not be read as a [`Timestamp`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimestampError {
    text: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 time: {:?}", self.text)
    }
}

impl std::error::Error for TimestampError {}

impl FromStr for Timestamp {
    type Err = TimestampError;

    /// Parses RFC 3339 (`2023-09-07T06:30:00Z`, any offset, any fraction).
    fn from_str(text: &str) -> Result<Timestamp, TimestampError> {
        let error = || TimestampError { text: text.to_owned() };
        let dt = DateTime::parse_from_rfc3339(text).map_err(|_| error())?;
        let ms = dt.timestamp_millis();
        if (MIN_MS..=MAX_MS).contains(&ms) { Ok(Timestamp(ms)) } else { Err(error()) }
    }
}

/// Written and read as RFC 3339 text, as everywhere at Tumen's edges.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prints_rfc3339_with_millis_only_when_needed() {
        assert_eq!(Timestamp::from_unix_ms(1_694_068_200_000).to_string(), "2023-09-07T06:30:00Z");
        assert_eq!(Timestamp::from_unix_ms(1_694_068_200_250).to_string(), "2023-09-07T06:30:00.250Z");
        assert_eq!(Timestamp::from_unix_ms(-1).to_string(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn calendar_fields_round_trip() {
        let t = Timestamp::from_unix_ms(1_694_068_200_250);
        let f = t.utc_fields().unwrap();
        assert_eq!((f.year, f.month, f.day, f.hour, f.minute, f.second, f.millisecond), (2023, 9, 7, 6, 30, 0, 250));
        let back = Timestamp::from_utc_fields(f.year, f.month, f.day, f.hour, f.minute, f.second, f.millisecond);
        assert_eq!(back, Some(t));
        assert_eq!(Timestamp::from_unix_ms(i64::MAX).utc_fields(), None);
    }

    #[test]
    fn tag_block_unit_guess() {
        // Seconds, as most feeds write `c:`.
        assert_eq!(Timestamp::from_unix_seconds_or_ms(1_241_544_035).unwrap().unix_ms(), 1_241_544_035_000);
        // Milliseconds, as some feeds do.
        assert_eq!(Timestamp::from_unix_seconds_or_ms(1_241_544_035_123).unwrap().unix_ms(), 1_241_544_035_123);
        assert_eq!(Timestamp::from_unix_seconds_or_ms(i64::MAX), None);
    }

    #[test]
    fn calendar_fields() {
        let t = Timestamp::from_utc_fields(2014, 4, 10, 13, 30, 29, 165).unwrap();
        assert_eq!(t.to_string(), "2014-04-10T13:30:29.165Z");
        assert_eq!(Timestamp::from_utc_fields(2014, 2, 30, 0, 0, 0, 0), None);
        assert_eq!(Timestamp::from_utc_fields(2014, 1, 1, 24, 0, 0, 0), None);
    }

    #[test]
    fn lenient_formats() {
        let t = Timestamp::from_unix_ms(1_694_067_000_000);
        for text in [
            "2023-09-07T06:10:00Z",
            "2023-09-07T08:10:00+02:00",
            "2023-09-07 06:10:00",
            "2023-09-07T06:10:00",
            "1694067000",
            "1694067000000",
            " 1694067000.0 ",
        ] {
            assert_eq!(Timestamp::parse_lenient(text), Some(t), "{text}");
        }
        assert_eq!(Timestamp::parse_lenient("2023-09-07 06:10:00.123"), Some(t.plus_ms(123)));
        assert_eq!(Timestamp::parse_lenient("1694067000.25"), Some(t.plus_ms(250)));
        for text in ["", "COM1:", "yesterday", "2023-13-07 06:10:00", "12:00:00"] {
            assert_eq!(Timestamp::parse_lenient(text), None, "{text}");
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!("yesterday".parse::<Timestamp>().is_err());
        assert!("2023-09-07 06:30".parse::<Timestamp>().is_err());
    }

    proptest! {
        #[test]
        fn rfc3339_round_trips(ms in MIN_MS..=MAX_MS) {
            let t = Timestamp::from_unix_ms(ms);
            prop_assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
        }
    }
}
