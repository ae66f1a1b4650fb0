//! X.509 certificates: read the identity provider's signing certificate in whatever form Entra hands
//! it out (DER, PEM, Base64 `.cer`, the base64 inside metadata XML), describe it, and write it back
//! out in the forms GoTo and people need.
//!
//! Nothing here trusts its input: every parser returns a [`CertificateError`] a person can act on and
//! none of them panics. Submodules, one job each:
//! - `parse`: detect the input format and turn it into DER;
//! - `pem` and `base64_text`: the PEM armour and the whitespace-tolerant base64 decoding beneath it;
//! - `info`: the [`CertificateInfo`] summary of a parsed certificate;
//! - `export`: PEM and Windows `.cer` text;
//! - `expiry`: how close a certificate is to expiring, against Entra's notice windows;
//! - `error`: [`CertificateError`].

mod base64_text;
mod error;
mod expiry;
mod export;
mod info;
mod parse;
mod pem;

#[cfg(test)]
mod test_support;

use std::fmt;

pub use error::CertificateError;
pub use expiry::{EXPIRY_NOTICE_DAYS, Expiry, ExpiryStatus};

/// The largest input [`Certificate::parse`], [`Certificate::parse_all`],
/// [`Certificate::from_base64`] and [`Certificate::from_der`] accept, in bytes.
///
/// Entra's signing certificates are about 1 KiB as DER; a megabyte leaves room for long chains
/// in one PEM file while refusing, up front, a wrongly picked video or disk image.
pub const MAX_CERTIFICATE_INPUT: usize = 1024 * 1024;

/// A parsed X.509 certificate. It keeps its DER encoding, so it can be written back out
/// byte for byte (thumbprints depend on that).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    info: CertificateInfo,
}

/// What a person (and a support report) needs to know about a certificate.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CertificateInfo {
    /// The subject name as x509-parser displays it, e.g. `CN=Microsoft Azure Federated SSO Certificate`
    /// (attributes in encoded order, separated by `, `).
    pub subject: String,
    /// The issuer name, in the same form as [`CertificateInfo::subject`].
    pub issuer: String,
    /// The serial number: its DER content bytes in uppercase hex without separators. A leading
    /// `00` that DER needs to keep the number positive is kept, so this matches the bytes in the
    /// certificate (OpenSSL's `-serial` drops it).
    pub serial: String,
    /// Start of the validity period.
    #[serde(serialize_with = "serialize_rfc3339")]
    pub not_before: time::OffsetDateTime,
    /// End of the validity period (inclusive, as in RFC 5280).
    #[serde(serialize_with = "serialize_rfc3339")]
    pub not_after: time::OffsetDateTime,
    /// The public key's algorithm: `RSA`, `RSA-PSS`, `EC P-256`, `EC P-384`, `EC P-521`,
    /// `Ed25519`, `Ed448`, `DSA`, `EC <curve OID>` for other curves, or the algorithm's OID
    /// in dotted form when unknown.
    pub key_algorithm: String,
    /// The key size in bits: the RSA modulus length or the named EC curve's size.
    /// `None` for Ed25519/Ed448 (fixed-size keys), unnamed curves, DSA and unknown algorithms.
    pub key_bits: Option<u32>,
    /// The signature algorithm's short name, e.g. `sha256WithRSAEncryption`,
    /// `sha1WithRSAEncryption`, `ecdsa-with-SHA256`, `ed25519`; the OID in dotted form when unknown.
    pub signature_algorithm: String,
    /// Whether the certificate is self-signed, as far as can be told without checking the
    /// signature: the issuer equals the subject and, when both key identifiers are present, the
    /// authority key identifier equals the subject key identifier. The signature itself is **not**
    /// verified (x509-parser is built without its `verify` feature).
    pub self_signed: bool,
    /// SHA-1 thumbprint of the DER in uppercase hex without separators: the form Entra shows.
    pub sha1: String,
    /// SHA-256 thumbprint of the DER in uppercase hex without separators.
    pub sha256: String,
}

