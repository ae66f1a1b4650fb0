//! The one verdict on a diagnosis, decided once here for the CLI, the reports and the window:
//! healthy only when no fault was found *and* every check that decides whether GoTo accepts
//! the response had something to compare with; inconclusive when no fault was found but the
//! signer's key or the issuer could not be compared with anything.

use serde::Serialize;

use super::expected::Expected;
use super::finding::RootCause;
use super::response::MessageSummary;
use super::signatures::SignatureSummary;

/// The verdict on one captured response. The JSON `verdict` field; `healthy` is
/// `verdict == Healthy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No fault, and the signer and the issuer were compared with what GoTo has: GoTo should
    /// accept the response.
    Healthy,
    /// A fault was found: the root cause says which.
    NotHealthy,
    /// No fault was found, but a check that decides acceptance had nothing to compare with
    /// (see [`Unchecked`]): the response may or may not be accepted.
    Inconclusive,
}

impl Verdict {
    /// The id as in the JSON output.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Healthy => "healthy",
            Verdict::NotHealthy => "not_healthy",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// A check that decides whether GoTo accepts the response, left undone for want of something to
/// compare with. The JSON `unchecked` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unchecked {
    /// Whether the key that signed the response is the one GoTo has: no trusted certificate was
    /// given (a signature that verifies with the certificate it carries proves nothing: anyone
    /// can make a key and a certificate).
    SignerTrust,
    /// Whether the issuer is the identity provider GoTo expects: no entity ID was given.
    Issuer,
}

/// The checks `expected` left undone for this message (only for a SAML Response: anything else
/// is not healthy anyway).
pub(crate) fn unchecked(
    expected: &Expected,
    message: &MessageSummary,
    signatures: &[SignatureSummary],
) -> Vec<Unchecked> {
    let mut undone = Vec::new();
    if message.message_type != "Response" {
        return undone;
    }
    if expected.idp_certificates.is_empty() && !signatures.is_empty() {
        undone.push(Unchecked::SignerTrust);
    }
    let issued = message.issuer.is_some()
        || message
            .assertion
            .as_ref()
            .is_some_and(|assertion| assertion.issuer.is_some());
    if expected.idp_entity_id.is_none() && issued {
        undone.push(Unchecked::Issuer);
    }
    undone
}

/// The verdict: a root cause makes it not healthy; otherwise any undone check makes it
/// inconclusive.
pub(crate) fn decide(root_cause: Option<RootCause>, unchecked: &[Unchecked]) -> Verdict {
    match (root_cause, unchecked.is_empty()) {
        (Some(_), _) => Verdict::NotHealthy,
        (None, true) => Verdict::Healthy,
        (None, false) => Verdict::Inconclusive,
    }
}

/// The verdict as the first line of the text and of both report formats. Only a healthy verdict
/// says GoTo should accept the response; an inconclusive one says what was not compared and
/// what to give (in a setup, or on the command line) to finish the check.
pub fn verdict_line(diagnosis: &super::Diagnosis) -> String {
    let warnings = match diagnosis.warning_count() {
        0 => String::new(),
        count => format!(", with {count} warning(s)"),
    };
    match (diagnosis.verdict, diagnosis.root_cause) {
        (Verdict::NotHealthy, Some(cause)) => format!("Not healthy. Root cause: {}", cause.id()),
        (Verdict::NotHealthy, None) => "Not healthy.".to_owned(),
        (Verdict::Healthy, _) => format!("Healthy{warnings}: GoTo should accept this response."),
        (Verdict::Inconclusive, _) => format!(
            "Inconclusive{warnings}: no fault found, but {} could not be compared with anything, so this does not show that GoTo accepts the response. To finish the check, give {}.",
            not_compared(&diagnosis.unchecked),
            to_finish(&diagnosis.unchecked)
        ),
    }
}

/// "whether GoTo has the signer's key and the issuer".
fn not_compared(unchecked: &[Unchecked]) -> String {
    let names: Vec<&str> = unchecked
        .iter()
        .map(|check| match check {
            Unchecked::SignerTrust => "the key that signed it (whether GoTo has it)",
            Unchecked::Issuer => "the issuer",
        })
        .collect();
    names.join(" and ")
}

/// What to give to finish the check, naming the command line's options.
fn to_finish(unchecked: &[Unchecked]) -> &'static str {
    let signer = unchecked.contains(&Unchecked::SignerTrust);
    let issuer = unchecked.contains(&Unchecked::Issuer);
    match (signer, issuer) {
        (true, true) => {
            "Entra's federation metadata for the GoTo app (--idp-metadata FILE: it has both the signing certificates and the entity ID), or the certificate uploaded to GoTo (--idp-cert FILE) with Entra's identifier (--idp-entity-id URI), or a setup saved by the wizard (--setup FILE)"
        }
        (true, false) => {
            "the certificate uploaded to GoTo (--idp-cert FILE), or Entra's federation metadata for the GoTo app (--idp-metadata FILE), or a setup saved by the wizard that has it (--setup FILE)"
        }
        (false, true) => {
            "Entra's identifier for the tenant (--idp-entity-id URI), or Entra's federation metadata for the GoTo app (--idp-metadata FILE), or a setup saved by the wizard that has it (--setup FILE)"
        }
        (false, false) => "nothing more",
    }
}
