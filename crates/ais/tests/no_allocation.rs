//! The single-sentence path allocates nothing: after warm-up, decoding
//! thousands of tagged and untagged single-sentence lines (and the
//! multi-sentence messages between them, whose buffers are reused) makes no
//! heap allocation. Counted with a global allocator wrapper (the one unsafe
//! code of the workspace: a `GlobalAlloc` cannot be written without it).

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use tumen_ais::{Decoded, Decoder, DecoderConfig, Rejected, Sink};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator, only counting calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

struct Count {
    messages: usize,
    rejects: usize,
}

impl Sink for Count {
    fn message(&mut self, d: &Decoded<'_>) {
        self.messages += usize::from(d.message.mmsi().0 != 0);
    }
    fn reject(&mut self, _: &Rejected<'_>) {
        self.rejects += 1;
    }
}

const LINES: &[&str] = &[
    "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
    "\\s:rajin-shore,c:1694067000*07\\!AIVDM,1,1,,A,144jNS001V9E0w0H8Ct2F1p00<00,0*42",
    "!AIVDM,1,1,,B,15Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*63,s1234,d-119,T12.34567123,r003669958,1085889680",
    "!AIVDM,2,1,9,B,55R3Vn82=ILTQ3KKS>1<D60Dq@E918U<F222221J1`?164vc03S1CCAD,0*2A",
    "!AIVDM,2,2,9,B,`88888888888880,2*76",
    "\\s:vladivostok,c:1694066700*5D\\!AIVDM,1,1,,A,802VodP0GkjD21>Po0qP1Q9hfHG4LPnb:1u0000000000000000000397v00,0*49",
    "!AIVDM,1,1,,A,H3uEwS4T0000000C4phhj0104130,0*43",
    "$GPGGA,213950.00,5250.53669,N,00542.34920,E,1,09,1.03,-6.0,M,45.8,M,,*7B",
    "!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5D",
];

#[test]
fn steady_state_decoding_does_not_allocate() {
    let mut decoder = Decoder::new(DecoderConfig::default());
    let mut count = Count { messages: 0, rejects: 0 };
    // Warm-up: the fragment table takes its first slot's buffers here.
    for line in LINES {
        decoder.feed_line(line.as_bytes(), &mut count);
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..2_000 {
        for line in LINES {
            decoder.feed_line(line.as_bytes(), &mut count);
        }
    }
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert_eq!(allocations, 0, "decoding allocated {allocations} times");
    assert_eq!(count.messages, 2_001 * 6);
    assert_eq!(count.rejects, 2_001, "the bad-checksum line");
}
