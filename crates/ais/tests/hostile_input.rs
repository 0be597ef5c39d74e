//! No input makes the decoder panic, and every line is accounted for:
//! after `finish`, each line is exactly one of blank/comment, another
//! sentence (or `$PGHP`/tag-block metadata), rejected with a reason, or part
//! of a decoded message.

use proptest::prelude::*;
use tumen_ais::{Decoded, Decoder, DecoderConfig, FnSink, Rejected};

/// Real sentences to mutate: single and multi-part, tagged, trailed.
const SEEDS: &[&str] = &[
    "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
    "!AIVDM,2,1,9,B,55R3Vn82=ILTQ3KKS>1<D60Dq@E918U<F222221J1`?164vc03S1CCAD,0*2A",
    "!AIVDM,2,2,9,B,`88888888888880,2*76",
    "\\g:1-2-73874,n:157036,s:r003669945,c:1241544035*4A\\!AIVDM,1,1,,B,15N4cJ`005Jrek0H@9n`DW5608EP,0*13",
    "!AIVDM,1,1,,B,15Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*63,s1234,d-119,T12.34567123,r003669958,1085889680",
    "$PGHP,1,2014,4,10,13,30,29,165,219,,2190067,1,28*22",
    "!AIVDM,1,1,,A,8@2<HV@0BkLfrhhJWJT0SQrhF;<qoweVwwwwwwwwwwwwwwwwwwwwwwww,0*49",
    "!AIVDM,1,1,,A,H3uEwS4T0000000C4phhj0104130,0*43",
    "!AIVDM,1,1,,A,JB3R0GO7p>vQL8tjw0b5hqpd0706kh9d3lR2vbl0400,2*40",
    "$GPGGA,213950.00,5250.53669,N,00542.34920,E,1,09,1.03,-6.0,M,45.8,M,,*7B",
];

#[derive(Clone, Debug)]
enum Edit {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, u8),
    Delete(usize),
}

fn apply(line: &str, edits: &[Edit]) -> Vec<u8> {
    let mut bytes = line.as_bytes().to_vec();
    for edit in edits {
        let n = bytes.len().max(1);
        match *edit {
            Edit::Flip(at, b) => {
                let at = at % n;
                if let Some(x) = bytes.get_mut(at) {
                    *x ^= b;
                }
            }
            Edit::Truncate(at) => bytes.truncate(at % n),
            Edit::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Edit::Delete(at) => {
                if !bytes.is_empty() {
                    bytes.remove(at % bytes.len());
                }
            }
        }
    }
    bytes
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Flip(a, b)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), prop_oneof![Just(b','), Just(b'*'), Just(b'\\'), Just(b'!'), any::<u8>()])
            .prop_map(|(a, b)| Edit::Insert(a, b)),
        any::<usize>().prop_map(Edit::Delete),
    ]
}

fn line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => (proptest::sample::select(SEEDS), proptest::collection::vec(edit(), 0..4)).prop_map(|(seed, edits)| apply(seed, &edits)),
        1 => proptest::collection::vec(any::<u8>(), 0..120),
        1 => proptest::sample::select(SEEDS).prop_map(|s| s.as_bytes().to_vec()),
    ]
}

fn check_accounting(lines: &[Vec<u8>], lenient: bool, max_pending: usize) -> Result<(), TestCaseError> {
    let mut message_lines = 0u64;
    let mut rejected = Vec::new();
    let mut sink = FnSink {
        on_message: |d: &Decoded<'_>| {
            message_lines += u64::from(d.meta.fragments);
            assert!(d.meta.first_line <= d.meta.last_line);
        },
        on_reject: |r: &Rejected<'_>| rejected.push(r.line_number),
    };
    let mut config = DecoderConfig { lenient, ..DecoderConfig::default() };
    config.assembly.max_pending = max_pending;
    let mut decoder = Decoder::new(config);
    for line in lines {
        decoder.feed_line(line, &mut sink);
    }
    decoder.finish(&mut sink);
    let stats = decoder.stats();
    prop_assert_eq!(stats.lines, lines.len() as u64);
    prop_assert_eq!(stats.rejected_total(), rejected.len() as u64);
    prop_assert_eq!(
        stats.blank_or_comment + stats.other_sentences + stats.rejected_total() + message_lines,
        stats.lines,
        "every line is in exactly one bucket: {:?}",
        stats
    );
    rejected.sort_unstable();
    let before = rejected.len();
    rejected.dedup();
    prop_assert_eq!(before, rejected.len(), "a line was rejected twice");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_and_random_lines_never_panic_and_are_all_accounted_for(
        lines in proptest::collection::vec(line(), 0..40),
        lenient in any::<bool>(),
        max_pending in 1usize..4,
    ) {
        check_accounting(&lines, lenient, max_pending)?;
    }
}
