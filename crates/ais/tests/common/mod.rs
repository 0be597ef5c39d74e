//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The shared corpora directory (`../shared` beside the checkout, or
/// `$TUMEN_SHARED_DIR`), or `None` with a message saying the test is
/// skipped.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("TUMEN_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    if dir.join("corpora").is_dir() {
        Some(dir)
    } else {
        // Straight to the process's stderr: the test harness captures
        // `eprintln!` of passing tests, and a skip must be seen.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: {} not found (set TUMEN_SHARED_DIR to the shared folder)",
            dir.display()
        );
        None
    }
}
