//! The signatures: what they cover (wrapping is tampering), whether they verify, whether GoTo
//! has the signer's key, and the signer's expiry.

use super::*;

/// More than one assertion, or a signature on another element: a forged assertion beside the
/// genuine signed one (or beside a signature moved off it) is how signature wrapping works (a
/// reader checks one thing and reads another). Entra never sends this.
pub(super) fn wrapped(input: &CheckInput, findings: &mut Vec<Finding>) {
    let found = &input.assertions;
    let read_unsigned = !input
        .signatures
        .iter()
        .any(|s| s.element == crate::diagnose::signatures::SignedElement::Assertion);
    let mut shape = Vec::new();
    if found.total > 1 {
        shape.push(format!(
            "it carries {} assertions, where Entra sends exactly one{}",
            found.total,
            if found.signed > 0 && read_unsigned {
                ", and the one a reader takes is unsigned while another is signed"
            } else {
                ""
            }
        ));
    }
    if !found.signatures_elsewhere.is_empty() {
        shape.push(format!(
            "it carries a signature on {}, where Entra signs only the response and the assertion",
            found
                .signatures_elsewhere
                .iter()
                .map(|name| format!("<{name}>"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    findings.push(Finding::error(
        RootCause::SignatureInvalid,
        FixSide::Neither,
        format!(
            "The response was altered after it was signed: {}. This is the shape of a signature-wrapping attack (a forged assertion placed beside a genuine signature, so that a reader checks one thing and reads another). Nothing in it can be trusted, and no setting in Entra or GoTo produces it, so its values were not checked.",
            shape.join("; ")
        ),
        "Do not trust this message and do not change any setting because of it. Capture the sign-in again directly from the browser (a HAR file); if a fresh capture has the same shape, something between Entra and GoTo rewrites responses: treat it as a security incident.",
    ));
}

pub(super) fn signatures(input: &CheckInput, findings: &mut Vec<Finding>) {
    let signatures = input.signatures;
    if signatures.is_empty() {
        findings.push(Finding::error(
            RootCause::Unsigned,
            FixSide::Entra,
            "Neither the response nor the assertion is signed: anyone could have written it, and GoTo refuses it.",
            "In Entra → the GoTo app → Single sign-on → SAML Certificates → Edit, set Signing Option to \"Sign SAML response and assertion\" (or \"Sign SAML assertion\").",
        ));
        return;
    }
    for signature in signatures.iter().filter(|s| !s.verified) {
        if signature.no_key && input.expected.idp_certificates.is_empty() {
            // Nothing to check with is not a fault of the message: the verdict is inconclusive.
            findings.push(Finding::note(
                FindingId::Note(NoteId::NotChecked),
                Severity::Info,
                FixSide::Neither,
                format!(
                    "The {} signature was not checked: the message carries no certificate, and no trusted certificate was given. Until it is checked, nothing in the message can be trusted.",
                    signature.element.name()
                ),
                "Give the identity provider's signing certificate, the one uploaded to GoTo, to check the signature against it: in a setup, or on the command line with --idp-cert or --idp-metadata.",
            ));
            continue;
        }
        if signature.no_key {
            findings.push(Finding::error(
                RootCause::CertUntrusted,
                FixSide::GoTo,
                format!(
                    "The {} signature cannot be checked: the message carries no certificate, and none of the trusted certificates has an RSA key to check it with.",
                    signature.element.name()
                ),
                "Give GoTo (and this check) the identity provider's RSA signing certificate: Entra → the GoTo app → SAML Certificates → Certificate (Base64).",
            ));
            continue;
        }
        findings.push(Finding::error(
            RootCause::SignatureInvalid,
            FixSide::Neither,
            format!(
                "The {} signature does not hold: {}. The response was altered after it was signed (or damaged on the way), so nothing in it can be trusted, and its values were not checked.",
                signature.element.name(),
                signature.problem.as_deref().unwrap_or("it does not verify")
            ),
            "Do not trust this message. If it was copied through a tool that reformats XML, capture it again from the browser (a HAR file); if a fresh capture fails too, something between Entra and GoTo changes the response.",
        ));
    }
    let verified: Vec<&SignatureSummary> = signatures.iter().filter(|s| s.verified).collect();
    if verified.len() < signatures.len() {
        return;
    }
    // From here every signature verifies; what remains is whose key it was, and how strong.
    // When the response and the assertion are signed by different keys, the untrusted one
    // decides (either signature alone would let a forger in).
    let judged = verified
        .iter()
        .find(|s| s.signer_trusted == Some(false))
        .or(verified.first());
    if let Some(signature) = judged
        && let Some(signer) = &signature.signer
    {
        signer_trust(input, signer, signature.signer_trusted, findings);
        signer_expiry(input, signer, findings);
    }
    renewed_same_key(input, &verified, findings);
    if verified.iter().any(|s| s.sha1_signature) {
        findings.push(Finding::error(
            RootCause::WeakSignatureAlgorithm,
            FixSide::Entra,
            "The message is signed with RSA-SHA1. SHA-1 is broken for signatures and service providers refuse it.",
            "In Entra → the GoTo app → Single sign-on → SAML Certificates → Edit, set Signing Algorithm to SHA-256.",
        ));
    } else if verified.iter().any(|s| s.sha1_digest) {
        findings.push(Finding::note(
            FindingId::Note(NoteId::WeakDigest),
            Severity::Warning,
            FixSide::Entra,
            "The signature uses a SHA-1 digest of the signed content.",
            "In Entra → the GoTo app → SAML Certificates → Edit, set Signing Algorithm to SHA-256.",
        ));
    }
}

pub(super) fn signer_trust(
    input: &CheckInput,
    signer: &CertificateInfo,
    trusted: Option<bool>,
    findings: &mut Vec<Finding>,
) {
    let expected = input.expected;
    match trusted {
        None => findings.push(Finding::note(
            FindingId::Note(NoteId::NotChecked),
            Severity::Info,
            FixSide::Neither,
            format!(
                "The signature verifies with the certificate it carries ({}, SHA-1 thumbprint {}), but no trusted certificate was given, so whether GoTo has this certificate was not checked.",
                signer.subject, signer.sha1
            ),
            "Give the certificate uploaded to GoTo to check it: in a setup, or on the command line with --idp-cert or --idp-metadata.",
        )),
        Some(true) => {}
        Some(false) => {
            let shown: Vec<String> = expected
                .idp_certificates
                .iter()
                .map(|c| c.info().sha1.clone())
                .collect();
            let rollover = expected.idp_certificates.iter().any(|old| {
                let old = old.info();
                old.subject == signer.subject && signer.not_before > old.not_before
            });
            let source = expected
                .idp_certificates_source
                .as_deref()
                .unwrap_or("the setup");
            if rollover {
                findings.push(Finding::error(
                    RootCause::CertNotTrustedRollover,
                    FixSide::GoTo,
                    format!(
                        "Entra signed with a newer certificate (SHA-1 thumbprint {}, valid from {}) than the one GoTo has ({}; from {source}): Entra rolled its signing certificate over and GoTo was not given the new one.",
                        signer.sha1,
                        crate::time_format::rfc3339(signer.not_before),
                        shown.join(", ")
                    ),
                    "On GoTo's identity provider page, use the automatic (metadata URL) mode so certificates follow Entra, or upload the new certificate (Entra → the GoTo app → SAML Certificates → Certificate (Base64)).",
                ));
            } else {
                findings.push(Finding::error(
                    RootCause::CertUntrusted,
                    FixSide::GoTo,
                    format!(
                        "The message is signed by a certificate GoTo does not trust: {} (SHA-1 thumbprint {}); GoTo has {} (from {source}).",
                        signer.subject,
                        signer.sha1,
                        shown.join(", ")
                    ),
                    "Upload to GoTo the signing certificate of this Entra app (Entra → the GoTo app → SAML Certificates → Certificate (Base64)). If the signer is not your tenant's, the user signed in through the wrong application or tenant.",
                ));
            }
        }
    }
}

/// A trusted key that signed while the message carries another certificate for it: trusted, but
/// said, since the certificate GoTo has and the one the identity provider now sends differ.
pub(super) fn renewed_same_key(
    input: &CheckInput,
    verified: &[&SignatureSummary],
    findings: &mut Vec<Finding>,
) {
    let mut told: Vec<&str> = Vec::new();
    for signature in verified {
        let (Some(renewed), Some(signer)) = (&signature.renewed_certificate, &signature.signer)
        else {
            continue;
        };
        if told.contains(&renewed.sha1.as_str()) {
            continue;
        }
        told.push(&renewed.sha1);
        let source = input
            .expected
            .idp_certificates_source
            .as_deref()
            .unwrap_or("the setup");
        findings.push(Finding::note(
            FindingId::Note(NoteId::CertRenewedSameKey),
            Severity::Info,
            FixSide::GoTo,
            format!(
                "The message carries a certificate ({}, SHA-1 thumbprint {}, valid until {}) that is not the one GoTo has ({}, SHA-1 thumbprint {}, valid until {}; from {source}), but both are for the same key, and that key verifies the {} signature: the identity provider renewed its certificate and kept its key. A signature is checked with the key, so GoTo accepts it.",
                renewed.subject,
                renewed.sha1,
                crate::time_format::rfc3339(renewed.not_after),
                signer.subject,
                signer.sha1,
                crate::time_format::rfc3339(signer.not_after),
                signature.element.name()
            ),
            "Nothing is needed for sign-ins. To keep GoTo's copy current (its expiry date is the one that counts for reminders), upload the renewed certificate on GoTo's identity provider page, or use its automatic metadata URL mode.",
        ));
    }
}

pub(super) fn signer_expiry(
    input: &CheckInput,
    signer: &CertificateInfo,
    findings: &mut Vec<Finding>,
) {
    if signer.not_after < input.now {
        findings.push(Finding::error(
            RootCause::CertExpired,
            FixSide::Entra,
            format!(
                "The signing certificate (SHA-1 thumbprint {}) expired on {}.",
                signer.sha1,
                crate::time_format::rfc3339(signer.not_after)
            ),
            "In Entra → the GoTo app → SAML Certificates, create a new certificate, make it active, and give it to GoTo (or use GoTo's automatic metadata URL mode).",
        ));
    } else if signer.not_after < input.now + Duration::days(EXPIRY_WARNING_DAYS) {
        findings.push(Finding::note(
            FindingId::Note(NoteId::CertExpiringSoon),
            Severity::Warning,
            FixSide::Entra,
            format!(
                "The signing certificate expires on {}.",
                crate::time_format::rfc3339(signer.not_after)
            ),
            "Create the next certificate in Entra now and give it to GoTo before making it active.",
        ));
    }
}
