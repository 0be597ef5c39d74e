//! Checked values of the scenario file. Each type validates itself while the
//! file is read, so a bad value is reported with its line and column by the
//! TOML reader.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer};
use tumen_model::{LatLon, Timestamp};

/// An instant: a TOML date-time (`2023-09-07T06:00:00Z`; without an offset
/// it is UTC), a date (`2023-09-07`, midnight UTC), or the same as a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(pub Timestamp);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Datetime(toml::value::Datetime),
            Text(String),
        }
        let text = match Repr::deserialize(deserializer)? {
            Repr::Datetime(datetime) => datetime.to_string(),
            Repr::Text(text) => text,
        };
        parse_time(&text).map(Time).ok_or_else(|| {
            de::Error::custom(format!(
                "`{text}` is not a time: write `2023-09-07T06:00:00Z` (UTC) or `2023-09-07` (midnight UTC)"
            ))
        })
    }
}

fn parse_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') {
        return Timestamp::parse_lenient(&format!("{text}T00:00:00Z"));
    }
    // Plain numbers are not times here: a scenario says what it means.
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Timestamp::parse_lenient(text)
}

/// A position written `[lat, lon]` in decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point(pub LatLon);

impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let [lat, lon] = <[f64; 2]>::deserialize(deserializer)
            .map_err(|_| de::Error::custom("a position is written `[lat, lon]` in decimal degrees"))?;
        LatLon::new(lat, lon).map(Point).ok_or_else(|| {
            de::Error::custom(format!(
                "[{lat}, {lon}] is not a position: latitude must be in [-90, 90] and longitude in [-180, 180] \
                 (positions are written [lat, lon])"
            ))
        })
    }
}

/// Where something is: a place id (`"najin"`) or a position (`[42.2, 130.3]`).
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Place(String),
    Point(LatLon),
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Place(String),
            Point([f64; 2]),
        }
        match Repr::deserialize(deserializer)
            .map_err(|_| de::Error::custom("expected a place id (a string) or a position `[lat, lon]`"))?
        {
            Repr::Place(id) => Ok(Target::Place(id)),
            Repr::Point([lat, lon]) => LatLon::new(lat, lon)
                .map(Target::Point)
                .ok_or_else(|| de::Error::custom(format!("[{lat}, {lon}] is not a position [lat, lon] in range"))),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Place(id) => write!(f, "\"{id}\""),
            Target::Point(p) => write!(f, "[{}, {}]", p.lat_deg, p.lon_deg),
        }
    }
}

/// A number checked against a range while reading; `NAME` names the
/// quantity in the error.
macro_rules! checked_number {
    ($(#[$doc:meta])* $name:ident, $check:expr, $expected:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
        pub struct $name(pub f64);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = f64::deserialize(deserializer)?;
                let check: fn(f64) -> bool = $check;
                if value.is_finite() && check(value) {
                    Ok($name(value))
                } else {
                    Err(de::Error::custom(format!(concat!("{} is out of range: expected ", $expected), value)))
                }
            }
        }
    };
}

checked_number!(
    /// A probability or share in [0, 1].
    Probability,
    |v| (0.0..=1.0).contains(&v),
    "a probability in [0, 1]"
);
checked_number!(
    /// A quantity ≥ 0.
    NonNegative,
    |v| v >= 0.0,
    "a number ≥ 0"
);
checked_number!(
    /// A quantity > 0.
    Positive,
    |v| v > 0.0,
    "a number > 0"
);

/// A range written `[low, high]` (drawn uniformly) or a single number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub low: f64,
    pub high: f64,
}

impl Range {
    #[cfg(test)]
    pub const fn fixed(value: f64) -> Range {
        Range { low: value, high: value }
    }
}

impl<'de> Deserialize<'de> for Range {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            One(f64),
            Two([f64; 2]),
        }
        let (low, high) = match Repr::deserialize(deserializer)
            .map_err(|_| de::Error::custom("expected a number or a range `[low, high]`"))?
        {
            Repr::One(v) => (v, v),
            Repr::Two([low, high]) => (low, high),
        };
        if !(low.is_finite() && high.is_finite() && low >= 0.0 && low <= high) {
            return Err(de::Error::custom(format!("[{low}, {high}] is not a range: expected 0 ≤ low ≤ high")));
        }
        Ok(Range { low, high })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Probe {
        t: Option<Time>,
        p: Option<Point>,
        target: Option<Target>,
        share: Option<Probability>,
        range: Option<Range>,
    }

    fn read(text: &str) -> Result<Probe, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn times_in_every_written_form() {
        let expect = Timestamp::parse_lenient("2023-09-07T06:00:00Z").unwrap();
        for text in ["t = 2023-09-07T06:00:00Z", "t = \"2023-09-07T06:00:00Z\"", "t = 2023-09-07T06:00:00"] {
            assert_eq!(read(text).unwrap().t, Some(Time(expect)), "{text}");
        }
        let midnight = Timestamp::parse_lenient("2023-09-07T00:00:00Z").unwrap();
        assert_eq!(read("t = 2023-09-07").unwrap().t, Some(Time(midnight)));
        assert_eq!(read("t = \"2023-09-07\"").unwrap().t, Some(Time(midnight)));
        let error = read("x = 1\nt = \"yesterday\"").unwrap_err();
        assert!(error.contains("line 2") && error.contains("not a time"), "{error}");
    }

    #[test]
    fn positions_are_lat_lon_in_range() {
        assert_eq!(read("p = [42.2, 130.3]").unwrap().p.unwrap().0, LatLon { lat_deg: 42.2, lon_deg: 130.3 });
        let error = read("p = [130.3, 42.2]").unwrap_err();
        assert!(error.contains("not a position") && error.contains("line 1"), "{error}");
        assert!(read("p = [1.0]").is_err());
        assert_eq!(read("target = \"najin\"").unwrap().target, Some(Target::Place("najin".into())));
        assert!(matches!(read("target = [1, 2]").unwrap().target, Some(Target::Point(_))));
    }

    #[test]
    fn numbers_are_checked() {
        assert_eq!(read("share = 0.5").unwrap().share, Some(Probability(0.5)));
        assert!(read("share = 1.5").unwrap_err().contains("probability"));
        assert_eq!(read("range = [2, 3]").unwrap().range, Some(Range { low: 2.0, high: 3.0 }));
        assert_eq!(read("range = 4").unwrap().range, Some(Range::fixed(4.0)));
        assert!(read("range = [3, 2]").unwrap_err().contains("not a range"));
    }
}
