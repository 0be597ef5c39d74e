//! The lists' text conventions: nulls, numbers inside free text,
//! numbered multi-values, former names in parentheses.

/// Numbers of `digits` digits that follow `label` in free text, in order:
/// `IMO 9161003`, `IMO: 9161003`, `IMO No. 9161003`, `IMO9161003`,
/// `Vessel Registration Identification IMO 9161003`. The label matches
/// whole (case-insensitive); the number must not run on into more digits.
pub fn numbers_after(text: &str, label: &str, digits: usize) -> Vec<String> {
    let upper = text.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = upper[from..].find(label) {
        let start = from + offset;
        from = start + label.len();
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        if !before_ok {
            continue;
        }
        // Separators and the words lists put between label and number.
        let mut i = from;
        loop {
            while i < bytes.len() && matches!(bytes[i], b' ' | b':' | b'#' | b'.' | b'-' | b'=') {
                i += 1;
            }
            let rest = &upper[i..];
            let skipped = ["NUMBER", "NO"].iter().find(|w| rest.starts_with(*w)).map(|w| w.len());
            match skipped {
                Some(n) if rest[n..].starts_with([' ', ':', '.', '#']) => i += n,
                _ => break,
            }
        }
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == digits {
            let number = upper[i..i + run].to_owned();
            if !found.contains(&number) {
                found.push(number);
            }
        }
    }
    found
}

/// IMO numbers in free text (seven digits after `IMO`).
pub fn imos_in(text: &str) -> Vec<String> {
    numbers_after(text, "IMO", 7)
}

/// MMSIs in free text (nine digits after `MMSI`).
pub fn mmsis_in(text: &str) -> Vec<String> {
    numbers_after(text, "MMSI", 9)
}

/// The values of a UN-style numbered multi-value, `1: X 2: Y`, or the
/// cell itself when it is not numbered.
pub fn multi_values(cell: &str) -> Vec<String> {
    let cell = cell.trim();
    if !cell.starts_with("1:") && !cell.starts_with("1 :") {
        return if cell.is_empty() { Vec::new() } else { vec![cell.to_owned()] };
    }
    let mut values = Vec::new();
    let mut rest = cell;
    let mut n = 1;
    loop {
        let marker = format!("{n}:");
        let Some(start) = rest.find(&marker) else { break };
        let after = &rest[start + marker.len()..];
        let next = format!("{}:", n + 1);
        let end = find_marker(after, &next).unwrap_or(after.len());
        let value = after[..end].trim().trim_end_matches([',', ';']).trim();
        if !value.is_empty() {
            values.push(value.to_owned());
        }
        rest = &after[end..];
        n += 1;
    }
    values
}

/// `marker` where it starts a value: at the start or after a space.
fn find_marker(text: &str, marker: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(offset) = text[from..].find(marker) {
        let at = from + offset;
        if at == 0 || text.as_bytes()[at - 1] == b' ' {
            return Some(at);
        }
        from = at + marker.len();
    }
    None
}

/// Words that introduce a former name inside parentheses.
const FORMERLY: [&str; 8] = ["FORMERLY KNOWN AS", "FORMERLY", "F.K.A.", "FKA", "EX-", "EX ", "PREVIOUSLY", "PREV."];

/// A name and the former names it carries in parentheses:
/// `SEA BREEZE (formerly OCEAN STAR, SUN)` → `SEA BREEZE`, [`OCEAN STAR`,
/// `SUN`]. Parentheses that do not name former names (`(IMO 1234567)`)
/// are dropped from the name and give nothing.
pub fn name_and_former(cell: &str) -> (String, Vec<String>) {
    let Some(open) = cell.find('(') else { return (cell.trim().to_owned(), Vec::new()) };
    let name = cell[..open].trim().to_owned();
    let mut former = Vec::new();
    let mut rest = &cell[open..];
    while let Some(open) = rest.find('(') {
        let close = rest[open..].find(')').map_or(rest.len(), |c| open + c);
        let inside = rest[open + 1..close].trim();
        rest = &rest[(close + 1).min(rest.len())..];
        if !imos_in(inside).is_empty() {
            continue;
        }
        let upper = inside.to_ascii_uppercase();
        let body = FORMERLY.iter().find(|w| upper.starts_with(*w)).map_or(inside, |w| &inside[w.len()..]);
        for part in body.split([',', ';', '/']) {
            let part = part.trim();
            let upper = part.to_ascii_uppercase();
            let part = FORMERLY.iter().find(|w| upper.starts_with(*w)).map_or(part, |w| part[w.len()..].trim());
            if !part.is_empty() {
                former.push(part.to_owned());
            }
        }
    }
    (name, former)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imo_numbers_are_found_in_both_ofac_spellings_and_others() {
        assert_eq!(imos_in("Vessel Registration Identification IMO 9187629; MMSI 620285000;"), ["9187629"]);
        assert_eq!(imos_in("Identification Number IMO 9161003; Linked To: X."), ["9161003"]);
        assert_eq!(imos_in("IMO9161003"), ["9161003"]);
        assert_eq!(imos_in("IMO No. 9161003, IMO number: 9074729"), ["9161003", "9074729"]);
        // Not a label (PRIMO), not seven digits.
        assert!(imos_in("PRIMO 9161003; IMO 91610031; IMO 916100").is_empty());
        assert_eq!(mmsis_in("MMSI 620285000; MMSI: 273123456"), ["620285000", "273123456"]);
    }

    #[test]
    fn numbered_multi_values() {
        assert_eq!(multi_values("1: KANG MYONG 2: KANG MYONG 1"), ["KANG MYONG", "KANG MYONG 1"]);
        assert_eq!(multi_values("1: 8829593, 2: 8829594"), ["8829593", "8829594"]);
        assert_eq!(multi_values("SINGLE NAME"), ["SINGLE NAME"]);
        assert!(multi_values(" ").is_empty());
    }

    #[test]
    fn former_names_come_out_of_parentheses() {
        assert_eq!(
            name_and_former("SEA BREEZE (formerly OCEAN STAR, SUN)"),
            ("SEA BREEZE".to_owned(), vec!["OCEAN STAR".to_owned(), "SUN".to_owned()])
        );
        assert_eq!(name_and_former("RICH (ex-RICHY; ex RICHARD)").1, ["RICHY", "RICHARD"]);
        assert_eq!(name_and_former("PLAIN"), ("PLAIN".to_owned(), vec![]));
        assert_eq!(name_and_former("NAME (IMO 9161003)"), ("NAME".to_owned(), vec![]));
    }
}
