//! What Tumen's tests share (a dev-dependency only): the team's shared
//! corpora — real AIS, gpsd's regression corpus, the benchmark sentences —
//! which live beside the checkout, never in it.

#![warn(missing_docs)]

use std::io::Write;
use std::path::PathBuf;

/// The shared corpora directory (`../shared` beside the checkout, or
/// `$TUMEN_SHARED_DIR`), or `None` after saying on standard error that
/// `test` is skipped.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("TUMEN_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    if dir.join("corpora").is_dir() {
        return Some(dir);
    }
    // Straight to the process's stderr: the test harness captures
    // `eprintln!` of passing tests, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {} not found (set TUMEN_SHARED_DIR to the shared folder)",
        dir.display()
    );
    None
}
