//! Opening inputs: files, `-` for standard input, plain or gzip (detected
//! from the content), read in large chunks and split into lines.

use std::fs::File;
use std::io::{self, Read};
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
    let (name, raw, len): (String, Box<dyn Read + Send>, Option<u64>) = if path == "-" {
        ("stdin".to_owned(), Box::new(io::stdin()), None)
    } else {
        let file = File::open(Path::new(path)).with_context(|| format!("cannot open {path}"))?;
        let len = file.metadata().ok().map(|m| m.len());
        (path.to_owned(), Box::new(file), len)
    };
    let reader = tumen_ingest::stream::decompress_if_gzip(raw).with_context(|| format!("cannot read {name}"))?;
    Ok(Input { name, reader, len })
}
