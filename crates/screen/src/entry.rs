//! One watch-list entry: a vessel as a list describes it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchEntry {
    /// The list it belongs to (`ofac-sdn`, `un-1718`, `eu`, `uk`,
    /// `opensanctions`, or the name given at import).
    pub list: String,
    /// Stable within the list across versions (OFAC's entity number, the
    /// UK's unique id, OpenSanctions' id; the IMO number, else the name,
    /// for lists without ids): what a re-import compares.
    pub id: String,
    /// The name the list gives first.
    pub name: String,
    /// Other names it is known by (aka).
    pub aliases: Vec<String>,
    /// Names it was known by before (fka, "formerly", names in
    /// parentheses, OpenSanctions' `previousName`).
    pub former_names: Vec<String>,
    /// IMO numbers as written (digits only; a list may give several).
    pub imos: Vec<String>,
    pub mmsis: Vec<String>,
    pub call_signs: Vec<String>,
    /// Current flags as written (country names or codes).
    pub flags: Vec<String>,
    pub former_flags: Vec<String>,
    /// Sanctions programs or regimes.
    pub programs: Vec<String>,
    /// Designation date as written.
    pub designated: Option<String>,
    pub vessel_type: Option<String>,
    pub owners: Vec<String>,
    /// The line of the list file the entry starts on (1-based).
    pub line: u64,
    /// The dataset's source id of that file (list files are registered as
    /// sources at import, like AIS files, so a hit cites the list line as
    /// a record of its own); 0 when not registered.
    #[serde(default)]
    pub source_id: u32,
    /// When that source was registered (ms since the Unix epoch): the
    /// list as of then.
    #[serde(default)]
    pub imported_unix_ms: i64,
    /// The list's own remarks, kept whole.
    pub remarks: String,
}

impl WatchEntry {
    /// Every name of the entry: the name, aliases and former names.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .chain(self.former_names.iter().map(String::as_str))
    }

    /// Appends `value` to `values` unless empty or already there.
    pub(crate) fn push_unique(values: &mut Vec<String>, value: &str) {
        let value = value.trim();
        if !value.is_empty() && !values.iter().any(|v| v == value) {
            values.push(value.to_owned());
        }
    }
}
