//! The calls and invariants the fuzz targets check, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs`) and by the libFuzzer-free replay in `tests/fuzz_smoke.rs`, which
//! includes this file with `#[path]`. It therefore uses only what the main crate's tests can use
//! too: `goto_sso_wizard`, `serde_json` and `time`.
//!
//! Each function takes arbitrary bytes and must return; a panic (including a failed assertion
//! here) is a bug in the library, or an invariant below that does not hold.

use std::collections::HashSet;

use goto_sso_wizard::certificate::{Certificate, InputFormat};
use goto_sso_wizard::json::{CertificateJson, MetadataJson};
use goto_sso_wizard::metadata::{self, Metadata, MetadataError, ParseOptions, RootElement};
use goto_sso_wizard::xml::XmlInputError;
use time::OffsetDateTime;

/// A fixed "now" (2026-01-01T00:00:00Z) so a crashing input reproduces whatever the date.
pub fn fixed_now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_767_225_600).expect("a valid timestamp")
}

/// `metadata::parse` on `data` with every check (what the fuzz target runs).
pub fn metadata(data: &[u8]) {
    Checker::full().metadata(data);
}

/// Every certificate entry point on `data` with every check (what the fuzz target runs).
pub fn certificate(data: &[u8]) {
    Checker::full().certificate(data);
}

/// Which checks to run. The fuzz targets run all of them on every input; the replay test, which
/// must stay fast in debug builds, can check each distinct certificate's round trips once and
/// compare re-encodings on some inputs only. The calls into the library are the same.
#[derive(Debug)]
pub struct Checker {
    /// Also parse the document behind a UTF-8 byte-order mark and as UTF-16LE/BE.
    pub reencode: bool,
    /// DER of the certificates whose round trips were already checked (`None`: check every time).
    known_certificates: Option<HashSet<Vec<u8>>>,
}

impl Checker {
    /// Every check, every time.
    pub fn full() -> Self {
        Self {
            reencode: true,
            known_certificates: None,
        }
    }

    /// Checks each distinct certificate's round trips only the first time it is seen.
    pub fn remembering_certificates() -> Self {
        Self {
            reencode: true,
            known_certificates: Some(HashSet::new()),
        }
    }

    /// `metadata::parse` on `data`, with the invariants every result must satisfy, and (when
    /// `reencode`) the same document behind a UTF-8 byte-order mark and as UTF-16LE/BE, which
    /// must read identically.
    pub fn metadata(&mut self, data: &[u8]) {
        let options = ParseOptions {
            max_bytes: goto_sso_wizard::xml::DEFAULT_MAX_XML_BYTES,
            now: fixed_now(),
            source: None,
        };
        let result = metadata::parse(data, &options);
        match &result {
            Ok(parsed) => self.check_metadata(parsed),
            Err(error) => Self::check_metadata_error(error),
        }

        // Re-encodings that `xml::prepare` undoes must not change the answer (errors included:
        // positions are counted in the prepared text).
        let has_bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
            .iter()
            .any(|bom| data.starts_with(bom));
        if self.reencode && !has_bom {
            let expected = format!("{result:?}");
            let mut with_bom = b"\xEF\xBB\xBF".to_vec();
            with_bom.extend_from_slice(data);
            let got = format!("{:?}", metadata::parse(&with_bom, &options));
            assert_eq!(expected, got, "a UTF-8 byte-order mark changed the result");
            if let Ok(text) = std::str::from_utf8(data) {
                for (bom, encode) in [
                    (&[0xFF, 0xFE], u16::to_le_bytes as fn(u16) -> [u8; 2]),
                    (&[0xFE, 0xFF], u16::to_be_bytes as fn(u16) -> [u8; 2]),
                ] {
                    let utf16: Vec<u8> = bom
                        .iter()
                        .copied()
                        .chain(text.encode_utf16().flat_map(encode))
                        .collect();
                    let got = format!("{:?}", metadata::parse(&utf16, &options));
                    assert_eq!(expected, got, "UTF-16 ({bom:02X?}) changed the result");
                }
            }
        }

        // One byte over the limit is refused before parsing.
        if !data.is_empty() {
            let small = ParseOptions {
                max_bytes: data.len() - 1,
                ..options
            };
            assert!(
                matches!(
                    metadata::parse(data, &small),
                    Err(MetadataError::Input(XmlInputError::TooLarge { size, limit }))
                        if size == data.len() && limit == data.len() - 1
                ),
                "the size limit was not enforced"
            );
        }
    }