/// Writes an instant as RFC 3339 text, as `time::serde::rfc3339` would; that module needs the
/// `time` crate's `serde` feature, which this crate does not enable.
fn serialize_rfc3339<S: serde::Serializer>(
    instant: &time::OffsetDateTime,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = instant
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

/// The encoding [`Certificate::parse`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Binary DER (a "DER encoded binary X.509 (.CER)" file).
    Der,
    /// One or more `-----BEGIN CERTIFICATE-----` blocks.
    Pem,
    /// Bare base64 of the DER, without BEGIN/END lines (as inside `<ds:X509Certificate>`).
    Base64,
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputFormat::Der => "DER",
            InputFormat::Pem => "PEM",
            InputFormat::Base64 => "Base64",
        })
    }
}

impl Certificate {
    /// Parses one DER-encoded certificate. The input must be exactly one certificate:
    /// bytes after it are an error ([`CertificateError::TrailingData`]).
    pub fn from_der(der: &[u8]) -> Result<Certificate, CertificateError> {
        parse::check_size(der)?;
        // A certificate is a universal, constructed SEQUENCE (0x30). x509-parser checks only the
        // tag number, so without this other classes (0x10, 0x70, 0xB0, 0xF0) would be accepted,
        // and thumbprints computed over bytes that are not valid DER (found by fuzzing).
        if der.first().is_some_and(|&tag| tag != 0x30) {
            return Err(CertificateError::Der {
                reason: format!(
                    "it starts with the tag 0x{:02X}, not an ASN.1 SEQUENCE (0x30) as every certificate does",
                    der.first().copied().unwrap_or_default()
                ),
            });
        }
        let info = info::read(der)?;
        Ok(Certificate {
            der: der.to_vec(),
            info,
        })
    }

    /// Reads a certificate file in any form Entra offers and reports which one it was:
    /// DER; PEM (the first `CERTIFICATE` block when there are several, see
    /// [`Certificate::parse_all`]); or bare base64 (a "Base64" `.cer` without its BEGIN/END lines,
    /// or text copied out of metadata). Tolerates a UTF-8 byte order mark, CRLF or LF line ends,
    /// whitespace and line breaks anywhere in the base64, and blank lines or other text around
    /// PEM blocks.
    pub fn parse(bytes: &[u8]) -> Result<(Certificate, InputFormat), CertificateError> {
        let (der, format) = parse::first_der(bytes)?;
        Ok((Certificate::from_der(&der)?, format))
    }

    /// Like [`Certificate::parse`], but returns every certificate: all `CERTIFICATE` blocks of a
    /// PEM file, in order (PEM blocks of other kinds, such as a private key bundled alongside, are
    /// skipped), or the single certificate of a DER or base64 input.
    pub fn parse_all(bytes: &[u8]) -> Result<Vec<Certificate>, CertificateError> {
        parse::all_der(bytes)?
            .iter()
            .map(|der| Certificate::from_der(der))
            .collect()
    }

    /// Parses the base64 text of a certificate as found in `<ds:X509Certificate>`: base64 only
    /// (no BEGIN/END lines), with whitespace and line breaks allowed anywhere.
    pub fn from_base64(text: &str) -> Result<Certificate, CertificateError> {
        parse::check_size(text.as_bytes())?;
        let der = base64_text::decode(text.as_bytes(), 0)?;
        Certificate::from_der(&der)
    }

    /// The certificate's details.
    pub fn info(&self) -> &CertificateInfo {
        &self.info
    }

    /// The DER encoding, exactly as read.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The DER of the SubjectPublicKeyInfo: the key the certificate vouches for, with its
    /// algorithm.
    pub fn public_key_info(&self) -> Vec<u8> {
        info::public_key_info(&self.der).unwrap_or_default()
    }

    /// Whether both certificates are for the same public key (an identity provider that renews
    /// its certificate may keep its key: signatures stay verifiable by the old certificate).
    pub fn same_key(&self, other: &Certificate) -> bool {
        let mine = self.public_key_info();
        !mine.is_empty() && mine == other.public_key_info()
    }

    /// PEM text: `-----BEGIN CERTIFICATE-----`, base64 in lines of 64 characters, and
    /// `-----END CERTIFICATE-----`, each line ending in `\n`. This is what GoTo's manual
    /// identity provider form takes.
    pub fn to_pem(&self) -> String {
        export::pem(&self.der, "\n")
    }

