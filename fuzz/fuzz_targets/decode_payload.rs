//! Arbitrary bytes as message bits: decoding must not panic, and whatever
//! decodes must encode and decode back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tumen_ais::{Bits, Message};

fuzz_target!(|data: &[u8]| {
    let Some((&extra, bytes)) = data.split_first() else { return };
    let bytes = &bytes[..bytes.len().min(128)];
    let len = (bytes.len() * 8).saturating_sub(usize::from(extra % 8));
    let Some(bits) = Bits::from_bytes(bytes, len) else { return };
    if let Ok(message) = Message::decode(&bits) {
        let encoded = message.encode().expect("a decoded message fits its fields");
        assert_eq!(Message::decode(&encoded), Ok(message));
        if let Message::AddressedBinary(m) = &message {
            let _ = m.application();
        }
        if let Message::BroadcastBinary(m) = &message {
            let _ = m.application();
        }
    }
});
