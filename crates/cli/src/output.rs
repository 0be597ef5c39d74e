//! What every verb prints the same way: `--format table|json` on every
//! verb that prints records (`--json`, the older spelling, still means
//! `--format json`), and `-q` for the progress and summaries on standard
//! error (warnings and errors are said all the same).

use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, ValueEnum};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Set once, from `-q`, before the verb runs.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `-q` was given: no progress bars, no summaries.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A line of progress or summary on standard error, unless `-q`.
macro_rules! note {
    ($($arg:tt)*) => {
        if !$crate::output::quiet() {
            eprintln!($($arg)*);
        }
    };
}
pub(crate) use note;

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

/// Records as a table for people: a header, each column as wide as its
/// widest cell (counted in characters, so names in any script line up),
/// numbers right-aligned, no trailing spaces. Rows are kept until written:
/// the verbs that print tables have their records in memory already.
pub struct Table {
    columns: Vec<(&'static str, Align)>,
    rows: Vec<Vec<String>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

impl Table {
    pub fn new(columns: &[(&'static str, Align)]) -> Table {
        Table { columns: columns.to_vec(), rows: Vec::new() }
    }

    /// One row, a cell per column.
    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.columns.len(), "a cell per column");
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let width = |column: usize| {
            let cells = self.rows.iter().map(|row| row[column].chars().count());
            cells.chain([self.columns[column].0.chars().count()]).max().unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.columns.len()).map(width).collect();
        let header: Vec<String> = self.columns.iter().map(|(name, _)| (*name).to_owned()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (column, cell) in row.iter().enumerate() {
                let pad = " ".repeat(widths[column] - cell.chars().count());
                if column > 0 {
                    line.push_str("  ");
                }
                match self.columns[column].1 {
                    Align::Right => {
                        line.push_str(&pad);
                        line.push_str(cell);
                    }
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&pad);
                    }
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_as_wide_as_their_widest_cell_and_numbers_align_right() {
        let mut table = Table::new(&[("KIND", Align::Left), ("N", Align::Right), ("NAME", Align::Left)]);
        table.row(vec!["facility_anomaly".into(), "3".into(), "Najin".into()]);
        table.row(vec!["gap".into(), "12".into(), "Тумэньцзян".into()]);
        let mut out = Vec::new();
        table.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "KIND               N  NAME\n\
             facility_anomaly   3  Najin\n\
             gap               12  Тумэньцзян\n"
        );
    }
}
