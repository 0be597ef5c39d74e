//! Helpers shared by the integration tests.

pub use tumen_test_support::shared_dir;
