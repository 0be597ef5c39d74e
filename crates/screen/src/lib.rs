//! Watch lists and screening. Readers turn each list's published format
//! into [`WatchEntry`] values — every name (current, former, alias), IMO
//! number, MMSI, call sign and flag an entry gives, with its list, program,
//! designation date and source line — and the matching ladder scores the
//! identities vessels broadcast against them.
//!
//! Formats and their quirks: `../shared/FACTS.md` §4 and `docs/lists.md`.

pub mod conflicts;
pub mod entry;
pub mod matching;
pub mod normalize;
pub mod read;
pub mod screening;
pub mod text;

pub use conflicts::identity_conflicts;
pub use entry::WatchEntry;
pub use matching::{Agreement, Hit, Identity, Screen, Thresholds};
pub use read::{ListFormat, ListRead, ReadError, read_lists};
pub use screening::watchlist_hits;
