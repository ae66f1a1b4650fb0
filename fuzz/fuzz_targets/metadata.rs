//! `metadata::parse` on arbitrary bytes; the invariants are in `../src/lib.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    goto_sso_wizard_fuzz::metadata(data);
});
