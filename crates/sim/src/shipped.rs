//! The scenarios shipped in `scenarios/`, built into the binary so that
//! `tumen simulate najin-dunay-2023` and `tumen demo` work offline from
//! anywhere.

/// `(name, file text)` of every shipped scenario.
pub const SCENARIOS: &[(&str, &str)] = &[
    ("najin-dunay-2023", include_str!("../../../scenarios/najin-dunay-2023.toml")),
    ("global-day", include_str!("../../../scenarios/global-day.toml")),
    ("ais-off", include_str!("../../../scenarios/behaviours/ais-off.toml")),
    ("encounter", include_str!("../../../scenarios/behaviours/encounter.toml")),
    ("loitering", include_str!("../../../scenarios/behaviours/loitering.toml")),
    ("spoofing", include_str!("../../../scenarios/behaviours/spoofing.toml")),
    ("identity", include_str!("../../../scenarios/behaviours/identity.toml")),
    ("port-calls", include_str!("../../../scenarios/behaviours/port-calls.toml")),
    ("imagery", include_str!("../../../scenarios/behaviours/imagery.toml")),
    ("facility", include_str!("../../../scenarios/behaviours/facility.toml")),
    ("receivers", include_str!("../../../scenarios/behaviours/receivers.toml")),
    ("waterways", include_str!("../../../scenarios/behaviours/waterways.toml")),
    ("habits", include_str!("../../../scenarios/behaviours/habits.toml")),
];

/// The text of a shipped scenario.
pub fn get(name: &str) -> Option<&'static str> {
    SCENARIOS.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// Names of the shipped scenarios.
pub fn names() -> impl Iterator<Item = &'static str> {
    SCENARIOS.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shipped_scenario_compiles() {
        for (name, text) in super::SCENARIOS {
            if let Err(error) = crate::scenario::load(text, name, None) {
                panic!("{error}");
            }
        }
    }
}
