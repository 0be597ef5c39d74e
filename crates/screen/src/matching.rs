//! The matching ladder, scored the way OpenSanctions' screening does:
//!
//! | rung | score |
//! |---|---|
//! | IMO number, same digits (a list's invalid check digit compared as written) | 0.95 |
//! | MMSI, while what it broadcast does not contradict the entry (an MMSI reused by another ship — a different IMO — scores 0.5; screening compares each tenure of an MMSI apart, see `screening::tenures`) | 0.95 |
//! | call sign, same letters and digits | 0.80 |
//! | name (current, former or alias, on both sides), prefixes and spaces removed: strict edit distance, at most one edit per 5 characters | 0.80 × (1 − edits / length) |
//!
//! A name whose numbers differ from the other's (`… 1` against `… 2`)
//! is multiplied by 0.7. A hit is the best rung's score; every rung that
//! agreed is named. Flags never lower a score (a flag change is itself a
//! signal, reported elsewhere). Hits of [`Thresholds::show`] or more are
//! kept; those of [`Thresholds::matched`] or more are matches.
//!
//! A blocking index keeps screening linear: entries by IMO number, MMSI,
//! call sign and by every name word and the words one edit from it
//! (`entry_keys`, `query_keys`), so a query compares few names. A name is
//! found when one of its words is at most one edit from a listed name's
//! word: a name whose every word is two edits off is not (strict edit
//! distance rarely allows that anyway).

// hashbrown's default hasher: the index is looked up ~20 times a name,
// and SipHash on short strings was a third of screening.
use hashbrown::HashMap;

use serde::Deserialize;

use crate::entry::WatchEntry;
use crate::normalize;

/// Score thresholds (OpenSanctions: match at 0.70, nothing shown below 0.50).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    pub matched: f64,
    pub show: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { matched: 0.70, show: 0.50 }
    }
}

pub const IMO_SCORE: f64 = 0.95;
pub const MMSI_SCORE: f64 = 0.95;
pub const MMSI_REUSED_SCORE: f64 = 0.5;
pub const CALL_SIGN_SCORE: f64 = 0.80;
pub const NAME_SCORE: f64 = 0.80;
pub const NUMBER_MISMATCH: f64 = 0.7;

/// Words this common are not used to find candidates (a name of only such
/// words still is).
const MAX_POSTINGS: usize = 64;

/// What a vessel broadcast, as screening compares it: one MMSI and the
/// values it sent (any may be empty).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Identity {
    pub mmsi: String,
    pub imos: Vec<String>,
    pub names: Vec<String>,
    pub call_signs: Vec<String>,
}

/// One field that agreed.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    /// `imo`, `mmsi`, `call_sign` or `name`.
    pub field: &'static str,
    /// The broadcast value and the list's.
    pub broadcast: String,
    pub listed: String,
    pub score: f64,
}

/// An entry an identity matched, how well, on what.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub score: f64,
    pub agreements: Vec<Agreement>,
}

/// A name prepared for comparison: its letters without spaces (names are
/// compared so: `CHONMASAN` is `CHON MA SAN`, and the edits between two
/// names never grow when spaces go), their number and counts, so most
/// candidates are turned away before an edit distance.
#[derive(Clone, Debug)]
struct Prepared {
    /// The normalized name, spaces kept (its numbers are read from it).
    text: String,
    compact: String,
    chars: usize,
    counts: [u8; 37],
}

impl Prepared {
    fn new(text: String) -> Prepared {
        let compact: String = text.chars().filter(|&c| c != ' ').collect();
        let mut counts = [0u8; 37];
        for c in compact.chars() {
            let slot = letter_slot(c);
            counts[slot] = counts[slot].saturating_add(1);
        }
        Prepared { chars: compact.chars().count(), counts, compact, text }
    }
}

fn letter_slot(c: char) -> usize {
    match c {
        'A'..='Z' => c as usize - 'A' as usize,
        '0'..='9' => 26 + c as usize - '0' as usize,
        _ => 36,
    }
}

/// Watch-list entries indexed for screening.
pub struct Screen<'e> {
    entries: &'e [WatchEntry],
    by_imo: HashMap<String, Vec<usize>>,
    by_mmsi: HashMap<String, Vec<usize>>,
    by_call_sign: HashMap<String, Vec<usize>>,
    /// Name keys (`entry_keys`) → entries.
    by_word: HashMap<String, Vec<usize>>,
    /// Every entry's names, normalized.
    names: Vec<Vec<Prepared>>,
    thresholds: Thresholds,
}

