//! Writes a heavy but small HAR file for measuring how `diagnose` reads captures: MESSAGES
//! deflated SAMLResponses (default 128), each inflating to just under the per-message limit, so
//! the whole file is about 0.9 MB while decoding every message would produce 640 MiB.
//!
//! `cargo run --example make_capture -- target/bench/deflated-128.har [MESSAGES]`, then
//! `/usr/bin/time -v target/debug/goto-sso-wizard diagnose target/bench/deflated-128.har`.

use std::io::Write;

use base64::Engine as _;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: make_capture OUTPUT.har [MESSAGES]");
        return std::process::ExitCode::from(2);
    };
    let messages: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(128);
    let limit = goto_sso_wizard::diagnose::MAX_MESSAGE_BYTES;
    let mut entries = Vec::new();
    for number in 0..messages {
        let mut xml = format!(
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r{number}\" Version=\"2.0\" IssueInstant=\"2026-03-02T08:15:00Z\"><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Responder\"/></samlp:Status>"
        )
        .into_bytes();
        xml.resize(limit - 4096, b' ');
        xml.extend_from_slice(b"</samlp:Response>");
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&xml).expect("in memory");
        let value =
            base64::engine::general_purpose::STANDARD.encode(encoder.finish().expect("in memory"));
        let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        entries.push(serde_json::json!({
            "startedDateTime": "2026-03-02T08:15:01Z",
            "request": {"method": "POST", "url": "https://authentication.logmeininc.com/saml/acs",
                "postData": {"mimeType": "application/x-www-form-urlencoded",
                    "params": [{"name": "SAMLResponse", "value": value}]}}
        }));
    }
    let har = serde_json::json!({"log": {"version": "1.2", "entries": entries}}).to_string();
    if let Some(folder) = std::path::Path::new(&path).parent() {
        let _ = std::fs::create_dir_all(folder);
    }
    match std::fs::write(&path, &har) {
        Ok(()) => {
            eprintln!("wrote {path}: {messages} messages, {} bytes", har.len());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write {path}: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
