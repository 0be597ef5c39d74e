//! Tumen's alerts.
//!
//! Rules are configuration (`[alerts]` in `tumen.toml`, [`AlertConfig`]):
//! a listed vessel enters a watched zone; a vessel goes dark near a
//! watched port; a dark detection at a watched place; a facility anomaly;
//! a chain above a confidence.
//!
//! - [`stored_alerts`] evaluates them over what a run stored (`tumen run`
//!   raises the new ones; `tumen watch` on start and after each re-run);
//! - [`LiveWatch`] evaluates the first two over a live feed as each
//!   position is decoded, and on a clock for silences (`tumen watch`);
//! - an alert's id hashes its rule and what it saw, so the catalog
//!   (`alerts` table) keeps each once however often it is raised, and
//!   only new ones are printed (JSON lines) and posted ([`Webhook`]).

mod alert;
mod evaluate;
mod live;
mod rules;
mod webhook;
mod zones;

pub use alert::Alert;
pub use evaluate::{EVENT_KINDS, Listed, listed_vessels, stored_alerts};
pub use live::LiveWatch;
pub use rules::{AlertConfig, Rule, Trigger};
pub use webhook::Webhook;
