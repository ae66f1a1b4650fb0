//! Why a certificate could not be read, worded so the person picking the file knows what to do next.

/// An input that could not be read as a certificate.
///
/// Messages name the problem and the fix; positions are 1-based lines and columns of the input
/// as a text editor shows them.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CertificateError {
    /// Nothing to read (an empty file, only whitespace, or an empty PEM block).
    #[error(
        "the certificate data is empty: pick the certificate file Entra gave you \
         (Base64 .cer, PEM or DER), or paste its text"
    )]
    Empty,

    /// The input is larger than [`super::MAX_CERTIFICATE_INPUT`].
    #[error(
        "the input is {size} bytes, more than the {limit} bytes a certificate file can be: \
         pick the certificate file Entra gave you (Base64 .cer, PEM or DER)"
    )]
    TooLarge {
        /// Size of the input, in bytes.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
    },

    /// A character that has no place in base64 text.
    #[error(
        "the certificate text is not valid base64: unexpected {found:?} at line {line}, \
         column {column}. Copy the certificate again, whole and unchanged: only A-Z, a-z, 0-9, \
         '+', '/' and '=' (and line breaks) belong to it"
    )]
    NotBase64 {
        /// Byte offset of the character in the input (0-based, counting a byte order mark).
        position: usize,
        /// Line of the character (1-based).
        line: usize,
        /// Column of the character (1-based, in characters).
        column: usize,
        /// The character found.
        found: char,
    },

    /// The base64 text ends in the middle of a byte or with impossible final bits: it was cut
    /// short or altered.
    #[error(
        "the certificate text is cut short or damaged near its end: copy the whole certificate \
         again, up to its last character"
    )]
    Base64Truncated,

    /// A PEM `BEGIN` line without its `END` line.
    #[error(
        "\"-----BEGIN {label}-----\" has no matching \"-----END {label}-----\" after it: the \
         text was cut short. Copy the whole block, from its BEGIN line to its END line"
    )]
    MissingPemEnd {
        /// The PEM label, e.g. `CERTIFICATE`.
        label: String,
    },

    /// A PEM `END` line without a `BEGIN` line before it.
    #[error(
        "\"-----END {label}-----\" has no \"-----BEGIN {label}-----\" before it: the start of \
         the text is missing. Copy the whole block, from its BEGIN line to its END line"
    )]
    MissingPemBegin {
        /// The PEM label, e.g. `CERTIFICATE`.
        label: String,
    },

    /// PEM text whose blocks are all something other than a certificate (a private key, a
    /// certificate signing request, ...). Holds the label of the first block found.
    #[error("{}", not_a_certificate(.label))]
    NotACertificate {
        /// The label of the first PEM block, e.g. `PRIVATE KEY`.
        label: String,
    },

    /// XML where a certificate was expected (most likely the federation metadata document).
    #[error(
        "this is XML (perhaps the federation metadata), not a certificate file: load metadata \
         in the metadata step, or pick the certificate file Entra gave you (Base64 .cer, PEM \
         or DER)"
    )]
    Xml,

    /// Binary data that does not start like a DER certificate.
    #[error(
        "this file is neither text (PEM or Base64 .cer) nor a binary DER certificate: pick \
         the certificate file Entra gave you (Base64 .cer, PEM or DER)"
    )]
    UnknownFormat,

    /// The bytes (as read or as decoded from base64) are not an X.509 certificate.
    #[error("the data decodes but is not an X.509 certificate: {reason}")]
    Der {
        /// What the DER parser found wrong.
        reason: String,
    },

    /// Bytes left over after a complete DER certificate.
    #[error(
        "the certificate is followed by {extra} unexpected byte(s): the file is damaged or \
         holds something else as well. Download the certificate again"
    )]
    TrailingData {
        /// How many bytes follow the certificate.
        extra: usize,
    },
}

/// The message for [`CertificateError::NotACertificate`]: names what the block is when the label
/// says so, because a private key in the wrong place is also a secret in the wrong place.
fn not_a_certificate(label: &str) -> String {
    let what = if label.contains("PRIVATE KEY") {
        "a private key, not a certificate. Keep it secret (do not upload or send it) and pick \
         the certificate file instead"
    } else if label.contains("CERTIFICATE REQUEST") {
        "a certificate signing request (CSR), not a certificate: pick the certificate that was \
         issued for it"
    } else if label.contains("PUBLIC KEY") {
        "a bare public key, not a certificate: pick the certificate file Entra gave you \
         (Base64 .cer, PEM or DER)"
    } else if label.contains("CRL") {
        "a certificate revocation list, not a certificate: pick the certificate file Entra \
         gave you (Base64 .cer, PEM or DER)"
    } else if label.contains("PKCS7") || label == "CMS" {
        "a PKCS #7 bundle, not a single certificate: export the signing certificate alone \
         as Base64 .cer"
    } else {
        "not a certificate: pick the certificate file Entra gave you (Base64 .cer, PEM or DER)"
    };
    format!("the PEM block \"{label}\" is {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_key_message_warns_about_the_secret() {
        let message = CertificateError::NotACertificate {
            label: "RSA PRIVATE KEY".into(),
        }
        .to_string();
        assert!(message.contains("\"RSA PRIVATE KEY\""), "{message}");
        assert!(message.contains("private key"), "{message}");
        assert!(message.contains("Keep it secret"), "{message}");
    }

    #[test]
    fn csr_and_unknown_labels_are_named() {
        let csr = CertificateError::NotACertificate {
            label: "CERTIFICATE REQUEST".into(),
        }
        .to_string();
        assert!(csr.contains("signing request"), "{csr}");
        let other = CertificateError::NotACertificate {
            label: "FOO".into(),
        }
        .to_string();
        assert!(other.contains("\"FOO\" is not a certificate"), "{other}");
    }

    #[test]
    fn not_base64_shows_the_character_and_where() {
        let message = CertificateError::NotBase64 {
            position: 10,
            line: 2,
            column: 5,
            found: '!',
        }
        .to_string();
        assert!(message.contains("'!' at line 2, column 5"), "{message}");
    }
}
