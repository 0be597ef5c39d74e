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

#![warn(missing_docs)]

/// A row that was not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file it is in.
    pub file: String,
    /// Its line (1-based).
    pub line: u64,
    /// Why it was not read.
    pub reason: String,
}

impl Skipped {
    /// A row of `file` at `line` not read for `reason`.
    pub fn new(file: &str, line: u64, reason: impl Into<String>) -> Skipped {
        Skipped { file: file.to_owned(), line, reason: reason.into() }
    }
}

/// Line numbers (1-based) of byte offsets in a text.
pub struct Lines {
    newlines: Vec<usize>,
}

impl Lines {
    /// The line index of `text`.
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
fn csv_reader(text: &str, has_headers: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(has_headers).flexible(true).from_reader(text.as_bytes())
}

/// The fields of one CSV line (quotes honoured).
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut reader = csv_reader(line, false);
    reader.records().next().and_then(Result::ok).map(|r| r.iter().map(str::to_owned).collect()).unwrap_or_default()
}

/// A record may run over this many lines (a quoted note with line
/// breaks); one running longer is taken for a quote never closed.
pub const MAX_RECORD_LINES: u64 = 50;

/// The largest cell a row may hold: OFAC's longest remarks run to a few
/// kilobytes; a cell of megabytes is a broken file or an attack on the
/// readers' memory and is refused, not stored.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A CSV text being read: its reader, and the text itself, to read on from
/// after a row that has to be refused.
pub struct Csv<'t> {
    text: &'t str,
    reader: csv::Reader<&'t [u8]>,
}

impl<'t> Csv<'t> {
    /// `text` as CSV, its first record a header or not; ragged rows are
    /// read (the formats' readers judge them).
    pub fn new(text: &'t str, has_headers: bool) -> Csv<'t> {
        Csv { text, reader: csv_reader(text, has_headers) }
    }

    /// The header as columns, or none (skipped, with `line`).
    pub fn header(&mut self, line: u64, file: &str, skipped: &mut Vec<Skipped>) -> Option<Columns> {
        match self.reader.headers() {
            Ok(headers) => Some(Columns::new(headers)),
            Err(e) => {
                skipped.push(Skipped::new(file, line, e.to_string()));
                None
            }
        }
    }

    /// Every readable record with the line it starts on (its byte offset
    /// past `base` in the text `lines` counts); records the reader cannot
    /// parse are skipped with their line and reason.
    ///
    /// A quote that is never closed would make the rest of the file one
    /// field of one row, and a list's later entries vanish without a word.
    /// So a record that runs over several lines and has another number of
    /// columns than the header, runs over more than [`MAX_RECORD_LINES`],
    /// or runs to the end of the file without its quote closing is refused
    /// with the line its quote opened on, and reading goes on from the next
    /// line.
    pub fn rows(
        mut self,
        lines: &Lines,
        base: u64,
        file: &str,
        skipped: &mut Vec<Skipped>,
    ) -> Vec<(u64, csv::StringRecord)> {
        let width =
            if self.reader.has_headers() { self.reader.headers().ok().map(csv::StringRecord::len) } else { None };
        let text = self.text.as_bytes();
        let mut found = Vec::new();
        let mut read = Segment { text, lines, base, width, file };
        let mut resume = read.until_runaway(&mut self.reader, &mut found, skipped);
        while let Some(offset) = resume {
            let rest = &text[offset..];
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(rest);
            read = Segment { text: rest, base: base + offset as u64, ..read };
            resume = read.until_runaway(&mut reader, &mut found, skipped).map(|next| offset + next);
        }
        found
    }
}

/// A stretch of the text read by one reader, from `base` in the file.
#[derive(Clone, Copy)]
struct Segment<'a> {
    text: &'a [u8],
    lines: &'a Lines,
    base: u64,
    width: Option<usize>,
    file: &'a str,
}

impl Segment<'_> {
    /// Reads records into `found` until one looks like an unclosed quote;
    /// then the offset in the segment to read on from (the line after the
    /// one the quote opened on), or none at the end.
    fn until_runaway(
        &self,
        reader: &mut csv::Reader<&[u8]>,
        found: &mut Vec<(u64, csv::StringRecord)>,
        skipped: &mut Vec<Skipped>,
    ) -> Option<usize> {
        let line_of = |byte: u64| self.lines.of(self.base + byte);
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {
                    let start = record.position().map_or(0, csv::Position::byte);
                    let end = reader.position().byte();
                    // The record's last line: the one its final byte is on,
                    // not counting the line break that ends it.
                    let mut final_byte = end.saturating_sub(1).max(start);
                    while final_byte > start && matches!(self.text.get(final_byte as usize), Some(b'\n' | b'\r')) {
                        final_byte -= 1;
                    }
                    let (first, last) = (line_of(start), line_of(final_byte));
                    let spans = last - first + 1;
                    let unclosed_at_end =
                        end as usize >= self.text.len() && !self.text.trim_ascii_end().ends_with(b"\"");
                    let runaway = spans > MAX_RECORD_LINES
                        || (spans > 1 && (self.width.is_some_and(|w| record.len() != w) || unclosed_at_end));
                    if runaway {
                        skipped.push(Skipped::new(
                            self.file,
                            first,
                            format!(
                                "a quote opened on line {first} is not closed where the row should end (it runs to line {last}): the row is refused and reading goes on at line {}",
                                first + 1
                            ),
                        ));
                        let start = start as usize;
                        return self.text[start..].iter().position(|&b| b == b'\n').map(|i| start + i + 1);
                    }
                    if let Some((column, field)) = record.iter().enumerate().find(|(_, f)| f.len() > MAX_FIELD_BYTES) {
                        skipped.push(Skipped::new(
                            self.file,
                            first,
                            format!(
                                "field {} holds {} bytes, over the {} a table's cell may (the row is refused)",
                                column + 1,
                                field.len(),
                                MAX_FIELD_BYTES
                            ),
                        ));
                        continue;
                    }
                    found.push((first, record.clone()));
                }
                Err(e) => {
                    skipped.push(Skipped::new(self.file, e.position().map_or(0, |p| line_of(p.byte())), e.to_string()))
                }
            }
        }
    }
}

