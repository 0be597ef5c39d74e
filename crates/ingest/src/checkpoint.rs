//! Where an interrupted source resumes: stored in the catalog with each
//! batch, in the same transaction as the batch's rows.

use serde::{Deserialize, Serialize};

use crate::batch::Counts;

pub const VERSION: u32 = 1;

/// The state after a batch. Batches end only where the reader holds no
/// state that spans lines (no half-assembled message).
///
/// Identity fields reach the registry less often than positions reach the
/// archive (one registry row per vessel, field, value and day is updated
/// by every batch that repeats it, so committing them every batch would
/// cost more than the positions do). The checkpoint therefore has two
/// cursors: positions, counts and rejects are committed up to `offset`,
/// identity fields up to `statics_offset`; a resumed run reads from
/// `statics_offset`, keeping only identity fields until it reaches
/// `offset`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub version: u32,
    /// Offset in the (decompressed) stream of the first line whose
    /// positions are not yet committed.
    pub offset: u64,
    pub counts: Counts,
    /// Offset of the first line whose identity fields are not yet
    /// committed, and how many lines come before it.
    pub statics_offset: u64,
    pub statics_lines: u64,
    /// A CSV source's header line, which a resumed reader needs.
    pub csv_header: Option<String>,
    /// The source was read to its end.
    pub done: bool,
    /// The file's bytes read so far (as stored, before decompression) and
    /// their hash, when the file is hashed as it is read: what a resumed
    /// run checks a file against before taking it for this source.
    #[serde(default)]
    pub hashed: Option<HashedPrefix>,
}

/// The first `bytes` bytes of a file and their xxh3-128, as 32 hex digits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashedPrefix {
    pub bytes: u64,
    pub xxh3_128: String,
}

impl Checkpoint {
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a checkpoint serializes")
    }

    /// `None` for a blob this version cannot read.
    pub fn decode(blob: &[u8]) -> Option<Checkpoint> {
        serde_json::from_slice::<Checkpoint>(blob).ok().filter(|c| c.version == VERSION)
    }
}