    fn check_metadata(&mut self, parsed: &Metadata) {
        let now = fixed_now();
        assert!(
            !parsed.entities.is_empty(),
            "Ok(Metadata) without entities (should be NoEntities)"
        );
        if parsed.root == RootElement::EntityDescriptor {
            assert_eq!(
                parsed.entities.len(),
                1,
                "an EntityDescriptor document holds exactly one entity"
            );
            assert!(parsed.name.is_none(), "only an aggregate has a Name");
        }
        for entity in &parsed.entities {
            assert!(
                !entity.entity_id.is_empty(),
                "an entity with an empty entityID"
            );
            assert_eq!(
                entity.entity_id,
                entity.entity_id.trim(),
                "entityID not trimmed"
            );
            assert!(!entity.kind.describe().is_empty());
            if let Some(valid_until) = entity.valid_until {
                assert!(!goto_sso_wizard::time_format::rfc3339(valid_until).is_empty());
            }
            if let Some(idp) = &entity.idp {
                for endpoint in idp.sso.iter().chain(&idp.slo) {
                    assert_eq!(
                        endpoint.location,
                        endpoint.location.trim(),
                        "Location not trimmed"
                    );
                }
                for (n, signing) in idp.signing_certificates.iter().enumerate() {
                    assert!(!signing.found_in.is_empty(), "a certificate found nowhere");
                    for (m, place) in signing.found_in.iter().enumerate() {
                        assert!(!place.is_empty());
                        assert!(
                            !signing.found_in[..m].contains(place),
                            "found_in lists {place} twice"
                        );
                    }
                    assert!(
                        idp.signing_certificates[..n]
                            .iter()
                            .all(|other| other.certificate.der() != signing.certificate.der()),
                        "signing certificates are not deduplicated"
                    );
                    self.check_certificate(&signing.certificate);
                }
            }
            if let Some(sp) = &entity.sp {
                for endpoint in &sp.acs {
                    assert_eq!(
                        endpoint.location,
                        endpoint.location.trim(),
                        "ACS Location not trimmed"
                    );
                }
            }
        }
        for warning in &parsed.warnings {
            assert!(!warning.is_empty(), "an empty warning");
        }
        // What `metadata inspect --json` prints.
        let json = serde_json::to_string(&MetadataJson::new(parsed, now)).expect("JSON");
        let value: serde_json::Value = serde_json::from_str(&json).expect("the JSON reads back");
        assert_eq!(
            value["entities"].as_array().map(Vec::len),
            Some(parsed.entities.len()),
            "the JSON lists a different number of entities"
        );
    }

    fn check_metadata_error(error: &MetadataError) {
        assert!(!error.to_string().is_empty());
        assert!(!error.kind().is_empty());
    }

    /// Every certificate entry point on `data`: `parse`, `parse_all`, `from_base64` on the lossy
    /// UTF-8 text, and `from_der`. Whatever parses must write out and read back unchanged.
    pub fn certificate(&mut self, data: &[u8]) {
        let first = Certificate::parse(data);
        if let Ok((certificate, format)) = &first {
            self.check_certificate(certificate);
            if *format == InputFormat::Der {
                assert_eq!(certificate.der(), data, "DER input not kept byte for byte");
            }
        }
        if let Err(error) = &first {
            assert!(!error.to_string().is_empty());
        }

        match Certificate::parse_all(data) {
            Ok(all) => {
                assert!(!all.is_empty(), "parse_all returned Ok with no certificate");
                for certificate in &all {
                    self.check_certificate(certificate);
                }
                match &first {
                    Ok((certificate, _)) => assert_eq!(
                        certificate, &all[0],
                        "parse and parse_all disagree on the first certificate"
                    ),
                    Err(error) => panic!("parse_all succeeded but parse failed: {error}"),
                }
            }
            Err(error) => {
                assert!(!error.to_string().is_empty());
                // Only a PEM file with several blocks can make parse_all fail where parse succeeds.
                if let Ok((_, format)) = &first {
                    assert_eq!(
                        *format,
                        InputFormat::Pem,
                        "parse succeeded on {format} input but parse_all failed: {error}"
                    );
                }
            }
        }

        let text = String::from_utf8_lossy(data);
        if let Ok(certificate) = Certificate::from_base64(&text) {
            self.check_certificate(&certificate);
        }

        if let Ok(certificate) = Certificate::from_der(data) {
            assert_eq!(certificate.der(), data);
            self.check_certificate(&certificate);
            // Valid DER always holds control bytes, so `parse` must see it as DER too.
            assert_eq!(
                first.as_ref().ok(),
                Some(&(certificate.clone(), InputFormat::Der)),
                "from_der accepts what parse does not read as the same DER"
            );
        }
    }

