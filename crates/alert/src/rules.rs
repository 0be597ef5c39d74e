//! Alert rules, as `[alerts]` in `tumen.toml`:
//!
//! ```toml
//! [alerts]
//! webhook = "https://hooks.example.org/tumen"   # optional: each new alert POSTed as JSON
//!
//! [[alerts.rule]]
//! when = "listed_vessel_in_zone"   # a vessel matched on a watch list enters a zone
//! places = ["najin", "rason-peter-the-great-gulf"]   # default: every watched place
//!
//! [[alerts.rule]]
//! when = "went_dark_near_port"     # silent `silent_hours` within `within_nm` of a watched port
//! within_nm = 20
//! silent_hours = 6
//! ```
//!
//! `when` is one of `listed_vessel_in_zone`, `went_dark_near_port`,
//! `dark_detection`, `facility_anomaly` (`min_z`), `chain`
//! (`min_confidence`). With no rules given, one of each with its defaults.

use serde::{Deserialize, Serialize};
use tumen_model::PlaceKind;
use tumen_places::{Gazetteer, Place};

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertConfig {
    /// Where new alerts are POSTed (JSON), if anywhere.
    pub webhook: Option<String>,
    pub rule: Vec<Rule>,
}

impl Default for AlertConfig {
    fn default() -> Self {
        AlertConfig { webhook: None, rule: Trigger::ALL.iter().map(|&when| Rule::new(when)).collect() }
    }
}

/// What raises an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A vessel a watch list matched is seen inside one of the places.
    ListedVesselInZone,
    /// A vessel last heard within `within_nm` of a watched port has been
    /// silent `silent_hours`.
    WentDarkNearPort,
    /// A satellite saw a vessel AIS did not explain at one of the places.
    DarkDetection,
    /// A facility count `min_z` spreads above its history.
    FacilityAnomaly,
    /// A shipment chain of at least `min_confidence`.
    Chain,
}

impl Trigger {
    pub const ALL: [Trigger; 5] = [
        Trigger::ListedVesselInZone,
        Trigger::WentDarkNearPort,
        Trigger::DarkDetection,
        Trigger::FacilityAnomaly,
        Trigger::Chain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::ListedVesselInZone => "listed_vessel_in_zone",
            Trigger::WentDarkNearPort => "went_dark_near_port",
            Trigger::DarkDetection => "dark_detection",
            Trigger::FacilityAnomaly => "facility_anomaly",
            Trigger::Chain => "chain",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Names the rule in alerts (default: `when`).
    #[serde(default)]
    pub id: String,
    pub when: Trigger,
    /// Gazetteer ids; none: every watched place (for `went_dark_near_port`,
    /// every watched port and anchorage).
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default = "default_within_nm")]
    pub within_nm: f64,
    #[serde(default = "default_silent_hours")]
    pub silent_hours: f64,
    #[serde(default = "default_min_z")]
    pub min_z: f64,
    #[serde(default = "default_min_confidence")]
    pub min_confidence: f64,
}

fn default_within_nm() -> f64 {
    20.0
}
fn default_silent_hours() -> f64 {
    6.0
}
fn default_min_z() -> f64 {
    5.0
}
fn default_min_confidence() -> f64 {
    0.7
}

impl Rule {
    pub fn new(when: Trigger) -> Rule {
        Rule {
            id: String::new(),
            when,
            places: Vec::new(),
            within_nm: default_within_nm(),
            silent_hours: default_silent_hours(),
            min_z: default_min_z(),
            min_confidence: default_min_confidence(),
        }
    }

    /// The rule's name in alerts.
    pub fn name(&self) -> &str {
        if self.id.is_empty() { self.when.as_str() } else { &self.id }
    }

    /// The places the rule watches.
    pub fn zones<'g>(&self, gazetteer: &'g Gazetteer) -> Vec<&'g Place> {
        if !self.places.is_empty() {
            return self.places.iter().filter_map(|id| gazetteer.get(id)).collect();
        }
        let ports_only = self.when == Trigger::WentDarkNearPort;
        gazetteer
            .places()
            .iter()
            .filter(|p| p.watched)
            .filter(|p| !ports_only || matches!(p.kind, PlaceKind::Port | PlaceKind::Anchorage))
            .collect()
    }
}

impl AlertConfig {
    /// Refuses rules naming places the gazetteer does not have, or rules
    /// with the same name.
    pub fn check(&self, gazetteer: &Gazetteer) -> Result<(), String> {
        let mut names = std::collections::HashSet::new();
        for rule in &self.rule {
            if !names.insert(rule.name()) {
                return Err(format!("two alert rules are named {}: give each an id", rule.name()));
            }
            if let Some(unknown) = rule.places.iter().find(|id| gazetteer.get(id).is_none()) {
                return Err(format!("alert rule {}: no place {unknown} in the gazetteer", rule.name()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_with_defaults_and_typos_refused() {
        let config: AlertConfig = toml::from_str(
            "webhook = \"http://127.0.0.1:9/x\"\n[[rule]]\nwhen = \"went_dark_near_port\"\nsilent_hours = 2\n",
        )
        .unwrap();
        assert_eq!(config.rule.len(), 1);
        assert_eq!((config.rule[0].silent_hours, config.rule[0].within_nm), (2.0, 20.0));
        assert_eq!(config.rule[0].name(), "went_dark_near_port");
        assert!(toml::from_str::<AlertConfig>("[[rule]]\nwhen = \"chain\"\nmin_confidance = 0.5\n").is_err());
        assert!(toml::from_str::<AlertConfig>("[[rule]]\nwhen = \"sunrise\"\n").is_err());
        assert_eq!(AlertConfig::default().rule.len(), 5);
    }

    #[test]
    fn unknown_places_and_twin_names_are_refused() {
        let gazetteer = Gazetteer::embedded();
        let mut config = AlertConfig::default();
        assert!(config.check(gazetteer).is_ok());
        config.rule[0].places = vec!["atlantis".into()];
        assert!(config.check(gazetteer).unwrap_err().contains("atlantis"));
        config.rule[0].places.clear();
        config.rule.push(Rule::new(Trigger::Chain));
        assert!(config.check(gazetteer).unwrap_err().contains("two alert rules"));
        // Watched ports for going dark; every watched place for the rest.
        let dark = Rule::new(Trigger::WentDarkNearPort).zones(gazetteer);
        assert!(dark.iter().all(|p| matches!(p.kind, PlaceKind::Port | PlaceKind::Anchorage)));
        assert!(dark.iter().any(|p| p.id == "najin"));
    }
}
