//! Writes a certificate's DER back out as PEM text (`\n` line ends) or as a Windows
//! "Base-64 encoded X.509 (.CER)" file (the same PEM with `\r\n` line ends).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// RFC 7468 asks generators for exactly 64 base64 characters per line.
const LINE_WIDTH: usize = 64;

/// PEM `CERTIFICATE` block for `der`, every line (the last included) ended by `newline`.
pub(super) fn pem(der: &[u8], newline: &str) -> String {
    let encoded = STANDARD.encode(der);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / LINE_WIDTH * 2 + 64);
    out.push_str("-----BEGIN CERTIFICATE-----");
    out.push_str(newline);
    // Base64 output is ASCII, so every 64-byte chunk is valid UTF-8 on its own.
    for line in encoded.as_bytes().chunks(LINE_WIDTH) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str(newline);
    }
    out.push_str("-----END CERTIFICATE-----");
    out.push_str(newline);
    out
}

#[cfg(test)]
mod tests {
    use crate::certificate::test_support::{self, RSA_SHA256_PEM};
    use crate::certificate::{Certificate, InputFormat};

    fn certificate() -> Certificate {
        let made = test_support::self_signed("Export", &rcgen::PKCS_ECDSA_P256_SHA256);
        Certificate::from_der(&made.der).unwrap()
    }

    #[test]
    fn pem_round_trip() {
        let cert = certificate();
        let pem = cert.to_pem();
        let (again, format) = Certificate::parse(pem.as_bytes()).unwrap();
        assert_eq!(format, InputFormat::Pem);
        assert_eq!(again, cert);
        let (again, format) = Certificate::parse(again.der()).unwrap();
        assert_eq!(format, InputFormat::Der);
        assert_eq!(again, cert);
    }

    #[test]
    fn pem_layout_is_rfc_7468() {
        let cert = Certificate::parse(RSA_SHA256_PEM.as_bytes()).unwrap().0;
        let pem = cert.to_pem();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(pem.ends_with("\n-----END CERTIFICATE-----\n"));
        assert!(!pem.contains('\r'));
        let lines: Vec<&str> = pem.lines().collect();
        let body = &lines[1..lines.len() - 1];
        let (last, full) = body.split_last().unwrap();
        assert!(full.iter().all(|line| line.len() == 64), "{pem}");
        assert!(!last.is_empty() && last.len() <= 64);
        // openssl writes the same layout, so for its own fixture the text is identical.
        assert_eq!(pem, RSA_SHA256_PEM);
    }

    #[test]
    fn openssl_reads_our_pem_and_cer() {
        let cert = certificate();
        for text in [cert.to_pem(), cert.to_base64_cer()] {
            let der = test_support::openssl(&["x509", "-outform", "DER"], text.as_bytes());
            assert_eq!(der, cert.der());
        }
    }

    #[test]
    fn cer_is_pem_with_crlf() {
        let cert = certificate();
        let cer = cert.to_base64_cer();
        assert!(cer.starts_with("-----BEGIN CERTIFICATE-----\r\n"));
        assert!(cer.ends_with("\r\n-----END CERTIFICATE-----\r\n"));
        assert_eq!(cer.matches('\n').count(), cer.matches("\r\n").count());
        assert_eq!(cer.replace("\r\n", "\n"), cert.to_pem());
        assert_eq!(Certificate::parse(cer.as_bytes()).unwrap().0, cert);
    }
}