impl<'e> Screen<'e> {
    pub fn new(entries: &'e [WatchEntry], thresholds: Thresholds) -> Screen<'e> {
        let mut screen = Screen {
            entries,
            by_imo: HashMap::new(),
            by_mmsi: HashMap::new(),
            by_call_sign: HashMap::new(),
            by_word: HashMap::new(),
            names: Vec::with_capacity(entries.len()),
            thresholds,
        };
        for (i, entry) in entries.iter().enumerate() {
            for imo in &entry.imos {
                screen.by_imo.entry(normalize::code(imo)).or_default().push(i);
            }
            for mmsi in &entry.mmsis {
                screen.by_mmsi.entry(normalize::code(mmsi)).or_default().push(i);
            }
            for call_sign in &entry.call_signs {
                screen.by_call_sign.entry(normalize::code(call_sign)).or_default().push(i);
            }
            let names: Vec<String> = entry.all_names().map(normalize::name).filter(|n| !n.is_empty()).collect();
            for name in &names {
                for key in entry_keys(name) {
                    let postings = screen.by_word.entry(key).or_default();
                    if postings.last() != Some(&i) {
                        postings.push(i);
                    }
                }
            }
            screen.names.push(names.into_iter().map(Prepared::new).collect());
        }
        screen
    }

    /// The entries `identity` matches at [`Thresholds::show`] or more, best
    /// first.
    pub fn screen(&self, identity: &Identity) -> Vec<Hit> {
        let mut hits: HashMap<usize, Vec<Agreement>> = HashMap::new();
        let mut agree = |entry: usize, agreement: Agreement| hits.entry(entry).or_default().push(agreement);
        for imo in &identity.imos {
            let key = normalize::code(imo);
            for &i in self.by_imo.get(&key).into_iter().flatten() {
                agree(i, Agreement { field: "imo", broadcast: imo.clone(), listed: key.clone(), score: IMO_SCORE });
            }
        }
        let mmsi = normalize::code(&identity.mmsi);
        for &i in self.by_mmsi.get(&mmsi).into_iter().flatten() {
            // Another IMO number on this MMSI: the number has passed to another ship.
            let entry = &self.entries[i];
            let contradicted = !entry.imos.is_empty()
                && !identity.imos.is_empty()
                && !identity
                    .imos
                    .iter()
                    .any(|imo| entry.imos.iter().any(|e| normalize::code(e) == normalize::code(imo)));
            let score = if contradicted { MMSI_REUSED_SCORE } else { MMSI_SCORE };
            agree(i, Agreement { field: "mmsi", broadcast: identity.mmsi.clone(), listed: mmsi.clone(), score });
        }
        for call_sign in &identity.call_signs {
            let key = normalize::code(call_sign);
            if key.is_empty() {
                continue;
            }
            for &i in self.by_call_sign.get(&key).into_iter().flatten() {
                agree(
                    i,
                    Agreement {
                        field: "call_sign",
                        broadcast: call_sign.clone(),
                        listed: key.clone(),
                        score: CALL_SIGN_SCORE,
                    },
                );
            }
        }
        for broadcast in &identity.names {
            let query = normalize::name(broadcast);
            if query.is_empty() {
                continue;
            }
            let prepared = Prepared::new(query.clone());
            // Entries sharing a word or a one-deletion variant of one; words
            // too common to narrow anything are passed over unless the name
            // has nothing else, then the least common of them is used.
            let mut hits_by_word: Vec<(usize, usize)> = Vec::new();
            let mut least_common: Option<&Vec<usize>> = None;
            let mut usable_words = 0;
            let mut last_usable_word = usize::MAX;
            for (word, key) in query_keys(&query) {
                let Some(postings) = self.by_word.get(&key) else { continue };
                if postings.len() <= MAX_POSTINGS {
                    hits_by_word.extend(postings.iter().map(|&i| (i, word)));
                    if word != WHOLE_NAME && word != last_usable_word {
                        usable_words += 1;
                        last_usable_word = word;
                    }
                } else if least_common.is_none_or(|l| postings.len() < l.len()) {
                    least_common = Some(postings);
                }
            }
            // A name within the strict edit distance shares at least two
            // of its words one edit away (or is the same letters spaced
            // otherwise): one shared word among several is a coincidence.
            hits_by_word.sort_unstable();
            hits_by_word.dedup();
            let needed = usable_words.min(2);
            let mut candidates: Vec<usize> = Vec::new();
            for run in hits_by_word.chunk_by(|a, b| a.0 == b.0) {
                if run.len() >= needed || run.iter().any(|&(_, w)| w == WHOLE_NAME) {
                    candidates.push(run[0].0);
                }
            }
            if hits_by_word.is_empty() {
                // Only common words: the entries that have them all, else
                // those of the least common.
                candidates = self.having_every_word(&query);
                if candidates.is_empty() {
                    candidates.extend(least_common.into_iter().flatten());
                }
            }
            for i in candidates {
                let best = self.names[i]
                    .iter()
                    .filter_map(|listed| prepared_score(&prepared, listed).map(|score| (score, listed)))
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((score, listed)) = best {
                    agree(
                        i,
                        Agreement { field: "name", broadcast: broadcast.clone(), listed: listed.text.clone(), score },
                    );
                }
            }
        }
        let mut found: Vec<Hit> = hits
            .into_iter()
            .map(|(entry, mut agreements)| {
                agreements.sort_by(|a, b| b.score.total_cmp(&a.score));
                agreements.dedup_by(|a, b| a.field == b.field && a.listed == b.listed);
                let score = agreements.first().map_or(0.0, |a| a.score);
                Hit { entry, score, agreements }
            })
            .filter(|hit| hit.score >= self.thresholds.show)
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        found
    }

    /// Entries with every word of `query` (of those that find anything).
    fn having_every_word(&self, query: &str) -> Vec<usize> {
        let mut lists: Vec<&Vec<usize>> = Vec::new();
        for chars in words(query) {
            let word: String = chars.iter().collect();
            match self.by_word.get(&format!("w:{word}")) {
                Some(postings) => lists.push(postings),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else { return Vec::new() };
        // Postings are in entry order: each later list is searched.
        first.iter().copied().filter(|i| rest.iter().all(|l| l.binary_search(i).is_ok())).collect()
    }

    /// [`Screen::screen`] for every identity, on every core.
    pub fn screen_all(&self, identities: &[Identity]) -> Vec<Vec<Hit>> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
        let chunk = identities.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let workers: Vec<_> = identities
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().map(|identity| self.screen(identity)).collect::<Vec<_>>()))
                .collect();
            workers.into_iter().flat_map(|w| w.join().expect("a screening thread")).collect()
        })
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }
}

