//! The signatures of a response as the diagnosis reports them: which element is signed, with
//! what, whether it verifies, and by which certificate. Verification itself is
//! [`crate::xmldsig`]; this module only runs it on the two elements that count (the root
//! Response and the assertion the summary reads) and turns its report into plain data.

use roxmltree::Document;
use serde::Serialize;

use crate::certificate::{Certificate, CertificateInfo};
use crate::xmldsig::{self, DigestAlgorithm, SignatureFailure, SignatureOutcome};

/// The element a signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignedElement {
    /// The whole `Response`.
    Response,
    /// The `Assertion`.
    Assertion,
}

impl SignedElement {
    /// "response" / "assertion".
    pub fn name(self) -> &'static str {
        match self {
            SignedElement::Response => "response",
            SignedElement::Assertion => "assertion",
        }
    }
}

/// One signature found on the response or on its assertion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureSummary {
    /// What it signs.
    pub element: SignedElement,
    /// The Reference URI.
    pub reference: String,
    /// The SignatureMethod's name, e.g. `RSA-SHA256`.
    pub algorithm: String,
    /// The DigestMethod's name, e.g. `SHA-256`.
    pub digest: String,
    /// Whether the signature method uses SHA-1.
    pub sha1_signature: bool,
    /// Whether the digest is SHA-1.
    pub sha1_digest: bool,
    /// Whether it verifies cryptographically (with the certificate in `signer`).
    pub verified: bool,
    /// Why it does not verify.
    pub problem: Option<String>,
    /// Whether it could not be checked at all for want of a key (no certificate in the message
    /// and none trusted), rather than checked and found wrong.
    pub no_key: bool,
    /// The certificate whose key verified it.
    pub signer: Option<CertificateInfo>,
    /// Whether `signer` is one of the trusted certificates (`None` when none were given).
    pub signer_trusted: Option<bool>,
    /// The certificates the signature carries in its KeyInfo.
    pub embedded_certificates: Vec<CertificateInfo>,
    /// When a trusted certificate verified the signature but the message carries another
    /// certificate for the same key (the identity provider renewed its certificate and kept the
    /// key): that certificate.
    pub renewed_certificate: Option<CertificateInfo>,
    /// Anything odd noticed on the way (unreadable embedded certificates…).
    pub notes: Vec<String>,
}

/// The signatures on the root element and on `assertion`, verified against `trusted`.
pub(crate) fn check_signatures(doc: &Document, trusted: &[Certificate]) -> Vec<SignatureSummary> {
    let mut found = Vec::new();
    let root = doc.root_element();
    if let Some(report) = xmldsig::verify_enveloped(doc, root, trusted) {
        found.push(summarise(SignedElement::Response, report, trusted));
    }
    if let Some(assertion) = super::response::assertion_node(doc)
        && let Some(report) = xmldsig::verify_enveloped(doc, assertion, trusted)
    {
        found.push(summarise(SignedElement::Assertion, report, trusted));
    }
    found
}

fn summarise(
    element: SignedElement,
    report: xmldsig::SignatureReport,
    trusted: &[Certificate],
) -> SignatureSummary {
    let signer = report.signer_certificate(trusted).cloned();
    let renewed_certificate = report
        .renewed_certificate(trusted)
        .map(|certificate| certificate.info().clone());
    let (verified, problem, no_key) = match &report.outcome {
        SignatureOutcome::Verified { .. } => (true, None, false),
        SignatureOutcome::Invalid(failure) => (
            false,
            Some(failure.to_string()),
            matches!(failure, SignatureFailure::NoKey),
        ),
    };
    // Trust is by key: a renewed certificate of the key GoTo has is trusted.
    let signer_trusted = (!trusted.is_empty()).then(|| report.is_trusted(trusted));
    SignatureSummary {
        element,
        reference: report.reference_uri.clone(),
        algorithm: report.signature_algorithm.name().to_owned(),
        digest: digest_name(&report.digest_algorithm),
        sha1_signature: report.signature_algorithm.is_sha1(),
        sha1_digest: report.digest_algorithm.is_sha1(),
        verified,
        problem,
        no_key,
        signer: signer.map(|c| c.info().clone()),
        signer_trusted,
        embedded_certificates: report
            .embedded_certificates
            .iter()
            .map(|c| c.info().clone())
            .collect(),
        renewed_certificate,
        notes: report.notes.clone(),
    }
}

fn digest_name(digest: &DigestAlgorithm) -> String {
    match digest {
        DigestAlgorithm::Sha1 => "SHA-1".to_owned(),
        DigestAlgorithm::Sha256 => "SHA-256".to_owned(),
        DigestAlgorithm::Sha384 => "SHA-384".to_owned(),
        DigestAlgorithm::Sha512 => "SHA-512".to_owned(),
        DigestAlgorithm::Other(uri) if uri.is_empty() => "(none)".to_owned(),
        DigestAlgorithm::Other(uri) => uri.clone(),
    }
}
