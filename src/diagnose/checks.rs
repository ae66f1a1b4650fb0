//! The checks of a decoded response against what GoTo expects. Each check adds findings; none
//! decides the verdict alone ([`super::finding::root_cause`] picks the most fundamental).
//! Messages name the values involved; fixes name the field to change and the side it is on.

use time::{Duration, OffsetDateTime};

use super::expected::Expected;
use super::finding::{Finding, FindingId, FixSide, NoteId, RootCause, Severity};
use super::input::{Binding, DecodedMessage, InputKind};
use super::response::{AssertionSummary, Instant, MessageSummary, ns};
use super::signatures::SignatureSummary;
use crate::certificate::CertificateInfo;
use crate::setup::Product;

/// The NameID format GoTo matches accounts by.
pub const EMAIL_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
/// Entra's claim with the user's mail address.
const MAIL_CLAIM: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
/// A signing certificate this close to its end is worth a warning.
const EXPIRY_WARNING_DAYS: i64 = 30;

/// Everything the checks look at.
pub(crate) struct CheckInput<'a> {
    pub message: &'a DecodedMessage,
    pub summary: &'a MessageSummary,
    /// The assertions anywhere in the document, not only where a reader looks for them.
    pub assertions: Assertions,
    pub signatures: &'a [SignatureSummary],
    pub expected: &'a Expected,
    pub now: OffsetDateTime,
    /// Whether `now` was given (a capture from the past) or is the clock's.
    pub now_given: bool,
}

/// The assertions and signatures of a document, wherever they are (inside `Extensions`, inside
/// another assertion…): a response from Entra has exactly one assertion, and signatures only on
/// the response and on that assertion.
#[derive(Debug, Clone, Default)]
pub(crate) struct Assertions {
    /// `Assertion` and `EncryptedAssertion` elements of SAML 2.0, anywhere.
    pub total: usize,
    /// How many of the `Assertion` elements carry a signature of their own.
    pub signed: usize,
    /// The elements, other than the root and assertions, that carry a signature (e.g.
    /// `Extensions`, or a metadata `EntityDescriptor` pasted into the response).
    pub signatures_elsewhere: Vec<String>,
}

impl Assertions {
    pub(crate) fn count(doc: &roxmltree::Document) -> Assertions {
        let is_assertion = |node: &roxmltree::Node| {
            node.has_tag_name((ns::ASSERTION, "Assertion"))
                || node.has_tag_name((ns::ASSERTION, "EncryptedAssertion"))
        };
        let mut found = Assertions::default();
        for node in doc.descendants() {
            if is_assertion(&node) {
                found.total += 1;
                if node
                    .children()
                    .any(|child| child.has_tag_name((crate::xmldsig::uri::DS, "Signature")))
                {
                    found.signed += 1;
                }
            } else if node.has_tag_name((crate::xmldsig::uri::DS, "Signature"))
                && let Some(parent) = node.parent_element()
                && parent != doc.root_element()
                && !is_assertion(&parent)
            {
                found
                    .signatures_elsewhere
                    .push(parent.tag_name().name().to_owned());
            }
        }
        found
    }

    /// Whether the document has the shape of signature wrapping.
    fn wrapped(&self) -> bool {
        self.total > 1 || !self.signatures_elsewhere.is_empty()
    }
}

/// Runs every check.
pub(crate) fn run(input: &CheckInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !is_response(input.summary, &mut findings) {
        return findings;
    }
    if input.assertions.wrapped() {
        // Every value in it may be the forger's: no check of them, and no advice from them.
        wrapped(input, &mut findings);
        return findings;
    }
    encoding(input.message, &mut findings);
    status(input.summary, &mut findings);
    let assertion = input.summary.assertion.as_ref();
    if assertion.is_none() {
        missing_assertion(input.summary, &mut findings);
    }
    if assertion.is_some() || !input.signatures.is_empty() {
        signatures(input, &mut findings);
    }
    if findings
        .iter()
        .any(|finding| finding.cause() == Some(RootCause::SignatureInvalid))
    {
        // Changed after signing: its values are not (all) Entra's, and advice drawn from them
        // would send the admin to change a setting that is right.
        return findings;
    }
    issuer(input, &mut findings);
    if let Some(assertion) = assertion {
        audience(assertion, input.expected, &mut findings);
        recipient(input.summary, assertion, input.expected, &mut findings);
        in_response_to(input.summary, assertion, input.expected, &mut findings);
        validity(input, assertion, &mut findings);
        name_id(assertion, input.expected, &mut findings);
    }
    relay_state(input, &mut findings);
    findings
}

