//! `diagnose::diagnose` on arbitrary bytes: capture decoding (XML, base64, deflate, form
//! bodies, HAR, SAML-tracer), the response reader, XML-DSig verification and the checks; the
//! invariants are in `../src/lib.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    goto_sso_wizard_fuzz::diagnose(data);
});