/// A name pair's score, if within the strict edit distance: at most one
/// edit per five characters of the longer name.
pub fn name_score(a: &str, b: &str) -> Option<f64> {
    prepared_score(&Prepared::new(a.to_owned()), &Prepared::new(b.to_owned()))
}

fn prepared_score(a: &Prepared, b: &Prepared) -> Option<f64> {
    let longest = a.chars.max(b.chars);
    if longest == 0 {
        return None;
    }
    let allowed = longest / 5;
    // Lengths further apart than the edits allowed cannot be that close;
    // each edit changes the letter counts by at most two.
    if a.chars.abs_diff(b.chars) > allowed {
        return None;
    }
    let count_distance: usize = a.counts.iter().zip(&b.counts).map(|(x, y)| x.abs_diff(*y) as usize).sum();
    if count_distance > 2 * allowed {
        return None;
    }
    let edits = strsim::levenshtein(&a.compact, &b.compact);
    if edits > allowed {
        return None;
    }
    let mut score = NAME_SCORE * (1.0 - edits as f64 / longest as f64);
    if normalize::numbers(&a.text) != normalize::numbers(&b.text) {
        score *= NUMBER_MISMATCH;
    }
    Some(score)
}

/// The keys a listed name is filed under: each word of three characters
/// or more (numbers alone find nothing) as itself, and for words of five
/// or more each one-deletion variant twice — alone (a query missing that
/// letter finds it) and with the deleted position (a query with another
/// letter there finds it) — and its letters without spaces (`KANG MYONG`
/// is found by `KANGMYONG`). A query ([`query_keys`]) so meets exactly the
/// listed words one edit away, not the many two edits away that plain
/// deletion neighbourhoods would bring.
fn entry_keys(name: &str) -> Vec<String> {
    let mut keys = vec![format!("c:{}", name.replace(' ', ""))];
    for chars in words(name) {
        let word: String = chars.iter().collect();
        if (MIN_WORD_FOR_VARIANTS..=MAX_WORD_FOR_VARIANTS).contains(&chars.len()) {
            for (i, variant) in deletions(&chars) {
                keys.push(format!("d:{variant}"));
                keys.push(format!("s{i}:{variant}"));
            }
        }
        keys.push(format!("w:{word}"));
    }
    keys
}

/// The word a query key came from ([`WHOLE_NAME`] for the spaceless key).
const WHOLE_NAME: usize = usize::MAX;