    /// A Windows "Base-64 encoded X.509 (.CER)" file: the same PEM text as
    /// [`Certificate::to_pem`] but with `\r\n` line ends, as Windows' certificate export and
    /// Entra's download write it.
    pub fn to_base64_cer(&self) -> String {
        export::pem(&self.der, "\r\n")
    }

    /// How the certificate's validity stands at `now`.
    pub fn expiry(&self, now: time::OffsetDateTime) -> Expiry {
        Expiry::at(self.info.not_before, self.info.not_after, now)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{self, RSA_SHA1_PEM, RSA_SHA256_PEM};
    use super::*;

    fn p256(common_name: &str) -> test_support::Made {
        test_support::self_signed(common_name, &rcgen::PKCS_ECDSA_P256_SHA256)
    }

    /// Base64 of `der` broken into lines of `width` joined by `newline`.
    fn base64_lines(der: &[u8], width: usize, newline: &str) -> String {
        use ::base64::Engine as _;
        let encoded = ::base64::engine::general_purpose::STANDARD.encode(der);
        encoded
            .as_bytes()
            .chunks(width)
            .map(|chunk| std::str::from_utf8(chunk).unwrap())
            .collect::<Vec<_>>()
            .join(newline)
    }

    #[test]
    fn der_pem_round_trip_is_equal() {
        let made = p256("Round Trip");
        let (from_der, format) = Certificate::parse(&made.der).unwrap();
        assert_eq!(format, InputFormat::Der);
        assert_eq!(from_der.der(), made.der.as_slice());
        let (from_pem, format) = Certificate::parse(from_der.to_pem().as_bytes()).unwrap();
        assert_eq!(format, InputFormat::Pem);
        assert_eq!(from_pem, from_der);
        let (from_rcgen_pem, _) = Certificate::parse(made.pem.as_bytes()).unwrap();
        assert_eq!(from_rcgen_pem, from_der);
    }

    #[test]
    fn pem_with_crlf_bom_and_blank_lines() {
        let made = p256("CRLF");
        let text = format!(
            "\u{FEFF}\r\n\r\n{}\r\n\r\n",
            made.pem.trim_end().replace('\n', "\r\n")
        );
        let (cert, format) = Certificate::parse(text.as_bytes()).unwrap();
        assert_eq!(format, InputFormat::Pem);
        assert_eq!(cert.der(), made.der.as_slice());
    }

    #[test]
    fn pem_joined_into_one_line_by_a_web_form() {
        let made = p256("One Line");
        let text = made.pem.replace('\n', " ");
        assert_eq!(
            Certificate::parse(text.as_bytes()).unwrap().0.der(),
            made.der
        );
    }

    #[test]
    fn bare_base64_as_entra_and_metadata_carry_it() {
        let made = p256("Bare");
        let variants = [
            base64_lines(&made.der, usize::MAX, ""),
            base64_lines(&made.der, 64, "\r\n") + "\r\n",
            format!("\u{FEFF}\n\n  {}  \n\n", base64_lines(&made.der, 76, "\n")),
            base64_lines(&made.der, 7, " \t\r\n   "),
        ];
        for text in variants {
            let (cert, format) = Certificate::parse(text.as_bytes()).unwrap();
            assert_eq!(format, InputFormat::Base64, "{text:?}");
            assert_eq!(cert.der(), made.der.as_slice());
            if !text.starts_with('\u{FEFF}') {
                assert_eq!(Certificate::from_base64(&text).unwrap().der(), made.der);
            }
        }
    }

    #[test]
    fn from_base64_takes_only_base64() {
        let made = p256("Strict");
        assert!(matches!(
            Certificate::from_base64(&made.pem),
            Err(CertificateError::NotBase64 {
                line: 1,
                column: 1,
                found: '-',
                ..
            })
        ));
        assert_eq!(
            Certificate::from_base64(" \n\t "),
            Err(CertificateError::Empty)
        );
    }

    #[test]
    fn two_pem_blocks() {
        let first = p256("First");
        let second = p256("Second");
        let text = format!(
            "subject=CN=First\n{}\n{}{}",
            first.pem, first.key_pem, second.pem
        );
        let (cert, format) = Certificate::parse(text.as_bytes()).unwrap();
        assert_eq!(format, InputFormat::Pem);
        assert_eq!(cert.info().subject, "CN=First");
        let all = Certificate::parse_all(text.as_bytes()).unwrap();
        let subjects: Vec<&str> = all.iter().map(|c| c.info().subject.as_str()).collect();
        assert_eq!(subjects, ["CN=First", "CN=Second"]);
    }

    #[test]
    fn parse_all_of_single_inputs() {
        let made = p256("Single");
        assert_eq!(Certificate::parse_all(&made.der).unwrap().len(), 1);
        let bare = base64_lines(&made.der, 64, "\n");
        assert_eq!(Certificate::parse_all(bare.as_bytes()).unwrap().len(), 1);
        assert_eq!(Certificate::parse_all(b""), Err(CertificateError::Empty));
    }

    #[test]
    fn parse_all_fails_when_any_certificate_block_is_bad() {
        let made = p256("Good");
        let text = format!(
            "{}-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n",
            made.pem
        );
        assert!(Certificate::parse(text.as_bytes()).is_ok());
        assert!(matches!(
            Certificate::parse_all(text.as_bytes()),
            Err(CertificateError::Der { .. })
        ));
    }

    #[test]
    fn private_key_and_csr_are_not_certificates() {
        let made = p256("Key");
        for (text, label) in [
            (made.key_pem, "PRIVATE KEY"),
            (test_support::csr_pem("Request"), "CERTIFICATE REQUEST"),
        ] {
            let expected = CertificateError::NotACertificate {
                label: label.into(),
            };
            assert_eq!(
                Certificate::parse(text.as_bytes()).err(),
                Some(expected.clone())
            );
            assert_eq!(
                Certificate::parse_all(text.as_bytes()).err(),
                Some(expected)
            );
        }
    }

    #[test]
    fn trusted_certificate_block_keeps_only_the_certificate() {
        let made = p256("Trusted");
        let trust = test_support::openssl(
            &["x509", "-trustout", "-addtrust", "serverAuth"],
            made.pem.as_bytes(),
        );
        let text = String::from_utf8(trust).unwrap();
        assert!(text.contains("BEGIN TRUSTED CERTIFICATE"), "{text}");
        assert_eq!(
            Certificate::parse(text.as_bytes()).unwrap().0.der(),
            made.der
        );
    }

    #[test]
    fn garbage_inputs() {
        assert!(matches!(
            Certificate::parse(b"hello, this is not a certificate"),
            Err(CertificateError::NotBase64 { found: ',', .. })
        ));
        assert!(matches!(
            Certificate::parse(b"aGVsbG8gd29ybGQ="),
            Err(CertificateError::Der { .. })
        ));
        assert_eq!(
            Certificate::parse(b"\x00\x01\x02\x03").err(),
            Some(CertificateError::UnknownFormat)
        );
        assert_eq!(
            Certificate::parse(b"<EntityDescriptor/>").err(),
            Some(CertificateError::Xml)
        );
    }

    #[test]
    fn empty_inputs() {
        assert_eq!(Certificate::parse(b"").err(), Some(CertificateError::Empty));
        assert_eq!(
            Certificate::parse(b"\xEF\xBB\xBF\r\n\r\n").err(),
            Some(CertificateError::Empty)
        );
        assert_eq!(
            Certificate::from_der(b"").err(),
            Some(CertificateError::Empty)
        );
        assert_eq!(
            Certificate::from_base64("").err(),
            Some(CertificateError::Empty)
        );
    }

    #[test]
    fn truncated_der_and_base64() {
        let made = p256("Truncated");
        let cut = &made.der[..made.der.len() - 20];
        assert!(matches!(
            Certificate::parse(cut),
            Err(CertificateError::Der { reason }) if reason.contains("ends too early")
        ));
        let pem = made.pem.replace("-----END CERTIFICATE-----\n", "");
        assert_eq!(
            Certificate::parse(pem.as_bytes()).err(),
            Some(CertificateError::MissingPemEnd {
                label: "CERTIFICATE".into()
            })
        );
        let bare = base64_lines(&made.der, 64, "\n");
        let half = &bare[..bare.len() / 2];
        assert!(Certificate::parse(half.as_bytes()).is_err());
    }

    #[test]
    fn trailing_bytes_after_der_are_refused() {
        let made = p256("Trailing");
        let mut der = made.der.clone();
        der.extend_from_slice(b"\0garbage");
        assert_eq!(
            Certificate::parse(&der).err(),
            Some(CertificateError::TrailingData { extra: 8 })
        );
        assert_eq!(
            Certificate::from_der(&der).err(),
            Some(CertificateError::TrailingData { extra: 8 })
        );
        let bare = base64_lines(&der, 64, "\n");
        assert_eq!(
            Certificate::from_base64(&bare).err(),
            Some(CertificateError::TrailingData { extra: 8 })
        );
    }

    #[test]
    fn oversized_inputs_are_refused_before_parsing() {
        let big = vec![b'A'; MAX_CERTIFICATE_INPUT + 1];
        let expected = CertificateError::TooLarge {
            size: MAX_CERTIFICATE_INPUT + 1,
            limit: MAX_CERTIFICATE_INPUT,
        };
        assert_eq!(Certificate::parse(&big).err(), Some(expected.clone()));
        assert_eq!(Certificate::parse_all(&big).err(), Some(expected.clone()));
        assert_eq!(Certificate::from_der(&big).err(), Some(expected.clone()));
        let text = String::from_utf8(big).unwrap();
        assert_eq!(Certificate::from_base64(&text).err(), Some(expected));
    }

    #[test]
    fn rsa_fixtures_through_the_public_api() {
        let (sha256, _) = Certificate::parse(RSA_SHA256_PEM.as_bytes()).unwrap();
        let info = sha256.info();
        assert_eq!(
            (info.key_algorithm.as_str(), info.key_bits),
            ("RSA", Some(2048))
        );
        assert_eq!(info.signature_algorithm, "sha256WithRSAEncryption");
        assert!(info.self_signed);
        let (sha1, _) = Certificate::parse(RSA_SHA1_PEM.as_bytes()).unwrap();
        assert_eq!(sha1.info().signature_algorithm, "sha1WithRSAEncryption");
        assert_eq!(
            sha1.info().sha1,
            test_support::openssl_fingerprint(sha1.der(), "-sha1")
        );
    }

    #[test]
    fn info_serialises_with_rfc3339_dates() {
        let made = test_support::self_signed_with(|params| {
            params.not_before = rcgen::date_time_ymd(2024, 1, 2);
            params.not_after = rcgen::date_time_ymd(2027, 1, 2);
        });
        let cert = Certificate::from_der(&made.der).unwrap();
        let json = serde_json::to_value(cert.info()).unwrap();
        assert_eq!(json["not_before"], "2024-01-02T00:00:00Z");
        assert_eq!(json["not_after"], "2027-01-02T00:00:00Z");
        assert_eq!(json["key_algorithm"], "EC P-256");
        assert_eq!(json["sha1"], cert.info().sha1.as_str());
    }

    #[test]
    fn no_panic_on_mangled_inputs() {
        // Every prefix, and every single-byte corruption near the start, of each form: the
        // parser must answer, never panic.
        let made = p256("Fuzz");
        let bare = base64_lines(&made.der, 64, "\r\n");
        for input in [
            made.der.clone(),
            made.pem.clone().into_bytes(),
            bare.into_bytes(),
        ] {
            for len in 0..input.len() {
                let _ = Certificate::parse(&input[..len]);
                let _ = Certificate::parse_all(&input[..len]);
            }
            for index in 0..input.len().min(96) {
                for byte in [0x00, 0x30, 0x80, 0xFF, b'-', b'=', b'\n'] {
                    let mut mangled = input.clone();
                    mangled[index] = byte;
                    let _ = Certificate::parse(&mangled);
                }
            }
        }
    }
}
