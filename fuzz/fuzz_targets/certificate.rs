//! `Certificate::parse`, `parse_all`, `from_base64` (lossy UTF-8) and `from_der` on arbitrary
//! bytes; the invariants (including the `to_pem()` round trip) are in `../src/lib.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    goto_sso_wizard_fuzz::certificate(data);
});