    /// What must hold for any certificate the library hands out.
    fn check_certificate(&mut self, certificate: &Certificate) {
        if let Some(known) = &mut self.known_certificates
            && !known.insert(certificate.der().to_vec())
        {
            return;
        }
        let now = fixed_now();
        assert_eq!(
            Certificate::from_der(certificate.der()).as_ref(),
            Ok(certificate),
            "the kept DER does not parse to the same certificate"
        );
        let pem = certificate.to_pem();
        assert_eq!(
            Certificate::parse(pem.as_bytes()),
            Ok((certificate.clone(), InputFormat::Pem)),
            "to_pem() does not read back as the same certificate"
        );
        assert_eq!(
            Certificate::parse_all(pem.as_bytes()),
            Ok(vec![certificate.clone()]),
            "parse_all(to_pem()) is not exactly this certificate"
        );
        assert_eq!(
            Certificate::parse(certificate.to_base64_cer().as_bytes()),
            Ok((certificate.clone(), InputFormat::Pem)),
            "to_base64_cer() does not read back as the same certificate"
        );
        let body: String = pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        assert_eq!(
            Certificate::from_base64(&body).as_ref(),
            Ok(certificate),
            "the PEM body does not read back through from_base64"
        );

        let info = certificate.info();
        let upper_hex = |text: &str| text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'A'..=b'F'));
        assert!(
            info.sha1.len() == 40 && upper_hex(&info.sha1),
            "sha1 {}",
            info.sha1
        );
        assert!(
            info.sha256.len() == 64 && upper_hex(&info.sha256),
            "sha256 {}",
            info.sha256
        );
        assert!(upper_hex(&info.serial), "serial {}", info.serial);
        assert!(!certificate.expiry(now).describe().is_empty());
        let json = serde_json::to_string(&CertificateJson::new(certificate, now)).expect("JSON");
        assert!(json.starts_with('{'));
    }
}

/// `diagnose::diagnose` on `data` (what the `diagnose` fuzz target runs): decoding of every
/// capture form, the response reader, signature verification (canonicalisation included) and
/// the checks, with the invariants below.
pub fn diagnose(data: &[u8]) {
    use goto_sso_wizard::diagnose::{self, CheckTime, Expected, RootCause, Severity, Verdict};

    let time = CheckTime {
        now: fixed_now(),
        given: true,
    };
    let Ok(diagnosis) = diagnose::diagnose(data, &Expected::published(), time) else {
        return;
    };
    // The verdict agrees with the findings, and the root cause is the first error's.
    assert_eq!(diagnosis.healthy, diagnosis.verdict == Verdict::Healthy);
    assert_eq!(
        diagnosis.verdict == Verdict::NotHealthy,
        diagnosis.root_cause.is_some()
    );
    let errors: Vec<_> = diagnosis
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.is_empty(), diagnosis.root_cause.is_none());
    // Against GoTo's published values alone no signer can be trusted: never healthy.
    assert!(!diagnosis.healthy);
    if let Some(cause) = diagnosis.root_cause {
        assert!(RootCause::ALL.contains(&cause));
        assert!(errors.iter().all(|f| f.cause().is_some_and(|c| c >= cause)));
    }
    // Never healthy without a signature that verifies: fuzzed input cannot forge one, so a
    // healthy verdict here means a check was skipped.
    if diagnosis.healthy {
        let signatures = &diagnosis.summary.signatures;
        assert!(!signatures.is_empty() && signatures.iter().all(|s| s.verified));
    }
    for finding in &diagnosis.findings {
        assert!(!finding.message.is_empty() && !finding.fix.is_empty());
    }
    let json = serde_json::to_string(&diagnosis).expect("JSON");
    assert!(json.starts_with('{'));
    let redacted = diagnose::redacted(&diagnosis);
    assert_eq!(redacted.root_cause, diagnosis.root_cause);
    for text in [
        diagnose::to_text(&redacted),
        diagnose::to_markdown(&redacted),
        diagnose::to_html(&redacted),
    ] {
        assert!(!text.is_empty());
    }
}
