//! The result of a connection test: one timed, explained step per check, in the JSON shape
//! the CLI promises (`{"ok":bool,"steps":[{"name","ok","http_status","latency_ms","detail"}]}`).

use serde::Serialize;

use crate::secrets::Secret;

/// The checks, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    /// Getting, refreshing or taking the token.
    Token,
    /// `GET /ServiceProviderConfig` (may answer without authentication).
    ServiceProviderConfig,
    /// `GET /Users?count=1&startIndex=1` (proves the token).
    Users,
    /// `GET /Schemas`.
    Schemas,
    /// Every attribute Entra's mapping sends is declared by the server.
    AttributeMapping,
    /// Filtering by the matching attribute works.
    Filter,
}

impl StepName {
    /// A short title for people.
    pub fn title(self) -> &'static str {
        match self {
            StepName::Token => "Token",
            StepName::ServiceProviderConfig => "Service provider configuration",
            StepName::Users => "Read users (proves the token)",
            StepName::Schemas => "Schemas",
            StepName::AttributeMapping => "Attribute mapping",
            StepName::Filter => "Filter by userName",
        }
    }
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Which check.
    pub name: StepName,
    /// Whether it passed.
    pub ok: bool,
    /// The HTTP status, when a request was answered.
    pub http_status: Option<u16>,
    /// How long it took.
    pub latency_ms: u64,
    /// What was learned, or what is wrong and what to do; never contains a secret.
    pub detail: String,
}

/// The whole test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestReport {
    /// True when every step passed.
    pub ok: bool,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// `text` with every occurrence of each secret (at least 4 characters long) replaced, so that a
/// server echoing a token back in an error body cannot leak it into a report.
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut clean = text.to_owned();
    for secret in secrets {
        let value = secret.expose();
        if value.len() >= 4 {
            clean = clean.replace(value, "«redacted»");
        }
    }
    clean
}
