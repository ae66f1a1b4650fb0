//! Certificates made on the fly, so tests never depend on a date a committed file expires.

use base64::Engine as _;
use time::{Duration, OffsetDateTime};

/// A made certificate: its DER and the base64 body as metadata carries it.
pub struct MadeCert {
    pub der: Vec<u8>,
    pub pem: String,
}

impl MadeCert {
    /// Base64 of the DER on one line.
    pub fn base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.der)
    }

    /// Base64 wrapped every `width` characters with `separator` (Okta uses spaces, others CRLF).
    pub fn base64_wrapped(&self, width: usize, separator: &str) -> String {
        let flat = self.base64();
        flat.as_bytes()
            .chunks(width)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(separator)
    }
}

/// A self-signed ECDSA P-256 certificate with this common name, valid from `days_from_now_start`
/// to `days_from_now_end` days relative to now.
pub fn self_signed(
    common_name: &str,
    days_from_now_start: i64,
    days_from_now_end: i64,
) -> MadeCert {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = self_signed_with(&key, common_name, days_from_now_start, days_from_now_end);
    MadeCert {
        der: cert.der().to_vec(),
        pem: cert.pem(),
    }
}

/// A self-signed certificate for `key`, as [`self_signed`] makes them.
pub fn self_signed_with(
    key: &rcgen::KeyPair,
    common_name: &str,
    days_from_now_start: i64,
    days_from_now_end: i64,
) -> rcgen::Certificate {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, common_name);
    let now = OffsetDateTime::now_utc();
    params.not_before = now + Duration::days(days_from_now_start);
    params.not_after = now + Duration::days(days_from_now_end);
    params.self_signed(key).expect("self-signed certificate")
}

/// Upper-case hex SHA-256 of the DER, computed by the openssl command line (an independent
/// implementation), from `openssl x509 -fingerprint -sha256`.
pub fn openssl_fingerprint(der: &[u8], digest: &str) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("openssl")
        .args([
            "x509",
            "-inform",
            "DER",
            "-noout",
            "-fingerprint",
            &format!("-{digest}"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the openssl command is needed by this test (Debian package openssl)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(der)
        .expect("write");
    let output = child.wait_with_output().expect("openssl output");
    assert!(output.status.success(), "openssl failed");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    text.trim()
        .split_once('=')
        .expect("Fingerprint=...")
        .1
        .replace(':', "")
}