/// Header lookups by name, case- and space-insensitive.
pub struct Columns {
    names: Vec<String>,
}

impl Columns {
    /// The columns of a header row (names trimmed and lower-cased).
    pub fn new(headers: &csv::StringRecord) -> Columns {
        Columns {
            names: headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect(),
        }
    }

    /// The column named `name` (lower case).
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

    /// The header's names, as looked up.
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
            let found: Vec<u64> =
                Csv::new(text, true).rows(&lines, 0, "t.csv", &mut skipped).iter().map(|r| r.0).collect();
            assert_eq!(found, [2, 3, 5], "{text:?}");
        }
    }

    #[test]
    fn an_unclosed_quote_refuses_its_row_and_no_other() {
        // The quote on line 3 never closes: without the rule, lines 3–6
        // would be one field of one row.
        let text = "name,imo,note\nA,1,x\n\"B,2,y\nC,3,z\nD,4,w\nE,5,v\n";
        let mut skipped = Vec::new();
        let found = Csv::new(text, true).rows(&Lines::new(text), 0, "list.csv", &mut skipped);
        let names: Vec<(u64, &str)> = found.iter().map(|(l, r)| (*l, r.get(0).unwrap())).collect();
        assert_eq!(names, [(2, "A"), (4, "C"), (5, "D"), (6, "E")]);
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert_eq!(skipped[0].line, 3);
        assert!(skipped[0].reason.contains("quote opened on line 3"), "{}", skipped[0].reason);
        // In the last column the row keeps its width: caught by running to
        // the end of the file unclosed.
        let text = "name,note\nA,x\nB,\"y\nC,z\nD,w\n";
        let mut skipped = Vec::new();
        let found = Csv::new(text, true).rows(&Lines::new(text), 0, "list.csv", &mut skipped);
        let names: Vec<&str> = found.iter().map(|(_, r)| r.get(0).unwrap()).collect();
        assert_eq!(names, ["A", "C", "D"]);
        assert_eq!(skipped.iter().map(|s| s.line).collect::<Vec<_>>(), [3]);
        // Without a header, a quote running past MAX_RECORD_LINES.
        let mut text = String::from("\"A,1\n");
        for i in 0..60 {
            text.push_str(&format!("R{i},2\n"));
        }
        text.push_str("Z,\"closed at last\"\n");
        let mut skipped = Vec::new();
        let found = Csv::new(&text, false).rows(&Lines::new(&text), 0, "ofac.csv", &mut skipped);
        assert_eq!(found.len(), 61, "the 61 rows after the stray quote are read: {skipped:?}");
        assert_eq!(skipped.iter().map(|s| s.line).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_cell_too_large_refuses_its_row() {
        let text = format!("name,note\nA,x\nB,{}\nC,y\n", "z".repeat(MAX_FIELD_BYTES + 1));
        let mut skipped = Vec::new();
        let found = Csv::new(&text, true).rows(&Lines::new(&text), 0, "list.csv", &mut skipped);
        assert_eq!(found.iter().map(|(_, r)| r.get(0).unwrap()).collect::<Vec<_>>(), ["A", "C"]);
        assert_eq!((skipped[0].line, skipped[0].reason.contains("field 2 holds 65537 bytes")), (3, true));
    }

    #[test]
    fn a_quoted_note_over_lines_is_one_row() {
        let text = "name,note\nA,\"first line\nsecond line\"\nB,x\n";
        let mut skipped = Vec::new();
        let found = Csv::new(text, true).rows(&Lines::new(text), 0, "list.csv", &mut skipped);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1.get(1), Some("first line\nsecond line"));
        assert_eq!(found[1].0, 4);
    }

    #[test]
    fn columns_by_name_and_null_cells() {
        let text = "\u{feff}Name , IMO\nX,-0- \n";
        let mut csv = Csv::new(text, true);
        let columns = csv.header(1, "t.csv", &mut Vec::new()).unwrap();
        assert_eq!((columns.index("name"), columns.any(&["mmsi", "imo"])), (Some(0), Some(1)));
        let record = csv.rows(&Lines::new(text), 0, "t.csv", &mut Vec::new()).remove(0).1;
        assert_eq!((cell(&record, Some(0)), cell(&record, Some(1)), cell(&record, None)), (Some("X"), None, None));
    }
}
