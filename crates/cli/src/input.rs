//! Opening inputs: files, `-` for standard input, plain or gzip (detected
//! from the content), read in large chunks and split into lines.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result};

/// An input stream and what to call it in messages.
pub struct Input {
    pub name: String,
    pub reader: Box<dyn Read>,
    /// Size on disk when known (for progress).
    pub len: Option<u64>,
}

/// Opens `path` (`-` is standard input), decompressing gzip when the first
/// bytes say so.
pub fn open(path: &str) -> Result<Input> {
    let (name, raw, len): (String, Box<dyn Read>, Option<u64>) = if path == "-" {
        ("stdin".to_owned(), Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(Path::new(path)).with_context(|| format!("cannot open {path}"))?;
        let len = file.metadata().ok().map(|m| m.len());
        (path.to_owned(), Box::new(file), len)
    };
    let mut buffered = BufReader::with_capacity(1 << 16, raw);
    let is_gzip = buffered.fill_buf().with_context(|| format!("cannot read {name}"))?.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn Read> =
        if is_gzip { Box::new(flate2::read::MultiGzDecoder::new(buffered)) } else { Box::new(buffered) };
    Ok(Input { name, reader, len })
}

/// The longest line handed on: NMEA sentences are under 100 bytes and the
/// longest tagged or trailed lines a few hundred; anything longer than this
/// is not a sentence, and is cut here so that a file without line breaks
/// cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 1 << 16;

/// Calls `each` with every line of `reader` (without its `\n`), reading in
/// large chunks; a line longer than [`MAX_LINE_BYTES`] is cut to that length
/// and the rest of it skipped. `progress` gets the number of bytes read.
pub fn for_each_line(
    reader: &mut dyn Read,
    mut each: impl FnMut(&[u8]) -> Result<()>,
    mut progress: impl FnMut(u64),
) -> Result<()> {
    const CHUNK: usize = 1 << 20;
    let mut buf = vec![0u8; CHUNK];
    let mut filled = 0;
    let mut total = 0u64;
    // True while skipping the rest of a line that was cut.
    let mut skipping = false;
    loop {
        let n = match reader.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        total += n as u64;
        if n == 0 {
            if filled > 0 && !skipping {
                each(&buf[..filled])?;
            }
            return Ok(());
        }
        let end = filled + n;
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', &buf[filled..end]) {
            let at = filled + newline;
            if !skipping {
                each(&buf[start..at.min(start + MAX_LINE_BYTES)])?;
            }
            skipping = false;
            start = at + 1;
        }
        if skipping {
            // Still inside a cut line: drop what was read.
            start = end;
        } else if end - start > MAX_LINE_BYTES {
            each(&buf[start..start + MAX_LINE_BYTES])?;
            skipping = true;
            start = end;
        }
        buf.copy_within(start..end, 0);
        filled = end - start;
        progress(total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_overlong_lines_and_goes_on() {
        let long = "x".repeat(3 * (1 << 20));
        let medium = "y".repeat(MAX_LINE_BYTES + 10);
        let text = format!("first\n{long}\nafter\n{medium}\n{long}");
        let mut lines = Vec::new();
        let collect = |l: &[u8]| {
            lines.push(l.len());
            Ok(())
        };
        for_each_line(&mut text.as_bytes(), collect, |_| {}).unwrap();
        assert_eq!(lines, [5, MAX_LINE_BYTES, 5, MAX_LINE_BYTES, MAX_LINE_BYTES]);
    }

    #[test]
    fn splits_lines_across_chunks_and_keeps_the_last_unterminated_one() {
        let text = "a\nbb\r\n\nlast";
        let mut lines = Vec::new();
        let collect = |l: &[u8]| {
            lines.push(String::from_utf8_lossy(l).into_owned());
            Ok(())
        };
        for_each_line(&mut text.as_bytes(), collect, |_| {}).unwrap();
        assert_eq!(lines, ["a", "bb\r", "", "last"]);
    }
}
