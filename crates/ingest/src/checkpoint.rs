//! Where an interrupted source resumes: stored in the catalog with each
//! batch, in the same transaction as the batch's rows.

use serde::{Deserialize, Serialize};

use crate::batch::Counts;

const VERSION: u32 = 1;

/// The state after a batch. Batches end only where the reader holds no
/// state that spans lines (no half-assembled message), so the offset and
/// the counts are all a resumed run needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub version: u32,
    /// Offset in the (decompressed) stream of the first line not yet
    /// ingested.
    pub offset: u64,
    pub counts: Counts,
    /// A CSV source's header line, which a resumed reader needs.
    pub csv_header: Option<String>,
    /// The source was read to its end.
    pub done: bool,
}

impl Checkpoint {
    pub fn new(offset: u64, counts: Counts, csv_header: Option<String>, done: bool) -> Checkpoint {
        Checkpoint { version: VERSION, offset, counts, csv_header, done }
    }

    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a checkpoint serializes")
    }

    /// `None` for a blob this version cannot read (the source then starts
    /// over — see the caller).
    pub fn decode(blob: &[u8]) -> Option<Checkpoint> {
        serde_json::from_slice::<Checkpoint>(blob).ok().filter(|c| c.version == VERSION)
    }
}
