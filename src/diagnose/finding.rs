//! What a diagnosis says: findings with a severity, an explanation and the fix, and the closed
//! list of root causes.

use serde::Serialize;

/// Why a sign-in fails. A closed list: the CLI's JSON and support scripts match on these ids, so
/// add one only with a reason. The order of the variants is the order of precedence: when several
/// are found, the first is the root cause (the most fundamental: a message that cannot be read
/// or that failed at the IdP makes every later check moot; a signature that does not hold makes
/// every value in the message untrustworthy; values come next, the relay state last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RootCause {
    /// The message is not well-formed XML or not a SAML response.
    Malformed,
    /// The message was encoded or sent the wrong way (e.g. deflated, the redirect binding).
    WrongEncoding,
    /// Entra answered with an error status instead of signing the user in.
    IdpErrorStatus,
    /// Neither the response nor the assertion is signed.
    Unsigned,
    /// A signature is present but does not verify (tampered, or wrapped).
    SignatureInvalid,
    /// Signed by a certificate GoTo does not have, in a way that looks like Entra rolled its
    /// certificate over.
    CertNotTrustedRollover,
    /// Signed by a certificate that is not the one configured, and not a rollover.
    CertUntrusted,
    /// The signing certificate has expired.
    CertExpired,
    /// Signed with SHA-1.
    WeakSignatureAlgorithm,
    /// The assertion is encrypted, which GoTo cannot read. Added to the list: Entra's
    /// "Token encryption" is a setting of its own, and none of the other causes describes it (a
    /// warning would call a sign-in GoTo cannot read healthy).
    EncryptedAssertion,
    /// The issuer is not the expected identity provider.
    IssuerMismatch,
    /// The audience is not GoTo's entity ID.
    AudienceMismatch,
    /// The recipient or destination is not GoTo's reply URL.
    RecipientMismatch,
    /// The response answers another request.
    InResponseToMismatch,
    /// The assertion's validity window has passed.
    Expired,
    /// The assertion's validity window has not started.
    NotYetValid,
    /// The NameID format is not emailAddress.
    NameidFormat,
    /// The NameID value is not the user's e-mail address.
    NameidNotEmail,
    /// The relay state is not the product's.
    WrongRelayState,
}

impl RootCause {
    /// Every root cause, in order of precedence.
    pub const ALL: [RootCause; 19] = [
        RootCause::Malformed,
        RootCause::WrongEncoding,
        RootCause::IdpErrorStatus,
        RootCause::Unsigned,
        RootCause::SignatureInvalid,
        RootCause::CertNotTrustedRollover,
        RootCause::CertUntrusted,
        RootCause::CertExpired,
        RootCause::WeakSignatureAlgorithm,
        RootCause::EncryptedAssertion,
        RootCause::IssuerMismatch,
        RootCause::AudienceMismatch,
        RootCause::RecipientMismatch,
        RootCause::InResponseToMismatch,
        RootCause::Expired,
        RootCause::NotYetValid,
        RootCause::NameidFormat,
        RootCause::NameidNotEmail,
        RootCause::WrongRelayState,
    ];

    /// The id as in the JSON output, e.g. `audience_mismatch`.
    pub fn id(self) -> &'static str {
        match self {
            RootCause::Malformed => "malformed",
            RootCause::WrongEncoding => "wrong_encoding",
            RootCause::IdpErrorStatus => "idp_error_status",
            RootCause::Unsigned => "unsigned",
            RootCause::SignatureInvalid => "signature_invalid",
            RootCause::CertNotTrustedRollover => "cert_not_trusted_rollover",
            RootCause::CertUntrusted => "cert_untrusted",
            RootCause::CertExpired => "cert_expired",
            RootCause::WeakSignatureAlgorithm => "weak_signature_algorithm",
            RootCause::EncryptedAssertion => "encrypted_assertion",
            RootCause::IssuerMismatch => "issuer_mismatch",
            RootCause::AudienceMismatch => "audience_mismatch",
            RootCause::RecipientMismatch => "recipient_mismatch",
            RootCause::InResponseToMismatch => "in_response_to_mismatch",
            RootCause::Expired => "expired",
            RootCause::NotYetValid => "not_yet_valid",
            RootCause::NameidFormat => "nameid_format",
            RootCause::NameidNotEmail => "nameid_not_email",
            RootCause::WrongRelayState => "wrong_relay_state",
        }
    }
}

