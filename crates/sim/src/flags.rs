//! Maritime Identification Digits of the flags background traffic is drawn
//! from (ITU-R M.585 / ITU MID table). Only what the simulator needs to give
//! generated vessels plausible MMSIs; the full table belongs to the
//! registry, which checks MMSIs against claimed flags.

/// (ISO 3166 alpha-2, MIDs) — flags common in the waters Tumen watches and
/// the open registries.
const MIDS: &[(&str, &[u16])] = &[
    ("AE", &[470, 471]),
    ("BS", &[308, 309, 311]),
    ("BZ", &[312]),
    ("CM", &[613]),
    ("CN", &[412, 413, 414]),
    ("CY", &[209, 210, 212]),
    ("DE", &[211, 218]),
    ("DK", &[219, 220]),
    ("FJ", &[520]),
    ("FR", &[226, 227, 228]),
    ("GB", &[232, 233, 234, 235]),
    ("GR", &[237, 239, 240, 241]),
    ("HK", &[477]),
    ("ID", &[525]),
    ("IN", &[419]),
    ("IR", &[422]),
    ("IT", &[247]),
    ("JP", &[431, 432]),
    ("KM", &[616]),
    ("KP", &[445]),
    ("KR", &[440, 441]),
    ("LR", &[636, 637]),
    ("MH", &[538]),
    ("MN", &[457]),
    ("MT", &[215, 229, 248, 249, 256]),
    ("MY", &[533]),
    ("NL", &[244, 245, 246]),
    ("NO", &[257, 258, 259]),
    ("PA", &[351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373]),
    ("PH", &[548]),
    ("PW", &[511]),
    ("RU", &[273]),
    ("SG", &[563, 564, 565, 566]),
    ("SL", &[667]),
    ("TG", &[671]),
    ("TH", &[567]),
    ("TR", &[271]),
    ("TW", &[416]),
    ("TZ", &[674, 677]),
    ("UA", &[272]),
    ("US", &[338, 366, 367, 368, 369]),
    ("VN", &[574]),
];

/// The MIDs of a flag, `None` if the simulator does not know it.
pub fn mids(flag: &str) -> Option<&'static [u16]> {
    MIDS.iter().find(|(f, _)| f.eq_ignore_ascii_case(flag)).map(|(_, mids)| *mids)
}

/// Flags the simulator knows.
pub fn known() -> Vec<&'static str> {
    MIDS.iter().map(|(f, _)| *f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_mids() {
        // FACTS.md §3.
        assert_eq!(mids("RU"), Some(&[273u16][..]));
        assert_eq!(mids("kp"), Some(&[445u16][..]));
        assert!(mids("KR").unwrap().contains(&440));
        assert!(mids("CN").unwrap().contains(&412));
        assert_eq!(mids("XX"), None);
        let mut all: Vec<u16> = MIDS.iter().flat_map(|(_, m)| m.iter().copied()).collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count, "a MID belongs to one flag");
        assert!(all.iter().all(|m| (201..=775).contains(m)));
    }
}
