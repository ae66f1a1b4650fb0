//! Reads DER with x509-parser and summarises it as a [`CertificateInfo`]: names, serial, validity,
//! key and signature algorithms, whether it is self-signed, and its thumbprints.

use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use x509_parser::asn1_rs::{Header, Length};
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::extensions::ParsedExtension;
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_DSA, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_NIST_EC_P521,
    OID_PKCS1_RSAENCRYPTION, OID_PKCS1_RSASSAPSS, OID_SIG_ED448, OID_SIG_ED25519,
};
use x509_parser::prelude::FromDer as _;
use x509_parser::public_key::RSAPublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::{CertificateError, CertificateInfo};

/// The DER of the certificate's SubjectPublicKeyInfo (algorithm and key), or `None` when the DER
/// does not parse (a [`super::Certificate`] always does).
pub(super) fn public_key_info(der: &[u8]) -> Option<Vec<u8>> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    Some(cert.public_key().raw.to_vec())
}

/// Parses exactly one DER certificate and describes it.
pub(super) fn read(der: &[u8]) -> Result<CertificateInfo, CertificateError> {
    if der.is_empty() {
        return Err(CertificateError::Empty);
    }
    let (rest, cert) = X509Certificate::from_der(der).map_err(|error| der_error(der, error))?;
    if !rest.is_empty() {
        return Err(CertificateError::TrailingData { extra: rest.len() });
    }
    let (key_algorithm, key_bits) = key_algorithm(cert.public_key());
    Ok(CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: hex::encode_upper(cert.raw_serial()),
        not_before: cert.validity().not_before.to_datetime(),
        not_after: cert.validity().not_after.to_datetime(),
        key_algorithm,
        key_bits,
        signature_algorithm: signature_algorithm(&cert),
        self_signed: looks_self_signed(&cert),
        sha1: hex::encode_upper(Sha1::digest(der)),
        sha256: hex::encode_upper(Sha256::digest(der)),
    })
}

/// The leading certificate of `der` when it parses, without whatever follows it; otherwise
/// all of `der`, so the caller's full parse reports the problem.
pub(super) fn leading_certificate(der: &[u8]) -> &[u8] {
    match X509Certificate::from_der(der) {
        Ok((rest, _)) => der
            .get(..der.len().saturating_sub(rest.len()))
            .unwrap_or(der),
        Err(_) => der,
    }
}

fn der_error(der: &[u8], error: x509_parser::nom::Err<X509Error>) -> CertificateError {
    const CUT_SHORT: &str = "it ends too early: the file was cut short, download or copy it again";
    let reason = match error {
        _ if is_cut_short(der) => CUT_SHORT.to_owned(),
        x509_parser::nom::Err::Incomplete(_) => CUT_SHORT.to_owned(),
        x509_parser::nom::Err::Error(error) | x509_parser::nom::Err::Failure(error) => {
            format!("{error} (is this a certificate, and is it complete?)")
        }
    };
    CertificateError::Der { reason }
}

/// Whether `der` starts with an ASN.1 header announcing more bytes than follow it: x509-parser
/// reports such truncation as a generic end-of-input error deep inside the structure.
fn is_cut_short(der: &[u8]) -> bool {
    match Header::from_der(der) {
        Ok((rest, header)) => match header.length() {
            Length::Definite(length) => length > rest.len(),
            Length::Indefinite => false,
        },
        Err(x509_parser::nom::Err::Incomplete(_)) => true,
        Err(_) => false,
    }
}

/// The key algorithm's display name and size (see [`CertificateInfo::key_algorithm`]).
fn key_algorithm(spki: &SubjectPublicKeyInfo<'_>) -> (String, Option<u32>) {
    let algorithm = &spki.algorithm.algorithm;
    if *algorithm == OID_PKCS1_RSAENCRYPTION {
        ("RSA".to_owned(), rsa_modulus_bits(spki))
    } else if *algorithm == OID_PKCS1_RSASSAPSS {
        ("RSA-PSS".to_owned(), rsa_modulus_bits(spki))
    } else if *algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|parameters| parameters.as_oid().ok());
        match curve {
            Some(curve) if curve == OID_EC_P256 => ("EC P-256".to_owned(), Some(256)),
            Some(curve) if curve == OID_NIST_EC_P384 => ("EC P-384".to_owned(), Some(384)),
            Some(curve) if curve == OID_NIST_EC_P521 => ("EC P-521".to_owned(), Some(521)),
            Some(curve) => (format!("EC {}", curve.to_id_string()), None),
            // Explicit curve parameters (forbidden by RFC 5480 but possible).
            None => ("EC".to_owned(), None),
        }
    } else if *algorithm == OID_SIG_ED25519 {
        ("Ed25519".to_owned(), None)
    } else if *algorithm == OID_SIG_ED448 {
        ("Ed448".to_owned(), None)
    } else if *algorithm == OID_KEY_TYPE_DSA {
        ("DSA".to_owned(), None)
    } else {
        (algorithm.to_id_string(), None)
    }
}

