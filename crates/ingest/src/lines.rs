//! Splitting a byte stream into lines, in large chunks, with the byte
//! offset where each line ends — what a checkpoint records.

use std::io::{self, Read};

/// The longest line handed on: NMEA sentences are under 100 bytes and the
/// longest tagged or trailed lines a few hundred; anything longer than this
/// is not a sentence, and is cut here so that a file without line breaks
/// cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 1 << 16;

/// Calls `each(line, end_offset)` with every line of `reader` (without its
/// `\n`) and the stream offset just past it, counting from `start_offset`;
/// reads in large chunks. A line longer than [`MAX_LINE_BYTES`] is cut to
/// that length (handed on when its end is reached, so that an offset never
/// falls inside a line). `progress` gets the bytes read since
/// `start_offset`.
pub fn for_each_line<E: From<io::Error>>(
    reader: &mut dyn Read,
    start_offset: u64,
    mut each: impl FnMut(&[u8], u64) -> Result<(), E>,
    mut progress: impl FnMut(u64),
) -> Result<(), E> {
    const CHUNK: usize = 1 << 20;
    let mut buf = vec![0u8; CHUNK];
    let mut filled = 0;
    // Stream offset of buf[0].
    let mut base = start_offset;
    // The kept head of a line being cut, while its rest is skipped.
    let mut cut: Option<Vec<u8>> = None;
    loop {
        let n = match reader.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            let end_offset = base + filled as u64;
            match cut.take() {
                Some(head) => each(&head, end_offset)?,
                None if filled > 0 => each(&buf[..filled], end_offset)?,
                None => {}
            }
            return Ok(());
        }
        let end = filled + n;
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', &buf[filled..end]) {
            let at = filled + newline;
            let end_offset = base + at as u64 + 1;
            match cut.take() {
                Some(head) => each(&head, end_offset)?,
                None => each(&buf[start..at.min(start + MAX_LINE_BYTES)], end_offset)?,
            }
            start = at + 1;
        }
        if cut.is_some() {
            start = end;
        } else if end - start > MAX_LINE_BYTES {
            cut = Some(buf[start..start + MAX_LINE_BYTES].to_vec());
            start = end;
        }
        buf.copy_within(start..end, 0);
        base += start as u64;
        filled = end - start;
        progress(base + filled as u64 - start_offset);
    }
}

/// A line without its `\r`/`\n` ending.
pub fn trim_line_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &[u8], start_offset: u64) -> Vec<(usize, u64)> {
        let mut out = Vec::new();
        for_each_line::<io::Error>(
            &mut &text[..],
            start_offset,
            |l, end| {
                out.push((l.len(), end));
                Ok(())
            },
            |_| {},
        )
        .unwrap();
        out
    }

    #[test]
    fn cuts_overlong_lines_and_goes_on() {
        let long = "x".repeat(3 * (1 << 20));
        let medium = "y".repeat(MAX_LINE_BYTES + 10);
        let text = format!("first\n{long}\nafter\n{medium}\n{long}");
        let got: Vec<usize> = lines_of(text.as_bytes(), 0).into_iter().map(|(n, _)| n).collect();
        assert_eq!(got, [5, MAX_LINE_BYTES, 5, MAX_LINE_BYTES, MAX_LINE_BYTES]);
        // Every line ends where the next starts, cut or not.
        let ends: Vec<u64> = lines_of(text.as_bytes(), 0).into_iter().map(|(_, e)| e).collect();
        let expected_second = 6 + long.len() as u64 + 1;
        assert_eq!(ends[..2], [6, expected_second]);
        assert_eq!(*ends.last().unwrap(), text.len() as u64);
    }

    #[test]
    fn splits_lines_across_chunks_keeps_the_last_unterminated_one_and_counts_offsets() {
        let text = b"a\nbb\r\n\nlast";
        assert_eq!(lines_of(text, 100), [(1, 102), (3, 106), (0, 107), (4, 111)]);
    }
}
