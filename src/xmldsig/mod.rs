//! XML-DSig verification of the enveloped signatures SAML puts on a Response or an Assertion,
//! in pure Rust (roxmltree, ring, RustCrypto hashes), checked against xmlsec1 by the tests.
//!
//! The entry point is [`verify_enveloped`]: the caller passes the element it is about to read
//! (the Response, or the Assertion inside it) and only a signature that is a direct child of
//! *that* element and references *that* element's unique `ID` counts. That rule is what defeats
//! signature wrapping: a valid signature elsewhere in the document says nothing about the node
//! the caller reads. The one other reference accepted is `URI=""` (the whole document) on the
//! document's root element, which covers that element and everything in it.
//!
//! What is supported is what SAML identity providers use: one Reference, the
//! enveloped-signature and Exclusive XML Canonicalization transforms, SHA-1/SHA-2 digests and
//! RSA PKCS#1 v1.5 signatures. Anything else is reported as unsupported rather than guessed at.
//!
//! Submodules: `c14n` (the canonicaliser) and `verify` (the checks, in order).

mod c14n;
mod verify;

use std::fmt;

use crate::certificate::Certificate;

pub use c14n::{C14nError, C14nOptions, MAX_DEPTH, canonicalize};
pub use verify::verify_enveloped;

/// Algorithm and transform URIs this module recognises.
pub mod uri {
    /// The XML-DSig namespace (`ds:`).
    pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
    /// The namespace of `ec:InclusiveNamespaces`.
    pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
    /// Exclusive XML Canonicalization 1.0 with comments.
    pub const EXC_C14N_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
    /// Canonical XML 1.0 (inclusive), the implicit final step when a transform chain ends in a
    /// node set. Not supported: reported as an unsupported transform.
    pub const C14N_10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    /// The enveloped-signature transform.
    pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    /// SHA-1 digest.
    pub const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
    /// SHA-256 digest.
    pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
    /// SHA-384 digest.
    pub const SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    /// SHA-512 digest.
    pub const SHA512: &str = "http://www.w3.org/2001/04/xmlenc#sha512";
    /// RSA PKCS#1 v1.5 with SHA-1.
    pub const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    /// RSA PKCS#1 v1.5 with SHA-256.
    pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    /// RSA PKCS#1 v1.5 with SHA-384.
    pub const RSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    /// RSA PKCS#1 v1.5 with SHA-512.
    pub const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
}

/// What was found about the signature on one element.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignatureReport {
    /// The Reference's `URI`, e.g. `#_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6`.
    pub reference_uri: String,
    /// The `SignatureMethod`.
    pub signature_algorithm: SignatureAlgorithm,
    /// The Reference's `DigestMethod`.
    pub digest_algorithm: DigestAlgorithm,
    /// The `CanonicalizationMethod` URI of `SignedInfo`.
    pub canonicalization: String,
    /// The Reference's transform URIs, in order.
    pub transforms: Vec<String>,
    /// The certificates in `KeyInfo/X509Data/X509Certificate` that could be parsed, in document
    /// order. Serialised as their [`CertificateInfo`](crate::certificate::CertificateInfo).
    #[serde(serialize_with = "serialize_certificates")]
    pub embedded_certificates: Vec<Certificate>,
    /// Things worth telling a person that do not decide the outcome, e.g. an embedded
    /// certificate that could not be parsed.
    pub notes: Vec<String>,
    /// Whether the signature holds.
    pub outcome: SignatureOutcome,
}

impl SignatureReport {
    /// Whether the signature was verified (by any certificate, trusted or not).
    pub fn is_verified(&self) -> bool {
        matches!(self.outcome, SignatureOutcome::Verified { .. })
    }

    /// The certificate that verified the signature, looked up in the embedded certificates or in
    /// `trusted` (which must be the slice given to [`verify_enveloped`]).
    pub fn signer_certificate<'a>(&'a self, trusted: &'a [Certificate]) -> Option<&'a Certificate> {
        match &self.outcome {
            SignatureOutcome::Verified {
                signer: Signer::Embedded(index),
                ..
            } => self.embedded_certificates.get(*index),
            SignatureOutcome::Verified {
                signer: Signer::Trusted(index),
                ..
            } => trusted.get(*index),
            SignatureOutcome::Invalid(_) => None,
        }
    }

