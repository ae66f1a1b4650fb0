//! Why a download failed, named and explained for an admin, with the raw error chain kept
//! for support.

use std::fmt;

use crate::aadsts::AadstsCode;

/// The kinds of failure, as scripts see them (`--json` `error.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchErrorKind {
    /// The host name could not be resolved.
    Dns,
    /// No connection (refused, reset, unreachable).
    Connect,
    /// Connecting or downloading took too long.
    Timeout,
    /// The server's certificate is not from a trusted authority (often TLS inspection).
    TlsUnknownIssuer,
    /// The server's certificate has expired (or is not yet valid).
    TlsExpired,
    /// The server's certificate is for another name.
    TlsHostname,
    /// Another TLS failure.
    TlsOther,
    /// The server answered with an error status.
    HttpStatus,
    /// Too many redirects, a loop, or a redirect from https to http.
    Redirect,
    /// The document is not SAML metadata.
    NotMetadata,
    /// A web page came back instead of metadata (sign-in page, captive portal).
    HtmlPage,
    /// The server sent nothing.
    Empty,
    /// The answer is larger than the limit.
    TooLarge,
    /// The URL cannot be fetched as given (malformed, not http or https).
    InvalidUrl,
    /// Plain `http://` to another computer without the explicit option: nothing was sent.
    PlainHttp,
    /// The extra CA file could not be used.
    CaFile,
}

impl FetchErrorKind {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchErrorKind::Dns => "dns",
            FetchErrorKind::Connect => "connect",
            FetchErrorKind::Timeout => "timeout",
            FetchErrorKind::TlsUnknownIssuer => "tls_unknown_issuer",
            FetchErrorKind::TlsExpired => "tls_expired",
            FetchErrorKind::TlsHostname => "tls_hostname",
            FetchErrorKind::TlsOther => "tls_other",
            FetchErrorKind::HttpStatus => "http_status",
            FetchErrorKind::Redirect => "redirect",
            FetchErrorKind::NotMetadata => "not_metadata",
            FetchErrorKind::HtmlPage => "html_page",
            FetchErrorKind::Empty => "empty",
            FetchErrorKind::TooLarge => "too_large",
            FetchErrorKind::InvalidUrl => "invalid_url",
            FetchErrorKind::PlainHttp => "plain_http",
            FetchErrorKind::CaFile => "ca_file",
        }
    }
}

/// A failed download. `Clone` so a GUI can keep it in its state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FetchError {
    /// What kind of failure.
    pub kind: FetchErrorKind,
    /// What happened, for a person.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// The HTTP status, when the server answered.
    pub http_status: Option<u16>,
    /// The Entra error code found in the answer, explained when known.
    pub aadsts: Option<String>,
    /// The explanation of [`FetchError::aadsts`], when the table knows the code.
    pub aadsts_explained: Option<AadstsCode>,
    /// The URL asked for.
    pub url: String,
    /// Every error in the chain, outermost first, for support.
    pub chain: Vec<String>,
}

impl FetchError {
    pub(super) fn new(kind: FetchErrorKind, url: &str, message: String, hint: &str) -> Self {
        Self {
            kind,
            message,
            hint: hint.to_owned(),
            http_status: None,
            aadsts: None,
            aadsts_explained: None,
            url: url.to_owned(),
            chain: Vec::new(),
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " — {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}
