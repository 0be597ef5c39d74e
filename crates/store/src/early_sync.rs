//! Putting a large file being written on disk as it grows, not all at the
//! end.
//!
//! Compaction writes a day's archive (the global day: two files of
//! ~1.15 GB) and syncs it before the catalog takes it. Under the kernel's
//! background threshold (a tenth of memory) nothing of it was written out
//! before that sync, which then kept the disk busy and the process
//! waiting ~0.6 s at the very end of an ingest. Syncing every
//! [`SYNC_EVERY_BYTES`] on a thread of its own (on a second handle to the
//! file, while the writer goes on) leaves the last sync a small remainder.

use std::fs::File;
use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;

/// Bytes written between early syncs.
pub(crate) const SYNC_EVERY_BYTES: u64 = 256 << 20;

/// The early syncs of one file.
pub(crate) struct EarlySync {
    /// A second handle to the file, shared with the sync in flight.
    file: Arc<File>,
    every_bytes: u64,
    /// Bytes written when the last sync began.
    synced_at: u64,
    in_flight: Option<JoinHandle<io::Result<()>>>,
}

impl EarlySync {
    /// For the file `file` is a handle to (duplicated: the caller keeps
    /// writing through its own), synced every `every_bytes` written.
    pub(crate) fn new(file: &File, every_bytes: u64) -> io::Result<EarlySync> {
        Ok(EarlySync { file: Arc::new(file.try_clone()?), every_bytes, synced_at: 0, in_flight: None })
    }

    /// The file has `written` bytes: begins a sync if another
    /// `every_bytes` were written since the last began and it is done.
    pub(crate) fn written(&mut self, written: u64) -> io::Result<()> {
        if written < self.synced_at + self.every_bytes {
            return Ok(());
        }
        if self.in_flight.as_ref().is_some_and(|sync| !sync.is_finished()) {
            return Ok(());
        }
        self.wait()?;
        let file = Arc::clone(&self.file);
        self.synced_at = written;
        self.in_flight = Some(std::thread::spawn(move || file.sync_data()));
        Ok(())
    }

    /// Waits for the sync in flight, if any; its error, if it failed.
    pub(crate) fn wait(&mut self) -> io::Result<()> {
        match self.in_flight.take() {
            Some(sync) => sync.join().unwrap_or_else(|_| Err(io::Error::other("a file sync panicked"))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, SeekFrom, Write};

    #[test]
    fn syncs_as_the_file_grows_and_the_file_is_whole() {
        let mut file = tempfile::tempfile().unwrap();
        let mut early = EarlySync::new(&file, 64 << 10).unwrap();
        let chunk = vec![7u8; 10_000];
        let mut written = 0u64;
        let mut syncs = 0;
        for _ in 0..100 {
            file.write_all(&chunk).unwrap();
            written += chunk.len() as u64;
            let before = early.synced_at;
            early.written(written).unwrap();
            syncs += usize::from(early.synced_at != before);
        }
        early.wait().unwrap();
        assert!(syncs >= 1, "no early sync");
        file.seek(SeekFrom::Start(0)).unwrap();
        let mut back = Vec::new();
        file.read_to_end(&mut back).unwrap();
        assert_eq!(back.len() as u64, written);
        assert!(back.iter().all(|&b| b == 7));
    }
}
