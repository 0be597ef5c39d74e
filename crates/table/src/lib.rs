//! Reading the tables other tools publish — watch lists, satellite
//! detections, facility observations — the same careful way: every row
//! with the line it starts on (counted from the bytes: the `csv` crate's
//! own count lags on CRLF files, which many of these are), columns found by
//! name whatever their case and spacing, and every row that cannot be read
//! kept as a [`Skipped`] with its file, line and reason while the rest is
//! read.
//!
//! It knows no format: the readers of each format (in `tumen-screen`,
//! `tumen-fusion`) say which columns mean what.

/// A row that was not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

impl Skipped {
    pub fn new(file: &str, line: u64, reason: impl Into<String>) -> Skipped {
        Skipped { file: file.to_owned(), line, reason: reason.into() }
    }
}

/// Line numbers (1-based) of byte offsets in a text.
pub struct Lines {
    newlines: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines { newlines: text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i).collect() }
    }

    /// The line the byte at `byte` is on (a CSV record's start on a CRLF
    /// file is put at the `\n` ending the line before: it counts as the
    /// line after).
    pub fn of(&self, byte: u64) -> u64 {
        self.newlines.partition_point(|&n| (n as u64) <= byte) as u64 + 1
    }
}

/// A CSV reader over `text` that accepts ragged rows.
pub fn csv_reader(text: &str, has_headers: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(has_headers).flexible(true).from_reader(text.as_bytes())
}

/// The fields of one CSV line (quotes honoured).
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut reader = csv_reader(line, false);
    reader.records().next().and_then(Result::ok).map(|r| r.iter().map(str::to_owned).collect()).unwrap_or_default()
}

/// Every readable record of `reader` with the line it starts on (its byte
/// offset past `base` in the text `lines` counts); records the reader
/// cannot parse are skipped with their line and reason.
pub fn rows(
    reader: &mut csv::Reader<&[u8]>,
    lines: &Lines,
    base: u64,
    file: &str,
    skipped: &mut Vec<Skipped>,
) -> Vec<(u64, csv::StringRecord)> {
    let line_of = |position: Option<&csv::Position>| position.map_or(0, |p| lines.of(base + p.byte()));
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => rows.push((line_of(record.position()), record)),
            Err(e) => skipped.push(Skipped::new(file, line_of(e.position()), e.to_string())),
        }
    }
    rows
}

/// The header of `reader` as columns, or none (skipped, with `line`).
pub fn header(reader: &mut csv::Reader<&[u8]>, line: u64, file: &str, skipped: &mut Vec<Skipped>) -> Option<Columns> {
    match reader.headers() {
        Ok(headers) => Some(Columns::new(headers)),
        Err(e) => {
            skipped.push(Skipped::new(file, line, e.to_string()));
            None
        }
    }
}

/// Header lookups by name, case- and space-insensitive.
pub struct Columns {
    names: Vec<String>,
}

impl Columns {
    pub fn new(headers: &csv::StringRecord) -> Columns {
        Columns {
            names: headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect(),
        }
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The first of `names` the header has.
    pub fn any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|name| self.index(name))
    }

    /// The first column whose name contains `part`.
    pub fn containing(&self, part: &str) -> Option<usize> {
        self.names.iter().position(|n| n.contains(part))
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// A cell of `record` by optional column index, trimmed; empty and OFAC's
/// `-0-` null are none.
pub fn cell(record: &csv::StringRecord, column: Option<usize>) -> Option<&str> {
    let value = column.and_then(|i| record.get(i))?.trim();
    (!value.is_empty() && value != "-0-").then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_hold_on_crlf_files() {
        for text in ["a,b\n1,2\n\"x\ny\",3\n4,5\n", "a,b\r\n1,2\r\n\"x\r\ny\",3\r\n4,5\r\n"] {
            let lines = Lines::new(text);
            let mut skipped = Vec::new();
            let mut reader = csv_reader(text, true);
            let found: Vec<u64> = rows(&mut reader, &lines, 0, "t.csv", &mut skipped).iter().map(|r| r.0).collect();
            assert_eq!(found, [2, 3, 5], "{text:?}");
        }
    }

    #[test]
    fn columns_by_name_and_null_cells() {
        let mut reader = csv_reader("\u{feff}Name , IMO\nX,-0- \n", true);
        let columns = header(&mut reader, 1, "t.csv", &mut Vec::new()).unwrap();
        assert_eq!((columns.index("name"), columns.any(&["mmsi", "imo"])), (Some(0), Some(1)));
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!((cell(&record, Some(0)), cell(&record, Some(1)), cell(&record, None)), (Some("X"), None, None));
    }
}
