//! Input detection: decides whether the bytes are DER, PEM or bare base64 and turns them into DER.
//! Parsing the DER itself is `info`'s job.

use super::{CertificateError, InputFormat, MAX_CERTIFICATE_INPUT, base64_text, pem};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Refuses inputs larger than [`MAX_CERTIFICATE_INPUT`].
pub(super) fn check_size(bytes: &[u8]) -> Result<(), CertificateError> {
    if bytes.len() > MAX_CERTIFICATE_INPUT {
        return Err(CertificateError::TooLarge {
            size: bytes.len(),
            limit: MAX_CERTIFICATE_INPUT,
        });
    }
    Ok(())
}

/// The DER of the first certificate in `bytes`, and the format it was found in.
pub(super) fn first_der(bytes: &[u8]) -> Result<(Vec<u8>, InputFormat), CertificateError> {
    match classify(bytes)? {
        Input::Der(der) => Ok((der.to_vec(), InputFormat::Der)),
        Input::Text { text, bom } => {
            let blocks = pem::blocks(text)?;
            if blocks.is_empty() {
                return Ok((bare_base64(text, bom)?, InputFormat::Base64));
            }
            let block = blocks
                .iter()
                .find(|block| block.is_certificate())
                .ok_or_else(|| not_a_certificate(&blocks))?;
            Ok((block_der(text, bom, block)?, InputFormat::Pem))
        }
    }
}

/// The DER of every certificate in `bytes` (see [`super::Certificate::parse_all`]).
pub(super) fn all_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, CertificateError> {
    match classify(bytes)? {
        Input::Der(der) => Ok(vec![der.to_vec()]),
        Input::Text { text, bom } => {
            let blocks = pem::blocks(text)?;
            if blocks.is_empty() {
                return Ok(vec![bare_base64(text, bom)?]);
            }
            let certificates: Vec<_> = blocks
                .iter()
                .filter(|block| block.is_certificate())
                .map(|block| block_der(text, bom, block))
                .collect::<Result<_, _>>()?;
            if certificates.is_empty() {
                return Err(not_a_certificate(&blocks));
            }
            Ok(certificates)
        }
    }
}

/// What the input looks like before any decoding.
enum Input<'a> {
    /// Binary data starting like DER.
    Der(&'a [u8]),
    /// Text (PEM or base64), without its byte order mark; `bom` is the mark's length (0 or 3),
    /// so error positions can refer to the original bytes.
    Text { text: &'a str, bom: usize },
}

fn classify(bytes: &[u8]) -> Result<Input<'_>, CertificateError> {
    check_size(bytes)?;
    let (bom, rest) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (UTF8_BOM.len(), rest),
        None => (0, bytes),
    };
    if let Ok(text) = std::str::from_utf8(rest)
        && !text
            .chars()
            .any(|c| c.is_control() && !c.is_ascii_whitespace())
    {
        if text.trim().is_empty() {
            return Err(CertificateError::Empty);
        }
        return Ok(Input::Text { text, bom });
    }
    // A certificate is an ASN.1 SEQUENCE (0x30). Its length bytes (0x82 ...) are never valid
    // UTF-8 text, so a DER certificate always lands here rather than in the text branch.
    if bytes.first() == Some(&0x30) {
        Ok(Input::Der(bytes))
    } else {
        Err(CertificateError::UnknownFormat)
    }
}

/// The DER in text that has no PEM markers: the whole text is base64.
fn bare_base64(text: &str, bom: usize) -> Result<Vec<u8>, CertificateError> {
    if text.trim_start().starts_with('<') {
        return Err(CertificateError::Xml);
    }
    base64_text::decode(text.as_bytes(), bom)
}

fn block_der(text: &str, bom: usize, block: &pem::Block<'_>) -> Result<Vec<u8>, CertificateError> {
    let der = base64_text::decode_in(text.as_bytes(), block.body.clone())
        .map_err(|error| base64_text::shift(error, bom))?;
    if block.label == "TRUSTED CERTIFICATE" {
        // OpenSSL appends its trust settings to the certificate's DER; keep the certificate only.
        return Ok(super::info::leading_certificate(&der).to_vec());
    }
    Ok(der)
}

fn not_a_certificate(blocks: &[pem::Block<'_>]) -> CertificateError {
    CertificateError::NotACertificate {
        label: blocks
            .first()
            .map(|block| block.label.to_owned())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_limit_is_inclusive() {
        assert_eq!(check_size(&vec![b'A'; MAX_CERTIFICATE_INPUT]), Ok(()));
        assert_eq!(
            check_size(&vec![b'A'; MAX_CERTIFICATE_INPUT + 1]),
            Err(CertificateError::TooLarge {
                size: MAX_CERTIFICATE_INPUT + 1,
                limit: MAX_CERTIFICATE_INPUT
            })
        );
    }

    #[test]
    fn empty_and_blank_inputs() {
        for input in [&b""[..], b"\n\r\n  \t", UTF8_BOM, b"\xEF\xBB\xBF\r\n"] {
            assert_eq!(
                first_der(input).err(),
                Some(CertificateError::Empty),
                "{input:?}"
            );
        }
    }

    #[test]
    fn binary_that_is_not_der_is_unknown() {
        assert_eq!(
            first_der(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").err(),
            Some(CertificateError::UnknownFormat)
        );
        assert_eq!(
            first_der(b"\xff\xfe\x00\x01").err(),
            Some(CertificateError::UnknownFormat)
        );
    }

    #[test]
    fn xml_is_recognised() {
        let xml = b"\xEF\xBB\xBF\n  <?xml version=\"1.0\"?><EntityDescriptor/>";
        assert_eq!(first_der(xml).err(), Some(CertificateError::Xml));
    }

    #[test]
    fn bom_counts_in_positions_but_not_in_columns() {
        let error = first_der(b"\xEF\xBB\xBFAB!D").unwrap_err();
        assert_eq!(
            error,
            CertificateError::NotBase64 {
                position: 5,
                line: 1,
                column: 3,
                found: '!'
            }
        );
    }

    #[test]
    fn positions_inside_a_pem_block_refer_to_the_whole_text() {
        let text = b"junk\n-----BEGIN CERTIFICATE-----\nQUJD\nQU*D\n-----END CERTIFICATE-----\n";
        let error = first_der(text).unwrap_err();
        assert_eq!(
            error,
            CertificateError::NotBase64 {
                position: 40,
                line: 4,
                column: 3,
                found: '*'
            }
        );
    }

    #[test]
    fn empty_pem_block_is_empty() {
        let text = b"-----BEGIN CERTIFICATE-----\r\n-----END CERTIFICATE-----\r\n";
        assert_eq!(first_der(text).err(), Some(CertificateError::Empty));
    }
}