fn is_response(summary: &MessageSummary, findings: &mut Vec<Finding>) -> bool {
    if summary.message_type == "Response" && summary.namespace.as_deref() == Some(ns::PROTOCOL) {
        return true;
    }
    let what = match (summary.message_type.as_str(), summary.namespace.as_deref()) {
        ("AuthnRequest", Some(ns::PROTOCOL)) => {
            "the request GoTo sent to Entra (an AuthnRequest), not Entra's answer".to_owned()
        }
        ("LogoutRequest" | "LogoutResponse", Some(ns::PROTOCOL)) => {
            format!(
                "a sign-out message ({}), not a sign-in response",
                summary.message_type
            )
        }
        ("Response", _) => format!(
            "a Response in the namespace {:?}, not SAML 2.0's protocol namespace",
            summary.namespace.as_deref().unwrap_or("(none)")
        ),
        (other, _) => format!("a <{other}> document, not a SAML Response"),
    };
    findings.push(Finding::error(
        RootCause::Malformed,
        FixSide::Neither,
        format!("This is {what}."),
        "Capture the SAMLResponse that Entra posts to GoTo's reply URL (in a HAR file: the POST to …/saml/acs) and diagnose that.",
    ));
    false
}

/// More than one assertion, or a signature on another element: a forged assertion beside the
/// genuine signed one (or beside a signature moved off it) is how signature wrapping works (a
/// reader checks one thing and reads another). Entra never sends this.
fn wrapped(input: &CheckInput, findings: &mut Vec<Finding>) {
    let found = &input.assertions;
    let read_unsigned = !input
        .signatures
        .iter()
        .any(|s| s.element == super::signatures::SignedElement::Assertion);
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

fn encoding(message: &DecodedMessage, findings: &mut Vec<Finding>) {
    if message.binding == Binding::Redirect || message.kind == InputKind::DeflatedBase64 {
        findings.push(Finding::error(
            RootCause::WrongEncoding,
            FixSide::Entra,
            "The response is deflated (the HTTP-Redirect encoding). GoTo's reply URL takes responses by HTTP-POST as plain base64; a deflated response is not read.",
            "Make the identity provider send the response with the HTTP-POST binding (Entra always does; a proxy or custom IdP may not). If this came from a tool, capture the POST to GoTo's reply URL instead.",
        ));
    }
}

fn status(summary: &MessageSummary, findings: &mut Vec<Finding>) {
    let status = &summary.status;
    if status.is_success() {
        return;
    }
    let code = status.code.as_deref().unwrap_or("(no status code)");
    let short = |uri: &str| uri.rsplit(':').next().unwrap_or(uri).to_owned();
    let mut message = format!("Entra answered with the status {}", short(code));
    if let Some(sub) = &status.sub_code {
        message.push_str(&format!(" / {}", short(sub)));
    }
    if let Some(text) = &status.message {
        message.push_str(&format!(": \"{}\"", text.trim()));
    }
    message.push_str(". No one was signed in.");
    let fix = match &status.aadsts {
        Some(code) => format!("{} ({}): {}", code.meaning, code.code, code.fix),
        None => "Read the status message; in Entra, open Sign-in logs for this user and time, and fix what the failure reason says (often: the user is not assigned to the GoTo app).".to_owned(),
    };
    findings.push(Finding::error(
        RootCause::IdpErrorStatus,
        FixSide::Entra,
        message,
        fix,
    ));
}

fn missing_assertion(summary: &MessageSummary, findings: &mut Vec<Finding>) {
    if summary.encrypted_assertion_count > 0 {
        findings.push(Finding::error(
            RootCause::EncryptedAssertion,
            FixSide::Entra,
            "The assertion is encrypted. GoTo's setup gives Entra no encryption certificate, so GoTo cannot read it; its subject, audience and times cannot be checked here either.",
            "In Entra → the GoTo app → Token encryption, deactivate the certificate there (unless GoTo gave you one to use).",
        ));
    } else if summary.status.is_success() {
        findings.push(Finding::error(
            RootCause::Malformed,
            FixSide::Neither,
            "The response says Success but carries no assertion, so nobody can be signed in.",
            "Capture the sign-in again; if it repeats, the identity provider is not Entra or is misconfigured.",
        ));
    }
}

fn signatures(input: &CheckInput, findings: &mut Vec<Finding>) {
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

fn signer_trust(
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
fn renewed_same_key(
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

fn signer_expiry(input: &CheckInput, signer: &CertificateInfo, findings: &mut Vec<Finding>) {
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

fn issuer(input: &CheckInput, findings: &mut Vec<Finding>) {
    let summary = input.summary;
    let Some(expected) = &input.expected.idp_entity_id else {
        if summary.issuer.is_some() || summary.assertion.is_some() {
            findings.push(not_checked(
                "issuer",
                "the identity provider's entity ID (in a setup, or on the command line with --idp-entity-id or --idp-metadata)",
            ));
        }
        return;
    };
    let issuers = [
        ("response", summary.issuer.as_deref()),
        (
            "assertion",
            summary.assertion.as_ref().and_then(|a| a.issuer.as_deref()),
        ),
    ];
    for (place, issuer) in issuers {
        let Some(issuer) = issuer else { continue };
        if issuer != expected.value {
            findings.push(Finding::error(
                RootCause::IssuerMismatch,
                FixSide::GoTo,
                format!(
                    "The {place} was issued by {issuer:?}, but GoTo expects {:?} (from {}){}.",
                    expected.value,
                    expected.source,
                    near_miss(issuer, &expected.value)
                ),
                "On GoTo's identity provider page, set \"Identity provider entity ID\" to Entra's \"Microsoft Entra Identifier\" for this app (or use the metadata URL mode); if the tenant is not yours, the user signed in through the wrong tenant.",
            ));
            return;
        }
    }
}

fn audience(assertion: &AssertionSummary, expected: &Expected, findings: &mut Vec<Finding>) {
    let Some(sp) = &expected.sp_entity_id else {
        return;
    };
    if assertion.audiences.contains(&sp.value) {
        return;
    }
    let found = if assertion.audiences.is_empty() {
        "no audience".to_owned()
    } else {
        format!("the audience {:?}", assertion.audiences.join(", "))
    };
    let hint = assertion
        .audiences
        .first()
        .map(|a| near_miss(a, &sp.value))
        .unwrap_or_default();
    findings.push(Finding::error(
        RootCause::AudienceMismatch,
        FixSide::Entra,
        format!(
            "The assertion names {found}, but GoTo's entity ID is {:?} (from {}){hint}.",
            sp.value, sp.source
        ),
        format!(
            "In Entra → the GoTo app → Single sign-on → Basic SAML Configuration, set Identifier (Entity ID) to {}.",
            sp.value
        ),
    ));
}

fn recipient(
    summary: &MessageSummary,
    assertion: &AssertionSummary,
    expected: &Expected,
    findings: &mut Vec<Finding>,
) {
    let Some(acs) = &expected.acs_url else { return };
    let places = [
        (
            "the assertion's Recipient",
            assertion.confirmation.recipient.as_deref(),
        ),
        ("the response's Destination", summary.destination.as_deref()),
    ];
    for (place, value) in places {
        let Some(value) = value else { continue };
        if value != acs.value {
            findings.push(Finding::error(
                RootCause::RecipientMismatch,
                FixSide::Entra,
                format!(
                    "{} is {value:?}, but GoTo's reply URL is {:?} (from {}){}.",
                    capitalise(place),
                    acs.value,
                    acs.source,
                    near_miss(value, &acs.value)
                ),
                format!(
                    "In Entra → the GoTo app → Single sign-on → Basic SAML Configuration, set Reply URL (Assertion Consumer Service URL) to {} (and make it the default).",
                    acs.value
                ),
            ));
            return;
        }
    }
    if assertion.confirmation.recipient.is_none() {
        findings.push(Finding::error(
            RootCause::RecipientMismatch,
            FixSide::Entra,
            "The assertion has no Recipient, so GoTo cannot tell it was meant for its reply URL.",
            format!(
                "In Entra → Basic SAML Configuration, set Reply URL to {}.",
                acs.value
            ),
        ));
    }
}

fn in_response_to(
    summary: &MessageSummary,
    assertion: &AssertionSummary,
    expected: &Expected,
    findings: &mut Vec<Finding>,
) {
    let on_response = summary.in_response_to.as_deref();
    let on_assertion = assertion.confirmation.in_response_to.as_deref();
    if let (Some(a), Some(b)) = (on_response, on_assertion)
        && a != b
    {
        findings.push(Finding::error(
            RootCause::InResponseToMismatch,
            FixSide::Neither,
            format!(
                "The response answers request {a:?} but its assertion answers {b:?}: the message was assembled from two sign-ins."
            ),
            "Do not trust this message; capture the sign-in again.",
        ));
        return;
    }
    let Some(request) = &expected.request_id else {
        return;
    };
    let answered = on_response.or(on_assertion);
    match answered {
        Some(id) if id == request.value => {}
        Some(id) => findings.push(Finding::error(
            RootCause::InResponseToMismatch,
            FixSide::Neither,
            format!(
                "The response answers request {id:?}, but GoTo sent {:?} (from {}). GoTo refuses an answer to another request: the browser used an old tab, a bookmark of Entra's sign-in page, or two sign-ins crossed.",
                request.value, request.source
            ),
            "Close the browser's other sign-in tabs and start the sign-in again from GoTo (not from a bookmark of the Microsoft sign-in page).",
        )),
        None => findings.push(Finding::error(
            RootCause::InResponseToMismatch,
            FixSide::Neither,
            format!(
                "GoTo sent request {:?} (from {}), but the response answers no request (it was started at Entra, e.g. from My Apps).",
                request.value, request.source
            ),
            "Start the sign-in from GoTo, or make sure the GoTo app allows sign-ins started at Entra (My Apps) with the right relay state.",
        )),
    }
}

fn validity(input: &CheckInput, assertion: &AssertionSummary, findings: &mut Vec<Finding>) {
    let skew = Duration::seconds(i64::try_from(input.expected.skew_seconds).unwrap_or(i64::MAX));
    let now = input.now;
    let later_hint = if input.now_given {
        String::new()
    } else {
        " If this capture is older, diagnose it as of the time it was captured (the capture time, or --now on the command line).".to_owned()
    };
    let ends = [
        (
            "Conditions NotOnOrAfter",
            assertion.not_on_or_after.as_ref(),
        ),
        (
            "SubjectConfirmationData NotOnOrAfter",
            assertion.confirmation.not_on_or_after.as_ref(),
        ),
    ];
    for (what, instant) in ends {
        if let Some(Instant {
            text,
            time: Some(end),
        }) = instant
            && now >= *end + skew
        {
            findings.push(Finding::error(
                RootCause::Expired,
                FixSide::Neither,
                format!(
                    "The assertion expired: {what} is {text}, and it is now {} (allowing {} s of clock skew).{later_hint}",
                    crate::time_format::rfc3339(now),
                    input.expected.skew_seconds
                ),
                "Sign in again; if fresh responses also arrive expired, the clock of the computer or server that checks them is wrong (Entra's is right): set it to synchronise with NTP.",
            ));
            break;
        }
    }
    let starts = [
        ("Conditions NotBefore", assertion.not_before.as_ref()),
        ("IssueInstant", assertion.issue_instant.as_ref()),
    ];
    for (what, instant) in starts {
        if let Some(Instant {
            text,
            time: Some(start),
        }) = instant
            && now + skew < *start
        {
            findings.push(Finding::error(
                RootCause::NotYetValid,
                FixSide::Neither,
                format!(
                    "The assertion is not valid yet: {what} is {text}, and it is now {} (allowing {} s of clock skew).",
                    crate::time_format::rfc3339(now),
                    input.expected.skew_seconds
                ),
                "A clock is behind: set the clock of the computer or server that checks the response to synchronise with NTP.",
            ));
            break;
        }
    }
    let unreadable = [
        assertion.not_before.as_ref(),
        assertion.not_on_or_after.as_ref(),
        assertion.confirmation.not_on_or_after.as_ref(),
    ];
    if let Some(bad) = unreadable.into_iter().flatten().find(|i| i.time.is_none()) {
        findings.push(Finding::error(
            RootCause::Malformed,
            FixSide::Neither,
            format!(
                "The time {:?} in the assertion is not a valid xs:dateTime.",
                bad.text
            ),
            "Capture the sign-in again; a changed time means the message was edited.",
        ));
    }
}

fn name_id(assertion: &AssertionSummary, expected: &Expected, findings: &mut Vec<Finding>) {
    let Some(name_id) = &assertion.name_id else {
        findings.push(Finding::error(
            RootCause::NameidNotEmail,
            FixSide::Entra,
            "The assertion has no NameID, so GoTo cannot tell who signed in.",
            "In Entra → the GoTo app → Attributes & Claims, set Unique User Identifier (Name ID) to user.mail with the format Email address.",
        ));
        return;
    };
    let format = name_id.format.as_deref().unwrap_or("(none: unspecified)");
    if name_id.format.as_deref() != Some(EMAIL_FORMAT) {
        findings.push(Finding::error(
            RootCause::NameidFormat,
            FixSide::Entra,
            format!(
                "The NameID format is {format}, but GoTo matches accounts by e-mail address ({EMAIL_FORMAT})."
            ),
            "In Entra → the GoTo app → Attributes & Claims → Unique User Identifier (Name ID), set \"Choose name identifier format\" to Email address.",
        ));
    }
    let value = name_id.value.trim();
    let mail_claim = assertion
        .attributes
        .iter()
        .find(|a| a.name == MAIL_CLAIM)
        .and_then(|a| a.values.first())
        .map(|v| v.trim().to_owned());
    if !looks_like_mail(value) {
        findings.push(Finding::error(
            RootCause::NameidNotEmail,
            FixSide::Entra,
            format!(
                "The NameID is {value:?}, which is not an e-mail address (Entra sends an object ID or name when the source attribute is not user.mail)."
            ),
            "In Entra → the GoTo app → Attributes & Claims → Unique User Identifier (Name ID), set the source attribute to user.mail.",
        ));
        return;
    }
    if let Some(user) = &expected.user
        && !value.eq_ignore_ascii_case(user.trim())
    {
        findings.push(Finding::error(
            RootCause::NameidNotEmail,
            FixSide::Entra,
            format!(
                "The NameID is {value:?}, but the person's GoTo account is {user:?}; GoTo finds no account for {value:?}.{}",
                if is_upn_like(value) {
                    " It looks like the sign-in name (UPN), not the mailbox."
                } else {
                    ""
                }
            ),
            "In Entra → the GoTo app → Attributes & Claims, set Unique User Identifier (Name ID) to user.mail, and make sure the user's mail in Entra is their GoTo account's address.",
        ));
        return;
    }
    let differs_from_mail = mail_claim
        .as_deref()
        .is_some_and(|mail| !mail.eq_ignore_ascii_case(value));
    if is_upn_like(value) || differs_from_mail {
        let why = match &mail_claim {
            Some(mail) if differs_from_mail => {
                format!("it differs from the mail claim {mail:?}")
            }
            _ => "its domain is an onmicrosoft.com sign-in domain".to_owned(),
        };
        findings.push(Finding::note(
            FindingId::Note(NoteId::NameidLooksLikeUpn),
            Severity::Warning,
            FixSide::Entra,
            format!(
                "The NameID {value:?} looks like the user's sign-in name (UPN) rather than their mailbox: {why}. GoTo accounts are e-mail addresses."
            ),
            "In Entra → Attributes & Claims, set Unique User Identifier (Name ID) to user.mail (not user.userprincipalname).",
        ));
    }
}

fn relay_state(input: &CheckInput, findings: &mut Vec<Finding>) {
    let expected = &input.expected.relay_states;
    if expected.is_empty() {
        return;
    }
    let source = input
        .expected
        .relay_state_source
        .as_deref()
        .unwrap_or("the setup");
    let listed = expected
        .iter()
        .map(|(product, url)| match product {
            Some(p) => format!("{url} ({})", p.name()),
            None => url.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    match input.message.relay_state.as_deref() {
        Some(found) => {
            if expected.iter().any(|(_, url)| same_relay_state(found, url)) {
                return;
            }
            findings.push(Finding::error(
                RootCause::WrongRelayState,
                FixSide::Entra,
                format!(
                    "The relay state is {found:?}, but GoTo expects {listed} (from {source}); the user lands in the wrong place or nowhere."
                ),
                format!(
                    "In Entra → the GoTo app → Basic SAML Configuration, set Relay State to {}.",
                    relay_state_choice(expected)
                ),
            ));
        }
        None if input.message.kind != InputKind::Xml && input.summary.in_response_to.is_none() => {
            findings.push(Finding::note(
                FindingId::Cause(RootCause::WrongRelayState),
                Severity::Warning,
                FixSide::Entra,
                format!(
                    "The sign-in started at Entra (My Apps) and carries no relay state, so GoTo does not know which product to open (expected {listed})."
                ),
                format!(
                    "In Entra → the GoTo app → Basic SAML Configuration, set Relay State to {}.",
                    relay_state_choice(expected)
                ),
            ));
        }
        None => {}
    }
}

/// The relay state to set: the one expected, or the choice among the products'.
fn relay_state_choice(expected: &[(Option<Product>, String)]) -> String {
    match expected {
        [(_, only)] => only.clone(),
        several => format!(
            "the address of the product the user signs in to ({})",
            several
                .iter()
                .map(|(product, url)| match product {
                    Some(p) => format!("{}: {url}", p.name()),
                    None => url.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

fn not_checked(what: &str, give: &str) -> Finding {
    Finding::note(
        FindingId::Note(NoteId::NotChecked),
        Severity::Info,
        FixSide::Neither,
        format!("The {what} was not checked: nothing to compare it with."),
        format!("Give {give} to check it."),
    )
}

/// Relay states compare without a trailing slash and with the scheme and host in any case.
fn same_relay_state(found: &str, expected: &str) -> bool {
    let normalise = |s: &str| {
        let s = s.trim().trim_end_matches('/');
        match url::Url::parse(s) {
            Ok(url) => url.as_str().trim_end_matches('/').to_owned(),
            Err(_) => s.to_owned(),
        }
    };
    normalise(found) == normalise(expected)
}

/// A hint when two values differ only in a way people miss.
fn near_miss(found: &str, expected: &str) -> String {
    if found.trim_end_matches('/') == expected.trim_end_matches('/') {
        " — they differ only in the trailing slash, which counts".to_owned()
    } else if found.eq_ignore_ascii_case(expected) {
        " — they differ only in upper/lower case, which counts".to_owned()
    } else if found.strip_prefix("http://") == expected.strip_prefix("https://") {
        " — http instead of https".to_owned()
    } else if found.trim() == expected {
        " — there are spaces around the value".to_owned()
    } else {
        String::new()
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn looks_like_mail(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

fn is_upn_like(value: &str) -> bool {
    value
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.to_ascii_lowercase().ends_with(".onmicrosoft.com"))
}
