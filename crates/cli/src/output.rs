//! `--format table|json`, the same on every verb that prints records
//! (`--json`, the older spelling, still means `--format json`).

use clap::{Args, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people.
    Table,
    /// JSON lines, one record each.
    Json,
}

#[derive(Args)]
pub struct FormatArgs {
    /// A table for people, or JSON lines for programs.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// The same as `--format json`.
    #[arg(long, hide = true)]
    json: bool,
}

impl FormatArgs {
    pub fn json(&self) -> bool {
        self.json || self.format == Format::Json
    }
}