/// How bad a finding is. Only errors make a response unhealthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// GoTo will refuse the sign-in (or should: the message cannot be trusted).
    Error,
    /// Works now, but is fragile or suspicious.
    Warning,
    /// Worth knowing.
    Info,
}

/// Where the fix is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixSide {
    /// The Entra admin center (the enterprise application's single sign-on page).
    Entra,
    /// GoTo's admin console (the identity provider page).
    GoTo,
    /// Nothing to change in a setup: capture again, check the clock, ask the user.
    Neither,
}

/// What a finding is about: a root cause, or one of the few warnings and notes that never
/// make a sign-in fail by themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FindingId {
    /// One of the closed list.
    Cause(RootCause),
    /// A warning or note.
    Note(NoteId),
}

/// Ids of findings that are never a root cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteId {
    /// The signing certificate expires soon.
    CertExpiringSoon,
    /// Nothing to compare with: no expected value was given for these checks.
    NotChecked,
    /// More than one message in the capture; which one was checked.
    MessageChosen,
    /// The NameID looks like a sign-in name (UPN) rather than a mailbox, or differs from the mail claim.
    NameidLooksLikeUpn,
    /// SHA-1 digest with an otherwise strong signature.
    WeakDigest,
    /// A message of the capture could not be decoded and was skipped.
    MessageSkipped,
    /// The message carries another certificate than the trusted one, for the same key (the
    /// identity provider renewed its certificate and kept the key): trusted, worth knowing.
    CertRenewedSameKey,
}

impl FindingId {
    /// The id as in the JSON output.
    pub fn id(self) -> &'static str {
        match self {
            FindingId::Cause(cause) => cause.id(),
            FindingId::Note(NoteId::CertExpiringSoon) => "cert_expiring_soon",
            FindingId::Note(NoteId::NotChecked) => "not_checked",
            FindingId::Note(NoteId::MessageChosen) => "message_chosen",
            FindingId::Note(NoteId::NameidLooksLikeUpn) => "nameid_looks_like_upn",
            FindingId::Note(NoteId::WeakDigest) => "weak_digest",
            FindingId::Note(NoteId::MessageSkipped) => "message_skipped",
            FindingId::Note(NoteId::CertRenewedSameKey) => "cert_renewed_same_key",
        }
    }
}

/// One thing the diagnosis found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What it is about.
    #[serde(serialize_with = "serialize_id")]
    pub id: FindingId,
    /// How bad.
    pub severity: Severity,
    /// What was found, with the values involved.
    pub message: String,
    /// What to do, naming the field and the side.
    pub fix: String,
    /// Where the fix is made.
    pub side: FixSide,
}

fn serialize_id<S: serde::Serializer>(id: &FindingId, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(id.id())
}

impl Finding {
    /// An error finding for a root cause.
    pub fn error(
        cause: RootCause,
        side: FixSide,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Finding {
        Finding {
            id: FindingId::Cause(cause),
            severity: Severity::Error,
            message: message.into(),
            fix: fix.into(),
            side,
        }
    }

    /// A warning or note.
    pub fn note(
        id: FindingId,
        severity: Severity,
        side: FixSide,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Finding {
        Finding {
            id,
            severity,
            message: message.into(),
            fix: fix.into(),
            side,
        }
    }

    /// The root cause, when this is an error about one.
    pub fn cause(&self) -> Option<RootCause> {
        match (self.id, self.severity) {
            (FindingId::Cause(cause), Severity::Error) => Some(cause),
            _ => None,
        }
    }
}

/// The most fundamental error among `findings`, by the precedence of [`RootCause`].
pub fn root_cause(findings: &[Finding]) -> Option<RootCause> {
    findings.iter().filter_map(Finding::cause).min()
}
