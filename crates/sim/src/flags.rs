//! The MIDs background traffic draws from for a flag: the ITU table in
//! `tumen-model` ([`tumen_model::mid`]).

/// The MIDs allocated to a flag (ISO 3166 alpha-2), `None` if it has none.
pub fn mids(flag: &str) -> Option<Vec<u16>> {
    let mids: Vec<u16> = tumen_model::mid::mids_of(flag).collect();
    (!mids.is_empty()).then_some(mids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_map_to_their_mids() {
        assert_eq!(mids("RU"), Some(vec![273]));
        assert_eq!(mids("kp"), Some(vec![445]));
        assert_eq!(mids("XX"), None);
    }
}