/// The keys a broadcast name looks up, each with the index of its word:
/// each word as itself and as a deletion of a longer listed word; its
/// one-deletion variants as listed words one letter shorter and, with
/// their position, as substitutions; its letters without spaces.
fn query_keys(name: &str) -> Vec<(usize, String)> {
    let mut keys = vec![(WHOLE_NAME, format!("c:{}", name.replace(' ', "")))];
    for (index, chars) in words(name).enumerate() {
        let word: String = chars.iter().collect();
        keys.push((index, format!("w:{word}")));
        if chars.len() + 1 >= MIN_WORD_FOR_VARIANTS {
            keys.push((index, format!("d:{word}")));
        }
        if (MIN_WORD_FOR_VARIANTS..=MAX_WORD_FOR_VARIANTS).contains(&chars.len()) {
            for (i, variant) in deletions(&chars) {
                keys.push((index, format!("w:{variant}")));
                keys.push((index, format!("s{i}:{variant}")));
            }
        }
    }
    keys
}

/// A name's words that can find it: three characters or more, not only
/// digits.
fn words(name: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    name.split(' ')
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| w.chars().collect())
}

/// Each position of a word and the word without it.
fn deletions(chars: &[char]) -> impl Iterator<Item = (usize, String)> + '_ {
    (0..chars.len()).map(move |skip| {
        (skip, chars.iter().enumerate().filter(|&(i, _)| i != skip).map(|(_, c)| *c).collect::<String>())
    })
}

/// Words shorter than this are found exactly only.
const MIN_WORD_FOR_VARIANTS: usize = 5;
/// Nor are words longer than this (a word of n letters has n variants of
/// n − 1 letters: a 50,000-letter "word" took 5 GB). No vessel name has
/// such a word; the cost of a name stays linear in its length.
const MAX_WORD_FOR_VARIANTS: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_costs_keys_linear_in_its_length() {
        // One 50,000-letter word: its whole-name and word keys, no variants.
        let long = "K".repeat(50_000);
        assert!(entry_keys(&long).len() <= 2, "{}", entry_keys(&long).len());
        assert!(query_keys(&long).len() <= 3, "{}", query_keys(&long).len());
        // Real words still get their one-edit variants.
        assert!(entry_keys("KANG MYONG").len() > 10);
    }

    fn entry(name: &str, imo: &str, mmsi: &str) -> WatchEntry {
        WatchEntry {
            list: "test".into(),
            id: name.into(),
            name: name.into(),
            imos: if imo.is_empty() { vec![] } else { vec![imo.into()] },
            mmsis: if mmsi.is_empty() { vec![] } else { vec![mmsi.into()] },
            ..WatchEntry::default()
        }
    }

    fn named(name: &str) -> Identity {
        Identity { mmsi: "273000001".into(), names: vec![name.into()], ..Identity::default() }
    }

    #[test]
    fn one_typo_matches_and_another_number_does_not() {
        let entries = [entry("SNOW STORM 1", "", "")];
        let screen = Screen::new(&entries, Thresholds::default());
        let typo = screen.screen(&named("SNOW STOM 1"));
        assert_eq!(typo.len(), 1);
        assert!(typo[0].score >= 0.70, "{typo:?}");
        let sister = screen.screen(&named("SNOW STORM 2"));
        assert!(sister.iter().all(|h| h.score < 0.70), "{sister:?}");
        assert!(!sister.is_empty(), "shown, as a weak hit: {sister:?}");
        assert!(screen.screen(&named("SNOW WHITE 1")).is_empty());
        assert_eq!(screen.screen(&named("m/v Snow-Storm 1"))[0].score, NAME_SCORE);
    }

    #[test]
    fn an_imo_number_matches_whatever_the_name_and_an_mmsi_reused_is_weak() {
        let entries = [entry("SNOW STORM 1", "9187629", "511100345")];
        let screen = Screen::new(&entries, Thresholds::default());
        let renamed = Identity {
            mmsi: "273999999".into(),
            imos: vec!["9187629".into()],
            names: vec!["NEW DAWN".into()],
            ..Identity::default()
        };
        let hits = screen.screen(&renamed);
        assert_eq!((hits.len(), hits[0].score), (1, IMO_SCORE));
        assert_eq!(hits[0].agreements[0].field, "imo");
        let same_mmsi = Identity { mmsi: "511100345".into(), ..Identity::default() };
        assert_eq!(screen.screen(&same_mmsi)[0].score, MMSI_SCORE);
        let reused = Identity { mmsi: "511100345".into(), imos: vec!["9345673".into()], ..Identity::default() };
        assert_eq!(screen.screen(&reused)[0].score, MMSI_REUSED_SCORE);
    }

    #[test]
    fn strict_edit_distance_scales_with_length() {
        assert!(name_score("KANG MYONG", "KANG MYONGG").is_some());
        assert!(name_score("ABCD", "ABCE").is_none(), "short names must be exact");
        assert!(name_score("KANG MYONG", "KANG MIONGG").is_some(), "two edits in 11 characters");
        assert!(name_score("KANG MYONG", "KING MIONGG").is_none());
    }
}
