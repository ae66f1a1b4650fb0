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

mod assertion;
mod relay;
mod signature;

use assertion::{audience, in_response_to, name_id, recipient, validity};
use relay::relay_state;
use signature::{signatures, wrapped};

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

fn not_checked(what: &str, give: &str) -> Finding {
    Finding::note(
        FindingId::Note(NoteId::NotChecked),
        Severity::Info,
        FixSide::Neither,
        format!("The {what} was not checked: nothing to compare it with."),
        format!("Give {give} to check it."),
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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
