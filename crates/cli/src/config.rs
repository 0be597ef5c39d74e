//! `tumen.toml`: the user's configuration. `tumen run` reads `--config
//! FILE`, else `tumen.toml` in the dataset directory when there is one,
//! else the defaults. Sections:
//!
//! - `[detect.port_visit]`, `[detect.gap]`, `[detect.on_land]`,
//!   `[detect.segments]`, `[detect.circle]`, `[detect.loitering]`,
//!   `[detect.identity]`: one profile each, every field optional (missing
//!   ones keep the published default), `name` recorded on every event;
//! - `[[detect.encounter]]`: one table per encounter profile (GFW's and
//!   Skylight's when none is given).
//!
//! - `[screen]`: watch-list score thresholds, `matched` and `show`.
//! - `[fusion]`: satellite matching, structures, dark-detection candidates
//!   and facility baselines (`tumen_fusion::FusionProfile`).
//! - `[[corridor]]`: shipment corridors (`tumen_chain::Corridor`); the 2023
//!   Najin–Dunay corridor when none is given.
//!
//! - `[alerts]`: the webhook and `[[alerts.rule]]` alert rules
//!   (`tumen_alert::AlertConfig`); one rule of each kind when none is given.
//!
//! Unknown keys are errors (a misspelt threshold must not pass silently).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;
use tumen_alert::AlertConfig;
use tumen_chain::Corridor;
use tumen_detect::Profiles;
use tumen_fusion::FusionProfile;
use tumen_screen::Thresholds;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub detect: Profiles,
    /// `[screen]`: `matched` (default 0.70) and `show` (0.50) score thresholds.
    pub screen: Thresholds,
    /// `[fusion]`: detections against AIS, facility baselines.
    pub fusion: FusionProfile,
    /// `[[corridor]]`: the routes chains follow.
    pub corridor: Vec<Corridor>,
    /// `[alerts]`: rules and the webhook.
    pub alerts: AlertConfig,
}

impl Config {
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        toml::from_str(text).with_context(|| format!("{}: not a valid Tumen configuration", path.display()))
    }

    /// The configuration a command over `data` uses, and the file it came from.
    pub fn for_dataset(explicit: Option<&Path>, data: &Path) -> Result<(Config, Option<PathBuf>)> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => {
                let beside = data.join("tumen.toml");
                if !beside.exists() {
                    return Ok((Config::default(), None));
                }
                beside
            }
        };
        Ok((Config::read(&path)?, Some(path)))
    }

    /// The configuration in the file at `path`.
    pub fn read(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Config::parse(&text, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_read_with_defaults_for_what_is_missing_and_typos_refused() {
        let text = r#"
[detect.gap]
name = "strict-24h"
disabling_min_hours = 24

[[detect.encounter]]
name = "close-1h"
max_distance_m = 100
min_hours = 1
"#;
        let config = Config::parse(text, Path::new("tumen.toml")).unwrap();
        assert_eq!(config.detect.gap.name, "strict-24h");
        assert_eq!(config.detect.gap.disabling_min_hours, 24.0);
        assert_eq!(config.detect.gap.min_hours, 6.0);
        assert_eq!(config.detect.encounter.len(), 1);
        assert_eq!(config.detect.encounter[0].max_median_speed_knots, 2.0);
        assert_eq!(config.detect.port_visit, Profiles::default().port_visit);
        let typo = Config::parse("[detect.gap]\nmin_hour = 3\n", Path::new("x/tumen.toml")).unwrap_err();
        let message = format!("{typo:#}");
        assert!(
            message.contains("x/tumen.toml") && message.contains("min_hour") && message.contains("line 2"),
            "{message}"
        );
    }
}
