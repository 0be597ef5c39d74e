//! What the detectors read of a position report ([`Fix`], kept in the
//! store, which reads it straight from the archive's columns).

pub use tumen_store::Fix;
