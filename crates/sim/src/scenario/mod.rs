//! Scenario files: reading (TOML, every key documented in `format.rs` and
//! `docs/scenarios.md`), checking, and compiling into a [`World`].
//!
//! Every error names the file and line: a bad value by the TOML reader's
//! own position, a bad reference (an unknown place, a vessel that cannot
//! reach its meeting in time) by the line of the table or step that holds
//! it.

mod compile;
pub mod format;
mod itinerary;
pub mod values;

use std::fmt;

use crate::world::World;

/// A scenario that could not be read or does not hold together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: String,
    /// 1-based line, when the error has one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// Reads and compiles a scenario. `file` names it in errors; `seed`
/// overrides the scenario's own.
pub fn load(text: &str, file: &str, seed: Option<u64>) -> Result<World, ScenarioError> {
    let parsed: format::ScenarioFile = toml::from_str(text).map_err(|e| ScenarioError {
        file: file.to_owned(),
        line: e.span().map(|span| line_of(text, span.start)),
        message: e.message().trim().to_owned(),
    })?;
    compile::compile(parsed, text, file, seed)
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// FNV-1a: a stable hash for deriving fixed per-object values (berths,
/// drift directions) from ids, identical on every platform and version.
pub(crate) fn stable_hash(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A fraction in [0, 1) from a stable hash.
pub(crate) fn stable_fraction(parts: &[&str]) -> f64 {
    (stable_hash(parts) >> 11) as f64 / (1u64 << 53) as f64
}
