//! Query parameters, read strictly: an unknown parameter, a malformed
//! number or time, or a limit above the bound is a 400 naming it — a
//! misspelt filter must not silently return everything.

use std::collections::HashMap;

use tumen_model::Timestamp;

use crate::error::ApiError;
use crate::openapi::Endpoint;

#[derive(Debug)]
pub struct Params {
    values: HashMap<String, String>,
}

/// The most rows one request returns.
pub const MAX_LIMIT: u64 = 10_000;

impl Params {
    /// The query string's parameters, each at most once, all among the
    /// query parameters `endpoint` lists.
    pub fn parse(query: Option<&str>, endpoint: &Endpoint) -> Result<Params, ApiError> {
        Params::parse_among(query, &endpoint.query_names())
    }

    /// The query string's parameters, each at most once, all in `allowed`.
    fn parse_among(query: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let mut values = HashMap::new();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (name, value) = (decode(name)?, decode(value)?);
            if !allowed.contains(&name.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {name:?}; this endpoint takes: {}",
                    allowed.join(", ")
                )));
            }
            if values.insert(name.clone(), value).is_some() {
                return Err(ApiError::bad_request(format!("parameter {name:?} given twice")));
            }
        }
        Ok(Params { values })
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.text(name)
            .map(|v| v.parse::<T>().map_err(|_| ApiError::bad_request(format!("{name}: not a number: {v:?}"))))
            .transpose()
    }

    /// A time: RFC 3339, or a date (its start; its end when `end_of_day`).
    pub fn time(&self, name: &str, end_of_day: bool) -> Result<Option<Timestamp>, ApiError> {
        let Some(text) = self.text(name) else { return Ok(None) };
        let full = if text.len() == 10 {
            format!("{text}{}", if end_of_day { "T23:59:59.999Z" } else { "T00:00:00Z" })
        } else {
            text.to_owned()
        };
        Timestamp::parse_lenient(&full)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(format!("{name}: not a time (RFC 3339 or YYYY-MM-DD): {text:?}")))
    }

    /// `limit`, at most [`MAX_LIMIT`] (the default).
    pub fn limit(&self) -> Result<u64, ApiError> {
        match self.number::<u64>("limit")? {
            None => Ok(MAX_LIMIT),
            Some(n) if n <= MAX_LIMIT => Ok(n),
            Some(n) => Err(ApiError::bad_request(format!("limit {n}: at most {MAX_LIMIT}"))),
        }
    }
}

/// Percent-decoding (and `+` as a space), refusing bad escapes and text
/// that is not UTF-8.
fn decode(text: &str) -> Result<String, ApiError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(byte.ok_or_else(|| ApiError::bad_request(format!("bad escape in {text:?}")))?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ApiError::bad_request(format!("not UTF-8: {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_read_strictly() {
        let p = Params::parse_among(
            Some("kind=port_visit&mmsi=273214860&from=2023-09-07&q=CHON+MA%20SAN"),
            &["kind", "mmsi", "from", "q"],
        )
        .unwrap();
        assert_eq!(p.text("kind"), Some("port_visit"));
        assert_eq!(p.number::<u32>("mmsi").unwrap(), Some(273_214_860));
        assert_eq!(p.text("q"), Some("CHON MA SAN"));
        assert_eq!(p.time("from", false).unwrap().unwrap().to_string(), "2023-09-07T00:00:00Z");
        assert!(Params::parse_among(Some("knd=x"), &["kind"]).unwrap_err().reason.contains("unknown parameter"));
        assert!(Params::parse_among(Some("kind=a&kind=b"), &["kind"]).is_err());
        assert!(Params::parse_among(Some("kind=%zz"), &["kind"]).is_err());
        let p = Params::parse_among(Some("mmsi=1%20OR%201=1&limit=99999"), &["mmsi", "limit"]).unwrap();
        assert!(p.number::<u32>("mmsi").is_err());
        assert!(p.limit().is_err());
    }

    #[test]
    fn an_endpoint_takes_the_query_parameters_its_entry_lists() {
        let events = Params::parse(Some("kind=gap&place=najin&limit=5"), &crate::openapi::EVENTS).unwrap();
        assert_eq!((events.text("kind"), events.limit().unwrap()), (Some("gap"), 5));
        let refused = Params::parse(Some("knd=gap"), &crate::openapi::EVENTS).unwrap_err().reason;
        assert_eq!(refused, "unknown parameter \"knd\"; this endpoint takes: kind, mmsi, place, from, to, limit");
        // A path parameter is not a query parameter.
        let refused = Params::parse(Some("mmsi=273214860"), &crate::openapi::VESSEL).unwrap_err().reason;
        assert!(refused.contains("this endpoint takes: "), "{refused}");
        assert!(Params::parse(None, &crate::openapi::HEALTH).is_ok());
    }
}