    /// Whether the signature was verified by the key of a certificate in `trusted` (the same
    /// SubjectPublicKeyInfo: a renewed certificate of the same key counts), whether the verifying
    /// certificate came from `trusted` or from the message itself. A signature verified only by
    /// an embedded certificate of another key typically means the identity provider rolled its
    /// signing key over and the service provider still has the old one.
    pub fn is_trusted(&self, trusted: &[Certificate]) -> bool {
        self.signer_certificate(trusted)
            .is_some_and(|signer| trusted.iter().any(|t| t.same_key(signer)))
    }

    /// When a trusted certificate verified the signature, the certificate the message carries
    /// instead of it: another certificate (different DER) for the same key, as an identity
    /// provider sends after renewing its certificate and keeping its key.
    pub fn renewed_certificate<'a>(
        &'a self,
        trusted: &'a [Certificate],
    ) -> Option<&'a Certificate> {
        let SignatureOutcome::Verified {
            signer: Signer::Trusted(index),
            ..
        } = self.outcome
        else {
            return None;
        };
        let signer = trusted.get(index)?;
        self.embedded_certificates
            .iter()
            .find(|embedded| embedded.der() != signer.der() && embedded.same_key(signer))
    }
}

fn serialize_certificates<S: serde::Serializer>(
    certificates: &[Certificate],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(certificates.iter().map(Certificate::info))
}

/// The `SignatureMethod` of `SignedInfo`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum SignatureAlgorithm {
    /// RSA PKCS#1 v1.5 with SHA-1 (deprecated, still accepted by many service providers).
    RsaSha1,
    /// RSA PKCS#1 v1.5 with SHA-256 (Entra's default).
    RsaSha256,
    /// RSA PKCS#1 v1.5 with SHA-384.
    RsaSha384,
    /// RSA PKCS#1 v1.5 with SHA-512.
    RsaSha512,
    /// Any other algorithm URI (not verified); empty when the message had none.
    Other(String),
}

impl SignatureAlgorithm {
    /// Recognises an algorithm URI.
    pub fn from_uri(uri: &str) -> Self {
        match uri {
            uri::RSA_SHA1 => SignatureAlgorithm::RsaSha1,
            uri::RSA_SHA256 => SignatureAlgorithm::RsaSha256,
            uri::RSA_SHA384 => SignatureAlgorithm::RsaSha384,
            uri::RSA_SHA512 => SignatureAlgorithm::RsaSha512,
            other => SignatureAlgorithm::Other(other.to_owned()),
        }
    }

    /// The algorithm URI.
    pub fn uri(&self) -> &str {
        match self {
            SignatureAlgorithm::RsaSha1 => uri::RSA_SHA1,
            SignatureAlgorithm::RsaSha256 => uri::RSA_SHA256,
            SignatureAlgorithm::RsaSha384 => uri::RSA_SHA384,
            SignatureAlgorithm::RsaSha512 => uri::RSA_SHA512,
            SignatureAlgorithm::Other(uri) => uri,
        }
    }

    /// A short name as Entra's "Signing Algorithm" setting shows it, e.g. `RSA-SHA256`;
    /// the URI for unknown algorithms.
    pub fn name(&self) -> &str {
        match self {
            SignatureAlgorithm::RsaSha1 => "RSA-SHA1",
            SignatureAlgorithm::RsaSha256 => "RSA-SHA256",
            SignatureAlgorithm::RsaSha384 => "RSA-SHA384",
            SignatureAlgorithm::RsaSha512 => "RSA-SHA512",
            SignatureAlgorithm::Other(uri) => uri,
        }
    }

    /// Whether this is SHA-1 based (weak; worth a warning).
    pub fn is_sha1(&self) -> bool {
        matches!(self, SignatureAlgorithm::RsaSha1)
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The Reference's `DigestMethod`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum DigestAlgorithm {
    /// SHA-1 (deprecated).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// Any other algorithm URI (not verified); empty when the message had none.
    Other(String),
}

impl DigestAlgorithm {
    /// Recognises an algorithm URI.
    pub fn from_uri(uri: &str) -> Self {
        match uri {
            uri::SHA1 => DigestAlgorithm::Sha1,
            uri::SHA256 => DigestAlgorithm::Sha256,
            uri::SHA384 => DigestAlgorithm::Sha384,
            uri::SHA512 => DigestAlgorithm::Sha512,
            other => DigestAlgorithm::Other(other.to_owned()),
        }
    }

