//! Screening at scale: 10^6 broadcast identities against 5·10^4 list
//! entries (the target: ≤ 10 s), timed once per run with the index
//! build apart; `Screen::screen_all` uses every core. Names mix common ship-name words (a fifth of the words,
//! from 48: SEA, STAR, OCEAN…, each in thousands of names, as in real
//! lists) with made-up words of two to four syllables (~1.1M possible), two or three words a name;
//! a tenth of the identities carry a listed name with one typo, a
//! hundredth a listed IMO number. `cargo bench -p tumen-screen --bench screen`.

use std::time::Instant;

use tumen_screen::{Identity, Screen, Thresholds, WatchEntry};

const ENTRIES: usize = 50_000;
const IDENTITIES: usize = 1_000_000;

const WORDS: [&str; 48] = [
    "SEA", "STAR", "OCEAN", "GLORY", "PACIFIC", "SUN", "RISE", "GOLDEN", "DRAGON", "PEARL", "NORTH", "SOUTH", "EAST",
    "WEST", "WIND", "STORM", "SNOW", "RIVER", "MOON", "LUCKY", "FORTUNE", "ORIENT", "EXPRESS", "BRIGHT", "GRACE",
    "HARMONY", "VICTORY", "SPIRIT", "HORIZON", "POLAR", "EAGLE", "FALCON", "ISLAND", "CROWN", "ROYAL", "JADE",
    "SILVER", "BLUE", "WAVE", "CAPE", "BAY", "HOPE", "PRIDE", "UNITY", "ATLAS", "NOVA", "ZENITH", "MERIDIAN",
];

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: [&str; 32] = [
    "KA", "NG", "MYO", "SON", "JI", "HAI", "LONG", "TAI", "PING", "RU", "VO", "STO", "KOV", "MAR", "LIN", "DA", "YU",
    "BEL", "TRA", "NOR", "VEN", "GAL", "SHI", "ZEN", "PO", "RI", "ANA", "TEK", "OM", "DUN", "AY", "FEN",
];

fn word(rng: &mut Rng) -> String {
    if rng.below(5) == 0 {
        return WORDS[rng.below(WORDS.len())].to_owned();
    }
    (0..2 + rng.below(3)).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect()
}

fn name(rng: &mut Rng) -> String {
    let words = 2 + rng.below(2);
    let mut parts: Vec<String> = (0..words).map(|_| word(rng)).collect();
    if rng.below(3) == 0 {
        parts.push((1 + rng.below(9)).to_string());
    }
    parts.join(" ")
}

fn typo(name: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let at = rng.below(chars.len());
    if chars[at] != ' ' {
        chars[at] = (b'A' + rng.below(26) as u8) as char;
    }
    chars.into_iter().collect()
}

fn main() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let entries: Vec<WatchEntry> = (0..ENTRIES)
        .map(|i| WatchEntry {
            list: "bench".into(),
            id: i.to_string(),
            name: name(&mut rng),
            former_names: if i % 4 == 0 { vec![name(&mut rng)] } else { vec![] },
            imos: vec![format!("{}", 9_000_000 + i)],
            mmsis: if i % 2 == 0 { vec![format!("{}", 200_000_000 + i)] } else { vec![] },
            ..WatchEntry::default()
        })
        .collect();
    let identities: Vec<Identity> = (0..IDENTITIES)
        .map(|i| {
            let listed = &entries[rng.below(ENTRIES)];
            let names = if i % 10 == 0 { vec![typo(&listed.name, &mut rng)] } else { vec![name(&mut rng)] };
            let imo = if i % 100 == 0 { listed.imos[0].clone() } else { format!("{}", 8_000_000 + i) };
            Identity { mmsi: format!("{}", 300_000_000 + i), imos: vec![imo], names, call_signs: vec![] }
        })
        .collect();
    let started = Instant::now();
    let screen = Screen::new(&entries, Thresholds::default());
    let built = started.elapsed();
    let started = Instant::now();
    let (mut hits, mut matched) = (0usize, 0usize);
    for found in screen.screen_all(&identities) {
        hits += found.len();
        matched += found.iter().filter(|h| h.score >= 0.70).count();
    }
    let screened = started.elapsed();
    println!(
        "screen: {ENTRIES} entries indexed in {:.2} s; {IDENTITIES} identities screened in {:.2} s ({:.0} identities/s); {hits} hits shown, {matched} matches",
        built.as_secs_f64(),
        screened.as_secs_f64(),
        IDENTITIES as f64 / screened.as_secs_f64()
    );
}