/// Exact bit length of the RSA modulus. x509-parser's own `key_size` only handles moduli
/// encoded with a leading zero byte and rounds to whole bytes.
fn rsa_modulus_bits(spki: &SubjectPublicKeyInfo<'_>) -> Option<u32> {
    let (_, key) = RSAPublicKey::from_der(&spki.subject_public_key.data).ok()?;
    significant_bits(key.modulus)
}

/// Bit length of a big-endian unsigned integer; `None` for zero.
fn significant_bits(big_endian: &[u8]) -> Option<u32> {
    let first_nonzero = big_endian.iter().position(|&byte| byte != 0)?;
    let significant = big_endian.get(first_nonzero..)?;
    let top = significant.first()?;
    let bits = (significant.len() - 1) * 8 + (8 - top.leading_zeros() as usize);
    u32::try_from(bits).ok()
}

/// The signature algorithm's short name from x509-parser's OID registry, or the OID.
fn signature_algorithm(cert: &X509Certificate<'_>) -> String {
    let oid = &cert.signature_algorithm.algorithm;
    x509_parser::objects::oid2sn(oid, x509_parser::objects::oid_registry())
        .map(str::to_owned)
        .unwrap_or_else(|_| oid.to_id_string())
}

/// Issuer equals subject, and the key identifiers (when both are present) agree. Names are
/// compared as encoded and, failing that, as displayed, because RFC 5280 name matching ignores
/// differences such as string type that a byte comparison would not.
fn looks_self_signed(cert: &X509Certificate<'_>) -> bool {
    let names_match = cert.issuer().as_raw() == cert.subject().as_raw()
        || cert.issuer().to_string() == cert.subject().to_string();
    if !names_match {
        return false;
    }
    let mut subject_key_id = None;
    let mut authority_key_id = None;
    for extension in cert.extensions() {
        match extension.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => subject_key_id = Some(id.0),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                authority_key_id = aki.key_identifier.as_ref().map(|id| id.0);
            }
            _ => {}
        }
    }
    match (subject_key_id, authority_key_id) {
        (Some(subject), Some(authority)) => subject == authority,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::test_support::{self, RSA_SHA1_PEM, RSA_SHA256_PEM};

    #[test]
    fn ec_p256_certificate() {
        let der = test_support::self_signed("EC Test", &rcgen::PKCS_ECDSA_P256_SHA256).der;
        let info = read(&der).unwrap();
        assert_eq!(info.subject, "CN=EC Test");
        assert_eq!(info.issuer, "CN=EC Test");
        assert_eq!(info.key_algorithm, "EC P-256");
        assert_eq!(info.key_bits, Some(256));
        assert_eq!(info.signature_algorithm, "ecdsa-with-SHA256");
        assert!(info.self_signed);
    }

    #[test]
    fn ec_p384_and_ed25519_certificates() {
        let der = test_support::self_signed("P384", &rcgen::PKCS_ECDSA_P384_SHA384).der;
        let info = read(&der).unwrap();
        assert_eq!(
            (info.key_algorithm.as_str(), info.key_bits),
            ("EC P-384", Some(384))
        );
        assert_eq!(info.signature_algorithm, "ecdsa-with-SHA384");

        let der = test_support::self_signed("Ed", &rcgen::PKCS_ED25519).der;
        let info = read(&der).unwrap();
        assert_eq!(
            (info.key_algorithm.as_str(), info.key_bits),
            ("Ed25519", None)
        );
        assert_eq!(info.signature_algorithm, "ed25519");
    }

    #[test]
    fn rsa_certificates() {
        let der = test_support::pem_to_der(RSA_SHA256_PEM);
        let info = read(&der).unwrap();
        assert_eq!(info.subject, "CN=Test RSA Signing");
        assert_eq!(info.key_algorithm, "RSA");
        assert_eq!(info.key_bits, Some(2048));
        assert_eq!(info.signature_algorithm, "sha256WithRSAEncryption");
        assert!(info.self_signed);

        let info = read(&test_support::pem_to_der(RSA_SHA1_PEM)).unwrap();
        assert_eq!(info.signature_algorithm, "sha1WithRSAEncryption");
        assert_eq!(info.key_bits, Some(2048));
    }

    #[test]
    fn certificate_issued_by_a_separate_ca_is_not_self_signed() {
        let (ca, leaf) = test_support::ca_and_leaf();
        let ca_info = read(&ca).unwrap();
        let leaf_info = read(&leaf).unwrap();
        assert!(ca_info.self_signed);
        assert!(!leaf_info.self_signed);
        assert_eq!(leaf_info.issuer, ca_info.subject);
    }

    #[test]
    fn same_name_but_other_key_is_not_self_signed() {
        // A leaf that carries its CA's name: only the key identifiers tell them apart.
        let leaf = test_support::leaf_named_like_its_ca();
        let info = read(&leaf).unwrap();
        assert_eq!(info.issuer, info.subject);
        assert!(!info.self_signed);
    }

    #[test]
    fn serial_and_validity_come_from_the_certificate() {
        let made = test_support::self_signed_with(|params| {
            params.serial_number = Some(rcgen::SerialNumber::from_slice(&[0x00, 0xA1, 0x02]));
            params.not_before = rcgen::date_time_ymd(2024, 1, 2);
            params.not_after = rcgen::date_time_ymd(2027, 1, 2);
        });
        let info = read(&made.der).unwrap();
        assert_eq!(info.serial, "00A102");
        assert_eq!(
            info.not_before,
            time::macros::datetime!(2024-01-02 0:00 UTC)
        );
        assert_eq!(info.not_after, time::macros::datetime!(2027-01-02 0:00 UTC));
    }

    #[test]
    fn thumbprints_match_openssl() {
        for der in [
            test_support::self_signed("Thumbprint", &rcgen::PKCS_ECDSA_P256_SHA256).der,
            test_support::pem_to_der(RSA_SHA256_PEM),
        ] {
            let info = read(&der).unwrap();
            assert_eq!(info.sha1, test_support::openssl_fingerprint(&der, "-sha1"));
            assert_eq!(
                info.sha256,
                test_support::openssl_fingerprint(&der, "-sha256")
            );
            assert_eq!(info.sha1.len(), 40);
            assert_eq!(info.sha256.len(), 64);
        }
    }

    #[test]
    fn truncated_der_is_reported_as_cut_short() {
        let der = test_support::self_signed("Cut", &rcgen::PKCS_ECDSA_P256_SHA256).der;
        for cut in [1, 10, der.len() / 2, der.len() - 1] {
            let error = read(&der[..cut]).unwrap_err();
            assert!(
                matches!(&error, CertificateError::Der { reason } if reason.contains("ends too early")),
                "cut at {cut}: {error}"
            );
        }
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let mut der = test_support::self_signed("Trail", &rcgen::PKCS_ECDSA_P256_SHA256).der;
        der.extend_from_slice(&[0, 0, 0]);
        assert_eq!(read(&der), Err(CertificateError::TrailingData { extra: 3 }));
        assert_eq!(leading_certificate(&der).len(), der.len() - 3);
    }

    #[test]
    fn not_a_certificate_der() {
        let error = read(&[0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err();
        assert!(matches!(error, CertificateError::Der { .. }), "{error}");
        assert_eq!(read(&[]), Err(CertificateError::Empty));
    }

    #[test]
    fn significant_bits_are_exact() {
        assert_eq!(significant_bits(&[0x00, 0x80, 0x00]), Some(16));
        assert_eq!(significant_bits(&[0x7F; 256]), Some(2047));
        assert_eq!(significant_bits(&[0x00, 0x00, 0x01]), Some(1));
        assert_eq!(significant_bits(&[0x00, 0x00]), None);
        assert_eq!(significant_bits(&[]), None);
    }
}