    /// The algorithm URI.
    pub fn uri(&self) -> &str {
        match self {
            DigestAlgorithm::Sha1 => uri::SHA1,
            DigestAlgorithm::Sha256 => uri::SHA256,
            DigestAlgorithm::Sha384 => uri::SHA384,
            DigestAlgorithm::Sha512 => uri::SHA512,
            DigestAlgorithm::Other(uri) => uri,
        }
    }

    /// Whether this is SHA-1 (weak; worth a warning).
    pub fn is_sha1(&self) -> bool {
        matches!(self, DigestAlgorithm::Sha1)
    }
}

/// The verdict on a signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum SignatureOutcome {
    /// The signature and the digest hold.
    Verified {
        /// Which certificate verified it.
        signer: Signer,
        /// The size of the verifying RSA key in bits, when known: 1024-bit keys are still
        /// verified (this is a diagnostic tool) but are worth flagging.
        key_bits: Option<u32>,
    },
    /// The signature does not hold, or could not be checked.
    Invalid(SignatureFailure),
}

/// The certificate that verified a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Signer {
    /// The certificate at this index of [`SignatureReport::embedded_certificates`].
    Embedded(usize),
    /// The certificate at this index of the `trusted` slice given to [`verify_enveloped`].
    Trusted(usize),
}

/// Why a signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
pub enum SignatureFailure {
    /// The Reference does not point at the element being read: the signature covers something
    /// else (signature wrapping, or a signature copied from another element).
    #[error(
        "the signature covers another element ({uri}), not this one (ID {}): \
         it cannot vouch for this element's content",
        element_id.as_deref().unwrap_or("missing")
    )]
    ReferenceMismatch {
        /// The Reference's `URI`.
        uri: String,
        /// The element's own `ID`, if it has one.
        element_id: Option<String>,
    },
    /// `Reference URI=""` (the whole document) on an element that is not the document's root:
    /// SAML asks for the element's own ID, and a signature on the whole document says nothing
    /// about the element once it is read on its own.
    #[error(
        "the signature's Reference URI is empty, which means the whole document, but it sits on \
         the {element}, which is not the document's root: SAML Core 2.0 §5.4.2 requires a \
         signature on an assertion or a protocol message to reference that element by its ID \
         (URI=\"#ID\"), so this signature is not accepted as the {element}'s"
    )]
    WholeDocumentReference {
        /// The signed element's local name, e.g. `Assertion`.
        element: String,
    },
    /// More than one element in the document carries the signed element's ID, the mark of a
    /// signature-wrapping attack.
    #[error(
        "more than one element in the message has the ID {id}: the message was manipulated \
         (signature wrapping) and cannot be trusted"
    )]
    DuplicateId {
        /// The duplicated ID.
        id: String,
    },
    /// A transform or canonicalisation method this tool does not implement.
    #[error("the signature uses a transform or canonicalization this tool does not support: {uri}")]
    UnsupportedTransform {
        /// The transform's URI.
        uri: String,
    },
    /// A signature or digest algorithm this tool does not implement.
    #[error("the signature uses an algorithm this tool does not support: {uri}")]
    UnsupportedAlgorithm {
        /// The algorithm's URI.
        uri: String,
    },
    /// The signed content does not hash to the DigestValue.
    #[error("the signed content was changed after signing (digest does not match)")]
    DigestMismatch,
    /// No available certificate's key verifies the SignatureValue over SignedInfo.
    #[error(
        "the signature value does not match: it was made with a different key than the \
         certificates available, or the signature block was altered"
    )]
    SignatureMismatch,
    /// There was no RSA key to check with: no certificate in the message and none trusted.
    #[error(
        "there is no certificate to check the signature with: the message carries none and \
         no trusted certificate was given"
    )]
    NoKey,
    /// The signature's structure is broken.
    #[error("the signature is malformed: {reason}")]
    Malformed {
        /// What is wrong, for a person.
        reason: String,
    },
}
