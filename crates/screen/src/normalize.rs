//! Identities as the matching ladder compares them.

/// Vessel-type prefixes lists and transponders put before a name.
const PREFIXES: [&str; 10] = ["MV", "MT", "M/V", "M/T", "M.V.", "M.T.", "SS", "MS", "M/S", "MY"];

/// A name for matching: upper case, vessel prefixes removed, punctuation
/// as space, spaces collapsed (`M/V Snow-Storm 1` → `SNOW STORM 1`).
pub fn name(text: &str) -> String {
    let upper = text.trim().to_uppercase();
    let mut rest = upper.as_str();
    for prefix in PREFIXES {
        if let Some(after) = rest.strip_prefix(prefix)
            && after.starts_with([' ', '.'])
        {
            rest = after;
            break;
        }
    }
    let mut out = String::with_capacity(rest.len());
    for c in rest.chars() {
        let c = if c.is_alphanumeric() { c } else { ' ' };
        if c != ' ' || !out.ends_with(' ') {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

/// A call sign or number for matching: upper-case letters and digits only.
pub fn code(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// The numbers in a normalized name (`SNOW STORM 1` → `["1"]`): two names
/// that differ in them are different ships of a fleet, however alike.
pub fn numbers(name: &str) -> Vec<&str> {
    name.split(' ').filter(|t| t.chars().any(|c| c.is_ascii_digit())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_prefixes_and_punctuation() {
        assert_eq!(name("M/V Snow-Storm 1"), "SNOW STORM 1");
        assert_eq!(name("MT. KANG  MYONG"), "KANG MYONG");
        assert_eq!(name("MVSTAR"), "MVSTAR");
        assert_eq!(code("t8-ab 2"), "T8AB2");
        assert_eq!(numbers("SNOW STORM 1"), ["1"]);
    }
}
